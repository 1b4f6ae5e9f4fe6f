#pragma once
// Scheduled jobs that must happen once across every `dure serve` process on one database
// (re-screening, screening rounds, check-in escalation, outbox delivery, and any job a module
// declares). A job is a name, a period and a function. Each job has a thread of its own, so a
// slow or failing job never holds up another (escalation does not wait for e-mail). Before a run
// the thread claims the job's row in the `scheduled_jobs` table: due (`next_run_at` passed) and not leased
// to another process. On PostgreSQL the row is read `FOR UPDATE SKIP LOCKED`; on SQLite the one
// writer serializes claims. The row records the last run, the last success, the next run and
// the last error. A module declares its jobs in its `jobs()` hook (src/app/module.hpp).
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/database.hpp"

namespace dure::jobs {

struct Job {
    std::string name;
    long long period_seconds = 60;
    // Delay of the very first run, counted from when the job's row is created (the first start of
    // any process): later starts keep the schedule the database holds.
    long long first_delay_seconds = 0;
    // The work; throws on failure. `now` is taken when the run starts.
    std::function<void(long long now)> run;
    // How long a claimed run keeps others out (a crashed process's run is taken over after it);
    // 0: the period, at least 60 s and at most an hour.
    long long lease_seconds = 0;
};

struct JobState {
    std::string name, last_error, lease_owner;
    long long period_seconds = 0, next_run_at = 0, last_run_at = 0, last_success_at = 0, runs = 0, failures = 0,
              lease_until = 0;
};

// Creates the job's row if missing (first run at now + first delay).
void ensure(store::Database& db, const Job& job, long long now);
// Claims the run of `job` due at `now` for `owner`; true when the caller must run it now.
bool claim(store::Database& db, const Job& job, const std::string& owner, long long now);
// Records the end of a claimed run: success (empty `error`) or failure (retried after
// min(period, 5 min)).
void finish(store::Database& db, const Job& job, const std::string& owner, long long now, const std::string& error);
// Every job's row, by name.
std::vector<JobState> list(store::Database& db);

// This process's identity in `lease_owner`: host name and process id.
std::string process_owner();

class Scheduler {
public:
    Scheduler(store::Database& db, std::string owner = process_owner());
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Declares a job; call before start().
    void add(Job job);
    void start();
    void stop();

    // True when the job's loop went round (claimed, ran or found nothing to do) within
    // `slack_seconds`, or started less than that ago: false when a run hangs or the loop died.
    bool alive(const std::string& name, long long slack_seconds) const;
    long long period(const std::string& name) const;

private:
    struct Slot {
        Job job;
        std::atomic<long long> heartbeat{0};
        std::thread thread;
    };
    void loop(Slot& slot);

    store::Database& db_;
    std::string owner_;
    std::vector<std::unique_ptr<Slot>> slots_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false, started_ = false;
};

}  // namespace dure::jobs
