// The catalogue store's writes and checks: validation of a service, the service row and its
// versions, the per-district "dure" taxonomy, and the upsert of every other kind of record.
#include "catalog/store_rows.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include "catalog/hsds.hpp"
#include "store/database.hpp"

namespace dure::catalog::store_rows {
// Throws conflict when `id` exists in `table` under another district.
void check_owner(soci::session& s, const char* table, const std::string& id, long long district_id) {
    long long owner = 0;
    soci::indicator ind = soci::i_null;
    s << std::string("SELECT district_id FROM ") + table + " WHERE id = :i", into(owner, ind), use(id);
    if (ind == soci::i_ok && owner != district_id)
        throw Error(ErrorKind::conflict, std::string("the id ") + id + " belongs to another district",
                    {{"id", "taken", "this id is used by another district"}});
}

void require_text(FieldErrors& e, const std::string& field, const std::string& v, std::size_t max) {
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

namespace {
// Districts whose "dure" taxonomy this process has written.
std::mutex g_dure_mutex;
std::set<std::pair<const void*, long long>> g_dure_done;
}  // namespace

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

}  // namespace dure::catalog::store_rows
