#include "catalog/store.hpp"

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

namespace {

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
std::string numbered(const std::string& sql) {
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

long long count(soci::session& s, const std::string& sql, const Params& p) {
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

std::string list_json(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& x : v) a.emplace_back(x);
    return json::serialize(a);
}
std::string list_json(const std::vector<long long>& v) {
    json::array a;
    for (auto x : v) a.emplace_back(x);
    return json::serialize(a);
}
std::vector<std::string> strings_of(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.as_array())
            if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}
std::vector<long long> ints_of(const std::string& text) {
    std::vector<long long> out;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (!ec && v.is_array())
        for (const auto& x : v.as_array())
            if (x.is_int64()) out.push_back(x.as_int64());
    return out;
}

// Escapes LIKE wildcards; statements say ESCAPE '\'.
std::string like_pattern(const std::string& s) {
    std::string out = "%";
    for (char c : s) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out + "%";
}

const char* kServiceColumns =
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

const char* kOrgColumns = "id, district_id, name, alternate_name, description, email, website, hsds_json, updated_at";
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

const char* kFacilityColumns =
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

const char* kSalColumns = "id, district_id, service_id, location_id, description, hsds_json, updated_at";
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

const char* kTaxonomyColumns = "id, district_id, name, description, uri, version, hsds_json, updated_at";
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

const char* kTermColumns = "id, district_id, taxonomy_id, parent_id, code, name, description, hsds_json, updated_at";
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

// Throws conflict when `id` exists in `table` under another district.
void check_owner(soci::session& s, const char* table, const std::string& id, long long district_id) {
    long long owner = 0;
    soci::indicator ind = soci::i_null;
    s << std::string("SELECT district_id FROM ") + table + " WHERE id = :i", into(owner, ind), use(id);
    if (ind == soci::i_ok && owner != district_id)
        throw Error(ErrorKind::conflict, std::string("the id ") + id + " belongs to another district",
                    {{"id", "taken", "this id is used by another district"}});
}

void require_text(FieldErrors& e, const std::string& field, const std::string& v, std::size_t max = 2000) {
    if (v.empty()) e.add(field, "required", "this field is required");
    else if (v.size() > max * 4) e.add(field, "too_long", "at most " + std::to_string(max) + " characters");
}

void validate_service(const Service& s) {
    FieldErrors e;
    if (!is_uuid(s.id)) e.add("id", "invalid_id", "a UUID");
    if (s.district_id <= 0) e.add("district_id", "required", "the district");
    require_text(e, "name", s.name, 300);
    static const std::set<std::string> statuses{"active", "inactive", "defunct", "temporarily closed"};
    if (!statuses.count(s.status)) e.add("status", "invalid_status", "active, inactive, defunct or temporarily closed");
    if (!s.provider_level.empty() &&
        std::none_of(std::begin(kProviderLevels), std::end(kProviderLevels),
                     [&](const char* p) { return s.provider_level == p; }))
        e.add("provider_level", "invalid_provider_level", "national, metropolitan, district or private");
    if (!s.last_verified.empty() && !is_date(s.last_verified))
        e.add("last_verified", "invalid_date", "a date written YYYY-MM-DD");
    if (!s.organization_id.empty() && !is_uuid(s.organization_id))
        e.add("organization_id", "invalid_id", "a UUID");
    if (s.minimum_age && s.maximum_age && *s.minimum_age > *s.maximum_age)
        e.add("maximum_age", "out_of_range", "at least the minimum age");
    e.throw_if_any();
}

std::optional<Service> load_service(soci::session& s, const std::string& id) {
    std::optional<Service> out;
    ServiceRow row;
    select(s, std::string("SELECT ") + kServiceColumns + " FROM services WHERE id = ?", Params().text(id), row,
           [&](Service v) { out = std::move(v); });
    return out;
}

void insert_version(soci::session& s, const Service& v, const std::string& by, const std::string& note) {
    s << "INSERT INTO service_versions (service_id, district_id, version, changed_by, changed_at, change_note, "
         "hsds_json) VALUES (:s, :d, :v, :b, :t, :n, :j)",
        use(v.id), use(v.district_id), use(v.version), use(by), use(v.updated_at), use(note), use(v.hsds_json);
}

// Writes every column of `v`; `insert` chooses INSERT or UPDATE by id.
void write_service(soci::session& s, const Service& v, bool insert) {
    std::string org = v.organization_id;
    soci::indicator org_ind = org.empty() ? soci::i_null : soci::i_ok;
    long long min_age = v.minimum_age.value_or(0), max_age = v.maximum_age.value_or(0);
    soci::indicator min_ind = v.minimum_age ? soci::i_ok : soci::i_null;
    soci::indicator max_ind = v.maximum_age ? soci::i_ok : soci::i_null;
    std::string ls = list_json(v.life_stages), si = list_json(v.situations), to = list_json(v.topics),
                kw = list_json(v.keywords), ch = list_json(v.channels), dg = list_json(v.dong_ids);
    soci::statement st(s);
    std::string sql =
        insert ? std::string("INSERT INTO services (") + kServiceColumns +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
               : "UPDATE services SET id = ?, district_id = ?, organization_id = ?, name = ?, alternate_name = ?, "
                 "description = ?, url = ?, email = ?, status = ?, application_process = ?, "
                 "eligibility_description = ?, fees_description = ?, minimum_age = ?, maximum_age = ?, "
                 "program_code = ?, provider_level = ?, life_stages = ?, situations = ?, topics = ?, keywords = ?, "
                 "channels = ?, application_period = ?, dong_ids = ?, last_verified = ?, verified_by = ?, "
                 "source = ?, hsds_json = ?, version = ?, created_at = ?, updated_at = ? WHERE id = ?";
    st.exchange(use(v.id));
    st.exchange(use(v.district_id));
    st.exchange(use(org, org_ind));
    st.exchange(use(v.name));
    st.exchange(use(v.alternate_name));
    st.exchange(use(v.description));
    st.exchange(use(v.url));
    st.exchange(use(v.email));
    st.exchange(use(v.status));
    st.exchange(use(v.application_process));
    st.exchange(use(v.eligibility_description));
    st.exchange(use(v.fees_description));
    st.exchange(use(min_age, min_ind));
    st.exchange(use(max_age, max_ind));
    st.exchange(use(v.program_code));
    st.exchange(use(v.provider_level));
    st.exchange(use(ls));
    st.exchange(use(si));
    st.exchange(use(to));
    st.exchange(use(kw));
    st.exchange(use(ch));
    st.exchange(use(v.application_period));
    st.exchange(use(dg));
    st.exchange(use(v.last_verified));
    st.exchange(use(v.verified_by));
    st.exchange(use(v.source));
    st.exchange(use(v.hsds_json));
    st.exchange(use(v.version));
    st.exchange(use(v.created_at));
    st.exchange(use(v.updated_at));
    if (!insert) st.exchange(use(v.id));
    st.alloc();
    st.prepare(numbered(sql));
    st.define_and_bind();
    st.execute(true);
}

// Districts whose "dure" taxonomy this process has written.
std::mutex g_dure_mutex;
std::set<std::pair<const void*, long long>> g_dure_done;

void upsert_taxonomy_in(soci::session& s, Taxonomy& t);
void upsert_term_in(soci::session& s, TaxonomyTerm& t);

void ensure_dure_taxonomy(soci::session& s, const void* db, long long district_id) {
    {
        std::lock_guard lock(g_dure_mutex);
        if (g_dure_done.count({db, district_id})) return;
    }
    long long n = 0;
    auto tax = dure_taxonomy(district_id);
    auto terms = dure_terms(district_id);
    s << "SELECT COUNT(*) FROM taxonomy_terms WHERE taxonomy_id = :t", into(n), use(tax.id);
    if (n < static_cast<long long>(terms.size())) {
        upsert_taxonomy_in(s, tax);
        for (auto& t : terms) upsert_term_in(s, t);
    }
    // Marked only after commit would be exact; a rolled-back first write just repeats the check.
}

void mark_dure_done(const void* db, long long district_id) {
    std::lock_guard lock(g_dure_mutex);
    g_dure_done.insert({db, district_id});
}

Service save_new_service(soci::session& s, Service v, const std::string& by, const std::string& note) {
    auto now = store::now_unix();
    v.version = 1;
    v.created_at = v.updated_at = now;
    v.hsds_json = service_document(v);
    write_service(s, v, true);
    insert_version(s, v, by, note);
    return v;
}

Service save_changed_service(soci::session& s, Service v, const Service& old, const std::string& by,
                             const std::string& note) {
    v.version = old.version + 1;
    v.created_at = old.created_at;
    v.updated_at = std::max(store::now_unix(), old.updated_at);
    v.hsds_json = service_document(v);
    soci::statement st = (s.prepare << "UPDATE services SET version = :n WHERE id = :i AND version = :v",
                          use(v.version), use(v.id), use(old.version));
    st.execute(true);
    if (st.get_affected_rows() != 1)
        throw Error(ErrorKind::conflict, "the service was changed by someone else; reload it and try again")
            .with_type("stale-version");
    write_service(s, v, false);
    insert_version(s, v, by, note);
    return v;
}

void upsert_org_in(soci::session& s, Organization& o) {
    if (o.id.empty()) o.id = new_uuid();
    check_owner(s, "catalog_organizations", o.id, o.district_id);
    o.updated_at = store::now_unix();
    o.hsds_json = organization_document(o);
    s << "INSERT INTO catalog_organizations (id, district_id, name, alternate_name, description, email, website, "
         "hsds_json, updated_at) VALUES (:i, :d, :n, :a, :de, :e, :w, :j, :u) ON CONFLICT (id) DO UPDATE SET "
         "name = excluded.name, alternate_name = excluded.alternate_name, description = excluded.description, "
         "email = excluded.email, website = excluded.website, hsds_json = excluded.hsds_json, "
         "updated_at = excluded.updated_at",
        use(o.id), use(o.district_id), use(o.name), use(o.alternate_name), use(o.description), use(o.email),
        use(o.website), use(o.hsds_json), use(o.updated_at);
}

void upsert_facility_in(soci::session& s, Facility& f) {
    if (f.id.empty()) f.id = new_uuid();
    check_owner(s, "facilities", f.id, f.district_id);
    f.updated_at = store::now_unix();
    f.hsds_json = facility_document(f);
    long long dong = f.dong_id, capacity = f.capacity;
    soci::indicator dong_ind = dong ? soci::i_ok : soci::i_null;
    bool has_pos = f.latitude != 0 || f.longitude != 0;
    double lat = f.latitude, lon = f.longitude;
    soci::indicator pos_ind = has_pos ? soci::i_ok : soci::i_null, pos_ind2 = pos_ind;
    std::string access = list_json(f.accessibility);
    s << "INSERT INTO facilities (id, district_id, dong_id, organization_id, type, name, description, address, phone, "
         "hours, latitude, longitude, capacity, accessibility, hsds_json, updated_at) VALUES (:i, :d, :g, :o, :t, :n, "
         ":de, :a, :p, :h, :la, :lo, :c, :ac, :j, :u) ON CONFLICT (id) DO UPDATE SET dong_id = excluded.dong_id, "
         "organization_id = excluded.organization_id, type = excluded.type, name = excluded.name, "
         "description = excluded.description, address = excluded.address, phone = excluded.phone, "
         "hours = excluded.hours, latitude = excluded.latitude, longitude = excluded.longitude, "
         "capacity = excluded.capacity, accessibility = excluded.accessibility, hsds_json = excluded.hsds_json, "
         "updated_at = excluded.updated_at",
        use(f.id), use(f.district_id), use(dong, dong_ind), use(f.organization_id), use(f.type), use(f.name),
        use(f.description), use(f.address), use(f.phone), use(f.hours), use(lat, pos_ind), use(lon, pos_ind2),
        use(capacity), use(access), use(f.hsds_json), use(f.updated_at);
}

void upsert_sal_in(soci::session& s, ServiceAtLocation& l) {
    if (l.id.empty()) l.id = new_uuid();
    check_owner(s, "service_at_locations", l.id, l.district_id);
    l.updated_at = store::now_unix();
    l.hsds_json = service_at_location_document(l);
    s << "INSERT INTO service_at_locations (id, district_id, service_id, location_id, description, hsds_json, "
         "updated_at) VALUES (:i, :d, :s, :l, :de, :j, :u) ON CONFLICT (id) DO UPDATE SET service_id = "
         "excluded.service_id, location_id = excluded.location_id, description = excluded.description, "
         "hsds_json = excluded.hsds_json, updated_at = excluded.updated_at",
        use(l.id), use(l.district_id), use(l.service_id), use(l.location_id), use(l.description), use(l.hsds_json),
        use(l.updated_at);
}

void upsert_taxonomy_in(soci::session& s, Taxonomy& t) {
    if (t.id.empty()) t.id = new_uuid();
    check_owner(s, "taxonomies", t.id, t.district_id);
    t.updated_at = store::now_unix();
    t.hsds_json = taxonomy_document(t);
    s << "INSERT INTO taxonomies (id, district_id, name, description, uri, version, hsds_json, updated_at) VALUES "
         "(:i, :d, :n, :de, :u, :v, :j, :t) ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = "
         "excluded.description, uri = excluded.uri, version = excluded.version, hsds_json = excluded.hsds_json, "
         "updated_at = excluded.updated_at",
        use(t.id), use(t.district_id), use(t.name), use(t.description), use(t.uri), use(t.version), use(t.hsds_json),
        use(t.updated_at);
}

void upsert_term_in(soci::session& s, TaxonomyTerm& t) {
    if (t.id.empty()) t.id = new_uuid();
    check_owner(s, "taxonomy_terms", t.id, t.district_id);
    t.updated_at = store::now_unix();
    t.hsds_json = taxonomy_term_document(t);
    s << "INSERT INTO taxonomy_terms (id, district_id, taxonomy_id, parent_id, code, name, description, hsds_json, "
         "updated_at) VALUES (:i, :d, :t, :p, :c, :n, :de, :j, :u) ON CONFLICT (id) DO UPDATE SET taxonomy_id = "
         "excluded.taxonomy_id, parent_id = excluded.parent_id, code = excluded.code, name = excluded.name, "
         "description = excluded.description, hsds_json = excluded.hsds_json, updated_at = excluded.updated_at",
        use(t.id), use(t.district_id), use(t.taxonomy_id), use(t.parent_id), use(t.code), use(t.name),
        use(t.description), use(t.hsds_json), use(t.updated_at);
}

void upsert_record_in(soci::session& s, const HsdsRecord& r) {
    long long owner = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT district_id FROM hsds_records WHERE kind = :k AND id = :i", into(owner, ind), use(r.kind), use(r.id);
    if (ind == soci::i_ok && owner != r.district_id)
        throw Error(ErrorKind::conflict, "the id " + r.id + " belongs to another district");
    s << "INSERT INTO hsds_records (kind, id, district_id, hsds_json) VALUES (:k, :i, :d, :j) ON CONFLICT (kind, id) "
         "DO UPDATE SET hsds_json = excluded.hsds_json",
        use(r.kind), use(r.id), use(r.district_id), use(r.hsds_json);
}

// Merges the facility's links into it.
void attach_service_ids(soci::session& s, std::vector<Facility>& fs) {
    if (fs.empty()) return;
    std::map<std::string, std::vector<std::string>> by_location;
    struct Row {
        std::string loc, svc;
        void bind(soci::statement& st) {
            st.exchange(into(loc));
            st.exchange(into(svc));
        }
        std::pair<std::string, std::string> get() const { return {loc, svc}; }
    } row;
    if (fs.size() <= 100) {
        Params p;
        std::string in;
        for (const auto& f : fs) {
            in += in.empty() ? "?" : ", ?";
            p.text(f.id);
        }
        select(s,
               "SELECT location_id, service_id FROM service_at_locations WHERE location_id IN (" + in +
                   ") ORDER BY service_id",
               p, row, [&](auto v) { by_location[v.first].push_back(v.second); });
    } else {
        select(s,
               "SELECT location_id, service_id FROM service_at_locations WHERE district_id = ? ORDER BY service_id",
               Params().integer(fs[0].district_id), row, [&](auto p) { by_location[p.first].push_back(p.second); });
    }
    for (auto& f : fs) {
        auto it = by_location.find(f.id);
        if (it != by_location.end()) f.service_ids = it->second;
    }
}

}  // namespace

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
