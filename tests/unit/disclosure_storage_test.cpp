// Storage of disclosures, news and jobs on SQLite and (when DURE_TEST_PG is set) PostgreSQL:
// drafts and the review workflow with versions, retries that change nothing, corrections that
// keep the approved version public, news pages, and job imports that replace a source's rows
// and hide expired openings.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <filesystem>

#include "disclosures/disclosure_store.hpp"
#include "job_listings/jobs_store.hpp"
#include "news/news_store.hpp"
#include "catalog/store.hpp"
#include "common/error.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"
#include "scratch_database.hpp"

namespace dure::catalog {
namespace {

namespace fs = std::filesystem;

class DisclosureStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "d");
        auto name = scratch_->name;
        dir_ = scratch_->dir;
        url_ = scratch_->url;
        db_ = store::Database::open(url_, 4);
        store::migrate(*db_);
        long long now = 1;
        std::string code = "demo" + name;
        db_->write([&](soci::session& s) {
            s << "INSERT INTO districts (code, name_ko, name_en, created_at) VALUES (:c, '구', 'gu', :t) "
                 "RETURNING id",
                soci::use(code), soci::use(now), soci::into(district_);
        });
        CatalogStore cat(*db_);
        Facility f;
        f.district_id = district_;
        f.name = "한빛노인종합복지관";
        f.type = "노인복지관";
        facility_ = cat.upsert_facility(f);
    }
    void TearDown() override {
        db_.reset();
        scratch_.reset();
    }
    static DisclosureContent settlement(long long staff = 600'000'000) {
        return {2025,
                "settlement",
                {{"revenue", "보조금", "구비", 700'000'000},
                 {"revenue", "후원금", "", 30'000'000},
                 {"expenditure", "인건비", "급여", staff}},
                {{"anonymous", "cash", 30'000'000, "명절 위문품", 25'000'000}}};
    }

    std::unique_ptr<testing::ScratchDatabase> scratch_;
    fs::path dir_;
    std::string url_, facility_;
    std::unique_ptr<store::Database> db_;
    long long district_ = 0;
};

TEST_P(DisclosureStorage, DisclosuresGoThroughReviewKeepingEveryVersion) {
    DisclosureStore st(*db_);
    auto d = st.save_draft(district_, facility_, settlement(), "account:7");
    EXPECT_EQ(d.version, 1);
    EXPECT_EQ(d.status, "draft");
    // The same content again (a retried request) saves nothing new.
    EXPECT_EQ(st.save_draft(district_, facility_, settlement(), "account:7").version, 1);
    d = st.save_draft(district_, facility_, settlement(650'000'000), "account:7");
    EXPECT_EQ(d.version, 2);

    auto loaded = st.get(d.id);
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->content.lines.size(), 3u);
    EXPECT_EQ(loaded->content.lines[2].amount, 650'000'000);
    ASSERT_EQ(loaded->content.donations.size(), 1u);
    EXPECT_EQ(loaded->content.donations[0].used_amount, 25'000'000);
    EXPECT_FALSE(st.published(d.id)) << "nothing is public before approval";

    d = st.transition(d.id, "submit", "account:7");
    EXPECT_EQ(d.status, "submitted");
    EXPECT_EQ(st.transition(d.id, "submit", "account:7").version, d.version)
        << "a repeated submit changes nothing";
    EXPECT_THROW(st.save_draft(district_, facility_, settlement(), "account:7"), Error) << "under review";

    d = st.transition(d.id, "return", "account:1", "인건비 내역을 나눠 주세요");
    EXPECT_EQ(d.status, "returned");
    EXPECT_EQ(st.get(d.id)->return_reason, "인건비 내역을 나눠 주세요");
    d = st.save_draft(district_, facility_, settlement(), "account:7");
    EXPECT_EQ(d.status, "draft");
    d = st.transition(d.id, "submit", "account:7");
    d = st.transition(d.id, "approve", "account:1");
    EXPECT_EQ(d.status, "approved");
    EXPECT_EQ(d.published_version, d.version);
    EXPECT_THROW(st.transition(d.id, "return", "account:1", "x"), Error);

    // A correction is a new draft; the public still sees the approved version.
    long long approved = d.version;
    auto c = st.save_draft(district_, facility_, settlement(610'000'000), "account:7");
    EXPECT_EQ(c.status, "draft");
    auto pub = st.published(d.id);
    ASSERT_TRUE(pub);
    EXPECT_EQ(pub->version, approved);
    EXPECT_EQ(pub->status, "approved");
    EXPECT_EQ(pub->content.lines[2].amount, 600'000'000);

    auto h = st.history(d.id);
    ASSERT_EQ(h.size(), static_cast<std::size_t>(c.version));
    EXPECT_EQ(h.front().note, "created");
    EXPECT_EQ(h.back().note, "correction started");
    EXPECT_EQ(st.for_facility(facility_).size(), 1u);
}

TEST_P(DisclosureStorage, BudgetAndSettlementOfAYearAreSeparateDisclosures) {
    DisclosureStore st(*db_);
    DisclosureContent b{
        2025, "budget", {{"revenue", "보조금", "", 10}, {"expenditure", "사업비", "", 10}}, {}};
    auto x = st.save_draft(district_, facility_, b, "account:7");
    auto y = st.save_draft(district_, facility_, settlement(), "account:7");
    b.fiscal_year = 2026;
    auto z = st.save_draft(district_, facility_, b, "account:7");
    EXPECT_NE(x.id, y.id);
    EXPECT_NE(x.id, z.id);
    auto all = st.for_facility(facility_);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].content.fiscal_year, 2026);
    EXPECT_EQ(all[1].content.kind, "budget");
}

TEST_P(DisclosureStorage, NewsPagesHideScheduledItemsFromThePublic) {
    NewsStore st(*db_);
    for (int i = 0; i < 5; ++i) {
        NewsItem n;
        n.district_id = district_;
        n.title = "소식 " + std::to_string(i);
        n.body = "본문";
        n.published_at = 1000 + i;
        n.created_by = "account:1";
        st.create(n);
    }
    auto page = st.list(district_, 1003, 0, 2);
    EXPECT_EQ(page.total, 4);
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.items[0].title, "소식 3");
    EXPECT_EQ(st.list(district_, 0, 0, 10).total, 5);
    auto n = *st.get(page.items[0].id);
    n.title = "고친 소식";
    EXPECT_TRUE(st.update(n));
    EXPECT_EQ(st.get(n.id)->title, "고친 소식");
    EXPECT_TRUE(st.remove(n.id));
    EXPECT_FALSE(st.remove(n.id));
    EXPECT_FALSE(st.get(n.id));
}

TEST_P(DisclosureStorage, JobsImportReplacesASourceAndHidesExpiredOnes) {
    JobStore st(*db_);
    auto job = [&](const char* ext, const char* title, const char* source, const char* until) {
        Job j;
        j.id = std::string(source) + ":" + ext;
        j.district_id = district_;
        j.external_id = ext;
        j.title = title;
        j.employer = "한빛구 시니어클럽";
        j.place = "은행동";
        j.source = source;
        j.valid_until = until;
        return j;
    };
    st.replace(district_,
               {job("1", "공원 환경 지킴이", "A", "2026-12-31"), job("2", "급식 도우미", "A", "2026-01-31"),
                job("3", "Barista 카페", "B", "2026-12-31")});
    EXPECT_EQ(st.list(district_, "", "2026-06-01", 0, 10).total, 2) << "expired hidden";
    EXPECT_EQ(st.list(district_, "", "2026-01-31", 0, 10).total, 3) << "open through its last day";
    EXPECT_EQ(st.list(district_, "지킴이", "2026-06-01", 0, 10).total, 1);
    EXPECT_EQ(st.list(district_, "barista", "2026-06-01", 0, 10).total, 1) << "ASCII case-insensitive";
    EXPECT_EQ(st.list(district_, "100%", "2026-06-01", 0, 10).total, 0) << "wildcards are literal";
    // A new file from source A replaces A's rows and leaves B's.
    st.replace(district_, {job("9", "안전지킴이", "A", "2026-12-31")});
    auto all = st.list(district_, "", "2026-06-01", 0, 10);
    ASSERT_EQ(all.total, 2);
    EXPECT_EQ(st.list(district_, "공원", "2026-06-01", 0, 10).total, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DisclosureStorage, ::testing::ValuesIn(testing::storage_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dure::catalog
