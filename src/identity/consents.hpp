#pragma once
// Consents a resident gives (issue 16): the texts with their versions, from
// data/privacy/consents.json, and the rules for a sign-up's list of consents. Pure logic: no
// database. The records live in consent_records (src/identity/consent_store.hpp).
#include <boost/json/fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace dure::identity {

struct ConsentText {
    std::string kind, version;
    bool required = false;
    std::string title_ko, title_en;
    std::vector<std::string> items_ko, items_en;
    std::string withdraw;  // "account_deletion" (required ones: leaving is the withdrawal) or "any_time"
    std::string sha256;    // of the text as shown: titles and items, both languages
};

class ConsentCatalog {
public:
    // Throws std::runtime_error naming what is wrong (a kind twice, no version, ...).
    static ConsentCatalog parse(std::string_view json_text);
    static const ConsentCatalog& embedded();

    const std::vector<ConsentText>& all() const { return texts_; }
    const ConsentText* find(std::string_view kind) const;
    const std::string& source() const { return source_; }

private:
    std::vector<ConsentText> texts_;
    std::string source_;
};

// One consent as a sign-up or a resident states it: the kind and the version they were shown.
struct ConsentGiven {
    std::string kind, version;
};

// Checks a sign-up's consents: every kind known, each version the current one (an old page
// must be reloaded), no kind twice, and every required kind present. Errors name the field
// `consents` (codes unknown_consent, outdated_version, repeated, required_consent).
void check_signup_consents(const ConsentCatalog& cat, const std::vector<ConsentGiven>& given, FieldErrors& errors);

// A sign-up's "consents": [{kind, version}, ...]; shape errors name the field `consents`.
std::vector<ConsentGiven> read_consents(const boost::json::value& v, FieldErrors& errors);

}  // namespace dure::identity
