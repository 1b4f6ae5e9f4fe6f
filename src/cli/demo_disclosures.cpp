#include "cli/demo_disclosures.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>

#include "disclosures/disclosure_store.hpp"
#include "job_listings/jobs.hpp"
#include "job_listings/jobs_store.hpp"
#include "http/client.hpp"
#include "news/news_store.hpp"
#include "catalog/store.hpp"
#include "common/dates.hpp"
#include "common/embedded.hpp"

namespace dure::cli {

namespace {

using catalog::DisclosureContent;
using catalog::DisclosureLine;
using catalog::Donation;

DisclosureContent content(long long year, const char* kind, std::vector<DisclosureLine> lines,
                          std::vector<Donation> donations = {}) {
    return {year, kind, std::move(lines), std::move(donations)};
}

DisclosureLine rev(const char* category, const char* item, long long amount) {
    return {"revenue", category, item, amount};
}
DisclosureLine spend(const char* category, const char* item, long long amount) {
    return {"expenditure", category, item, amount};
}

// Figures in the range of a district senior welfare centre (노인종합복지관); invented for the demo.
DisclosureContent budget_previous(long long y) {
    return content(
        y, "budget",
        {rev("보조금", "국·시비 보조금", 1'150'000'000), rev("보조금", "구비 보조금", 700'000'000),
         rev("사업수입", "프로그램 이용료", 150'000'000), rev("사업수입", "경로식당 이용료", 60'000'000),
         rev("후원금", "지정·비지정 후원금", 120'000'000), rev("법인전입금", "법인 전입금", 60'000'000),
         rev("이월금", "전년도 이월금", 35'000'000), rev("잡수입", "이자 수입 등", 5'000'000),
         spend("인건비", "급여·수당·사회보험", 1'380'000'000),
         spend("업무추진비", "기관·회의 운영", 8'000'000),
         spend("운영비", "수용비·공공요금·차량비", 190'000'000),
         spend("시설비", "시설 유지·보수", 60'000'000), spend("자산취득비", "집기·장비", 22'000'000),
         spend("사업비", "프로그램·경로식당", 600'000'000), spend("예비비", "예비비", 20'000'000)});
}

DisclosureContent settlement_previous(long long y) {
    return content(y, "settlement",
                   {rev("보조금", "국·시비 보조금", 1'150'000'000),
                    rev("보조금", "구비 보조금", 700'000'000),
                    rev("사업수입", "프로그램 이용료", 148'300'000),
                    rev("사업수입", "경로식당 이용료", 59'120'000),
                    rev("후원금", "지정후원금", 81'500'000),
                    rev("후원금", "비지정후원금", 42'650'000),
                    rev("법인전입금", "법인 전입금", 60'000'000),
                    rev("이월금", "전년도 이월금", 35'000'000),
                    rev("잡수입", "이자 수입", 3'812'000),
                    spend("인건비", "급여", 1'102'400'000),
                    spend("인건비", "퇴직적립금", 93'600'000),
                    spend("인건비", "사회보험부담금", 148'950'000),
                    spend("업무추진비", "기관·회의 운영", 6'210'000),
                    spend("운영비", "수용비", 42'300'000),
                    spend("운영비", "공공요금", 96'800'000),
                    spend("운영비", "차량비", 18'400'000),
                    spend("시설비", "시설장비 유지비", 57'600'000),
                    spend("자산취득비", "집기·장비", 21'450'000),
                    spend("사업비", "프로그램 사업비", 402'880'000),
                    spend("사업비", "경로식당 급식비", 181'500'000)},
                   {{"individual", "cash", 18'650'000, "저소득 어르신 밑반찬 지원", 18'650'000},
                    {"organization", "cash", 50'000'000, "경로식당 급식비 지원", 48'200'000},
                    {"organization", "cash", 31'500'000, "홀몸 어르신 난방비 지원", 31'500'000},
                    {"anonymous", "cash", 24'000'000, "명절 위문품 지원", 22'300'000},
                    {"organization", "in_kind", 8'400'000, "홀몸 어르신 쌀 지원(10kg 840포)", 8'400'000},
                    {"individual", "in_kind", 1'200'000, "겨울 내의 전달", 1'200'000}});
}

DisclosureContent budget_current(long long y) {
    return content(
        y, "budget",
        {rev("보조금", "국·시비 보조금", 1'190'000'000), rev("보조금", "구비 보조금", 725'000'000),
         rev("사업수입", "프로그램·경로식당 이용료", 215'000'000),
         rev("후원금", "지정·비지정 후원금", 125'000'000), rev("법인전입금", "법인 전입금", 60'000'000),
         rev("이월금", "전년도 이월금", 108'292'000), rev("잡수입", "이자 수입 등", 3'000'000),
         spend("인건비", "급여·수당·사회보험", 1'432'000'000),
         spend("업무추진비", "기관·회의 운영", 8'000'000),
         spend("운영비", "수용비·공공요금·차량비", 200'000'000), spend("시설비", "승강기 교체", 90'000'000),
         spend("자산취득비", "집기·장비", 30'000'000), spend("사업비", "프로그램·경로식당", 636'292'000),
         spend("예비비", "예비비", 30'000'000)});
}

struct NewsSeed {
    const char* title;
    const char* body;
};

const NewsSeed kNews[] = {
    {"겨울철 난방비 지원 신청 안내",
     "기초생활수급 가구와 차상위 가구 가운데 난방비 부담이 큰 가구는 주소지 행정복지센터에서 에너지바우처를 "
     "신청할 수 있습니다.\n"
     "신청할 때 신분증을 가져오시면 됩니다. 거동이 불편하시면 전화로 방문 신청을 요청하세요."},
    {"경로식당 운영 시간 변경",
     "한빛노인종합복지관 경로식당의 점심 배식 시간이 11시 30분부터 13시까지로 바뀝니다.\n"
     "식사가 어려운 어르신께는 기존처럼 도시락 배달을 이어갑니다."},
    {"기초연금 신청은 만 65세 생일이 속한 달의 한 달 전부터",
     "기초연금은 만 65세 생일이 속한 달의 한 달 전부터 신청할 수 있습니다. 행정복지센터나 국민연금공단 지사, "
     "복지로에서 신청하세요."},
    {"독감 예방접종 무료 대상 안내",
     "만 65세 이상 어르신은 지정 의료기관에서 독감 예방접종을 무료로 받을 수 있습니다. 신분증을 가져오세요."},
    {"명예사회복지공무원을 모집합니다",
     "이웃의 어려움을 먼저 알아보고 알려 주실 명예사회복지공무원을 모집합니다. 활동 교육은 행정복지센터에서 "
     "진행합니다."},
    {"폭염 대비 무더위쉼터 운영",
     "여름철 폭염 기간에는 경로당과 행정복지센터가 무더위쉼터로 운영됩니다. 위치는 두레 지도에서 확인할 수 "
     "있습니다."},
    {"긴급복지지원 상담 창구 안내",
     "갑작스러운 실직, 질병, 화재 등으로 생계가 어려워졌다면 긴급복지지원을 상담하세요. 보건복지상담센터 "
     "129에서도 안내합니다."},
    {"노인일자리 참여자 모집 일정",
     "내년 노인일자리 및 사회활동 지원사업 참여자 모집이 시작됩니다. 자세한 모집 분야는 두레 일자리 목록에서 "
     "확인하세요."},
    {"복지관 승강기 교체 공사 안내",
     "한빛노인종합복지관 승강기 교체 공사 기간에는 1층 상담실에서 상담을 받습니다. 불편을 드려 죄송합니다."},
    {"시설 재무 공시를 두레에서 볼 수 있습니다",
     "관내 사회복지시설의 예산, 결산과 후원금 사용 내역을 시설 페이지에서 확인하고 CSV, 엑셀 파일로 내려받을 "
     "수 있습니다."},
};

long long account_of(identity::IdentityStore& ids, const char* login) {
    auto rec = ids.find_login(login);
    return rec ? rec->account_id : 0;
}

// Days between two YYYY-MM-DD dates (b - a).
long long days_between(const std::string& a, const std::string& b) {
    auto ta = catalog::parse_timestamp(a), tb = catalog::parse_timestamp(b);
    if (!ta || !tb) return 0;
    return (*tb - *ta) / 86400;
}

std::string add_days(const std::string& date, long long days) {
    auto t = catalog::parse_timestamp(date);
    if (!t) return date;
    return catalog::format_timestamp(*t + 9 * 3600 + days * 86400).substr(0, 10);
}

long long district_by_code(identity::IdentityStore& ids, const std::string& code) {
    for (const auto& d : ids.districts())
        if (code.empty() || d.code == code) return d.id;
    return 0;
}

}  // namespace

void load_demo_disclosures(store::Database& db, identity::IdentityStore& ids) {
    auto district = ids.district_by_code("demo");
    if (!district) throw std::runtime_error("load the demo district first");
    catalog::CatalogStore cat(db);
    catalog::FacilityQuery q;
    q.search = "한빛노인종합복지관";
    q.limit = 5;
    std::string facility_id;
    for (const auto& f : cat.facilities(district->id, q).items)
        if (f.name == "한빛노인종합복지관") facility_id = f.id;

    catalog::DisclosureStore disclosures(db);
    if (!facility_id.empty() && disclosures.for_facility(facility_id).empty()) {
        std::string manager = "account:" + std::to_string(account_of(ids, "facility@demo.dure.kr"));
        std::string admin = "account:" + std::to_string(account_of(ids, "admin@demo.dure.kr"));
        long long year = std::stoll(today_seoul().substr(0, 4));
        for (const auto& c : {budget_previous(year - 1), settlement_previous(year - 1)}) {
            auto d = disclosures.save_draft(district->id, facility_id, c, manager);
            disclosures.transition(d.id, "submit", manager);
            disclosures.transition(d.id, "approve", admin);
        }
        auto d = disclosures.save_draft(district->id, facility_id, budget_current(year), manager);
        disclosures.transition(d.id, "submit", manager);
    }

    catalog::NewsStore news(db);
    if (news.list(district->id, 0, 0, 1).total == 0) {
        long long now = store::now_unix();
        std::string admin = "account:" + std::to_string(account_of(ids, "admin@demo.dure.kr"));
        long long i = 0;
        for (const auto& s : kNews) {
            catalog::NewsItem n;
            n.district_id = district->id;
            n.title = s.title;
            n.body = std::string(s.body) + "\n\n(두레 데모용 예시 소식입니다. 실제 공지가 아닙니다.)";
            n.published_at = now - (static_cast<long long>(std::size(kNews)) - i) * 5 * 86400;
            n.created_by = n.updated_by = admin;
            news.create(std::move(n));
            ++i;
        }
    }

    auto text = embedded::find("data/catalog/demo-jobs.json");
    if (!text) throw std::runtime_error("missing embedded data/catalog/demo-jobs.json");
    auto batch = catalog::parse_jobs_json(*text, "demo-jobs.json");
    if (!batch.ok()) throw std::runtime_error("demo jobs: " + catalog::describe(batch.problems.front()));
    // The file's dates are written for its reference date; move them so the demo is current.
    std::string reference = "2026-11-23";
    if (auto p = text->find("\"demo_reference_date\": \""); p != std::string_view::npos)
        reference = std::string(text->substr(p + 24, 10));
    long long shift = days_between(reference, today_seoul());
    for (auto& j : batch.jobs) j.valid_until = add_days(j.valid_until, shift);
    catalog::JobStore(db).replace(district->id, batch.jobs);
}

int import_jobs(store::Database& db, identity::IdentityStore& ids, const std::string& path,
                const std::string& district_code) {
    long long district_id = district_by_code(ids, district_code);
    if (!district_id) {
        std::cerr << "dure: no such district (run `dure demo` or create one first)\n";
        return 2;
    }
    // A path is a file; an http(s) address is a partner's feed fetched with libcurl.
    std::unique_ptr<catalog::JobSource> source;
    if (path.starts_with("http://") || path.starts_with("https://"))
        source = std::make_unique<catalog::HttpJobSource>(path, [](const std::string& url) { return http::http_get(url); });
    else
        source = std::make_unique<catalog::FileJobSource>(path);
    auto batch = source->fetch();
    if (!batch.ok()) {
        std::cerr << "import refused, nothing was written (" << batch.problems.size() << " problems):\n";
        for (const auto& p : batch.problems) std::cerr << "  " << catalog::describe(p) << "\n";
        return 1;
    }
    for (auto& j : batch.jobs) j.district_id = district_id;
    auto n = catalog::JobStore(db).replace(district_id, batch.jobs);
    std::cout << "imported " << n << " jobs from " << source->name() << "\n";
    return 0;
}

}  // namespace dure::cli
