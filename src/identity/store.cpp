#include "identity/store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cctype>

#include "common/error.hpp"

namespace dure::identity {

using soci::into;
using soci::use;

namespace {

const char* kCtxEmail = "accounts.email";
const char* kCtxPhone = "accounts.phone";
const char* kCtxName = "accounts.name";
const char* kCtxPersonName = "persons.name";
const char* kCtxPersonPhone = "persons.phone";
const char* kCtxPersonBirth = "persons.birth_date";
const char* kCtxPersonAddress = "persons.address";
const char* kCtxPersonRrn = "persons.rrn";

std::string scope_name(soci::session& s, ScopeKind kind, long long id) {
    std::string name;
    soci::indicator ind = soci::i_null;
    switch (kind) {
        case ScopeKind::district: s << "SELECT name_ko FROM districts WHERE id = :i", into(name, ind), use(id); break;
        case ScopeKind::dong: s << "SELECT name_ko FROM dongs WHERE id = :i", into(name, ind), use(id); break;
        case ScopeKind::organization:
            s << "SELECT name FROM organizations WHERE id = :i", into(name, ind), use(id);
            break;
    }
    return ind == soci::i_ok ? name : std::string();
}

std::vector<Grant> load_grants(soci::session& s, long long account_id) {
    std::vector<Grant> out;
    long long id = 0, scope_id = 0, district_id = 0;
    std::string role, kind;
    soci::statement st = (s.prepare << "SELECT id, role, scope_kind, scope_id, district_id FROM role_grants "
                                       "WHERE account_id = :a AND revoked_at IS NULL ORDER BY id",
                          into(id), into(role), into(kind), into(scope_id), into(district_id), use(account_id));
    st.execute();
    while (st.fetch()) {
        auto r = parse_role(role);
        auto k = parse_scope_kind(kind);
        if (!r || !k) continue;
        out.push_back({id, *r, *k, scope_id, district_id, {}});
    }
    for (auto& g : out) g.scope_name = scope_name(s, g.scope_kind, g.scope_id);
    return out;
}

}  // namespace

std::string normalize_phone(std::string_view in) {
    std::string d;
    for (char c : in) {
        if (std::isdigit(static_cast<unsigned char>(c))) d += c;
        else if (c != '-' && c != ' ' && c != '+' && c != '(' && c != ')' && c != '.') return {};
    }
    if (d.starts_with("82") && in.find('+') != std::string_view::npos) d = "0" + d.substr(2);
    if (d.size() < 10 || d.size() > 11 || !d.starts_with("01")) return {};
    if (std::string_view("016789").find(d[2]) == std::string_view::npos) return {};
    return d;
}

std::string normalize_email(std::string_view in) {
    std::string e;
    for (char c : in) e += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (e.size() > 254) return {};
    auto at = e.find('@');
    if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) return {};
    auto domain = e.substr(at + 1);
    auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || domain.back() == '.' || domain.find("..") != std::string::npos)
        return {};
    for (unsigned char c : e)
        if (c <= ' ' || c == 0x7F || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\')
            return {};
    return e;
}

std::string IdentityStore::enc(const std::string& v, const char* ctx) const {
    return keys_.encrypt(v, ctx);
}
std::string IdentityStore::dec(const std::string& v, const char* ctx) const {
    return keys_.decrypt(v, ctx);
}

std::vector<District> IdentityStore::districts() {
    std::vector<District> out;
    db_.read([&](soci::session& s) {
        District d;
        soci::statement st = (s.prepare << "SELECT id, code, name_ko, name_en FROM districts ORDER BY id",
                              into(d.id), into(d.code), into(d.name_ko), into(d.name_en));
        st.execute();
        while (st.fetch()) out.push_back(d);
        Dong g;
        soci::statement st2 = (s.prepare << "SELECT id, district_id, code, name_ko, name_en FROM dongs ORDER BY id",
                               into(g.id), into(g.district_id), into(g.code), into(g.name_ko), into(g.name_en));
        st2.execute();
        while (st2.fetch())
            for (auto& dd : out)
                if (dd.id == g.district_id) dd.dongs.push_back(g);
    });
    return out;
}

std::optional<District> IdentityStore::district_by_code(const std::string& code) {
    for (auto& d : districts())
        if (d.code == code) return d;
    return std::nullopt;
}

long long IdentityStore::create_district(const std::string& code, const std::string& ko, const std::string& en) {
    long long id = 0, now = store::now_unix();
    db_.write([&](soci::session& s) {
        s << "INSERT INTO districts (code, name_ko, name_en, created_at) VALUES (:c, :k, :e, :t) RETURNING id",
            use(code), use(ko), use(en), use(now), into(id);
    });
    return id;
}

long long IdentityStore::create_dong(long long district_id, const std::string& code, const std::string& ko,
                                     const std::string& en) {
    long long id = 0;
    db_.write([&](soci::session& s) {
        s << "INSERT INTO dongs (district_id, code, name_ko, name_en) VALUES (:d, :c, :k, :e) RETURNING id",
            use(district_id), use(code), use(ko), use(en), into(id);
    });
    return id;
}

long long IdentityStore::create_organization(long long district_id, long long dong_id, const std::string& kind,
                                             const std::string& name) {
    long long id = 0, now = store::now_unix();
    soci::indicator dong_ind = dong_id ? soci::i_ok : soci::i_null;
    db_.write([&](soci::session& s) {
        s << "INSERT INTO organizations (district_id, dong_id, kind, name, created_at) VALUES (:d, :g, :k, :n, :t) "
             "RETURNING id",
            use(district_id), use(dong_id, dong_ind), use(kind), use(name), use(now), into(id);
    });
    return id;
}

long long IdentityStore::organization_for_catalog(const std::string& catalog_organization_id) {
    long long id = 0;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT MIN(id) FROM organizations WHERE catalog_organization_id = :c", into(id, ind),
            use(catalog_organization_id);
    });
    return ind == soci::i_ok ? id : 0;
}

void IdentityStore::link_organization(long long id, const std::string& catalog_organization_id) {
    db_.write([&](soci::session& s) {
        s << "UPDATE organizations SET catalog_organization_id = :c WHERE id = :i", use(catalog_organization_id),
            use(id);
    });
}

std::vector<Organization> IdentityStore::organizations(long long district_id) {
    std::vector<Organization> out;
    db_.read([&](soci::session& s) {
        Organization o;
        soci::indicator dong = soci::i_null;
        soci::statement st = (s.prepare << "SELECT id, district_id, dong_id, kind, name FROM organizations "
                                           "WHERE district_id = :d ORDER BY name, id",
                              into(o.id), into(o.district_id), into(o.dong_id, dong), into(o.kind), into(o.name),
                              use(district_id));
        st.execute();
        while (st.fetch()) {
            if (dong != soci::i_ok) o.dong_id = 0;
            out.push_back(o);
        }
    });
    return out;
}

long long IdentityStore::organization_by_name(long long district_id, const std::string& name) {
    long long id = 0;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT MIN(id) FROM organizations WHERE district_id = :d AND name = :n", into(id, ind), use(district_id),
            use(name);
    });
    return ind == soci::i_ok ? id : 0;
}

long long IdentityStore::district_of_dong(long long dong_id) {
    long long d = 0;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) { s << "SELECT district_id FROM dongs WHERE id = :i", into(d, ind), use(dong_id); });
    return ind == soci::i_ok ? d : 0;
}

long long IdentityStore::district_of_organization(long long org_id) {
    long long d = 0;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT district_id FROM organizations WHERE id = :i", into(d, ind), use(org_id);
    });
    return ind == soci::i_ok ? d : 0;
}

bool IdentityStore::district_exists(long long id) {
    long long n = 0;
    db_.read([&](soci::session& s) { s << "SELECT COUNT(*) FROM districts WHERE id = :i", into(n), use(id); });
    return n > 0;
}

std::optional<LoginRecord> IdentityStore::find_login(const std::string& login) {
    bool email = login.find('@') != std::string::npos;
    std::string bidx = keys_.blind_index(login, email ? kCtxEmail : kCtxPhone);
    LoginRecord r;
    long long disabled = 0;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) {
        std::string sql = std::string("SELECT id, password_hash, failed_logins, locked_until, disabled FROM accounts "
                                      "WHERE ") +
                          (email ? "email_bidx" : "phone_bidx") + " = :b";
        s << sql, into(r.account_id, ind), into(r.password_hash), into(r.failed_logins), into(r.locked_until),
            into(disabled), use(bidx);
    });
    if (ind != soci::i_ok) return std::nullopt;
    r.disabled = disabled != 0;
    return r;
}

long long IdentityStore::create_account(long long district_id, const std::string& email, const std::string& phone,
                                        const std::string& name, const std::string& password_hash) {
    std::string ebidx = email.empty() ? "" : keys_.blind_index(email, kCtxEmail);
    std::string pbidx = phone.empty() ? "" : keys_.blind_index(phone, kCtxPhone);
    std::string eenc = email.empty() ? "" : enc(email, kCtxEmail);
    std::string penc = phone.empty() ? "" : enc(phone, kCtxPhone);
    std::string nenc = enc(name, kCtxName);
    soci::indicator ei = email.empty() ? soci::i_null : soci::i_ok;
    soci::indicator pi = phone.empty() ? soci::i_null : soci::i_ok;
    long long id = 0, now = store::now_unix();
    db_.write([&](soci::session& s) {
        long long taken = 0;
        s << "SELECT COUNT(*) FROM accounts WHERE email_bidx = :e OR phone_bidx = :p", into(taken), use(ebidx),
            use(pbidx);
        if (taken > 0) throw Error(ErrorKind::conflict, "an account with this login already exists");
        s << "INSERT INTO accounts (district_id, email_bidx, email_enc, phone_bidx, phone_enc, name_enc, "
             "password_hash, created_at) VALUES (:d, :eb, :ee, :pb, :pe, :n, :h, :t) RETURNING id",
            use(district_id), use(ebidx, ei), use(eenc, ei), use(pbidx, pi), use(penc, pi), use(nenc),
            use(password_hash), use(now), into(id);
        std::string role(to_string(Role::resident)), kind(to_string(ScopeKind::district));
        s << "INSERT INTO role_grants (account_id, role, scope_kind, scope_id, district_id, granted_at) "
             "VALUES (:a, :r, :k, :s, :d, :t)",
            use(id), use(role), use(kind), use(district_id), use(district_id), use(now);
    });
    return id;
}

void IdentityStore::set_password(long long account_id, const std::string& password_hash) {
    db_.write([&](soci::session& s) {
        s << "UPDATE accounts SET password_hash = :h, failed_logins = 0, locked_until = 0 WHERE id = :i",
            use(password_hash), use(account_id);
    });
}

std::optional<Account> IdentityStore::account(long long id) {
    Account a;
    std::string name_enc, email_enc, phone_enc;
    soci::indicator found = soci::i_null, ei = soci::i_null, pi = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT id, district_id, name_enc, email_enc, phone_enc FROM accounts WHERE id = :i", into(a.id, found),
            into(a.district_id), into(name_enc), into(email_enc, ei), into(phone_enc, pi), use(id);
        if (found == soci::i_ok) a.grants = load_grants(s, id);
    });
    if (found != soci::i_ok) return std::nullopt;
    a.name = dec(name_enc, kCtxName);
    if (ei == soci::i_ok) a.email = dec(email_enc, kCtxEmail);
    if (pi == soci::i_ok) a.phone = dec(phone_enc, kCtxPhone);
    return a;
}

std::vector<StaffMember> IdentityStore::staff_in(soci::session& s, const Keyring& keys, long long district_id,
                                                 long long dong_id, const std::vector<std::string>& roles) {
    std::vector<StaffMember> out;
    StaffMember m;
    std::string kind, name_enc, email_enc, phone_enc;
    soci::indicator ei = soci::i_null, pi = soci::i_null;
    soci::statement st =
        (s.prepare << "SELECT g.account_id, g.role, g.scope_kind, a.name_enc, a.email_enc, a.phone_enc FROM role_grants g "
                      "JOIN accounts a ON a.id = g.account_id WHERE g.district_id = :d AND g.revoked_at IS NULL AND "
                      "a.disabled = 0 AND ((g.scope_kind = 'dong' AND g.scope_id = :g) OR (g.scope_kind = 'district' AND "
                      "g.scope_id = :d2)) ORDER BY g.account_id, g.role",
         into(m.account_id), into(m.role), into(kind), into(name_enc), into(email_enc, ei), into(phone_enc, pi),
         use(district_id), use(dong_id), use(district_id));
    st.execute();
    while (st.fetch()) {
        if (std::find(roles.begin(), roles.end(), m.role) == roles.end()) continue;
        StaffMember x = m;
        x.district_wide = kind == "district";
        x.name = keys.decrypt(name_enc, kCtxName);
        x.email = ei == soci::i_ok && !email_enc.empty() ? keys.decrypt(email_enc, kCtxEmail) : "";
        x.phone = pi == soci::i_ok && !phone_enc.empty() ? keys.decrypt(phone_enc, kCtxPhone) : "";
        out.push_back(std::move(x));
    }
    return out;
}

std::optional<StaffMember> IdentityStore::contact_in(soci::session& s, const Keyring& keys, long long account_id) {
    StaffMember m;
    std::string name_enc, email_enc, phone_enc;
    soci::indicator found = soci::i_null, ei = soci::i_null, pi = soci::i_null;
    s << "SELECT id, name_enc, email_enc, phone_enc FROM accounts WHERE id = :i AND disabled = 0", into(m.account_id, found),
        into(name_enc), into(email_enc, ei), into(phone_enc, pi), use(account_id);
    if (found != soci::i_ok) return std::nullopt;
    m.name = keys.decrypt(name_enc, kCtxName);
    m.email = ei == soci::i_ok && !email_enc.empty() ? keys.decrypt(email_enc, kCtxEmail) : "";
    m.phone = pi == soci::i_ok && !phone_enc.empty() ? keys.decrypt(phone_enc, kCtxPhone) : "";
    return m;
}

std::vector<StaffMember> IdentityStore::staff(long long district_id, long long dong_id, const std::vector<std::string>& roles) {
    std::vector<StaffMember> out;
    db_.read([&](soci::session& s) { out = staff_in(s, keys_, district_id, dong_id, roles); });
    return out;
}

std::vector<Account> IdentityStore::accounts(long long district_id, const std::string& login, int offset, int limit,
                                             long long& total) {
    std::vector<long long> ids;
    db_.read([&](soci::session& s) {
        long long id = 0, off = offset, lim = limit;
        if (login.empty()) {
            s << "SELECT COUNT(*) FROM accounts WHERE district_id = :d", into(total), use(district_id);
            soci::statement st = (s.prepare << "SELECT id FROM accounts WHERE district_id = :d ORDER BY id "
                                               "LIMIT :l OFFSET :o",
                                  into(id), use(district_id), use(lim), use(off));
            st.execute();
            while (st.fetch()) ids.push_back(id);
        } else {
            bool email = login.find('@') != std::string::npos;
            std::string bidx = keys_.blind_index(login, email ? kCtxEmail : kCtxPhone);
            std::string col = email ? "email_bidx" : "phone_bidx";
            soci::indicator ind = soci::i_null;
            s << "SELECT id FROM accounts WHERE district_id = :d AND " + col + " = :b", into(id, ind),
                use(district_id), use(bidx);
            total = ind == soci::i_ok ? 1 : 0;
            if (ind == soci::i_ok && offset == 0) ids.push_back(id);
        }
    });
    std::vector<Account> out;
    for (long long id : ids)
        if (auto a = account(id)) out.push_back(std::move(*a));
    return out;
}

long long IdentityStore::record_failed_login(long long account_id, long long now, int max_failures,
                                             long long lock_seconds) {
    long long locked_until = 0;
    db_.write([&](soci::session& s) {
        long long failures = 0;
        s << "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = :i", use(account_id);
        s << "SELECT failed_logins FROM accounts WHERE id = :i", into(failures), use(account_id);
        if (failures >= max_failures) {
            locked_until = now + lock_seconds;
            s << "UPDATE accounts SET locked_until = :u, failed_logins = 0 WHERE id = :i", use(locked_until),
                use(account_id);
        }
    });
    return locked_until;
}

void IdentityStore::record_successful_login(long long account_id) {
    db_.write([&](soci::session& s) {
        s << "UPDATE accounts SET failed_logins = 0, locked_until = 0 WHERE id = :i AND "
             "(failed_logins <> 0 OR locked_until <> 0)",
            use(account_id);
    });
}

std::vector<Grant> IdentityStore::grants(long long account_id) {
    std::vector<Grant> out;
    db_.read([&](soci::session& s) { out = load_grants(s, account_id); });
    return out;
}

long long IdentityStore::add_grant(long long account_id, Role role, ScopeKind kind, long long scope_id,
                                   long long district_id, long long granted_by) {
    long long id = 0, now = store::now_unix();
    std::string r(to_string(role)), k(to_string(kind));
    db_.write([&](soci::session& s) {
        long long existing = 0;
        soci::indicator ind = soci::i_null;
        s << "SELECT id FROM role_grants WHERE account_id = :a AND role = :r AND scope_kind = :k AND scope_id = :s "
             "AND revoked_at IS NULL",
            into(existing, ind), use(account_id), use(r), use(k), use(scope_id);
        if (ind == soci::i_ok) {
            id = existing;  // granting twice is a no-op, not an error
            return;
        }
        s << "INSERT INTO role_grants (account_id, role, scope_kind, scope_id, district_id, granted_by, granted_at) "
             "VALUES (:a, :r, :k, :s, :d, :b, :t) RETURNING id",
            use(account_id), use(r), use(k), use(scope_id), use(district_id), use(granted_by), use(now), into(id);
    });
    return id;
}

bool IdentityStore::revoke_grant(long long account_id, long long grant_id, long long revoked_by) {
    long long n = 0, now = store::now_unix();
    db_.write([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM role_grants WHERE id = :g AND account_id = :a AND revoked_at IS NULL", into(n),
            use(grant_id), use(account_id);
        if (n == 0) return;
        s << "UPDATE role_grants SET revoked_at = :t, revoked_by = :b WHERE id = :g", use(now), use(revoked_by),
            use(grant_id);
    });
    return n > 0;
}

std::optional<Grant> IdentityStore::grant(long long grant_id) {
    long long account_id = 0;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT account_id FROM role_grants WHERE id = :g AND revoked_at IS NULL", into(account_id, ind),
            use(grant_id);
    });
    if (ind != soci::i_ok) return std::nullopt;
    for (auto& g : grants(account_id))
        if (g.id == grant_id) return g;
    return std::nullopt;
}

void IdentityStore::create_session(const std::string& token_hash, long long account_id, const std::string& csrf,
                                   long long expires_at) {
    long long now = store::now_unix();
    db_.write([&](soci::session& s) {
        s << "DELETE FROM sessions WHERE expires_at < :n", use(now);
        s << "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at) VALUES (:h, :a, :c, "
             ":t, :e)",
            use(token_hash), use(account_id), use(csrf), use(now), use(expires_at);
    });
}

std::optional<SessionRecord> IdentityStore::find_session(const std::string& token_hash) {
    SessionRecord r;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT s.account_id, s.csrf_token, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id "
             "WHERE s.token_hash = :h AND a.disabled = 0",
            into(r.account_id, ind), into(r.csrf_token), into(r.expires_at), use(token_hash);
    });
    if (ind != soci::i_ok) return std::nullopt;
    return r;
}

void IdentityStore::delete_session(const std::string& token_hash) {
    db_.write([&](soci::session& s) { s << "DELETE FROM sessions WHERE token_hash = :h", use(token_hash); });
}

long long IdentityStore::create_service_account(long long district_id, const std::string& name) {
    long long id = 0, now = store::now_unix();
    std::string name_enc = enc(name, kCtxName);
    db_.write([&](soci::session& s) {
        // No e-mail, no phone and an unusable password hash: nobody can log in as it.
        s << "INSERT INTO accounts (district_id, name_enc, password_hash, kind, created_at) VALUES (:d, :n, '!', "
             "'service', :t) RETURNING id",
            use(district_id), use(name_enc), use(now), into(id);
    });
    return id;
}

long long IdentityStore::create_api_token(const std::string& token_hash, const std::string& name,
                                          long long account_id, long long district_id, long long created_by,
                                          const std::string& scopes, long long expires_at, long long rotated_from) {
    long long id = 0, now = store::now_unix();
    soci::indicator ri = rotated_from ? soci::i_ok : soci::i_null;
    db_.write([&](soci::session& s) {
        s << "INSERT INTO api_tokens (token_hash, name, account_id, district_id, created_by, created_at, scopes, "
             "expires_at, rotated_from) VALUES (:h, :n, :a, :d, :b, :t, :s, :e, :r) RETURNING id",
            use(token_hash), use(name), use(account_id), use(district_id), use(created_by), use(now), use(scopes),
            use(expires_at), use(rotated_from, ri), into(id);
    });
    return id;
}

namespace {
const char* kTokenColumns =
    "SELECT t.id, t.name, t.account_id, t.created_at, t.last_used_at, t.scopes, t.expires_at, t.revoked_at, "
    "t.district_id FROM api_tokens t ";
}

std::optional<ApiTokenInfo> IdentityStore::api_token(long long id, long long district_id) {
    std::optional<ApiTokenInfo> out;
    db_.read([&](soci::session& s) {
        ApiTokenInfo t;
        soci::indicator lu = soci::i_null, rv = soci::i_null, found = soci::i_null;
        s << std::string(kTokenColumns) + "WHERE t.id = :i AND t.district_id = :d", into(t.id, found), into(t.name),
            into(t.account_id), into(t.created_at), into(t.last_used_at, lu), into(t.scopes), into(t.expires_at),
            into(t.revoked_at, rv), into(t.district_id), use(id), use(district_id);
        if (found != soci::i_ok) return;
        if (lu != soci::i_ok) t.last_used_at = 0;
        if (rv != soci::i_ok) t.revoked_at = 0;
        out = t;
    });
    return out;
}

std::vector<ApiTokenInfo> IdentityStore::api_tokens(long long district_id) {
    std::vector<ApiTokenInfo> out;
    long long now = store::now_unix();
    db_.read([&](soci::session& s) {
        ApiTokenInfo t;
        soci::indicator lu = soci::i_null, rv = soci::i_null;
        soci::statement st =
            (s.prepare << std::string(kTokenColumns) +
                              "WHERE t.district_id = :d AND (t.revoked_at IS NULL OR t.revoked_at > :n) "
                              "AND t.expires_at > :n2 ORDER BY t.id",
             into(t.id), into(t.name), into(t.account_id), into(t.created_at), into(t.last_used_at, lu),
             into(t.scopes), into(t.expires_at), into(t.revoked_at, rv), into(t.district_id), use(district_id),
             use(now), use(now));
        st.execute();
        while (st.fetch()) {
            if (lu != soci::i_ok) t.last_used_at = 0;
            if (rv != soci::i_ok) t.revoked_at = 0;
            out.push_back(t);
        }
    });
    return out;
}

bool IdentityStore::revoke_api_token(long long id, long long district_id, long long at) {
    long long n = 0, now = store::now_unix();
    if (at <= 0) at = now;
    db_.write([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM api_tokens WHERE id = :i AND district_id = :d AND (revoked_at IS NULL OR "
             "revoked_at > :n)",
            into(n), use(id), use(district_id), use(now);
        if (n) s << "UPDATE api_tokens SET revoked_at = :t WHERE id = :i", use(at), use(id);
    });
    return n > 0;
}

std::optional<ApiTokenInfo> IdentityStore::token_by_hash(const std::string& token_hash, long long now) {
    std::optional<ApiTokenInfo> out;
    db_.read([&](soci::session& s) {
        ApiTokenInfo t;
        soci::indicator lu = soci::i_null, rv = soci::i_null, found = soci::i_null;
        s << std::string(kTokenColumns) +
                 "JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = :h AND (t.revoked_at IS NULL OR "
                 "t.revoked_at > :n) AND t.expires_at > :n2 AND a.disabled = 0 AND a.kind = 'service'",
            into(t.id, found), into(t.name), into(t.account_id), into(t.created_at), into(t.last_used_at, lu),
            into(t.scopes), into(t.expires_at), into(t.revoked_at, rv), into(t.district_id), use(token_hash),
            use(now), use(now);
        if (found != soci::i_ok) return;
        if (lu != soci::i_ok) t.last_used_at = 0;
        if (rv != soci::i_ok) t.revoked_at = 0;
        out = t;
    });
    return out;
}

void IdentityStore::touch_api_token(const ApiTokenInfo& t, long long now) {
    if (t.last_used_at > now - 60) return;  // cheap: one write a minute per token at most
    db_.write([&](soci::session& s) {
        s << "UPDATE api_tokens SET last_used_at = :n WHERE id = :i", use(now), use(t.id);
    });
}

std::optional<long long> IdentityStore::account_for_token(const std::string& token_hash) {
    auto t = token_by_hash(token_hash, store::now_unix());
    if (!t) return std::nullopt;
    return t->account_id;
}

void IdentityStore::check_master_key(const std::string& key_file) {
    std::string kcv = keys_.blind_index("dure-key-check", "key_check");
    std::string stored;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) { s << "SELECT kcv FROM key_check WHERE id = 1", into(stored, ind); });
    if (ind == soci::i_ok) {
        if (!secure_equals(stored, kcv))
            throw std::runtime_error("the master key in " + key_file +
                                     " does not match this database (its key check value differs): data written "
                                     "with it could not be read back. Use the key file this database was created "
                                     "with (see docs/operations.md, \"Keys\")");
        return;
    }
    long long now = store::now_unix();
    db_.write([&](soci::session& s) {
        long long n = 0;
        s << "SELECT COUNT(*) FROM key_check", into(n);
        if (n == 0) s << "INSERT INTO key_check (id, kcv, created_at) VALUES (1, :k, :t)", use(kcv), use(now);
    });
    check_master_key(key_file);  // a concurrent first start may have stored its own value
}

long long IdentityStore::create_person(const NewPerson& p) {
    std::string bidx = p.phone.empty() ? "" : keys_.blind_index(p.phone, kCtxPersonPhone);
    long long id = 0, now = store::now_unix();
    db_.write([&](soci::session& s) {
        // The personal fields are bound to the row (Keyring::encrypt_row), so the row is inserted
        // first and its fields written under its id, in the same transaction.
        s << "INSERT INTO persons (district_id, dong_id, name_enc, created_by, created_at, updated_at) VALUES (:d, "
             ":g, '', :c, :t, :u) RETURNING id",
            use(p.district_id), use(p.dong_id), use(p.created_by), use(now), use(now), into(id);
        auto opt = [&](const std::string& v, const char* ctx) {
            return v.empty() ? std::string() : keys_.encrypt_row(v, ctx, id);
        };
        std::string name = keys_.encrypt_row(p.name, kCtxPersonName, id), phone = opt(p.phone, kCtxPersonPhone),
                    birth = opt(p.birth_date, kCtxPersonBirth), addr = opt(p.address, kCtxPersonAddress),
                    rrn = opt(p.rrn, kCtxPersonRrn);
        auto ind = [](const std::string& v) { return v.empty() ? soci::i_null : soci::i_ok; };
        soci::indicator pi = ind(phone), bi = ind(birth), ai = ind(addr), ri = ind(rrn);
        s << "UPDATE persons SET name_enc = :n, phone_enc = :p, phone_bidx = :pb, birth_date_enc = :b, address_enc = "
             ":a, rrn_enc = :r WHERE id = :i",
            use(name), use(phone, pi), use(bidx, pi), use(birth, bi), use(addr, ai), use(rrn, ri), use(id);
    });
    return id;
}

long long IdentityStore::bind_person_rows() {
    // Rows written before the fields were bound to their row ("v1." ciphertexts) are rewritten
    // once, at start: afterwards every person field is read with decrypt_row only.
    struct Legacy {
        long long id;
        std::string cols[5];
        soci::indicator ind[5];
    };
    static const char* kCols[5] = {"name_enc", "phone_enc", "birth_date_enc", "address_enc", "rrn_enc"};
    static const char* kCtx[5] = {kCtxPersonName, kCtxPersonPhone, kCtxPersonBirth, kCtxPersonAddress, kCtxPersonRrn};
    long long n = 0;
    db_.write([&](soci::session& s) {
        std::vector<Legacy> rows;
        Legacy r{};
        soci::statement st =
            (s.prepare << "SELECT id, name_enc, phone_enc, birth_date_enc, address_enc, rrn_enc FROM persons WHERE "
                          "name_enc LIKE 'v1.%' OR phone_enc LIKE 'v1.%' OR birth_date_enc LIKE 'v1.%' OR address_enc "
                          "LIKE 'v1.%' OR rrn_enc LIKE 'v1.%'",
             into(r.id), into(r.cols[0], r.ind[0]), into(r.cols[1], r.ind[1]), into(r.cols[2], r.ind[2]),
             into(r.cols[3], r.ind[3]), into(r.cols[4], r.ind[4]));
        st.execute();
        while (st.fetch()) rows.push_back(r);
        for (auto& row : rows) {
            for (int c = 0; c < 5; ++c) {
                if (row.ind[c] != soci::i_ok || !row.cols[c].starts_with("v1.")) continue;
                std::string bound = keys_.encrypt_row(keys_.decrypt(row.cols[c], kCtx[c]), kCtx[c], row.id);
                s << "UPDATE persons SET " + std::string(kCols[c]) + " = :v WHERE id = :i", use(bound), use(row.id);
            }
            ++n;
        }
    });
    return n;
}

std::optional<Person> IdentityStore::person(long long id) {
    Person p;
    std::string name, phone, birth, addr, rrn;
    soci::indicator found = soci::i_null, pi = soci::i_null, bi = soci::i_null, ai = soci::i_null, ri = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT id, district_id, dong_id, name_enc, phone_enc, birth_date_enc, address_enc, rrn_enc, created_at "
             "FROM persons WHERE id = :i",
            into(p.id, found), into(p.district_id), into(p.dong_id), into(name), into(phone, pi), into(birth, bi),
            into(addr, ai), into(rrn, ri), into(p.created_at), use(id);
    });
    if (found != soci::i_ok) return std::nullopt;
    p.name = keys_.decrypt_row(name, kCtxPersonName, id);
    if (pi == soci::i_ok) p.phone = keys_.decrypt_row(phone, kCtxPersonPhone, id);
    if (bi == soci::i_ok) p.birth_date = keys_.decrypt_row(birth, kCtxPersonBirth, id);
    if (ai == soci::i_ok) p.address = keys_.decrypt_row(addr, kCtxPersonAddress, id);
    if (ri == soci::i_ok) p.rrn = keys_.decrypt_row(rrn, kCtxPersonRrn, id);
    return p;
}

std::vector<Person> IdentityStore::persons_by_phone(long long district_id, const std::string& phone) {
    std::string bidx = keys_.blind_index(phone, kCtxPersonPhone);
    std::vector<long long> ids;
    db_.read([&](soci::session& s) {
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT id FROM persons WHERE district_id = :d AND phone_bidx = :b "
                                           "ORDER BY id LIMIT 50",
                              into(id), use(district_id), use(bidx));
        st.execute();
        while (st.fetch()) ids.push_back(id);
    });
    std::vector<Person> out;
    for (long long id : ids)
        if (auto p = person(id)) out.push_back(std::move(*p));
    return out;
}

std::string IdentityStore::mac_of(const AccessEntry& e, const std::string& prev_mac) const {
    const char sep = '\x1f';
    std::string data = prev_mac + sep + std::to_string(e.id) + sep + std::to_string(e.at) + sep +
                       std::to_string(e.actor_account_id) + sep + std::to_string(e.district_id) + sep + e.subject_kind +
                       sep + std::to_string(e.subject_id) + sep + e.action + sep + e.fields + sep + e.reason + sep +
                       e.request_id;
    return keys_.audit_mac(data);
}

void IdentityStore::append_access(const AccessEntry& in) {
    db_.write([&](soci::session& s) {
        long long last_id = 0;
        std::string last_mac;
        std::string lock = db_.dialect() == store::Dialect::postgresql ? " FOR UPDATE" : "";
        s << "SELECT last_id, last_mac FROM access_log_head WHERE id = 1" + lock, into(last_id), into(last_mac);
        AccessEntry e = in;
        e.id = last_id + 1;
        if (e.at <= 0) e.at = store::now_unix();  // every row carries its real time
        std::string mac = mac_of(e, last_mac);
        s << "INSERT INTO access_log (id, at, actor_account_id, district_id, subject_kind, subject_id, action, fields, "
             "reason, request_id, prev_mac, mac) VALUES (:i, :at, :ac, :d, :sk, :si, :a, :f, :r, :q, :p, :m)",
            use(e.id), use(e.at), use(e.actor_account_id), use(e.district_id), use(e.subject_kind), use(e.subject_id),
            use(e.action), use(e.fields), use(e.reason), use(e.request_id), use(last_mac), use(mac);
        s << "UPDATE access_log_head SET last_id = :i, last_mac = :m WHERE id = 1", use(e.id), use(mac);
    });
}

std::vector<AccessEntry> IdentityStore::access_log(long long district_id, const std::string& subject_kind,
                                                   long long subject_id, int offset, int limit, long long& total) {
    std::vector<AccessEntry> out;
    db_.read([&](soci::session& s) {
        std::string where = " WHERE district_id = :d";
        if (!subject_kind.empty()) where += " AND subject_kind = :k AND subject_id = :s";
        long long off = offset, lim = limit;
        AccessEntry e;
        if (subject_kind.empty()) {
            s << "SELECT COUNT(*) FROM access_log" + where, into(total), use(district_id);
        } else {
            s << "SELECT COUNT(*) FROM access_log" + where, into(total), use(district_id), use(subject_kind),
                use(subject_id);
        }
        std::string sql = "SELECT id, at, actor_account_id, district_id, subject_kind, subject_id, action, fields, "
                          "reason, request_id FROM access_log" +
                          where + " ORDER BY id DESC LIMIT :l OFFSET :o";
        auto run = [&](soci::statement& st) {
            st.execute();
            while (st.fetch()) out.push_back(e);
        };
        if (subject_kind.empty()) {
            soci::statement st = (s.prepare << sql, into(e.id), into(e.at), into(e.actor_account_id),
                                  into(e.district_id), into(e.subject_kind), into(e.subject_id), into(e.action),
                                  into(e.fields), into(e.reason), into(e.request_id), use(district_id), use(lim),
                                  use(off));
            run(st);
        } else {
            soci::statement st = (s.prepare << sql, into(e.id), into(e.at), into(e.actor_account_id),
                                  into(e.district_id), into(e.subject_kind), into(e.subject_id), into(e.action),
                                  into(e.fields), into(e.reason), into(e.request_id), use(district_id),
                                  use(subject_kind), use(subject_id), use(lim), use(off));
            run(st);
        }
    });
    return out;
}

std::pair<long long, std::string> IdentityStore::access_log_head() {
    std::pair<long long, std::string> h;
    db_.read([&](soci::session& s) {
        s << "SELECT last_id, last_mac FROM access_log_head WHERE id = 1", into(h.first), into(h.second);
    });
    return h;
}

AuditReport IdentityStore::verify_access_log(const std::optional<AuditAnchorPoint>& anchor) {
    AuditReport rep;
    bool pg = db_.dialect() == store::Dialect::postgresql;
    db_.read([&](soci::session& s) {
        // One snapshot: the head and the rows are read in one transaction (REPEATABLE READ on
        // PostgreSQL; a read transaction on SQLite), and the scan stops at the head, so a read
        // served meanwhile never looks like a missing tail.
        soci::transaction tr(s);
        if (pg) s << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
        long long last_id = 0;
        std::string last_mac;
        s << "SELECT last_id, last_mac FROM access_log_head WHERE id = 1", into(last_id), into(last_mac);
        rep.head_id = last_id;
        rep.head_mac = last_mac;

        // The append-only guards must still be there (dropping one is how a row gets deleted).
        long long guards = 0;
        if (pg) {
            s << "SELECT COUNT(*) FROM pg_trigger t JOIN pg_proc f ON f.oid = t.tgfoid "
                 "WHERE t.tgrelid = 'access_log'::regclass AND t.tgenabled <> 'D' "
                 "AND t.tgname IN ('access_log_no_change', 'access_log_no_truncate') "
                 "AND f.prosrc LIKE '%RAISE EXCEPTION%'",
                into(guards);
        } else {
            s << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'access_log' "
                 "AND name IN ('access_log_no_update', 'access_log_no_delete') AND sql LIKE '%RAISE(ABORT%'",
                into(guards);
        }
        if (guards != 2)
            rep.problems.push_back("the append-only triggers of access_log were dropped or changed (" +
                                   std::to_string(guards) + " of 2 in place)");

        AccessEntry e;
        std::string prev_mac, mac;
        soci::statement st =
            (s.prepare << "SELECT id, at, actor_account_id, district_id, subject_kind, subject_id, action, fields, "
                          "reason, request_id, prev_mac, mac FROM access_log WHERE id <= :h ORDER BY id",
             into(e.id), into(e.at), into(e.actor_account_id), into(e.district_id), into(e.subject_kind),
             into(e.subject_id), into(e.action), into(e.fields), into(e.reason), into(e.request_id), into(prev_mac),
             into(mac), use(last_id));
        st.execute();
        std::string expected_prev = "genesis";
        long long expected_id = 1;
        bool anchor_seen = false;
        while (st.fetch()) {
            ++rep.rows;
            if (e.id != expected_id)
                rep.problems.push_back("rows " + std::to_string(expected_id) + ".." + std::to_string(e.id - 1) +
                                       " are missing (deleted)");
            if (prev_mac != expected_prev)
                rep.problems.push_back("row " + std::to_string(e.id) + ": chain broken (the row before it was changed "
                                       "or deleted)");
            if (mac_of(e, prev_mac) != mac)
                rep.problems.push_back("row " + std::to_string(e.id) + ": contents do not match its MAC (edited)");
            if (anchor && e.id == anchor->last_id) {
                anchor_seen = true;
                if (mac != anchor->last_mac)
                    rep.problems.push_back("row " + std::to_string(e.id) +
                                           " differs from the signed checkpoint (rewritten)");
            }
            expected_prev = mac;
            expected_id = e.id + 1;
        }
        if (last_id != expected_id - 1 || last_mac != expected_prev)
            rep.problems.push_back("the newest rows up to " + std::to_string(last_id) +
                                   " are missing or changed (head does not match the last row)");
        long long beyond = 0;
        s << "SELECT COUNT(*) FROM access_log WHERE id > :h", into(beyond), use(last_id);
        if (beyond > 0)
            rep.problems.push_back(std::to_string(beyond) + " rows lie beyond the head " + std::to_string(last_id) +
                                   " (the head was moved back)");
        if (anchor && anchor->last_id > 0 && !anchor_seen)
            rep.problems.push_back("rows up to " + std::to_string(anchor->last_id) +
                                   " were in the log at the last signed checkpoint and are missing now (the tail "
                                   "was cut or the log emptied); the database has " +
                                   std::to_string(rep.rows) + " rows up to " + std::to_string(last_id));
        tr.commit();
    });
    return rep;
}

}  // namespace dure::identity
