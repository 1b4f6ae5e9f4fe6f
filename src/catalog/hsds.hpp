#pragma once
// Open Referral HSDS 3.0 for the catalogue: records to documents and back, the nested
// documents the HSDS API returns, and import/export of HSDS files (JSON and the CSV
// datapackage). Korean extensions travel as attributes of the "dure" taxonomy, whose terms
// name the extension (life_stage, topic …) and whose `value` holds the code.
#include <boost/json/object.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace dure::catalog {

class CatalogStore;

// --- Records and documents -------------------------------------------------------------------

// The record's HSDS document: its stored `hsds_json` (may be empty) with the record's fields
// written over it. Fields the record leaves as they were in the document stay untouched.
std::string service_document(const Service& s);
std::string organization_document(const Organization& o);
std::string facility_document(const Facility& f);
std::string service_at_location_document(const ServiceAtLocation& l);
std::string taxonomy_document(const Taxonomy& t);
std::string taxonomy_term_document(const TaxonomyTerm& t);

// A record read from an HSDS document; its hsds_json is the document.
Service service_from_document(const boost::json::object& doc, long long district_id);
Organization organization_from_document(const boost::json::object& doc, long long district_id);
Facility facility_from_document(const boost::json::object& doc, long long district_id);
ServiceAtLocation service_at_location_from_document(const boost::json::object& doc, long long district_id);
Taxonomy taxonomy_from_document(const boost::json::object& doc, long long district_id);
TaxonomyTerm taxonomy_term_from_document(const boost::json::object& doc, long long district_id);

// The "dure" taxonomy of a district and its terms, one per Korean extension.
Taxonomy dure_taxonomy(long long district_id);
std::vector<TaxonomyTerm> dure_terms(long long district_id);

// --- The HSDS API's documents ----------------------------------------------------------------

// {version, profile, openapi_url} for GET /hsds/.
boost::json::object api_info();
// A service with everything related: organization (with its locations), program,
// service_at_locations with their location, attributes with their taxonomy term.
boost::json::object full_service(CatalogStore& st, const Service& s);
// One-to-one fields only, with organization and program (HSDS service_list).
boost::json::object list_service(CatalogStore& st, const Service& s);
// An organization with its locations, programs and services (full or one-to-one fields).
boost::json::object full_organization(CatalogStore& st, const Organization& o, bool full_services);
boost::json::object list_organization(const Organization& o);
boost::json::object full_service_at_location(CatalogStore& st, const ServiceAtLocation& l);
boost::json::object list_service_at_location(CatalogStore& st, const ServiceAtLocation& l);
boost::json::object taxonomy_json(const Taxonomy& t);
boost::json::object taxonomy_term_json(CatalogStore& st, const TaxonomyTerm& t);

// --- Files -----------------------------------------------------------------------------------

// One problem found in an import file: `line` for CSV (1-based, where the record starts),
// `pointer` (RFC 6901) for JSON.
struct ImportError {
    std::string file;
    long long line = 0;
    std::string pointer;
    std::string field;
    std::string message;
};

// "services.csv:3: status: expected one of …" or "bad.json#/0/phones/0: number: …".
std::string describe(const ImportError& e);

struct ImportReport {
    std::map<std::string, long long> counts;  // records read per HSDS table, e.g. "service"
    std::vector<ImportError> errors;          // any error: nothing was imported
    std::vector<ImportError> warnings;        // imported anyway (e.g. a link to an absent record)
    bool ok() const { return errors.empty(); }
};

// Imports a JSON file (one record, an array, a paginated {contents: [...]} list or the
// tabular {"services.csv": [...]} form) or a CSV datapackage (a folder or its
// datapackage.json). Every row is checked first; with any error nothing is written.
// Records that exist are merged (the file's values win) and services get a new version.
ImportReport import_hsds(CatalogStore& st, long long district_id, const std::filesystem::path& path,
                         const std::string& changed_by = "import");

// Writes the district's catalogue as the HSDS CSV datapackage (datapackage.json and one CSV per
// table) plus services.json (an array of fully nested services).
void export_hsds(CatalogStore& st, long long district_id, const std::filesystem::path& dir);

// --- CSV (RFC 4180) --------------------------------------------------------------------------

struct CsvRow {
    long long line = 0;  // physical line where the record starts
    std::vector<std::string> cells;
};
// Parses CSV text: quoted fields with commas, doubled quotes and line breaks, CRLF or LF,
// a leading UTF-8 BOM. Throws std::runtime_error naming the line on an unterminated quote or
// text after a closing quote.
std::vector<CsvRow> parse_csv(std::string_view text);
// (parse_csv also drops the formula guard csv_record adds, see guard_cell in common/text.hpp.)
// One CSV record (no line break), quoting where needed; a cell that would start a spreadsheet
// formula (= + - @ tab CR, not a plain number) gets a leading ' (guard_cell).
std::string csv_record(const std::vector<std::string>& cells);

// Names of the HSDS tables in datapackage order ("organization", "program", "service" …) and
// each one's CSV columns, as in data/hsds-3.0/schema.
std::vector<std::string> hsds_tables();
std::vector<std::string> hsds_columns(const std::string& table);
std::string hsds_csv_path(const std::string& table);

}  // namespace dure::catalog
