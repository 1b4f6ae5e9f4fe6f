#include "common/safe_error.hpp"
#include "jobs/scheduler.hpp"

#include <soci/soci.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>

namespace dure::jobs {

using soci::into;
using soci::use;

namespace {

long long lease_of(const Job& job) {
    return job.lease_seconds > 0 ? job.lease_seconds : std::clamp(job.period_seconds, 60LL, 3600LL);
}

}  // namespace

std::string process_owner() {
    char host[256] = {0};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    return std::string(host) + ":" + std::to_string(::getpid());
}

void ensure(store::Database& db, const Job& job, long long now) {
    db.write([&](soci::session& s) {
        long long first = now + job.first_delay_seconds;
        s << "INSERT INTO scheduled_jobs (name, period_seconds, next_run_at) VALUES (:n, :p, :x) ON CONFLICT (name) DO NOTHING",
            use(job.name), use(job.period_seconds), use(first);
    });
}

bool claim(store::Database& db, const Job& job, const std::string& owner, long long now) {
    bool claimed = false;
    long long next_run = now + job.period_seconds, lease_until = now + lease_of(job);
    db.write([&](soci::session& s) {
        if (db.dialect() == store::Dialect::postgresql) {
            // Several processes poll at once: one gets the row, the others skip it at once.
            long long next = 0, lease = 0;
            s << "SELECT next_run_at, lease_until FROM scheduled_jobs WHERE name = :n FOR UPDATE SKIP LOCKED", into(next), into(lease),
                use(job.name);
            if (!s.got_data()) return;  // another process holds the row this instant, or no row yet
            if (next > now || lease > now) return;
        }
        // On SQLite this one statement is the claim (it takes the write lock before it reads).
        soci::statement st = (s.prepare << "UPDATE scheduled_jobs SET period_seconds = :p, last_run_at = :t, next_run_at = :x, "
                                           "lease_until = :l, lease_owner = :o, runs = runs + 1 WHERE name = :n AND "
                                           "next_run_at <= :t2 AND lease_until <= :t3",
                              use(job.period_seconds), use(now), use(next_run), use(lease_until), use(owner), use(job.name),
                              use(now), use(now));
        st.execute(true);
        claimed = st.get_affected_rows() == 1;
    });
    return claimed;
}

void finish(store::Database& db, const Job& job, const std::string& owner, long long now, const std::string& error) {
    db.write([&](soci::session& s) {
        if (error.empty()) {
            s << "UPDATE scheduled_jobs SET lease_until = 0, last_success_at = :t, last_error = '' WHERE name = :n AND lease_owner = :o",
                use(now), use(job.name), use(owner);
        } else {
            long long retry = now + std::min(job.period_seconds, 300LL);
            std::string e = error.substr(0, 500);
            s << "UPDATE scheduled_jobs SET lease_until = 0, failures = failures + 1, last_error = :e, next_run_at = CASE WHEN "
                 "next_run_at > :r THEN :r2 ELSE next_run_at END WHERE name = :n AND lease_owner = :o",
                use(e), use(retry), use(retry), use(job.name), use(owner);
        }
    });
}

std::vector<JobState> list(store::Database& db) {
    std::vector<JobState> out;
    db.read([&](soci::session& s) {
        JobState j;
        soci::statement st = (s.prepare << "SELECT name, period_seconds, next_run_at, last_run_at, last_success_at, last_error, "
                                           "runs, failures, lease_until, lease_owner FROM scheduled_jobs ORDER BY name",
                              into(j.name), into(j.period_seconds), into(j.next_run_at), into(j.last_run_at),
                              into(j.last_success_at), into(j.last_error), into(j.runs), into(j.failures), into(j.lease_until),
                              into(j.lease_owner));
        st.execute();
        while (st.fetch()) out.push_back(j);
    });
    return out;
}

Scheduler::Scheduler(store::Database& db, std::string owner) : db_(db), owner_(std::move(owner)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::add(Job job) {
    std::lock_guard lk(mu_);
    if (started_) throw std::logic_error("jobs are declared before the scheduler starts");
    auto slot = std::make_unique<Slot>();
    slot->job = std::move(job);
    slots_.push_back(std::move(slot));
}

void Scheduler::start() {
    std::lock_guard lk(mu_);
    if (started_) return;
    started_ = true;
    long long now = store::now_unix();
    for (auto& slot : slots_) {
        slot->heartbeat = now;
        slot->thread = std::thread([this, s = slot.get()] { loop(*s); });
    }
}

void Scheduler::stop() {
    {
        std::lock_guard lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    for (auto& slot : slots_)
        if (slot->thread.joinable()) slot->thread.join();
}

void Scheduler::loop(Slot& slot) {
    const Job& job = slot.job;
    // Polls the job's row a few times per period (at most every 5 s): cheap, and a due run
    // starts soon after it is due on whichever process looks first.
    auto poll = std::chrono::milliseconds(std::clamp(job.period_seconds * 1000 / 4, 200LL, 5000LL));
    bool ensured = false;
    std::string last_logged;
    while (true) {
        long long now = store::now_unix();
        std::string error;
        bool ran = false;
        try {
            if (!ensured) {
                ensure(db_, job, now);
                ensured = true;
            }
            if (claim(db_, job, owner_, now)) {
                ran = true;
                try {
                    job.run(now);
                } catch (const std::exception& e) {
                    error = safe_what(e);
                    if (error.empty()) error = "failed";
                }
                finish(db_, job, owner_, store::now_unix(), error);
            }
        } catch (const std::exception& e) {  // the database itself: try again at the next poll
            error = safe_what(e);
        }
        if (!error.empty() && error != last_logged) std::cerr << "dure: job " << job.name << ": " << error << std::endl;
        last_logged = error.empty() && ran ? std::string() : (error.empty() ? last_logged : error);
        slot.heartbeat = store::now_unix();
        std::unique_lock lk(mu_);
        if (cv_.wait_for(lk, poll, [this] { return stopping_; })) return;
    }
}

bool Scheduler::alive(const std::string& name, long long slack_seconds) const {
    long long now = store::now_unix();
    for (const auto& slot : slots_)
        if (slot->job.name == name) return now - slot->heartbeat.load() <= slack_seconds;
    return false;
}

long long Scheduler::period(const std::string& name) const {
    for (const auto& slot : slots_)
        if (slot->job.name == name) return slot->job.period_seconds;
    return 0;
}

}  // namespace dure::jobs
