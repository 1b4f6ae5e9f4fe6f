#include "atlas/stats_api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "atlas/stats.hpp"
#include "atlas/stats_store.hpp"
#include "common/error.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"

namespace dure::catalog {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

// How many classes the choropleth draws (fewer when dongs share values).
constexpr int kClasses = 5;

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The media type of the request without parameters, lower case.
std::string media_type(const Request& req) {
    std::string ct = lower(req.header("content-type").value_or(""));
    auto semi = ct.find(';');
    if (semi != std::string::npos) ct = ct.substr(0, semi);
    while (!ct.empty() && ct.back() == ' ') ct.pop_back();
    return ct;
}

// ?district_id=, else the logged-in caller's district, else (anonymous) the default.
long long district_param(const Request& req, const std::function<long long()>& fallback,
                         identity::IdentityService& ids) {
    auto v = req.query_param("district_id");
    if (!v || v->empty()) {
        auto p = identity::principal_of(ids, req);
        return p.authenticated() ? p.district_id : fallback();
    }
    if (v->size() > 15 || v->find_first_not_of("0123456789") != std::string::npos || std::stoll(*v) < 1)
        throw Error(ErrorKind::validation, "1 field is invalid", {{"district_id", "out_of_range", "a district id"}});
    return std::stoll(*v);
}

// The dongs of a district, from identity (which owns districts). 404 for an unknown district.
std::vector<StatDong> dongs_of(identity::IdentityService& ids, long long district_id) {
    for (const auto& d : ids.store().districts()) {
        if (d.id != district_id) continue;
        std::vector<StatDong> out;
        for (const auto& g : d.dongs) out.push_back({g.id, g.code, g.name_ko, g.name_en});
        return out;
    }
    throw Error(ErrorKind::not_found, "no such district");
}

json::object indicator_json(const Indicator& i) {
    return {{"code", i.code},     {"name_ko", i.name_ko},         {"name_en", i.name_en},
            {"unit", i.unit},     {"description", i.description}, {"source", i.source},
            {"aggregate", i.aggregate}};
}

json::value dong_ref(const StatDong* d) {
    if (!d) return nullptr;
    return json::object{{"dong_id", d->id}, {"code", d->code}, {"name_ko", d->name_ko}, {"name_en", d->name_en}};
}

// The district's figure: the uploaded whole-district value, else the sum of every dong's value
// for counting indicators (null when a dong has none, or for rates, which do not add up).
json::value district_total(const Indicator& ind, const std::vector<StatValue>& values, std::size_t dong_count) {
    double sum = 0;
    std::size_t n = 0;
    for (const auto& v : values) {
        if (v.dong_id == 0)
            return json::object{{"value", v.value}, {"source", v.source}, {"computed", false}};
        sum += v.value;
        ++n;
    }
    if (ind.aggregate == "sum" && n > 0 && n == dong_count)
        return json::object{{"value", sum}, {"source", "sum of the dongs' values"}, {"computed", true}};
    return nullptr;
}

}  // namespace

void register_stats_routes(http::Router& router, store::Database& db, identity::IdentityService& ids,
                           std::function<long long()> default_district) {
    auto st = std::make_shared<StatsStore>(db);
    auto find_indicator = [st](const Request& req, FieldErrors& errors) -> std::optional<Indicator> {
        auto code = req.query_param("indicator").value_or("");
        if (code.empty()) {
            errors.add("indicator", "required", "an indicator code: see GET /api/v1/statistics/indicators");
            return std::nullopt;
        }
        for (auto& i : st->indicators())
            if (i.code == code) return i;
        errors.add("indicator", "unknown_indicator", "no such indicator: see GET /api/v1/statistics/indicators");
        return std::nullopt;
    };

    router.add({"GET", "/api/v1/map/dongs",
                [st, &ids, default_district](Request& req) {
                    long long district = district_param(req, default_district, ids);
                    auto dongs = dongs_of(ids, district);
                    json::array features;
                    for (const auto& b : st->boundaries(district)) {
                        auto d = std::find_if(dongs.begin(), dongs.end(), [&](auto& x) { return x.id == b.dong_id; });
                        if (d == dongs.end()) continue;
                        features.push_back(json::object{
                            {"type", "Feature"},
                            {"id", d->id},
                            {"properties",
                             {{"dong_id", d->id}, {"code", d->code}, {"name_ko", d->name_ko}, {"name_en", d->name_en}}},
                            {"geometry", json::parse(b.geometry)}});
                    }
                    Response r = http::json_response(
                        200, json::object{{"type", "FeatureCollection"}, {"features", std::move(features)}});
                    r.content_type = "application/geo+json";
                    return r;
                },
                "Dong boundaries of a district as a GeoJSON FeatureCollection (properties dong_id, code, "
                "name_ko, name_en)",
                "map"});

    router.add({"PUT", "/api/v1/map/dongs",
                [st, &ids, default_district](Request& req) {
                    long long district = district_param(req, default_district, ids);
                    auto p = identity::principal_of(ids, req);
                    identity::require(p, identity::Action::import_boundaries, {district});
                    auto mt = media_type(req);
                    if (mt != "application/json" && mt != "application/geo+json")
                        throw Error(ErrorKind::unsupported_media_type,
                                    "send the GeoJSON as application/geo+json or application/json");
                    auto dongs = dongs_of(ids, district);
                    auto res = read_dong_boundaries(req.body, dongs);
                    if (!res.errors.empty()) {
                        auto n = res.errors.size();
                        throw Error(ErrorKind::validation,
                                    std::to_string(n) + (n == 1 ? " problem" : " problems") +
                                        " in the GeoJSON; no boundary was changed",
                                    res.errors);
                    }
                    std::string source = req.query_param("source").value_or("");
                    if (source.empty() || source.size() > 500 || has_control_chars(source))
                        source = "uploaded by account " + std::to_string(p.account_id);
                    st->replace_boundaries(district, res.boundaries, source, store::now_unix());
                    return http::json_response(200, json::object{{"district_id", district},
                                                                 {"dongs", res.boundaries.size()},
                                                                 {"without_boundary", dongs.size() - res.boundaries.size()}});
                },
                "Replace the district's dong boundaries with a GeoJSON FeatureCollection (district admin; all "
                "or nothing)",
                "map", false, R"({"type":"object","required":["type","features"],"properties":{"type":{"const":"FeatureCollection"},)"
                R"("features":{"type":"array","items":{"type":"object"}}}})"});

    router.add({"GET", "/api/v1/statistics/indicators",
                [st, &ids, default_district](Request& req) {
                    long long district = district_param(req, default_district, ids);
                    json::array items;
                    for (const auto& i : st->indicators()) {
                        auto o = indicator_json(i);
                        json::array years;
                        for (auto y : st->years(district, i.code)) years.push_back(y);
                        o["years"] = std::move(years);
                        items.push_back(std::move(o));
                    }
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Indicators statistics are reported on, with the years the district has values for",
                "statistics"});

    router.add({"GET", "/api/v1/statistics",
                [st, &ids, default_district, find_indicator](Request& req) {
                    FieldErrors errors;
                    long long district = district_param(req, default_district, ids);
                    auto ind = find_indicator(req, errors);
                    long long year = 0;
                    if (auto y = req.query_param("year"); y && !y->empty()) {
                        if (y->size() != 4 || y->find_first_not_of("0123456789") != std::string::npos ||
                            std::stoll(*y) < kFirstStatYear || std::stoll(*y) > kLastStatYear)
                            errors.add("year", "out_of_range", "a year from 1990 to 2100");
                        else year = std::stoll(*y);
                    }
                    errors.throw_if_any();
                    auto dongs = dongs_of(ids, district);
                    auto years = st->years(district, ind->code);
                    if (year == 0 && !years.empty()) year = years.back();
                    auto values = st->values(district, ind->code, year ? year : -1);

                    std::map<long long, const StatValue*> by_dong;
                    std::vector<double> dong_values;
                    std::set<std::string> sources, dong_sources;
                    for (const auto& v : values) {
                        if (!v.source.empty()) sources.insert(v.source);
                        if (v.dong_id == 0) continue;
                        if (!v.source.empty()) dong_sources.insert(v.source);
                        by_dong[v.dong_id] = &v;
                        dong_values.push_back(v.value);
                    }
                    auto breaks = quantile_breaks(dong_values, kClasses);
                    json::array items;
                    for (const auto& d : dongs) {
                        auto it = by_dong.find(d.id);
                        auto o = dong_ref(&d).as_object();
                        if (it == by_dong.end()) {
                            o["value"] = nullptr;
                            o["class"] = nullptr;
                            o["source"] = nullptr;
                        } else {
                            o["value"] = it->second->value;
                            o["class"] = class_of(breaks, it->second->value);
                            o["source"] = it->second->source;
                        }
                        items.push_back(std::move(o));
                    }
                    json::array edges, ys, srcs;
                    for (double b : breaks.breaks) edges.push_back(b);
                    for (auto y : years) ys.push_back(y);
                    for (const auto& s : sources) srcs.push_back(json::string(s));
                    // The source of the map's numbers (the dongs'); the district's is in `district`.
                    std::string source;
                    for (const auto& x : dong_sources) source += (source.empty() ? "" : "; ") + x;
                    if (source.empty()) source = ind->source;
                    return http::json_response(
                        200, json::object{{"indicator", indicator_json(*ind)},
                                          {"district_id", district},
                                          {"year", year ? json::value(year) : json::value(nullptr)},
                                          {"years", std::move(ys)},
                                          {"unit", ind->unit},
                                          {"district", district_total(*ind, values, dongs.size())},
                                          {"dongs", std::move(items)},
                                          {"breaks", json::object{{"method", breaks.method},
                                                                  {"classes", breaks.classes()},
                                                                  {"breaks", std::move(edges)}}},
                                          {"source", source},
                                          {"sources", std::move(srcs)}});
                },
                "Values of an indicator per dong for a year (latest by default), the district total, and "
                "quantile class breaks for the choropleth",
                "statistics"});

    router.add({"GET", "/api/v1/statistics/series",
                [st, &ids, default_district, find_indicator](Request& req) {
                    FieldErrors errors;
                    long long district = district_param(req, default_district, ids);
                    auto ind = find_indicator(req, errors);
                    auto dongs = dongs_of(ids, district);
                    const StatDong* dong = nullptr;
                    std::string key = req.query_param("dong").value_or("");
                    if (!key.empty() && key != kWholeDistrict) {
                        for (const auto& d : dongs)
                            if (std::to_string(d.id) == key) dong = &d;
                        if (!dong) dong = find_dong(dongs, key);
                        if (!dong) errors.add("dong", "unknown_dong", "a dong id, code or name of this district, or 전체");
                    }
                    errors.throw_if_any();
                    json::array items;
                    auto rows = st->series(district, ind->code, dong ? dong->id : 0);
                    if (!dong && rows.empty() && ind->aggregate == "sum") {
                        // No whole-district rows uploaded: add up the dongs, year by year.
                        for (auto y : st->years(district, ind->code)) {
                            auto total = district_total(*ind, st->values(district, ind->code, y), dongs.size());
                            if (total.is_null()) continue;
                            items.push_back(json::object{{"year", y},
                                                         {"value", total.at("value")},
                                                         {"source", total.at("source")},
                                                         {"computed", true}});
                        }
                    }
                    for (const auto& v : rows)
                        items.push_back(json::object{{"year", v.year}, {"value", v.value}, {"source", v.source}, {"computed", false}});
                    return http::json_response(200, json::object{{"indicator", indicator_json(*ind)},
                                                                 {"district_id", district},
                                                                 {"dong", dong_ref(dong)},
                                                                 {"unit", ind->unit},
                                                                 {"items", std::move(items)}});
                },
                "Values of an indicator by year for one dong (dong=id, code or name) or the whole district",
                "statistics"});

    router.add({"POST", "/api/v1/statistics/upload",
                [st, &ids, default_district](Request& req) {
                    long long district = district_param(req, default_district, ids);
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    // Never allowed at any scope: refuse before reading the file.
                    if (!identity::may_ever(p, identity::Action::upload_statistics))
                        identity::require(p, identity::Action::upload_statistics, {district});
                    if (media_type(req) != "text/csv")
                        throw Error(ErrorKind::unsupported_media_type, "send the file as text/csv (UTF-8)");
                    auto enc = detect_encoding(req.body);
                    if (enc != TextEncoding::utf8)
                        throw Error(ErrorKind::validation, "the file is not UTF-8; nothing was imported",
                                    {{"body", enc == TextEncoding::cp949 ? "cp949_encoding" : "not_utf8",
                                      enc == TextEncoding::cp949
                                          ? "the file looks like CP949/EUC-KR (Excel's Korean CSV): save it as "
                                            "\"CSV UTF-8\" and upload again"
                                          : "the file is not valid UTF-8 text"}});
                    auto dongs = dongs_of(ids, district);
                    auto up = read_statistics_csv(req.body, st->indicators(), dongs, district);
                    if (!up.errors.empty()) {
                        auto n = up.errors.size();
                        throw Error(ErrorKind::validation,
                                    std::to_string(n) + (n == 1 ? " problem" : " problems") +
                                        " in the file; nothing was imported",
                                    up.errors);
                    }
                    // A caseworker scoped to a dong uploads that dong's rows only.
                    std::set<long long> targets;
                    for (const auto& v : up.values) targets.insert(v.dong_id);
                    for (auto d : targets) identity::require(p, identity::Action::upload_statistics, {district, d});
                    long long now = store::now_unix();
                    std::set<std::string> indicators;
                    std::set<long long> years;
                    for (auto& v : up.values) {
                        v.uploaded_by = "account:" + std::to_string(p.account_id);
                        v.uploaded_at = now;
                        indicators.insert(v.indicator);
                        years.insert(v.year);
                    }
                    auto counts = st->save(up.values);
                    json::array inds, ys;
                    for (const auto& i : indicators) inds.push_back(json::string(i));
                    for (auto y : years) ys.push_back(y);
                    return http::json_response(200, json::object{{"rows", up.values.size()},
                                                                 {"inserted", counts.inserted},
                                                                 {"replaced", counts.replaced},
                                                                 {"unchanged", counts.unchanged},
                                                                 {"indicators", std::move(inds)},
                                                                 {"years", std::move(ys)}});
                },
                "Upload statistics as CSV (text/csv, UTF-8): indicator,dong,year,value[,unit,source]; every "
                "row is checked and any error imports nothing; same rows again replace the values",
                "statistics", false,
                R"({"type":"string","contentMediaType":"text/csv","description":"UTF-8 CSV: indicator,dong,year,value[,unit,source]"})"});
}

}  // namespace dure::catalog
