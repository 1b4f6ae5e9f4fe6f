// Risk-screening benchmarks (issue 5):
//  1. Score and rank 400,000 households × 40 indicator types within 16 dongs. Target < 1 s on
//     2 cores. Baseline in the same run: one pass over the same signals (popcount).
//  2. Import a 400,000-row indicator CSV into SQLite (parse, validate, blind-index and encrypt the
//     household keys, upsert in one transaction). Target ≥ 200,000 rows/s. Baseline in the same
//     run: reading the same file line by line.
// Usage: screening_bench [households=400000] [rows=400000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "screening/model.hpp"
#include "screening/store.hpp"
#include "store/database.hpp"

using namespace dure;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int main(int argc, char** argv) {
    std::size_t households = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 400000;
    std::size_t rows = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 400000;
    const auto& cat = screening::IndicatorCatalog::embedded();
    const int k = static_cast<int>(cat.all().size());
    std::mt19937_64 rng(5);

    // ---- 1. score and rank ----
    std::vector<screening::HouseholdSignals> hs(households);
    for (std::size_t i = 0; i < households; ++i) {
        hs[i].hash = std::to_string(i);
        hs[i].dong_id = static_cast<long long>(rng() % 16) + 1;
        int n = 1 + static_cast<int>(rng() % 4);
        for (int j = 0; j < n; ++j) hs[i].flags |= 1ull << (rng() % static_cast<unsigned>(k));
    }
    auto model = screening::Model::defaults(cat);
    auto t0 = Clock::now();
    auto ranked = screening::rank_by_dong(model, hs, 30, 0.0);
    double rank_secs = since(t0);
    t0 = Clock::now();
    long long bits = 0;
    for (const auto& h : hs) bits += __builtin_popcountll(h.flags);
    double scan = since(t0);
    std::size_t listed = 0;
    for (const auto& [d, l] : ranked) listed += l.size();
    std::printf("score and rank %zu households x %d indicator types in %zu dongs: %.3f s, %.0f households/s (target < 1 s)\n",
                households, k, ranked.size(), rank_secs, households / rank_secs);
    std::printf("  listed %zu (30 per dong); baseline, one pass over the signals: %.4f s; ratio %.0f (%lld flags)\n", listed,
                scan, rank_secs / std::max(scan, 1e-9), bits);

    // ---- 2. import ----
    auto dir = std::filesystem::temp_directory_path() / ("dure-screening-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto csv = dir / "indicators.csv";
    {
        std::ofstream out(csv);
        out << "household_key,dong,indicator,value,period\n";
        for (std::size_t i = 0; i < rows; ++i) {
            out << "H" << (i / 3) << ",d" << (i / 3) % 16 << "," << cat.all()[i % k].code << "," << (rng() % 100000) << ",2026-"
                << (10 + i % 3) << "\n";
        }
    }
    auto db = store::Database::open("sqlite:" + (dir / "bench.db").string(), 2);
    store::migrate(*db);
    auto keys = identity::Keyring::from_master(std::string(32, 'b'));
    identity::IdentityStore ids(*db, keys);
    long long district = ids.create_district("bench", "벤치구", "Bench-gu");
    std::map<std::string, long long> dong_ids;
    for (int d = 0; d < 16; ++d) dong_ids["d" + std::to_string(d)] = ids.create_dong(district, "d" + std::to_string(d), "동", "dong");

    t0 = Clock::now();
    {
        std::ifstream in(csv);
        std::string line;
        std::size_t n = 0;
        while (std::getline(in, line)) n += line.size();
        if (n == 42) std::puts("");
    }
    double read_secs = since(t0);
    t0 = Clock::now();
    std::ifstream in(csv);
    auto rep = screening::parse_indicator_csv(in, cat, [&](const std::string& c) { return dong_ids.count(c) > 0; });
    double parse_secs = since(t0);
    if (rep.error_count) {
        std::printf("unexpected errors: %s\n", rep.errors.front().message.c_str());
        return 1;
    }
    screening::ScreeningStore st(*db, keys);
    auto t1 = Clock::now();
    auto res = st.import(district, rep.rows, dong_ids, cat, "bench");
    double store_secs = since(t1);
    double total = since(t0);
    // Importing the same file again changes nothing (idempotent) — timed too.
    t1 = Clock::now();
    st.import(district, rep.rows, dong_ids, cat, "bench");
    double again = since(t1);
    std::printf("import %lld rows (%lld households) into SQLite: %.2f s, %.0f rows/s (target >= 200,000)\n", res.rows,
                res.households, total, res.rows / total);
    std::printf("  parse and validate %.2f s, encrypt and upsert %.2f s; re-import of the same rows %.2f s\n", parse_secs,
                store_secs, again);
    std::printf("  baseline, reading the file line by line: %.3f s; ratio %.1f\n", read_secs, total / read_secs);
    // For information: the same rows into PostgreSQL when DURE_BENCH_PG holds a URL (e.g. under
    // scripts/with-postgres.sh: DURE_BENCH_PG=$DURE_TEST_PG). No target.
    if (const char* pg = std::getenv("DURE_BENCH_PG"); pg && *pg) {
        auto pdb = store::Database::open(pg, 2);
        store::migrate(*pdb);
        identity::IdentityStore pids(*pdb, keys);
        std::string code = "bench" + std::to_string(::getpid());
        long long pdistrict = pids.create_district(code, "벤치구", "Bench-gu");
        std::map<std::string, long long> pdongs;
        for (int d = 0; d < 16; ++d) pdongs["d" + std::to_string(d)] = pids.create_dong(pdistrict, "d" + std::to_string(d), "동", "dong");
        screening::ScreeningStore pst(*pdb, keys);
        t1 = Clock::now();
        auto pres = pst.import(pdistrict, rep.rows, pdongs, cat, "bench");
        double psecs = since(t1);
        t1 = Clock::now();
        pst.import(pdistrict, rep.rows, pdongs, cat, "bench");
        double pagain = since(t1);
        std::printf("PostgreSQL (information): encrypt and upsert %lld rows %.2f s, %.0f rows/s; re-import %.2f s\n", pres.rows,
                    psecs, pres.rows / psecs, pagain);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
