#pragma once
// Demo disclosures, news and jobs for the demo district, and `dure import jobs PATH`.
#include <string>

#include "disclosures/disclosure_api.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"

namespace dure::cli {

// For 한빛노인종합복지관: an approved budget and settlement of the previous fiscal year and a
// submitted budget of the current one; ten news items; the jobs of data/catalog/demo-jobs.json
// (their dates moved so they are open today). A second run leaves what exists.
void load_demo_disclosures(store::Database& db, identity::IdentityStore& identity);

// Imports a CSV or JSON jobs file into a district (empty code: the first one), all or nothing.
// Prints what it did or every bad row with its line and field; returns the exit status.
int import_jobs(store::Database& db, identity::IdentityStore& identity, const std::string& path,
                const std::string& district_code);

}  // namespace dure::cli
