#include "http/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace dure::http {

namespace json = boost::json;

namespace {

int status_of(ErrorKind k) {
    switch (k) {
        case ErrorKind::bad_request: return 400;
        case ErrorKind::unauthorized: return 401;
        case ErrorKind::forbidden: return 403;
        case ErrorKind::not_found: return 404;
        case ErrorKind::conflict: return 409;
        case ErrorKind::payload_too_large: return 413;
        case ErrorKind::unsupported_media_type: return 415;
        case ErrorKind::validation: return 422;
        case ErrorKind::too_many_requests: return 429;
        case ErrorKind::unavailable: return 503;
        case ErrorKind::internal: return 500;
    }
    return 500;
}

std::string_view title_of(int status) {
    switch (status) {
        case 400: return "Bad request";
        case 401: return "Not logged in";
        case 403: return "Not allowed";
        case 404: return "Not found";
        case 405: return "Method not allowed";
        case 409: return "Conflict";
        case 413: return "Payload too large";
        case 415: return "Unsupported media type";
        case 422: return "Invalid request";
        case 429: return "Too many requests";
        case 431: return "Request header fields too large";
        case 503: return "Service unavailable";
        default: return "Internal server error";
    }
}

std::string_view slug_of(int status) {
    switch (status) {
        case 400: return "bad-request";
        case 401: return "unauthorized";
        case 403: return "forbidden";
        case 404: return "not-found";
        case 405: return "method-not-allowed";
        case 409: return "conflict";
        case 413: return "payload-too-large";
        case 415: return "unsupported-media-type";
        case 422: return "validation";
        case 429: return "too-many-requests";
        case 431: return "header-too-large";
        case 503: return "unavailable";
        default: return "internal";
    }
}

Response make_problem(int status, std::string_view slug, std::string_view detail, const Request& req,
                      const std::vector<FieldError>* fields) {
    json::object o;
    o["type"] = std::string("https://dure.kr/problems/") + std::string(slug);
    o["title"] = title_of(status);
    o["status"] = status;
    o["detail"] = detail;
    o["instance"] = req.path;
    if (!req.request_id.empty()) o["request_id"] = req.request_id;
    if (fields && !fields->empty()) {
        json::array arr;
        for (const auto& f : *fields)
            arr.push_back(json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
        o["errors"] = std::move(arr);
    }
    Response r;
    r.status = status;
    r.content_type = "application/problem+json";
    r.body = json::serialize(o);
    return r;
}

}  // namespace

Response json_response(int status, const json::value& v) {
    Response r;
    r.status = status;
    r.body = json::serialize(v);
    return r;
}

Response problem_response(const Error& e, const Request& req) {
    int status = status_of(e.kind());
    std::string slug = e.type().empty() ? std::string(slug_of(status)) : e.type();
    Response r = make_problem(status, slug, e.what(), req, &e.fields());
    if (e.retry_after() > 0) r.set_header("Retry-After", std::to_string(e.retry_after()));
    return r;
}

Response problem_response(int status, std::string_view detail, const Request& req) {
    return make_problem(status, slug_of(status), detail, req, nullptr);
}

long long path_id(const Request& req, const std::string& name, std::string_view what) {
    const auto& text = req.param(name);
    long long v = 0;
    bool ok = !text.empty() && text.size() <= 18;
    for (char c : text) {
        if (c < '0' || c > '9') ok = false;
        else v = v * 10 + (c - '0');
    }
    if (!ok || v <= 0) throw Error(ErrorKind::not_found, "no such " + std::string(what));
    return v;
}

json::object parse_json_object(const Request& req) {
    auto ct = req.header("content-type").value_or("");
    std::string lower;
    for (char c : ct) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto semi = lower.find(';');
    std::string media = lower.substr(0, semi);
    while (!media.empty() && media.back() == ' ') media.pop_back();
    if (media != "application/json" && !(media.starts_with("application/") && media.ends_with("+json")))
        throw Error(ErrorKind::unsupported_media_type, "send the body as application/json");
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 32;
    json::value v = json::parse(req.body, ec, {}, opts);
    if (ec)
        throw Error(ErrorKind::bad_request, "the body is not valid JSON: " + ec.message(),
                    {{"", "malformed_json", ec.message()}});
    if (!v.is_object())
        throw Error(ErrorKind::validation, "the body must be a JSON object",
                    {{"", "not_an_object", "expected a JSON object"}});
    return std::move(v.as_object());
}

void BodyReader::allow_only(std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : obj_) {
        bool ok = false;
        for (auto a : allowed) ok = ok || kv.key() == a;
        if (!ok) errors_.add(std::string(kv.key()), "unknown_field", "this field is not accepted here");
    }
}

std::optional<std::string> BodyReader::string(std::string_view key, bool required, std::size_t max_chars) {
    std::string k(key);
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) {
        if (required) errors_.add(k, "required", "this field is required");
        return std::nullopt;
    }
    if (!it->value().is_string()) {
        errors_.add(k, "not_a_string", "expected a string");
        return std::nullopt;
    }
    std::string s(it->value().as_string());
    auto b = s.find_first_not_of(" \t\r\n");
    auto e = s.find_last_not_of(" \t\r\n");
    s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    if (s.empty()) {
        if (required) errors_.add(k, "required", "this field is required");
        return std::nullopt;
    }
    if (utf8_length(s) > max_chars) {
        errors_.add(k, "too_long", "at most " + std::to_string(max_chars) + " characters");
        return std::nullopt;
    }
    if (has_control_chars(s)) {
        errors_.add(k, "control_characters", "control characters are not allowed");
        return std::nullopt;
    }
    return s;
}

std::optional<long long> BodyReader::integer(std::string_view key, bool required, long long min, long long max) {
    std::string k(key);
    auto it = obj_.find(key);
    if (it == obj_.end() || it->value().is_null()) {
        if (required) errors_.add(k, "required", "this field is required");
        return std::nullopt;
    }
    const auto& v = it->value();
    long long n = 0;
    if (v.is_int64()) {
        n = v.as_int64();
    } else if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(max)) {
        n = static_cast<long long>(v.as_uint64());
    } else if (v.is_uint64()) {
        errors_.add(k, "out_of_range", "between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    } else {
        errors_.add(k, "not_an_integer", "expected an integer");
        return std::nullopt;
    }
    if (n < min || n > max) {
        errors_.add(k, "out_of_range", "between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

}  // namespace dure::http
