#pragma once
// Typed errors raised by logic and stores; src/http maps each kind to one HTTP status and an
// RFC 9457 problem document, so no module decides status codes itself.
#include <stdexcept>
#include <string>
#include <vector>

namespace dure {

// One invalid input field: `field` is the JSON member (or header) name, `code` a stable
// machine word the UI translates, `message` plain English for API users.
struct FieldError {
    std::string field;
    std::string code;
    std::string message;
};

enum class ErrorKind {
    bad_request,             // 400 malformed syntax
    unauthorized,            // 401 not logged in or session expired
    forbidden,               // 403 logged in but not allowed
    not_found,               // 404
    conflict,                // 409
    payload_too_large,       // 413
    unsupported_media_type,  // 415
    validation,              // 422 well-formed but invalid fields
    too_many_requests,       // 429
    unavailable,             // 503
    internal,                // 500
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string detail, std::vector<FieldError> fields = {})
        : std::runtime_error(detail), kind_(kind), fields_(std::move(fields)) {}

    ErrorKind kind() const { return kind_; }
    const std::vector<FieldError>& fields() const { return fields_; }

    // A short slug naming the problem type more precisely than the kind (e.g. "csrf").
    const std::string& type() const { return type_; }
    Error& with_type(std::string t) {
        type_ = std::move(t);
        return *this;
    }
    // Seconds a throttled client should wait; sent as Retry-After.
    int retry_after() const { return retry_after_; }
    Error& with_retry_after(int s) {
        retry_after_ = s;
        return *this;
    }

private:
    ErrorKind kind_;
    std::vector<FieldError> fields_;
    std::string type_;
    int retry_after_ = 0;
};

// Collects field errors while validating a request, then throws them together.
class FieldErrors {
public:
    void add(std::string field, std::string code, std::string message) {
        errors_.push_back({std::move(field), std::move(code), std::move(message)});
    }
    bool empty() const { return errors_.empty(); }
    bool has(const std::string& field) const {
        for (const auto& e : errors_)
            if (e.field == field) return true;
        return false;
    }
    void throw_if_any() const {
        if (errors_.empty()) return;
        std::string detail = errors_.size() == 1 ? "1 field is invalid"
                                                 : std::to_string(errors_.size()) + " fields are invalid";
        throw Error(ErrorKind::validation, detail, errors_);
    }

private:
    std::vector<FieldError> errors_;
};

}  // namespace dure
