// The published report of a survey over HTTP. The public never sees a live count: an official
// publishes a snapshot (POST .../report/snapshots), its cells suppressed against small counts,
// subtraction from totals and comparison with earlier snapshots (surveys/published.hpp), and the
// public report serves the latest snapshot or a chosen one.
#include <soci/soci.h>

#include <array>
#include <boost/json.hpp>

#include "news/news.hpp"
#include "common/dates.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "surveys/published.hpp"
#include "surveys/surveys.hpp"

namespace dure::surveys {

namespace json = boost::json;
using http::Request;
using identity::Action;
using soci::into;
using soci::use;

namespace {

constexpr const char* kMeasures[] = {"surveyed", "newly_discovered", "supported"};

std::string kind_of(const Questionnaire& q) {
    return "survey:" + q.code;
}

// Live counts of one survey year, as cells and their relations (a dong's counts add up to the total).
struct Table {
    Cells cells;
    Structure structure;
    std::vector<long long> dongs;
    std::vector<std::string> flags;
};

Table count(store::Database& db, long long district, const std::string& code, long long year) {
    Table t;
    std::map<long long, std::array<long long, 3>> by_dong;
    std::map<std::string, long long> by_flag;
    std::array<long long, 3> total{};
    db.read([&](soci::session& s) {
        long long dong = 0;
        std::string flags, follow, c = code;
        soci::statement st = (s.prepare << "SELECT dong_id, flags, follow_up FROM survey_responses WHERE district_id = :d "
                                           "AND survey = :s AND year = :y",
                              into(dong), into(flags), into(follow), use(district), use(c), use(year));
        st.execute();
        while (st.fetch()) {
            bool discovered = flags != "[]";
            auto& d = by_dong[dong];
            ++d[0], ++total[0];
            if (discovered) ++d[1], ++total[1];
            if (follow == "supported") ++d[2], ++total[2];
            auto parsed = json::parse(flags);
            for (const auto& f : parsed.as_array()) ++by_flag[std::string(f.as_string())];
        }
    });
    for (int m = 0; m < 3; ++m) {
        Relation rel{std::string("total.") + kMeasures[m], {}};
        t.cells[rel.total] = total[m];
        for (const auto& [d, v] : by_dong) {
            auto k = "dong." + std::to_string(d) + "." + kMeasures[m];
            t.cells[k] = v[m];
            rel.parts.push_back(k);
        }
        t.structure.relations.push_back(std::move(rel));
    }
    for (const auto& [d, v] : by_dong) {
        t.dongs.push_back(d);
        auto k = "dong." + std::to_string(d) + ".";
        t.structure.rows.push_back({k + "surveyed", k + "newly_discovered", k + "supported"});
        t.structure.subsets.push_back({k + "surveyed", k + "newly_discovered"});
    }
    t.structure.subsets.push_back({"total.surveyed", "total.newly_discovered"});
    for (const auto& [f, n] : by_flag) {
        t.cells["flag." + f] = n;
        t.flags.push_back(f);
        t.structure.subsets.push_back({"total.surveyed", "flag." + f});
    }
    return t;
}

json::value cell_json(const PublishedCells& p, const std::string& k) {
    auto it = p.find(k);
    return it == p.end() || !it->second ? json::value(nullptr) : json::value(*it->second);
}

// A stored snapshot's cells, back from its JSON (for the differencing check of the next one).
PublishedCells cells_of(const json::object& body) {
    PublishedCells out;
    auto num = [](const json::value& v) {
        return v.is_int64() ? std::optional<long long>(v.as_int64()) : std::optional<long long>();
    };
    for (const char* m : kMeasures)
        if (auto it = body.find(m); it != body.end()) out[std::string("total.") + m] = num(it->value());
    if (auto it = body.find("by_dong"); it != body.end() && it->value().is_array())
        for (const auto& d : it->value().as_array()) {
            const auto& o = d.as_object();
            auto id = std::to_string(o.at("dong_id").as_int64());
            for (const char* m : kMeasures)
                if (auto c = o.find(m); c != o.end()) out["dong." + id + "." + m] = num(c->value());
        }
    if (auto it = body.find("by_flag"); it != body.end() && it->value().is_object())
        for (const auto& [f, v] : it->value().as_object()) out["flag." + std::string(f)] = num(v);
    return out;
}

struct Snapshot {
    long long id = 0, published_at = 0;
    std::string period, body;
};

std::vector<Snapshot> snapshots(store::Database& db, long long district, const std::string& kind,
                                const std::string& period) {
    std::vector<Snapshot> out;
    db.read([&](soci::session& s) {
        Snapshot x;
        std::string k = kind, p = period;
        soci::statement st =
            (s.prepare << "SELECT id, published_at, period, body FROM published_reports WHERE district_id = :d "
                          "AND kind = :k AND (:p = '' OR period = :p2) ORDER BY id",
             into(x.id), into(x.published_at), into(x.period), into(x.body), use(district), use(k), use(p), use(p));
        st.execute();
        while (st.fetch()) out.push_back(x);
    });
    return out;
}

const char* kNote =
    "published snapshot: counts from 1 to 4, dongs with 1 to 4 respondents, counts whose complement is 1 to 4, counts "
    "that changed by 1 to 4 since an earlier snapshot, and the cells that would reveal them through the totals are "
    "shown as null";

}  // namespace

void add_report_routes(http::Router& router, store::Database& db, identity::IdentityService& ids,
                       std::function<long long()> default_district) {
    auto survey_of = [](const Request& req) -> const Questionnaire& {
        auto it = questionnaires().find(req.param("code"));
        if (it == questionnaires().end()) throw Error(ErrorKind::not_found, "no such survey");
        return it->second;
    };
    auto this_year = [] { return std::stoll(today_seoul().substr(0, 4)); };

    router.add({"POST", "/api/v1/surveys/{code}/report/snapshots",
                [&db, &ids, survey_of, this_year, default_district](Request& req) {
                    const auto& q = survey_of(req);
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first (or the session has expired)");
                    long long district = default_district();
                    identity::require(p, Action::upload_statistics, {district});
                    auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"year"});
                    auto year = r.integer("year", false, 2000, this_year()).value_or(this_year());
                    errors.throw_if_any();
                    auto table = count(db, district, q.code, year);
                    std::string kind = kind_of(q), period = std::to_string(year);
                    long long now = store::now_unix(), id = 0;
                    json::object out;
                    db.write([&](soci::session& s) {
                        // One publisher at a time per district, so two snapshots never skip each other's check.
                        if (db.dialect() == store::Dialect::postgresql)
                            s << "SELECT pg_advisory_xact_lock(8012, " + std::to_string(district % 2147483647) + ")";
                        std::vector<PublishedCells> earlier;
                        std::string prev;
                        soci::statement st = (s.prepare << "SELECT body FROM published_reports WHERE district_id = :d AND "
                                                           "kind = :k AND period = :p ORDER BY id",
                                              into(prev), use(district), use(kind), use(period));
                        st.execute();
                        while (st.fetch()) earlier.push_back(cells_of(json::parse(prev).as_object()));
                        auto pub = suppress(table.cells, table.structure, earlier);
                        json::array dongs;
                        for (long long d : table.dongs) {
                            auto k = "dong." + std::to_string(d) + ".";
                            dongs.push_back(json::object{{"dong_id", d}, {"surveyed", cell_json(pub, k + "surveyed")},
                                                         {"newly_discovered", cell_json(pub, k + "newly_discovered")},
                                                         {"supported", cell_json(pub, k + "supported")}});
                        }
                        json::object flags;
                        for (const auto& f : table.flags) flags[f] = cell_json(pub, "flag." + f);
                        out = json::object{{"survey", q.code}, {"title_ko", q.title_ko}, {"year", year},
                                           {"surveyed", cell_json(pub, "total.surveyed")},
                                           {"newly_discovered", cell_json(pub, "total.newly_discovered")},
                                           {"supported", cell_json(pub, "total.supported")},
                                           {"by_flag", std::move(flags)}, {"by_dong", std::move(dongs)}, {"note", kNote}};
                        std::string text = json::serialize(out);
                        s << "INSERT INTO published_reports (district_id, kind, period, body, published_by, published_at) "
                             "VALUES (:d, :k, :p, :b, :by, :at) RETURNING id",
                            use(district), use(kind), use(period), use(text), use(p.account_id), use(now), into(id);
                    });
                    out["snapshot_id"] = id;
                    out["published_at"] = catalog::format_timestamp(now);
                    return http::json_response(201, out);
                },
                "Publish a snapshot of a survey year's report (district_admin; upload_statistics for the district): "
                "the public report serves it from then on; small counts, counts that changed by 1 to 4 since an "
                "earlier snapshot and their complements are suppressed",
                "surveys", false, R"({"type":"object","additionalProperties":false,"properties":{"year":{"type":"integer"}}})",
                201});

    router.add({"GET", "/api/v1/surveys/{code}/report/snapshots",
                [&db, survey_of, default_district](Request& req) {
                    const auto& q = survey_of(req);
                    json::array items;
                    for (const auto& x : snapshots(db, default_district(), kind_of(q), ""))
                        items.push_back(json::object{{"id", x.id},
                                                     {"year", std::stoll(x.period)},
                                                     {"published_at", catalog::format_timestamp(x.published_at)}});
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "The published snapshots of a survey's report, oldest first (public)", "surveys", false});

    router.add({"GET", "/api/v1/surveys/{code}/report",
                [&db, survey_of, default_district](Request& req) {
                    const auto& q = survey_of(req);
                    std::string period;
                    if (auto y = req.query_param("year")) {
                        if (y->empty() || y->size() > 4 || y->find_first_not_of("0123456789") != std::string::npos)
                            throw Error(ErrorKind::validation, "year must be a year like 2025",
                                        {{"year", "invalid_year", "a year like 2025"}});
                        period = *y;
                    }
                    long long wanted = 0;
                    if (auto sn = req.query_param("snapshot")) {
                        if (sn->empty() || sn->size() > 15 || sn->find_first_not_of("0123456789") != std::string::npos)
                            throw Error(ErrorKind::validation, "snapshot must be a snapshot id",
                                        {{"snapshot", "invalid_snapshot", "an id from .../report/snapshots"}});
                        wanted = std::stoll(*sn);
                    }
                    auto list = snapshots(db, default_district(), kind_of(q), period);
                    const Snapshot* chosen = nullptr;
                    for (const auto& x : list)
                        if (wanted ? x.id == wanted : true) chosen = &x;
                    if (!chosen)
                        throw Error(ErrorKind::not_found, wanted ? "no such snapshot of this survey's report"
                                                                 : "no report of this survey has been published yet");
                    auto out = json::parse(chosen->body).as_object();
                    out["snapshot_id"] = chosen->id;
                    out["published_at"] = catalog::format_timestamp(chosen->published_at);
                    return http::json_response(200, out);
                },
                "The published report of a survey (public): the latest snapshot an official published (of ?year=, "
                "or ?snapshot= id): surveyed, newly discovered (any flag), supported, by flag and by dong, with small "
                "counts and their complements suppressed",
                "surveys", false});
}

}  // namespace dure::surveys
