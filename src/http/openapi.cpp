#include "http/openapi.hpp"

#include <boost/json.hpp>

#include <cctype>
#include <set>

namespace dure::http {

namespace json = boost::json;

namespace {

// operationId: the method, then the path's words in camel case without the /api/v1 prefix;
// a `{name}` segment reads "ByName". POST /api/v1/cases/{id}/stage -> postCasesByIdStage.
std::string operation_id(const std::string& method, const std::string& path) {
    std::string id;
    for (char c : method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string p = path.starts_with("/api/v1/") ? path.substr(7) : path;
    for (const auto& seg : split_path(p)) {
        if (seg.empty()) continue;
        bool param = seg.size() > 2 && seg.front() == '{';
        if (param) id += "By";
        bool up = true;
        for (char c : param ? seg.substr(1, seg.size() - 2) : seg) {
            if (!std::isalnum(static_cast<unsigned char>(c))) {
                up = true;
                continue;
            }
            id += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            up = false;
        }
    }
    return id;
}

json::object problem_response(const char* description, const char* schema) {
    return json::object{{"description", description},
                        {"content",
                         {{"application/problem+json",
                           {{"schema", {{"$ref", std::string("#/components/schemas/") + schema}}}}}}}};
}

bool is_write(const std::string& method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

}  // namespace

// The request body comes from Route::request_schema, a JSON Schema. Two keys of that text are
// instructions to this generator and are removed from the schema it publishes:
//   "x-media-type": the body's media type when it is not application/json (a string schema with
//                   "contentMediaType" says so too, e.g. text/csv uploads);
//   "x-body-optional": true when the handler also takes no body at all.
std::string openapi_document(const Router& router, const std::string& version) {
    json::object paths;
    std::set<std::string> ids;
    std::set<std::pair<std::string, std::string>> routes;
    for (const auto& r : router.routes()) routes.insert({r.method, r.path});
    for (const auto& r : router.routes()) {
        // `/hsds/` answers as `/hsds` does (HSDS clients ask for both); the document lists one.
        if (r.path.size() > 1 && r.path.back() == '/' && routes.count({r.method, r.path.substr(0, r.path.size() - 1)}))
            continue;
        json::object op;
        op["summary"] = r.summary;
        op["tags"] = json::array{json::string(r.tag)};
        std::string opid = operation_id(r.method, r.path);
        for (int n = 2; ids.count(opid); ++n) opid = operation_id(r.method, r.path) + std::to_string(n);
        ids.insert(opid);
        op["operationId"] = opid;
        json::array params;
        for (const auto& seg : split_path(r.path))
            if (seg.size() > 2 && seg.front() == '{')
                params.push_back(json::object{{"name", seg.substr(1, seg.size() - 2)},
                                              {"in", "path"},
                                              {"required", true},
                                              {"schema", {{"type", "string"}}}});
        if (r.idempotent)
            params.push_back(json::object{
                {"name", "Idempotency-Key"},
                {"in", "header"},
                {"required", false},
                {"description", "Retry-safe write: the first answer to this key is replayed, the write happens once"},
                {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 100}}}});
        if (!params.empty()) op["parameters"] = std::move(params);
        if (!r.request_schema.empty()) {
            json::value schema = json::parse(r.request_schema);
            std::string media = "application/json";
            bool required = true;
            if (auto* o = schema.if_object()) {
                if (auto* m = o->if_contains("x-media-type")) {
                    media = json::value_to<std::string>(*m);
                    o->erase("x-media-type");
                } else if (auto* cm = o->if_contains("contentMediaType"); cm && cm->is_string()) {
                    media = json::value_to<std::string>(*cm);
                }
                if (auto* opt = o->if_contains("x-body-optional")) {
                    required = !opt->as_bool();
                    o->erase("x-body-optional");
                }
            }
            op["requestBody"] =
                json::object{{"required", required}, {"content", {{media, {{"schema", std::move(schema)}}}}}};
        }
        json::object responses;
        responses[std::to_string(r.success_status)] = json::object{{"description", "success"}};
        // Every error is RFC 9457 problem+json; a 422 names each invalid field in `errors`.
        if (is_write(r.method) || !r.request_schema.empty())
            responses["422"] = json::object{{"$ref", "#/components/responses/ValidationProblem"}};
        responses["4XX"] = json::object{{"$ref", "#/components/responses/ClientProblem"}};
        responses["5XX"] = json::object{{"$ref", "#/components/responses/ServerProblem"}};
        op["responses"] = std::move(responses);
        // Who may call is decided per route inside the handler (identity::authorize); the
        // document says how a caller presents itself. The empty requirement: the route also
        // answers callers without credentials (a 401 or 403 problem when it does not serve them).
        bool unsafe = r.method != "GET" && r.method != "HEAD" && r.method != "OPTIONS";
        json::array security;
        security.push_back(unsafe ? json::object{{"session", json::array{}}, {"csrf", json::array{}}}
                                  : json::object{{"session", json::array{}}});
        security.push_back(json::object{{"token", json::array{}}});
        security.push_back(json::object{});
        op["security"] = std::move(security);
        std::string method = r.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto& item = paths[r.path];
        if (!item.is_object()) item = json::object{};
        item.as_object()[method] = std::move(op);
    }
    json::object problem = json::parse(R"({
      "type": "object",
      "description": "An error (RFC 9457 problem details).",
      "required": ["type", "title", "status"],
      "properties": {
        "type": {"type": "string", "format": "uri", "description": "https://dure.kr/problems/<kind>, e.g. validation, csrf"},
        "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"},
        "instance": {"type": "string"}, "request_id": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}
      }})").as_object();
    json::object field_error = json::parse(R"({
      "type": "object",
      "description": "One invalid field: its name (a dotted path for nested fields), a stable code the client translates, and an English message.",
      "required": ["field", "code", "message"],
      "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}
      })").as_object();
    json::object validation_problem = json::parse(R"({
      "allOf": [{"$ref": "#/components/schemas/Problem"}, {"type": "object", "required": ["errors"]}]
      })").as_object();
    json::object responses{
        {"ValidationProblem", problem_response("invalid fields (each named in errors)", "ValidationProblem")},
        {"ClientProblem", problem_response("a client error: 400, 401 not logged in, 403 not allowed or no CSRF token, "
                                           "404, 409 conflict, 413, 415, 429 with Retry-After",
                                           "Problem")},
        {"ServerProblem", problem_response("a server error (500, or 503 when overloaded, with Retry-After)", "Problem")}};
    json::object doc{
        {"openapi", "3.1.0"},
        {"info",
         {{"title", "dure API"},
          {"version", version},
          {"description", "두레 — integrated community-welfare platform. Errors are RFC 9457 problem+json."},
          {"license", {{"name", "Apache-2.0"}, {"identifier", "Apache-2.0"}}}}},
        {"servers", json::array{json::object{{"url", "/"}, {"description", "this server"}}}},
        {"paths", std::move(paths)},
        {"components",
         {{"schemas",
           {{"Problem", std::move(problem)},
            {"FieldError", std::move(field_error)},
            {"ValidationProblem", std::move(validation_problem)}}},
          {"responses", std::move(responses)},
          {"securitySchemes",
           {{"session",
             {{"type", "apiKey"},
              {"in", "cookie"},
              {"name", "dure_session"},
              {"description", "The session cookie set by POST /api/v1/auth/login"}}},
            {"csrf",
             {{"type", "apiKey"},
              {"in", "header"},
              {"name", "X-CSRF-Token"},
              {"description", "The session's CSRF token (csrf_token of GET /api/v1/me), on every unsafe "
                              "request made with the session cookie"}}},
            {"token",
             {{"type", "http"},
              {"scheme", "bearer"},
              {"description", "An API token (POST /api/v1/admin/api-tokens), for partner systems"}}}}}}}};
    return json::serialize(doc);
}

}  // namespace dure::http
