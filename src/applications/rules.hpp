#pragma once
// Online applications, the pure part (no database, no network): application forms as data
// (data/applications/*.json), the validation of a resident's answers against a form, the upload
// checks (type by magic bytes, size) and the status an application may move to. Tested by
// rules_test.cpp with plain unit tests.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "common/error.hpp"

namespace dure::applications {

// One question of a form. type: text, textarea, number, choice, date, phone, yes_no.
struct Field {
    std::string code, type, label_ko, label_en, help_ko;
    bool required = false;
    long long min = 0, max = 0;  // number: bounds; text/textarea: max characters (max)
    std::vector<std::string> choices;  // choice: the allowed values (shown as they are, in Korean)
};

// A document the applicant uploads (PDF, JPEG or PNG).
struct Document {
    std::string code, label_ko, label_en;
    bool required = false;
};

// A consent the applicant gives: what for, which items, how long they are kept, and its legal basis
// (개인정보 보호법 제15조제2항 names the four things to tell: purpose, items, retention, right to refuse).
struct Consent {
    std::string code, purpose_ko, items_ko, retention_ko, basis;
    bool required = true;
};

struct Form {
    std::string code, title_ko, title_en, summary_ko, provider_kind, provider_ko, version;
    std::vector<std::string> service_names;  // catalogue services this form applies for (exact names)
    std::vector<std::string> program_codes;  // or programs by code
    std::vector<Field> fields;
    std::vector<Document> documents;
    std::vector<Consent> consents;
    std::string source;  // where the form's rules come from
    const Field* field(std::string_view code) const;
    const Document* document(std::string_view code) const;
};

// A national program applied for elsewhere (e.g. 복지로): what to prepare, never a form here.
struct Handover {
    std::string program_code, name_ko, portal_name, portal_url, legal_basis, source;
    std::vector<std::string> checklist;
};

// Parses one form file; throws std::runtime_error naming what is wrong.
Form parse_form(std::string_view json_text);
// Every embedded form (data/applications/forms/*.json), checked once.
const std::vector<Form>& embedded_forms();
const Form* find_form(std::string_view code);
const std::vector<Handover>& embedded_handovers();
const Handover* find_handover(std::string_view program_code);

// Checks `answers` (an object of field code → value) and `consents` (consent code → true/false)
// against the form. A draft (`complete` false) may leave required fields out; a submission may
// not. Adds one FieldError per problem, named "answers.<code>" or "consents.<code>".
void validate_answers(const Form& form, const boost::json::object& answers, bool complete, FieldErrors& errors);
void validate_consents(const Form& form, const boost::json::object& consents, bool complete, FieldErrors& errors);
// At submission: every required document uploaded ("documents.<code>" errors).
void validate_documents(const Form& form, const std::vector<std::string>& uploaded_codes, FieldErrors& errors);

// The file types an applicant may upload, told by their first bytes (not by name or header).
// Returns "application/pdf", "image/jpeg", "image/png", or nullopt.
std::optional<std::string> sniff_type(std::string_view bytes);
// The largest file accepted (bytes); DURE_APPLICATION_FILE_MAX overrides (within the body limit).
inline constexpr long long kDefaultFileMax = 1000000;

// Statuses: draft → received → under_review → more_documents → received … → decided.
enum class Step { submit, review, request_documents, decide };
// True when `step` may be taken from `status` (a person takes every step; nothing decides alone).
bool allowed(std::string_view status, Step step);
// The status after the step.
std::string next_status(Step step);
// The resident-facing Korean name of a status.
std::string status_ko(std::string_view status);

// A receipt number: the submission year (Seoul) and the application's number, e.g. 2026-000042.
std::string receipt_number(int year, long long id);

}  // namespace dure::applications
