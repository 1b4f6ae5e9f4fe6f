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

// 5,000 concurrent requests on PostgreSQL (issue 14; 1,000 on SQLite, whose writers queue on one
// lock and would take half a minute): gifts credit a fund while distributions debit it, each with
// its own Idempotency-Key and one distribution in five retried under an earlier one's key; at the
// end the fund equals gifts − distributions exactly, never went below zero, and every retried key
// wrote once. Then as many concurrent requests for goods from a stock of half as many: exactly
// half succeed.
TEST_P(GivingStorage, FiveThousandConcurrentGiftAndDistributionRequests) {
    Fixture f(GetParam(), "giv5", 16);
    const long long fund = f.designation[2];
    f.add_gift(fund, 200'000, at_day(0));
    const int kRequests = GetParam() == "sqlite" ? 1000 : 5000, kThreads = 16;
    std::atomic<int> next{0}, gifts_ok{0}, dists_ok{0}, refused{0}, replayed{0}, other{0};
    auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t)
        ts.emplace_back([&] {
            for (int i = next++; i < kRequests; i = next++) {
                bool gift = i % 2 == 0;
                // Every tenth request repeats the key of the one before it (a retried tap).
                std::string key = "k5-" + std::to_string(i % 10 == 9 ? i - 2 : i);
                try {
                    auto a = store::run_idempotent(*f.db, key, gift ? "gift" : "dist", [&](soci::session& s) {
                        if (gift) {
                            NewGift g;
                            g.campaign_id = f.campaign;
                            g.designation_id = fund;
                            g.dong_id = f.dong;
                            g.amount_krw = 1000;
                            g.given_on = "2023-12-02";
                            g.entered_by = 1;
                            f.gs.add_gift(s, g, at_day(1));
                        } else {
                            f.gs.add_distribution(s, f.dist(fund, 1500), at_day(1));
                        }
                        return std::pair<int, std::string>{201, "{}"};
                    });
                    if (a.replayed) replayed++;
                    else (gift ? gifts_ok : dists_ok)++;
                } catch (const Error& e) {
                    bool named = !e.fields().empty() && e.fields()[0].field == "amount_krw";
                    if (!gift && e.kind() == ErrorKind::validation && named) refused++;
                    else if (e.kind() == ErrorKind::conflict) replayed++;  // the retry raced its original
                    else {
                        other++;
                        ADD_FAILURE() << e.what();
                    }
                } catch (const std::exception& e) {
                    other++;
                    ADD_FAILURE() << e.what();
                }
            }
        });
    for (auto& t : ts) t.join();
    auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, std::chrono::seconds(120));  // ~4 s on SQLite (1,000), ~20-60 s on PostgreSQL (5,000) on a loaded 2-core machine
    EXPECT_EQ(other.load(), 0);
    // Half are gifts (each its own key); of the distributions one in five repeats a key.
    EXPECT_EQ(gifts_ok.load(), kRequests / 2);
    EXPECT_EQ(dists_ok.load() + refused.load() + replayed.load(), kRequests / 2);
    EXPECT_LE(replayed.load(), kRequests / 10);  // fewer when an original was refused: a refusal stores no answer
    auto t = f.gs.totals(f.campaign);
    EXPECT_EQ(t.gifts_krw, 200'000 + 1000LL * gifts_ok.load());
    EXPECT_EQ(t.distributed_krw, 1500LL * dists_ok.load());
    EXPECT_EQ(t.balance_krw, t.gifts_krw - t.distributed_krw);
    EXPECT_GE(t.balance_krw, 0);
    long long in_db = 0;
    for (const auto& x : f.gs.funds(f.campaign))
        if (x.designation_id == fund && x.form == "cash") in_db = x.balance_krw;
    EXPECT_EQ(in_db, t.balance_krw);
    EXPECT_EQ(static_cast<long long>(f.gs.distributions(f.campaign, false).size()), dists_ok.load());

    // Goods: half as many in stock as there are concurrent requests for one each.
    f.db->write([&](soci::session& s) {
        f.gs.move_stock(s, StockMove{f.campaign, "쌀 10kg", "포", "in", kRequests / 2, 0, "", "", 0, f.dong, 1}, at_day(1));
    });
    std::atomic<int> next2{0}, out_ok{0}, out_refused{0};
    std::vector<std::thread> ts2;
    for (int t = 0; t < kThreads; ++t)
        ts2.emplace_back([&] {
            for (int i = next2++; i < kRequests; i = next2++) {
                try {
                    f.db->write([&](soci::session& s) {
                        f.gs.move_stock(s, StockMove{f.campaign, "쌀 10kg", "", "out", 1, 0, "협의체 제4차", "living", 1, 0, 2},
                                        at_day(2));
                    });
                    out_ok++;
                } catch (const Error& e) {
                    if (!e.fields().empty() && e.fields()[0].field == "quantity") out_refused++;
                    else ADD_FAILURE() << e.what();
                }
            }
        });
    for (auto& t : ts2) t.join();
    EXPECT_EQ(out_ok.load(), kRequests / 2);
    EXPECT_EQ(out_refused.load(), kRequests / 2);
    auto st = f.gs.stock(f.campaign);
    ASSERT_EQ(st.size(), 1u);
    EXPECT_EQ(st[0].quantity, 0);
    // The database itself refuses a quantity below zero, and moves are append-only.
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) { s << "UPDATE giving_stock SET quantity = quantity - 1"; }));
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) { s << "DELETE FROM giving_stock_moves"; }));
    std::printf("[ giving ] %s: %d concurrent gift/distribution requests in %.1f s (%d gifts, %d distributions, "
                "%d refused, %d replayed)\n",
                GetParam().c_str(), kRequests, std::chrono::duration<double>(took).count(), gifts_ok.load(), dists_ok.load(),
                refused.load(), replayed.load());
}

// Receipts: serials unique per year (the database refuses a duplicate), never edited; a void
// keeps the record and a reissue gets a new number; the year-end rows leave void receipts out.
TEST_P(GivingStorage, ReceiptSerialsVoidAndReissue) {
    Fixture f(GetParam(), "givt");
    auto gift = [&](const std::string& on) {
        NewGift g;
        g.campaign_id = f.campaign;
        g.designation_id = f.designation[0];
        g.dong_id = f.dong;
        g.amount_krw = 30000;
        g.donor_kind = "person";
        g.donor_name = "홍길동";
        g.receipt_wanted = true;
        g.receipt_id = "9001011234567";
        g.receipt_address = "서울 광진구";
        g.given_on = on;
        g.entered_by = 1;
        long long id = 0;
        f.db->write([&](soci::session& s) { id = f.gs.add_gift(s, g, at_day(0)); });
        return id;
    };
    long long a = gift("2023-12-01"), b = gift("2023-12-02"), c = gift("2024-01-05");
    f.add_gift(f.designation[0], 1000, at_day(0));  // no receipt wanted
    std::vector<ReceiptRecord> made;
    f.db->write([&](soci::session& s) { made = f.gs.issue_receipts(s, f.campaign, 9, at_day(40)); });
    ASSERT_EQ(made.size(), 3u);
    EXPECT_EQ(made[0].number, "2023-000001");
    EXPECT_EQ(made[1].number, "2023-000002");
    EXPECT_EQ(made[2].number, "2024-000001");
    EXPECT_EQ(made[0].gift_id, a);
    EXPECT_EQ(made[2].gift_id, c);
    // Issuing again makes nothing new.
    f.db->write([&](soci::session& s) { EXPECT_TRUE(f.gs.issue_receipts(s, f.campaign, 9, at_day(41)).empty()); });
    // The database refuses a duplicate serial in a year, a second first receipt, and any edit.
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) {
        s << "INSERT INTO giving_receipts (campaign_id, gift_id, year, serial, issued_by, issued_at) VALUES (:c, :g, 2023, 1, 1, 0)",
            soci::use(f.campaign), soci::use(c);
    }));
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) {
        s << "INSERT INTO giving_receipts (campaign_id, gift_id, year, serial, issued_by, issued_at) VALUES (:c, :g, 2023, 99, 1, 0)",
            soci::use(f.campaign), soci::use(a);
    }));
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) { s << "UPDATE giving_receipts SET serial = 7"; }));
    EXPECT_ANY_THROW(f.db->write([&](soci::session& s) { s << "DELETE FROM giving_receipts"; }));
    // Void with reissue: a new number, the old record kept with its reason.
    ReceiptRecord re;
    f.db->write([&](soci::session& s) { re = f.gs.void_receipt(s, made[1].id, "wrong address", true, 9, at_day(42)); });
    EXPECT_EQ(re.number, "2023-000003");
    EXPECT_EQ(re.replaces_id, made[1].id);
    EXPECT_EQ(re.gift_id, b);
    EXPECT_THROW(f.db->write([&](soci::session& s) { f.gs.void_receipt(s, made[1].id, "again", true, 9, at_day(42)); }), Error);
    // Void without reissue.
    f.db->write([&](soci::session& s) { f.gs.void_receipt(s, made[0].id, "gift returned", false, 9, at_day(42)); });
    auto recs = f.gs.receipt_records(f.campaign);
    ASSERT_EQ(recs.size(), 4u);
    EXPECT_TRUE(recs[0].voided);
    EXPECT_EQ(recs[0].void_reason, "gift returned");
    EXPECT_TRUE(recs[1].voided);
    EXPECT_FALSE(recs[2].voided);
    EXPECT_FALSE(recs[3].voided);
    auto y = f.gs.year_end(f.district, 2023);
    ASSERT_EQ(y.size(), 1u);
    EXPECT_EQ(y[0].receipt.number, "2023-000003");
    EXPECT_EQ(y[0].replaces_number, "2023-000002");
    EXPECT_EQ(y[0].gift.receipt_id, "9001011234567");
    EXPECT_EQ(y[0].gift.donor_name, "홍길동");
    EXPECT_EQ(f.gs.year_end(f.district, 2024).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, GivingStorage, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::giving
