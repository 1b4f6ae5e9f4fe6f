#include "http/json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace dure::http {
namespace {

Request json_request(std::string body, std::string ct = "application/json") {
    Request r;
    r.path = "/x";
    r.headers.emplace_back("content-type", ct);
    r.body = std::move(body);
    return r;
}

TEST(Json, RejectsWrongContentType) {
    try {
        parse_json_object(json_request("{}", "text/plain"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::unsupported_media_type);
    }
}

TEST(Json, RejectsMalformedAndNonObjects) {
    EXPECT_THROW(parse_json_object(json_request("{\"a\":")), Error);
    try {
        parse_json_object(json_request("[1,2]"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::validation);
    }
    // Deep nesting is refused rather than recursing without bound.
    EXPECT_THROW(parse_json_object(json_request(std::string(5000, '[') + std::string(5000, ']'))), Error);
}

TEST(Json, BodyReaderCollectsEveryFieldError) {
    auto obj = parse_json_object(json_request(R"({"name": 5, "age": 1.5, "extra": true, "s": "a\u0001b"})"));
    FieldErrors errors;
    BodyReader r(obj, errors);
    r.allow_only({"name", "age", "s"});
    EXPECT_FALSE(r.string("name", true));
    EXPECT_FALSE(r.integer("age", true, 0, 10));
    EXPECT_FALSE(r.string("s", true));
    EXPECT_FALSE(r.string("missing", true));
    EXPECT_TRUE(errors.has("extra"));
    EXPECT_TRUE(errors.has("name"));
    EXPECT_TRUE(errors.has("age"));
    EXPECT_TRUE(errors.has("s"));
    EXPECT_TRUE(errors.has("missing"));
}

TEST(Json, ProblemResponseListsFields) {
    Request req;
    req.path = "/api/v1/auth/signup";
    req.request_id = "abc";
    Error e(ErrorKind::validation, "1 field is invalid", {{"password", "too_short", "use at least 10 characters"}});
    auto r = problem_response(e, req);
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(v["status"].as_int64(), 422);
    EXPECT_EQ(v["instance"].as_string(), "/api/v1/auth/signup");
    EXPECT_EQ(v["errors"].as_array()[0].as_object()["field"].as_string(), "password");
}

TEST(Json, Utf8LengthCountsCodePoints) {
    EXPECT_EQ(utf8_length("기초연금"), 4u);
    EXPECT_TRUE(has_control_chars("a\x7f"));
    EXPECT_TRUE(has_control_chars("a\xc2\x85"));
    EXPECT_FALSE(has_control_chars("두레 dure"));
}

}  // namespace
}  // namespace dure::http
