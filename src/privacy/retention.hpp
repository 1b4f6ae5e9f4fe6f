#pragma once
// Retention per kind of record, from ONE configuration (data/privacy/retention.json, compiled
// in), and the purge job that enforces it. The clock is a parameter so the job is tested with a
// clock the test passes in. docs/privacy.md "Retention".
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace dure::privacy {

struct RetentionKind {
    std::string kind, label_ko, label_en, from, basis_ko, basis_en;
    std::optional<long long> days;  // none: not purged by the job
    bool purge = false;             // the purge job enforces `days`
    std::string deletion;           // yes, no, decided: can a deletion request (PIPA art. 36) be granted
    std::string deletion_ko;
};

class Retention {
public:
    // Parses and checks the configuration: every kind the purge job knows is present, every kind
    // marked `purge` has a period and a purge the job knows. Throws std::runtime_error naming the kind.
    static Retention parse(std::string_view json_text);
    static const Retention& embedded();
    const std::vector<RetentionKind>& kinds() const { return kinds_; }
    const RetentionKind* find(std::string_view kind) const;

private:
    std::vector<RetentionKind> kinds_;
};

struct PurgeCount {
    std::string kind;
    long long count = 0;  // rows purged (or that would be, on a dry run)
    bool kept = false;    // not purged by this job (see the kind's basis)
};

// Purges, as of `now` (Unix seconds), every record past its period; one transaction per kind.
// dry_run: counts only. The access log is never touched.
std::vector<PurgeCount> purge(store::Database& db, const Retention& r, long long now, bool dry_run);

}  // namespace dure::privacy
