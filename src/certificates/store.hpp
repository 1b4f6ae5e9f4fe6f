#pragma once
// The certificates a module issues (certificate.hpp), in the `certificates` table (migration
// 0125). A module issues inside its own transaction (issue_in), keyed by `source_ref` so a
// certificate for the same thing is issued once whatever the retries.
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace soci {
class session;
}

namespace dure::certificates {

struct Certificate {
    long long id = 0, account_id = 0, issued_at = 0, revoked_at = 0;
    std::string number, code, kind, title, issuer, holder_masked, detail, source_ref;
};

// What an issuing module gives: `kind` (e.g. "course_completion"), `title` (the course), the
// issuer's name, the holder's masked name (shown on the public check), `detail` (the reason: e.g.
// "4회 중 3회 출석 (수료 기준 3회)"), `source_ref` unique per thing certified (e.g.
// "community_course:12:account:5").
struct Issue {
    long long account_id = 0;
    std::string kind, title, issuer, holder_masked, detail, source_ref;
};

class CertificateStore {
public:
    explicit CertificateStore(store::Database& db) : db_(db) {}

    // Issues in the caller's transaction; the one already issued for `source_ref` otherwise.
    Certificate issue_in(soci::session& s, const Issue& in, long long now);
    // The certificate when number and code match (else nothing: an unknown number and a wrong
    // code look the same).
    std::optional<Certificate> verify(const std::string& number, const std::string& code);
    std::vector<Certificate> of_account(long long account_id);
    std::optional<Certificate> by_source(soci::session& s, const std::string& source_ref);

private:
    store::Database& db_;
};

}  // namespace dure::certificates
