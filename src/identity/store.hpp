#pragma once
// All SQL of the identity module. Personal fields are encrypted and blind-indexed here, so
// callers only ever see plain values and the database only ever sees ciphertext.
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "identity/model.hpp"
#include "store/database.hpp"

namespace dure::identity {

// An account row as needed to check a login.
struct LoginRecord {
    long long account_id = 0;
    std::string password_hash;
    long long failed_logins = 0;
    long long locked_until = 0;
    bool disabled = false;
};

struct SessionRecord {
    long long account_id = 0;
    std::string csrf_token;
    long long expires_at = 0;
};

struct ApiTokenInfo {
    long long id = 0;
    std::string name;
    long long account_id = 0;  // the partner service account the token acts as
    long long created_at = 0;
    long long last_used_at = 0;
    std::string scopes;        // comma-separated scope codes ("file_report")
    long long expires_at = 0;
    long long revoked_at = 0;  // 0: active; in the future: a rotated token's grace period
    long long district_id = 0;
};

struct NewPerson {
    long long district_id = 0, dong_id = 0;
    std::string name, phone, birth_date, address, rrn;  // empty: not given
    long long created_by = 0;
};

// Result of checking the access-log chain.
struct AuditReport {
    long long rows = 0;
    long long head_id = 0;  // the head the check read (its snapshot)
    std::string head_mac;
    std::vector<std::string> problems;  // empty: intact
};

// The access log's head as last seen outside the database (a signed checkpoint): the row with
// `last_id` must still be there with `last_mac`.
struct AuditAnchorPoint {
    long long last_id = 0;
    std::string last_mac;
    long long at = 0;
};

// A staff member who serves a dong: the grant that makes them (a dong grant for it, or a district
// grant) and how to reach them.
struct StaffMember {
    long long account_id = 0;
    std::string name, email, phone, role;
    bool district_wide = false;
};

class IdentityStore {
public:
    IdentityStore(store::Database& db, const Keyring& keys) : db_(db), keys_(keys) {}

    // Districts and dongs.
    std::vector<District> districts();
    std::optional<District> district_by_code(const std::string& code);
    long long create_district(const std::string& code, const std::string& ko, const std::string& en);
    long long create_dong(long long district_id, const std::string& code, const std::string& ko, const std::string& en);
    long long create_organization(long long district_id, long long dong_id, const std::string& kind,
                                  const std::string& name);
    // The identity organization linked to a catalogue organization (0 if none), and the link.
    long long organization_for_catalog(const std::string& catalog_organization_id);
    void link_organization(long long id, const std::string& catalog_organization_id);
    // Organizations of a district, by name.
    std::vector<Organization> organizations(long long district_id);
    // The id of a district's organization with this name (0 if none).
    long long organization_by_name(long long district_id, const std::string& name);
    // The district a dong or organization belongs to (0 if none).
    long long district_of_dong(long long dong_id);
    long long district_of_organization(long long org_id);
    bool district_exists(long long id);

    // Accounts. `login` is a normalized e-mail or mobile number.
    std::optional<LoginRecord> find_login(const std::string& login);
    // Creates the account and its resident grant; throws 409 when the login is taken.
    long long create_account(long long district_id, const std::string& email, const std::string& phone,
                             const std::string& name, const std::string& password_hash);
    void set_password(long long account_id, const std::string& password_hash);
    std::optional<Account> account(long long id);
    // Accounts of a district, newest last; `login` (normalized) narrows to one.
    std::vector<Account> accounts(long long district_id, const std::string& login, int offset, int limit,
                                  long long& total);
    // Records a failed login; locks the account for `lock_seconds` after `max_failures`.
    // Returns the locked-until time (0 if not locked).
    long long record_failed_login(long long account_id, long long now, int max_failures, long long lock_seconds);
    void record_successful_login(long long account_id);

    // Active, enabled accounts holding one of `roles` for `dong_id` (its dong grant or a district
    // grant of `district_id`), by account then role. The second form reads inside a caller's
    // transaction.
    std::vector<StaffMember> staff(long long district_id, long long dong_id, const std::vector<std::string>& roles);
    static std::vector<StaffMember> staff_in(soci::session& s, const Keyring& keys, long long district_id,
                                             long long dong_id, const std::vector<std::string>& roles);
    // One enabled account's name and contact (role empty), inside a caller's transaction.
    static std::optional<StaffMember> contact_in(soci::session& s, const Keyring& keys, long long account_id);

    // Role grants (active only).
    std::vector<Grant> grants(long long account_id);
    long long add_grant(long long account_id, Role role, ScopeKind kind, long long scope_id, long long district_id,
                        long long granted_by);
    // Returns false when no such active grant of that account exists.
    bool revoke_grant(long long account_id, long long grant_id, long long revoked_by);
    std::optional<Grant> grant(long long grant_id);

    // Sessions, keyed by the SHA-256 of the cookie value.
    void create_session(const std::string& token_hash, long long account_id, const std::string& csrf,
                        long long expires_at);
    std::optional<SessionRecord> find_session(const std::string& token_hash);
    void delete_session(const std::string& token_hash);

    // Partner API tokens. Each token acts as a partner service account (an account of kind
    // 'service' that cannot log in), never as a person. `create_api_token` makes a new service
    // account named after the token; `rotate_api_token` issues a new secret for the same service
    // account and revokes the old one at `old_revoked_at` (now, or after a grace period).
    long long create_service_account(long long district_id, const std::string& name);
    long long create_api_token(const std::string& token_hash, const std::string& name, long long account_id,
                               long long district_id, long long created_by, const std::string& scopes = "",
                               long long expires_at = 0, long long rotated_from = 0);
    std::optional<ApiTokenInfo> api_token(long long id, long long district_id);
    // Tokens not yet revoked (or in their grace period) and not expired.
    std::vector<ApiTokenInfo> api_tokens(long long district_id);
    bool revoke_api_token(long long id, long long district_id, long long at = 0);
    // The active, unexpired token of a service account with this hash.
    std::optional<ApiTokenInfo> token_by_hash(const std::string& token_hash, long long now);
    // Records a use; writes at most once a minute per token.
    void touch_api_token(const ApiTokenInfo& t, long long now);
    // The account an active token acts as (kept for callers that need only the id).
    std::optional<long long> account_for_token(const std::string& token_hash);

    // Refuses (std::runtime_error naming `key_file`) when the master key does not match the key
    // check value stored in the database; stores it on first use.
    void check_master_key(const std::string& key_file);

    // Persons.
    long long create_person(const NewPerson& p);
    // Rewrites person fields stored before they were bound to their row (once, at start);
    // returns how many rows it rewrote.
    long long bind_person_rows();
    std::optional<Person> person(long long id);
    std::vector<Person> persons_by_phone(long long district_id, const std::string& phone);

    // Access log: append inside the same transaction order as the chain; list; verify.
    void append_access(const AccessEntry& e);
    std::vector<AccessEntry> access_log(long long district_id, const std::string& subject_kind,
                                        long long subject_id, int offset, int limit, long long& total);
    // Checks the chain in one consistent snapshot (the head first, then the rows up to it), that
    // the append-only guards (triggers) are in place, and, given an anchor, that its row is still
    // there unchanged.
    AuditReport verify_access_log(const std::optional<AuditAnchorPoint>& anchor = std::nullopt);
    // The head: (last id, last mac).
    std::pair<long long, std::string> access_log_head();

private:
    std::string mac_of(const AccessEntry& e, const std::string& prev_mac) const;
    std::string enc(const std::string& v, const char* ctx) const;
    std::string dec(const std::string& v, const char* ctx) const;

    store::Database& db_;
    const Keyring& keys_;
};

// Normalizes a Korean mobile number to digits ("010-1234-5678", "+82 10 1234 5678" ->
// "01012345678"); empty when it is not one.
std::string normalize_phone(std::string_view s);
// Lower-cases and checks an e-mail address; empty when it is not one.
std::string normalize_email(std::string_view s);

}  // namespace dure::identity
