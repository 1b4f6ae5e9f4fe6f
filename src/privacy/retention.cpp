#include "privacy/retention.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "common/embedded.hpp"

namespace dure::privacy {

namespace json = boost::json;
using soci::into;
using soci::use;

namespace {

// What the job does for each kind it purges: a count of what is past the cutoff, and the
// statements that purge it (each binds the cutoff once as :c, or takes no parameter).
struct Purger {
    const char* kind;
    const char* count;
    std::vector<const char*> actions;
};

const std::vector<Purger>& purgers() {
    static const std::vector<Purger> p{
        {"inbox_messages", "SELECT COUNT(*) FROM inbox_messages WHERE created_at < :c",
         {"DELETE FROM inbox_messages WHERE created_at < :c"}},
        {"outbox", "SELECT COUNT(*) FROM outbox WHERE status IN ('sent', 'dead') AND created_at < :c",
         {"DELETE FROM outbox WHERE status IN ('sent', 'dead') AND created_at < :c"}},
        {"sessions", "SELECT COUNT(*) FROM sessions WHERE expires_at < :c", {"DELETE FROM sessions WHERE expires_at < :c"}},
        {"idempotency",
         "SELECT COUNT(*) FROM (SELECT created_at FROM outreach_idempotency UNION ALL SELECT created_at FROM "
         "idempotency_keys) k WHERE created_at < :c",
         {"DELETE FROM outreach_idempotency WHERE created_at < :c", "DELETE FROM idempotency_keys WHERE created_at < :c"}},
        {"signal_nonces", "SELECT COUNT(*) FROM signal_nonces WHERE seen_at < :c",
         {"DELETE FROM signal_nonces WHERE seen_at < :c"}},
        {"reporter_contacts",
         "SELECT COUNT(*) FROM outreach_reports WHERE reporter_kind = 'anonymous' AND closed_at > 0 AND closed_at < :c "
         "AND (reporter_contact_enc IS NOT NULL OR reporter_ref_bidx IS NOT NULL)",
         {"UPDATE outreach_reports SET reporter_contact_enc = NULL, reporter_ref_bidx = NULL WHERE reporter_kind = "
          "'anonymous' AND closed_at > 0 AND closed_at < :c"}},
        {"survey_responses", "SELECT COUNT(*) FROM survey_responses WHERE surveyed_at < :c",
         {"DELETE FROM survey_responses WHERE surveyed_at < :c"}},
        {"case_records", "SELECT COUNT(*) FROM cases WHERE closed_at > 0 AND closed_at < :c",
         {"DELETE FROM case_entries WHERE case_id IN (SELECT id FROM cases WHERE closed_at > 0 AND closed_at < :c)",
          "DELETE FROM case_services WHERE case_id IN (SELECT id FROM cases WHERE closed_at > 0 AND closed_at < :c)",
          "DELETE FROM cases WHERE closed_at > 0 AND closed_at < :c"}},
        {"risk_indicators", "SELECT COUNT(*) FROM risk_indicators WHERE imported_at < :c",
         {"DELETE FROM risk_indicators WHERE imported_at < :c",
          // Households no indicator and no screening item refers to any more go too.
          "DELETE FROM risk_households WHERE NOT EXISTS (SELECT 1 FROM risk_indicators i WHERE "
          "i.district_id = risk_households.district_id AND i.household_hash = risk_households.household_hash) "
          "AND NOT EXISTS (SELECT 1 FROM screening_items s WHERE s.household_hash = risk_households.household_hash)"}},
        {"privacy_requests", "SELECT COUNT(*) FROM privacy_requests WHERE decided_at > 0 AND decided_at < :c",
         {"DELETE FROM privacy_requests WHERE decided_at > 0 AND decided_at < :c"}},
    };
    return p;
}

const Purger* purger(std::string_view kind) {
    for (const auto& p : purgers())
        if (kind == p.kind) return &p;
    return nullptr;
}

std::string str(const json::object& o, const char* key, const std::string& kind) {
    auto* v = o.if_contains(key);
    if (!v || !v->is_string() || v->as_string().empty())
        throw std::runtime_error("retention.json: kind '" + kind + "': " + key + " must be a non-empty string");
    return std::string(v->as_string());
}

}  // namespace

Retention Retention::parse(std::string_view text) {
    Retention r;
    auto root = json::parse(text).as_object();
    for (const auto& v : root.at("kinds").as_array()) {
        const auto& o = v.as_object();
        RetentionKind k;
        k.kind = str(o, "kind", "?");
        for (auto [key, out] : {std::pair<const char*, std::string*>{"label_ko", &k.label_ko}, {"label_en", &k.label_en},
                                {"from", &k.from}, {"basis_ko", &k.basis_ko}, {"basis_en", &k.basis_en},
                                {"deletion", &k.deletion}, {"deletion_ko", &k.deletion_ko}})
            *out = str(o, key, k.kind);
        if (k.deletion != "yes" && k.deletion != "no" && k.deletion != "decided")
            throw std::runtime_error("retention.json: kind '" + k.kind + "': deletion must be yes, no or decided");
        if (auto* d = o.if_contains("days"); d && !d->is_null()) {
            if (!d->is_int64() || d->as_int64() < 0)
                throw std::runtime_error("retention.json: kind '" + k.kind + "': days must be a whole number >= 0 or null");
            k.days = d->as_int64();
        }
        if (auto* p = o.if_contains("purge"); p && p->is_bool()) k.purge = p->as_bool();
        if (k.purge && (!k.days || !purger(k.kind)))
            throw std::runtime_error("retention.json: kind '" + k.kind + "' is purged but has no period or no purge");
        if (r.find(k.kind)) throw std::runtime_error("retention.json: kind '" + k.kind + "' twice");
        r.kinds_.push_back(std::move(k));
    }
    for (const auto& p : purgers())
        if (!r.find(p.kind)) throw std::runtime_error(std::string("retention.json: kind '") + p.kind + "' is missing");
    if (!r.find("access_log") || r.find("access_log")->purge)
        throw std::runtime_error("retention.json: the access log must be listed and never purged by this job");
    return r;
}

const Retention& Retention::embedded() {
    static const Retention r = [] {
        auto text = embedded::find("data/privacy/retention.json");
        if (!text) throw std::runtime_error("missing embedded data/privacy/retention.json");
        return parse(*text);
    }();
    return r;
}

const RetentionKind* Retention::find(std::string_view kind) const {
    for (const auto& k : kinds_)
        if (k.kind == kind) return &k;
    return nullptr;
}

std::vector<PurgeCount> purge(store::Database& db, const Retention& r, long long now, bool dry_run) {
    std::vector<PurgeCount> out;
    for (const auto& k : r.kinds()) {
        PurgeCount c{k.kind, 0, !k.purge};
        if (k.purge) {
            const Purger* p = purger(k.kind);
            long long cutoff = now - *k.days * 86400;
            auto run = [&](soci::session& s) {
                s << p->count, into(c.count), use(cutoff, "c");
                if (dry_run || c.count == 0) return;
                for (std::string_view a : p->actions) {
                    if (a.find(":c") == std::string_view::npos) s << a;
                    else s << a, use(cutoff, "c");
                }
            };
            if (dry_run) db.read(run);
            else db.write(run);
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace dure::privacy
