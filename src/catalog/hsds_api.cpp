#include "catalog/hsds_api.hpp"

#include <boost/json.hpp>

#include "catalog/hsds.hpp"
#include "http/json.hpp"

namespace dure::catalog {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr long long kDefaultPerPage = 50;
constexpr long long kMaxPerPage = 100;

struct Paging {
    long long page = 1, per_page = kDefaultPerPage;
    long long offset() const { return (page - 1) * per_page; }
};

// Reads the query parameters every list shares, collecting errors in `errors`.
class Query {
public:
    Query(const Request& req, FieldErrors& errors) : req_(req), errors_(errors) {}

    long long integer(const char* name, long long def, long long min, long long max) {
        auto v = req_.query_param(name);
        if (!v) return def;
        if (v->empty() || v->size() > 12 || v->find_first_not_of("0123456789") != std::string::npos) {
            errors_.add(name, "not_an_integer", "a whole number from " + std::to_string(min) + " to " +
                                                    std::to_string(max));
            return def;
        }
        long long n = std::stoll(*v);
        if (n < min || n > max) {
            errors_.add(name, "out_of_range", "from " + std::to_string(min) + " to " + std::to_string(max));
            return def;
        }
        return n;
    }
    std::string text(const char* name) {
        auto v = req_.query_param(name).value_or("");
        if (utf8_length(v) > 200) errors_.add(name, "too_long", "at most 200 characters");
        else if (http::has_control_chars(v)) errors_.add(name, "control_characters", "no control characters");
        else return v;
        return {};
    }
    std::string uuid(const char* name) {
        auto v = req_.query_param(name).value_or("");
        if (!v.empty() && !is_uuid(v)) {
            errors_.add(name, "invalid_id", "a UUID (8-4-4-4-12 hexadecimal digits)");
            return {};
        }
        return v;
    }
    bool flag(const char* name) {
        auto v = req_.query_param(name);
        if (!v || v->empty() || *v == "false" || *v == "0") return false;
        if (*v == "true" || *v == "1") return true;
        errors_.add(name, "not_a_boolean", "true or false");
        return false;
    }
    Paging paging() {
        Paging p;
        p.page = integer("page", 1, 1, 1000000);
        p.per_page = integer("per_page", kDefaultPerPage, 1, kMaxPerPage);
        auto f = req_.query_param("format");
        if (f && *f != "json") errors_.add("format", "unsupported_format", "only json is served");
        return p;
    }

private:
    const Request& req_;
    FieldErrors& errors_;
};

long long district_of(Query& q, long long def) {
    return q.integer("district_id", def, 1, 1LL << 53);
}

// The HSDS page envelope around `contents`.
json::object page_json(const Paging& p, long long total, json::array contents) {
    long long pages = (total + p.per_page - 1) / p.per_page;
    json::object o;
    o["total_items"] = total;
    o["total_pages"] = pages;
    o["page_number"] = p.page;
    o["size"] = static_cast<long long>(contents.size());
    o["first_page"] = p.page == 1;
    o["last_page"] = p.page >= pages;
    o["empty"] = contents.empty();
    o["contents"] = std::move(contents);
    return o;
}

const std::string& path_id(const Request& req) {
    const auto& id = req.param("id");
    if (id.size() > 100) throw Error(ErrorKind::not_found, "no such record");
    return id;
}

}  // namespace

void register_hsds_routes(http::Router& router, CatalogStore& st, long long default_district_id) {
    const long long dd = default_district_id;
    const char* tag = "hsds";

    auto info = [](Request&) { return http::json_response(200, api_info()); };
    router.add({"GET", "/hsds/", info, "HSDS 3.0 API information (version, profile)", tag, true});
    router.add({"GET", "/hsds", info, "HSDS 3.0 API information (version, profile)", tag, true});

    router.add({"GET", "/hsds/services",
                [&st, dd](Request& req) {
                    FieldErrors errors;
                    Query q(req, errors);
                    Paging p = q.paging();
                    ServiceQuery sq;
                    sq.search = q.text("search");
                    sq.taxonomy_term_id = q.uuid("taxonomy_term_id");
                    sq.organization_id = q.uuid("organization_id");
                    long long district = district_of(q, dd);
                    errors.throw_if_any();
                    sq.offset = p.offset();
                    sq.limit = p.per_page;
                    auto page = st.list_services(district, sq);
                    json::array items;
                    for (const auto& s : page.items) items.push_back(list_service(st, s));
                    return http::json_response(200, page_json(p, page.total, std::move(items)));
                },
                "HSDS: services (one-to-one fields), paginated; search, taxonomy_term_id, organization_id", tag});

    router.add({"GET", "/hsds/services/{id}",
                [&st](Request& req) {
                    auto s = st.service(path_id(req));
                    if (!s) throw Error(ErrorKind::not_found, "no such service");
                    return http::json_response(200, full_service(st, *s));
                },
                "HSDS: a fully nested service", tag});

    router.add({"GET", "/hsds/organizations",
                [&st, dd](Request& req) {
                    FieldErrors errors;
                    Query q(req, errors);
                    Paging p = q.paging();
                    auto search = q.text("search");
                    bool full = q.flag("full");
                    bool full_service = q.flag("full_service");
                    long long district = district_of(q, dd);
                    errors.throw_if_any();
                    auto page = st.organizations(district, search, p.offset(), p.per_page);
                    json::array items;
                    for (const auto& o : page.items)
                        items.push_back(full ? full_organization(st, o, full_service) : list_organization(o));
                    return http::json_response(200, page_json(p, page.total, std::move(items)));
                },
                "HSDS: organizations, paginated; search, full, full_service", tag});

    router.add({"GET", "/hsds/organizations/{id}",
                [&st](Request& req) {
                    FieldErrors errors;
                    Query q(req, errors);
                    bool full_service = q.flag("full_service");
                    errors.throw_if_any();
                    auto o = st.organization(path_id(req));
                    if (!o) throw Error(ErrorKind::not_found, "no such organization");
                    return http::json_response(200, full_organization(st, *o, full_service));
                },
                "HSDS: a fully nested organization with its services", tag});

    router.add({"GET", "/hsds/service_at_locations",
                [&st, dd](Request& req) {
                    FieldErrors errors;
                    Query q(req, errors);
                    Paging p = q.paging();
                    auto search = q.text("search");
                    auto org = q.uuid("organization_id");
                    bool full = q.flag("full");
                    long long district = district_of(q, dd);
                    errors.throw_if_any();
                    auto page = st.service_at_locations(district, "", "", org, search, p.offset(), p.per_page);
                    json::array items;
                    for (const auto& l : page.items)
                        items.push_back(full ? full_service_at_location(st, l) : list_service_at_location(st, l));
                    return http::json_response(200, page_json(p, page.total, std::move(items)));
                },
                "HSDS: services at locations, paginated; search, organization_id, full", tag});

    router.add({"GET", "/hsds/service_at_locations/{id}",
                [&st](Request& req) {
                    auto l = st.service_at_location(path_id(req));
                    if (!l) throw Error(ErrorKind::not_found, "no such service_at_location");
                    return http::json_response(200, full_service_at_location(st, *l));
                },
                "HSDS: a fully nested service at a location", tag});

    router.add({"GET", "/hsds/taxonomies",
                [&st, dd](Request& req) {
                    FieldErrors errors;
                    Query q(req, errors);
                    Paging p = q.paging();
                    auto search = q.text("search");
                    long long district = district_of(q, dd);
                    errors.throw_if_any();
                    auto page = st.taxonomies(district, search, p.offset(), p.per_page);
                    json::array items;
                    for (const auto& t : page.items) items.push_back(taxonomy_json(t));
                    return http::json_response(200, page_json(p, page.total, std::move(items)));
                },
                "HSDS: taxonomies, paginated; search", tag});

    router.add({"GET", "/hsds/taxonomies/{id}",
                [&st](Request& req) {
                    auto t = st.taxonomy(path_id(req));
                    if (!t) throw Error(ErrorKind::not_found, "no such taxonomy");
                    return http::json_response(200, taxonomy_json(*t));
                },
                "HSDS: a taxonomy", tag});

    router.add({"GET", "/hsds/taxonomy_terms",
                [&st, dd](Request& req) {
                    FieldErrors errors;
                    Query q(req, errors);
                    Paging p = q.paging();
                    TermQuery tq;
                    tq.search = q.text("search");
                    tq.taxonomy_id = q.uuid("taxonomy_id");
                    tq.parent_id = q.uuid("parent_id");
                    tq.top_only = q.flag("top_only");
                    long long district = district_of(q, dd);
                    errors.throw_if_any();
                    tq.offset = p.offset();
                    tq.limit = p.per_page;
                    auto page = st.taxonomy_terms(district, tq);
                    json::array items;
                    for (const auto& t : page.items) items.push_back(taxonomy_term_json(st, t));
                    return http::json_response(200, page_json(p, page.total, std::move(items)));
                },
                "HSDS: taxonomy terms, paginated; search, taxonomy_id, parent_id, top_only", tag});

    router.add({"GET", "/hsds/taxonomy_terms/{id}",
                [&st](Request& req) {
                    auto t = st.taxonomy_term(path_id(req));
                    if (!t) throw Error(ErrorKind::not_found, "no such taxonomy term");
                    return http::json_response(200, taxonomy_term_json(st, *t));
                },
                "HSDS: a taxonomy term", tag});
}

}  // namespace dure::catalog
