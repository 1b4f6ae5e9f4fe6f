#include "disclosures/disclosure_api.hpp"

#include <boost/json.hpp>
#include <memory>

#include "disclosures/disclosure.hpp"
#include "disclosures/disclosure_store.hpp"
#include "job_listings/jobs_store.hpp"
#include "news/news_store.hpp"
#include "disclosures/xlsx.hpp"
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

constexpr long long kPageSize = 20;

struct Stores {
    explicit Stores(store::Database& db) : disclosures(db), news(db), jobs(db) {}
    DisclosureStore disclosures;
    NewsStore news;
    JobStore jobs;
};

long long page_param(const Request& req, FieldErrors& errors) {
    auto v = req.query_param("page");
    if (!v || v->empty()) return 1;
    if (v->size() > 6 || v->find_first_not_of("0123456789") != std::string::npos || std::stoll(*v) < 1) {
        errors.add("page", "out_of_range", "an integer from 1 to 999999");
        return 1;
    }
    return std::stoll(*v);
}

long long id_param(const std::string& v) {
    if (v.empty() || v.size() > 18 || v.find_first_not_of("0123456789") != std::string::npos)
        throw Error(ErrorKind::not_found, "no such item");
    return std::stoll(v);
}

std::string actor(const identity::Principal& p) {
    return "account:" + std::to_string(p.account_id);
}

long long current_year() {
    return std::stoll(today_seoul().substr(0, 4));
}

// What a request about a facility's disclosures is allowed to see and do.
struct FacilityAccess {
    Facility facility;
    identity::Target submit_target;   // district + the facility's organization
    identity::Target approve_target;  // district only
    identity::Principal who;
    bool may_submit = false, may_approve = false;
    bool staff() const { return may_submit || may_approve; }
};

FacilityAccess access_to(CatalogStore& cat, identity::IdentityService& ids, const Request& req,
                         const std::string& facility_id) {
    auto f = cat.facility(facility_id);
    if (!f) throw Error(ErrorKind::not_found, "no such facility");
    FacilityAccess a;
    a.facility = *f;
    long long org = f->organization_id.empty() ? 0 : ids.store().organization_for_catalog(f->organization_id);
    a.submit_target = {f->district_id, 0, org};
    a.approve_target = {f->district_id, 0, 0};
    a.who = identity::principal_of(ids, req);
    if (a.who.authenticated()) {
        a.may_submit =
            identity::authorize(a.who, identity::Action::submit_disclosure, a.submit_target).allowed;
        a.may_approve =
            identity::authorize(a.who, identity::Action::approve_disclosure, a.approve_target).allowed;
    }
    return a;
}

json::object view(const Disclosure& d, const Facility& f, bool staff) {
    json::object o = content_json(d.content);
    o["id"] = d.id;
    o["facility"] = json::object{{"id", f.id}, {"name", f.name}};
    o["status"] = d.status;
    o["version"] = d.version;
    o["totals"] = totals_json(totals(d.content));
    o["approved_at"] = d.status == "approved" && d.decided_at ? json::value(format_timestamp(d.decided_at))
                                                              : json::value(nullptr);
    o["updated_at"] = format_timestamp(d.updated_at);
    if (staff) {
        o["published_version"] = d.published_version;
        o["return_reason"] = d.return_reason;
        o["submitted_at"] =
            d.submitted_at ? json::value(format_timestamp(d.submitted_at)) : json::value(nullptr);
        o["submitted_by"] = d.submitted_by;
        o["decided_by"] = d.decided_by;
        o["updated_by"] = d.updated_by;
    }
    return o;
}

// The summary in lists: no lines, the totals.
json::object summary(const Disclosure& d, bool staff) {
    auto t = totals(d.content);
    json::object o{{"id", d.id},
                   {"fiscal_year", d.content.fiscal_year},
                   {"kind", d.content.kind},
                   {"status", d.status},
                   {"version", d.version},
                   {"revenue_total", t.revenue_total},
                   {"expenditure_total", t.expenditure_total},
                   {"donations_received", t.donations_received},
                   {"updated_at", format_timestamp(d.updated_at)}};
    if (staff) {
        o["published_version"] = d.published_version;
        o["return_reason"] = d.return_reason;
    }
    return o;
}

std::string ascii_name(const Disclosure& d, std::string_view ext) {
    return "disclosure_" + std::to_string(d.content.fiscal_year) + "_" + d.content.kind + "." +
           std::string(ext);
}

}  // namespace

void register_disclosure_routes(http::Router& router, store::Database& db, CatalogStore& cat,
                                identity::IdentityService& ids, std::function<long long()> default_district) {
    auto stores = std::make_shared<Stores>(db);

    // --- disclosures ------------------------------------------------------------------------

    router.add({"GET", "/api/v1/disclosures/categories",
                [](Request&) {
                    json::array a;
                    for (const auto& c : disclosure_categories())
                        a.push_back(json::object{{"side", c.side}, {"category", c.ko}, {"en", c.en}});
                    Response r = http::json_response(200, json::object{{"items", std::move(a)}});
                    r.set_header("Cache-Control", "public, max-age=3600");
                    return r;
                },
                "Budget and settlement categories (관) of the social-welfare facility accounting rules",
                "disclosures", true});

    router.add(
        {"POST", "/api/v1/facilities/{id}/disclosures",
         [stores, &cat, &ids](Request& req) {
             auto a = access_to(cat, ids, req, req.param("id"));
             identity::require(a.who, identity::Action::submit_disclosure, a.submit_target);
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             auto content = read_disclosure(body, errors);
             validate(content, current_year(), errors);
             errors.throw_if_any();
             auto d =
                 stores->disclosures.save_draft(a.facility.district_id, a.facility.id, content, actor(a.who));
             return http::json_response(d.version == 1 ? 201 : 200, view(d, a.facility, true));
         },
         "Create or update the draft budget or settlement of a facility for a fiscal year (its manager)",
         "disclosures", false,
         R"({"type":"object","required":["fiscal_year","kind","lines"],"properties":{)"
         R"("fiscal_year":{"type":"integer"},"kind":{"enum":["budget","settlement"]},)"
         R"("lines":{"type":"array","items":{"type":"object","required":["side","category","amount"],"properties":{)"
         R"("side":{"enum":["revenue","expenditure"]},"category":{"type":"string"},"item":{"type":"string"},"amount":{"type":"integer","minimum":0}}}},)"
         R"("donations":{"type":"array","items":{"type":"object","required":["received_from_type","kind","amount"],"properties":{)"
         R"("received_from_type":{"enum":["individual","organization","anonymous"]},"kind":{"enum":["cash","in_kind"]},)"
         R"("amount":{"type":"integer","minimum":1},"used_for":{"type":"string"},"used_amount":{"type":"integer","minimum":0}}}}}})",
         201});

    auto workflow = [stores, &cat, &ids](const char* action) {
        return [stores, &cat, &ids, action](Request& req) {
            auto a = access_to(cat, ids, req, req.param("id"));
            auto d = stores->disclosures.get(req.param("did"));
            if (!d || d->facility_id != a.facility.id)
                throw Error(ErrorKind::not_found, "no such disclosure");
            std::string act = action, reason;
            if (act == "submit") {
                identity::require(a.who, identity::Action::submit_disclosure, a.submit_target);
            } else {
                identity::require(a.who, identity::Action::approve_disclosure, a.approve_target);
                if (d->status == "submitted" && d->submitted_by == actor(a.who))
                    throw Error(ErrorKind::forbidden,
                                "another official must review a disclosure you submitted");
            }
            if (act == "return") {
                auto body = http::parse_json_object(req);
                FieldErrors errors;
                http::BodyReader r(body, errors);
                r.allow_only({"reason"});
                auto why = r.string("reason", true, 1000);
                errors.throw_if_any();
                reason = *why;
            }
            auto saved = stores->disclosures.transition(d->id, act, actor(a.who), reason);
            return http::json_response(200, view(saved, a.facility, true));
        };
    };
    router.add({"POST", "/api/v1/facilities/{id}/disclosures/{did}/submit", workflow("submit"),
                "Submit a draft or returned disclosure for review (its manager)", "disclosures", false, R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});
    router.add({"POST", "/api/v1/facilities/{id}/disclosures/{did}/approve", workflow("approve"),
                "Approve a submitted disclosure: it becomes public (district officials)", "disclosures", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});
    router.add(
        {"POST", "/api/v1/facilities/{id}/disclosures/{did}/return", workflow("return"),
         "Return a submitted disclosure to its manager with a reason (district officials)", "disclosures",
         false,
         R"({"type":"object","required":["reason"],"properties":{"reason":{"type":"string","maxLength":1000}}})"});

    // The administrator's review queue: every disclosure of the district waiting for review.
    router.add({"GET", "/api/v1/disclosures",
                [stores, &cat, &ids](Request& req) {
                    auto who = identity::principal_of(ids, req);
                    if (auto st = req.query_param("status"); st && *st != "submitted") {
                        FieldErrors errors;
                        errors.add("status", "unsupported", "only status=submitted (the review queue) is listed");
                        errors.throw_if_any();
                    }
                    identity::require(who, identity::Action::approve_disclosure, {who.district_id, 0, 0});
                    json::array items;
                    for (const auto& d : stores->disclosures.submitted_in(who.district_id)) {
                        auto f = cat.facility(d.facility_id);
                        auto o = summary(d, true);
                        o["facility"] = json::object{{"id", d.facility_id}, {"name", f ? f->name : d.facility_id}};
                        o["submitted_at"] = d.submitted_at ? json::value(format_timestamp(d.submitted_at)) : json::value(nullptr);
                        // The official who submitted it cannot approve it (another must review).
                        o["own_submission"] = d.submitted_by == actor(who);
                        items.push_back(std::move(o));
                    }
                    Response r = http::json_response(200, json::object{{"items", std::move(items)}});
                    r.set_header("Cache-Control", "private, no-store");
                    return r;
                },
                "The review queue: the caller's district's disclosures submitted and waiting for an official, "
                "longest waiting first (district officials)",
                "disclosures"});

    router.add({"GET", "/api/v1/facilities/{id}/disclosures",
                [stores, &cat, &ids](Request& req) {
                    auto a = access_to(cat, ids, req, req.param("id"));
                    json::array items;
                    for (const auto& d : stores->disclosures.for_facility(a.facility.id)) {
                        if (a.staff()) {
                            items.push_back(summary(d, true));
                        } else if (d.status == "approved") {
                            items.push_back(summary(d, false));
                        } else if (d.published_version) {
                            if (auto p = stores->disclosures.at_version(d.id, d.published_version))
                                items.push_back(summary(*p, false));
                        }
                    }
                    return http::json_response(
                        200, json::object{
                                 {"facility", json::object{{"id", a.facility.id}, {"name", a.facility.name}}},
                                 {"items", std::move(items)}});
                },
                "Disclosures of a facility: the public sees approved ones, its manager and officials all",
                "disclosures"});

    router.add({"GET", "/api/v1/disclosures/{did}",
                [stores, &cat, &ids](Request& req) {
                    std::string did = req.param("did");
                    std::string format = "json";
                    for (const char* ext : {"csv", "xlsx"}) {
                        std::string suffix = std::string(".") + ext;
                        if (did.size() > suffix.size() && did.ends_with(suffix)) {
                            format = ext;
                            did.resize(did.size() - suffix.size());
                        }
                    }
                    auto current = stores->disclosures.get(did);
                    if (!current) throw Error(ErrorKind::not_found, "no such disclosure");
                    auto a = access_to(cat, ids, req, current->facility_id);
                    std::optional<Disclosure> d = a.staff() ? current : stores->disclosures.published(did);
                    if (!d) throw Error(ErrorKind::not_found, "no such disclosure");
                    if (format == "json") return http::json_response(200, view(*d, a.facility, a.staff()));
                    Response r;
                    std::string file = disclosure_file_name(*d, a.facility.name, format);
                    if (format == "csv") {
                        r.content_type = "text/csv; charset=utf-8";
                        r.body = disclosure_csv(*d, a.facility.name);
                    } else {
                        r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                        r.body = write_xlsx(disclosure_sheets(*d, a.facility.name));
                    }
                    r.set_header("Content-Disposition", content_disposition(file, ascii_name(*d, format)));
                    if (d->status != "approved") r.set_header("Cache-Control", "private, no-store");
                    return r;
                },
                "One disclosure with totals by category (for charts); add .csv or .xlsx to download it",
                "disclosures"});

    router.add({"GET", "/api/v1/disclosures/{did}/versions",
                [stores, &cat, &ids](Request& req) {
                    auto d = stores->disclosures.get(req.param("did"));
                    if (!d) throw Error(ErrorKind::not_found, "no such disclosure");
                    auto a = access_to(cat, ids, req, d->facility_id);
                    if (!a.who.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    if (!a.staff())
                        throw Error(ErrorKind::forbidden,
                                    "only the facility's manager and officials see the history");
                    json::array items;
                    for (const auto& v : stores->disclosures.history(d->id))
                        items.push_back(json::object{{"version", v.version},
                                                     {"status", v.status},
                                                     {"changed_by", v.changed_by},
                                                     {"changed_at", format_timestamp(v.changed_at)},
                                                     {"note", v.note}});
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "History of a disclosure: every saved state (its manager and officials)", "disclosures"});

    // --- news ---------------------------------------------------------------------------------

    // ?district_id=, else the logged-in caller's district, else (anonymous) the default.
    auto district_of = [default_district, &ids](const Request& req) {
        auto v = req.query_param("district_id");
        if (v && !v->empty()) {
            if (v->size() > 15 || v->find_first_not_of("0123456789") != std::string::npos)
                throw Error(ErrorKind::validation, "1 field is invalid",
                            {{"district_id", "out_of_range", "a district id"}});
            return std::stoll(*v);
        }
        auto p = identity::principal_of(ids, req);
        return p.authenticated() ? p.district_id : default_district();
    };

    router.add({"GET", "/api/v1/news",
                [stores, district_of](Request& req) {
                    FieldErrors errors;
                    long long page = page_param(req, errors);
                    long long district = district_of(req);
                    errors.throw_if_any();
                    auto res =
                        stores->news.list(district, store::now_unix(), (page - 1) * kPageSize, kPageSize);
                    json::array items;
                    for (const auto& n : res.items) items.push_back(news_json(n));
                    return http::json_response(200, json::object{{"items", std::move(items)},
                                                                 {"total", res.total},
                                                                 {"page", page},
                                                                 {"page_size", kPageSize}});
                },
                "Welfare news, newest first (published items only)", "news"});

    router.add({"GET", "/api/v1/news/{id}",
                [stores, &ids](Request& req) {
                    auto n = stores->news.get(id_param(req.param("id")));
                    if (!n) throw Error(ErrorKind::not_found, "no such news item");
                    if (n->published_at > store::now_unix()) {
                        auto p = identity::principal_of(ids, req);
                        if (!identity::authorize(p, identity::Action::post_news, {n->district_id}).allowed)
                            throw Error(ErrorKind::not_found, "no such news item");
                    }
                    return http::json_response(200, news_json(*n));
                },
                "One news item", "news"});

    router.add(
        {"POST", "/api/v1/news",
         [stores, &ids, district_of](Request& req) {
             long long district = district_of(req);
             auto p = identity::principal_of(ids, req);
             identity::require(p, identity::Action::post_news, {district});
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             NewsItem n;
             n.district_id = district;
             read_news(body, n, true, store::now_unix(), errors);
             errors.throw_if_any();
             n.created_by = n.updated_by = actor(p);
             auto saved = stores->news.create(std::move(n));
             return http::json_response(201, news_json(saved));
         },
         "Post welfare news (officials): title, body (plain text, up to 20,000 characters), published_at",
         "news", false,
         R"({"type":"object","required":["title","body"],"properties":{"title":{"type":"string","maxLength":200},)"
         R"("body":{"type":"string","maxLength":20000},"published_at":{"type":"string","format":"date-time"}}})",
         201});

    router.add(
        {"PUT", "/api/v1/news/{id}",
         [stores, &ids](Request& req) {
             auto n = stores->news.get(id_param(req.param("id")));
             if (!n) throw Error(ErrorKind::not_found, "no such news item");
             auto p = identity::principal_of(ids, req);
             identity::require(p, identity::Action::post_news, {n->district_id});
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             read_news(body, *n, false, store::now_unix(), errors);
             errors.throw_if_any();
             n->updated_by = actor(p);
             if (!stores->news.update(*n)) throw Error(ErrorKind::not_found, "no such news item");
             return http::json_response(200, news_json(*stores->news.get(n->id)));
         },
         "Edit welfare news (officials); fields left out stay as they are", "news", false,
         R"({"type":"object","properties":{"title":{"type":"string"},"body":{"type":"string"},"published_at":{"type":"string"}}})"});

    router.add({"DELETE", "/api/v1/news/{id}",
                [stores, &ids](Request& req) {
                    auto n = stores->news.get(id_param(req.param("id")));
                    if (!n) throw Error(ErrorKind::not_found, "no such news item");
                    auto p = identity::principal_of(ids, req);
                    identity::require(p, identity::Action::post_news, {n->district_id});
                    stores->news.remove(n->id);
                    Response r;
                    r.status = 204;
                    return r;
                },
                "Delete welfare news (officials)", "news", false, "", 204});

    // --- jobs ---------------------------------------------------------------------------------

    router.add({"GET", "/api/v1/jobs",
                [stores, district_of](Request& req) {
                    FieldErrors errors;
                    long long page = page_param(req, errors);
                    std::string q = req.query_param("q").value_or("");
                    if (utf8_length(q) > 200)
                        errors.add("q", "too_long", "at most 200 characters");
                    else if (has_control_chars(q))
                        errors.add("q", "control_characters", "plain text");
                    long long district = district_of(req);
                    errors.throw_if_any();
                    auto b = q.find_first_not_of(' ');
                    q = b == std::string::npos ? "" : q.substr(b, q.find_last_not_of(' ') - b + 1);
                    auto res =
                        stores->jobs.list(district, q, today_seoul(), (page - 1) * kPageSize, kPageSize);
                    json::array items;
                    for (const auto& j : res.items) items.push_back(job_json(j));
                    return http::json_response(200, json::object{{"items", std::move(items)},
                                                                 {"total", res.total},
                                                                 {"page", page},
                                                                 {"page_size", kPageSize}});
                },
                "Open jobs (expired ones hidden), soonest closing first; q searches title, employer, place",
                "jobs"});
}

}  // namespace dure::catalog
