#include "cases/cases.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>

namespace dure::cases {

namespace json = boost::json;
using soci::into;
using soci::use;

namespace {
constexpr const char* kEntryCtx = "case_entries.body";
constexpr const char* kCols =
    "id, district_id, dong_id, household_id, crisis_level, assigned_account_id, opened_by, opened_at, updated_at, "
    "closed_at, stage, outcome, needs";

std::vector<std::string> parse_list(const std::string& text) {
    std::vector<std::string> out;
    auto v = json::parse(text);
    if (v.is_array())
        for (const auto& e : v.as_array())
            if (e.is_string()) out.emplace_back(e.as_string());
    return out;
}
std::string list_text(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return json::serialize(a);
}
}  // namespace

const std::vector<std::string>& stages() {
    static const std::vector<std::string> s = {"intake", "assessment", "plan", "monitoring", "closed"};
    return s;
}
const std::vector<std::string>& outcomes() {
    static const std::vector<std::string> s = {"resolved", "linked_public", "linked_private", "moved",
                                               "refused",  "unreachable",   "died"};
    return s;
}
const std::vector<std::string>& checklist_items() {
    static const std::vector<std::string> s = {"meals", "heating", "medication", "hygiene",
                                               "mobility", "mood", "housing_safety", "utilities"};
    return s;
}
const std::vector<std::string>& need_codes() {
    static const std::vector<std::string> s = {"livelihood", "housing", "employment", "physical_health", "mental_health",
                                               "pregnancy", "childcare", "education", "care", "adoption_foster",
                                               "culture_leisure", "safety_crisis", "legal", "finance", "energy",
                                               "transport_communication"};
    return s;
}

std::optional<std::pair<long long, long long>> CaseStore::household_place(long long household_id) {
    std::optional<std::pair<long long, long long>> out;
    db_.read([&](soci::session& s) {
        long long district = 0, dong = 0;
        soci::indicator ind;
        s << "SELECT district_id, dong_id FROM outreach_households WHERE id = :h", into(district), into(dong, ind),
            use(household_id);
        if (s.got_data()) out = std::make_pair(district, ind == soci::i_ok ? dong : 0LL);
    });
    return out;
}

Case CaseStore::open(long long district_id, long long dong_id, long long household_id, long long assigned, long long by,
                     long long now) {
    Case c;
    c.district_id = district_id;
    c.dong_id = dong_id;
    c.household_id = household_id;
    c.assigned_account_id = assigned;
    c.opened_by = by;
    c.opened_at = c.updated_at = now;
    c.stage = "intake";
    db_.write([&](soci::session& s) {
        long long n = 0;
        s << "SELECT COUNT(*) FROM cases WHERE household_id = :h AND closed_at = 0", into(n), use(household_id);
        if (n) throw Error(ErrorKind::conflict, "the household already has an open case");
        std::string needs = "[]";
        s << "INSERT INTO cases (district_id, dong_id, household_id, stage, needs, assigned_account_id, opened_by, "
             "opened_at, updated_at) VALUES (:d, :g, :h, :s, :n, :a, :b, :o, :u) RETURNING id",
            use(c.district_id), use(c.dong_id), use(c.household_id), use(c.stage), use(needs), use(c.assigned_account_id),
            use(c.opened_by), use(c.opened_at), use(c.updated_at), into(c.id);
        std::string body = keys_.encrypt_row(R"({"stage":"intake"})", kEntryCtx, c.id), kind = "stage";
        s << "INSERT INTO case_entries (case_id, at, by_account, kind, body_enc) VALUES (:c, :a, :b, :k, :e)", use(c.id),
            use(now), use(by), use(kind), use(body);
    });
    return c;
}

namespace {
std::vector<Case> query(store::Database& db, const std::string& where, long long a, long long b) {
    std::vector<Case> out;
    db.read([&](soci::session& s) {
        Case c;
        std::string needs;
        soci::statement st = (s.prepare << std::string("SELECT ") + kCols + " FROM cases WHERE " + where + " ORDER BY id",
                              into(c.id), into(c.district_id), into(c.dong_id), into(c.household_id), into(c.crisis_level),
                              into(c.assigned_account_id), into(c.opened_by), into(c.opened_at), into(c.updated_at),
                              into(c.closed_at), into(c.stage), into(c.outcome), into(needs), use(a), use(b));
        st.execute();
        while (st.fetch()) {
            c.needs = parse_list(needs);
            out.push_back(c);
        }
    });
    return out;
}
}  // namespace

std::optional<Case> CaseStore::get(long long id) {
    auto v = query(db_, "id = :a AND :b = 0", id, 0);
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Case> CaseStore::list(long long district_id, long long dong_id) {
    if (!dong_id) return query(db_, "district_id = :a AND :b = 0", district_id, 0);
    return query(db_, "district_id = :a AND dong_id = :b", district_id, dong_id);
}

void CaseStore::advance(Case& c, const std::string& next, long long crisis_level, const std::vector<std::string>& needs,
                        const std::string& outcome, const std::string& details_json, long long by, long long now) {
    db_.write([&](soci::session& s) {
        std::string current;
        s << "SELECT stage FROM cases WHERE id = :i", into(current), use(c.id);
        if (current != c.stage) throw Error(ErrorKind::conflict, "the case moved meanwhile; reload it");
        if (next == "assessment") {
            c.crisis_level = crisis_level;
            c.needs = needs;
        }
        if (next == "closed") {
            c.outcome = outcome;
            c.closed_at = now;
        }
        c.stage = next;
        c.updated_at = now;
        std::string needs_text = list_text(c.needs);
        s << "UPDATE cases SET stage = :s, crisis_level = :l, needs = :n, outcome = :o, closed_at = :c, updated_at = :u "
             "WHERE id = :i",
            use(c.stage), use(c.crisis_level), use(needs_text), use(c.outcome), use(c.closed_at), use(c.updated_at),
            use(c.id);
        std::string body = keys_.encrypt_row(details_json, kEntryCtx, c.id), kind = "stage";
        s << "INSERT INTO case_entries (case_id, at, by_account, kind, body_enc) VALUES (:c, :a, :b, :k, :e)", use(c.id),
            use(now), use(by), use(kind), use(body);
    });
}

void CaseStore::add_entry(long long case_id, const std::string& kind, const std::string& body_json, long long by,
                          long long now) {
    std::string body = keys_.encrypt_row(body_json, kEntryCtx, case_id);
    db_.write([&](soci::session& s) {
        s << "INSERT INTO case_entries (case_id, at, by_account, kind, body_enc) VALUES (:c, :a, :b, :k, :e)", use(case_id),
            use(now), use(by), use(kind), use(body);
        s << "UPDATE cases SET updated_at = :u WHERE id = :i", use(now), use(case_id);
    });
}

std::vector<Entry> CaseStore::entries(long long case_id) {
    std::vector<Entry> out;
    db_.read([&](soci::session& s) {
        Entry e;
        std::string enc;
        soci::statement st = (s.prepare << "SELECT id, at, by_account, kind, body_enc FROM case_entries WHERE case_id = :c "
                                           "ORDER BY id",
                              into(e.id), into(e.at), into(e.by_account), into(e.kind), into(enc), use(case_id));
        st.execute();
        while (st.fetch()) {
            e.body_json = keys_.decrypt_row(enc, kEntryCtx, case_id);
            out.push_back(e);
        }
    });
    return out;
}

void CaseStore::link_service(long long case_id, const std::string& service_id, const std::string& kind, long long now) {
    db_.write([&](soci::session& s) {
        long long n = 0;
        s << "SELECT COUNT(*) FROM case_services WHERE case_id = :c AND service_id = :s AND kind = :k", into(n), use(case_id),
            use(service_id), use(kind);
        if (!n)
            s << "INSERT INTO case_services (case_id, service_id, kind, added_at) VALUES (:c, :s, :k, :a)", use(case_id),
                use(service_id), use(kind), use(now);
    });
}

std::vector<std::pair<std::string, std::string>> CaseStore::services(long long case_id) {
    std::vector<std::pair<std::string, std::string>> out;
    db_.read([&](soci::session& s) {
        std::string id, kind;
        soci::statement st = (s.prepare << "SELECT service_id, kind FROM case_services WHERE case_id = :c ORDER BY added_at",
                              into(id), into(kind), use(case_id));
        st.execute();
        while (st.fetch()) out.emplace_back(id, kind);
    });
    return out;
}

long long CaseStore::bind_legacy_entries() {
    // Entries written before they were bound to their case ("v1." ciphertexts) are rewritten
    // once, at start (review #19): afterwards an entry copied to another case fails to decrypt.
    long long n = 0;
    db_.write([&](soci::session& s) {
        std::vector<std::pair<long long, long long>> ids;
        std::vector<std::string> bodies;
        long long id = 0, case_id = 0;
        std::string enc;
        soci::statement st = (s.prepare << "SELECT id, case_id, body_enc FROM case_entries WHERE body_enc LIKE 'v1.%'",
                              into(id), into(case_id), into(enc));
        st.execute();
        while (st.fetch()) {
            ids.emplace_back(id, case_id);
            bodies.push_back(enc);
        }
        for (std::size_t i = 0; i < ids.size(); ++i) {
            std::string bound = keys_.encrypt_row(keys_.decrypt(bodies[i], kEntryCtx), kEntryCtx, ids[i].second);
            s << "UPDATE case_entries SET body_enc = :b WHERE id = :i", use(bound), use(ids[i].first);
            ++n;
        }
    });
    return n;
}

void CaseStore::reassign(long long case_id, long long account_id, long long by, long long now) {
    db_.write([&](soci::session& s) {
        s << "UPDATE cases SET assigned_account_id = :a, updated_at = :u WHERE id = :i", use(account_id), use(now), use(case_id);
        std::string body = keys_.encrypt_row("{\"assigned_account_id\":" + std::to_string(account_id) + "}", kEntryCtx,
                                            case_id),
                    kind = "assignment";
        s << "INSERT INTO case_entries (case_id, at, by_account, kind, body_enc) VALUES (:c, :a, :b, :k, :e)", use(case_id),
            use(now), use(by), use(kind), use(body);
    });
}

}  // namespace dure::cases
