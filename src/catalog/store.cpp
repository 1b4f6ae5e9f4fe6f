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

// --- helpers ---------------------------------------------------------------------------------

std::string new_uuid() {
    unsigned char b[16];
    randombytes_buf(b, sizeof b);
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[b[i] >> 4];
        out += hex[b[i] & 15];
    }
    return out;
}

bool is_uuid(std::string_view s) {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
            return false;
        }
    }
    return true;
}

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
    constexpr double kEarthRadiusM = 6371008.8;
    constexpr double kRad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
    double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
               std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

namespace {
int days_in_month(int y, int m) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}
}  // namespace

bool is_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2))),
        d = std::stoi(std::string(s.substr(8, 2)));
    return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

std::string months_before(const std::string& date, int months) {
    if (!is_date(date)) throw Error(ErrorKind::validation, "a date written YYYY-MM-DD", {{"today", "invalid_date", date}});
    int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
    int total = y * 12 + (m - 1) - months;
    y = total / 12;
    m = total % 12 + 1;
    d = std::min(d, days_in_month(y, m));
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

// --- organizations ---------------------------------------------------------------------------

std::string CatalogStore::upsert_organization(Organization o) {
    if (o.name.empty())
        throw Error(ErrorKind::validation, "an organization needs a name", {{"name", "required", "required"}});
    db_.write([&](soci::session& s) { upsert_org_in(s, o); });
    return o.id;
}

std::optional<Organization> CatalogStore::organization(const std::string& id) {
    std::optional<Organization> out;
    db_.read([&](soci::session& s) {
        OrgRow row;
        select(s, std::string("SELECT ") + kOrgColumns + " FROM catalog_organizations WHERE id = ?", Params().text(id),
               row, [&](Organization o) { out = std::move(o); });
    });
    return out;
}

Page<Organization> CatalogStore::organizations(long long district_id, const std::string& search, long long offset,
                                               long long limit) {
    Page<Organization> page;
    std::string where = " FROM catalog_organizations WHERE district_id = ?";
    Params p;
    p.integer(district_id);
    if (!search.empty()) {
        where += " AND LOWER(name) LIKE ? ESCAPE '\\'";
        p.text(like_pattern(search));
    }
    db_.read([&](soci::session& s) {
        page.total = count(s, "SELECT COUNT(*)" + where, p);
        Params q = p;
        q.integer(limit).integer(offset);
        OrgRow row;
        select(s, std::string("SELECT ") + kOrgColumns + where + " ORDER BY name, id LIMIT ? OFFSET ?", q, row,
               [&](Organization o) { page.items.push_back(std::move(o)); });
    });
    return page;
}

// --- services --------------------------------------------------------------------------------

Service CatalogStore::create_service(Service v, const std::string& by, const std::string& note) {
    if (v.id.empty()) v.id = new_uuid();
    validate_service(v);
    db_.write([&](soci::session& s) {
        ensure_dure_taxonomy(s, &db_, v.district_id);
        if (load_service(s, v.id))
            throw Error(ErrorKind::conflict, "a service with this id exists", {{"id", "taken", "id exists"}});
        v = save_new_service(s, v, by, note);
    });
    mark_dure_done(&db_, v.district_id);
    return v;
}

Service CatalogStore::update_service(Service v, long long expected_version, const std::string& by,
                                     const std::string& note) {
    validate_service(v);
    db_.write([&](soci::session& s) {
        ensure_dure_taxonomy(s, &db_, v.district_id);
        auto old = load_service(s, v.id);
        if (!old || old->district_id != v.district_id) throw Error(ErrorKind::not_found, "no such service");
        if (old->version != expected_version)
            throw Error(ErrorKind::conflict, "the service was changed by someone else (now version " +
                                                 std::to_string(old->version) + "); reload it and try again")
                .with_type("stale-version");
        v = save_changed_service(s, v, *old, by, note);
    });
    mark_dure_done(&db_, v.district_id);
    return v;
}

Service CatalogStore::retire_service(const std::string& id, long long expected_version, const std::string& by,
                                     const std::string& note) {
    auto cur = service(id);
    if (!cur) throw Error(ErrorKind::not_found, "no such service");
    cur->status = "defunct";
    return update_service(*cur, expected_version, by, note.empty() ? "retired" : note);
}

Service CatalogStore::mark_verified(const std::string& id, const std::string& date, const std::string& by) {
    if (!is_date(date))
        throw Error(ErrorKind::validation, "a date written YYYY-MM-DD", {{"date", "invalid_date", "YYYY-MM-DD"}});
    Service out;
    db_.write([&](soci::session& s) {
        auto old = load_service(s, id);
        if (!old) throw Error(ErrorKind::not_found, "no such service");
        Service v = *old;
        v.last_verified = date;
        v.verified_by = by;
        out = save_changed_service(s, v, *old, by, "verified " + date);
    });
    return out;
}

std::optional<Service> CatalogStore::service(const std::string& id) {
    std::optional<Service> out;
    db_.read([&](soci::session& s) { out = load_service(s, id); });
    return out;
}

std::vector<Service> CatalogStore::services(long long district_id) {
    std::vector<Service> out;
    db_.read([&](soci::session& s) {
        ServiceRow row;
        select(s, std::string("SELECT ") + kServiceColumns + " FROM services WHERE district_id = ? ORDER BY name, id",
               Params().integer(district_id), row, [&](Service v) { out.push_back(std::move(v)); });
    });
    return out;
}

std::vector<Service> CatalogStore::services_updated_since(long long district_id, long long since) {
    std::vector<Service> out;
    db_.read([&](soci::session& s) {
        ServiceRow row;
        select(s, std::string("SELECT ") + kServiceColumns + " FROM services WHERE district_id = ? AND updated_at >= ? ORDER BY id",
               Params().integer(district_id).integer(since), row, [&](Service v) { out.push_back(std::move(v)); });
    });
    return out;
}

Page<Service> CatalogStore::list_services(long long district_id, const ServiceQuery& q) {
    Page<Service> page;
    std::string where = " FROM services WHERE district_id = ?";
    Params p;
    p.integer(district_id);
    if (!q.search.empty()) {
        where += " AND LOWER(name) LIKE ? ESCAPE '\\'";
        p.text(like_pattern(q.search));
    }
    if (!q.organization_id.empty()) {
        where += " AND organization_id = ?";
        p.text(q.organization_id);
    }
    if (!q.taxonomy_term_id.empty()) {
        // Documents are stored compactly serialized, so the member appears exactly like this.
        where += " AND hsds_json LIKE ? ESCAPE '\\'";
        p.text("%\"taxonomy\\_term\\_id\":\"" + q.taxonomy_term_id + "\"%");
    }
    db_.read([&](soci::session& s) {
        page.total = count(s, "SELECT COUNT(*)" + where, p);
        Params pp = p;
        pp.integer(q.limit).integer(q.offset);
        ServiceRow row;
        select(s, std::string("SELECT ") + kServiceColumns + where + " ORDER BY name, id LIMIT ? OFFSET ?", pp, row,
               [&](Service v) { page.items.push_back(std::move(v)); });
    });
    return page;
}

std::vector<ServiceVersion> CatalogStore::service_versions(const std::string& id) {
    std::vector<ServiceVersion> out;
    db_.read([&](soci::session& s) {
        ServiceVersion v;
        soci::statement st = (s.prepare << "SELECT service_id, version, changed_by, changed_at, change_note, hsds_json "
                                           "FROM service_versions WHERE service_id = :i ORDER BY version",
                              into(v.service_id), into(v.version), into(v.changed_by), into(v.changed_at),
                              into(v.change_note), into(v.hsds_json), use(id));
        st.execute();
        while (st.fetch()) out.push_back(v);
    });
    return out;
}

std::vector<Service> CatalogStore::freshness_queue(long long district_id, const std::string& today, int months) {
    std::string cutoff = months_before(today, months);
    std::vector<Service> out;
    db_.read([&](soci::session& s) {
        ServiceRow row;
        select(s,
               std::string("SELECT ") + kServiceColumns +
                   " FROM services WHERE district_id = ? AND status = 'active' AND (last_verified = '' OR "
                   "last_verified < ?) ORDER BY last_verified, name, id",
               Params().integer(district_id).text(cutoff), row, [&](Service v) { out.push_back(std::move(v)); });
    });
    return out;
}

}  // namespace dure::catalog
