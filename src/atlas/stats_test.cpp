// The welfare status map's pure logic: statistics CSV checks that name every bad line and
// field, encoding detection, quantile class breaks, and GeoJSON boundary checks.
#include "atlas/stats.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace dure::catalog {
namespace {

const std::vector<Indicator> kIndicators = {
    {"aged_65_share", "65세 이상 인구 비율", "Share aged 65+", "%", "", "행정안전부", "none"},
    {"livelihood_recipients", "기초생활수급자 수", "Recipients", "명", "", "보건복지부", "sum"},
};
const std::vector<StatDong> kDongs = {
    {11, "eunhaeng", "은행동", "Eunhaeng-dong"},
    {12, "neuti", "느티동", "Neuti-dong"},
    {13, "garam1", "가람1동", "Garam 1-dong"},
};

std::vector<std::string> fields(const std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.field);
    return out;
}

TEST(StatsCsv, ReadsDongsByCodeKoreanOrEnglishNameAndTheWholeDistrict) {
    auto up = read_statistics_csv(
        "\xEF\xBB\xBFindicator,dong,year,value\r\n"
        "aged_65_share,은행동,2024,21.5\r\n"
        "aged_65_share,neuti,2024,18\r\n"
        "aged_65_share,Garam 1-dong,2024,30.25\r\n"
        "livelihood_recipients,전체,2024,\"1,234\"\r\n",
        kIndicators, kDongs, 7);
    ASSERT_TRUE(up.errors.empty()) << up.errors.front().field << " " << up.errors.front().message;
    ASSERT_EQ(up.values.size(), 4u);
    EXPECT_EQ(up.values[0].dong_id, 11);
    EXPECT_EQ(up.values[1].dong_id, 12);
    EXPECT_EQ(up.values[2].dong_id, 13);
    EXPECT_DOUBLE_EQ(up.values[2].value, 30.25);
    EXPECT_EQ(up.values[3].dong_id, 0);
    EXPECT_DOUBLE_EQ(up.values[3].value, 1234);
    EXPECT_EQ(up.values[3].unit, "명");  // taken from the indicator
    EXPECT_EQ(up.values[3].district_id, 7);
    EXPECT_EQ(up.values[3].line, 5);
}

TEST(StatsCsv, ReportsEveryBadRowWithItsLineAndFieldAndKeepsNothing) {
    auto up = read_statistics_csv(
        "indicator,dong,year,value\n"
        "aged_65_share,은행동,2024,21.5\n"      // 2 fine
        "no_such_thing,은행동,2024,1\n"         // 3 indicator
        "aged_65_share,없는동,2024,1\n"         // 4 dong
        "aged_65_share,느티동,1989,1\n"         // 5 year
        "aged_65_share,느티동,2024,many\n"      // 6 value
        "aged_65_share,eunhaeng,2024,22\n"      // 7 duplicate of line 2 (code = name)
        "aged_65_share,느티동,2024\n"           // 8 field count
        "aged_65_share,가람1동,2024,120\n"      // 9 a share above 100
        "livelihood_recipients,가람1동,2024,\"1,23\"\n",  // 10 bad thousands separator
        kIndicators, kDongs, 7);
    EXPECT_TRUE(up.values.empty());
    EXPECT_EQ(fields(up.errors),
              (std::vector<std::string>{"line 3: indicator", "line 4: dong", "line 5: year", "line 6: value",
                                        "line 7: dong", "line 8", "line 9: value", "line 10: value"}));
    EXPECT_EQ(up.errors[4].code, "duplicate_row");
    EXPECT_NE(up.errors[4].message.find("line 2"), std::string::npos);
}

TEST(StatsCsv, ChecksTheHeaderAndQuotes) {
    EXPECT_EQ(fields(read_statistics_csv("indicator,dong,value\nx,y,1\n", kIndicators, kDongs, 1).errors),
              (std::vector<std::string>{"line 1: year"}));
    EXPECT_EQ(read_statistics_csv("indicator,dong,year,value,colour\n", kIndicators, kDongs, 1).errors.front().code,
              "unknown_column");
    EXPECT_EQ(read_statistics_csv("", kIndicators, kDongs, 1).errors.front().code, "empty");
    EXPECT_EQ(read_statistics_csv("indicator,dong,year,value\n", kIndicators, kDongs, 1).errors.front().code, "empty");
    auto bad = read_statistics_csv("indicator,dong,year,value\naged_65_share,\"은행동,2024,1\n", kIndicators, kDongs, 1);
    ASSERT_EQ(bad.errors.size(), 1u);
    EXPECT_EQ(bad.errors[0].field, "line 2");
    EXPECT_EQ(bad.errors[0].code, "malformed_csv");
    auto unit = read_statistics_csv("indicator,dong,year,value,unit\naged_65_share,은행동,2024,3,명\n", kIndicators,
                                    kDongs, 1);
    EXPECT_EQ(fields(unit.errors), (std::vector<std::string>{"line 2: unit"}));
}

TEST(StatsEncoding, TellsUtf8FromCp949) {
    EXPECT_EQ(detect_encoding("indicator,dong\n"), TextEncoding::utf8);
    EXPECT_EQ(detect_encoding("\xEF\xBB\xBF은행동,2024"), TextEncoding::utf8);
    // "은행동" in CP949 / EUC-KR.
    EXPECT_EQ(detect_encoding("aged_65_share,\xC0\xBA\xC7\xE0\xB5\xBF,2024,1\n"), TextEncoding::cp949);
    EXPECT_EQ(detect_encoding("\xFF\xFE\x00"), TextEncoding::unknown);
}

TEST(StatsBreaks, QuantilesPutEqualCountsInEachClassAndNameTheMethod) {
    std::vector<double> v;
    for (int i = 1; i <= 16; ++i) v.push_back(i);
    auto b = quantile_breaks(v, 5);
    EXPECT_EQ(b.method, "quantile");
    EXPECT_EQ(b.breaks, (std::vector<double>{1, 4, 7, 10, 13, 16}));
    EXPECT_EQ(b.classes(), 5);
    std::vector<int> per(5);
    for (double x : v) ++per[static_cast<std::size_t>(class_of(b, x))];
    EXPECT_EQ(per, (std::vector<int>{3, 3, 3, 3, 4}));
    EXPECT_EQ(class_of(b, 1), 0);
    EXPECT_EQ(class_of(b, 16), 4);
}

TEST(StatsBreaks, RepeatedValuesGiveFewerClassesNeverAnEmptyOne) {
    auto same = quantile_breaks({5, 5, 5, 5}, 5);
    EXPECT_EQ(same.classes(), 1);
    EXPECT_EQ(class_of(same, 5), 0);
    auto few = quantile_breaks({1, 1, 1, 2}, 4);
    EXPECT_EQ(few.breaks, (std::vector<double>{1, 2, 2}));
    EXPECT_EQ(class_of(few, 1), 0);
    EXPECT_EQ(class_of(few, 2), 1);
    auto two = quantile_breaks({3, 9}, 5);
    EXPECT_EQ(two.classes(), 2);
    EXPECT_EQ(quantile_breaks({}, 5).classes(), 0);
    EXPECT_EQ(class_of(quantile_breaks({}, 5), 1), -1);
}

std::string square(const std::string& props, double lon = 127.0, double lat = 37.5, bool closed = true) {
    auto p = [](double x, double y) { return "[" + std::to_string(x) + "," + std::to_string(y) + "]"; };
    std::string ring = p(lon, lat) + "," + p(lon + 0.01, lat) + "," + p(lon + 0.01, lat + 0.01) + "," +
                       p(lon, lat + 0.01) + "," + (closed ? p(lon, lat) : p(lon, lat + 0.02));
    return R"({"type":"Feature","properties":)" + props + R"(,"geometry":{"type":"Polygon","coordinates":[[)" + ring +
           "]]}}";
}

TEST(StatsGeoJson, MapsFeaturesToDongsByIdCodeOrName) {
    std::string fc = R"({"type":"FeatureCollection","features":[)" + square(R"({"dong_id":11})") + "," +
                     square(R"({"code":"neuti"})") + "," +
                     R"({"type":"Feature","properties":{"name":"가람1동"},"geometry":{"type":"MultiPolygon",)"
                     R"("coordinates":[[[[127,37],[127.1,37],[127.1,37.1],[127,37]]]]}}]})";
    auto b = read_dong_boundaries(fc, kDongs);
    ASSERT_TRUE(b.errors.empty()) << b.errors.front().field << ": " << b.errors.front().message;
    ASSERT_EQ(b.boundaries.size(), 3u);
    EXPECT_EQ(b.boundaries[1].dong_id, 12);
    auto g = boost::json::parse(b.boundaries[2].geometry);
    EXPECT_EQ(g.at("type"), "MultiPolygon");
}

TEST(StatsGeoJson, ReportsEveryBadFeatureAndKeepsNone) {
    std::string fc = R"({"type":"FeatureCollection","features":[)" + square(R"({"dong_id":11})") + "," +
                     square(R"({"name":"없는동"})") + "," +                       // 1 unknown dong
                     square(R"({"code":"neuti"})", 127, 37.5, false) + "," +       // 2 ring not closed
                     square(R"({"code":"garam1"})", 200, 37.5) + "," +              // 3 longitude out of range
                     square(R"({"dong_id":11})") + "," +                            // 4 dong twice
                     R"({"type":"Feature","properties":{"code":"garam1"},"geometry":{"type":"Point","coordinates":[127,37]}}]})";
    auto b = read_dong_boundaries(fc, kDongs);
    EXPECT_TRUE(b.boundaries.empty());
    EXPECT_EQ(fields(b.errors), (std::vector<std::string>{"features[1].properties", "features[2].geometry.coordinates[0]",
                                                          "features[3].geometry.coordinates[0][0]",
                                                          "features[4].properties", "features[5].properties",
                                                          "features[5].geometry.type"}));
    EXPECT_EQ(b.errors[1].code, "ring_not_closed");
    EXPECT_EQ(b.errors[3].code, "duplicate_dong");
    EXPECT_EQ(b.errors[4].code, "duplicate_dong");  // garam1 is named by feature 3 too, whatever its geometry
    EXPECT_EQ(b.errors[5].code, "unsupported_geometry");
    EXPECT_EQ(read_dong_boundaries("{\"type\":\"Feature\"}", kDongs).errors.front().code, "not_a_feature_collection");
    EXPECT_EQ(read_dong_boundaries("not json", kDongs).errors.front().code, "not_json");
}

}  // namespace
}  // namespace dure::catalog
