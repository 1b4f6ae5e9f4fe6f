#pragma once
// Internal to the catalogue store (store.cpp, store_writes.cpp, store_places.cpp): positional
// parameters, the select/count helpers and the row mapping of each table. Not a public header.
#include <soci/soci.h>

#include <boost/json.hpp>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/store.hpp"
#include "common/error.hpp"

namespace dure::catalog::store_rows {

namespace json = boost::json;
using soci::into;
using soci::use;


// Positional parameters for statements whose WHERE clause is built from optional filters.
// Values live in deques so their addresses stay valid while a statement is bound.
class Params {
public:
    Params& text(std::string v) {
        strs_.push_back(std::move(v));
        auto* p = &strs_.back();
        binds_.push_back([p](soci::statement& st) { st.exchange(use(*p)); });
        return *this;
    }
    Params& integer(long long v) {
        ints_.push_back(v);
        auto* p = &ints_.back();
        binds_.push_back([p](soci::statement& st) { st.exchange(use(*p)); });
        return *this;
    }
    void bind(soci::statement& st) const {
        for (const auto& b : binds_) b(st);
    }

private:
    std::deque<std::string> strs_;
    std::deque<long long> ints_;
    std::vector<std::function<void(soci::statement&)>> binds_;
};

// SOCI's PostgreSQL backend understands only named placeholders: "?" becomes ":p1", ":p2" …
// (bound by position). No statement here has a "?" inside a string literal.
inline std::string numbered(const std::string& sql) {
    std::string out;
    int n = 0;
    for (char c : sql) {
        if (c == '?') out += ":p" + std::to_string(++n);
        else out += c;
    }
    return out;
}

// Runs `sql` with `row.bind` as the outputs, calling `on_row` for every row.
template <class Row, class Fn>
void select(soci::session& s, const std::string& sql, const Params& p, Row& row, Fn&& on_row) {
    soci::statement st(s);
    row.bind(st);
    p.bind(st);
    st.alloc();
    st.prepare(numbered(sql));
    st.define_and_bind();
    st.execute();
    while (st.fetch()) on_row(row.get());
}

inline long long count(soci::session& s, const std::string& sql, const Params& p) {
    long long n = 0;
    soci::statement st(s);
    st.exchange(into(n));
    p.bind(st);
    st.alloc();
    st.prepare(numbered(sql));
    st.define_and_bind();
    st.execute(true);
    return n;
}

inline std::string list_json(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& x : v) a.emplace_back(x);
    return json::serialize(a);
}
inline std::string list_json(const std::vector<long long>& v) {
    json::array a;
    for (auto x : v) a.emplace_back(x);
    return json::serialize(a);
}
inline std::vector<std::string> strings_of(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.as_array())
            if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}
inline std::vector<long long> ints_of(const std::string& text) {
    std::vector<long long> out;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.as_array())
            if (x.is_int64()) out.push_back(x.as_int64());
    return out;
}

// Escapes LIKE wildcards; statements say ESCAPE '\'.
inline std::string like_pattern(const std::string& s) {
    std::string out = "%";
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out + "%";
}

inline const char* kServiceColumns =
    "id, district_id, organization_id, name, alternate_name, description, url, email, status, "
    "application_process, eligibility_description, fees_description, minimum_age, maximum_age, program_code, "
    "provider_level, life_stages, situations, topics, keywords, channels, application_period, dong_ids, "
    "last_verified, verified_by, source, hsds_json, version, created_at, updated_at";

struct ServiceRow {
    Service s;
    std::string life_stages, situations, topics, keywords, channels, dong_ids;
    long long min_age = 0, max_age = 0;
    soci::indicator org_ind = soci::i_ok, min_ind = soci::i_ok, max_ind = soci::i_ok;
    void bind(soci::statement& st) {
        st.exchange(into(s.id));
        st.exchange(into(s.district_id));
        st.exchange(into(s.organization_id, org_ind));
        st.exchange(into(s.name));
        st.exchange(into(s.alternate_name));
        st.exchange(into(s.description));
        st.exchange(into(s.url));
        st.exchange(into(s.email));
        st.exchange(into(s.status));
        st.exchange(into(s.application_process));
        st.exchange(into(s.eligibility_description));
        st.exchange(into(s.fees_description));
        st.exchange(into(min_age, min_ind));
        st.exchange(into(max_age, max_ind));
        st.exchange(into(s.program_code));
        st.exchange(into(s.provider_level));
        st.exchange(into(life_stages));
        st.exchange(into(situations));
        st.exchange(into(topics));
        st.exchange(into(keywords));
        st.exchange(into(channels));
        st.exchange(into(s.application_period));
        st.exchange(into(dong_ids));
        st.exchange(into(s.last_verified));
        st.exchange(into(s.verified_by));
        st.exchange(into(s.source));
        st.exchange(into(s.hsds_json));
        st.exchange(into(s.version));
        st.exchange(into(s.created_at));
        st.exchange(into(s.updated_at));
    }
    Service get() const {
        Service out = s;
        if (org_ind != soci::i_ok) out.organization_id.clear();
        if (min_ind == soci::i_ok) out.minimum_age = static_cast<int>(min_age);
        if (max_ind == soci::i_ok) out.maximum_age = static_cast<int>(max_age);
        out.life_stages = strings_of(life_stages);
        out.situations = strings_of(situations);
        out.topics = strings_of(topics);
        out.keywords = strings_of(keywords);
        out.channels = strings_of(channels);
        out.dong_ids = ints_of(dong_ids);
        return out;
    }
};

inline const char* kOrgColumns = "id, district_id, name, alternate_name, description, email, website, hsds_json, updated_at";
struct OrgRow {
    Organization o;
    void bind(soci::statement& st) {
        st.exchange(into(o.id));
        st.exchange(into(o.district_id));
        st.exchange(into(o.name));
        st.exchange(into(o.alternate_name));
        st.exchange(into(o.description));
        st.exchange(into(o.email));
        st.exchange(into(o.website));
        st.exchange(into(o.hsds_json));
        st.exchange(into(o.updated_at));
    }
    Organization get() const { return o; }
};

inline const char* kFacilityColumns =
    "id, district_id, dong_id, organization_id, type, name, description, address, phone, hours, latitude, "
    "longitude, capacity, accessibility, hsds_json, updated_at";
struct FacilityRow {
    Facility f;
    long long dong = 0, capacity = 0;
    double lat = 0, lon = 0;
    std::string access;
    soci::indicator dong_ind = soci::i_ok, lat_ind = soci::i_ok, lon_ind = soci::i_ok;
    void bind(soci::statement& st) {
        st.exchange(into(f.id));
        st.exchange(into(f.district_id));
        st.exchange(into(dong, dong_ind));
        st.exchange(into(f.organization_id));
        st.exchange(into(f.type));
        st.exchange(into(f.name));
        st.exchange(into(f.description));
        st.exchange(into(f.address));
        st.exchange(into(f.phone));
        st.exchange(into(f.hours));
        st.exchange(into(lat, lat_ind));
        st.exchange(into(lon, lon_ind));
        st.exchange(into(capacity));
        st.exchange(into(access));
        st.exchange(into(f.hsds_json));
        st.exchange(into(f.updated_at));
    }
    Facility get() const {
        Facility out = f;
        out.dong_id = dong_ind == soci::i_ok ? dong : 0;
        out.latitude = lat_ind == soci::i_ok ? lat : 0;
        out.longitude = lon_ind == soci::i_ok ? lon : 0;
        out.capacity = static_cast<int>(capacity);
        out.accessibility = strings_of(access);
        return out;
    }
};

inline const char* kSalColumns = "id, district_id, service_id, location_id, description, hsds_json, updated_at";
struct SalRow {
    ServiceAtLocation l;
    void bind(soci::statement& st) {
        st.exchange(into(l.id));
        st.exchange(into(l.district_id));
        st.exchange(into(l.service_id));
        st.exchange(into(l.location_id));
        st.exchange(into(l.description));
        st.exchange(into(l.hsds_json));
        st.exchange(into(l.updated_at));
    }
    ServiceAtLocation get() const { return l; }
};

inline const char* kTaxonomyColumns = "id, district_id, name, description, uri, version, hsds_json, updated_at";
struct TaxonomyRow {
    Taxonomy t;
    void bind(soci::statement& st) {
        st.exchange(into(t.id));
        st.exchange(into(t.district_id));
        st.exchange(into(t.name));
        st.exchange(into(t.description));
        st.exchange(into(t.uri));
        st.exchange(into(t.version));
        st.exchange(into(t.hsds_json));
        st.exchange(into(t.updated_at));
    }
    Taxonomy get() const { return t; }
};

inline const char* kTermColumns = "id, district_id, taxonomy_id, parent_id, code, name, description, hsds_json, updated_at";
struct TermRow {
    TaxonomyTerm t;
    void bind(soci::statement& st) {
        st.exchange(into(t.id));
        st.exchange(into(t.district_id));
        st.exchange(into(t.taxonomy_id));
        st.exchange(into(t.parent_id));
        st.exchange(into(t.code));
        st.exchange(into(t.name));
        st.exchange(into(t.description));
        st.exchange(into(t.hsds_json));
        st.exchange(into(t.updated_at));
    }
    TaxonomyTerm get() const { return t; }
};

struct RecordRow {
    HsdsRecord r;
    void bind(soci::statement& st) {
        st.exchange(into(r.kind));
        st.exchange(into(r.id));
        st.exchange(into(r.district_id));
        st.exchange(into(r.hsds_json));
    }
    HsdsRecord get() const { return r; }
};


// Writes and checks shared by the store's files (store_writes.cpp).
void check_owner(soci::session& s, const char* table, const std::string& id, long long district_id);
void require_text(FieldErrors& e, const std::string& field, const std::string& v, std::size_t max = 2000);
void validate_service(const Service& s);
std::optional<Service> load_service(soci::session& s, const std::string& id);
void insert_version(soci::session& s, const Service& v, const std::string& by, const std::string& note);
void write_service(soci::session& s, const Service& v, bool insert);
void ensure_dure_taxonomy(soci::session& s, const void* db, long long district_id);
void mark_dure_done(const void* db, long long district_id);
Service save_new_service(soci::session& s, Service v, const std::string& by, const std::string& note);
Service save_changed_service(soci::session& s, Service v, const Service& old, const std::string& by,
                             const std::string& note);
void upsert_org_in(soci::session& s, Organization& o);
void upsert_facility_in(soci::session& s, Facility& f);
void upsert_sal_in(soci::session& s, ServiceAtLocation& l);
void upsert_taxonomy_in(soci::session& s, Taxonomy& t);
void upsert_term_in(soci::session& s, TaxonomyTerm& t);
void upsert_record_in(soci::session& s, const HsdsRecord& r);
void attach_service_ids(soci::session& s, std::vector<Facility>& fs);

}  // namespace dure::catalog::store_rows
