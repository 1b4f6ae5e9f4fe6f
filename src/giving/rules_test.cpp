// Pure rules of the giving module: amounts, thermometer, count bands, ledger chain, FIFO trace;
// a property test over random histories: the sealed ledger's balance equals gifts − reversals −
// distributions exactly, and every won of every distribution is traced to exactly one gift.
#include "giving/rules.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace dure::giving {
namespace {

TEST(GivingRules, Amounts) {
    EXPECT_FALSE(valid_amount(0));
    EXPECT_FALSE(valid_amount(-1));
    EXPECT_TRUE(valid_amount(1));
    EXPECT_TRUE(valid_amount(10'000'000'000'000LL));
    EXPECT_FALSE(valid_amount(10'000'000'000'001LL));
}

TEST(GivingRules, ThermometerIsOnePercentPerDegree) {
    EXPECT_EQ(degrees_tenths(13'600'000, 1'360'000'000), 10);         // 1 % → 1.0 °
    EXPECT_EQ(degrees_tenths(1'603'000'000, 1'360'000'000), 1178);    // 117.8 ° (the 2023 result)
    EXPECT_EQ(degrees_tenths(0, 1'360'000'000), 0);
    EXPECT_EQ(degrees_tenths(10'000'000'000'000LL, 1), 10'000'000'000'000'000LL);  // no overflow
}

TEST(GivingRules, CountBands) {
    EXPECT_EQ(count_band(0), "0");
    for (int n = 1; n <= 4; ++n) EXPECT_EQ(count_band(n), "1-4");
    EXPECT_EQ(count_band(5), "5");
}

TEST(GivingRules, Days) {
    EXPECT_EQ(next_day("2023-12-31"), "2024-01-01");
    EXPECT_EQ(next_day("2024-02-28"), "2024-02-29");
    EXPECT_EQ(ledger_day("2023-11-20", ""), "2023-11-20");
    EXPECT_EQ(ledger_day("2023-11-20", "2023-11-21"), "2023-11-22");
    EXPECT_TRUE(valid_period("2023-11-15", "2024-02-14"));
    EXPECT_FALSE(valid_period("2024-02-14", "2023-11-15"));
    EXPECT_FALSE(valid_period("2023-01-01", "2024-01-02"));
}

TEST(GivingRules, Codes) {
    EXPECT_TRUE(valid_campaign_code("2024-hope-ondol"));
    EXPECT_TRUE(valid_campaign_code("abc"));
    EXPECT_FALSE(valid_campaign_code("ab"));
    EXPECT_FALSE(valid_campaign_code("-abc"));
    EXPECT_FALSE(valid_campaign_code("Hope"));
    EXPECT_FALSE(valid_campaign_code("a b c"));
    EXPECT_FALSE(valid_campaign_code("희망온돌"));
    EXPECT_FALSE(valid_campaign_code(std::string(41, 'a')));
    EXPECT_TRUE(valid_designation_code("scholarship"));
    EXPECT_FALSE(valid_designation_code("general"));
    EXPECT_FALSE(valid_designation_code("dong-11"));
    EXPECT_FALSE(valid_designation_code("a|b"));
}

TEST(GivingRules, ReceiptNumbers) {
    EXPECT_EQ(receipt_number(2023, 42), "2023-000042");
    EXPECT_EQ(receipt_number(2024, 1234567), "2024-1234567");
}

TEST(GivingRules, WeeklyTotals) {
    std::vector<GiftFact> g{{"2023-11-15", "counter", "cash", 100},  {"2023-11-21", "qr", "cash", 50},
                            {"2023-11-22", "counter", "in_kind", 30}, {"2023-12-06", "counter", "cash", 7},
                            {"2023-11-01", "transfer", "cash", 1}};
    auto w = weekly_totals(g, "2023-11-15");
    ASSERT_EQ(w.size(), 4u);
    EXPECT_EQ(w[0].from, "2023-11-15");
    EXPECT_EQ(w[0].to, "2023-11-21");
    EXPECT_EQ(w[0].gifts, 3);  // an early gift counts in week 1
    EXPECT_EQ(w[0].amount, 151);
    EXPECT_EQ(w[1].in_kind, 30);
    EXPECT_EQ(w[2].gifts, 0);
    EXPECT_EQ(w[3].amount, 7);
    long long sum = 0;
    for (const auto& x : w) sum += x.amount;
    EXPECT_EQ(sum, 188);
    EXPECT_TRUE(weekly_totals({}, "2023-11-15").empty());
}

TEST(GivingRules, MaskName) {
    EXPECT_EQ(mask_name("홍길동"), "홍○○");
    EXPECT_EQ(mask_name("Kim"), "K○○");
}

TEST(GivingRules, FifoTrace) {
    std::vector<Slice> gifts{{1, 100}, {2, 50}, {3, 70}};
    std::vector<Slice> uses{{10, 120}, {11, 60}};
    auto t1 = trace_fifo(gifts, uses, 1);
    ASSERT_EQ(t1.used.size(), 1u);
    EXPECT_EQ(t1.used[0].distribution_id, 10);
    EXPECT_EQ(t1.used[0].amount, 100);
    auto t2 = trace_fifo(gifts, uses, 2);
    ASSERT_EQ(t2.used.size(), 2u);
    EXPECT_EQ(t2.used[0].amount, 20);
    EXPECT_EQ(t2.used[1].amount, 30);
    EXPECT_EQ(t2.unused, 0);
    auto t3 = trace_fifo(gifts, uses, 3);
    EXPECT_EQ(t3.used[0].amount, 30);
    EXPECT_EQ(t3.unused, 40);
    EXPECT_TRUE(trace_fifo(gifts, uses, 99).used.empty());
}

TEST(GivingRules, ChainDetectsRewrite) {
    std::vector<LedgerEntry> e{{0, "2023-11-15", "gift", "counter", "", "general", "cash", 3, 30000},
                               {0, "2023-11-15", "distribution", "200가구 보듬기", "living", "general", "cash", 1, 10000}};
    auto head = seal(e, 0, "");
    EXPECT_EQ(head, e.back().hash);
    EXPECT_TRUE(verify_chain(e));
    auto bad = e;
    bad[0].amount = 30001;
    long long at = 0;
    EXPECT_FALSE(verify_chain(bad, &at));
    EXPECT_EQ(at, 1);
    EXPECT_EQ(ledger_line(e[1]).substr(ledger_line(e[1]).size() - 10), "|1-4|10000");
}

// Random histories: gifts, reversals of earlier gifts, distributions that never overdraw their
// fund; aggregated per day as the store does and sealed in random batches of days.
TEST(GivingRules, BalanceEqualsGiftsMinusDistributionsOverRandomHistories) {
    std::mt19937_64 rng(14);
    for (int round = 0; round < 200; ++round) {
        std::map<std::string, long long> fund;  // designation → balance
        std::vector<std::string> designations{"general", "dong-1", "program-200"};
        struct Ev {
            int day;
            std::string kind, designation;
            long long amount;
        };
        std::vector<Ev> events;
        std::vector<std::pair<std::string, long long>> reversible;  // (designation, amount)
        long long gifts = 0, reversals = 0, distributions = 0;
        std::map<std::string, std::vector<Slice>> g_slices, u_slices;
        long long next_id = 1;
        int n = 1 + static_cast<int>(rng() % 60);
        for (int i = 0; i < n; ++i) {
            int day = static_cast<int>(i * 30 / n);
            auto d = designations[rng() % designations.size()];
            long long a = 1 + static_cast<long long>(rng() % 5'000'000);
            if (rng() % 100 == 0) a = kMaxAmount;
            switch (rng() % 3) {
                case 0:
                    fund[d] += a;
                    gifts += a;
                    events.push_back({day, "gift", d, a});
                    reversible.push_back({d, a});
                    g_slices[d].push_back({next_id++, a});
                    break;
                case 1:
                    if (!reversible.empty()) {
                        auto [rd, ra] = reversible.back();
                        if (fund[rd] >= ra) {
                            reversible.pop_back();
                            fund[rd] -= ra;
                            reversals += ra;
                            events.push_back({day, "reversal", rd, -ra});
                            g_slices[rd].pop_back();  // the most recent gift is the one reversed
                        }
                    }
                    break;
                default:
                    if (fund[d] >= a) {
                        fund[d] -= a;
                        distributions += a;
                        events.push_back({day, "distribution", d, a});
                        u_slices[d].push_back({next_id++, a});
                    }
            }
        }
        // Aggregate per day × kind × designation, seal day by day in random batches.
        std::vector<LedgerEntry> chain;
        std::string head;
        int sealed = -1;
        while (sealed < 30) {
            int through = sealed + 1 + static_cast<int>(rng() % 5);
            std::map<std::tuple<int, std::string, std::string>, LedgerEntry> agg;
            for (const auto& ev : events) {
                if (ev.day <= sealed || ev.day > through) continue;
                auto& e = agg[{ev.day, ev.kind, ev.designation}];
                char day[16];
                std::snprintf(day, sizeof day, "2023-12-%02d", ev.day + 1);
                e.day = day;
                e.kind = ev.kind;
                e.source = ev.kind == "distribution" ? "program" : "counter";
                e.designation = ev.designation;
                e.form = "cash";
                e.count += 1;
                e.amount += ev.amount;
            }
            std::vector<LedgerEntry> batch;
            for (auto& [k, e] : agg) batch.push_back(e);
            head = seal(batch, static_cast<long long>(chain.size()), head);
            chain.insert(chain.end(), batch.begin(), batch.end());
            sealed = through;
        }
        ASSERT_TRUE(verify_chain(chain));
        long long model = 0;
        for (auto& [d, b] : fund) {
            ASSERT_GE(b, 0);
            model += b;
        }
        ASSERT_EQ(ledger_balance(chain), gifts - reversals - distributions);
        ASSERT_EQ(ledger_balance(chain), model);
        // FIFO: every distributed won is traced to exactly one gift of its fund.
        for (const auto& d : designations) {
            long long traced = 0, unused = 0, given = 0, used = 0;
            for (const auto& g : g_slices[d]) {
                auto t = trace_fifo(g_slices[d], u_slices[d], g.id);
                for (const auto& p : t.used) traced += p.amount;
                unused += t.unused;
                given += g.amount;
            }
            for (const auto& u : u_slices[d]) used += u.amount;
            ASSERT_EQ(traced, used);
            ASSERT_EQ(traced + unused, given);
        }
    }
}

}  // namespace
}  // namespace dure::giving

namespace dure::giving {
namespace {

TEST(GivingRules, StatementParsing) {
    std::vector<RowError> e;
    auto rows = parse_statement("\xEF\xBB\xBF" "date,reference,channel,amount_krw\r\n2023-12-01,G12,counter,50000\r\n"
                                "2023-12-02,QR-d1,qr,30000\n\n2023-12-03,QR,qr,1000\n", e);
    ASSERT_TRUE(e.empty());
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].gift_id, 12);
    EXPECT_EQ(rows[0].line, 2);
    EXPECT_EQ(rows[1].dong_code, "d1");
    EXPECT_EQ(rows[2].line, 5);
    e.clear();
    parse_statement("date,reference,channel,amount_krw\n2023-13-01,X9,counter,0\n2023-12-01,G1,cash,-5\n2023-12-01,G1\n", e);
    ASSERT_EQ(e.size(), 6u);
    EXPECT_EQ(e[0].field, "date");
    EXPECT_EQ(e[1].field, "amount_krw");
    EXPECT_EQ(e[2].field, "reference");
    EXPECT_EQ(e[3].field, "amount_krw");
    EXPECT_EQ(e[4].field, "channel");
    EXPECT_EQ(e[5].code, "column_count");
    e.clear();
    parse_statement("date,reference,channel,amount_krw\n2023-12-01,G1,counter,\xff\xfe\n", e);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].code, "not_utf8");
    e.clear();
    parse_statement("a,b\n", e);
    EXPECT_EQ(e[0].code, "bad_header");
}

}  // namespace
}  // namespace dure::giving
