#include "store/database.hpp"

#include <cstdlib>
#include <string_view>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/url/parse.hpp>

#include <chrono>
#include <condition_variable>
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
            cv_.wait(lk, [&] { return !free_.empty(); });
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

private:
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

    void write(const std::function<void(soci::session&)>& fn) override {
        std::lock_guard lk(writer_mu_);
        run_in_transaction(*writer_, fn);
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

private:
    std::string url_;
    std::string conninfo_;
    SessionPool pool_;
};

}  // namespace

std::string postgres_conninfo(const std::string& url) { return libpq_conninfo(url); }

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
