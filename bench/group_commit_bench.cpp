// SQLite group commit (issue 12, "Durable writes"; decision 0082): durable writes through
// store::Database (synchronous=FULL, concurrent writers committed in batches by one writer)
// against the baseline in the same run: raw SQLite, synchronous=FULL, WAL, one INSERT per
// transaction on one connection. Target: ratio ≥ 2.0.
// Both write the same rows into a table of their own file in DIR (default: a fresh directory
// under the current one, which must be on a real disk: on tmpfs an fsync is free and both run at
// memory speed).
// Usage: group_commit_bench [rows=2000] [threads=16] [DIR]
#include <sqlite3.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "store/db_stats.hpp"

using Clock = std::chrono::steady_clock;
static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

static const char* kTable =
    "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, body TEXT NOT NULL)";

static void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

int main(int argc, char** argv) {
    int rows = argc > 1 ? std::atoi(argv[1]) : 2000;
    int threads = argc > 2 ? std::atoi(argv[2]) : 16;
    namespace fs = std::filesystem;
    fs::path dir = argc > 3 ? fs::path(argv[3]) : fs::current_path() / ("group-commit-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    ::unsetenv("DURE_SQLITE_SYNCHRONOUS");  // production mode: FULL
    std::string body(200, 'x');

    // ---- baseline: raw SQLite, FULL, one insert per transaction ----
    double raw_s;
    {
        fs::path file = dir / "raw.db";
        sqlite3* db = nullptr;
        check(sqlite3_open(file.c_str(), &db), db, "open");
        check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr), db, "pragma");
        check(sqlite3_exec(db, kTable, nullptr, nullptr, nullptr), db, "create");
        sqlite3_stmt* ins = nullptr;
        check(sqlite3_prepare_v2(db, "INSERT INTO notes (writer, body) VALUES (?, ?)", -1, &ins, nullptr), db, "prepare");
        auto t0 = Clock::now();
        for (int i = 0; i < rows; ++i) {
            check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
            sqlite3_bind_int(ins, 1, i % threads);
            sqlite3_bind_text(ins, 2, body.c_str(), static_cast<int>(body.size()), SQLITE_STATIC);
            check(sqlite3_step(ins), db, "insert");
            sqlite3_reset(ins);
            check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
        }
        raw_s = since(t0);
        sqlite3_finalize(ins);
        sqlite3_close(db);
    }

    // ---- dure: store::Database::write from `threads` threads (each call its own transaction
    // as the caller sees it; acknowledged = write() returned = committed with FULL) ----
    double dure_s;
    long long counted = 0, batches_seen = 0;
    {
        auto db = dure::store::Database::open("sqlite:" + (dir / "dure.db").string(), 2);
        std::printf("database: %s\n", db->describe().c_str());
        db->write([](soci::session& s) { s << kTable; });
        std::atomic<int> next{0};
        auto t0 = Clock::now();
        std::vector<std::thread> ts;
        for (int w = 0; w < threads; ++w)
            ts.emplace_back([&, w] {
                for (;;) {
                    int i = next.fetch_add(1);
                    if (i >= rows) break;
                    db->write([&](soci::session& s) {
                        s << "INSERT INTO notes (writer, body) VALUES (:w, :b)", soci::use(w), soci::use(body);
                    });
                }
            });
        for (auto& t : ts) t.join();
        dure_s = since(t0);
        db->read([&](soci::session& s) { s << "SELECT count(*) FROM notes", soci::into(counted); });
        batches_seen = dure::store::db_stats(*db).commits;
    }
    fs::remove_all(dir);

    if (counted != rows) {
        std::fprintf(stderr, "dure wrote %lld rows, expected %d\n", counted, rows);
        return 1;
    }
    double raw_rate = rows / raw_s, dure_rate = rows / dure_s;
    std::printf("rows %d, writer threads %d, synchronous=FULL, WAL, 200-byte rows\n", rows, threads);
    std::printf("raw SQLite, one insert per transaction: %.0f writes/s (%.2f s)\n", raw_rate, raw_s);
    std::printf("dure group commit (Database::write):    %.0f writes/s (%.2f s), %lld commits, %.1f writes per commit\n",
                dure_rate, dure_s, batches_seen, batches_seen ? double(rows + 1) / batches_seen : 0.0);
    std::printf("ratio dure/raw: %.2f (target >= 2.0)\n", dure_rate / raw_rate);
    return 0;
}
