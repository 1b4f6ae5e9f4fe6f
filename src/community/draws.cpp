#include "community/draws.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <cstdio>
#include <map>

#include "common/error.hpp"
#include "community/draw.hpp"
#include "community/events.hpp"

namespace dure::community {

using soci::into;
using soci::use;

namespace {

constexpr const char* kDrawCols =
    "id, district_id, dong_id, organization_id, event_id, title, rule, legal_basis, seed_source, list_hash, "
    "winner_count, entrant_count, runs, created_by, created_at";

std::optional<Draw> fetch(soci::session& s, long long id) {
    Draw d;
    s << std::string("SELECT ") + kDrawCols + " FROM community_draws WHERE id = :i", into(d.id), into(d.district_id),
        into(d.dong_id), into(d.organization_id), into(d.event_id), into(d.title), into(d.rule), into(d.legal_basis),
        into(d.seed_source), into(d.list_hash), into(d.winner_count), into(d.entrant_count), into(d.runs),
        into(d.created_by), into(d.created_at), use(id);
    if (!s.got_data()) return std::nullopt;
    return d;
}

std::vector<DrawEntrant> fetch_entrants(soci::session& s, long long draw_id) {
    std::vector<DrawEntrant> out;
    DrawEntrant e;
    soci::statement st = (s.prepare << "SELECT code, masked, account_id, registration_id FROM community_draw_entrants "
                                       "WHERE draw_id = :d ORDER BY code",
                          into(e.code), into(e.masked), into(e.account_id), into(e.registration_id), use(draw_id));
    st.execute();
    while (st.fetch()) out.push_back(e);
    return out;
}

void check_text(FieldErrors& errors, const std::string& field, const std::string& v, std::size_t max) {
    if (v.empty()) errors.add(field, "required", "required before the draw is frozen");
    else if (v.size() > max) errors.add(field, "too_long", "at most " + std::to_string(max) + " bytes");
}

long long insert(soci::session& s, const Draw& d, const std::vector<DrawEntrant>& entrants, long long now) {
    FieldErrors errors;
    check_text(errors, "title", d.title, 300);
    check_text(errors, "rule", d.rule, 2000);
    check_text(errors, "legal_basis", d.legal_basis, 1000);
    check_text(errors, "seed_source", d.seed_source, 1000);
    std::vector<std::string> codes;
    for (const auto& e : entrants) codes.push_back(e.code);
    // The same checks as the draw itself (codes, winners against entrants), with a placeholder seed.
    try {
        run_draw(codes, "check", d.winner_count);
    } catch (const Error& e) {
        for (const auto& f : e.fields()) errors.add(f.field, f.code, f.message);
    }
    errors.throw_if_any();
    long long id = 0, n = static_cast<long long>(entrants.size());
    std::string h = list_hash(codes);
    s << "INSERT INTO community_draws (district_id, dong_id, organization_id, event_id, title, rule, legal_basis, "
         "seed_source, winner_count, entrant_count, list_hash, runs, created_by, created_at) VALUES (:d, :g, :o, :e, :t, "
         ":r, :l, :s, :w, :n, :h, 0, :b, :c) RETURNING id",
        use(d.district_id), use(d.dong_id), use(d.organization_id), use(d.event_id), use(d.title), use(d.rule),
        use(d.legal_basis), use(d.seed_source), use(d.winner_count), use(n), use(h), use(d.created_by), use(now), into(id);
    for (const auto& e : entrants)
        s << "INSERT INTO community_draw_entrants (draw_id, code, masked, account_id, registration_id) VALUES (:d, :c, :m, "
             ":a, :r)",
            use(id), use(e.code), use(e.masked), use(e.account_id), use(e.registration_id);
    return id;
}

DrawRun parse_run(long long run_no, const std::string& seed, const std::string& reason, const std::string& key,
                  const std::string& result, long long at, long long by) {
    DrawRun r{run_no, at, by, seed, reason, key, {}, {}};
    auto o = boost::json::parse(result).as_object();
    for (const auto& v : o.at("order").as_array()) r.order.emplace_back(v.as_string());
    for (const auto& v : o.at("winners").as_array()) r.winners.emplace_back(v.as_string());
    return r;
}

}  // namespace

long long DrawStore::freeze(const Draw& d, const std::vector<DrawEntrant>& entrants, long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) { id = insert(s, d, entrants, now); });
    return id;
}

long long DrawStore::freeze_event(Draw d, long long event_id, const std::function<std::string(long long)>& masked_name_of,
                                  long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) {
        s << "UPDATE community_events SET updated_at = :n WHERE id = :e", use(now), use(event_id);  // the event's lock
        auto e = load_event(s, event_id);
        if (!e) throw Error(ErrorKind::not_found, "no such event");
        if (e->allocation != "draw")
            throw Error(ErrorKind::validation, "this event is first come, first served",
                        {{"event_id", "not_a_draw_event", "the event's places are not allocated by a draw"}});
        if (now < e->closes_at)
            throw Error(ErrorKind::validation, "applications are still open",
                        {{"event_id", "still_open", "freeze the entrants after applications close"}});
        long long existing = 0;
        s << "SELECT COUNT(*) FROM community_draws WHERE event_id = :e", into(existing), use(event_id);
        if (existing) throw Error(ErrorKind::conflict, "this event's entrants are frozen already");
        std::vector<DrawEntrant> entrants;
        long long rid = 0, acc = 0, pos = 0;
        soci::statement st = (s.prepare << "SELECT id, account_id, position FROM community_registrations WHERE event_id = "
                                           ":e AND status = 'applied' ORDER BY position",
                              into(rid), into(acc), into(pos), use(event_id));
        st.execute();
        while (st.fetch()) {
            char code[32];
            std::snprintf(code, sizeof code, "E-%04lld", rid);
            entrants.push_back({code, "", acc, rid});
        }
        for (auto& en : entrants) en.masked = masked_name_of(en.account_id);
        d.district_id = e->district_id;
        d.dong_id = e->dong_id;
        d.organization_id = e->organization_id;
        d.event_id = event_id;
        if (d.winner_count <= 0) d.winner_count = std::min<long long>(e->capacity, static_cast<long long>(entrants.size()));
        if (d.winner_count > e->capacity)
            throw Error(ErrorKind::validation, "more winners than places",
                        {{"winner_count", "more_than_capacity", "the event has " + std::to_string(e->capacity) + " places"}});
        id = insert(s, d, entrants, now);
    });
    return id;
}

DrawRun DrawStore::run(long long draw_id, const std::string& seed, const std::string& reason, long long by, long long now) {
    DrawRun out;
    db_.write([&](soci::session& s) {
        // The draw row's lock: two runs at once cannot both be "the first".
        s << "UPDATE community_draws SET runs = runs + 1 WHERE id = :d", use(draw_id);
        auto d = fetch(s, draw_id);
        if (!d) throw Error(ErrorKind::not_found, "no such draw");
        if (d->runs > 1 && reason.size() < 2)
            throw Error(ErrorKind::validation, "this draw has been run; another run needs a recorded reason",
                        {{"reason", "rerun_needs_reason", "why the draw is run again (it is shown beside the first)"}});
        auto entrants = fetch_entrants(s, draw_id);
        std::vector<std::string> codes;
        for (const auto& e : entrants) codes.push_back(e.code);
        auto r = run_draw(codes, seed, d->winner_count);
        if (r.list_hash != d->list_hash) throw std::runtime_error("frozen entrant list altered");
        boost::json::array order, winners;
        for (const auto& c : r.order) order.emplace_back(c);
        for (const auto& c : r.winners) winners.emplace_back(c);
        std::string result = boost::json::serialize(boost::json::object{{"order", order}, {"winners", winners}});
        s << "INSERT INTO community_draw_runs (draw_id, run_no, seed, reason, draw_key, result, at, by_account) VALUES (:d, "
             ":n, :s, :r, :k, :res, :a, :b)",
            use(draw_id), use(d->runs), use(seed), use(reason), use(r.key), use(result), use(now), use(by);
        out = DrawRun{d->runs, now, by, seed, reason, r.key, r.order, r.winners};
        if (!d->event_id) return;
        // An event draw allocates its places: the winners confirmed, the rest waitlisted in draw order.
        s << "UPDATE community_events SET taken = 0, updated_at = :n WHERE id = :e", use(now), use(d->event_id);
        std::map<std::string, long long> reg_of;
        for (const auto& e : entrants) reg_of[e.code] = e.registration_id;
        long long confirmed = 0, position = 0;
        for (const auto& code : r.order) {
            long long rid = reg_of[code];
            std::string status;
            s << "SELECT status FROM community_registrations WHERE id = :i", into(status), use(rid);
            if (status != "applied" && status != "confirmed" && status != "waitlisted") continue;  // left meanwhile
            ++position;
            if (confirmed < d->winner_count) {
                ++confirmed;
                s << "UPDATE community_registrations SET status = 'confirmed', position = :p, updated_at = :n WHERE id = :i",
                    use(position), use(now), use(rid);
            } else {
                s << "UPDATE community_registrations SET status = 'waitlisted', position = :p, details_enc = '', updated_at "
                     "= :n WHERE id = :i",
                    use(position), use(now), use(rid);
            }
        }
        s << "UPDATE community_events SET taken = :t WHERE id = :e", use(confirmed), use(d->event_id);
    });
    return out;
}

std::optional<Draw> DrawStore::draw(long long id) {
    std::optional<Draw> out;
    db_.read([&](soci::session& s) { out = fetch(s, id); });
    return out;
}

std::vector<Draw> DrawStore::list(long long district_id) {
    std::vector<long long> ids;
    db_.read([&](soci::session& s) {
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT id FROM community_draws WHERE district_id = :d ORDER BY id DESC", into(id),
                              use(district_id));
        st.execute();
        while (st.fetch()) ids.push_back(id);
    });
    std::vector<Draw> out;
    db_.read([&](soci::session& s) {
        for (auto id : ids)
            if (auto d = fetch(s, id)) out.push_back(*d);
    });
    return out;
}

std::vector<DrawEntrant> DrawStore::entrants(long long draw_id) {
    std::vector<DrawEntrant> out;
    db_.read([&](soci::session& s) { out = fetch_entrants(s, draw_id); });
    return out;
}

std::vector<DrawRun> DrawStore::runs(long long draw_id) {
    std::vector<DrawRun> out;
    db_.read([&](soci::session& s) {
        long long n = 0, at = 0, by = 0;
        std::string seed, reason, key, result;
        soci::statement st = (s.prepare << "SELECT run_no, seed, reason, draw_key, result, at, by_account FROM "
                                           "community_draw_runs WHERE draw_id = :d ORDER BY run_no",
                              into(n), into(seed), into(reason), into(key), into(result), into(at), into(by), use(draw_id));
        st.execute();
        while (st.fetch()) out.push_back(parse_run(n, seed, reason, key, result, at, by));
    });
    return out;
}

}  // namespace dure::community
