#pragma once
// The change feed that keeps every process's caches and in-memory indexes in step with the
// database (several `dure serve` on one PostgreSQL). A module's tables raise a topic's generation
// in `change_feed` in the same transaction as the change (triggers in its migration, so every
// writer counts, the CLI import too). On PostgreSQL the trigger also sends
// `NOTIFY dure_changes '<topic>'`: a dedicated libpq connection LISTENs and, on a notification,
// reads the generations and calls the topic's subscribers. After a lost connection it reconnects
// and catches up by comparing generations, so nothing is missed. On SQLite (one process) the
// same thread reads the generations four times a second. Subscribers run on the feed's thread.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"

namespace soci {
class session;
}

namespace dure::store {

// How many times this process's change feed saw `topic` move. Caches that cannot subscribe (they
// sit inside a module's routes) keep the count they were filled at and refill when it differs.
long long seen_changes(const std::string& topic);

class ChangeFeed {
public:
    // `url` is the database URL (for the dedicated LISTEN connection on PostgreSQL).
    ChangeFeed(Database& db, std::string url);
    ~ChangeFeed();
    ChangeFeed(const ChangeFeed&) = delete;
    ChangeFeed& operator=(const ChangeFeed&) = delete;

    // Calls `on_change` (on the feed's thread) after the topic's generation moved. Call before
    // start().
    void subscribe(const std::string& topic, std::function<void()> on_change);
    // Reads the current generations (changes from now on are reported), then listens.
    void start();
    void stop();

    // Raises a topic's generation inside the caller's write transaction, for changes no trigger
    // sees; on PostgreSQL the NOTIFY goes out at commit.
    static void publish(soci::session& s, Dialect dialect, const std::string& topic);

    // The generations last read (for tests and metrics).
    long long generation(const std::string& topic) const;
    // Times the listener (re)connected (PostgreSQL).
    long long connects() const { return connects_.load(); }

private:
    void run();
    void run_sqlite();
    void run_postgresql();
    // Reads every generation (through `read`) and calls the subscribers of those that moved.
    void catch_up(const std::map<std::string, long long>& now);

    Database& db_;
    std::string url_;
    std::map<std::string, std::vector<std::function<void()>>> subscribers_;
    mutable std::mutex gen_mu_;
    std::map<std::string, long long> generations_;
    std::atomic<long long> connects_{0};
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace dure::store
