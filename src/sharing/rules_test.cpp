#include "sharing/rules.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace dure::sharing;

namespace {
OfferView offer(long long id, long long dong, int load = 0, int level = 3) {
    OfferView o;
    o.id = id;
    o.dong_id = dong;
    o.subfields = {"R01", "T01"};
    o.mode = "in_person";
    o.when = {0x1f, 9, 18};  // weekdays 9-18
    o.languages = {"ko"};
    o.vetted_level = level;
    o.live_connections = load;
    o.helper_account = 100 + id;
    return o;
}
NeedView need(long long id, long long dong, long long created) {
    NeedView n;
    n.id = id;
    n.dong_id = dong;
    n.subfield = "R01";
    n.when = {0x01 | 0x04, 10, 12};  // Monday and Wednesday 10-12
    n.languages = {"ko"};
    n.created_at = created;
    n.recipient_account = 1;
    return n;
}
double points(const Suggestion& s, const std::string& code) {
    for (const auto& r : s.reasons)
        if (r.code == code) return r.points;
    return -999;
}
}  // namespace

TEST(SharingRules, OverlapCountsSharedDaysTimesSharedHours) {
    EXPECT_EQ(overlap_hours({0x1f, 9, 18}, {0x05, 10, 12}), 4);
    EXPECT_EQ(overlap_hours({0x1f, 9, 12}, {0x1f, 12, 15}), 0);
    EXPECT_EQ(overlap_hours({0x60, 9, 18}, {0x1f, 9, 18}), 0);
}

TEST(SharingRules, SuggestionsFilterAndRankWithAReasonEach) {
    auto n = need(1, 7, 0);
    std::vector<OfferView> offers{offer(1, 8), offer(2, 7), offer(3, 7, 2), offer(4, 7, 0, 1)};
    offers.push_back(offer(5, 7));
    offers.back().subfields = {"H01"};  // another sub-field
    offers.push_back(offer(6, 7));
    offers.back().helper_account = 1;  // the recipient themselves
    offers.push_back(offer(7, 7));
    offers.back().when = {0x60, 9, 18};  // weekends only
    auto s = suggest(n, 3, offers);
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s[0].offer_id, 2);  // same dong, no load
    EXPECT_EQ(s[1].offer_id, 3);  // same dong, but two under way
    EXPECT_EQ(s[2].offer_id, 1);  // another dong
    EXPECT_EQ(points(s[0], "distance"), 25);
    EXPECT_EQ(points(s[2], "distance"), 5);
    EXPECT_EQ(points(s[1], "load"), -16);
    EXPECT_EQ(points(s[0], "hours"), 20);
    for (const auto& x : s) EXPECT_FALSE(x.reasons.empty());
    // A lower level is enough for a sub-field that asks less; a limit trims the list.
    EXPECT_EQ(suggest(n, 1, offers, 2).size(), 2u);
    EXPECT_EQ(suggest(n, 1, offers).size(), 4u);
}

TEST(SharingRules, ExposureRuleServesTheLongestWaitingNeedFirst) {
    // Two needs, one popular helper (offer 2) at the top of both lists: the older need keeps
    // offer 2 first, the newer one is shown offer 1 first and offer 2 last, with the reason.
    std::vector<NeedView> needs{need(10, 7, 500), need(11, 7, 100)};
    std::vector<OfferView> offers{offer(1, 8), offer(2, 7)};
    std::vector<std::vector<Suggestion>> ranked{suggest(needs[0], 3, offers), suggest(needs[1], 3, offers)};
    ASSERT_EQ(ranked[0].front().offer_id, 2);
    ASSERT_EQ(ranked[1].front().offer_id, 2);
    auto fair = fair_exposure(needs, ranked);
    EXPECT_EQ(fair[1].front().offer_id, 2);  // need 11 waited longer (created at 100)
    EXPECT_EQ(fair[0].front().offer_id, 1);
    EXPECT_EQ(fair[0].back().offer_id, 2);
    EXPECT_EQ(fair[0].back().reasons.back().code, "exposure");
}

TEST(SharingRules, LedgerChainDetectsAnyChange) {
    std::vector<LedgerRow> rows;
    std::string prev = kGenesis;
    for (int i = 1; i <= 3; ++i) {
        LedgerRow r;
        r.id = i;
        r.kind = "entry";
        r.connection_id = 1;
        r.helper_offer_id = 2;
        r.day = "2026-12-0" + std::to_string(i);
        r.minutes = 60 * i;
        r.actor = 5;
        r.at = 1000 + i;
        r.prev_hash = prev;
        r.hash = row_hash(r);
        prev = r.hash;
        rows.push_back(r);
    }
    EXPECT_EQ(verify_chain(rows), 0);
    auto tampered = rows;
    tampered[1].minutes = 480;
    EXPECT_EQ(verify_chain(tampered), 2);
    auto cut = rows;
    cut.erase(cut.begin() + 1);
    EXPECT_EQ(verify_chain(cut), 3);
}

TEST(SharingRules, AnomaliesAreFlaggedAndReversalsStopCounting) {
    auto entry = [](long long id, const std::string& day, int start, int minutes, long long at) {
        LedgerRow r;
        r.id = id;
        r.kind = "entry";
        r.helper_offer_id = 2;
        r.day = day;
        r.start_minute = start;
        r.minutes = minutes;
        r.actor = 9;
        r.at = at;
        return r;
    };
    long long dec1 = day_number("2026-12-01") * 86400;
    std::vector<LedgerRow> rows{entry(1, "2026-12-01", 540, 300, dec1 + 3600), entry(2, "2026-12-01", 780, 240, dec1 + 3700),
                                entry(3, "2026-08-01", 600, 60, dec1)};
    EXPECT_EQ(counted_minutes(rows, 2, "2026-12-01"), 540);
    auto a = anomalies(rows, 480, 90, 20);
    auto has = [&](const std::string& code, long long id) {
        for (const auto& x : a)
            if (x.code == code && x.entry_id == id) return true;
        return false;
    };
    EXPECT_TRUE(has("over_daily_cap", 2));
    EXPECT_TRUE(has("overlapping", 2));  // 9:00-14:00 and 13:00-17:00
    EXPECT_TRUE(has("late_entry", 3));
    EXPECT_FALSE(has("bulk_entries", 1));
    LedgerRow rev;
    rev.id = 4;
    rev.kind = "reverse";
    rev.ref_id = 2;
    rows.push_back(rev);
    EXPECT_EQ(counted_minutes(rows, 2, "2026-12-01"), 300);
    EXPECT_TRUE(anomalies(rows, 480, 130, 20).empty());
    std::vector<LedgerRow> many;
    for (int i = 0; i < 21; ++i) many.push_back(entry(10 + i, "2026-12-01", i * 60, 10, dec1 + i));
    for (auto& m : many) m.helper_offer_id = 100 + m.id;  // different helpers, one recording account
    bool bulk = false;
    for (const auto& x : anomalies(many, 480, 90, 20)) bulk = bulk || x.code == "bulk_entries";
    EXPECT_TRUE(bulk);
}

TEST(SharingRules, DayNumbers) {
    EXPECT_EQ(day_number("1970-01-01"), 0);
    EXPECT_EQ(day_number("2026-12-07"), 20794);
    EXPECT_EQ(day_number("2026-02-29"), -1);
    EXPECT_EQ(day_number("2026-13-01"), -1);
    EXPECT_EQ(day_number("20261207"), -1);
}

// The top few are chosen on numbers alone and only they get their reasons written: over random
// offers, the few returned are exactly the head of the full ranking (whose scores are the sums
// of the reasons), so the quick score and the reasons never disagree.
TEST(SharingRules, TopSuggestionsAreTheHeadOfTheFullRanking) {
    std::mt19937 rng(7);
    const char* modes[] = {"in_person", "remote", "in_kind"};
    for (int round = 0; round < 50; ++round) {
        std::vector<OfferView> offers(200);
        for (std::size_t i = 0; i < offers.size(); ++i) {
            auto& o = offers[i];
            o.id = static_cast<long long>(i + 1);
            o.dong_id = 1 + static_cast<long long>(rng() % 4);
            o.subfields = {rng() % 2 ? "R02" : "R04"};
            o.mode = modes[rng() % 3];
            o.when = {static_cast<int>(1 + rng() % 127), static_cast<int>(8 + rng() % 6), static_cast<int>(14 + rng() % 8)};
            o.languages = rng() % 3 ? std::vector<std::string>{"ko"} : std::vector<std::string>{"vi"};
            o.vetted_level = static_cast<int>(rng() % 4);
            o.live_connections = static_cast<int>(rng() % 3);
            o.completed = static_cast<int>(rng() % 8);
        }
        NeedView n;
        n.id = 1;
        n.dong_id = 2;
        n.subfield = "R02";
        n.when = {0x1f, 9, 17};
        n.languages = {"ko"};
        auto all = suggest(n, 2, offers, 1000);
        auto top = suggest(n, 2, offers, 5);
        ASSERT_EQ(top.size(), std::min<std::size_t>(5, all.size()));
        for (std::size_t i = 0; i < top.size(); ++i) {
            EXPECT_EQ(top[i].offer_id, all[i].offer_id) << "round " << round << " rank " << i;
            EXPECT_EQ(top[i].score, all[i].score);
        }
        for (std::size_t i = 0; i < all.size(); ++i) {
            double sum = 0;
            for (const auto& r : all[i].reasons) sum += r.points;
            EXPECT_EQ(all[i].score, sum);
            if (i) {
                EXPECT_TRUE(all[i - 1].score > all[i].score ||
                            (all[i - 1].score == all[i].score && all[i - 1].offer_id < all[i].offer_id));
            }
        }
    }
}
