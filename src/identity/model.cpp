#include "identity/model.hpp"

namespace dure::identity {

const std::vector<RoleInfo>& all_roles() {
    using K = ScopeKind;
    static const std::vector<RoleInfo> kRoles = {
        {Role::resident, "resident", "주민", "Resident", {K::district}},
        {Role::volunteer, "volunteer", "자원봉사자", "Volunteer", {K::district, K::dong}},
        {Role::donor, "donor", "후원자", "Donor", {K::district}},
        {Role::gatekeeper, "gatekeeper", "명예사회복지공무원(게이트키퍼)", "Gatekeeper", {K::district, K::dong, K::organization}},
        {Role::caregiver, "caregiver", "돌봄이웃", "Neighbour caregiver", {K::dong}},
        {Role::care_team, "care_team", "동 돌봄단", "Care team", {K::dong}},
        {Role::caseworker, "caseworker", "복지 담당 공무원", "Caseworker", {K::dong, K::district}},
        // A caseworkers' team lead (팀장): reads the cases of their dong and hands them between caseworkers.
        {Role::supervisor, "supervisor", "복지팀장", "Welfare team supervisor", {K::dong, K::district}},
        {Role::project_manager, "project_manager", "사업 매니저", "Project manager", {K::district, K::organization}},
        {Role::council, "council", "지역사회보장협의체", "Welfare council", {K::district}},
        {Role::facility_manager, "facility_manager", "시설 관리자", "Facility manager", {K::organization}},
        {Role::district_admin, "district_admin", "구청 관리자", "District administrator", {K::district}},
        // The district's privacy officer (개인정보 보호책임자, PIPA art. 31): reads the access log and
        // decides residents' requests to see, correct or delete their data; never a person's record.
        {Role::privacy_officer, "privacy_officer", "개인정보 보호책임자", "Privacy officer", {K::district}},
    };
    return kRoles;
}

std::string_view to_string(Role r) {
    for (const auto& i : all_roles())
        if (i.role == r) return i.code;
    return "unknown";
}

std::string_view to_string(ScopeKind k) {
    switch (k) {
        case ScopeKind::district: return "district";
        case ScopeKind::dong: return "dong";
        case ScopeKind::organization: return "organization";
    }
    return "district";
}

std::optional<Role> parse_role(std::string_view s) {
    for (const auto& i : all_roles())
        if (i.code == s) return i.role;
    return std::nullopt;
}

std::optional<ScopeKind> parse_scope_kind(std::string_view s) {
    if (s == "district") return ScopeKind::district;
    if (s == "dong") return ScopeKind::dong;
    if (s == "organization") return ScopeKind::organization;
    return std::nullopt;
}

}  // namespace dure::identity
