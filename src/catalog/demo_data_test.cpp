#include "catalog/demo_data.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <set>

#include "common/embedded.hpp"

namespace dure::catalog {
namespace {

DemoDistrict district() {
    DemoDistrict d;
    d.id = 1;
    d.name = "한빛구";
    const char* names[] = {"은행동", "느티동", "솔내동", "버들동", "매화동", "청림동", "새말동", "가람1동",
                           "가람2동", "달빛동", "모란동", "햇살동", "구름동", "샘골동", "노을동", "별내동"};
    long long id = 10;
    for (const char* n : names) d.dongs.push_back({id++, n});
    return d;
}

DemoCatalog generate() {
    return generate_demo_catalog(district(), embedded::find("data/catalog/programs.json").value(),
                                 embedded::find("data/catalog/generator.json").value(),
                                 embedded::find("data/catalog/taxonomy.json").value(), "2026-11-23");
}

TEST(DemoCatalog, HasTheRequiredSizeAndTheRealProgramsFirst) {
    auto c = generate();
    EXPECT_EQ(c.services.size(), 3000u);
    EXPECT_EQ(c.facilities.size(), 3000u);
    std::set<std::string> codes;
    for (const auto& s : c.services)
        if (s.provider_level == "national") {
            codes.insert(s.program_code);
            EXPECT_FALSE(s.source.empty()) << s.name;
            EXPECT_FALSE(s.eligibility_description.empty()) << s.name;
        }
    EXPECT_GE(codes.size(), 40u);
    for (const char* code : {"livelihood_benefit", "medical_benefit", "housing_benefit", "education_benefit",
                             "basic_pension", "child_allowance", "parental_benefit", "disability_pension",
                             "emergency_welfare", "energy_voucher"})
        EXPECT_TRUE(codes.count(code)) << code;
}

TEST(DemoCatalog, IsDeterministic) {
    auto a = generate(), b = generate();
    ASSERT_EQ(a.services.size(), b.services.size());
    for (std::size_t i = 0; i < a.services.size(); i += 97) {
        EXPECT_EQ(a.services[i].id, b.services[i].id);
        EXPECT_EQ(a.services[i].name, b.services[i].name);
    }
    EXPECT_EQ(a.facilities[1234].name, b.facilities[1234].name);
    EXPECT_EQ(a.facilities[1234].latitude, b.facilities[1234].latitude);
}

TEST(DemoCatalog, FillsEveryPlaceholderAndKeepsIdsUnique) {
    auto c = generate();
    std::set<std::string> ids;
    std::size_t with_capacity = 0;
    std::set<std::string> names;
    for (const auto& s : c.services) {
        EXPECT_EQ(s.name.find('{'), std::string::npos) << s.name;
        EXPECT_EQ(s.description.find('{'), std::string::npos) << s.description;
        EXPECT_EQ(s.description.find("을(를)"), std::string::npos) << s.description;
        EXPECT_EQ(s.eligibility_description.find('{'), std::string::npos) << s.eligibility_description;
        EXPECT_FALSE(s.name.empty());
        EXPECT_FALSE(s.topics.empty());
        EXPECT_FALSE(s.organization_id.empty());
        EXPECT_TRUE(ids.insert(s.id).second) << s.id;
        EXPECT_TRUE(names.insert(s.name).second) << s.name;
    }
    for (const auto& f : c.facilities) {
        EXPECT_EQ(f.name.find('{'), std::string::npos) << f.name;
        EXPECT_TRUE(ids.insert(f.id).second);
        EXPECT_GE(f.dong_id, 10);
        EXPECT_LE(f.dong_id, 25);
        EXPECT_GE(f.capacity, 0);  // 0: not a place with seats (e.g. 행정복지센터)
        with_capacity += f.capacity > 0;
    }
    EXPECT_GT(with_capacity, c.facilities.size() / 2);
    std::set<std::string> facility_names;
    std::size_t linked = 0;
    for (const auto& f : c.facilities) {
        EXPECT_TRUE(facility_names.insert(f.name).second) << f.name;
        linked += !f.service_ids.empty();
        if (f.type == "행정복지센터") EXPECT_GE(f.service_ids.size(), 40u) << "national programs are applied for here";
    }
    EXPECT_GT(linked, c.facilities.size() / 2);
    std::map<long long, int> centers;
    for (const auto& f : c.facilities)
        if (f.type == "행정복지센터") ++centers[f.dong_id];
    EXPECT_EQ(centers.size(), 16u);
    for (const auto& [dong, n] : centers) EXPECT_EQ(n, 1) << "one 행정복지센터 per dong";
}

// Ray casting over a GeoJSON ring.
bool inside(const boost::json::array& ring, double lon, double lat) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        double xi = ring[i].as_array()[0].as_double(), yi = ring[i].as_array()[1].as_double();
        double xj = ring[j].as_array()[0].as_double(), yj = ring[j].as_array()[1].as_double();
        if (((yi > lat) != (yj > lat)) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) in = !in;
    }
    return in;
}

TEST(DemoCatalog, DongsAreRealShapesAndEveryFacilityLiesInsideItsDong) {
    auto d = district();
    auto geo = boost::json::parse(demo_dong_geojson(d)).as_object();
    auto& features = geo["features"].as_array();
    ASSERT_EQ(features.size(), d.dongs.size());
    // Real neighbourhood shapes (Seoul 중랑구, 2013), not squares: more than 5 vertices each.
    auto real = boost::json::parse(embedded::find("data/geo/demo-district-2013.geojson").value()).as_object();
    ASSERT_EQ(real["features"].as_array().size(), 16u);
    for (auto& f : features) EXPECT_GT(f.as_object()["geometry"].as_object()["coordinates"].as_array()[0].as_array().size(), 5u);
    auto c = generate();
    for (const auto& f : c.facilities) {
        auto idx = static_cast<std::size_t>(f.dong_id - 10);
        auto& ring = features[idx].as_object()["geometry"].as_object()["coordinates"].as_array()[0].as_array();
        EXPECT_TRUE(inside(ring, f.longitude, f.latitude)) << f.name << " " << f.latitude << "," << f.longitude;
    }
}

TEST(DemoCatalog, NameUuidIsStableAndVersion4Shaped) {
    EXPECT_EQ(name_uuid("a"), name_uuid("a"));
    EXPECT_NE(name_uuid("a"), name_uuid("b"));
    auto u = name_uuid("x");
    EXPECT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
}

}  // namespace
}  // namespace dure::catalog
