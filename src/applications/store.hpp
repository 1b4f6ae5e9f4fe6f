#pragma once
// The applications store: every SQL statement of the module. Personal content is sealed with
// identity::Keyring before it is written and opened after it is read; a status change, its event
// row and the resident's notice (notify::enqueue) are one transaction.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "applications/rules.hpp"

namespace dure::store {
class Database;
}
namespace dure::identity {
class Keyring;
}

namespace dure::applications {

struct Application {
    long long id = 0, district_id = 0, dong_id = 0, account_id = 0, on_behalf_by = 0;
    std::string form_code, form_version;
    std::string resident_json;  // on behalf: {"name","phone"} of the offline resident ("" otherwise)
    std::string consent_method;  // on behalf: written, phone, visit
    long long consent_at = 0;
    std::string consent_json;  // on behalf: {"given_by","note"}
    std::string answers_json = "{}", consents_json = "{}";
    std::string status = "draft", decision, decision_reason, request_note;
    std::string receipt_no;
    long long created_at = 0, updated_at = 0, submitted_at = 0, decided_at = 0, decided_by = 0;
};

struct FileInfo {
    long long id = 0, application_id = 0, size = 0, uploaded_by = 0, uploaded_at = 0;
    std::string document_code, content_type, sha256;
};

struct Event {
    long long at = 0, actor = 0;
    std::string status, note;
};

// One step a person takes on an application.
struct Transition {
    Step step = Step::submit;
    long long actor = 0;
    std::string note;      // request_documents: what is needed; decide: the written reason
    std::string decision;  // decide: approved or rejected
    std::string form_title;  // for the resident's notice
    // Runs inside the transaction before the change (submission checks); throws to refuse.
    std::function<void(const Application&, const std::vector<std::string>& document_codes)> check;
};

class ApplicationStore {
public:
    ApplicationStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    long long create(const Application& a, long long now);
    std::optional<Application> get(long long id);
    std::vector<Application> of_account(long long account_id);
    // Submitted applications of a district (never drafts), optionally of one status.
    std::vector<Application> queue(long long district_id, const std::string& status);
    // Saves a draft's answers and consents (409 once it is submitted).
    void save_draft(long long id, const std::string& answers_json, const std::string& consents_json, long long dong_id,
                    long long now);
    // Stores an uploaded document (409 unless the application is a draft or awaits documents).
    FileInfo add_file(long long application_id, const std::string& document_code, const std::string& content_type,
                      const std::string& bytes, long long by, long long now);
    std::vector<FileInfo> files(long long application_id);
    // The file's bytes (decrypted); nullopt when it is not this application's.
    std::optional<std::pair<FileInfo, std::string>> file(long long application_id, long long file_id);
    std::vector<Event> events(long long application_id);
    // Takes the step (409 when the status does not allow it or changed meanwhile); returns the result.
    Application apply(long long id, const Transition& t, long long now);

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::applications
