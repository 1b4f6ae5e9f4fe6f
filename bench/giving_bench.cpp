// Giving benchmark (issue 14): counter-intake writes per second on SQLite with durable commits
// (WAL, synchronous=FULL — dure's default), each gift as the HTTP handler writes it: its own
// transaction through store::run_idempotent (the answer stored with the write), donor name and
// contact encrypted, the contact's blind index, the fund credited. Baseline in the same run and
// on the same disk: raw sqlite3, one INSERT per transaction, same pragmas. Prints gifts/s, the
// baseline's rows/s and the ratio.
// Usage: giving_bench [gifts=3000]
#include <sqlite3.h>
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "giving/store.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"

using namespace dure;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 3000;
    if (n < 1 || n > 10'000'000) {
        std::fprintf(stderr, "usage: giving_bench [gifts=3000]\n");
        return 2;
    }
    auto dir = std::filesystem::temp_directory_path() / ("giving-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);

    // ---- dure: counter intake ----
    double dure_secs = 0;
    {
        auto db = store::Database::open("sqlite:" + (dir / "dure.db").string(), 2);
        store::migrate(*db);
        auto keys = identity::Keyring::from_master(std::string(32, 'b'));
        giving::GivingStore gs(*db, keys);
        long long district = 0, dong = 0;
        db->write([&](soci::session& s) {
            s << "INSERT INTO districts (code, name_ko, name_en, created_at) VALUES ('b', '벤치구', 'Bench', 0) RETURNING id",
                soci::into(district);
            s << "INSERT INTO dongs (district_id, code, name_ko, name_en) VALUES (:d, 'b1', '일동', 'Il-dong') RETURNING id",
                soci::use(district), soci::into(dong);
        });
        giving::NewCampaign c;
        c.campaign = {0, district, "bench", "벤치", "Bench", 1'000'000'000, "2023-11-15", "2024-02-14", "모집기관",
                      "000", "사회복지공동모금회법", "모집기관", "", "", 0, ""};
        c.designations = {{0, 0, "general", "general", "일반", "General", 0}};
        long long campaign = gs.create_campaign(c, 0);
        long long designation = gs.designations(campaign).front().id;
        auto t0 = Clock::now();
        for (int i = 0; i < n; ++i) {
            giving::NewGift g;
            g.campaign_id = campaign;
            g.designation_id = designation;
            g.dong_id = dong;
            g.amount_krw = 10'000 + i;
            g.donor_kind = "person";
            g.display = "masked";
            g.donor_name = "홍길동";
            g.donor_contact = "0101234" + std::to_string(1000 + i % 9000);
            g.given_on = "2023-12-01";
            g.entered_by = 1;
            store::run_idempotent(*db, "bench-" + std::to_string(i), "h", [&](soci::session& s) {
                long long id = gs.add_gift(s, g, 1701399600LL);
                return std::pair<int, std::string>{201, "{\"id\":" + std::to_string(id) + "}"};
            });
        }
        dure_secs = since(t0);
        auto t = gs.totals(campaign);
        if (t.gifts_count != n) {
            std::fprintf(stderr, "giving_bench: %lld gifts recorded, expected %d\n", t.gifts_count, n);
            return 1;
        }
    }

    // ---- baseline: raw sqlite3, one INSERT per transaction ----
    double raw_secs = 0;
    {
        sqlite3* h = nullptr;
        if (sqlite3_open((dir / "raw.db").string().c_str(), &h) != SQLITE_OK) return 1;
        sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                        "CREATE TABLE t (id INTEGER PRIMARY KEY, amount INTEGER, name TEXT, day TEXT)",
                     nullptr, nullptr, nullptr);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(h, "INSERT INTO t (amount, name, day) VALUES (?, ?, '2023-12-01')", -1, &st, nullptr);
        auto t0 = Clock::now();
        for (int i = 0; i < n; ++i) {
            sqlite3_exec(h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            sqlite3_bind_int64(st, 1, 10'000 + i);
            sqlite3_bind_text(st, 2, "홍길동", -1, SQLITE_STATIC);
            sqlite3_step(st);
            sqlite3_reset(st);
            sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
        }
        raw_secs = since(t0);
        sqlite3_finalize(st);
        sqlite3_close(h);
    }
    std::filesystem::remove_all(dir);

    double dure_rate = n / dure_secs, raw_rate = n / raw_secs;
    std::printf("giving counter intake: %d gifts in %.2f s = %.0f gifts/s (durable: WAL, synchronous=FULL; "
                "idempotency answer, encryption, fund credit in each transaction)\n",
                n, dure_secs, dure_rate);
    std::printf("baseline raw sqlite3, one INSERT per transaction: %d rows in %.2f s = %.0f rows/s\n", n, raw_secs,
                raw_rate);
    std::printf("ratio dure / baseline: %.2f\n", dure_rate / raw_rate);
    return 0;
}
