#pragma once
// The JSON answer of a simulation (shared by the HTTP API and `dure eligibility test`).
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "eligibility/engine.hpp"

namespace dure::eligibility {

// A catalogue service that names a program code (so programs without rules can be listed as
// not_computed, and results can link to the service page).
struct CatalogProgram {
    std::string code, service_id, name;
};

// The whole answer: date, computed variables, one result per program (rules first, then the
// catalogue's programs without rules as not_computed), and the distinct questions that would
// decide the undetermined ones, most useful first.
boost::json::object simulation_json(const Rules& rules, Days date, HouseholdView h, const Evaluation& e,
                                    const std::vector<CatalogProgram>& catalog, bool trace);

boost::json::object ask_json(const Rules& rules, const Ask& a);

}  // namespace dure::eligibility
