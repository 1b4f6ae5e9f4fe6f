#pragma once
// Database sessions for every module's store. SQLite (embedded default): one writer connection
// and a few readers, WAL. PostgreSQL: a pool of connections used for both. Callers pass a
// function that receives a `soci::session&`; writes run inside a transaction that commits when
// the function returns and rolls back when it throws. Calls block: run them on the worker pool.
#include <functional>
#include <memory>
#include <string>

namespace soci {
class session;
}

namespace dure::store {

enum class Dialect { sqlite, postgresql };

class Database {
public:
    // `url` is `sqlite:PATH` or `postgresql://…` (or `postgres://…`). Throws on a bad URL or
    // when the database cannot be reached.
    static std::unique_ptr<Database> open(const std::string& url, int pool_size = 4);
    virtual ~Database() = default;

    virtual Dialect dialect() const = 0;
    // A description without credentials, for logs.
    virtual std::string describe() const = 0;

    // Runs `fn` in a write transaction.
    virtual void write(const std::function<void(soci::session&)>& fn) = 0;
    // Runs `fn` in a write transaction for a bulk load whose references the caller has checked
    // itself inside `fn`: on SQLite, foreign-key enforcement is off for that one transaction (it
    // costs a parent lookup per row, and cannot be switched inside a transaction). PostgreSQL
    // keeps its checks. Other writers wait as for `write`.
    virtual void write_bulk(const std::function<void(soci::session&)>& fn) { write(fn); }
    // Runs `fn` on a read connection (no transaction unless `fn` opens one).
    virtual void read(const std::function<void(soci::session&)>& fn) = 0;
    // True when a trivial query succeeds.
    bool ping();
};

// Applies every embedded migration not yet applied, in order; returns how many ran.
int migrate(Database& db);

// Seconds since the Unix epoch, UTC. Stores keep times as integers of this.
long long now_unix();

// True when `e` is a database error for a UNIQUE constraint (PostgreSQL SQLSTATE 23505, SQLite
// SQLITE_CONSTRAINT_UNIQUE): two writers raced to create the same row.
bool is_unique_violation(const std::exception& e);

// Splits one migration file into statements for `dialect`. Exposed for tests.
// Lines `-- dialect: sqlite|postgresql|all` select the statements that follow;
// `{{ID}}` becomes the dialect's auto-increment primary key.
std::vector<std::string> migration_statements(std::string_view text, Dialect dialect);

}  // namespace dure::store
