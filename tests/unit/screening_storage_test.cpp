// Risk screening on SQLite and (with DURE_TEST_PG) PostgreSQL: indicator rows upserted (a second
// import changes nothing), household keys stored only blind-indexed and encrypted, rounds, outcomes
// and the training set; plus the pure parts: CSV validation, ranking and recalibration.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <sstream>

#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "scratch_database.hpp"
#include "screening/api.hpp"
#include "screening/model.hpp"
#include "screening/store.hpp"
#include "store/database.hpp"

namespace dure::screening {
namespace {

class ScreeningStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "sc");
        db_ = store::Database::open(scratch_->url, 2);
        store::migrate(*db_);
        identity::IdentityStore ids(*db_, keys_);
        district_ = ids.create_district("d" + scratch_->name, "구", "gu");
        dongs_["a"] = ids.create_dong(district_, "a", "가동", "a");
        dongs_["b"] = ids.create_dong(district_, "b", "나동", "b");
        st_ = std::make_unique<ScreeningStore>(*db_, keys_);
    }
    void TearDown() override {
        st_.reset();
        db_.reset();
        scratch_.reset();
    }
    identity::Keyring keys_ = identity::Keyring::from_master(std::string(32, 'c'));
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<ScreeningStore> st_;
    long long district_ = 0;
    std::map<std::string, long long> dongs_;
};

TEST_P(ScreeningStorage, ImportIsIdempotentAndKeysAreNotStoredInClear) {
    const auto& cat = IndicatorCatalog::embedded();
    std::vector<IndicatorRow> rows = {{"HK-1", "a", "electricity_cutoff", "2026-10", 1},
                                      {"HK-1", "a", "gas_cutoff", "2026-10", 1},
                                      {"HK-2", "b", "job_loss", "2026-11", 1}};
    auto r1 = st_->import(district_, rows, dongs_, cat, "t");
    EXPECT_EQ(r1.rows, 3);
    EXPECT_EQ(r1.households, 2);
    rows[0].value = 7;
    st_->import(district_, rows, dongs_, cat, "t");
    long long n = 0;
    std::string any;
    db_->read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM risk_indicators", soci::into(n);
        s << "SELECT household_hash || household_enc FROM risk_households LIMIT 1", soci::into(any);
    });
    EXPECT_EQ(n, 3);
    EXPECT_EQ(any.find("HK-"), std::string::npos);
    auto hs = st_->signals(district_, "2026-01", "2026-12", cat);
    ASSERT_EQ(hs.size(), 2u);
    auto model = st_->model(district_, cat);
    auto ranked = rank_by_dong(model, hs, 10, 0.0);
    auto round = st_->create_round(district_, "test", "2026-01", "2026-12", model, hs, ranked);
    auto items = st_->items(round.id);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(st_->household_key(district_, items[0].household_hash).substr(0, 3), "HK-");
    st_->set_outcome(items[0].id, "supported_public", "t");
    st_->set_outcome(items[1].id, "unreachable", "t");
    auto training = st_->training_set(district_);
    ASSERT_EQ(training.size(), 1u);  // unreachable says nothing about need
    EXPECT_EQ(training[0].second, 1);
    auto fitted = recalibrate(model, training);
    st_->save_model(district_, fitted);
    EXPECT_EQ(st_->model(district_, cat).version, 1);
}

TEST_P(ScreeningStorage, RoundsRunThemselvesEveryTwoMonths) {
    const auto& cat = IndicatorCatalog::embedded();
    long long now = store::now_unix();
    // No indicators yet: nothing to screen, no round.
    EXPECT_TRUE(run_due_rounds(*st_, {district_}, now).empty());
    std::vector<IndicatorRow> rows = {{"S-1", "a", "electricity_cutoff", month_of_today(0), 1},
                                      {"S-1", "a", "gas_cutoff", month_of_today(0), 1},
                                      {"S-1", "a", "public_rental_arrears", month_of_today(1), 1},
                                      {"S-2", "b", "telecom_arrears", month_of_today(0), 1}};
    st_->import(district_, rows, dongs_, cat, "t");
    auto first = run_due_rounds(*st_, {district_}, now);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].created_by, "schedule");
    EXPECT_EQ(first[0].households, 2);
    EXPECT_EQ(first[0].listed, 1);  // S-2 scores below 0.5
    EXPECT_EQ(first[0].period_from, month_of_today(5));
    // The next day, and 60 days on: not due. Past 61 days: the next round.
    EXPECT_TRUE(run_due_rounds(*st_, {district_}, now + 86400).empty());
    EXPECT_TRUE(run_due_rounds(*st_, {district_}, now + 60 * 86400).empty());
    EXPECT_EQ(run_due_rounds(*st_, {district_}, now + 62 * 86400).size(), 1u);
    EXPECT_EQ(st_->rounds(district_).size(), 2u);
}

TEST_P(ScreeningStorage, ABulkImportChecksItsDongsOnceAndWritesNothingWhenOneIsNotTheDistricts) {
    // The bulk write runs without per-row foreign-key checks on SQLite; the import checks each dong
    // itself. A dong id of another district (or none) fails the whole import, leaving nothing.
    const auto& cat = IndicatorCatalog::embedded();
    identity::IdentityStore ids(*db_, keys_);
    long long other = ids.create_district("o" + scratch_->name, "다른구", "other");
    long long foreign = ids.create_dong(other, "x", "다동", "x");
    std::vector<IndicatorRow> rows = {{"F-1", "a", "electricity_cutoff", "2026-10", 1},
                                      {"F-2", "x", "gas_cutoff", "2026-10", 1}};
    auto with_foreign = dongs_;
    with_foreign["x"] = foreign;
    EXPECT_THROW(st_->import(district_, rows, with_foreign, cat, "t"), std::invalid_argument);
    with_foreign["x"] = 999999;
    EXPECT_THROW(st_->import(district_, rows, with_foreign, cat, "t"), std::invalid_argument);
    long long n = -1, h = -1;
    db_->read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM risk_indicators", soci::into(n);
        s << "SELECT COUNT(*) FROM risk_households", soci::into(h);
    });
    EXPECT_EQ(n, 0);
    EXPECT_EQ(h, 0);
    // Foreign keys are enforced again for the next ordinary write on the same connection.
    EXPECT_THROW(db_->write([&](soci::session& s) {
        s << "INSERT INTO risk_households (district_id, household_hash, household_enc) VALUES (999999, 'h', 'e')";
    }),
                 std::exception);
    // More rows than one multi-row statement holds, and a remainder: all of them land.
    std::vector<IndicatorRow> many;
    for (int i = 0; i < 64 * 3 + 5; ++i) many.push_back({"M-" + std::to_string(i / 2), i % 3 ? "a" : "b",
                                                          i % 2 ? "gas_cutoff" : "job_loss", "2026-09", double(i)});
    auto res = st_->import(district_, many, dongs_, cat, "t");
    EXPECT_EQ(res.rows, 64 * 3 + 5);
    EXPECT_EQ(res.households, 99);
    double sum = 0;
    db_->read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM risk_indicators", soci::into(n);
        s << "SELECT COUNT(*) FROM risk_households", soci::into(h);
        s << "SELECT SUM(value) FROM risk_indicators", soci::into(sum);
    });
    EXPECT_EQ(n, 64 * 3 + 5);
    EXPECT_EQ(h, 99);
    EXPECT_EQ(sum, (64 * 3 + 4) * (64 * 3 + 5) / 2.0);
    EXPECT_EQ(st_->household_key(district_, st_->signals(district_, "2026-09", "2026-09", cat)[0].hash).substr(0, 2), "M-");
}

INSTANTIATE_TEST_SUITE_P(Backends, ScreeningStorage, ::testing::ValuesIn(testing::storage_backends()));

TEST(ScreeningCsv, ReportsEveryBadRowAndStopsAtAnUnreadableHeader) {
    const auto& cat = IndicatorCatalog::embedded();
    auto known = [](const std::string& c) { return c == "a"; };
    std::istringstream ok("\xEF\xBB\xBFhousehold_key,dong,indicator,value,period\r\n\"K,1\",a,gas_cutoff,3,2026-01\r\n");
    auto r = parse_indicator_csv(ok, cat, known);
    EXPECT_EQ(r.error_count, 0);
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].household_key, "K,1");
    std::istringstream bad("household_key,dong,indicator,value,period\nK,a,gas_cutoff,x,2026-01\nK,a,gas_cutoff\n,a,gas_cutoff,1,2026-01\n");
    auto b = parse_indicator_csv(bad, cat, known);
    EXPECT_EQ(b.error_count, 3);
    EXPECT_EQ(b.errors[0].field, "value");
    std::istringstream cp("\xB0\xA1\xB3\xAA,dong\n");
    auto c = parse_indicator_csv(cp, cat, known);
    ASSERT_EQ(c.error_count, 1);
    EXPECT_NE(c.errors[0].message.find("CP949"), std::string::npos);
    std::istringstream empty("");
    EXPECT_EQ(parse_indicator_csv(empty, cat, known).error_count, 1);
}

TEST(ScreeningCsv, DuplicatesAreFoundAmongManyRowsAndNameTheFirstLine) {
    // Many rows, so the duplicate found by sorting sits among 100,000 others.
    const auto& cat = IndicatorCatalog::embedded();
    auto known = [](const std::string& c) { return c == "a"; };
    std::string text = "household_key,dong,indicator,value,period\n";
    const int n = 100000;
    for (int i = 0; i < n; ++i)
        text += "H" + std::to_string(i / 2) + ",a," + (i % 2 ? "gas_cutoff" : "job_loss") + ",1,2026-0" +
                std::to_string(1 + i % 9) + "\n";
    // Same household, indicator and period as row i = 1235 (file line 1237); then a near miss.
    text += "H617,a,gas_cutoff,5,2026-0" + std::to_string(1 + 1235 % 9) + "\n";
    text += "H617,a,gas_cutoff,5,2025-12\n";
    std::istringstream in(text);
    auto r = parse_indicator_csv(in, cat, known);
    ASSERT_EQ(r.error_count, 1);
    EXPECT_EQ(r.errors[0].line, n + 2);
    EXPECT_NE(r.errors[0].message.find("as line 1237"), std::string::npos) << r.errors[0].message;
    EXPECT_EQ(r.rows.size(), static_cast<std::size_t>(n + 1));
}

TEST(ScreeningCsv, DuplicateAndOtherErrorsAreListedInLineOrderUpToTheCap) {
    const auto& cat = IndicatorCatalog::embedded();
    auto known = [](const std::string& c) { return c == "a"; };
    std::string text = "household_key,dong,indicator,value,period\n";
    text += "K1,a,gas_cutoff,1,2026-01\n";  // line 2
    text += "K1,a,gas_cutoff,2,2026-01\n";  // 3: duplicate of 2
    text += "K2,zz,gas_cutoff,1,2026-01\n";  // 4: unknown dong
    text += "K1,a,gas_cutoff,3,2026-01\n";  // 5: duplicate of 2 (not of 3)
    text += "K3,a,no_such,1,2026-01";         // 6: unknown indicator, no final newline
    std::istringstream in(text);
    auto r = parse_indicator_csv(in, cat, known);
    ASSERT_EQ(r.error_count, 4);
    std::vector<long long> lines;
    for (const auto& e : r.errors) lines.push_back(e.line);
    EXPECT_EQ(lines, (std::vector<long long>{3, 4, 5, 6}));
    EXPECT_NE(r.errors[2].message.find("as line 2"), std::string::npos) << r.errors[2].message;
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].value, 1);
    // 300 duplicates after 300 bad values: 600 errors counted, the first 200 by line listed.
    std::string many = "household_key,dong,indicator,value,period\nD,a,job_loss,1,2026-02\n";
    for (int i = 0; i < 300; ++i) many += "D,a,job_loss,1,2026-02\nE,a,job_loss,-1,2026-02\n";
    std::istringstream in2(many);
    auto m = parse_indicator_csv(in2, cat, known);
    EXPECT_EQ(m.error_count, 600);
    ASSERT_EQ(m.errors.size(), kMaxErrors);
    for (std::size_t i = 0; i < m.errors.size(); ++i) EXPECT_EQ(m.errors[i].line, static_cast<long long>(i) + 3);
    EXPECT_EQ(m.errors[0].field, "");
    EXPECT_EQ(m.errors[1].field, "value");
}

TEST(ScreeningCsv, LinesAreReadAcrossTheBufferAndOverlongLinesAreDropped) {
    // Lines that straddle the 1 MB read buffer, a 4,096-byte line ending in CRLF (accepted), a
    // longer one in the middle (reported, then reading goes on) and one at the very end.
    const auto& cat = IndicatorCatalog::embedded();
    auto known = [](const std::string& c) { return c == "a"; };
    std::string text = "household_key,dong,indicator,value,period\n";
    int n = 0;
    while (text.size() < (1u << 20) + 4096) text += "B" + std::to_string(n++) + ",a,job_loss,1,2026-03\n";
    std::string fill = ",a,job_loss,1,2026-03";
    text += "W" + std::string(4096 - 1 - fill.size(), 'w').substr(0, 63) + fill + "\r\n";
    std::string exact = "X" + std::string(4096 - 1 - fill.size(), ' ') + fill;  // trimmed key: "X"
    ASSERT_EQ(exact.size(), 4096u);
    text += exact + "\r\n";
    text += "L" + std::string(3 << 20, 'l') + "\n";  // 3 MB: longer than the buffer itself
    text += "Z,a,job_loss,1,2026-03\n";
    text += "T" + std::string(5000, 't');
    std::istringstream in(text);
    auto r = parse_indicator_csv(in, cat, known);
    ASSERT_EQ(r.error_count, 2);
    EXPECT_EQ(r.errors[0].line, n + 4);
    EXPECT_NE(r.errors[0].message.find("longer than 4,096"), std::string::npos);
    EXPECT_EQ(r.errors[1].line, n + 6);
    ASSERT_EQ(r.rows.size(), static_cast<std::size_t>(n + 3));
    EXPECT_EQ(r.rows[n - 1].household_key, "B" + std::to_string(n - 1));
    EXPECT_EQ(r.rows[n + 1].household_key, "X");
    EXPECT_EQ(r.rows[n + 2].household_key, "Z");
}

TEST(ScreeningModel, ScoresExplainAndRecalibrationFollowsOutcomes) {
    const auto& cat = IndicatorCatalog::embedded();
    auto m = Model::defaults(cat);
    int cut = cat.index("electricity_cutoff"), tel = cat.index("telecom_arrears");
    std::uint64_t both = (1ull << cut) | (1ull << tel);
    EXPECT_GT(score(m, both), score(m, 1ull << tel));
    auto c = contributions(m, both);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].first, cut);  // the largest contribution first
    std::vector<std::pair<std::uint64_t, int>> data;
    for (int i = 0; i < 50; ++i) data.push_back({1ull << tel, 1});
    auto fitted = recalibrate(m, data);
    EXPECT_GT(fitted.weights[tel], m.weights[tel]);
    EXPECT_EQ(fitted.weights[cut], m.weights[cut]);  // no data about it: unchanged
    EXPECT_EQ(fitted.trained_on, 50);
}

}  // namespace
}  // namespace dure::screening
