#pragma once
// All SQL of the jobs list.
#include <string>
#include <vector>

#include "job_listings/jobs.hpp"
#include "catalog/model.hpp"
#include "store/database.hpp"

namespace dure::catalog {

class JobStore {
public:
    explicit JobStore(store::Database& db) : db_(db) {}

    // Writes an import in one transaction: for every source named in `jobs`, the rows of that
    // source become exactly these (jobs it no longer lists are removed). Importing the same
    // file twice leaves the same rows. Returns how many rows were written.
    std::size_t replace(long long district_id, const std::vector<Job>& jobs);

    // Jobs still open on `today` (valid_until ≥ today, YYYY-MM-DD), soonest closing first;
    // `q` matches title, employer, place or description (substring).
    Page<Job> list(long long district_id, const std::string& q, const std::string& today, long long offset,
                   long long limit);

private:
    store::Database& db_;
};

}  // namespace dure::catalog
