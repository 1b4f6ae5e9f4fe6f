#pragma once
// JSON in and out of handlers: strict request-body parsing with field-level errors, and
// response builders (JSON and RFC 9457 problem+json).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/text.hpp"
#include "http/message.hpp"

namespace dure::http {

// A JSON response with the given status.
Response json_response(int status, const boost::json::value& v);

// The problem+json response for an error; `instance` is the request path.
Response problem_response(const Error& e, const Request& req);

// A problem+json response for a status without an Error object (404, 405, 500 …).
Response problem_response(int status, std::string_view detail, const Request& req);

// The path parameter `name` as a positive integer id; 404 ("no such <what>") otherwise.
long long path_id(const Request& req, const std::string& name, std::string_view what);

// Reads the request body as one JSON object. Throws 415 when the content type is not JSON,
// 400 when the text is not JSON, 422 when it is JSON but not an object.
boost::json::object parse_json_object(const Request& req);

// Reads members of a request object, collecting errors instead of throwing at the first one.
class BodyReader {
public:
    BodyReader(const boost::json::object& obj, FieldErrors& errors) : obj_(obj), errors_(errors) {}

    // Adds an `unknown_field` error for each member not in `allowed`.
    void allow_only(std::initializer_list<std::string_view> allowed);

    // A string member; trimmed. Empty strings count as absent for required members.
    std::optional<std::string> string(std::string_view key, bool required, std::size_t max_chars = 200);
    // An integer member (JSON number without fraction).
    std::optional<long long> integer(std::string_view key, bool required, long long min, long long max);

private:
    const boost::json::object& obj_;
    FieldErrors& errors_;
};

using dure::has_control_chars;
using dure::utf8_length;

}  // namespace dure::http
