#include "sharing/store.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "identity/crypto.hpp"
#include "sharing/erasure.hpp"
#include "store/database.hpp"

namespace dure::sharing {

using soci::into;
using soci::use;

namespace {
constexpr const char* kNeedDetail = "sharing_needs.detail";
constexpr const char* kOfferNote = "sharing_offers.note";

constexpr const char* kOfferCols =
    "o.id, o.district_id, o.dong_id, COALESCE(o.account_id, 0), COALESCE(o.person_id, 0), o.subfields, o.days, "
    "o.hour_from, o.hour_to, o.mode, o.languages, o.note_enc, o.status, o.vetted_level, COALESCE(o.vetted_by, 0), "
    "o.vetted_at, o.refusal_reason, o.entered_by, o.consent_method, o.consent_at, o.created_at, "
    "(SELECT COUNT(*) FROM sharing_connections c WHERE c.offer_id = o.id AND c.status = 'completed'), "
    "(SELECT COUNT(*) FROM sharing_connections c WHERE c.offer_id = o.id AND c.status IN ('proposed', 'accepted', 'active'))";
constexpr const char* kNeedCols =
    "n.id, n.district_id, n.dong_id, COALESCE(n.account_id, 0), COALESCE(n.person_id, 0), n.subfield, n.window_from, "
    "n.window_to, n.days, n.hour_from, n.hour_to, n.languages, n.urgency, n.detail_enc, n.status, "
    "COALESCE(n.vetted_by, 0), n.vetted_at, n.refusal_reason, n.entered_by, n.consent_method, n.consent_at, n.created_at";
constexpr const char* kConnCols =
    "c.id, c.district_id, c.dong_id, c.need_id, c.offer_id, c.status, c.helper_accepted_at, c.recipient_accepted_at, "
    "c.proposed_by, c.proposed_at, c.started_at, c.ended_at, c.cancel_reason, c.helper_feedback, c.recipient_feedback, "
    "COALESCE(o.account_id, 0), COALESCE(o.person_id, 0), COALESCE(n.account_id, 0), COALESCE(n.person_id, 0), n.subfield";
constexpr const char* kLedgerCols =
    "id, kind, ref_id, connection_id, helper_offer_id, day, start_minute, minutes, reason, actor, at, prev_hash, hash";

// Ids are integers and statuses come from a fixed list, so both are written into the SQL.
std::string scope_sql(const char* t, long long dong, const std::string& status) {
    static const char* kStatuses[] = {"pending", "approved", "refused", "withdrawn", "open", "served", "closed"};
    std::string out = dong ? std::string(" AND ") + t + ".dong_id = " + std::to_string(dong) : std::string();
    if (status.empty()) return out;
    for (const char* k : kStatuses)
        if (status == k) return out + " AND " + t + ".status = '" + status + "'";
    throw std::logic_error("unknown status " + status);
}

std::optional<long long> nz(long long v) { return v ? std::optional(v) : std::nullopt; }

std::vector<Offer> query_offers(soci::session& s, const identity::Keyring& keys, const std::string& where) {
    std::vector<Offer> out;
    Offer o;
    std::string subs, langs, note;
    long long days = 0, hf = 0, ht = 0;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kOfferCols + " FROM sharing_offers o WHERE " + where + " ORDER BY o.id",
         into(o.id), into(o.district_id), into(o.dong_id), into(o.who.account_id), into(o.who.person_id), into(subs),
         into(days), into(hf), into(ht), into(o.mode), into(langs), into(note), into(o.status), into(o.vetted_level),
         into(o.vetted_by), into(o.vetted_at), into(o.refusal_reason), into(o.entered_by), into(o.consent_method),
         into(o.consent_at), into(o.created_at), into(o.completed), into(o.live));
    st.execute();
    while (st.fetch()) {
        Offer x = o;
        x.subfields = split(subs);
        x.languages = split(langs);
        x.when = {static_cast<int>(days), static_cast<int>(hf), static_cast<int>(ht)};
        x.note = note.empty() ? "" : keys.decrypt(note, kOfferNote);
        out.push_back(std::move(x));
    }
    return out;
}

std::vector<Need> query_needs(soci::session& s, const identity::Keyring& keys, const std::string& where) {
    std::vector<Need> out;
    Need n;
    std::string langs, detail;
    long long days = 0, hf = 0, ht = 0;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kNeedCols + " FROM sharing_needs n WHERE " + where + " ORDER BY n.id",
         into(n.id), into(n.district_id), into(n.dong_id), into(n.who.account_id), into(n.who.person_id), into(n.subfield),
         into(n.window_from), into(n.window_to), into(days), into(hf), into(ht), into(langs), into(n.urgency), into(detail),
         into(n.status), into(n.vetted_by), into(n.vetted_at), into(n.refusal_reason), into(n.entered_by),
         into(n.consent_method), into(n.consent_at), into(n.created_at));
    st.execute();
    while (st.fetch()) {
        Need x = n;
        x.languages = split(langs);
        x.when = {static_cast<int>(days), static_cast<int>(hf), static_cast<int>(ht)};
        x.detail = detail.empty() ? "" : keys.decrypt(detail, kNeedDetail);
        out.push_back(std::move(x));
    }
    return out;
}

std::vector<Connection> query_connections(soci::session& s, const std::string& where) {
    std::vector<Connection> out;
    Connection c;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kConnCols +
                          " FROM sharing_connections c JOIN sharing_offers o ON o.id = c.offer_id "
                          "JOIN sharing_needs n ON n.id = c.need_id WHERE " +
                          where + " ORDER BY c.id",
         into(c.id), into(c.district_id), into(c.dong_id), into(c.need_id), into(c.offer_id), into(c.status),
         into(c.helper_accepted_at), into(c.recipient_accepted_at), into(c.proposed_by), into(c.proposed_at),
         into(c.started_at), into(c.ended_at), into(c.cancel_reason), into(c.helper_feedback), into(c.recipient_feedback),
         into(c.helper.account_id), into(c.helper.person_id), into(c.recipient.account_id), into(c.recipient.person_id),
         into(c.subfield));
    st.execute();
    while (st.fetch()) out.push_back(c);
    return out;
}

std::vector<LedgerRow> query_ledger(soci::session& s, const std::string& where) {
    std::vector<LedgerRow> out;
    LedgerRow r;
    long long sm = 0, mins = 0;
    soci::statement st = (s.prepare << std::string("SELECT ") + kLedgerCols + " FROM sharing_ledger WHERE " + where + " ORDER BY id",
                          into(r.id), into(r.kind), into(r.ref_id), into(r.connection_id), into(r.helper_offer_id),
                          into(r.day), into(sm), into(mins), into(r.reason), into(r.actor), into(r.at), into(r.prev_hash),
                          into(r.hash));
    st.execute();
    while (st.fetch()) {
        r.start_minute = static_cast<int>(sm);
        r.minutes = static_cast<int>(mins);
        out.push_back(r);
    }
    return out;
}

}  // namespace

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
    return out;
}

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size() && !s.empty()) {
        auto comma = s.find(',', start);
        auto part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty()) out.push_back(part);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

long long SharingStore::insert_offer(soci::session& s, const Offer& o) {
    long long id = 0, days = o.when.days, hf = o.when.hour_from, ht = o.when.hour_to;
    auto acc = nz(o.who.account_id), person = nz(o.who.person_id);
    soci::indicator ia = acc ? soci::i_ok : soci::i_null, ip = person ? soci::i_ok : soci::i_null;
    long long av = acc.value_or(0), pv = person.value_or(0);
    std::string subs = join(o.subfields), langs = join(o.languages);
    std::string note = o.note.empty() ? "" : keys_.encrypt(o.note, kOfferNote);
    s << "INSERT INTO sharing_offers (district_id, dong_id, account_id, person_id, subfields, days, hour_from, hour_to, mode, "
         "languages, note_enc, status, entered_by, consent_method, consent_at, created_at) VALUES (:d, :g, :a, :p, :s, :y, "
         ":f, :t, :m, :l, :n, 'pending', :e, :c, :ca, :at) RETURNING id",
        use(o.district_id), use(o.dong_id), use(av, ia), use(pv, ip), use(subs), use(days), use(hf), use(ht), use(o.mode),
        use(langs), use(note), use(o.entered_by), use(o.consent_method), use(o.consent_at), use(o.created_at), into(id);
    return id;
}

long long SharingStore::insert_need(soci::session& s, const Need& n) {
    long long id = 0, days = n.when.days, hf = n.when.hour_from, ht = n.when.hour_to;
    soci::indicator ia = n.who.account_id ? soci::i_ok : soci::i_null, ip = n.who.person_id ? soci::i_ok : soci::i_null;
    long long av = n.who.account_id, pv = n.who.person_id;
    std::string langs = join(n.languages);
    std::string detail = n.detail.empty() ? "" : keys_.encrypt(n.detail, kNeedDetail);
    long long case_id = n.case_id, goal = n.case_goal;
    soci::indicator ic = n.case_id ? soci::i_ok : soci::i_null;
    s << "INSERT INTO sharing_needs (district_id, dong_id, account_id, person_id, subfield, window_from, window_to, days, "
         "hour_from, hour_to, languages, urgency, detail_enc, status, entered_by, consent_method, consent_at, created_at, "
         "case_id, case_goal) VALUES (:d, :g, :a, :p, :s, :wf, :wt, :y, :f, :t, :l, :u, :x, 'pending', :e, :c, :ca, :at, "
         ":ci, :cg) RETURNING id",
        use(n.district_id), use(n.dong_id), use(av, ia), use(pv, ip), use(n.subfield), use(n.window_from),
        use(n.window_to), use(days), use(hf), use(ht), use(langs), use(n.urgency), use(detail), use(n.entered_by),
        use(n.consent_method), use(n.consent_at), use(n.created_at), use(case_id, ic), use(goal), into(id);
    return id;
}

std::optional<Offer> SharingStore::offer(soci::session& s, long long id) {
    auto v = query_offers(s, keys_, "o.id = " + std::to_string(id));
    return v.empty() ? std::nullopt : std::optional(v.front());
}
std::optional<Need> SharingStore::need(soci::session& s, long long id) {
    auto v = query_needs(s, keys_, "n.id = " + std::to_string(id));
    return v.empty() ? std::nullopt : std::optional(v.front());
}
std::optional<Offer> SharingStore::offer(long long id) {
    std::optional<Offer> out;
    db_.read([&](soci::session& s) { out = offer(s, id); });
    return out;
}
std::optional<Need> SharingStore::need(long long id) {
    std::optional<Need> out;
    db_.read([&](soci::session& s) { out = need(s, id); });
    return out;
}

std::vector<Offer> SharingStore::offers(long long district, const std::string& status, long long dong) {
    std::vector<Offer> out;
    db_.read([&](soci::session& s) {
        out = query_offers(s, keys_, "o.district_id = " + std::to_string(district) + scope_sql("o", dong, status));
    });
    return out;
}
std::vector<Need> SharingStore::needs(long long district, const std::string& status, long long dong) {
    std::vector<Need> out;
    db_.read([&](soci::session& s) {
        out = query_needs(s, keys_, "n.district_id = " + std::to_string(district) + scope_sql("n", dong, status));
    });
    return out;
}
std::vector<Offer> SharingStore::offers_of(long long account) {
    std::vector<Offer> out;
    db_.read([&](soci::session& s) { out = query_offers(s, keys_, "o.account_id = " + std::to_string(account)); });
    return out;
}
std::vector<Need> SharingStore::needs_of(long long account) {
    std::vector<Need> out;
    db_.read([&](soci::session& s) { out = query_needs(s, keys_, "n.account_id = " + std::to_string(account)); });
    return out;
}

bool SharingStore::vet_offer(soci::session& s, long long id, bool approve, const std::string& level, long long by,
                             long long at, const std::string& reason) {
    std::string status = approve ? "approved" : "refused";
    soci::statement st = (s.prepare << "UPDATE sharing_offers SET status = :s, vetted_level = :l, vetted_by = :b, vetted_at = :t, "
                                       "refusal_reason = :r WHERE id = :i AND status = 'pending'",
                          use(status), use(level), use(by), use(at), use(reason), use(id));
    st.execute(true);
    return st.get_affected_rows() == 1;
}

bool SharingStore::vet_need(soci::session& s, long long id, bool approve, long long by, long long at,
                            const std::string& reason) {
    std::string status = approve ? "open" : "refused";
    soci::statement st = (s.prepare << "UPDATE sharing_needs SET status = :s, vetted_by = :b, vetted_at = :t, refusal_reason = :r "
                                       "WHERE id = :i AND status = 'pending'",
                          use(status), use(by), use(at), use(reason), use(id));
    st.execute(true);
    return st.get_affected_rows() == 1;
}

long long SharingStore::insert_connection(soci::session& s, const Need& n, const Offer& o, long long by, long long at) {
    long long id = 0;
    s << "INSERT INTO sharing_connections (district_id, dong_id, need_id, offer_id, status, proposed_by, proposed_at) "
         "VALUES (:d, :g, :n, :o, 'proposed', :b, :t) RETURNING id",
        use(n.district_id), use(n.dong_id), use(n.id), use(o.id), use(by), use(at), into(id);
    return id;
}

namespace {
constexpr const char* kNoLiveOffer =
    " AND NOT EXISTS (SELECT 1 FROM sharing_connections c WHERE c.offer_id = sharing_offers.id AND c.status IN "
    "('proposed', 'accepted', 'active'))";
constexpr const char* kNoLiveNeed =
    " AND NOT EXISTS (SELECT 1 FROM sharing_connections c WHERE c.need_id = sharing_needs.id AND c.status IN "
    "('proposed', 'accepted', 'active'))";
constexpr const char* kFeedbackReason = "sharing_feedback.reason";
}  // namespace

bool SharingStore::update_offer(soci::session& s, const Offer& o, bool revet, long long at) {
    long long days = o.when.days, hf = o.when.hour_from, ht = o.when.hour_to;
    std::string subs = join(o.subfields), langs = join(o.languages);
    std::string note = o.note.empty() ? "" : keys_.encrypt(o.note, kOfferNote);
    soci::statement st =
        (s.prepare << std::string("UPDATE sharing_offers SET subfields = :s, dong_id = :g, days = :y, hour_from = :f, "
                                  "hour_to = :t, mode = :m, languages = :l, note_enc = :n, edited_at = :e WHERE id = :i AND "
                                  "status IN ('pending', 'approved', 'refused')") + kNoLiveOffer,
         use(subs), use(o.dong_id), use(days), use(hf), use(ht), use(o.mode), use(langs), use(note), use(at), use(o.id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    if (revet)
        s << "UPDATE sharing_offers SET status = 'pending', vetted_level = 'none', vetted_by = NULL, vetted_at = 0, "
             "refusal_reason = '' WHERE id = :i",
            use(o.id);
    return true;
}

bool SharingStore::update_need(soci::session& s, const Need& n, bool revet, long long at) {
    long long days = n.when.days, hf = n.when.hour_from, ht = n.when.hour_to;
    std::string langs = join(n.languages);
    std::string detail = n.detail.empty() ? "" : keys_.encrypt(n.detail, kNeedDetail);
    soci::statement st =
        (s.prepare << std::string("UPDATE sharing_needs SET subfield = :s, dong_id = :g, window_from = :wf, window_to = :wt, "
                                  "days = :y, hour_from = :f, hour_to = :t, languages = :l, urgency = :u, detail_enc = :x, "
                                  "edited_at = :e WHERE id = :i AND status IN ('pending', 'open', 'refused')") + kNoLiveNeed,
         use(n.subfield), use(n.dong_id), use(n.window_from), use(n.window_to), use(days), use(hf), use(ht), use(langs),
         use(n.urgency), use(detail), use(at), use(n.id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    if (revet)
        s << "UPDATE sharing_needs SET status = 'pending', vetted_by = NULL, vetted_at = 0, refusal_reason = '' WHERE id = :i",
            use(n.id);
    return true;
}

bool SharingStore::withdraw_offer(soci::session& s, long long id, long long at) {
    soci::statement st = (s.prepare << std::string("UPDATE sharing_offers SET status = 'withdrawn', withdrawn_at = :t WHERE id = :i "
                                                   "AND status IN ('pending', 'approved', 'refused')") + kNoLiveOffer,
                          use(at), use(id));
    st.execute(true);
    return st.get_affected_rows() == 1;
}

bool SharingStore::withdraw_need(soci::session& s, long long id, long long at) {
    soci::statement st = (s.prepare << std::string("UPDATE sharing_needs SET status = 'closed', withdrawn_at = :t WHERE id = :i "
                                                   "AND status IN ('pending', 'open', 'refused')") + kNoLiveNeed,
                          use(at), use(id));
    st.execute(true);
    return st.get_affected_rows() == 1;
}

void SharingStore::insert_feedback(soci::session& s, const Feedback& f) {
    std::string reason = f.reason.empty() ? "" : keys_.encrypt(f.reason, kFeedbackReason);
    s << "INSERT INTO sharing_feedback (connection_id, district_id, side, outcome, reason_enc, written_by, consent_method, at) "
         "VALUES (:c, :d, :s, :o, :r, :w, :m, :t)",
        use(f.connection_id), use(f.district_id), use(f.side), use(f.outcome), use(reason), use(f.written_by),
        use(f.consent_method), use(f.at);
}

std::vector<Feedback> SharingStore::feedback(long long connection_id) {
    std::vector<Feedback> out;
    db_.read([&](soci::session& s) {
        Feedback f;
        std::string reason;
        soci::statement st = (s.prepare << "SELECT id, connection_id, district_id, side, outcome, reason_enc, written_by, "
                                           "consent_method, at FROM sharing_feedback WHERE connection_id = :c ORDER BY id",
                              use(connection_id), into(f.id), into(f.connection_id), into(f.district_id), into(f.side),
                              into(f.outcome), into(reason), into(f.written_by), into(f.consent_method), into(f.at));
        st.execute();
        while (st.fetch()) {
            Feedback x = f;
            x.reason = reason.empty() ? "" : keys_.decrypt(reason, kFeedbackReason);
            out.push_back(std::move(x));
        }
    });
    return out;
}

long long live_connection_of(soci::session& s, long long account_id, long long person_id) {
    long long id = 0;
    soci::indicator ind = soci::i_null;
    if (account_id)
        s << "SELECT MIN(c.id) FROM sharing_connections c JOIN sharing_offers o ON o.id = c.offer_id JOIN sharing_needs n "
             "ON n.id = c.need_id WHERE c.status IN ('proposed', 'accepted', 'active') AND (o.account_id = :a OR "
             "n.account_id = :a2)",
            use(account_id), use(account_id), into(id, ind);
    else
        s << "SELECT MIN(c.id) FROM sharing_connections c JOIN sharing_offers o ON o.id = c.offer_id JOIN sharing_needs n "
             "ON n.id = c.need_id WHERE c.status IN ('proposed', 'accepted', 'active') AND (o.person_id = :p OR "
             "n.person_id = :p2)",
            use(person_id), use(person_id), into(id, ind);
    return ind == soci::i_ok ? id : 0;
}

std::optional<Connection> SharingStore::connection(soci::session& s, long long id) {
    auto v = query_connections(s, "c.id = " + std::to_string(id));
    return v.empty() ? std::nullopt : std::optional(v.front());
}
std::optional<Connection> SharingStore::connection(long long id) {
    std::optional<Connection> out;
    db_.read([&](soci::session& s) { out = connection(s, id); });
    return out;
}
std::vector<Connection> SharingStore::connections_of(long long account) {
    std::vector<Connection> out;
    db_.read([&](soci::session& s) { out = query_connections(s, "(o.account_id = " + std::to_string(account) + " OR n.account_id = " + std::to_string(account) + ")"); });
    return out;
}
std::vector<Connection> SharingStore::connections(long long district, long long dong) {
    std::vector<Connection> out;
    db_.read([&](soci::session& s) { out = query_connections(s, "c.district_id = " + std::to_string(district) + (dong ? " AND c.dong_id = " + std::to_string(dong) : std::string())); });
    return out;
}

bool SharingStore::step(soci::session& s, long long id, const std::string& from, const std::string& to,
                        const std::string& time_col, long long value, const std::string& text_col, const std::string& text) {
    static const char* kCols[] = {"helper_accepted_at", "recipient_accepted_at", "started_at", "ended_at", "cancel_reason",
                                  "helper_feedback", "recipient_feedback", "recipient_accept_method"};
    auto known = [](const std::string& c) {
        for (const char* k : kCols)
            if (c == k) return true;
        return c.empty();
    };
    if (!known(time_col) || !known(text_col)) throw std::logic_error("unknown column");
    std::string in;
    for (const auto& f : split(from)) in += (in.empty() ? "'" : ", '") + f + "'";  // codes from the api only
    std::string sql = "UPDATE sharing_connections SET status = '" + to + "'" +
                      (time_col.empty() ? "" : ", " + time_col + " = " + std::to_string(value)) +
                      (text_col.empty() ? "" : ", " + text_col + " = :x") + " WHERE id = " + std::to_string(id) +
                      " AND status IN (" + in + ")";
    soci::statement st(s);
    st.alloc();
    st.prepare(sql);
    if (!text_col.empty()) st.exchange(use(text));
    st.define_and_bind();
    st.execute(true);
    return st.get_affected_rows() == 1;
}

void SharingStore::set_need_status(soci::session& s, long long need_id, const std::string& status) {
    s << "UPDATE sharing_needs SET status = :s WHERE id = :i", use(status), use(need_id);
}

int SharingStore::escalate(long long now, long long cutoff, const std::function<void(soci::session&, const Need&)>& tell) {
    std::vector<Need> due;
    db_.read([&](soci::session& s) {
        due = query_needs(s, keys_,
                          "n.status = 'open' AND n.escalated_at = 0 AND n.vetted_at > 0 AND n.vetted_at <= " + std::to_string(cutoff) +
                              " AND NOT EXISTS (SELECT 1 FROM sharing_connections c WHERE c.need_id = n.id AND c.status IN "
                              "('proposed', 'accepted', 'active'))");
    });
    int n = 0;
    for (const auto& need : due) {
        db_.write([&](soci::session& s) {
            soci::statement st = (s.prepare << "UPDATE sharing_needs SET escalated_at = :t WHERE id = :i AND escalated_at = 0",
                                  use(now), use(need.id));
            st.execute(true);
            if (st.get_affected_rows() != 1) return;  // another process took it
            tell(s, need);
            ++n;
        });
    }
    return n;
}

LedgerRow SharingStore::append(soci::session& s, long long district, long long dong, LedgerRow r) {
    std::string prev;
    soci::indicator ind = soci::i_null;
    s << "SELECT hash FROM sharing_ledger WHERE district_id = :d ORDER BY id DESC LIMIT 1", use(district), into(prev, ind);
    r.prev_hash = (s.got_data() && ind == soci::i_ok) ? prev : kGenesis;
    r.hash = row_hash(r);
    long long sm = r.start_minute, mins = r.minutes;
    s << "INSERT INTO sharing_ledger (district_id, dong_id, kind, ref_id, connection_id, helper_offer_id, day, start_minute, "
         "minutes, reason, actor, at, prev_hash, hash) VALUES (:d, :g, :k, :r, :c, :h, :y, :s, :m, :x, :a, :t, :p, :hh) "
         "RETURNING id",
        use(district), use(dong), use(r.kind), use(r.ref_id), use(r.connection_id), use(r.helper_offer_id), use(r.day),
        use(sm), use(mins), use(r.reason), use(r.actor), use(r.at), use(r.prev_hash), use(r.hash), into(r.id);
    return r;
}

std::vector<LedgerRow> SharingStore::ledger(soci::session& s, long long district) {
    return query_ledger(s, "district_id = " + std::to_string(district));
}
std::vector<LedgerRow> SharingStore::ledger(long long district) {
    std::vector<LedgerRow> out;
    db_.read([&](soci::session& s) { out = ledger(s, district); });
    return out;
}

std::optional<LedgerRow> SharingStore::ledger_row(soci::session& s, long long id, long long* district, long long* dong) {
    auto v = query_ledger(s, "id = " + std::to_string(id));
    if (v.empty()) return std::nullopt;
    s << "SELECT district_id, dong_id FROM sharing_ledger WHERE id = :i", use(id), into(*district), into(*dong);
    return v.front();
}


// ---- projects and shifts ----

namespace {
constexpr const char* kProjectCols =
    "p.id, p.district_id, COALESCE(p.dong_id, 0), p.subfield, p.title, p.organization, p.manager_account_id, p.dtstart, "
    "p.rrule, p.start_minute, p.minutes, p.slots, p.status, p.created_by, p.created_at";

std::vector<Project> query_projects(soci::session& s, const std::string& where, const std::string& today) {
    std::vector<Project> out;
    Project p;
    long long sm = 0, mn = 0, sl = 0, shifts = 0, left = 0;
    soci::indicator li = soci::i_null;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kProjectCols +
                          ", (SELECT COUNT(*) FROM sharing_shifts h WHERE h.project_id = p.id AND h.day >= :t1), "
                          "(SELECT SUM(h.capacity - h.taken) FROM sharing_shifts h WHERE h.project_id = p.id AND h.day >= :t2) "
                          "FROM sharing_projects p WHERE " + where + " ORDER BY p.dtstart, p.id",
         use(today), use(today), into(p.id), into(p.district_id), into(p.dong_id), into(p.subfield), into(p.title),
         into(p.organization), into(p.manager_account_id), into(p.dtstart), into(p.rrule), into(sm), into(mn), into(sl),
         into(p.status), into(p.created_by), into(p.created_at), into(shifts), into(left, li));
    st.execute();
    while (st.fetch()) {
        Project x = p;
        x.start_minute = static_cast<int>(sm);
        x.minutes = static_cast<int>(mn);
        x.slots = static_cast<int>(sl);
        x.shifts = shifts;
        x.places_left = li == soci::i_ok ? left : 0;
        out.push_back(std::move(x));
    }
    return out;
}
}  // namespace

long long SharingStore::insert_project(soci::session& s, const Project& p, const std::vector<std::string>& days) {
    long long id = 0, sm = p.start_minute, mn = p.minutes, sl = p.slots;
    soci::indicator di = p.dong_id ? soci::i_ok : soci::i_null;
    long long dong = p.dong_id;
    s << "INSERT INTO sharing_projects (district_id, dong_id, subfield, title, organization, manager_account_id, dtstart, "
         "rrule, start_minute, minutes, slots, status, created_by, created_at) VALUES (:d, :g, :s, :t, :o, :m, :ds, :r, :sm, "
         ":mn, :sl, 'open', :c, :at) RETURNING id",
        use(p.district_id), use(dong, di), use(p.subfield), use(p.title), use(p.organization), use(p.manager_account_id),
        use(p.dtstart), use(p.rrule), use(sm), use(mn), use(sl), use(p.created_by), use(p.created_at), into(id);
    for (const auto& day : days)
        s << "INSERT INTO sharing_shifts (project_id, day, start_minute, minutes, capacity, taken) VALUES (:p, :d, :s, :m, "
             ":c, 0)",
            use(id), use(day), use(sm), use(mn), use(sl);
    return id;
}

std::vector<Project> SharingStore::projects(long long district, const std::string& today) {
    std::vector<Project> out;
    db_.read([&](soci::session& s) {
        out = query_projects(s, "p.district_id = " + std::to_string(district) + " AND p.status = 'open'", today);
    });
    return out;
}

std::optional<Project> SharingStore::project(long long id, const std::string& today) {
    std::vector<Project> v;
    db_.read([&](soci::session& s) { v = query_projects(s, "p.id = " + std::to_string(id), today); });
    return v.empty() ? std::nullopt : std::optional(v.front());
}

std::vector<Shift> SharingStore::shifts(long long project_id, const std::string& today, long long account) {
    std::vector<Shift> out;
    db_.read([&](soci::session& s) {
        Shift h;
        long long sm = 0, mn = 0, cap = 0, taken = 0, joined = 0;
        soci::statement st =
            (s.prepare << "SELECT h.id, h.project_id, h.day, h.start_minute, h.minutes, h.capacity, h.taken, "
                          "(SELECT COUNT(*) FROM sharing_shift_volunteers v WHERE v.shift_id = h.id AND v.account_id = :a "
                          "AND v.status = 'joined') FROM sharing_shifts h WHERE h.project_id = :p AND h.day >= :t ORDER BY h.day",
             use(account), use(project_id), use(today), into(h.id), into(h.project_id), into(h.day), into(sm), into(mn),
             into(cap), into(taken), into(joined));
        st.execute();
        while (st.fetch()) {
            Shift x = h;
            x.start_minute = static_cast<int>(sm);
            x.minutes = static_cast<int>(mn);
            x.capacity = static_cast<int>(cap);
            x.taken = static_cast<int>(taken);
            x.joined = joined > 0;
            out.push_back(x);
        }
    });
    return out;
}

std::optional<Shift> SharingStore::shift(soci::session& s, long long id, Project* project) {
    Shift h;
    long long sm = 0, mn = 0, cap = 0, taken = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT id, project_id, day, start_minute, minutes, capacity, taken FROM sharing_shifts WHERE id = :i", use(id),
        into(h.id, ind), into(h.project_id), into(h.day), into(sm), into(mn), into(cap), into(taken);
    if (ind != soci::i_ok || !s.got_data()) return std::nullopt;
    h.start_minute = static_cast<int>(sm);
    h.minutes = static_cast<int>(mn);
    h.capacity = static_cast<int>(cap);
    h.taken = static_cast<int>(taken);
    if (project) {
        auto v = query_projects(s, "p.id = " + std::to_string(h.project_id), h.day);
        if (!v.empty()) *project = v.front();
    }
    return h;
}

JoinResult SharingStore::join_shift(soci::session& s, long long shift_id, long long account, long long at) {
    std::string status;
    soci::indicator ind = soci::i_null;
    s << "SELECT status FROM sharing_shift_volunteers WHERE shift_id = :s AND account_id = :a", use(shift_id), use(account),
        into(status, ind);
    bool exists = ind == soci::i_ok && s.got_data();
    if (exists && status == "joined") return JoinResult::already;
    soci::statement st = (s.prepare << "UPDATE sharing_shifts SET taken = taken + 1 WHERE id = :i AND taken < capacity",
                          use(shift_id));
    st.execute(true);
    if (st.get_affected_rows() != 1) return JoinResult::full;
    if (exists)
        s << "UPDATE sharing_shift_volunteers SET status = 'joined', joined_at = :t, left_at = 0 WHERE shift_id = :s AND "
             "account_id = :a",
            use(at), use(shift_id), use(account);
    else
        s << "INSERT INTO sharing_shift_volunteers (shift_id, account_id, status, joined_at) VALUES (:s, :a, 'joined', :t)",
            use(shift_id), use(account), use(at);
    return JoinResult::joined;
}

bool SharingStore::leave_shift(soci::session& s, long long shift_id, long long account, long long at) {
    soci::statement st = (s.prepare << "UPDATE sharing_shift_volunteers SET status = 'left', left_at = :t WHERE shift_id = :s "
                                       "AND account_id = :a AND status = 'joined'",
                          use(at), use(shift_id), use(account));
    st.execute(true);
    if (st.get_affected_rows() != 1) return false;
    s << "UPDATE sharing_shifts SET taken = taken - 1 WHERE id = :i", use(shift_id);
    return true;
}

}  // namespace dure::sharing
