#include "certificates/store.hpp"

#include <soci/soci.h>

#include "certificates/certificate.hpp"
#include "common/dates.hpp"
#include "identity/crypto.hpp"

namespace dure::certificates {

using soci::into;
using soci::use;

namespace {

constexpr const char* kCols =
    "id, account_id, issued_at, revoked_at, number, code, kind, title, issuer, holder_masked, detail, source_ref";

template <typename P>
std::vector<Certificate> fetch(soci::session& s, const std::string& where, const P& p) {
    std::vector<Certificate> out;
    Certificate c;
    soci::statement st = (s.prepare << std::string("SELECT ") + kCols + " FROM certificates WHERE " + where, into(c.id),
                          into(c.account_id), into(c.issued_at), into(c.revoked_at), into(c.number), into(c.code),
                          into(c.kind), into(c.title), into(c.issuer), into(c.holder_masked), into(c.detail),
                          into(c.source_ref), use(p));
    st.execute();
    while (st.fetch()) out.push_back(c);
    return out;
}

}  // namespace

std::optional<Certificate> CertificateStore::by_source(soci::session& s, const std::string& source_ref) {
    auto v = fetch(s, "source_ref = :r", source_ref);
    if (v.empty()) return std::nullopt;
    return v.front();
}

Certificate CertificateStore::issue_in(soci::session& s, const Issue& in, long long now) {
    if (auto done = by_source(s, in.source_ref)) return *done;
    std::string code = format_code(identity::random_token(10).substr(0, 10));
    long long id = 0;
    std::string pending = "pending:" + in.source_ref;
    s << "INSERT INTO certificates (number, code, kind, title, issuer, holder_masked, detail, source_ref, account_id, "
         "issued_at, revoked_at) VALUES (:n, :c, :k, :t, :i, :h, :d, :r, :a, :at, 0) RETURNING id",
        use(pending), use(code), use(in.kind), use(in.title), use(in.issuer), use(in.holder_masked), use(in.detail),
        use(in.source_ref), use(in.account_id), use(now), into(id);
    int year = std::stoi(kst(now).substr(0, 4));
    std::string number = certificate_number(id, year);
    s << "UPDATE certificates SET number = :n WHERE id = :i", use(number), use(id);
    return *by_source(s, in.source_ref);
}

std::optional<Certificate> CertificateStore::verify(const std::string& number, const std::string& code) {
    std::vector<Certificate> v;
    db_.read([&](soci::session& s) { v = fetch(s, "number = :n", number); });
    if (v.empty() || !codes_match(v.front().code, code)) return std::nullopt;
    return v.front();
}

std::vector<Certificate> CertificateStore::of_account(long long account_id) {
    std::vector<Certificate> v;
    db_.read([&](soci::session& s) { v = fetch(s, "account_id = :a ORDER BY id DESC", account_id); });
    return v;
}

}  // namespace dure::certificates
