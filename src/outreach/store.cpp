#include "outreach/store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "outreach/normalize.hpp"
#include "outreach/triage.hpp"

namespace dure::outreach {

using soci::into;
using soci::use;

namespace {

// Integers and our own enum names are the only values ever spliced into SQL text.
std::string num(long long v) {
    return std::to_string(v);
}

std::string join(const std::vector<std::string>& v, char sep) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : std::string(1, sep)) + s;
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
        auto end = s.find(sep, start);
        if (end == std::string::npos) end = s.size();
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// Appends the signs of `more` that `signs` lacks, keeping first-seen order.
std::string union_signs(const std::string& signs, const std::vector<std::string>& more) {
    auto all = split(signs, ',');
    for (const auto& m : more)
        if (std::find(all.begin(), all.end(), m) == all.end()) all.push_back(m);
    return join(all, ',');
}

std::string dong_clause(const std::vector<long long>& dongs, bool all_dongs, std::optional<long long> one) {
    if (one) return *one ? " AND dong_id = " + num(*one) : " AND dong_id IS NULL";
    if (all_dongs) return "";
    if (dongs.empty()) return " AND 1 = 0";
    std::string in;
    for (auto d : dongs) in += (in.empty() ? "" : ",") + num(d);
    return " AND dong_id IN (" + in + ")";
}

// A nullable integer column: 0 stands for NULL.
struct NullableId {
    long long value = 0;
    soci::indicator ind = soci::i_null;
    explicit NullableId(long long v = 0) : value(v), ind(v ? soci::i_ok : soci::i_null) {}
    long long get() const { return ind == soci::i_ok ? value : 0; }
};

// A nullable ciphertext column: empty stands for NULL.
struct NullableText {
    std::string value;
    soci::indicator ind = soci::i_null;
    NullableText() = default;
    explicit NullableText(std::string v)
        : value(std::move(v)), ind(value.empty() ? soci::i_null : soci::i_ok) {}
    std::string get() const { return ind == soci::i_ok ? value : std::string(); }
};

const char* kGatekeeperColumns =
    "id, district_id, dong_id, account_id, kind, occupation, organization, name_enc, phone_enc, "
    "training_date, "
    "agreement_date, active, created_at, updated_at";

const char* kHouseholdColumns =
    "id, district_id, dong_id, status, priority, due_at, contacted_at, assigned_to, assigned_at, closed_at, "
    "outcome, "
    "signs, report_count, first_report_at, last_report_at, merged_into, updated_at, address_enc, place_enc, "
    "name_enc, phone_enc, (SELECT COUNT(*) FROM outreach_suggestions x WHERE x.household_id = "
    "outreach_households.id AND x.status = 'pending')";

// One households row as read, before decryption.
struct HouseholdRow {
    Household h;
    std::string status, priority;
    NullableId dong, assigned, merged;
    std::string signs;
    NullableText address, place, name, phone;
};

template <class Fn>
void select_households(soci::session& s, const std::string& tail, Fn&& each) {
    HouseholdRow r;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kHouseholdColumns + " FROM outreach_households " + tail,
         into(r.h.id), into(r.h.district_id), into(r.dong.value, r.dong.ind), into(r.status),
         into(r.priority), into(r.h.state.due_at), into(r.h.state.contacted_at),
         into(r.assigned.value, r.assigned.ind), into(r.h.assigned_at), into(r.h.state.closed_at),
         into(r.h.state.outcome), into(r.signs), into(r.h.report_count), into(r.h.first_report_at),
         into(r.h.last_report_at), into(r.merged.value, r.merged.ind), into(r.h.updated_at),
         into(r.address.value, r.address.ind), into(r.place.value, r.place.ind),
         into(r.name.value, r.name.ind), into(r.phone.value, r.phone.ind), into(r.h.pending_suggestions));
    st.execute();
    while (st.fetch()) {
        r.h.dong_id = r.dong.get();
        r.h.state.assigned_to = r.assigned.get();
        r.h.merged_into = r.merged.get();
        r.h.state.status = parse_household_status(r.status).value_or(HouseholdStatus::new_);
        r.h.state.priority = parse_urgency(r.priority).value_or(Urgency::normal);
        r.h.signs = split(r.signs, ',');
        each(r);
    }
}

void lock_district(soci::session& s, store::Dialect dialect, long long district_id) {
    // Two reports about one new household arriving together must not both create it. SQLite has
    // one writer; PostgreSQL serialises intake per district with a transaction-scoped lock.
    if (dialect == store::Dialect::postgresql)
        s << "SELECT pg_advisory_xact_lock(8008, " + num(district_id % 2147483647) + ")";
}

void lock_household(soci::session& s, store::Dialect dialect, long long id) {
    long long found = 0;
    std::string lock = dialect == store::Dialect::postgresql ? " FOR UPDATE" : "";
    s << "SELECT id FROM outreach_households WHERE id = :i" + lock, into(found), use(id);
    if (!found) throw Error(ErrorKind::not_found, "no such household");
}

void write_state(soci::session& s, long long id, const TriageState& n, long long assigned_at, long long now) {
    std::string status(to_string(n.status)), priority(to_string(n.priority)), outcome = n.outcome;
    long long rank_v = rank(n.priority);
    NullableId assigned(n.assigned_to);
    s << "UPDATE outreach_households SET status = :s, priority = :p, priority_rank = :r, due_at = :d, "
         "contacted_at = :c, assigned_to = :a, assigned_at = :aa, closed_at = :ca, outcome = :o, updated_at "
         "= :u "
         "WHERE id = :i",
        use(status), use(priority), use(rank_v), use(n.due_at), use(n.contacted_at),
        use(assigned.value, assigned.ind), use(assigned_at), use(n.closed_at), use(outcome), use(now),
        use(id);
}

void add_event(soci::session& s, long long household_id, long long district_id, const HouseholdEvent& e,
               const std::string& note_enc) {
    NullableId actor(e.actor_account_id), report(e.report_id);
    NullableText note(note_enc);
    std::string kind = e.kind, detail = e.detail;
    s << "INSERT INTO outreach_events (household_id, district_id, at, kind, actor_account_id, report_id, "
         "detail, "
         "note_enc) VALUES (:h, :d, :a, :k, :ac, :r, :de, :n)",
        use(household_id), use(district_id), use(e.at), use(kind), use(actor.value, actor.ind),
        use(report.value, report.ind), use(detail), use(note.value, note.ind);
}

void add_key(soci::session& s, long long household_id, long long district_id, const char* kind,
             const std::string& bidx) {
    if (bidx.empty()) return;
    std::string k = kind;
    s << "INSERT INTO outreach_household_keys (household_id, district_id, kind, bidx) VALUES (:h, :d, :k, "
         ":b) "
         "ON CONFLICT DO NOTHING",
        use(household_id), use(district_id), use(k), use(bidx);
}

}  // namespace

std::string new_receipt_no(long long now) {
    static const char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static const std::string kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    auto date = seoul_date(std::chrono::system_clock::time_point(std::chrono::seconds(now)));
    std::string out = date.substr(2, 2) + date.substr(5, 2) + date.substr(8, 2) + "-";
    // Each base64url letter carries 6 random bits; the low 5 pick a letter without bias.
    for (char c : identity::random_token(7).substr(0, 7)) out += kAlphabet[kB64.find(c) & 31];
    return out;
}

std::string OutreachStore::enc(const std::string& v, const char* column) const {
    return v.empty() ? std::string() : keys_.encrypt(v, column);
}

std::string OutreachStore::dec(const std::string& v, const char* column) const {
    return v.empty() ? std::string() : keys_.decrypt(v, column);
}

// --- Gatekeepers ----------------------------------------------------------------------------

long long OutreachStore::create_gatekeeper(const Gatekeeper& g, long long by, long long now) {
    std::string kind(to_string(g.kind)), name = enc(g.name, "outreach_gatekeepers.name_enc");
    NullableText phone(enc(g.phone, "outreach_gatekeepers.phone_enc"));
    NullableText phone_bidx(g.phone.empty() ? "" : keys_.blind_index(g.phone, kPhoneIndex));
    NullableId dong(g.dong_id), account(g.account_id), creator(by);
    long long active = g.active ? 1 : 0, id = 0;
    db_.write([&](soci::session& s) {
        if (g.account_id) {
            long long taken = 0;
            s << "SELECT COUNT(*) FROM outreach_gatekeepers WHERE account_id = :a", into(taken),
                use(g.account_id);
            if (taken)
                throw Error(
                    ErrorKind::validation, "this account is registered as a gatekeeper already",
                    {{"account_id", "already_registered", "this account already has a registry entry"}});
        }
        s << "INSERT INTO outreach_gatekeepers (district_id, dong_id, account_id, kind, occupation, "
             "organization, "
             "name_enc, phone_enc, phone_bidx, training_date, agreement_date, active, created_by, "
             "created_at, "
             "updated_at) VALUES (:d, :g, :a, :k, :o, :org, :n, :p, :pb, :t, :ag, :ac, :cb, :c, :u) "
             "RETURNING id",
            use(g.district_id), use(dong.value, dong.ind), use(account.value, account.ind), use(kind),
            use(g.occupation), use(g.organization), use(name), use(phone.value, phone.ind),
            use(phone_bidx.value, phone_bidx.ind), use(g.training_date), use(g.agreement_date), use(active),
            use(creator.value, creator.ind), use(now), use(now), into(id);
    });
    return id;
}

namespace {

std::vector<Gatekeeper> select_gatekeepers(
    soci::session& s, const std::string& tail,
    const std::function<std::string(const std::string&, const char*)>& dec) {
    std::vector<Gatekeeper> out;
    Gatekeeper g;
    NullableId dong, account;
    std::string kind, name;
    NullableText phone;
    long long active = 0;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kGatekeeperColumns + " FROM outreach_gatekeepers " + tail,
         into(g.id), into(g.district_id), into(dong.value, dong.ind), into(account.value, account.ind),
         into(kind), into(g.occupation), into(g.organization), into(name), into(phone.value, phone.ind),
         into(g.training_date), into(g.agreement_date), into(active), into(g.created_at), into(g.updated_at));
    st.execute();
    while (st.fetch()) {
        g.dong_id = dong.get();
        g.account_id = account.get();
        g.kind = parse_gatekeeper_kind(kind).value_or(GatekeeperKind::honorary_officer);
        g.name = dec(name, "outreach_gatekeepers.name_enc");
        g.phone = dec(phone.get(), "outreach_gatekeepers.phone_enc");
        g.active = active != 0;
        out.push_back(g);
    }
    return out;
}

}  // namespace

std::optional<Gatekeeper> OutreachStore::gatekeeper(long long id) {
    std::vector<Gatekeeper> found;
    db_.read([&](soci::session& s) {
        found = select_gatekeepers(s, "WHERE id = " + num(id), [this](auto& v, auto c) { return dec(v, c); });
    });
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::optional<Gatekeeper> OutreachStore::gatekeeper_for_account(long long account_id) {
    std::vector<Gatekeeper> found;
    db_.read([&](soci::session& s) {
        found = select_gatekeepers(s, "WHERE account_id = " + num(account_id),
                                   [this](auto& v, auto c) { return dec(v, c); });
    });
    if (found.empty()) return std::nullopt;
    return found.front();
}

Page<Gatekeeper> OutreachStore::gatekeepers(long long district_id, const std::vector<long long>& dongs,
                                            bool all_dongs, int offset, int limit) {
    Page<Gatekeeper> page;
    std::string where =
        "WHERE district_id = " + num(district_id) + dong_clause(dongs, all_dongs, std::nullopt);
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_gatekeepers " + where, into(page.total);
        page.items =
            select_gatekeepers(s, where + " ORDER BY id LIMIT " + num(limit) + " OFFSET " + num(offset),
                               [this](auto& v, auto c) { return dec(v, c); });
    });
    return page;
}

void OutreachStore::update_gatekeeper(const Gatekeeper& g, long long now) {
    std::string kind(to_string(g.kind)), name = enc(g.name, "outreach_gatekeepers.name_enc");
    NullableText phone(enc(g.phone, "outreach_gatekeepers.phone_enc"));
    NullableText phone_bidx(g.phone.empty() ? "" : keys_.blind_index(g.phone, kPhoneIndex));
    NullableId dong(g.dong_id);
    long long active = g.active ? 1 : 0;
    db_.write([&](soci::session& s) {
        s << "UPDATE outreach_gatekeepers SET dong_id = :g, kind = :k, occupation = :o, organization = :org, "
             "name_enc = :n, phone_enc = :p, phone_bidx = :pb, training_date = :t, agreement_date = :ag, "
             "active = :ac, updated_at = :u WHERE id = :i",
            use(dong.value, dong.ind), use(kind), use(g.occupation), use(g.organization), use(name),
            use(phone.value, phone.ind), use(phone_bidx.value, phone_bidx.ind), use(g.training_date),
            use(g.agreement_date), use(active), use(now), use(g.id);
    });
}

ReportCounts OutreachStore::gatekeeper_report_counts(long long gatekeeper_id) {
    ReportCounts c;
    db_.read([&](soci::session& s) {
        long long closed_at = 0;
        std::string status;
        soci::statement st =
            (s.prepare << "SELECT r.closed_at, h.status FROM outreach_reports r JOIN "
                          "outreach_households h ON h.id = r.household_id WHERE r.gatekeeper_id = :g",
             into(closed_at), into(status), use(gatekeeper_id));
        st.execute();
        while (st.fetch()) {
            switch (
                report_status(parse_household_status(status).value_or(HouseholdStatus::new_), closed_at)) {
                case ReportStatus::received:
                    ++c.received;
                    break;
                case ReportStatus::under_review:
                    ++c.under_review;
                    break;
                case ReportStatus::closed:
                    ++c.closed;
                    break;
            }
        }
    });
    return c;
}

// --- Reports --------------------------------------------------------------------------------

namespace {

// The household a report is about, if one is known: the same phone number, else the same
// address unless both sides carry names and none of them agree.
long long match_household(soci::session& s, long long district_id, long long only_dong_id,
                          const std::string& phone_bidx, const std::string& address_bidx,
                          const std::string& name_bidx) {
    auto candidates = [&](const char* kind, const std::string& bidx) {
        std::vector<long long> ids;
        long long id = 0;
        std::string k = kind;
        std::string sql =
            "SELECT k.household_id FROM outreach_household_keys k JOIN outreach_households h ON "
            "h.id = k.household_id WHERE k.district_id = :d AND k.kind = :k AND k.bidx = :b AND "
            "h.status <> 'merged'";
        // Households of no known dong wait in the district's queue for the official who learns where
        // they live: a dong official's report may join them (and so place them in that dong).
        if (only_dong_id) sql += " AND (h.dong_id = " + num(only_dong_id) + " OR h.dong_id IS NULL)";
        sql += " ORDER BY k.household_id DESC LIMIT 20";
        soci::statement st = (s.prepare << sql, into(id), use(district_id), use(k), use(bidx));
        st.execute();
        while (st.fetch()) ids.push_back(id);
        return ids;
    };
    if (!phone_bidx.empty())
        if (auto ids = candidates("phone", phone_bidx); !ids.empty()) return ids.front();
    if (address_bidx.empty()) return 0;
    for (long long id : candidates("address", address_bidx)) {
        if (name_bidx.empty()) return id;
        long long names = 0, same = 0;
        s << "SELECT COUNT(*) FROM outreach_household_keys WHERE household_id = :h AND kind = 'name'",
            into(names), use(id);
        s << "SELECT COUNT(*) FROM outreach_household_keys WHERE household_id = :h AND kind = 'name' AND "
             "bidx = :b",
            into(same), use(id), use(name_bidx);
        if (names == 0 || same > 0) return id;
    }
    return 0;
}

}  // namespace

FilingResult OutreachStore::file(const std::vector<NewReport>& reports, const std::string& idempotency_key,
                                 long long now,
                                 const std::function<std::string(const std::vector<FiledReport>&)>& respond,
                                 const std::string& request_hash) {
    FilingResult result;
    if (reports.empty()) return result;
    long long district_id = reports.front().district_id;
    db_.write([&](soci::session& s) {
        lock_district(s, db_.dialect(), district_id);
        if (!idempotency_key.empty()) {
            std::string stored, stored_hash;
            soci::indicator ind = soci::i_null, hind = soci::i_null;
            s << "SELECT response, request_hash FROM outreach_idempotency WHERE key_hash = :k",
                into(stored, ind), into(stored_hash, hind), use(idempotency_key);
            if (ind == soci::i_ok) {
                if (hind == soci::i_ok && !request_hash.empty() && stored_hash != request_hash)
                    throw Error(ErrorKind::validation,
                                "this Idempotency-Key was used for a different request; use a new key",
                                {{"Idempotency-Key", "key_reused",
                                  "the key answered another request body before"}});
                result.response = stored;
                result.replayed = true;
                return;
            }
        }
        for (const auto& r : reports) {
            FiledReport f;
            f.received_at = r.received_at ? r.received_at : now;
            // Channels normalise phones already; a caller that did not still matches.
            auto phone_norm = normalize_any_phone(r.subject_phone);
            if (phone_norm.empty()) phone_norm = r.subject_phone;
            std::string phone_bidx = phone_norm.empty() ? "" : keys_.blind_index(phone_norm, kPhoneIndex);
            auto address_norm = normalize_address(r.address);
            auto name_norm = normalize_name(r.subject_name);
            std::string address_bidx =
                address_norm.empty() ? "" : keys_.blind_index(address_norm, kAddressIndex);
            std::string name_bidx = name_norm.empty() ? "" : keys_.blind_index(name_norm, kNameIndex);
            f.household_id = match_household(s, r.district_id, r.match_in_dong_only ? r.dong_id : 0, phone_bidx,
                                             address_bidx, name_bidx);
            f.merged = f.household_id != 0;
            bool verified = r.verified || r.reporter_kind == ReporterKind::staff;
            HouseholdRow row;
            if (f.merged) {
                select_households(s, "WHERE id = " + num(f.household_id),
                                  [&](const HouseholdRow& x) { row = x; });
                // An unverified report never reopens a closed household: it opens a new one that
                // follows the old (an official may merge them), so the urgency reaches the queue at
                // once and the closed record stays as the official left it.
                if (!verified && row.h.state.status == HouseholdStatus::closed) {
                    f.follows_household_id = f.household_id;
                    f.household_id = 0;
                    f.merged = false;
                }
            }

            NullableText address(enc(r.address, "outreach_households.address_enc")),
                place(enc(r.place, "outreach_households.place_enc")),
                name(enc(r.subject_name, "outreach_households.name_enc")),
                phone(enc(r.subject_phone, "outreach_households.phone_enc"));
            NullableId dong(r.dong_id);
            std::string signs = join(r.signs, ',');
            bool add_keys = true;
            if (!f.merged) {
                auto effect = apply_report(TriageState{}, r.urgency, f.received_at);
                std::string status(to_string(effect.state.status)),
                    priority(to_string(effect.state.priority));
                long long rank_v = rank(effect.state.priority);
                s << "INSERT INTO outreach_households (district_id, dong_id, status, priority, "
                     "priority_rank, due_at, "
                     "signs, address_enc, place_enc, name_enc, phone_enc, report_count, first_report_at, "
                     "last_report_at, created_at, updated_at) VALUES (:d, :g, :s, :p, :r, :due, :sg, :a, "
                     ":pl, :n, :ph, "
                     "1, :f, :l, :c, :u) RETURNING id",
                    use(r.district_id), use(dong.value, dong.ind), use(status), use(priority), use(rank_v),
                    use(effect.state.due_at), use(signs), use(address.value, address.ind),
                    use(place.value, place.ind), use(name.value, name.ind), use(phone.value, phone.ind),
                    use(f.received_at), use(f.received_at), use(now), use(now), into(f.household_id);
                f.household_reports = 1;
                if (f.follows_household_id) {
                    add_event(s, f.household_id, r.district_id,
                              {0, now, "follows", 0, 0, "household:" + num(f.follows_household_id), ""}, "");
                    add_event(s, f.follows_household_id, r.district_id,
                              {0, now, "followed_by", 0, 0, "household:" + num(f.household_id), ""}, "");
                }
            } else if (verified) {
                auto effect = apply_report(row.h.state, r.urgency, f.received_at);
                f.reopened = effect.reopened;
                write_state(s, f.household_id, effect.state, row.h.assigned_at, now);
                // The latest report's details replace what the household showed; what it lacks is kept.
                std::string all_signs = union_signs(row.signs, r.signs);
                long long first = std::min(row.h.first_report_at, f.received_at);
                long long last = std::max(row.h.last_report_at, f.received_at);
                NullableId new_dong(row.h.dong_id ? row.h.dong_id : r.dong_id);
                s << "UPDATE outreach_households SET dong_id = :g, signs = :sg, report_count = report_count "
                     "+ 1, "
                     "first_report_at = :f, last_report_at = :l, "
                     "address_enc = COALESCE(:a, address_enc), place_enc = COALESCE(:pl, place_enc), "
                     "name_enc = COALESCE(:n, name_enc), phone_enc = COALESCE(:ph, phone_enc) WHERE id = :i",
                    use(new_dong.value, new_dong.ind), use(all_signs), use(first), use(last),
                    use(address.value, address.ind), use(place.value, place.ind), use(name.value, name.ind),
                    use(phone.value, phone.ind), use(f.household_id);
                f.household_reports = row.h.report_count + 1;
                if (f.reopened)
                    add_event(s, f.household_id, r.district_id, {0, now, "reopened", 0, 0, "", ""}, "");
            } else {
                // Unverified: a signal on the timeline. The deadline may come forward while nobody
                // has reached the household yet; everything else becomes a suggestion.
                add_keys = false;
                TriageState n = row.h.state;
                bool awaiting = n.status == HouseholdStatus::new_ || n.status == HouseholdStatus::assigned;
                // A registered gatekeeper (trained, under agreement, named) may raise the priority.
                bool known = r.gatekeeper_id != 0 && rank(r.urgency) > rank(n.priority);
                if (known) n.priority = r.urgency;
                if (awaiting) {
                    long long due = f.received_at + response_window_seconds(r.urgency);
                    n.due_at = n.due_at ? std::min(n.due_at, due) : due;
                }
                if (awaiting || known) write_state(s, f.household_id, n, row.h.assigned_at, now);
                std::string all_signs = union_signs(row.signs, r.signs);
                long long first = std::min(row.h.first_report_at, f.received_at);
                long long last = std::max(row.h.last_report_at, f.received_at);
                NullableId new_dong(row.h.dong_id ? row.h.dong_id : r.dong_id);
                s << "UPDATE outreach_households SET dong_id = :g, signs = :sg, report_count = report_count "
                     "+ 1, first_report_at = :f, last_report_at = :l WHERE id = :i",
                    use(new_dong.value, new_dong.ind), use(all_signs), use(first), use(last),
                    use(f.household_id);
                f.household_reports = row.h.report_count + 1;
                struct Wish {
                    const char* field;
                    std::string value;
                };
                std::vector<Wish> wishes;
                auto differs = [&](const NullableText& stored, const char* column, const std::string& v,
                                   auto norm) {
                    if (v.empty()) return false;
                    auto old = dec(stored.get(), column);
                    return norm(old) != norm(v);
                };
                auto same = [](const std::string& x) { return x; };
                auto phone_of = [](const std::string& x) {
                    auto n = normalize_any_phone(x);
                    return n.empty() ? x : n;
                };
                if (differs(row.name, "outreach_households.name_enc", r.subject_name,
                            [](const std::string& x) { return normalize_name(x); }))
                    wishes.push_back({"name", r.subject_name});
                if (differs(row.address, "outreach_households.address_enc", r.address,
                            [](const std::string& x) { return normalize_address(x); }))
                    wishes.push_back({"address", r.address});
                if (differs(row.place, "outreach_households.place_enc", r.place, same))
                    wishes.push_back({"place", r.place});
                if (differs(row.phone, "outreach_households.phone_enc", r.subject_phone, phone_of))
                    wishes.push_back({"phone", r.subject_phone});
                if (rank(r.urgency) > rank(n.priority))
                    wishes.push_back({"priority", std::string(to_string(r.urgency))});
                if (n.status == HouseholdStatus::contacted) wishes.push_back({"status", "new"});
                for (const auto& w : wishes) {
                    std::string field = w.field, value = keys_.encrypt(w.value, "outreach_suggestions.value_enc");
                    s << "INSERT INTO outreach_suggestions (household_id, district_id, report_id, field, value_enc, "
                         "status, created_at) VALUES (:h, :d, NULL, :f, :v, 'pending', :c)",
                        use(f.household_id), use(r.district_id), use(field), use(value), use(f.received_at);
                }
                f.suggestions = static_cast<int>(wishes.size());
            }
            if (add_keys) {
                add_key(s, f.household_id, r.district_id, "phone", phone_bidx);
                add_key(s, f.household_id, r.district_id, "address", address_bidx);
                add_key(s, f.household_id, r.district_id, "name", name_bidx);
            }

            for (int attempt = 0;; ++attempt) {
                f.receipt_no = new_receipt_no(now);
                long long taken = 0;
                s << "SELECT COUNT(*) FROM outreach_reports WHERE receipt_no = :r", into(taken),
                    use(f.receipt_no);
                if (!taken) break;
                if (attempt > 5) throw std::runtime_error("could not draw a free receipt number");
            }
            std::string channel(to_string(r.channel)), reporter_kind(to_string(r.reporter_kind)),
                urgency(to_string(r.urgency));
            NullableId reporter(r.reporter_account_id), gatekeeper(r.gatekeeper_id), creator(r.created_by);
            NullableText ref(
                r.reporter_ref.empty() ? "" : keys_.blind_index(r.reporter_ref, "outreach.reporter_ref")),
                contact(enc(r.reporter_contact, "outreach_reports.reporter_contact_enc")),
                raddress(enc(r.address, "outreach_reports.address_enc")),
                rplace(enc(r.place, "outreach_reports.place_enc")),
                rname(enc(r.subject_name, "outreach_reports.subject_name_enc")),
                rphone(enc(r.subject_phone, "outreach_reports.subject_phone_enc")),
                external(enc(r.external_ref, "outreach_reports.external_ref_enc"));
            std::string concern = enc(r.concern, "outreach_reports.concern_enc");
            s << "INSERT INTO outreach_reports (receipt_no, district_id, dong_id, household_id, channel, "
                 "reporter_kind, reporter_account_id, gatekeeper_id, reporter_ref_bidx, "
                 "reporter_contact_enc, urgency, "
                 "signs, address_enc, place_enc, subject_name_enc, subject_phone_enc, concern_enc, "
                 "external_ref_enc, "
                 "received_at, created_by, created_at) VALUES (:rn, :d, :g, :h, :ch, :rk, :ra, :gk, :rf, "
                 ":rc, :u, "
                 ":sg, :a, :pl, :n, :ph, :c, :x, :ra2, :cb, :ca) RETURNING id",
                use(f.receipt_no), use(r.district_id), use(dong.value, dong.ind), use(f.household_id),
                use(channel), use(reporter_kind), use(reporter.value, reporter.ind),
                use(gatekeeper.value, gatekeeper.ind), use(ref.value, ref.ind),
                use(contact.value, contact.ind), use(urgency), use(signs), use(raddress.value, raddress.ind),
                use(rplace.value, rplace.ind), use(rname.value, rname.ind), use(rphone.value, rphone.ind),
                use(concern), use(external.value, external.ind), use(f.received_at),
                use(creator.value, creator.ind), use(now), into(f.report_id);
            add_event(s, f.household_id, r.district_id, {0, f.received_at, "report", 0, f.report_id, "", ""},
                      "");
            if (f.suggestions)
                s << "UPDATE outreach_suggestions SET report_id = :r WHERE household_id = :h AND report_id IS NULL",
                    use(f.report_id), use(f.household_id);
            result.filed.push_back(f);
        }
        result.response = respond(result.filed);
        if (!idempotency_key.empty()) {
            NullableText rh(request_hash);
            s << "INSERT INTO outreach_idempotency (key_hash, district_id, response, created_at, request_hash) "
                 "VALUES (:k, :d, :r, :c, :h)",
                use(idempotency_key), use(district_id), use(result.response), use(now), use(rh.value, rh.ind);
        }
    });
    return result;
}

Page<OwnReport> OutreachStore::own_reports(long long account_id, int offset, int limit) {
    Page<OwnReport> page;
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_reports WHERE reporter_account_id = :a", into(page.total),
            use(account_id);
        OwnReport o;
        std::string channel, urgency, status;
        NullableId dong;
        long long closed_at = 0, lim = limit, off = offset;
        soci::statement st =
            (s.prepare << "SELECT r.receipt_no, r.received_at, r.channel, r.urgency, r.closed_at, r.dong_id, "
                          "h.status "
                          "FROM outreach_reports r JOIN outreach_households h ON h.id = r.household_id "
                          "WHERE r.reporter_account_id = :a ORDER BY r.id DESC LIMIT :l OFFSET :o",
             into(o.receipt_no), into(o.received_at), into(channel), into(urgency), into(closed_at),
             into(dong.value, dong.ind), into(status), use(account_id), use(lim), use(off));
        st.execute();
        while (st.fetch()) {
            o.channel = parse_channel(channel).value_or(Channel::web);
            o.urgency = parse_urgency(urgency).value_or(Urgency::normal);
            o.status =
                report_status(parse_household_status(status).value_or(HouseholdStatus::new_), closed_at);
            o.dong_id = dong.get();
            page.items.push_back(o);
        }
    });
    return page;
}

// --- Households -----------------------------------------------------------------------------

std::optional<Household> OutreachStore::household(long long id, bool personal) {
    std::optional<Household> out;
    db_.read([&](soci::session& s) {
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& r) {
            out = r.h;
            if (!personal) return;
            out->address = dec(r.address.get(), "outreach_households.address_enc");
            out->place = dec(r.place.get(), "outreach_households.place_enc");
            out->name = dec(r.name.get(), "outreach_households.name_enc");
            out->phone = dec(r.phone.get(), "outreach_households.phone_enc");
        });
    });
    return out;
}

std::vector<Report> OutreachStore::reports_of(long long household_id) {
    std::vector<Report> out;
    db_.read([&](soci::session& s) {
        Report r;
        std::string channel, kind, urgency, signs, concern;
        NullableId dong, reporter, gatekeeper;
        NullableText contact, address, place, name, phone, external;
        soci::statement st =
            (s.prepare
                 << "SELECT id, receipt_no, district_id, dong_id, household_id, channel, reporter_kind, "
                    "reporter_account_id, gatekeeper_id, reporter_contact_enc, urgency, signs, address_enc, "
                    "place_enc, subject_name_enc, subject_phone_enc, concern_enc, external_ref_enc, "
                    "received_at, "
                    "closed_at FROM outreach_reports WHERE household_id = :h ORDER BY received_at, id",
             into(r.id), into(r.receipt_no), into(r.district_id), into(dong.value, dong.ind),
             into(r.household_id), into(channel), into(kind), into(reporter.value, reporter.ind),
             into(gatekeeper.value, gatekeeper.ind), into(contact.value, contact.ind), into(urgency),
             into(signs), into(address.value, address.ind), into(place.value, place.ind),
             into(name.value, name.ind), into(phone.value, phone.ind), into(concern),
             into(external.value, external.ind), into(r.received_at), into(r.closed_at), use(household_id));
        st.execute();
        while (st.fetch()) {
            r.dong_id = dong.get();
            r.channel = parse_channel(channel).value_or(Channel::web);
            r.reporter_kind = kind == "resident"     ? ReporterKind::resident
                              : kind == "gatekeeper" ? ReporterKind::gatekeeper
                              : kind == "staff"      ? ReporterKind::staff
                                                     : ReporterKind::anonymous;
            r.reporter_account_id = reporter.get();
            r.gatekeeper_id = gatekeeper.get();
            r.urgency = parse_urgency(urgency).value_or(Urgency::normal);
            r.signs = split(signs, ',');
            r.reporter_contact = dec(contact.get(), "outreach_reports.reporter_contact_enc");
            r.address = dec(address.get(), "outreach_reports.address_enc");
            r.place = dec(place.get(), "outreach_reports.place_enc");
            r.subject_name = dec(name.get(), "outreach_reports.subject_name_enc");
            r.subject_phone = dec(phone.get(), "outreach_reports.subject_phone_enc");
            r.concern = dec(concern, "outreach_reports.concern_enc");
            r.external_ref = dec(external.get(), "outreach_reports.external_ref_enc");
            out.push_back(r);
        }
    });
    return out;
}

std::vector<HouseholdEvent> OutreachStore::events_of(long long household_id) {
    std::vector<HouseholdEvent> out;
    db_.read([&](soci::session& s) {
        HouseholdEvent e;
        NullableId actor, report;
        NullableText note;
        soci::statement st =
            (s.prepare
                 << "SELECT id, at, kind, actor_account_id, report_id, detail, note_enc FROM outreach_events "
                    "WHERE household_id = :h ORDER BY at, id",
             into(e.id), into(e.at), into(e.kind), into(actor.value, actor.ind),
             into(report.value, report.ind), into(e.detail), into(note.value, note.ind), use(household_id));
        st.execute();
        while (st.fetch()) {
            e.actor_account_id = actor.get();
            e.report_id = report.get();
            e.note = dec(note.get(), "outreach_events.note_enc");
            out.push_back(e);
        }
    });
    return out;
}

namespace {

std::string queue_where(const QueueFilter& f, long long now) {
    std::string w =
        "WHERE district_id = " + num(f.district_id) + dong_clause(f.dongs, f.all_dongs, f.dong_id);
    if (f.status)
        w += " AND status = '" + std::string(to_string(*f.status)) + "'";
    else if (f.open_only)
        w += " AND status IN ('new', 'assigned', 'contacted')";
    else
        w += " AND status <> 'merged'";
    if (f.breached_only) w += " AND status IN ('new', 'assigned') AND due_at < " + num(now);
    if (f.assigned_to) w += " AND assigned_to = " + num(f.assigned_to);
    return w;
}

}  // namespace

Page<Household> OutreachStore::queue(const QueueFilter& f, long long now) {
    Page<Household> page;
    std::string where = queue_where(f, now);
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_households " + where, into(page.total);
        // Households waiting for first contact come first, the most overdue at the top.
        select_households(
            s,
            where +
                " ORDER BY CASE WHEN status IN ('new', 'assigned') THEN 0 WHEN status = 'contacted' "
                "THEN 1 ELSE 2 END, due_at, priority_rank DESC, id LIMIT " +
                num(f.limit) + " OFFSET " + num(f.offset),
            [&](const HouseholdRow& r) { page.items.push_back(r.h); });
    });
    return page;
}

QueueCounts OutreachStore::counts(const QueueFilter& f, long long now) {
    QueueFilter open = f;
    open.status.reset();
    open.open_only = true;
    open.breached_only = false;
    std::string where = queue_where(open, now);
    QueueCounts c;
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_households " + where, into(c.open);
        s << "SELECT COUNT(*) FROM outreach_households " + where + " AND status = 'new'", into(c.unassigned);
        s << "SELECT COUNT(*) FROM outreach_households " + where +
                 " AND status IN ('new', 'assigned') AND due_at < " + num(now),
            into(c.breached);
        s << "SELECT COUNT(*) FROM outreach_households " + where +
                 " AND status IN ('new', 'assigned') AND due_at >= " + num(now) +
                 " AND due_at <= " + num(now + 86400),
            into(c.due_within_24h);
    });
    return c;
}

Household OutreachStore::transition(long long id,
                                    const std::function<TriageState(const TriageState&)>& change,
                                    HouseholdEvent event, long long now) {
    std::string note = enc(event.note, "outreach_events.note_enc");
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), id);
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& x) { row = x; });
        TriageState n = change(row.h.state);
        long long assigned_at = n.assigned_to != row.h.state.assigned_to ? now : row.h.assigned_at;
        write_state(s, id, n, assigned_at, now);
        if (n.status == HouseholdStatus::closed && row.h.state.status != HouseholdStatus::closed)
            s << "UPDATE outreach_reports SET closed_at = :c WHERE household_id = :h AND closed_at = 0",
                use(now), use(id);
        add_event(s, id, row.h.district_id, event, note);
    });
    return *household(id, false);
}

Household OutreachStore::move(long long id, long long dong_id, long long by, long long now) {
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), id);
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& x) { row = x; });
        if (row.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "this household was merged into another one; work on that one");
        NullableId dong(dong_id);
        s << "UPDATE outreach_households SET dong_id = :g, updated_at = :u WHERE id = :i",
            use(dong.value, dong.ind), use(now), use(id);
        add_event(s, id, row.h.district_id,
                  {0, now, "moved", by, 0, "dong:" + num(row.h.dong_id) + ">" + num(dong_id), ""}, "");
    });
    return *household(id, false);
}

void OutreachStore::link_household_key(long long id, const std::string& key, HouseholdEvent event, long long now) {
    std::string hash = keys_.blind_index(key, kInstitutionKeyContext);
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), id);
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(id), [&](const HouseholdRow& x) { row = x; });
        if (row.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "this household was merged into another one; work on that one");
        s << "UPDATE outreach_households SET household_hash = :k, updated_at = :u WHERE id = :i", use(hash), use(now),
            use(id);
        add_event(s, id, row.h.district_id, event, "");
    });
}

Household OutreachStore::merge(long long into_id, long long from_id, long long by, long long now) {
    if (into_id == from_id) throw Error(ErrorKind::conflict, "a household cannot be merged into itself");
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), std::min(into_id, from_id));
        lock_household(s, db_.dialect(), std::max(into_id, from_id));
        HouseholdRow a, b;
        select_households(s, "WHERE id = " + num(into_id), [&](const HouseholdRow& x) { a = x; });
        select_households(s, "WHERE id = " + num(from_id), [&](const HouseholdRow& x) { b = x; });
        if (a.h.district_id != b.h.district_id) throw Error(ErrorKind::not_found, "no such household");
        if (a.h.state.status == HouseholdStatus::merged || b.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "one of these households was merged into another one already");
        TriageState n = merge_states(a.h.state, b.h.state);
        long long assigned_at = n.assigned_to != a.h.state.assigned_to ? now : a.h.assigned_at;
        write_state(s, into_id, n, assigned_at, now);
        std::string signs = union_signs(a.signs, b.h.signs);
        long long first = std::min(a.h.first_report_at, b.h.first_report_at);
        long long last = std::max(a.h.last_report_at, b.h.last_report_at);
        NullableId dong(a.h.dong_id ? a.h.dong_id : b.h.dong_id);
        s << "UPDATE outreach_households SET dong_id = :g, signs = :sg, report_count = report_count + :n, "
             "first_report_at = :f, last_report_at = :l WHERE id = :i",
            use(dong.value, dong.ind), use(signs), use(b.h.report_count), use(first), use(last), use(into_id);
        // What `into` lacks, `from` supplies (one statement per column keeps the SQL portable).
        for (const char* col : {"address_enc", "place_enc", "name_enc", "phone_enc", "household_hash"})
            s << std::string("UPDATE outreach_households SET ") + col + " = (SELECT " + col +
                     " FROM outreach_households WHERE id = " + num(from_id) + ") WHERE id = " + num(into_id) +
                     " AND " + col + " IS NULL";
        s << "UPDATE outreach_reports SET household_id = :i WHERE household_id = :f", use(into_id),
            use(from_id);
        s << "UPDATE outreach_events SET household_id = :i WHERE household_id = :f", use(into_id),
            use(from_id);
        s << "UPDATE outreach_suggestions SET household_id = :i WHERE household_id = :f", use(into_id),
            use(from_id);
        s << "INSERT INTO outreach_household_keys (household_id, district_id, kind, bidx) SELECT " +
                 num(into_id) +
                 ", district_id, kind, bidx FROM outreach_household_keys WHERE household_id = " +
                 num(from_id) + " ON CONFLICT DO NOTHING";
        s << "DELETE FROM outreach_household_keys WHERE household_id = :f", use(from_id);
        s << "UPDATE outreach_households SET status = 'merged', merged_into = :i, updated_at = :u WHERE id = "
             ":f",
            use(into_id), use(now), use(from_id);
        add_event(s, into_id, a.h.district_id, {0, now, "merged", by, 0, "household:" + num(from_id), ""},
                  "");
    });
    return *household(into_id, false);
}

// --- Suggestions ----------------------------------------------------------------------------

std::vector<Suggestion> OutreachStore::suggestions_of(long long household_id, bool pending_only) {
    std::vector<Suggestion> out;
    db_.read([&](soci::session& s) {
        Suggestion x;
        NullableId report, decided_at, decided_by;
        std::string value;
        soci::statement st =
            (s.prepare << std::string("SELECT id, household_id, report_id, field, value_enc, status, created_at, "
                                      "decided_at, decided_by FROM outreach_suggestions WHERE household_id = :h") +
                              (pending_only ? " AND status = 'pending'" : "") + " ORDER BY id",
             into(x.id), into(x.household_id), into(report.value, report.ind), into(x.field), into(value),
             into(x.status), into(x.created_at), into(decided_at.value, decided_at.ind),
             into(decided_by.value, decided_by.ind), use(household_id));
        st.execute();
        while (st.fetch()) {
            x.report_id = report.get();
            x.decided_at = decided_at.get();
            x.decided_by = decided_by.get();
            x.value = dec(value, "outreach_suggestions.value_enc");
            out.push_back(x);
        }
    });
    return out;
}

Household OutreachStore::decide_suggestion(long long household_id, long long suggestion_id, bool accept,
                                           long long by, long long now) {
    db_.write([&](soci::session& s) {
        lock_household(s, db_.dialect(), household_id);
        std::string field, value_enc, status;
        long long created_at = 0;
        s << "SELECT field, value_enc, status, created_at FROM outreach_suggestions WHERE id = :i AND "
             "household_id = :h",
            into(field), into(value_enc), into(status), into(created_at), use(suggestion_id), use(household_id);
        if (!s.got_data()) throw Error(ErrorKind::not_found, "no such suggestion on this household");
        if (status != "pending") throw Error(ErrorKind::conflict, "this suggestion was " + status + " already");
        HouseholdRow row;
        select_households(s, "WHERE id = " + num(household_id), [&](const HouseholdRow& x) { row = x; });
        if (row.h.state.status == HouseholdStatus::merged)
            throw Error(ErrorKind::conflict, "this household was merged into another one; work on that one");
        if (accept) {
            std::string value = dec(value_enc, "outreach_suggestions.value_enc");
            if (field == "name" || field == "address" || field == "place" || field == "phone") {
                std::string column = "outreach_households." + field + "_enc";
                std::string v = enc(value, column.c_str());
                s << "UPDATE outreach_households SET " + field + "_enc = :v, updated_at = :u WHERE id = :i", use(v),
                    use(now), use(household_id);
                if (field == "name") {
                    auto n = normalize_name(value);
                    if (!n.empty())
                        add_key(s, household_id, row.h.district_id, "name", keys_.blind_index(n, kNameIndex));
                } else if (field == "address") {
                    auto n = normalize_address(value);
                    if (!n.empty())
                        add_key(s, household_id, row.h.district_id, "address",
                                keys_.blind_index(n, kAddressIndex));
                } else if (field == "phone") {
                    auto n = normalize_any_phone(value);
                    if (n.empty()) n = value;
                    add_key(s, household_id, row.h.district_id, "phone", keys_.blind_index(n, kPhoneIndex));
                }
            } else {
                TriageState n = row.h.state;
                if (field == "priority") {
                    auto u = parse_urgency(value).value_or(Urgency::normal);
                    n.priority = u;
                    if (n.status == HouseholdStatus::new_ || n.status == HouseholdStatus::assigned) {
                        long long due = created_at + response_window_seconds(u);
                        n.due_at = n.due_at ? std::min(n.due_at, due) : due;
                    }
                } else if (field == "status") {
                    // Contact the household again: it waits for contact, with its priority's deadline.
                    n.contacted_at = 0;
                    n.closed_at = 0;
                    n.outcome.clear();
                    n.due_at = now + response_window_seconds(n.priority);
                    n.status = n.assigned_to ? HouseholdStatus::assigned : HouseholdStatus::new_;
                }
                write_state(s, household_id, n, row.h.assigned_at, now);
            }
        }
        std::string decided = accept ? "accepted" : "rejected";
        s << "UPDATE outreach_suggestions SET status = :s, decided_at = :a, decided_by = :b WHERE id = :i",
            use(decided), use(now), use(by), use(suggestion_id);
        add_event(s, household_id, row.h.district_id,
                  {0, now, accept ? "suggestion_accepted" : "suggestion_rejected", by, 0, "field:" + field, ""}, "");
    });
    return *household(household_id, false);
}

}  // namespace dure::outreach
