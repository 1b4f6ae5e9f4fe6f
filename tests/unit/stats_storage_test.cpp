// The welfare status map's storage suite, on SQLite and (when DURE_TEST_PG is set) PostgreSQL:
// seeded indicators, boundaries replaced as a whole, statistics saved idempotently (the whole
// district, dong NULL, is one key too), and reads scoped to a district.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <filesystem>

#include "atlas/stats.hpp"
#include "atlas/stats_store.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"
#include "scratch_database.hpp"

namespace dure::catalog {
namespace {

namespace fs = std::filesystem;

class StatsStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "s");
        auto name = scratch_->name;
        dir_ = scratch_->dir;
        url_ = scratch_->url;
        db_ = store::Database::open(url_, 4);
        store::migrate(*db_);
        st_ = std::make_unique<StatsStore>(*db_);
        district_ = add_district("d" + name);
        other_ = add_district("o" + name);
        dong_a_ = add_dong(district_, "a", "가동");
        dong_b_ = add_dong(district_, "b", "나동");
        other_dong_ = add_dong(other_, "a", "가동");
    }
    void TearDown() override {
        st_.reset();
        db_.reset();
        scratch_.reset();
    }
    long long add_district(const std::string& code) {
        long long id = 0, now = 1;
        db_->write([&](soci::session& s) {
            s << "INSERT INTO districts (code, name_ko, name_en, created_at) VALUES (:c, '구', 'gu', :t) RETURNING id",
                soci::use(code), soci::use(now), soci::into(id);
        });
        return id;
    }
    long long add_dong(long long district, const std::string& code, const std::string& ko) {
        long long id = 0;
        db_->write([&](soci::session& s) {
            s << "INSERT INTO dongs (district_id, code, name_ko, name_en) VALUES (:d, :c, :k, :e) RETURNING id",
                soci::use(district), soci::use(code), soci::use(ko), soci::use(code), soci::into(id);
        });
        return id;
    }
    StatValue value(long long district, long long dong, long long year, double v, std::string source = "demo") {
        StatValue s;
        s.district_id = district;
        s.indicator = "livelihood_recipients";
        s.dong_id = dong;
        s.year = year;
        s.value = v;
        s.unit = "명";
        s.source = std::move(source);
        s.uploaded_by = "account:1";
        s.uploaded_at = 100;
        return s;
    }

    std::unique_ptr<testing::ScratchDatabase> scratch_;
    fs::path dir_;
    std::string url_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<StatsStore> st_;
    long long district_ = 0, other_ = 0, dong_a_ = 0, dong_b_ = 0, other_dong_ = 0;
};

TEST_P(StatsStorage, MigrationSeedsTheIndicators) {
    auto inds = st_->indicators();
    ASSERT_GE(inds.size(), 5u);
    EXPECT_EQ(inds.front().code, "aged_65_share");
    EXPECT_EQ(inds.front().unit, "%");
    EXPECT_EQ(inds.front().aggregate, "none");
    bool recipients = false;
    for (const auto& i : inds)
        if (i.code == "livelihood_recipients") recipients = i.aggregate == "sum" && i.unit == "명";
    EXPECT_TRUE(recipients);
}

TEST_P(StatsStorage, SavingTheSameRowsAgainReplacesNotDuplicates) {
    std::vector<StatValue> rows{value(district_, dong_a_, 2024, 120), value(district_, dong_b_, 2024, 80),
                                value(district_, 0, 2024, 200)};
    auto first = st_->save(rows);
    EXPECT_EQ(first.inserted, 3);
    auto again = st_->save(rows);
    EXPECT_EQ(again.inserted, 0);
    EXPECT_EQ(again.unchanged, 3);
    rows[0].value = 125.5;
    rows[2].value = 205.5;  // the whole-district row (dong NULL) is one key as well
    auto changed = st_->save(rows);
    EXPECT_EQ(changed.replaced, 2);
    EXPECT_EQ(changed.unchanged, 1);
    EXPECT_EQ(st_->count(district_), 3);

    auto vals = st_->values(district_, "livelihood_recipients", 2024);
    ASSERT_EQ(vals.size(), 3u);
    EXPECT_EQ(vals[0].dong_id, 0);
    EXPECT_DOUBLE_EQ(vals[0].value, 205.5);
    EXPECT_EQ(vals[1].dong_id, std::min(dong_a_, dong_b_));
    for (const auto& v : vals)
        if (v.dong_id == dong_a_) {
            EXPECT_DOUBLE_EQ(v.value, 125.5);
        }
}

TEST_P(StatsStorage, ReadsAreScopedAndSeriesAreByYear) {
    st_->save({value(district_, dong_a_, 2022, 10), value(district_, dong_a_, 2024, 14), value(district_, dong_a_, 2023, 12),
               value(other_, other_dong_, 2025, 99)});
    EXPECT_EQ(st_->years(district_, "livelihood_recipients"), (std::vector<long long>{2022, 2023, 2024}));
    auto latest = st_->values(district_, "livelihood_recipients", 0);
    ASSERT_EQ(latest.size(), 1u);
    EXPECT_EQ(latest[0].year, 2024);
    auto series = st_->series(district_, "livelihood_recipients", dong_a_);
    ASSERT_EQ(series.size(), 3u);
    EXPECT_EQ(series[0].year, 2022);
    EXPECT_DOUBLE_EQ(series[2].value, 14);
    EXPECT_TRUE(st_->series(district_, "livelihood_recipients", 0).empty());
    EXPECT_TRUE(st_->values(district_, "aged_65_share", 0).empty());
    EXPECT_EQ(st_->count(other_), 1);
}

TEST_P(StatsStorage, AFailedSaveStoresNothing) {
    auto bad = value(district_, dong_a_, 2024, 1);
    bad.indicator = "not_an_indicator";  // the foreign key refuses it
    EXPECT_ANY_THROW(st_->save({value(district_, dong_b_, 2024, 5), bad}));
    EXPECT_EQ(st_->count(district_), 0);
}

TEST_P(StatsStorage, BoundariesAreReplacedAsAWhole) {
    std::vector<StatDong> dongs{{dong_a_, "a", "가동", "a"}, {dong_b_, "b", "나동", "b"}};
    std::string fc =
        R"({"type":"FeatureCollection","features":[)"
        R"({"type":"Feature","properties":{"code":"a"},"geometry":{"type":"Polygon","coordinates":[[[127,37],[127.01,37],[127.01,37.01],[127,37]]]}},)"
        R"({"type":"Feature","properties":{"name":"나동"},"geometry":{"type":"Polygon","coordinates":[[[127.01,37],[127.02,37],[127.02,37.01],[127.01,37]]]}}]})";
    auto b = read_dong_boundaries(fc, dongs);
    ASSERT_TRUE(b.errors.empty());
    st_->replace_boundaries(district_, b.boundaries, "test", 5);
    auto stored = st_->boundaries(district_);
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_NE(stored[0].geometry.find("Polygon"), std::string::npos);
    st_->replace_boundaries(district_, {b.boundaries[1]}, "test", 6);
    stored = st_->boundaries(district_);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].dong_id, dong_b_);
    EXPECT_TRUE(st_->boundaries(other_).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StatsStorage, ::testing::ValuesIn(testing::storage_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dure::catalog
