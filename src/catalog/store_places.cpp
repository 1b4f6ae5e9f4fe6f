// The catalogue store: facilities, services at locations, taxonomies and terms, other HSDS records,
// and batches of them (an import).
#include "catalog/store.hpp"
#include "catalog/store_rows.hpp"

#include <sodium.h>
#include <soci/soci.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <deque>
#include <functional>
#include <mutex>
#include <set>

#include "catalog/hsds.hpp"
#include "common/error.hpp"

namespace dure::catalog {

namespace json = boost::json;
using soci::into;
using soci::use;
using namespace store_rows;

// --- facilities ------------------------------------------------------------------------------

std::string CatalogStore::upsert_facility(Facility f) {
    db_.write([&](soci::session& s) { upsert_facility_in(s, f); });
    return f.id;
}

std::optional<Facility> CatalogStore::facility(const std::string& id) {
    std::vector<Facility> out;
    db_.read([&](soci::session& s) {
        FacilityRow row;
        select(s, std::string("SELECT ") + kFacilityColumns + " FROM facilities WHERE id = ?", Params().text(id), row,
               [&](Facility f) { out.push_back(std::move(f)); });
        attach_service_ids(s, out);
    });
    if (out.empty()) return std::nullopt;
    return out[0];
}

Page<Facility> CatalogStore::facilities(long long district_id, const FacilityQuery& q) {
    std::string sql = std::string("SELECT ") + kFacilityColumns + " FROM facilities WHERE district_id = ?";
    Params p;
    p.integer(district_id);
    if (!q.type.empty()) {
        sql += " AND type = ?";
        p.text(q.type);
    }
    if (q.dong_id) {
        sql += " AND dong_id = ?";
        p.integer(q.dong_id);
    }
    if (!q.organization_id.empty()) {
        sql += " AND organization_id = ?";
        p.text(q.organization_id);
    }
    if (!q.search.empty()) {
        sql += " AND LOWER(name) LIKE ? ESCAPE '\\'";
        p.text(like_pattern(q.search));
    }
    std::vector<Facility> all;
    db_.read([&](soci::session& s) {
        FacilityRow row;
        select(s, sql + " ORDER BY name, id", p, row, [&](Facility f) { all.push_back(std::move(f)); });
    });
    // Distance is computed here, not in SQL: both dialects, no extension needed.
    if (q.near_radius_m > 0) {
        std::vector<std::pair<double, Facility>> near;
        for (auto& f : all) {
            if (f.latitude == 0 && f.longitude == 0) continue;
            double d = haversine_m(q.near_lat, q.near_lon, f.latitude, f.longitude);
            if (d <= q.near_radius_m) near.emplace_back(d, std::move(f));
        }
        std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        all.clear();
        for (auto& n : near) all.push_back(std::move(n.second));
    }
    Page<Facility> page;
    page.total = static_cast<long long>(all.size());
    long long end = std::min<long long>(page.total, q.offset + std::max<long long>(0, q.limit));
    for (long long i = std::max<long long>(0, q.offset); i < end; ++i) page.items.push_back(std::move(all[i]));
    db_.read([&](soci::session& s) { attach_service_ids(s, page.items); });
    return page;
}

// --- service_at_location ---------------------------------------------------------------------

std::string CatalogStore::upsert_service_at_location(ServiceAtLocation l) {
    db_.write([&](soci::session& s) { upsert_sal_in(s, l); });
    return l.id;
}

std::optional<ServiceAtLocation> CatalogStore::service_at_location(const std::string& id) {
    std::optional<ServiceAtLocation> out;
    db_.read([&](soci::session& s) {
        SalRow row;
        select(s, std::string("SELECT ") + kSalColumns + " FROM service_at_locations WHERE id = ?", Params().text(id),
               row, [&](ServiceAtLocation l) { out = std::move(l); });
    });
    return out;
}

Page<ServiceAtLocation> CatalogStore::service_at_locations(long long district_id, const std::string& service_id,
                                                           const std::string& location_id,
                                                           const std::string& organization_id,
                                                           const std::string& search, long long offset,
                                                           long long limit) {
    std::string where = " FROM service_at_locations l WHERE l.district_id = ?";
    Params p;
    p.integer(district_id);
    if (!service_id.empty()) {
        where += " AND l.service_id = ?";
        p.text(service_id);
    }
    if (!location_id.empty()) {
        where += " AND l.location_id = ?";
        p.text(location_id);
    }
    if (!organization_id.empty()) {
        where += " AND l.service_id IN (SELECT id FROM services WHERE organization_id = ?)";
        p.text(organization_id);
    }
    if (!search.empty()) {
        where += " AND l.service_id IN (SELECT id FROM services WHERE LOWER(name) LIKE ? ESCAPE '\\')";
        p.text(like_pattern(search));
    }
    Page<ServiceAtLocation> page;
    db_.read([&](soci::session& s) {
        page.total = count(s, "SELECT COUNT(*)" + where, p);
        Params q = p;
        q.integer(limit).integer(offset);
        SalRow row;
        select(s,
               "SELECT l.id, l.district_id, l.service_id, l.location_id, l.description, l.hsds_json, l.updated_at" +
                   where + " ORDER BY l.id LIMIT ? OFFSET ?",
               q, row, [&](ServiceAtLocation l) { page.items.push_back(std::move(l)); });
    });
    return page;
}

// --- taxonomies ------------------------------------------------------------------------------

std::string CatalogStore::upsert_taxonomy(Taxonomy t) {
    if (t.name.empty())
        throw Error(ErrorKind::validation, "a taxonomy needs a name", {{"name", "required", "required"}});
    db_.write([&](soci::session& s) { upsert_taxonomy_in(s, t); });
    return t.id;
}

std::optional<Taxonomy> CatalogStore::taxonomy(const std::string& id) {
    std::optional<Taxonomy> out;
    db_.read([&](soci::session& s) {
        TaxonomyRow row;
        select(s, std::string("SELECT ") + kTaxonomyColumns + " FROM taxonomies WHERE id = ?", Params().text(id), row,
               [&](Taxonomy t) { out = std::move(t); });
    });
    return out;
}

Page<Taxonomy> CatalogStore::taxonomies(long long district_id, const std::string& search, long long offset,
                                        long long limit) {
    std::string where = " FROM taxonomies WHERE district_id = ?";
    Params p;
    p.integer(district_id);
    if (!search.empty()) {
        where += " AND LOWER(name) LIKE ? ESCAPE '\\'";
        p.text(like_pattern(search));
    }
    Page<Taxonomy> page;
    db_.read([&](soci::session& s) {
        page.total = count(s, "SELECT COUNT(*)" + where, p);
        Params q = p;
        q.integer(limit).integer(offset);
        TaxonomyRow row;
        select(s, std::string("SELECT ") + kTaxonomyColumns + where + " ORDER BY name, id LIMIT ? OFFSET ?", q, row,
               [&](Taxonomy t) { page.items.push_back(std::move(t)); });
    });
    return page;
}

std::string CatalogStore::upsert_taxonomy_term(TaxonomyTerm t) {
    if (t.name.empty())
        throw Error(ErrorKind::validation, "a taxonomy term needs a name", {{"name", "required", "required"}});
    db_.write([&](soci::session& s) { upsert_term_in(s, t); });
    return t.id;
}

std::optional<TaxonomyTerm> CatalogStore::taxonomy_term(const std::string& id) {
    std::optional<TaxonomyTerm> out;
    db_.read([&](soci::session& s) {
        TermRow row;
        select(s, std::string("SELECT ") + kTermColumns + " FROM taxonomy_terms WHERE id = ?", Params().text(id), row,
               [&](TaxonomyTerm t) { out = std::move(t); });
    });
    return out;
}

Page<TaxonomyTerm> CatalogStore::taxonomy_terms(long long district_id, const TermQuery& q) {
    std::string where = " FROM taxonomy_terms WHERE district_id = ?";
    Params p;
    p.integer(district_id);
    if (!q.taxonomy_id.empty()) {
        where += " AND taxonomy_id = ?";
        p.text(q.taxonomy_id);
    }
    if (!q.parent_id.empty()) {
        where += " AND parent_id = ?";
        p.text(q.parent_id);
    }
    if (q.top_only) where += " AND parent_id = ''";
    if (!q.search.empty()) {
        where += " AND LOWER(name) LIKE ? ESCAPE '\\'";
        p.text(like_pattern(q.search));
    }
    Page<TaxonomyTerm> page;
    db_.read([&](soci::session& s) {
        page.total = count(s, "SELECT COUNT(*)" + where, p);
        Params pp = p;
        pp.integer(q.limit).integer(q.offset);
        TermRow row;
        select(s, std::string("SELECT ") + kTermColumns + where + " ORDER BY name, id LIMIT ? OFFSET ?", pp, row,
               [&](TaxonomyTerm t) { page.items.push_back(std::move(t)); });
    });
    return page;
}

std::vector<HsdsRecord> CatalogStore::records(long long district_id) {
    std::vector<HsdsRecord> out;
    db_.read([&](soci::session& s) {
        RecordRow row;
        select(s, "SELECT kind, id, district_id, hsds_json FROM hsds_records WHERE district_id = ? ORDER BY kind, id",
               Params().integer(district_id), row, [&](HsdsRecord r) { out.push_back(std::move(r)); });
    });
    return out;
}

// --- batch -----------------------------------------------------------------------------------

void CatalogStore::apply(CatalogBatch b, const std::string& by, const std::string& note) {
    std::set<long long> districts;
    for (auto& v : b.services) {
        if (v.id.empty()) v.id = new_uuid();
        validate_service(v);
        districts.insert(v.district_id);
    }
    db_.write([&](soci::session& s) {
        for (long long d : districts) ensure_dure_taxonomy(s, &db_, d);
        // Parents before children: services need their organization, links their service and facility.
        for (auto& t : b.taxonomies) upsert_taxonomy_in(s, t);
        for (auto& t : b.taxonomy_terms) upsert_term_in(s, t);
        for (auto& o : b.organizations) upsert_org_in(s, o);
        for (auto& v : b.services) {
            auto old = load_service(s, v.id);
            if (!old) {
                save_new_service(s, v, by, note);
                continue;
            }
            if (old->district_id != v.district_id)
                throw Error(ErrorKind::conflict, "the id " + v.id + " belongs to another district");
            v.verified_by = v.last_verified == old->last_verified ? old->verified_by : by;
            save_changed_service(s, v, *old, by, note);
        }
        for (auto& f : b.facilities) upsert_facility_in(s, f);
        for (auto& l : b.service_at_locations) upsert_sal_in(s, l);
        for (const auto& r : b.records) upsert_record_in(s, r);
    });
    for (long long d : districts) mark_dure_done(&db_, d);
}

}  // namespace dure::catalog
