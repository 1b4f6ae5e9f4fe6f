#pragma once
// Plain types of the identity module: who someone is on the platform and what they may do.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dure::identity {

enum class Role {
    resident,
    volunteer,
    donor,
    gatekeeper,
    caregiver,
    care_team,
    caseworker,
    supervisor,
    project_manager,
    council,
    facility_manager,
    district_admin,
    privacy_officer,  // 개인정보 보호책임자 (PIPA art. 31): the access log and residents' rights requests
};

// Where a role applies: a whole district, one dong, or one organization.
enum class ScopeKind { district, dong, organization };

struct RoleInfo {
    Role role;
    std::string_view code;
    std::string_view name_ko;
    std::string_view name_en;
    std::vector<ScopeKind> scope_kinds;  // the scopes this role may be granted at
};

// Every role, in a stable order.
const std::vector<RoleInfo>& all_roles();
std::string_view to_string(Role r);
std::string_view to_string(ScopeKind k);
std::optional<Role> parse_role(std::string_view s);
std::optional<ScopeKind> parse_scope_kind(std::string_view s);

struct Grant {
    long long id = 0;
    Role role = Role::resident;
    ScopeKind scope_kind = ScopeKind::district;
    long long scope_id = 0;
    long long district_id = 0;
    std::string scope_name;
};

struct Account {
    long long id = 0;
    long long district_id = 0;
    std::string name;
    std::string email;  // empty when signed up by phone
    std::string phone;  // normalized digits, empty when signed up by e-mail
    std::vector<Grant> grants;
};

// The authenticated caller of a request (account_id 0: anonymous).
struct Principal {
    long long account_id = 0;
    long long district_id = 0;
    std::vector<Grant> grants;
    std::string csrf_token;
    bool via_api_token = false;
    bool authenticated() const { return account_id != 0; }
};

struct Dong {
    long long id = 0;
    long long district_id = 0;
    std::string code, name_ko, name_en;
};

// A welfare organization or facility that roles can be scoped to (복지관, 행정복지센터 …).
struct Organization {
    long long id = 0;
    long long district_id = 0;
    long long dong_id = 0;  // 0: district-wide
    std::string kind, name;
};

struct District {
    long long id = 0;
    std::string code, name_ko, name_en;
    std::vector<Dong> dongs;
};

// A person known to welfare staff (not necessarily an account holder). Personal fields are
// stored encrypted; this is the decrypted view.
struct Person {
    long long id = 0;
    long long district_id = 0;
    long long dong_id = 0;
    std::string name, phone, birth_date, address, rrn;
    long long created_at = 0;
};

// One row of the access log: a staff read or change of someone's record.
struct AccessEntry {
    long long id = 0;
    long long at = 0;
    long long actor_account_id = 0;
    long long district_id = 0;
    std::string subject_kind;  // "person", "account"
    long long subject_id = 0;
    std::string action;  // "read", "lookup", "create", "list"
    std::string fields;  // comma-separated field names shown or written
    std::string reason;
    std::string request_id;
};

}  // namespace dure::identity
