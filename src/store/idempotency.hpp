#pragma once
// Idempotent writes for every module: a client sends `Idempotency-Key`; the write and its answer
// are committed together, so a retry (a double tap, a lost response) replays the first answer and
// writes nothing. The key is scoped to its caller (identity::idempotency_key); the same key with a
// different body is refused (409, field Idempotency-Key). Two concurrent requests with one key:
// one commits, the other finds the unique key taken, rolls back and replays the first answer.
#include <functional>
#include <string>

#include "store/database.hpp"

namespace dure::store {

struct StoredAnswer {
    int status = 200;
    std::string body;       // the JSON answer
    bool replayed = false;  // true: an earlier request with this key wrote; nothing was written now
};

// Runs `write` in one write transaction and stores its answer under `key_hash` there. With an
// empty key_hash it just runs the write. `write` returns {status, body}.
StoredAnswer run_idempotent(Database& db, const std::string& key_hash, const std::string& request_hash,
                            const std::function<std::pair<int, std::string>(soci::session&)>& write);

}  // namespace dure::store
