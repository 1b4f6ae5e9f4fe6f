// Giving storage on SQLite and (with DURE_TEST_PG) PostgreSQL: a fund never goes below zero under
// many concurrent distribution requests (the sum stays exact); random histories sealed into the
// ledger keep balance = gifts − reversals − distributions; gifts and the ledger are append-only.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "common/error.hpp"
#include "giving/store.hpp"
#include "identity/crypto.hpp"
#include "scratch_database.hpp"
#include "store/idempotency.hpp"

namespace dure::giving {
namespace {

class GivingStorage : public ::testing::TestWithParam<std::string> {};

struct Fixture {
    explicit Fixture(const std::string& backend, const char* prefix, int pool = 8)
        : scratch(backend, prefix), db(store::Database::open(scratch.url, pool)),
          keys(identity::Keyring::from_master(std::string(32, 'g'))), gs(*db, keys) {
        store::migrate(*db);
        db->write([&](soci::session& s) {
            s << "INSERT INTO districts (code, name_ko, name_en, created_at) VALUES ('t', '테스트구', 'Test', 0) "
                 "RETURNING id",
                soci::into(district);
            s << "INSERT INTO dongs (district_id, code, name_ko, name_en) VALUES (:d, 'd1', '일동', 'Il-dong') "
                 "RETURNING id",
                soci::use(district), soci::into(dong);
        });
        NewCampaign c;
        c.campaign = {0, district, "test-" + scratch.name, "테스트 캠페인", "Test campaign", 1'000'000, "2023-11-15",
                      "2024-02-14", "사회복지공동모금회 서울지회", "000-00-00000", "사회복지공동모금회법",
                      "사회복지공동모금회", "", "", 0, ""};
        c.dong_targets = {{dong, 500'000}};
        c.designations = {{0, 0, "general", "general", "일반", "General", 0},
                          {0, 0, "dong-1", "dong", "일동", "Il-dong", dong},
                          {0, 0, "program-200", "program", "200가구 보듬기", "200 households", 0}};
        campaign = gs.create_campaign(c, 0);
        for (const auto& d : gs.designations(campaign)) designation.push_back(d.id);
    }
    long long add_gift(long long designation_id, long long amount, long long now) {
        NewGift g;
        g.campaign_id = campaign;
        g.designation_id = designation_id;
        g.dong_id = dong;
        g.amount_krw = amount;
        g.given_on = "2023-12-01";
        g.entered_by = 1;
        long long id = 0;
        db->write([&](soci::session& s) { id = gs.add_gift(s, g, now); });
        return id;
    }
    NewDistribution dist(long long designation_id, long long amount) {
        NewDistribution d;
        d.campaign_id = campaign;
        d.designation_id = designation_id;
        d.amount_krw = amount;
        d.purpose = "living";
        d.program = "200가구 보듬기";
        d.recipient_kind = "household";
        d.household_ref = "case:1";
        d.households = 1;
        d.approval_ref = "2023-12 협의체 제3차";
        d.given_on = "2023-12-20";
        d.approved_by = 2;
        return d;
    }
    testing::ScratchDatabase scratch;
    std::unique_ptr<store::Database> db;
    identity::Keyring keys;
    GivingStore gs;
    long long district = 0, dong = 0, campaign = 0;
    std::vector<long long> designation;
};

// 2023-12-01 12:00 KST plus `day` days.
long long at_day(int day) { return 1701399600LL + day * 86400LL; }

TEST_P(GivingStorage, ConcurrentDistributionsNeverOverdrawTheFund) {
    Fixture f(GetParam(), "givc", 16);
    // 250 gifts of 1,000 KRW; 500 concurrent requests for 1,000 KRW each, each with its own key.
    for (int i = 0; i < 250; ++i) f.add_gift(f.designation[2], 1000, at_day(0));
    const int kRequests = 500, kThreads = 16;
    std::atomic<int> next{0}, ok{0}, refused{0}, other{0};
    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t)
        ts.emplace_back([&] {
            for (int i = next++; i < kRequests; i = next++) {
                try {
                    store::run_idempotent(*f.db, "key-" + std::to_string(i), "body", [&](soci::session& s) {
                        f.gs.add_distribution(s, f.dist(f.designation[2], 1000), at_day(1));
                        return std::pair<int, std::string>{201, "{}"};
                    });
                    ok++;
                } catch (const Error& e) {
                    bool named = !e.fields().empty() && e.fields()[0].field == "amount_krw";
                    (e.kind() == ErrorKind::validation && named ? refused : other)++;
                } catch (const std::exception& e) {
                    other++;
                    ADD_FAILURE() << e.what();
                }
            }
        });
    for (auto& t : ts) t.join();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
    EXPECT_EQ(ok.load(), 250);
    EXPECT_EQ(refused.load(), 250);
    EXPECT_EQ(other.load(), 0);
    auto t = f.gs.totals(f.campaign);
    EXPECT_EQ(t.distributed_krw, 250'000);
    EXPECT_EQ(t.balance_krw, 0);
    EXPECT_EQ(f.gs.distributions(f.campaign, false).size(), 250u);
    // The database itself refuses a balance below zero, whatever the code does.
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) {
        s << "UPDATE giving_funds SET balance_krw = balance_krw - 1 WHERE designation_id = :d AND form = 'cash'",
            soci::use(f.designation[2]);
    }));
}

TEST_P(GivingStorage, GiftsAndLedgerAreAppendOnly) {
    Fixture f(GetParam(), "giva");
    long long g = f.add_gift(f.designation[0], 5000, at_day(0));
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) {
        s << "UPDATE giving_gifts SET amount_krw = 1 WHERE id = :g", soci::use(g);
    }));
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) { s << "DELETE FROM giving_gifts WHERE id = :g", soci::use(g); }));
    EXPECT_EQ(f.gs.seal(f.campaign, "2023-12-01"), 1);
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) { s << "UPDATE giving_ledger SET amount_krw = 1"; }));
    // A reversal is a new entry, once; the gift stays.
    f.db->write([&](soci::session& s) { f.gs.reverse_gift(s, g, "wrong amount", 1, at_day(1)); });
    EXPECT_THROW(f.db->write([&](soci::session& s) { f.gs.reverse_gift(s, g, "again", 1, at_day(1)); }), Error);
    EXPECT_TRUE(f.gs.gift(g)->reversed);
    // An event recorded on a day already sealed lands on the first open day.
    f.add_gift(f.designation[0], 7000, at_day(0));
    EXPECT_EQ(f.gs.seal(f.campaign, "2023-12-02"), 2);
    auto l = f.gs.ledger(f.campaign);
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[1].day, "2023-12-02");
    EXPECT_TRUE(verify_chain(l));
    EXPECT_EQ(ledger_balance(l), 7000);
    EXPECT_EQ(f.gs.seal(f.campaign, "2023-12-02"), 0);  // sealing again adds nothing
}

TEST_P(GivingStorage, RandomHistoriesBalanceExactly) {
    Fixture f(GetParam(), "givr");
    std::mt19937_64 rng(1414);
    std::vector<long long> live;
    long long refused = 0;
    std::string sealed;
    for (int day = 0; day < 20; ++day) {
        for (int i = 0; i < 12; ++i) {
            long long d = f.designation[rng() % 3];
            long long amount = 1 + static_cast<long long>(rng() % 300'000);
            switch (rng() % 4) {
                case 0:
                case 1: live.push_back(f.add_gift(d, amount, at_day(day))); break;
                case 2:
                    if (!live.empty()) {
                        long long g = live[rng() % live.size()];
                        try {
                            f.db->write([&](soci::session& s) { f.gs.reverse_gift(s, g, "correction", 1, at_day(day)); });
                        } catch (const Error&) {
                            refused++;  // already reversed, or its money already distributed
                        }
                    }
                    break;
                default:
                    try {
                        f.db->write([&](soci::session& s) { f.gs.add_distribution(s, f.dist(d, amount), at_day(day)); });
                    } catch (const Error&) {
                        refused++;
                    }
            }
        }
        if (rng() % 3 == 0) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "2023-12-%02d", day + 1);
            f.gs.seal(f.campaign, buf);
        }
    }
    f.gs.seal(f.campaign, "2023-12-31");
    auto t = f.gs.totals(f.campaign);
    auto l = f.gs.ledger(f.campaign);
    EXPECT_TRUE(verify_chain(l));
    EXPECT_EQ(t.balance_krw, t.gifts_krw - t.reversed_krw - t.distributed_krw);
    EXPECT_EQ(ledger_balance(l), t.balance_krw);
    EXPECT_TRUE(f.gs.pending(f.campaign).empty());
    long long funds = 0;
    for (const auto& x : f.gs.funds(f.campaign)) {
        EXPECT_GE(x.balance_krw, 0);
        funds += x.balance_krw;
    }
    EXPECT_EQ(funds, t.balance_krw);
    EXPECT_GT(refused, 0);  // the history did try to overdraw
}

INSTANTIATE_TEST_SUITE_P(Backends, GivingStorage, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::giving
