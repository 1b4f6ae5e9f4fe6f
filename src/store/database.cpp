#include "store/database.hpp"
#include "store/db_stats.hpp"

#include <cstdlib>
#include <string_view>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/url/parse.hpp>

#include <chrono>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace dure::store {

namespace {

// A fixed set of sessions handed out one caller at a time.
class SessionPool {
public:
    template <class Make>
    SessionPool(int n, Make make) {
        for (int i = 0; i < n; ++i) {
            sessions_.push_back(make());
            free_.push_back(static_cast<std::size_t>(i));
        }
    }

    template <class F>
    void with(F&& f, bool reconnect_if_needed) {
        std::size_t idx;
        {
            std::unique_lock lk(mu_);
            if (free_.empty()) {
                auto t0 = std::chrono::steady_clock::now();
                cv_.wait(lk, [&] { return !free_.empty(); });
                ++waits_;
                wait_us_ += std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count();
            }
            idx = free_.back();
            free_.pop_back();
        }
        struct Release {
            SessionPool* p;
            std::size_t i;
            ~Release() {
                {
                    std::lock_guard lk(p->mu_);
                    p->free_.push_back(i);
                }
                p->cv_.notify_one();
            }
        } release{this, idx};
        auto& s = *sessions_[idx];
        if (reconnect_if_needed && !s.is_connected()) s.reconnect();
        f(s);
    }

    long long waits() const { return waits_.load(); }
    double wait_seconds() const { return wait_us_.load() / 1e6; }

private:
    std::atomic<long long> waits_{0}, wait_us_{0};
    std::vector<std::unique_ptr<soci::session>> sessions_;
    std::vector<std::size_t> free_;
    std::mutex mu_;
    std::condition_variable cv_;
};

void run_in_transaction(soci::session& s, const std::function<void(soci::session&)>& fn) {
    soci::transaction tr(s);
    fn(s);
    tr.commit();
}

class SqliteDatabase final : public Database {
public:
    explicit SqliteDatabase(std::string path, int readers)
        : path_(std::move(path)),
          writer_(connect(false)),
          readers_(readers, [this] { return connect(true); }) {}

    Dialect dialect() const override { return Dialect::sqlite; }
    // Names the commit mode too, so the start-up line shows whether acknowledged writes survive a
    // power loss (tests/http/durability_kill.test.mjs checks it).
    std::string describe() const override {
        return "sqlite:" + path_ + (sync_full_ ? " (synchronous=FULL)" : " (synchronous=NORMAL)");
    }

    // Group commit (decision 0082): callers queue their write; whichever caller finds no batch
    // running becomes the leader, takes every write waiting (up to kMaxBatch) and runs them in ONE
    // transaction, each inside its own savepoint, so a write that throws is undone alone and its
    // caller gets its exception. One COMMIT (one fsync of the WAL under synchronous=FULL) then
    // acknowledges the whole batch; no caller returns before the commit that holds its write.
    // Writes that arrive while a batch commits wait for the next one, so batches grow with load and
    // a lone write is committed at once, as before.
    void write(const std::function<void(soci::session&)>& fn) override {
        Pending me{&fn};
        std::unique_lock lk(queue_mu_);
        me.queued = std::chrono::steady_clock::now();
        me.waits = leader_active_;
        queue_.push_back(&me);
        while (!me.done) {
            if (leader_active_) {
                queue_cv_.wait(lk);
                continue;
            }
            leader_active_ = true;
            std::vector<Pending*> batch;
            while (!queue_.empty() && batch.size() < kMaxBatch) {
                batch.push_back(queue_.front());
                queue_.pop_front();
            }
            lk.unlock();
            auto start = std::chrono::steady_clock::now();
            for (auto* p : batch)
                if (p->waits) {
                    ++writer_waits_;
                    writer_wait_us_ += std::chrono::duration_cast<std::chrono::microseconds>(start - p->queued).count();
                }
            run_batch(batch);
            lk.lock();
            for (auto* p : batch) p->done = true;
            leader_active_ = false;
            queue_cv_.notify_all();
        }
        lk.unlock();
        if (me.error) std::rethrow_exception(me.error);
    }
    DbStats stats() const {
        DbStats st;
        st.waits = writer_waits_.load() + readers_.waits();
        st.wait_seconds = writer_wait_us_.load() / 1e6 + readers_.wait_seconds();
        st.commits = commits_.load();
        st.grouped_writes = grouped_writes_.load();
        return st;
    }
    void write_bulk(const std::function<void(soci::session&)>& fn) override {
        std::lock_guard lk(writer_mu_);
        *writer_ << "PRAGMA foreign_keys=OFF";
        try {
            run_in_transaction(*writer_, fn);
        } catch (...) {
            *writer_ << "PRAGMA foreign_keys=ON";
            throw;
        }
        *writer_ << "PRAGMA foreign_keys=ON";
    }
    void read(const std::function<void(soci::session&)>& fn) override { readers_.with(fn, false); }

private:
    struct Pending {
        const std::function<void(soci::session&)>* fn;
        std::exception_ptr error;
        bool done = false;
        bool waits = false;  // a batch was running when it arrived
        std::chrono::steady_clock::time_point queued;
    };
    static constexpr std::size_t kMaxBatch = 64;

    void run_batch(const std::vector<Pending*>& batch) {
        std::lock_guard lk(writer_mu_);
        auto& s = *writer_;
        if (batch.size() == 1) {
            try {
                run_in_transaction(s, *batch[0]->fn);
                ++commits_;
                ++grouped_writes_;
            } catch (...) {
                batch[0]->error = std::current_exception();
            }
            return;
        }
        try {
            soci::transaction tr(s);
            for (auto* p : batch) {
                s << "SAVEPOINT dure_write";
                try {
                    (*p->fn)(s);
                    s << "RELEASE dure_write";
                } catch (...) {
                    p->error = std::current_exception();
                    // Undo this write only; the others in the batch go on. (When SQLite itself has
                    // already rolled the transaction back, this throws and fails the batch below.)
                    s << "ROLLBACK TO dure_write";
                    s << "RELEASE dure_write";
                }
            }
            tr.commit();
            ++commits_;
            for (auto* p : batch)
                if (!p->error) ++grouped_writes_;
        } catch (...) {
            // The batch's transaction could not be committed: none of its writes took effect, and
            // every caller that has no error of its own gets this one.
            auto e = std::current_exception();
            for (auto* p : batch)
                if (!p->error) p->error = e;
        }
    }

    std::unique_ptr<soci::session> connect(bool read_only) {
        auto s = std::make_unique<soci::session>(soci::sqlite3, "db=\"" + path_ + "\" timeout=10");
        *s << "PRAGMA busy_timeout=10000";
        if (!read_only) {
            *s << "PRAGMA journal_mode=WAL";
            // FULL: a commit is on disk (the WAL fsynced) before write() returns, so an
            // acknowledged write survives a power loss or an OS crash, not only a process crash
            // (NORMAL may lose the last commits; security review #11).
            // DURE_SQLITE_SYNCHRONOUS=normal trades that away for speed (the throw-away test
            // servers of tests/lib/server.mjs use it); anything else is FULL.
            const char* sync = std::getenv("DURE_SQLITE_SYNCHRONOUS");
            sync_full_ = !(sync && std::string_view(sync) == "normal");
            *s << (sync_full_ ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        }
        *s << "PRAGMA foreign_keys=ON";
        if (read_only) *s << "PRAGMA query_only=ON";
        return s;
    }

    std::string path_;
    bool sync_full_ = true;
    std::mutex queue_mu_;
    std::condition_variable queue_cv_;
    std::deque<Pending*> queue_;
    bool leader_active_ = false;
    std::atomic<long long> commits_{0}, grouped_writes_{0}, writer_waits_{0}, writer_wait_us_{0};
    std::mutex writer_mu_;
    std::unique_ptr<soci::session> writer_;
    SessionPool readers_;
};

// libpq keyword/value form of a postgresql:// URL. SOCI would strip the scheme itself and
// mangle the rest, so the URL is never passed through as is.
std::string libpq_conninfo(const std::string& url) {
    auto u = boost::urls::parse_uri(url);
    if (!u) throw std::invalid_argument("DURE_DB is not a valid postgresql:// URL");
    auto quote = [](std::string v) {
        std::string q = "'";
        for (char c : v) {
            if (c == '\\' || c == '\'') q += '\\';
            q += c;
        }
        return q + "'";
    };
    std::string out;
    auto add = [&](const std::string& k, const std::string& v) {
        if (!v.empty()) out += (out.empty() ? "" : " ") + k + "=" + quote(v);
    };
    add("host", std::string(u->encoded_host().empty() ? "" : u->host()));
    add("port", std::string(u->port()));
    add("user", std::string(u->user()));
    add("password", std::string(u->password()));
    std::string db(u->path());
    if (!db.empty() && db.front() == '/') db.erase(0, 1);
    add("dbname", db);
    for (auto p : u->params()) add(std::string(p.key), std::string(p.value));
    return out;
}

class PostgresDatabase final : public Database {
public:
    PostgresDatabase(std::string url, int n)
        : url_(std::move(url)),
          conninfo_(libpq_conninfo(url_)),
          pool_(n, [this] { return std::make_unique<soci::session>(soci::postgresql, conninfo_); }) {}

    Dialect dialect() const override { return Dialect::postgresql; }
    std::string describe() const override {
        auto at = url_.rfind('@');
        return at == std::string::npos ? url_ : "postgresql://…@" + url_.substr(at + 1);
    }
    void write(const std::function<void(soci::session&)>& fn) override {
        pool_.with([&](soci::session& s) { run_in_transaction(s, fn); }, true);
    }
    void read(const std::function<void(soci::session&)>& fn) override { pool_.with(fn, true); }
    DbStats stats() const {
        DbStats st;
        st.waits = pool_.waits();
        st.wait_seconds = pool_.wait_seconds();
        return st;
    }

private:
    std::string url_;
    std::string conninfo_;
    SessionPool pool_;
};

}  // namespace

std::string postgres_conninfo(const std::string& url) { return libpq_conninfo(url); }

DbStats db_stats(const Database& db) {
    if (auto* s = dynamic_cast<const SqliteDatabase*>(&db)) return s->stats();
    if (auto* p = dynamic_cast<const PostgresDatabase*>(&db)) return p->stats();
    return {};
}

std::unique_ptr<Database> Database::open(const std::string& url, int pool_size) {
    if (url.starts_with("sqlite:")) {
        std::string path = url.substr(7);
        if (path.empty()) throw std::invalid_argument("DURE_DB: sqlite: needs a file path");
        if (path.find('"') != std::string::npos) throw std::invalid_argument("DURE_DB: path may not contain quotes");
        // SQLite counts every allocation under a global mutex unless told not to; dure never reads
        // those counts. Only possible before SQLite initialises (later calls are refused: harmless).
        static const bool no_memstatus = [] {
            sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
            return true;
        }();
        (void)no_memstatus;
        return std::make_unique<SqliteDatabase>(path, pool_size);
    }
    if (url.starts_with("postgresql://") || url.starts_with("postgres://"))
        return std::make_unique<PostgresDatabase>(url, pool_size);
    throw std::invalid_argument("DURE_DB must be sqlite:PATH or postgresql://…, got '" + url + "'");
}

bool Database::ping() {
    try {
        long long one = 0;
        read([&](soci::session& s) { s << "SELECT 1", soci::into(one); });
        return one == 1;
    } catch (const std::exception&) {
        return false;
    }
}

long long now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool is_unique_violation(const std::exception& e) {
    if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) return pg->sqlstate() == "23505";
    std::string_view m = e.what();
    return m.find("UNIQUE constraint failed") != std::string_view::npos ||
           m.find("duplicate key value violates unique constraint") != std::string_view::npos;
}

}  // namespace dure::store
