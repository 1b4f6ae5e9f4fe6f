#pragma once
// HTTP routes of the giving module (docs/giving.md, docs/api.md): parse, authorize, call the
// store, answer. Every write takes an Idempotency-Key and answers after commit.
#include <string>
#include <vector>

#include "giving/rules.hpp"
#include "http/router.hpp"

namespace dure::app {
struct Platform;
}

namespace dure::giving {

class GivingStore;
struct YearEndRow;

void register_routes(http::Router& router, GivingStore& store, app::Platform& p);

// The public ledger as CSV (columns = rules::ledger_line fields, then prev_hash, hash), with the
// spreadsheet formula guard on text cells.
std::string ledger_csv(const std::vector<LedgerEntry>& entries);

// The year-end export (docs/giving.md "Year-end export"): one line per receipt that is not void,
// text cells formula-guarded.
std::string year_end_csv(const std::vector<YearEndRow>& rows);

}  // namespace dure::giving
