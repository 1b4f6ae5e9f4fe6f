#include "outreach/demo.hpp"

#include <map>

#include "outreach/store.hpp"

namespace dure::outreach {

namespace {

struct GatekeeperSeed {
    const char* login;  // nullptr: no account
    GatekeeperKind kind;
    const char* occupation;
    const char* organization;
    const char* name;
    const char* phone;
    int dong;  // index into the demo dongs; -1: district-wide
};

const GatekeeperSeed kGatekeepers[] = {
    {"gatekeeper@demo.dure.kr", GatekeeperKind::honorary_officer, "postal", "한빛우체국", "정우체",
     "01055521001", 0},
    {"partner@demo.dure.kr", GatekeeperKind::partner_worker, "gas", "한빛도시가스 고객센터", "오검침", "",
     -1},
    {nullptr, GatekeeperKind::honorary_officer, "meter_reader", "한빛수도사업소", "박검침", "01055521002", 1},
    {nullptr, GatekeeperKind::honorary_officer, "shop", "느티마을 편의점", "최편의", "01055521003", 1},
};

}  // namespace

int load_demo(store::Database& db, identity::IdentityStore& ids, const identity::Keyring& keys,
              long long now) {
    auto district = ids.district_by_code("demo");
    if (!district || district->dongs.size() < 4) return 0;
    OutreachStore st(db, keys);
    if (st.gatekeepers(district->id, {}, true, 0, 1).total > 0) return 0;
    auto dong = [&](int i) { return i < 0 ? 0LL : district->dongs[static_cast<std::size_t>(i)].id; };

    std::vector<long long> gatekeeper_ids;
    std::map<long long, long long> account_of;  // gatekeeper → their login, so they see their reports
    for (const auto& s : kGatekeepers) {
        Gatekeeper g;
        g.district_id = district->id;
        g.dong_id = dong(s.dong);
        if (s.login)
            if (auto rec = ids.find_login(s.login)) g.account_id = rec->account_id;
        g.kind = s.kind;
        g.occupation = s.occupation;
        g.organization = s.organization;
        g.name = s.name;
        g.phone = s.phone;
        g.training_date = "2025-03-10";
        g.agreement_date = "2025-03-12";
        gatekeeper_ids.push_back(st.create_gatekeeper(g, 0, now));
        account_of[gatekeeper_ids.back()] = g.account_id;
    }

    auto report = [&](Channel ch, ReporterKind kind, long long gatekeeper, int d, Urgency u,
                      const char* address, const char* place, const char* name, const char* phone,
                      const char* concern, std::vector<std::string> signs, long long hours_ago) {
        NewReport r;
        r.district_id = district->id;
        r.dong_id = dong(d);
        r.channel = ch;
        r.reporter_kind = kind;
        r.verified = ch == Channel::hotline || ch == Channel::counter;  // taken by an official
        r.gatekeeper_id = gatekeeper;
        r.reporter_account_id = gatekeeper ? account_of[gatekeeper] : 0;
        r.urgency = u;
        r.address = address;
        r.place = place;
        r.subject_name = name;
        r.subject_phone = phone;
        r.concern = concern;
        r.signs = std::move(signs);
        r.received_at = now - hours_ago * 3600;
        return r;
    };
    std::vector<NewReport> reports = {
        report(Channel::web, ReporterKind::gatekeeper, gatekeeper_ids[0], 0, Urgency::high,
               "한빛구 은행로 21, 102호", "", "", "", "우편함에 고지서가 2주째 쌓여 있고 인기척이 없습니다.",
               {"mail_piling_up", "isolation"}, 50),
        report(Channel::partner, ReporterKind::gatekeeper, gatekeeper_ids[1], 0, Urgency::urgent,
               "한빛구 은행로 21 102호", "", "", "", "가스요금 3개월 체납으로 공급이 중단되었습니다.",
               {"utility_cutoff", "arrears"}, 30),
        report(Channel::hotline, ReporterKind::anonymous, 0, 1, Urgency::normal, "한빛구 느티나무길 7", "",
               "김영수", "01055501001", "이웃 어르신이 요즘 끼니를 거르시는 것 같다는 전화.", {"no_food"},
               20),
        report(Channel::kakao, ReporterKind::anonymous, 0, -1, Urgency::urgent, "", "솔내역 2번 출구 앞 벤치",
               "", "", "며칠째 같은 분이 벤치에서 주무십니다. 많이 야위셨어요.", {"housing", "illness"}, 3),
        report(Channel::counter, ReporterKind::resident, 0, 3, Urgency::normal, "한빛구 버들길 33-2", "", "",
               "", "아래층 세대에서 악취가 나고 연락이 닿지 않습니다.", {"smell_or_noise"}, 1),
    };
    auto filed = st.file(reports, "", now, [](const std::vector<FiledReport>&) { return std::string(); });
    return static_cast<int>(filed.filed.size());
}

}  // namespace dure::outreach
