#pragma once
// All SQL of the catalogue: organizations, services with their version history, facilities,
// service_at_location links, taxonomies and terms, and HSDS records no row owns. Every write
// keeps a record's columns and its HSDS document (`hsds_json`) in step (see hsds.hpp).
#include <optional>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "store/database.hpp"

namespace dure::catalog {

// Filters of the service list (HSDS /services). Empty strings do not filter.
struct ServiceQuery {
    std::string search;            // substring of the name (case-insensitive for ASCII)
    std::string organization_id;
    std::string taxonomy_term_id;  // services with an attribute of this term
    long long offset = 0, limit = 50;
};

// Filters of the facility list. `near_radius_m > 0` keeps facilities within that many metres
// of (near_lat, near_lon), nearest first.
struct FacilityQuery {
    std::string type;
    long long dong_id = 0;  // 0: any dong
    std::string organization_id;
    std::string search;
    double near_lat = 0, near_lon = 0, near_radius_m = 0;
    long long offset = 0, limit = 50;
};

struct TermQuery {
    std::string taxonomy_id, parent_id, search;
    bool top_only = false;  // terms without a parent
    long long offset = 0, limit = 50;
};

// Records written together in one transaction (an import): all or nothing.
struct CatalogBatch {
    std::vector<Organization> organizations;
    std::vector<Service> services;
    std::vector<Facility> facilities;
    std::vector<ServiceAtLocation> service_at_locations;
    std::vector<Taxonomy> taxonomies;
    std::vector<TaxonomyTerm> taxonomy_terms;
    std::vector<HsdsRecord> records;
};

class CatalogStore {
public:
    explicit CatalogStore(store::Database& db) : db_(db) {}

    // Organizations. Upsert creates the id when empty and returns it; an id owned by another
    // district is a conflict.
    std::string upsert_organization(Organization o);
    std::optional<Organization> organization(const std::string& id);
    Page<Organization> organizations(long long district_id, const std::string& search, long long offset,
                                     long long limit);

    // Services. create() assigns the id when empty and sets version 1. update() and retire()
    // take the version the caller read and throw ErrorKind::conflict when it is stale; both
    // bump the version and keep the previous state in service_versions. `by` names who acted.
    Service create_service(Service s, const std::string& by, const std::string& note = "created");
    Service update_service(Service s, long long expected_version, const std::string& by, const std::string& note);
    // Sets the status to "defunct" (HSDS); the service stays listed with that status.
    Service retire_service(const std::string& id, long long expected_version, const std::string& by,
                           const std::string& note);
    // Records that an official confirmed the service is current on `date` (YYYY-MM-DD).
    Service mark_verified(const std::string& id, const std::string& date, const std::string& by);
    std::optional<Service> service(const std::string& id);
    // Every service of a district, whatever its status (for the search index), by name.
    std::vector<Service> services(long long district_id);
    // The services of a district written at or after `since` (Unix seconds), for following
    // changes made by other processes (services are never deleted, only retired).
    std::vector<Service> services_updated_since(long long district_id, long long since);
    Page<Service> list_services(long long district_id, const ServiceQuery& q);
    std::vector<ServiceVersion> service_versions(const std::string& id);
    // Active services whose last_verified is empty or more than `months` months before `today`
    // (YYYY-MM-DD), oldest first.
    std::vector<Service> freshness_queue(long long district_id, const std::string& today, int months = 12);

    // Facilities (HSDS locations).
    std::string upsert_facility(Facility f);
    std::optional<Facility> facility(const std::string& id);
    Page<Facility> facilities(long long district_id, const FacilityQuery& q);

    // Service-at-location links.
    std::string upsert_service_at_location(ServiceAtLocation l);
    std::optional<ServiceAtLocation> service_at_location(const std::string& id);
    // Links of a district; non-empty service_id / location_id / organization_id narrow it.
    Page<ServiceAtLocation> service_at_locations(long long district_id, const std::string& service_id,
                                                 const std::string& location_id, const std::string& organization_id,
                                                 const std::string& search, long long offset, long long limit);

    // Taxonomies and terms.
    std::string upsert_taxonomy(Taxonomy t);
    std::optional<Taxonomy> taxonomy(const std::string& id);
    Page<Taxonomy> taxonomies(long long district_id, const std::string& search, long long offset, long long limit);
    std::string upsert_taxonomy_term(TaxonomyTerm t);
    std::optional<TaxonomyTerm> taxonomy_term(const std::string& id);
    Page<TaxonomyTerm> taxonomy_terms(long long district_id, const TermQuery& q);

    // HSDS records kept as they came.
    std::vector<HsdsRecord> records(long long district_id);

    // Writes a batch in one transaction: services that exist are updated (version bumped).
    void apply(CatalogBatch batch, const std::string& by, const std::string& note);

private:
    store::Database& db_;
};

// A random UUID v4 (libsodium randombytes).
std::string new_uuid();
// True for the 8-4-4-4-12 hexadecimal form.
bool is_uuid(std::string_view s);
// Great-circle distance in metres.
double haversine_m(double lat1, double lon1, double lat2, double lon2);
// `date` (YYYY-MM-DD) minus `months` months, the day clamped to the month's length.
std::string months_before(const std::string& date, int months);
// True for a real calendar date written YYYY-MM-DD.
bool is_date(std::string_view s);

}  // namespace dure::catalog
