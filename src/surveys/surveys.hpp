#pragma once
// Field surveys: questionnaires as data (data/outreach/surveys/*.json), answers checked against
// them, flags raised by answers (food, health, isolation, arrears, energy, mental health, wants
// help), and the aggregate report a district publishes (surveyed, newly discovered, supported).
#include <boost/json/fwd.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/router.hpp"
#include "identity/crypto.hpp"
#include "identity/service.hpp"
#include "store/database.hpp"

namespace dure::surveys {

struct Option {
    std::string code, label_ko, label_en, flag;
    bool urgent = false;
};
struct Question {
    std::string code, type, text_ko, text_en, flag;  // flag: for bool / number rules
    bool required = false, flag_if_true = false, flag_if_false = false;
    double min = 0, max = 0, flag_if_at_least = -1;
    std::size_t max_chars = 1000;
    std::vector<Option> options;
};
struct Questionnaire {
    std::string code, title_ko, title_en, about;
    int min_age = 0;
    std::vector<Question> questions;
    static Questionnaire parse(std::string_view json_text);
};

// All questionnaires shipped in the binary, by code.
const std::map<std::string, Questionnaire>& questionnaires();

struct Checked {
    std::vector<std::string> flags;  // distinct, in question order
    bool urgent = false;
};
// Checks `answers` (an object keyed by question code) against the questionnaire; errors are named
// `answers.<code>`.
Checked check_answers(const Questionnaire& q, const boost::json::value& answers, FieldErrors& errors);

void register_routes(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids, std::function<long long()> default_district);
// The published report: snapshots an official publishes, and the public report they serve
// (report_api.cpp; called by register_routes).
void add_report_routes(http::Router& router, store::Database& db, identity::IdentityService& ids,
                       std::function<long long()> default_district);

}  // namespace dure::surveys
