// Community benchmark (issue 15): registrations for one popular event from 64 concurrent clients
// (confirmed while places remain, the rest waitlisted; EventStore::register_in, one transaction
// each) against raw inserts into the same table from the same clients in the same run (ratio
// printed), then the count of confirmed places checked to equal the capacity; and concurrent
// overlapping space bookings (SpaceStore::request) checked for no hour held twice.
// Usage: community_bench [registrations=3000] [clients=64] [capacity=20] [bookings=2000]
// The database: DURE_BENCH_DB (e.g. postgresql://…), else a SQLite file in a temporary folder.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include <soci/soci.h>
#include <unistd.h>

#include "common/error.hpp"
#include "community/events.hpp"
#include "community/spaces.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"

using namespace dure;
using Clock = std::chrono::steady_clock;

static double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

template <class F>
static double run_clients(int clients, F&& body) {
    auto t0 = Clock::now();
    std::vector<std::thread> ts;
    for (int c = 0; c < clients; ++c) ts.emplace_back([&] { body(); });
    for (auto& t : ts) t.join();
    return since(t0);
}

int main(int argc, char** argv) {
    long long n = argc > 1 ? std::atoll(argv[1]) : 3000;
    int clients = argc > 2 ? std::atoi(argv[2]) : 64;
    long long capacity = argc > 3 ? std::atoll(argv[3]) : 20;
    long long bookings = argc > 4 ? std::atoll(argv[4]) : 2000;
    std::string url;
    if (const char* u = std::getenv("DURE_BENCH_DB"); u && *u) url = u;
    auto dir = std::filesystem::temp_directory_path() / ("dure-community-bench-" + std::to_string(::getpid()));
    if (url.empty()) {
        std::filesystem::create_directories(dir);
        url = "sqlite:" + (dir / "bench.db").string();
    }
    auto db = store::Database::open(url, std::min(clients, 16));
    store::migrate(*db);
    auto keys = identity::Keyring::from_master(std::string(32, 'b'));
    identity::IdentityStore ids(*db, keys);
    std::string tag = std::to_string(::getpid());
    long long district = ids.create_district("cb" + tag, "벤치구", "Bench-gu");
    community::EventStore events(*db, keys);
    long long now = store::now_unix();
    community::Event e;
    e.district_id = district;
    e.title = "인기 행사";
    e.starts_at = now + 7 * 86400;
    e.ends_at = e.starts_at + 7200;
    e.closes_at = now + 86400;
    e.capacity = capacity;
    e.created_by = 1;
    long long popular = events.create(e, now);
    e.title = "기준선 (raw inserts)";
    long long baseline_event = events.create(e, now);

    // ---- registrations: one popular event, `clients` at once ----
    std::atomic<long long> next{0}, refused{0};
    double reg_secs = run_clients(clients, [&] {
        for (long long i; (i = next.fetch_add(1)) < n;) {
            try {
                db->write([&](soci::session& s) { events.register_in(s, popular, 1000000 + i, {}, store::now_unix()); });
            } catch (const std::exception&) {
                refused.fetch_add(1);
            }
        }
    });
    // ---- baseline: raw inserts of the same rows from the same clients ----
    next = 0;
    double raw_secs = run_clients(clients, [&] {
        for (long long i; (i = next.fetch_add(1)) < n;) {
            db->write([&](soci::session& s) {
                long long t = store::now_unix(), acc = 1000000 + i;
                s << "INSERT INTO community_registrations (event_id, account_id, status, position, details_enc, created_at, "
                     "updated_at) VALUES (:e, :a, 'waitlisted', :p, '', :t, :t2)",
                    soci::use(baseline_event), soci::use(acc), soci::use(i), soci::use(t), soci::use(t);
            });
        }
    });
    long long confirmed = 0, waitlisted = 0, taken = 0;
    db->read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM community_registrations WHERE event_id = :e AND status = 'confirmed'", soci::into(confirmed),
            soci::use(popular);
        s << "SELECT COUNT(*) FROM community_registrations WHERE event_id = :e AND status = 'waitlisted'",
            soci::into(waitlisted), soci::use(popular);
        s << "SELECT taken FROM community_events WHERE id = :e", soci::into(taken), soci::use(popular);
    });
    bool ok = confirmed == capacity && taken == capacity && confirmed + waitlisted == n && refused == 0;
    std::printf("database: %s, %d clients\n", url.rfind("sqlite", 0) == 0 ? "sqlite" : "postgresql", clients);
    std::printf("registrations for one event (capacity %lld): %lld in %.3f s = %.0f registrations/s\n", capacity, n, reg_secs,
                n / reg_secs);
    std::printf("  baseline, raw inserts into the same table: %lld in %.3f s = %.0f rows/s; ratio registration/raw %.2f\n",
                n, raw_secs, n / raw_secs, (n / reg_secs) / (n / raw_secs));
    std::printf("  confirmed %lld (capacity %lld, taken %lld), waitlisted %lld, refused %lld: %s\n", confirmed, capacity, taken,
                waitlisted, refused.load(), ok ? "OK" : "WRONG");

    // ---- space bookings: overlapping requests, never an hour held twice ----
    community::SpaceStore spaces(*db);
    community::Space sp;
    sp.district_id = district;
    sp.name = "벤치 사랑방";
    sp.capacity = 20;
    sp.opens_hour = 9;
    sp.closes_hour = 21;
    long long space = spaces.create(sp, now);
    std::atomic<long long> booked{0}, clashed{0};
    next = 0;
    double book_secs = run_clients(clients, [&] {
        for (long long i; (i = next.fetch_add(1)) < bookings;) {
            community::Booking b;
            b.space_id = space;
            b.account_id = 2000000 + i;
            char day[16];
            std::snprintf(day, sizeof day, "2027-01-%02lld", 1 + (i * 7919) % 28);
            b.day = day;
            b.start_hour = 9 + (i * 31) % 11;
            b.end_hour = b.start_hour + 1 + (i % 2);
            b.purpose = "모임";
            b.attendees = 5;
            try {
                spaces.request(b, store::now_unix());
                booked.fetch_add(1);
            } catch (const Error&) {
                clashed.fetch_add(1);
            }
        }
    });
    long long slot_rows = 0, booked_hours = 0;
    db->read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM community_booking_slots WHERE space_id = :s", soci::into(slot_rows), soci::use(space);
        s << "SELECT COALESCE(SUM(end_hour - start_hour), 0) FROM community_bookings WHERE space_id = :s AND status = "
             "'requested'",
            soci::into(booked_hours), soci::use(space);
    });
    bool ok2 = slot_rows == booked_hours && booked + clashed == bookings && slot_rows <= 28 * 12;
    std::printf("space bookings (28 days x 12 h, overlapping): %lld requests in %.3f s = %.0f/s; booked %lld, refused %lld\n",
                bookings, book_secs, bookings / book_secs, booked.load(), clashed.load());
    std::printf("  hours held %lld = hours of booked requests %lld (no hour twice): %s\n", slot_rows, booked_hours,
                ok2 ? "OK" : "WRONG");
    if (url.rfind("sqlite", 0) == 0) std::filesystem::remove_all(dir);
    return ok && ok2 ? 0 : 1;
}
