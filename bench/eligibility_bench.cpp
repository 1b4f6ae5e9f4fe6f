// Eligibility benchmarks (issue 4):
//  1. One household against every encoded program, with reasons: µs per household.
//     Target < 200 µs. Baseline in the same run: parsing and re-serializing the same request
//     JSON (what any JSON API pays before it computes anything).
//  2. Re-screening 400,000 synthetic member households against every program on 2 threads:
//     households/s (target ≥ 100,000) and bytes per household in the screening structure
//     (target ≤ 256). Baseline in the same run: one pass over the same structure summing a field.
// Usage: eligibility_bench [households] [threads]
#include <sys/resource.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

#include "eligibility/engine.hpp"
#include "eligibility/household.hpp"

using namespace dure::eligibility;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long rss_kib() {
    FILE* f = std::fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

const char* kRequest = R"({"date": "2026-03-01", "household": {
  "members": [
    {"relation": "self", "birth_date": "1953-05-10", "disability": "none", "veteran": false, "employed": false},
    {"relation": "spouse", "birth_date": "1956-11-02", "disability": "severe"},
    {"relation": "grandchild", "birth_date": "2014-09-01", "school": "elementary"}],
  "residence": {"tenure": "monthly_rent", "rent": 320000, "deposit": 10000000, "region": "seoul"},
  "incomes": {"earned": 0, "business": 0, "property": 0, "public_transfer": 410000, "private_transfer": 100000},
  "assets": {"housing": 10000000, "deposits": 3000000, "financial": 0, "vehicles": 0, "debts": 2000000},
  "single_parent": false, "crisis": "none"}})";

// The screening structure: a fixed core per household, members in one shared array.
struct Stored {
    HouseholdCore core;
    std::uint32_t first_member;
    std::uint8_t member_count;
};

}  // namespace

int main(int argc, char** argv) {
    std::size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 400000;
    unsigned threads = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 2;
    auto rules = Rules::embedded();
    std::printf("rules: %zu programs, %zu parameters\n", rules->programs().size(), rules->parameters().size());

    // ---- 1. one household ----
    auto date = *parse_date("2026-03-01");
    ParamsAt params(*rules, date);
    dure::FieldErrors errors;
    auto req = json::parse(kRequest);
    auto h = parse_household(req.as_object().at("household"), *rules, date, errors);
    errors.throw_if_any();
    const int iters = 20000;
    std::size_t sink = 0;
    auto t0 = Clock::now();
    for (int i = 0; i < iters; ++i) {
        auto e = evaluate(*rules, params, h, Options{true, false});
        sink += e.outcomes.size() + e.outcomes[0].reasons.size();
    }
    double per = seconds_since(t0) / iters * 1e6;
    t0 = Clock::now();
    for (int i = 0; i < iters; ++i) sink += json::serialize(json::parse(kRequest)).size();
    double base = seconds_since(t0) / iters * 1e6;
    int eligible = 0;
    {
        auto e = evaluate(*rules, params, h, Options{true, false});
        for (const auto& o : e.outcomes) eligible += o.status == Status::eligible;
    }
    std::printf("one household, all programs with reasons: %.1f us (target < 200 us; published PolicyEngine "
                "single-household API ~300,000 us)\n", per);
    std::printf("  baseline, parse + serialize the request JSON: %.1f us; ratio %.2f\n", base, per / base);
    std::printf("  (%d of %zu programs eligible for the sample household)\n", eligible, rules->programs().size());

    // ---- 2. re-screening n households ----
    long rss0 = rss_kib();
    std::vector<Stored> store;
    std::vector<Member> members;
    store.reserve(n);
    members.reserve(n * 3);
    std::mt19937_64 rng(20261123);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    for (std::size_t i = 0; i < n; ++i) {
        Stored s{};
        s.first_member = static_cast<std::uint32_t>(members.size());
        int size = pick(1, 10) <= 4 ? 1 : pick(2, 5);  // about 40% one-person households
        bool elderly = pick(1, 5) == 1;
        for (int m = 0; m < size; ++m) {
            Member mem;
            int age = m == 0 ? (elderly ? pick(65, 95) : pick(20, 64)) : m == 1 ? pick(20, 90) : pick(0, 18);
            int y = 2026 - age, mo = pick(1, 12), dd = pick(1, 28);
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, dd);
            mem.birth = *parse_date(buf);
            if (mem.birth > date) mem.birth = date;
            mem.codes[disability - kFirstMemberCode] = pick(1, 20) == 1 ? 2 : 0;
            mem.codes[relation - kFirstMemberCode] = m == 0 ? 0 : m == 1 ? 1 : 2;
            mem.codes[school - kFirstMemberCode] = age >= 7 && age <= 18 ? (age <= 12 ? 1 : age <= 15 ? 2 : 3) : 0;
            mem.codes[nationality - kFirstMemberCode] = 0;
            mem.flags_known = 0x1F;
            mem.flags = pick(1, 3) == 1 ? 0x02 : 0;  // employed
            members.push_back(mem);
        }
        s.member_count = static_cast<std::uint8_t>(size);
        auto& c = s.core;
        c.set_money(income_earned, pick(0, 4) == 0 ? 0 : pick(0, 400) * 10000);
        c.set_money(income_business, pick(0, 9) == 0 ? pick(0, 300) * 10000 : 0);
        c.set_money(income_property, 0);
        c.set_money(income_public_transfer, elderly ? pick(0, 80) * 10000 : 0);
        c.set_money(income_private_transfer, pick(0, 5) == 0 ? pick(0, 50) * 10000 : 0);
        c.set_money(asset_housing, pick(0, 2) == 0 ? 0 : static_cast<std::int64_t>(pick(0, 800)) * 1000000);
        c.set_money(asset_deposits, static_cast<std::int64_t>(pick(0, 100)) * 100000);
        c.set_money(asset_financial, 0);
        c.set_money(asset_vehicles, pick(0, 2) == 0 ? static_cast<std::int64_t>(pick(5, 40)) * 1000000 : 0);
        c.set_money(debts, static_cast<std::int64_t>(pick(0, 50)) * 1000000);
        int tenure_code = pick(0, 3);
        c.codes[tenure - kFirstCode] = static_cast<std::uint8_t>(tenure_code);
        c.codes[region - kFirstCode] = 0;
        c.codes[crisis - kFirstCode] = pick(1, 30) == 1 ? 6 : 0;
        if (tenure_code == 2) c.set_money(rent, pick(20, 80) * 10000);
        else c.set_money(rent, 0);
        c.set_money(deposit, static_cast<std::int64_t>(pick(0, 300)) * 1000000);
        c.flags_known = 0x07;
        c.flags = pick(1, 15) == 1 ? 1 : 0;
        c.receives_known = true;
        store.push_back(s);
    }
    long rss1 = rss_kib();
    double bytes_struct = static_cast<double>(sizeof(Stored) * store.size() + sizeof(Member) * members.size()) / n;
    double bytes_rss = static_cast<double>(rss1 - rss0) * 1024 / n;

    std::atomic<std::size_t> eligible_total{0}, undetermined_total{0};
    auto run = [&](unsigned t) {
        std::size_t e = 0, u = 0;
        for (std::size_t i = t; i < store.size(); i += threads) {
            const auto& s = store[i];
            HouseholdView v(&s.core, std::span<const Member>(members.data() + s.first_member, s.member_count));
            auto r = screen(*rules, params, v);
            e += static_cast<std::size_t>(__builtin_popcountll(r.eligible));
            u += static_cast<std::size_t>(__builtin_popcountll(r.undetermined));
        }
        eligible_total += e;
        undetermined_total += u;
    };
    t0 = Clock::now();
    {
        std::vector<std::thread> ts;
        for (unsigned t = 0; t < threads; ++t) ts.emplace_back(run, t);
        for (auto& t : ts) t.join();
    }
    double secs = seconds_since(t0);
    t0 = Clock::now();
    std::int64_t total = 0;
    for (const auto& s : store) total += s.core.money_of(income_earned) + members[s.first_member].birth;
    double scan = seconds_since(t0);
    sink += static_cast<std::size_t>(total);

    struct rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("re-screening %zu households x %zu programs on %u threads: %.2f s, %.0f households/s "
                "(target >= 100,000)\n", n, rules->programs().size(), threads, secs, n / secs);
    std::printf("  eligible answers %zu, undetermined %zu\n", eligible_total.load(), undetermined_total.load());
    std::printf("  baseline, one pass over the same structure: %.4f s; ratio %.0f\n", scan, secs / scan);
    std::printf("  screening structure: %.0f bytes per household (sizeof %zu + members), RSS growth %.0f bytes "
                "per household (target <= 256); peak RSS %ld MiB\n",
                bytes_struct, sizeof(Stored), bytes_rss, ru.ru_maxrss / 1024);
    if (sink == 42) std::puts("");
    return 0;
}
