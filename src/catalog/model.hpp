#pragma once
// Plain types of the welfare-service catalogue: services, the organizations that run them and
// the facilities (locations) where they are delivered. Aligned with Open Referral HSDS 3.0;
// the Korean extensions (provider level, life stages, household situations, topics, program
// code, application channels) are fields of their own. Each record also keeps the HSDS
// document it came from (`hsds_json`), so import and export lose nothing.
#include <optional>
#include <string>
#include <vector>

namespace dure::catalog {

// Who provides a service: 중앙부처 / 광역(시·도) / 기초(시·군·구) / 민간.
inline constexpr const char* kProviderLevels[] = {"national", "metropolitan", "district", "private"};

struct Organization {
    std::string id;  // UUID
    long long district_id = 0;
    std::string name, alternate_name, description, email, website;
    std::string hsds_json;  // full HSDS organization document
    long long updated_at = 0;
};

struct Service {
    std::string id;  // UUID
    long long district_id = 0;
    std::string organization_id;
    std::string name, alternate_name, description, url, email;
    std::string status = "active";  // HSDS: active, inactive, defunct, temporarily closed
    std::string application_process, eligibility_description, fees_description;
    std::optional<int> minimum_age, maximum_age;
    // Korean extensions.
    std::string program_code;    // stable code where one exists, e.g. "basic_pension"; empty otherwise
    std::string provider_level;  // one of kProviderLevels
    std::vector<std::string> life_stages;  // codes of data/catalog/taxonomy.json "life_stage"
    std::vector<std::string> situations;   // codes of "situation"
    std::vector<std::string> topics;       // codes of "topic"
    std::vector<std::string> keywords;     // extra search words (Korean as people type it)
    std::vector<std::string> channels;     // "online", "visit", "phone", "mail"
    std::string application_period;        // free text, e.g. "연중", "매년 3월"
    std::vector<long long> dong_ids;       // where it applies; empty = the whole district
    std::string last_verified;             // YYYY-MM-DD: an official confirmed it is current
    std::string source;                    // where the information comes from (URL or law)
    std::string hsds_json;                 // full HSDS service document
    long long version = 0;
    long long updated_at = 0;
    std::string verified_by;  // who set last_verified (account or tool)
    long long created_at = 0;
};

// One saved state of a service: every create, edit, verification and retirement adds one.
struct ServiceVersion {
    std::string service_id;
    long long version = 0;
    std::string changed_by;  // account ("account:12") or tool ("import")
    long long changed_at = 0;
    std::string change_note;
    std::string hsds_json;  // the service document as it was saved
};

// A place where services are delivered (HSDS location) with the Korean facility attributes.
struct Facility {
    std::string id;  // UUID
    long long district_id = 0;
    long long dong_id = 0;
    std::string organization_id;
    std::string type;  // 노인복지관, 종합사회복지관, 경로당, 어린이집, 행정복지센터 … (data/catalog/taxonomy.json "facility_type")
    std::string name, description, address, phone, hours;
    double latitude = 0, longitude = 0;
    int capacity = 0;
    std::vector<std::string> accessibility;  // e.g. "wheelchair", "elevator", "braille"
    std::vector<std::string> service_ids;    // services offered here (HSDS service_at_location)
    std::string hsds_json;                   // full HSDS location document
    long long updated_at = 0;
};

// HSDS service_at_location: a service offered at a facility.
struct ServiceAtLocation {
    std::string id;  // UUID
    long long district_id = 0;
    std::string service_id, location_id, description;
    std::string hsds_json;
    long long updated_at = 0;
};

// HSDS taxonomy (a vocabulary) and its terms.
struct Taxonomy {
    std::string id;  // UUID
    long long district_id = 0;
    std::string name, description, uri, version;
    std::string hsds_json;
    long long updated_at = 0;
};

struct TaxonomyTerm {
    std::string id;  // UUID
    long long district_id = 0;
    std::string taxonomy_id, parent_id, code, name, description;
    std::string hsds_json;
    long long updated_at = 0;
};

// An HSDS record kept as-is because no catalogue record owns it (e.g. a program whose
// organization is absent, meta_table_description rows), so export still returns it.
struct HsdsRecord {
    std::string kind;  // HSDS schema name, e.g. "program"
    std::string id;
    long long district_id = 0;
    std::string hsds_json;
};

// One page of a list and the number of items of all pages.
template <class T>
struct Page {
    std::vector<T> items;
    long long total = 0;
};

}  // namespace dure::catalog
