#include "cli/demo.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "identity/crypto.hpp"

namespace dure::cli {

namespace {

// A fictional district; the dong names are invented so nobody mistakes demo data for a real place.
struct DongSeed {
    const char* code;
    const char* ko;
    const char* en;
};
const DongSeed kDongs[] = {
    {"eunhaeng", "은행동", "Eunhaeng-dong"}, {"neuti", "느티동", "Neuti-dong"},
    {"solnae", "솔내동", "Solnae-dong"},     {"beodeul", "버들동", "Beodeul-dong"},
    {"maehwa", "매화동", "Maehwa-dong"},     {"cheongnim", "청림동", "Cheongnim-dong"},
    {"saemal", "새말동", "Saemal-dong"},     {"garam1", "가람1동", "Garam 1-dong"},
    {"garam2", "가람2동", "Garam 2-dong"},   {"dalbit", "달빛동", "Dalbit-dong"},
    {"moran", "모란동", "Moran-dong"},       {"haetsal", "햇살동", "Haetsal-dong"},
    {"gureum", "구름동", "Gureum-dong"},     {"saemgol", "샘골동", "Saemgol-dong"},
    {"noeul", "노을동", "Noeul-dong"},       {"byeollae", "별내동", "Byeollae-dong"},
};

struct AccountSeed {
    identity::Role role;
    const char* login;
    const char* name;
    identity::ScopeKind scope;
    const char* organization = nullptr;  // organization scope: which one (default: the senior welfare centre)
};

// A partner institution whose staff report households through the partner API (outreach).
constexpr const char* kPartnerOrganization = "한빛도시가스 고객센터";

const AccountSeed kAccounts[] = {
    {identity::Role::district_admin, "admin@demo.dure.kr", "김관리", identity::ScopeKind::district},
    {identity::Role::resident, "resident@demo.dure.kr", "이주민", identity::ScopeKind::district},
    {identity::Role::volunteer, "volunteer@demo.dure.kr", "박봉사", identity::ScopeKind::district},
    {identity::Role::donor, "donor@demo.dure.kr", "최나눔", identity::ScopeKind::district},
    {identity::Role::gatekeeper, "gatekeeper@demo.dure.kr", "정우체", identity::ScopeKind::dong},
    {identity::Role::caregiver, "caregiver@demo.dure.kr", "강이웃", identity::ScopeKind::dong},
    {identity::Role::care_team, "careteam@demo.dure.kr", "조돌봄", identity::ScopeKind::dong},
    {identity::Role::caseworker, "caseworker@demo.dure.kr", "윤복지", identity::ScopeKind::dong},
    {identity::Role::project_manager, "manager@demo.dure.kr", "장연결", identity::ScopeKind::district},
    {identity::Role::council, "council@demo.dure.kr", "임협의", identity::ScopeKind::district},
    {identity::Role::facility_manager, "facility@demo.dure.kr", "한시설", identity::ScopeKind::organization},
    // A partner-institution worker (gas company), next to the postal worker above.
    {identity::Role::gatekeeper, "partner@demo.dure.kr", "오검침", identity::ScopeKind::organization,
     kPartnerOrganization},
    // Last, so the accounts above keep their ids: the caseworkers' team lead, who hands cases on.
    {identity::Role::supervisor, "supervisor@demo.dure.kr", "서팀장", identity::ScopeKind::dong},
    {identity::Role::privacy_officer, "privacy@demo.dure.kr", "정보호", identity::ScopeKind::district},
};

// `dure demo --second-district`: a second fictional district with its own dongs, staff and
// persons, to show (and test) that nothing of one district reaches the other.
const DongSeed kDongs2[] = {
    {"haneul", "하늘동", "Haneul-dong"}, {"badat", "바닷동", "Badat-dong"}, {"supsok", "숲속동", "Supsok-dong"},
};
const AccountSeed kAccounts2[] = {
    {identity::Role::district_admin, "admin@demo2.dure.kr", "남관리", identity::ScopeKind::district},
    {identity::Role::caregiver, "caregiver@demo2.dure.kr", "남이웃", identity::ScopeKind::dong},
    {identity::Role::care_team, "careteam@demo2.dure.kr", "남돌봄", identity::ScopeKind::dong},
    {identity::Role::caseworker, "caseworker@demo2.dure.kr", "남복지", identity::ScopeKind::dong},
    {identity::Role::supervisor, "supervisor@demo2.dure.kr", "남팀장", identity::ScopeKind::dong},
};

// Demo passwords: random, readable, and never on the common list.
std::string demo_password() { return "Dure-" + identity::random_token(9); }


// Creates (or refreshes the password of) one demo account with its grant.
DemoAccount seed_account(identity::IdentityStore& store, const AccountSeed& a, long long district_id, long long dong_id,
                         long long org_id, long long partner_org) {
    using identity::ScopeKind;
    DemoAccount d;
    d.role = std::string(identity::to_string(a.role));
    d.login = a.login;
    d.name = a.name;
    d.password = demo_password();
    d.district_id = district_id;
    d.scope_kind = std::string(identity::to_string(a.scope));
    d.scope_id = a.scope == ScopeKind::district ? district_id
                 : a.scope == ScopeKind::dong   ? dong_id
                 : a.organization               ? partner_org
                                                : org_id;
    auto hash = identity::hash_password(d.password);
    auto rec = store.find_login(d.login);
    if (rec) {
        store.set_password(rec->account_id, hash);
        d.account_id = rec->account_id;
    } else {
        d.account_id = store.create_account(district_id, d.login, "", d.name, hash);
    }
    bool granted = false;
    for (const auto& g : store.grants(d.account_id)) granted = granted || g.role == a.role;
    if (a.role != identity::Role::resident && !granted)
        store.add_grant(d.account_id, a.role, a.scope, d.scope_id, district_id, 0);
    for (const auto& g : store.grants(d.account_id))
        if (g.role == a.role) d.scope_name = g.scope_name;
    return d;
}

void seed_persons(identity::IdentityStore& store, long long district_id, const std::vector<long long>& dong_ids,
                  long long created_by, int count, int phone_base, const char* district_ko) {
    const char* names[] = {"김영수", "이순자", "박정호", "최말순", "정민준", "강복례", "조현우", "윤옥자"};
    const char* streets[] = {"은행로", "느티나무길", "솔내로", "버들길"};
    for (int i = 0; i < count; ++i) {
        identity::NewPerson p;
        p.district_id = district_id;
        p.dong_id = dong_ids[static_cast<std::size_t>(i) % std::min<std::size_t>(4, dong_ids.size())];
        p.name = names[i % 8];
        p.phone = "0105550" + std::to_string(phone_base + i);
        p.birth_date = std::to_string(1938 + i * 3) + "-0" + std::to_string(1 + i % 9) + "-15";
        p.address = std::string(district_ko) + " " + streets[i % 4] + " " + std::to_string(10 + i) + "";
        p.created_by = created_by;
        store.create_person(p);
    }
}

std::vector<DemoAccount> load_second_district(identity::IdentityStore& store) {
    auto existing = store.district_by_code("demo2");
    long long district_id = 0;
    std::vector<long long> dong_ids;
    if (!existing) {
        district_id = store.create_district("demo2", "누리구", "Nuri-gu");
        for (const auto& d : kDongs2) dong_ids.push_back(store.create_dong(district_id, d.code, d.ko, d.en));
    } else {
        district_id = existing->id;
        for (const auto& d : existing->dongs) dong_ids.push_back(d.id);
    }
    std::vector<DemoAccount> out;
    for (const auto& a : kAccounts2) out.push_back(seed_account(store, a, district_id, dong_ids[0], 0, 0));
    if (!existing) seed_persons(store, district_id, dong_ids, out.front().account_id, 6, 2000, "누리구");
    return out;
}

}  // namespace

std::vector<DemoAccount> load_demo(identity::IdentityStore& store, bool second_district) {
    auto existing = store.district_by_code("demo");
    long long district_id = 0;
    std::vector<long long> dong_ids;
    long long org_id = 0;
    if (!existing) {
        district_id = store.create_district("demo", "한빛구", "Hanbit-gu");
        for (const auto& d : kDongs) dong_ids.push_back(store.create_dong(district_id, d.code, d.ko, d.en));
        org_id = store.create_organization(district_id, dong_ids[0], "노인복지관", "한빛노인종합복지관");
        store.create_organization(district_id, dong_ids[3], "종합사회복지관", "버들종합사회복지관");
        store.create_organization(district_id, 0, "행정복지센터", "은행동 행정복지센터");
    } else {
        district_id = existing->id;
        for (const auto& d : existing->dongs) dong_ids.push_back(d.id);
        org_id = store.organization_by_name(district_id, "한빛노인종합복지관");
    }
    long long partner_org = store.organization_by_name(district_id, kPartnerOrganization);
    if (!partner_org) partner_org = store.create_organization(district_id, 0, "협력기관", kPartnerOrganization);
    std::vector<DemoAccount> out;
    for (const auto& a : kAccounts) out.push_back(seed_account(store, a, district_id, dong_ids[0], org_id, partner_org));
    if (!existing) seed_persons(store, district_id, dong_ids, out.front().account_id, 16, 1000, "한빛구");
    if (second_district)
        for (auto& a : load_second_district(store)) out.push_back(std::move(a));
    return out;
}

std::string demo_accounts_json(const std::vector<DemoAccount>& accounts) {
    boost::json::array arr;
    for (const auto& a : accounts)
        arr.push_back(boost::json::object{{"role", a.role},
                                          {"login", a.login},
                                          {"password", a.password},
                                          {"name", a.name},
                                          {"account_id", a.account_id},
                                          {"district_id", a.district_id},
                                          {"scope_kind", a.scope_kind},
                                          {"scope_id", a.scope_id},
                                          {"scope_name", a.scope_name}});
    return boost::json::serialize(arr);
}

}  // namespace dure::cli
