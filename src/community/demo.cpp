#include "community/demo.hpp"

#include <soci/soci.h>

#include <ctime>
#include <random>

#include "community/draw.hpp"
#include "community/draws.hpp"
#include "community/events.hpp"
#include "community/spaces.hpp"
#include "identity/store.hpp"

namespace dure::community {

namespace {

// Midnight (Seoul) of `day` + `days`, as Unix seconds.
long long seoul_midnight(const std::string& day, int days) {
    std::tm tm{};
    tm.tm_year = std::stoi(day.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(day.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(day.substr(8, 2));
    return static_cast<long long>(timegm(&tm)) - 9 * 3600 + days * 86400LL;
}

std::string day_after(const std::string& day, int days) {
    std::time_t t = static_cast<std::time_t>(seoul_midnight(day, days) + 9 * 3600);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

const char* kSurnames[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권"};
const char* kGiven[] = {"민준", "서연", "도윤", "하은", "예준", "지우", "시우", "수아", "주원", "지민", "영숙", "정희",
                        "순자", "상철", "미경", "재훈", "은지", "동현", "혜진", "성민"};

}  // namespace

std::string seed_demo(app::Platform& p, const app::DemoOptions& o, EventStore& events, DrawStore& draws,
                      SpaceStore& spaces) {
    auto district = p.ids.district_by_code("demo");
    if (!district || district->dongs.size() < 2) return "";
    long long d = district->id, dong = district->dongs[0].id;
    long long existing = 0;
    p.db.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM community_events WHERE district_id = :d", soci::into(existing), soci::use(d);
    });
    if (existing) return "";  // seeded before
    std::mt19937 rng(o.seed);
    auto name = [&] {
        return std::string(kSurnames[rng() % std::size(kSurnames)]) + kGiven[rng() % std::size(kGiven)];
    };
    long long organizer = 0;
    if (auto rec = p.ids.find_login("caseworker@demo.dure.kr")) organizer = rec->account_id;

    // The kimchi-making day: 20 single-person households, ingredients delivered in advance, on
    // Zoom; 60 applied before closing, so the places are drawn in public.
    Event k;
    k.district_id = d;
    k.dong_id = dong;
    k.title = "1인 가구 김장하는 날";
    k.summary = "절임배추 20kg과 양념을 미리 집으로 보내 드리고, 줌(Zoom)으로 함께 김장합니다. 담근 김치의 절반(10kg)은 "
                "가족센터를 통해 홀로 사는 어르신과 이웃에게 나눕니다.";
    k.mode = "online";
    k.place = "줌(Zoom) — 링크는 확정된 참가자에게 시작 전에 보냅니다";
    k.meeting_link = "https://zoom.example/j/2026121814";  // a placeholder address (example domain)
    k.eligibility = "구에 사는 1인 가구 (자기 신고)";
    k.starts_at = seoul_midnight(o.today, 10) + 14 * 3600;
    k.ends_at = k.starts_at + 3 * 3600;
    k.closes_at = o.now - 3600;
    k.capacity = 20;
    k.allocation = "draw";
    k.created_by = organizer;
    long long kimchi = events.create(k, o.now - 14 * 86400);
    // Demo applicants have no password (they cannot log in).
    std::vector<long long> applicants;
    for (int i = 0; i < 60; ++i)
        applicants.push_back(p.ids.create_account(d, "kimchi" + std::to_string(i + 1) + "@demo.dure.kr", "", name(), "!"));
    p.db.write([&](soci::session& s) {
        for (std::size_t i = 0; i < applicants.size(); ++i)
            events.register_in(s, kimchi, applicants[i], {}, o.now - 7 * 86400 + static_cast<long long>(i) * 600);
    });
    Draw kd;
    kd.title = "1인 가구 김장하는 날 참가자 추첨";
    kd.rule = "신청자 60명 중 20명을 추첨합니다. 나머지는 추첨 순서대로 대기하며, 자리가 나면 차례로 48시간 안에 확정할 수 있습니다.";
    kd.legal_basis = "행사 참가자 선정 (경품 아님: 조례 근거 불요)";
    kd.seed_source = "추첨일에 공무원 2명과 참관인 1명이 공개로 뽑은 번호 세 개";
    kd.created_by = organizer;
    auto masked = [&p](long long account) {
        auto a = p.ids.account(account);
        return mask_name(a ? a->name : "");
    };
    long long kdraw = draws.freeze_event(kd, kimchi, masked, o.now);
    draws.run(kdraw, "07 23 41", "", organizer, o.now + 60);

    // An academy course of 4 weekly sessions (the academy's completion rule is not built yet:
    // each session is an event of its own).
    for (int s = 1; s <= 4; ++s) {
        Event c;
        c.district_id = d;
        c.dong_id = dong;
        c.title = "동행 아카데미: 주민 리더 과정 " + std::to_string(s) + "회차";
        c.summary = "이웃을 돕는 주민 리더를 기르는 4회 과정입니다 (3회 이상 참석하면 수료).";
        c.mode = s == 3 ? "hybrid" : "offline";
        c.place = "한빛구 평생학습관 2층";
        c.starts_at = seoul_midnight(o.today, 7 * s) + 19 * 3600;
        c.ends_at = c.starts_at + 2 * 3600;
        c.closes_at = c.starts_at - 86400;
        c.capacity = 25;
        c.created_by = organizer;
        long long ev = events.create(c, o.now);
        p.db.write([&](soci::session& ss) {
            for (int i = 0; i < 18 + s; ++i) events.register_in(ss, ev, applicants[static_cast<std::size_t>(i)], {}, o.now);
        });
    }

    // Ten meeting spaces (dong community centres), with bookings over the next days.
    const char* kinds[] = {"주민 사랑방", "공유 부엌", "다목적실", "작은 도서관 세미나실", "회의실"};
    int spaces_made = 0, bookings_made = 0;
    for (int i = 0; i < 10; ++i) {
        const auto& g = district->dongs[i % district->dongs.size()];
        Space x;
        x.district_id = d;
        x.dong_id = g.id;
        x.name = g.name_ko + " " + kinds[i % 5] + (i >= 5 ? " 2" : "");
        x.place = g.name_ko + " 행정복지센터 " + std::to_string(1 + i % 3) + "층";
        x.capacity = 10 + (i % 4) * 10;
        x.opens_hour = 9;
        x.closes_hour = i % 2 ? 22 : 18;
        x.equipment = i % 5 == 1 ? "조리대, 냉장고, 식기" : "빔프로젝터, 화이트보드, 의자";
        x.accessibility = i % 3 == 0 ? "1층, 휠체어 출입 가능, 장애인 화장실" : "엘리베이터 있음";
        x.fee_note = "2시간 1만 원 (주민 모임 50% 감면)";
        x.fee_source = "한빛구 공공시설 개방 및 사용에 관한 조례 (예시)";
        long long sid = spaces.create(x, o.now);
        ++spaces_made;
        for (int b = 0; b < 3; ++b) {
            Booking bk;
            bk.space_id = sid;
            bk.account_id = organizer;
            bk.day = day_after(o.today, 1 + b * 2 + i % 2);
            bk.start_hour = 10 + b * 2;
            bk.end_hour = bk.start_hour + 2;
            bk.purpose = b == 0 ? "어르신 스마트폰 배움 모임" : b == 1 ? "반찬 나눔 봉사자 회의" : "주민 독서 모임";
            bk.attendees = std::min<long long>(8, x.capacity);
            auto made = spaces.request(bk, o.now);
            ++bookings_made;
            if (b < 2) spaces.decide(made.id, "approved", organizer, "", o.now);
        }
    }

    // The sign-up event's prize draw: 50 winners among the members who signed up in the period.
    std::vector<DrawEntrant> entrants;
    for (int i = 1; i <= 400; ++i) {
        char code[16];
        std::snprintf(code, sizeof code, "S-%04d", i);
        entrants.push_back({code, mask_name(name()), 0, 0});
    }
    Draw sd;
    sd.district_id = d;
    sd.title = "복지 플랫폼 회원 가입 기념 경품 추첨 (50명)";
    sd.rule = "기간 중 가입한 회원 400명 중 50명에게 온누리상품권 1만 원 (5만 원 이하: 기타소득 원천징수 없음)";
    sd.legal_basis = "한빛구 복지 플랫폼 이용 활성화 조례 제7조 (예시: 지방자치단체의 경품은 조례 근거가 있어야 함, 공직선거법 제112조)";
    sd.seed_source = "추첨일 다음 회차 로또 6/45 당첨 번호";
    sd.winner_count = 50;
    sd.created_by = organizer;
    long long sdraw = draws.freeze(sd, entrants, o.now);
    draws.run(sdraw, "3 11 19 24 38 42", "", organizer, o.now + 120);
    return "Community: the kimchi-making day (20 places, 60 applicants, draw #" + std::to_string(kdraw) +
           "), a 4-session academy course, " + std::to_string(spaces_made) + " spaces with " +
           std::to_string(bookings_made) + " bookings, the sign-up prize draw #" + std::to_string(sdraw) + " (50 of 400)";
}

}  // namespace dure::community
