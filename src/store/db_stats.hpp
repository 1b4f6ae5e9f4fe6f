#pragma once
// Counters of a store::Database since it was opened, for /metrics and benchmarks.
#include "store/database.hpp"

namespace dure::store {

struct DbStats {
    long long waits = 0;           // calls that found no free connection (SQLite writes: a batch running) and waited
    double wait_seconds = 0;       // total time they waited
    long long commits = 0;         // SQLite: write transactions committed (one per group-commit batch)
    long long grouped_writes = 0;  // SQLite: writes committed in those transactions
};

DbStats db_stats(const Database& db);

}  // namespace dure::store
