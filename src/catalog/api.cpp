#include "catalog/api.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <list>
#include <mutex>
#include <unordered_map>
#include <ctime>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"

namespace dure::catalog {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

// Recent search answers by request target, for the catalogue generation they were computed at:
// the popular queries (기초연금, 노인일자리 …) are asked over and over, and an edit anywhere makes
// every older answer unreachable. Least recently used answers go first.
class AnswerCache {
public:
    explicit AnswerCache(std::size_t capacity) : capacity_(capacity) {}
    std::optional<Response> get(const std::string& key) {
        std::lock_guard lock(mu_);
        auto it = map_.find(key);
        if (it == map_.end()) return std::nullopt;
        lru_.splice(lru_.begin(), lru_, it->second);
        return it->second->second;
    }
    void put(const std::string& key, const Response& r) {
        std::lock_guard lock(mu_);
        if (auto it = map_.find(key); it != map_.end()) {
            it->second->second = r;
            lru_.splice(lru_.begin(), lru_, it->second);
            return;
        }
        lru_.emplace_front(key, r);
        map_[key] = lru_.begin();
        while (lru_.size() > capacity_) {
            map_.erase(lru_.back().first);
            lru_.pop_back();
        }
    }

private:
    std::size_t capacity_;
    std::mutex mu_;
    std::list<std::pair<std::string, Response>> lru_;
    std::unordered_map<std::string, std::list<std::pair<std::string, Response>>::iterator> map_;
};


constexpr int kPageSize = 20;

bool all_digits(const std::string& s) {
    return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

long long int_param(const Request& req, const char* name, long long fallback, long long min, long long max,
                    FieldErrors& errors) {
    auto v = req.query_param(name);
    if (!v || v->empty()) return fallback;
    if (!all_digits(*v) || std::stoll(*v) < min || std::stoll(*v) > max) {
        errors.add(name, "out_of_range", "an integer from " + std::to_string(min) + " to " + std::to_string(max));
        return fallback;
    }
    return std::stoll(*v);
}

// Values of a repeatable filter (?topic=a&topic=b or ?topic=a,b), each checked against the vocabulary.
std::vector<std::string> codes_param(const Request& req, const char* name, const std::string& dimension,
                                     const Vocabulary& vocab, FieldErrors& errors) {
    std::vector<std::string> out;
    for (const auto& [k, v] : req.query) {
        if (k != name) continue;
        std::size_t pos = 0;
        while (pos <= v.size()) {
            auto comma = v.find(',', pos);
            std::string code = v.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            pos = comma == std::string::npos ? v.size() + 1 : comma + 1;
            if (code.empty()) continue;
            if (!vocab.find(dimension, code)) {
                errors.add(name, "unknown_code", "not a " + dimension + " code: see GET /api/v1/catalog/vocabulary");
                continue;
            }
            out.push_back(code);
        }
    }
    return out;
}

json::array labelled(const std::vector<std::string>& codes, const std::string& dim, const Vocabulary& vocab) {
    json::array a;
    for (const auto& c : codes) {
        const Term* t = vocab.find(dim, c);
        a.push_back(json::object{{"code", c}, {"ko", t ? t->ko : c}, {"en", t ? t->en : c}});
    }
    return a;
}

json::object service_summary(const Service& s, const Vocabulary& vocab) {
    const Term* level = vocab.find("provider_level", s.provider_level);
    json::object o{{"id", s.id},
                   {"name", s.name},
                   {"alternate_name", s.alternate_name},
                   {"description", s.description},
                   {"status", s.status},
                   {"program_code", s.program_code.empty() ? json::value(nullptr) : json::value(s.program_code)},
                   {"provider_level",
                    json::object{{"code", s.provider_level},
                                 {"ko", level ? level->ko : s.provider_level},
                                 {"en", level ? level->en : s.provider_level}}},
                   {"organization_id", s.organization_id},
                   {"life_stages", labelled(s.life_stages, "life_stage", vocab)},
                   {"situations", labelled(s.situations, "situation", vocab)},
                   {"topics", labelled(s.topics, "topic", vocab)},
                   {"last_verified", s.last_verified},
                   {"version", s.version}};
    json::array dongs;
    for (auto d : s.dong_ids) dongs.push_back(d);
    o["dong_ids"] = std::move(dongs);
    return o;
}

// A facility type as {code, ko, en}, whether stored by code or by its Korean name.
json::object facility_type_json(const std::string& type, const Vocabulary& vocab) {
    const Term* t = vocab.facility_type(type);
    return {{"code", t ? t->code : type}, {"ko", t ? t->ko : type}, {"en", t ? t->en : type}};
}

json::object service_detail(Catalog& cat, const Service& s) {
    const auto& vocab = cat.vocabulary();
    auto o = service_summary(s, vocab);
    o["url"] = s.url;
    o["email"] = s.email;
    o["eligibility_description"] = s.eligibility_description;
    o["application_process"] = s.application_process;
    o["application_period"] = s.application_period;
    o["fees_description"] = s.fees_description;
    o["minimum_age"] = s.minimum_age ? json::value(*s.minimum_age) : json::value(nullptr);
    o["maximum_age"] = s.maximum_age ? json::value(*s.maximum_age) : json::value(nullptr);
    o["channels"] = labelled(s.channels, "channel", vocab);
    json::array kw;
    for (const auto& k : s.keywords) kw.push_back(json::string(k));
    o["keywords"] = std::move(kw);
    o["source"] = s.source;
    if (auto org = cat.store().organization(s.organization_id))
        o["organization"] = json::object{{"id", org->id}, {"name", org->name}, {"website", org->website}};
    json::array places;
    auto links = cat.store().service_at_locations(s.district_id, s.id, "", "", "", 0, 50);
    for (const auto& l : links.items)
        if (auto f = cat.store().facility(l.location_id))
            places.push_back(json::object{{"id", f->id},
                                          {"name", f->name},
                                          {"type", facility_type_json(f->type, vocab)},
                                          {"dong_id", f->dong_id},
                                          {"address", f->address},
                                          {"phone", f->phone},
                                          {"hours", f->hours},
                                          {"latitude", f->latitude},
                                          {"longitude", f->longitude}});
    o["facilities"] = std::move(places);
    return o;
}

json::object facility_json(const Facility& f, const Vocabulary& vocab) {
    json::array acc, services;
    for (const auto& a : f.accessibility) acc.push_back(json::string(a));
    for (const auto& s : f.service_ids) services.push_back(json::string(s));
    return {{"id", f.id},
            {"name", f.name},
            {"type", facility_type_json(f.type, vocab)},
            {"dong_id", f.dong_id},
            {"organization_id", f.organization_id},
            {"description", f.description},
            {"address", f.address},
            {"phone", f.phone},
            {"hours", f.hours},
            {"capacity", f.capacity},
            {"latitude", f.latitude},
            {"longitude", f.longitude},
            {"accessibility", std::move(acc)},
            {"service_ids", std::move(services)}};
}

json::array facet_json(const std::vector<std::pair<std::string, int>>& counts, const std::string& dim,
                       const Vocabulary& vocab) {
    json::array a;
    for (const auto& [code, n] : counts) {
        const Term* t = vocab.find(dim, code);
        a.push_back(json::object{{"code", code}, {"ko", t ? t->ko : code}, {"en", t ? t->en : code}, {"count", n}});
    }
    return a;
}

// Reads the editable fields of a service from a request body into `s`.
void read_service_body(const json::object& body, Service& s, const Vocabulary& vocab, FieldErrors& errors,
                       bool creating) {
    http::BodyReader r(body, errors);
    r.allow_only({"name", "alternate_name", "description", "url", "email", "organization_id",
                  "eligibility_description", "application_process", "application_period", "fees_description",
                  "minimum_age", "maximum_age", "program_code", "provider_level", "life_stages", "situations",
                  "topics", "keywords", "channels", "dong_ids", "source", "version", "note"});
    if (auto v = r.string("name", creating, 200)) s.name = *v;
    auto text = [&](const char* key, std::string& into, std::size_t max) {
        if (auto v = r.string(key, false, max)) into = *v;
    };
    text("alternate_name", s.alternate_name, 200);
    text("description", s.description, 4000);
    text("url", s.url, 500);
    text("email", s.email, 254);
    text("organization_id", s.organization_id, 64);
    text("eligibility_description", s.eligibility_description, 4000);
    text("application_process", s.application_process, 4000);
    text("application_period", s.application_period, 200);
    text("fees_description", s.fees_description, 1000);
    text("program_code", s.program_code, 64);
    text("source", s.source, 500);
    if (auto v = r.string("provider_level", creating, 20)) {
        if (!vocab.find("provider_level", *v)) errors.add("provider_level", "unknown_code", "national, metropolitan, district or private");
        else s.provider_level = *v;
    }
    if (auto v = r.integer("minimum_age", false, 0, 150)) s.minimum_age = static_cast<int>(*v);
    if (auto v = r.integer("maximum_age", false, 0, 150)) s.maximum_age = static_cast<int>(*v);
    if (s.minimum_age && s.maximum_age && *s.minimum_age > *s.maximum_age)
        errors.add("maximum_age", "below_minimum", "must not be below minimum_age");
    auto list = [&](const char* key, const char* dim, std::vector<std::string>& into, bool free_text) {
        auto it = body.find(key);
        if (it == body.end()) return;
        if (!it->value().is_array() || it->value().as_array().size() > 50) {
            errors.add(key, "not_a_list", "a list of at most 50 strings");
            return;
        }
        std::vector<std::string> out;
        for (const auto& e : it->value().as_array()) {
            if (!e.is_string() || e.as_string().empty() || e.as_string().size() > 100 ||
                has_control_chars(std::string_view(e.as_string()))) {
                errors.add(key, "not_a_list", "a list of short strings");
                return;
            }
            std::string v(e.as_string());
            if (!free_text && !vocab.find(dim, v)) {
                errors.add(key, "unknown_code", std::string("not a ") + dim + " code: " + v);
                return;
            }
            out.push_back(v);
        }
        into = std::move(out);
    };
    list("life_stages", "life_stage", s.life_stages, false);
    list("situations", "situation", s.situations, false);
    list("topics", "topic", s.topics, false);
    list("channels", "channel", s.channels, false);
    list("keywords", "", s.keywords, true);
    if (auto it = body.find("dong_ids"); it != body.end()) {
        if (!it->value().is_array()) {
            errors.add("dong_ids", "not_a_list", "a list of dong ids");
        } else {
            s.dong_ids.clear();
            for (const auto& e : it->value().as_array()) {
                if (!e.is_int64() || e.as_int64() <= 0) {
                    errors.add("dong_ids", "not_a_list", "a list of dong ids");
                    break;
                }
                s.dong_ids.push_back(e.as_int64());
            }
        }
    }
    if (creating && s.topics.empty() && !errors.has("topics")) errors.add("topics", "required", "at least one topic");
}

}  // namespace

void register_routes(http::Router& router, Catalog& cat, identity::IdentityService& ids,
                     std::function<long long()> default_district) {
    // ?district_id=, else the logged-in caller's district, else (anonymous) the deployment's
    // default: an official never works on another district's catalogue by default.
    auto district_of = [default_district, &ids](const Request& req, FieldErrors& errors) {
        if (auto d = int_param(req, "district_id", 0, 1, 1LL << 53, errors)) return d;
        if (errors.has("district_id")) return default_district();
        auto p = identity::principal_of(ids, req);
        return p.authenticated() ? p.district_id : default_district();
    };

    router.add({"GET", "/api/v1/catalog/vocabulary",
                [&cat](Request&) {
                    Response r;
                    r.body = cat.vocabulary().json();
                    r.set_header("Cache-Control", "public, max-age=3600");
                    return r;
                },
                "Life stages, situations, topics, provider levels, channels and facility types (ko/en)",
                "catalog", true});

    auto search = [&cat, district_of](Request& req, const std::string& q_in, const json::object* body) {
        FieldErrors errors;
        SearchQuery q;
        q.q = q_in;
        const auto& vocab = cat.vocabulary();
        if (body) {
            auto list = [&](const char* key, const char* dim, std::vector<std::string>& into) {
                auto it = body->find(key);
                if (it == body->end()) return;
                if (!it->value().is_array()) return errors.add(key, "not_a_list", "a list of codes");
                for (const auto& e : it->value().as_array()) {
                    if (!e.is_string() || !vocab.find(dim, std::string(e.as_string())))
                        return errors.add(key, "unknown_code", std::string("not a ") + dim + " code");
                    into.emplace_back(e.as_string());
                }
            };
            list("life_stage", "life_stage", q.life_stages);
            list("situation", "situation", q.situations);
            list("topic", "topic", q.topics);
            list("provider", "provider_level", q.providers);
        } else {
            q.life_stages = codes_param(req, "life_stage", "life_stage", vocab, errors);
            q.situations = codes_param(req, "situation", "situation", vocab, errors);
            q.topics = codes_param(req, "topic", "topic", vocab, errors);
            q.providers = codes_param(req, "provider", "provider_level", vocab, errors);
        }
        q.dong_id = int_param(req, "dong", 0, 1, 1LL << 53, errors);
        long long page = int_param(req, "page", 1, 1, 100000, errors);
        long long district = district_of(req, errors);
        errors.throw_if_any();
        q.offset = static_cast<int>((page - 1) * kPageSize);
        q.limit = kPageSize;
        auto res = cat.search(district, q);
        json::array items;
        for (const auto& h : res.hits) {
            auto s = cat.summary(h.id);  // from memory: no database read per result
            if (!s) continue;
            auto o = service_summary(*s, vocab);
            o["why"] = h.why;
            items.push_back(std::move(o));
        }
        json::array notes;
        for (const auto& n : res.notes) notes.push_back(json::string(n));
        return http::json_response(
            200, json::object{{"items", std::move(items)},
                              {"total", res.total},
                              {"page", page},
                              {"page_size", kPageSize},
                              {"query", json::object{{"normalized", res.normalized_query}, {"notes", std::move(notes)}}},
                              {"facets", json::object{{"life_stage", facet_json(res.facets.life_stage, "life_stage", vocab)},
                                                      {"situation", facet_json(res.facets.situation, "situation", vocab)},
                                                      {"topic", facet_json(res.facets.topic, "topic", vocab)},
                                                      {"provider", facet_json(res.facets.provider, "provider_level", vocab)}}}});
    };

    auto answers = std::make_shared<AnswerCache>(512);
    router.add({"GET", "/api/v1/services",
                [search, answers, &cat](Request& req) {
                    std::string key = std::to_string(cat.generation()) + "|" + req.target;
                    if (auto hit = answers->get(key)) return *hit;
                    auto r = search(req, req.query_param("q").value_or(""), nullptr);
                    if (r.status == 200) answers->put(key, r);
                    return r;
                },
                "Search services: q, life_stage, situation, topic, provider (repeatable), dong, page; "
                "items, total and facet counts",
                "catalog"});

    router.add({"POST", "/api/v1/services/search",
                [search](Request& req) {
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"q", "life_stage", "situation", "topic", "provider"});
                    std::string q;
                    if (auto it = body.find("q"); it != body.end()) {
                        if (!it->value().is_string()) errors.add("q", "not_a_string", "expected a string");
                        else q = std::string(it->value().as_string());
                    }
                    errors.throw_if_any();
                    return search(req, q, &body);
                },
                "Search services with the query in a JSON body (for very long queries); same answer as GET",
                "catalog", false,
                R"({"type":"object","properties":{"q":{"type":"string"},"life_stage":{"type":"array","items":{"type":"string"}},)"
                R"("situation":{"type":"array","items":{"type":"string"}},"topic":{"type":"array","items":{"type":"string"}},)"
                R"("provider":{"type":"array","items":{"type":"string"}}}})"});

    router.add({"GET", "/api/v1/services/{id}",
                [&cat](Request& req) {
                    auto s = cat.store().service(req.param("id"));
                    if (!s) throw Error(ErrorKind::not_found, "no such service");
                    return http::json_response(200, service_detail(cat, *s));
                },
                "One service: who it is for, what you get, how to apply, where", "catalog"});

    auto official = [&ids](Request& req, long long district) {
        auto p = identity::principal_of(ids, req);
        identity::require(p, identity::Action::edit_catalog, {district});
        return p;
    };
    auto actor = [](const identity::Principal& p) { return "account:" + std::to_string(p.account_id); };

    router.add({"POST", "/api/v1/services",
                [&cat, official, actor, district_of](Request& req) {
                    FieldErrors errors;
                    long long district = district_of(req, errors);
                    errors.throw_if_any();
                    auto p = official(req, district);
                    auto body = http::parse_json_object(req);
                    Service s;
                    s.district_id = district;
                    read_service_body(body, s, cat.vocabulary(), errors, true);
                    if (!s.organization_id.empty() && !cat.store().organization(s.organization_id))
                        errors.add("organization_id", "unknown_organization", "no such organization");
                    errors.throw_if_any();
                    s.last_verified = today_seoul();
                    auto saved = cat.create(std::move(s), actor(p));
                    return http::json_response(201, service_detail(cat, saved));
                },
                "Create a service (officials)", "catalog", false,
                R"({"type":"object","additionalProperties":false,"required":["name","provider_level","topics"],)"
                R"("properties":{"name":{"type":"string","maxLength":200},"alternate_name":{"type":"string","maxLength":200},)"
                R"("description":{"type":"string","maxLength":4000},"url":{"type":"string","maxLength":500},)"
                R"("email":{"type":"string","maxLength":254},"organization_id":{"type":"string","maxLength":64},)"
                R"("eligibility_description":{"type":"string","maxLength":4000},"application_process":{"type":"string","maxLength":4000},)"
                R"("application_period":{"type":"string","maxLength":200},"fees_description":{"type":"string","maxLength":1000},)"
                R"("minimum_age":{"type":"integer","minimum":0,"maximum":150},"maximum_age":{"type":"integer","minimum":0,"maximum":150},)"
                R"("program_code":{"type":"string","maxLength":64},"provider_level":{"enum":["national","metropolitan","district","private"]},)"
                R"("life_stages":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},"situations":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},)"
                R"("topics":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},"keywords":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},)"
                R"("channels":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},"dong_ids":{"type":"array","items":{"type":"integer","minimum":1}},)"
                R"("source":{"type":"string","maxLength":500},"version":{"type":"integer","minimum":1},"note":{"type":"string"}}})",
                201});

    router.add({"PUT", "/api/v1/services/{id}",
                [&cat, official, actor](Request& req) {
                    auto current = cat.store().service(req.param("id"));
                    if (!current) throw Error(ErrorKind::not_found, "no such service");
                    auto p = official(req, current->district_id);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    Service s = *current;
                    read_service_body(body, s, cat.vocabulary(), errors, false);
                    http::BodyReader r(body, errors);
                    auto version = r.integer("version", true, 1, 1LL << 53);
                    std::string note = r.string("note", false, 300).value_or("edited");
                    errors.throw_if_any();
                    auto saved = cat.update(std::move(s), *version, actor(p), note);
                    return http::json_response(200, service_detail(cat, saved));
                },
                "Edit a service; send the version you read (409 if someone saved first)", "catalog", false,
                R"({"type":"object","additionalProperties":false,"required":["version"],)"
                R"("properties":{"name":{"type":"string","maxLength":200},"alternate_name":{"type":"string","maxLength":200},)"
                R"("description":{"type":"string","maxLength":4000},"url":{"type":"string","maxLength":500},)"
                R"("email":{"type":"string","maxLength":254},"organization_id":{"type":"string","maxLength":64},)"
                R"("eligibility_description":{"type":"string","maxLength":4000},"application_process":{"type":"string","maxLength":4000},)"
                R"("application_period":{"type":"string","maxLength":200},"fees_description":{"type":"string","maxLength":1000},)"
                R"("minimum_age":{"type":"integer","minimum":0,"maximum":150},"maximum_age":{"type":"integer","minimum":0,"maximum":150},)"
                R"("program_code":{"type":"string","maxLength":64},"provider_level":{"enum":["national","metropolitan","district","private"]},)"
                R"("life_stages":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},"situations":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},)"
                R"("topics":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},"keywords":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},)"
                R"("channels":{"type":"array","maxItems":50,"items":{"type":"string","maxLength":100}},"dong_ids":{"type":"array","items":{"type":"integer","minimum":1}},)"
                R"("source":{"type":"string","maxLength":500},"version":{"type":"integer","minimum":1},"note":{"type":"string"}}})"});

    router.add({"POST", "/api/v1/services/{id}/retire",
                [&cat, official, actor](Request& req) {
                    auto current = cat.store().service(req.param("id"));
                    if (!current) throw Error(ErrorKind::not_found, "no such service");
                    auto p = official(req, current->district_id);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"version", "note"});
                    auto version = r.integer("version", true, 1, 1LL << 53);
                    auto note = r.string("note", true, 300);
                    errors.throw_if_any();
                    auto saved = cat.retire(current->id, *version, actor(p), *note);
                    return http::json_response(200, service_detail(cat, saved));
                },
                "Retire a service (it stays on record as defunct, out of search)", "catalog", false,
                R"({"type":"object","additionalProperties":false,"required":["version","note"],"properties":{)"
                R"("version":{"type":"integer","minimum":1},"note":{"type":"string","maxLength":300}}})"});

    router.add({"POST", "/api/v1/services/{id}/verify",
                [&cat, official, actor](Request& req) {
                    auto current = cat.store().service(req.param("id"));
                    if (!current) throw Error(ErrorKind::not_found, "no such service");
                    auto p = official(req, current->district_id);
                    auto saved = cat.verify(current->id, today_seoul(), actor(p));
                    return http::json_response(200, service_detail(cat, saved));
                },
                "Confirm a service is current (sets last_verified to today)", "catalog", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});

    router.add({"GET", "/api/v1/services/{id}/versions",
                [&cat, official](Request& req) {
                    auto current = cat.store().service(req.param("id"));
                    if (!current) throw Error(ErrorKind::not_found, "no such service");
                    official(req, current->district_id);
                    json::array items;
                    for (const auto& v : cat.store().service_versions(current->id))
                        items.push_back(json::object{{"version", v.version},
                                                     {"changed_by", v.changed_by},
                                                     {"changed_at", v.changed_at},
                                                     {"note", v.change_note},
                                                     {"document", json::parse(v.hsds_json.empty() ? "{}" : v.hsds_json)}});
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Version history of a service (officials)", "catalog"});

    router.add({"GET", "/api/v1/catalog/freshness",
                [&cat, official, district_of](Request& req) {
                    FieldErrors errors;
                    long long district = district_of(req, errors);
                    errors.throw_if_any();
                    official(req, district);
                    json::array items;
                    auto list = cat.store().freshness_queue(district, today_seoul(), 12);
                    for (const auto& s : list) items.push_back(service_summary(s, cat.vocabulary()));
                    return http::json_response(200, json::object{{"items", std::move(items)}, {"total", list.size()}});
                },
                "Services not verified for 12 months, oldest first (officials)", "catalog"});

    router.add({"GET", "/api/v1/facilities",
                [&cat, district_of](Request& req) {
                    FieldErrors errors;
                    FacilityQuery q;
                    long long district = district_of(req, errors);
                    if (auto t = req.query_param("type"); t && !t->empty()) {
                        const Term* term = cat.vocabulary().facility_type(*t);
                        if (!term) errors.add("type", "unknown_code", "not a facility type");
                        else q.type = term->ko;
                    }
                    q.dong_id = int_param(req, "dong", 0, 1, 1LL << 53, errors);
                    q.search = req.query_param("q").value_or("").substr(0, 200);
                    if (auto near = req.query_param("near"); near && !near->empty()) {
                        double lat = 0, lon = 0, radius = 1000;
                        char extra = 0;
                        int n = std::sscanf(near->c_str(), "%lf,%lf,%lf%c", &lat, &lon, &radius, &extra);
                        if (n < 2 || n > 3 || lat < -90 || lat > 90 || lon < -180 || lon > 180 || radius <= 0 ||
                            radius > 50000)
                            errors.add("near", "invalid_point", "lat,lon[,radius_m] with radius up to 50000");
                        q.near_lat = lat;
                        q.near_lon = lon;
                        q.near_radius_m = radius;
                    }
                    long long page = int_param(req, "page", 1, 1, 100000, errors);
                    errors.throw_if_any();
                    q.offset = (page - 1) * kPageSize;
                    q.limit = kPageSize;
                    auto res = cat.store().facilities(district, q);
                    json::array items;
                    for (const auto& f : res.items) items.push_back(facility_json(f, cat.vocabulary()));
                    return http::json_response(200, json::object{{"items", std::move(items)},
                                                                 {"total", res.total},
                                                                 {"page", page},
                                                                 {"page_size", kPageSize}});
                },
                "Facilities by type, dong, text or distance (near=lat,lon[,radius_m])", "catalog"});

    router.add({"GET", "/api/v1/facilities/{id}",
                [&cat](Request& req) {
                    auto f = cat.store().facility(req.param("id"));
                    if (!f) throw Error(ErrorKind::not_found, "no such facility");
                    auto o = facility_json(*f, cat.vocabulary());
                    json::array services;
                    for (const auto& id : f->service_ids)
                        if (auto s = cat.store().service(id)) services.push_back(service_summary(*s, cat.vocabulary()));
                    o["services"] = std::move(services);
                    return http::json_response(200, o);
                },
                "One facility and the services offered there", "catalog"});

    router.add({"PUT", "/api/v1/facilities/{id}",
                [&cat, &ids](Request& req) {
                    auto f = cat.store().facility(req.param("id"));
                    if (!f) throw Error(ErrorKind::not_found, "no such facility");
                    auto p = identity::principal_of(ids, req);
                    // A facility manager's grant names an identity organization; it is linked to the
                    // catalogue organization that runs the facility.
                    long long org = f->organization_id.empty()
                                        ? 0
                                        : ids.store().organization_for_catalog(f->organization_id);
                    identity::require(p, identity::Action::edit_facility, {f->district_id, f->dong_id, org});
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"description", "phone", "hours", "capacity", "accessibility"});
                    if (auto v = r.string("description", false, 2000)) f->description = *v;
                    if (auto v = r.string("phone", false, 30)) f->phone = *v;
                    if (auto v = r.string("hours", false, 200)) f->hours = *v;
                    if (auto v = r.integer("capacity", false, 0, 100000)) f->capacity = static_cast<int>(*v);
                    errors.throw_if_any();
                    cat.store().upsert_facility(*f);
                    return http::json_response(200, facility_json(*f, cat.vocabulary()));
                },
                "Edit a facility's public information (its manager or an official)", "catalog", false,
                R"({"type":"object","properties":{"description":{"type":"string","maxLength":2000},)"
                R"("phone":{"type":"string","maxLength":30},"hours":{"type":"string","maxLength":200},)"
                R"("capacity":{"type":"integer","minimum":0,"maximum":100000}}})"});
}

}  // namespace dure::catalog
