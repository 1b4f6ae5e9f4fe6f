// libFuzzer target: the JSON request-body parser every POST/PUT/PATCH handler uses
// (http::parse_json_object) and the field reader (http::BodyReader). Any input must end in an
// object or in a dure::Error (400/415/422), never in a crash, a leak, undefined behaviour or
// another exception type. Build and run: `make fuzz` (clang with -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "http/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    dure::http::Request req;
    req.method = "POST";
    req.path = "/api/v1/fuzz";
    // The first byte picks the content type, so the media-type check is fuzzed too.
    static const char* kTypes[] = {"application/json", "application/json; charset=utf-8", "Application/Problem+JSON",
                                   "text/plain", "application/jsonx", ""};
    std::size_t pick = size ? data[0] % 6 : 0;
    req.headers.emplace_back("content-type", kTypes[pick]);
    req.body.assign(reinterpret_cast<const char*>(data) + (size ? 1 : 0), size ? size - 1 : 0);
    try {
        auto obj = dure::http::parse_json_object(req);
        dure::FieldErrors errors;
        dure::http::BodyReader r(obj, errors);
        r.allow_only({"name", "age", "address", "members"});
        (void)r.string("name", true, 50);
        (void)r.string("address", false);
        (void)r.integer("age", false, 0, 150);
    } catch (const dure::Error&) {
        // A problem+json answer: expected for bad input.
    }
    return 0;
}
