#include "http/router.hpp"

#include <gtest/gtest.h>

namespace dure::http {
namespace {

Response ok(Request&) { return {}; }

TEST(Router, MatchesTemplatesAndExtractsParams) {
    Router r;
    r.add({"GET", "/api/v1/admin/accounts/{id}/roles", ok, "", ""});
    r.add({"POST", "/api/v1/admin/accounts/{id}/roles", ok, "", ""});
    auto m = r.match("POST", "/api/v1/admin/accounts/42/roles");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->method, "POST");
    EXPECT_EQ(m.params.at("id"), "42");
}

TEST(Router, ReportsAllowedMethodsForWrongMethod) {
    Router r;
    r.add({"GET", "/x", ok, "", ""});
    r.add({"POST", "/x", ok, "", ""});
    auto m = r.match("DELETE", "/x");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
}

TEST(Router, HeadFallsBackToGetAndUnknownPathsMiss) {
    Router r;
    r.add({"GET", "/healthz", ok, "", ""});
    EXPECT_NE(r.match("HEAD", "/healthz").route, nullptr);
    auto m = r.match("GET", "/nope");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.allowed.empty());
    EXPECT_EQ(r.match("GET", "/healthz/").route, nullptr);  // trailing slash is another path
}

TEST(Router, EmptyParameterSegmentDoesNotMatch) {
    Router r;
    r.add({"GET", "/a/{id}", ok, "", ""});
    EXPECT_EQ(r.match("GET", "/a/").route, nullptr);
}

TEST(Router, LiteralSegmentsWinOverParameters) {
    Router r;
    r.add({"GET", "/d/{id}", ok, "param", ""});
    r.add({"GET", "/d/categories", ok, "literal", ""});
    EXPECT_EQ(r.match("GET", "/d/categories").route->summary, "literal");
    EXPECT_EQ(r.match("GET", "/d/42").route->summary, "param");
    EXPECT_EQ(r.match("GET", "/d/42").params.at("id"), "42");
}

TEST(Router, RejectsDuplicateRoutes) {
    Router r;
    r.add({"GET", "/a", ok, "", ""});
    EXPECT_THROW(r.add({"GET", "/a", ok, "", ""}), std::logic_error);
}

}  // namespace
}  // namespace dure::http
