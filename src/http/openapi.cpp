#include "http/openapi.hpp"

#include <boost/json.hpp>

namespace dure::http {

namespace json = boost::json;

std::string openapi_document(const Router& router, const std::string& version) {
    json::object paths;
    for (const auto& r : router.routes()) {
        json::object op;
        op["summary"] = r.summary;
        op["tags"] = json::array{json::string(r.tag)};
        std::string opid = r.method;
        for (char c : r.path) opid += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
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
        if (!r.request_schema.empty())
            op["requestBody"] = json::object{
                {"required", true},
                {"content", {{"application/json", {{"schema", json::parse(r.request_schema)}}}}}};
        json::object responses;
        responses[std::to_string(r.success_status)] = json::object{{"description", "success"}};
        responses["default"] = json::object{
            {"description", "an error (RFC 9457)"},
            {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
        op["responses"] = std::move(responses);
        std::string method = r.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto& item = paths[r.path];
        if (!item.is_object()) item = json::object{};
        item.as_object()[method] = std::move(op);
    }
    json::object problem = json::parse(R"({
      "type": "object",
      "required": ["type", "title", "status"],
      "properties": {
        "type": {"type": "string", "format": "uri"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"}, "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
          "field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}
      }})").as_object();
    json::object doc{
        {"openapi", "3.1.0"},
        {"info",
         {{"title", "dure API"},
          {"version", version},
          {"description", "두레 — integrated community-welfare platform. Errors are RFC 9457 problem+json."},
          {"license", {{"name", "Apache-2.0"}, {"identifier", "Apache-2.0"}}}}},
        {"paths", std::move(paths)},
        {"components",
         {{"schemas", {{"Problem", std::move(problem)}}},
          {"securitySchemes",
           {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "dure_session"}}},
            {"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}}};
    return json::serialize(doc);
}

}  // namespace dure::http
