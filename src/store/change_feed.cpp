#include "common/safe_error.hpp"
#include "store/change_feed.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <soci/soci.h>

#include <chrono>
#include <iostream>

namespace dure::store {

// In database.cpp: the libpq connection string of a postgresql:// URL.
std::string postgres_conninfo(const std::string& url);

namespace {

std::map<std::string, long long> read_generations(Database& db) {
    std::map<std::string, long long> out;
    db.read([&](soci::session& s) {
        std::string topic;
        long long gen = 0;
        soci::statement st = (s.prepare << "SELECT topic, generation FROM change_feed", soci::into(topic), soci::into(gen));
        st.execute();
        while (st.fetch()) out[topic] = gen;
    });
    return out;
}

// The same read on the LISTEN connection; false when the connection failed.
bool read_generations(PGconn* c, std::map<std::string, long long>& out) {
    PGresult* r = PQexec(c, "SELECT topic, generation FROM change_feed");
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (ok)
        for (int i = 0; i < PQntuples(r); ++i) out[PQgetvalue(r, i, 0)] = std::stoll(PQgetvalue(r, i, 1));
    PQclear(r);
    return ok;
}

std::mutex seen_mu;
std::map<std::string, long long> seen;

}  // namespace

long long seen_changes(const std::string& topic) {
    std::lock_guard lk(seen_mu);
    auto it = seen.find(topic);
    return it == seen.end() ? 0 : it->second;
}

ChangeFeed::ChangeFeed(Database& db, std::string url) : db_(db), url_(std::move(url)) {}

ChangeFeed::~ChangeFeed() { stop(); }

void ChangeFeed::subscribe(const std::string& topic, std::function<void()> on_change) {
    subscribers_[topic].push_back(std::move(on_change));
}

void ChangeFeed::start() {
    {
        auto now = read_generations(db_);
        std::lock_guard lk(gen_mu_);
        generations_ = std::move(now);
    }
    thread_ = std::thread([this] { run(); });
}

void ChangeFeed::stop() {
    {
        std::lock_guard lk(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ChangeFeed::publish(soci::session& s, Dialect dialect, const std::string& topic) {
    s << "UPDATE change_feed SET generation = generation + 1 WHERE topic = :t", soci::use(topic);
    if (dialect == Dialect::postgresql) s << "SELECT pg_notify('dure_changes', :t)", soci::use(topic);
}

long long ChangeFeed::generation(const std::string& topic) const {
    std::lock_guard lk(gen_mu_);
    auto it = generations_.find(topic);
    return it == generations_.end() ? 0 : it->second;
}

void ChangeFeed::catch_up(const std::map<std::string, long long>& now) {
    std::vector<std::string> moved;
    {
        std::lock_guard lk(gen_mu_);
        for (const auto& [topic, gen] : now) {
            auto& known = generations_[topic];
            if (known != gen) {
                known = gen;
                moved.push_back(topic);
            }
        }
    }
    for (const auto& topic : moved) {
        {
            std::lock_guard lk(seen_mu);
            ++seen[topic];
        }
        auto it = subscribers_.find(topic);
        if (it == subscribers_.end()) continue;
        for (const auto& fn : it->second) {
            try {
                fn();
            } catch (const std::exception& e) {
                std::cerr << "dure: change feed: " << topic << ": " << safe_what(e) << std::endl;
            }
        }
    }
}

void ChangeFeed::run() {
    if (db_.dialect() == Dialect::postgresql)
        run_postgresql();
    else
        run_sqlite();
}

void ChangeFeed::run_sqlite() {
    while (true) {
        {
            std::unique_lock lk(mu_);
            if (cv_.wait_for(lk, std::chrono::milliseconds(250), [this] { return stopping_; })) return;
        }
        try {
            catch_up(read_generations(db_));
        } catch (const std::exception& e) {
            std::cerr << "dure: change feed: " << safe_what(e) << std::endl;
        }
    }
}

void ChangeFeed::run_postgresql() {
    const std::string conninfo = postgres_conninfo(url_) + " application_name=dure_change_feed";
    auto stopping = [this] {
        std::lock_guard lk(mu_);
        return stopping_;
    };
    auto pause = [this](int ms) {
        std::unique_lock lk(mu_);
        cv_.wait_for(lk, std::chrono::milliseconds(ms), [this] { return stopping_; });
    };
    bool logged = false;
    while (!stopping()) {
        PGconn* c = PQconnectdb(conninfo.c_str());
        PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, "LISTEN dure_changes") : nullptr;
        bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
        if (r) PQclear(r);
        std::map<std::string, long long> gens;
        if (ok) ok = read_generations(c, gens);
        if (!ok) {
            if (!logged) std::cerr << "dure: change feed: cannot listen: " << PQerrorMessage(c) << std::flush;
            logged = true;
            PQfinish(c);
            pause(1000);
            continue;
        }
        logged = false;
        ++connects_;
        catch_up(gens);  // whatever changed while we were not listening
        auto last_read = std::chrono::steady_clock::now();
        while (!stopping()) {
            pollfd p{PQsocket(c), POLLIN, 0};
            ::poll(&p, 1, 250);
            if (!PQconsumeInput(c)) break;  // connection lost: reconnect and catch up
            bool any = false;
            while (PGnotify* n = PQnotifies(c)) {
                any = true;
                PQfreemem(n);
            }
            // A read every 10 s besides: cheap, and it notices a silently dead connection.
            if (any || std::chrono::steady_clock::now() - last_read > std::chrono::seconds(10)) {
                gens.clear();
                if (!read_generations(c, gens)) break;
                last_read = std::chrono::steady_clock::now();
                catch_up(gens);
            }
        }
        PQfinish(c);
    }
}

}  // namespace dure::store
