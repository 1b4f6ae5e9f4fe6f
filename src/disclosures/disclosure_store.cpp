#include "disclosures/disclosure_store.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>

#include "catalog/store.hpp"
#include "common/error.hpp"

namespace dure::catalog {

namespace json = boost::json;
using soci::into;
using soci::use;

namespace {

constexpr const char* kColumns =
    "id, district_id, facility_id, fiscal_year, kind, status, version, published_version, return_reason, "
    "created_by, updated_by, submitted_by, decided_by, created_at, updated_at, submitted_at, decided_at";

// Reads rows of `disclosures` (columns kColumns) into `out`, without lines and donations.
void read_rows(soci::session& s, const std::string& where, const std::string& arg,
               std::vector<Disclosure>& out) {
    Disclosure d;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kColumns + " FROM disclosures WHERE " + where, into(d.id),
         into(d.district_id), into(d.facility_id), into(d.content.fiscal_year), into(d.content.kind),
         into(d.status), into(d.version), into(d.published_version), into(d.return_reason),
         into(d.created_by), into(d.updated_by), into(d.submitted_by), into(d.decided_by), into(d.created_at),
         into(d.updated_at), into(d.submitted_at), into(d.decided_at), use(arg));
    st.execute();
    while (st.fetch()) out.push_back(d);
}

void load_details(soci::session& s, Disclosure& d) {
    d.content.lines.clear();
    d.content.donations.clear();
    DisclosureLine l;
    soci::statement st = (s.prepare << "SELECT side, category, item, amount FROM disclosure_lines "
                                       "WHERE disclosure_id = :i ORDER BY seq",
                          into(l.side), into(l.category), into(l.item), into(l.amount), use(d.id));
    st.execute();
    while (st.fetch()) d.content.lines.push_back(l);
    Donation g;
    soci::statement st2 = (s.prepare << "SELECT received_from_type, kind, amount, used_for, used_amount "
                                        "FROM disclosure_donations WHERE disclosure_id = :i ORDER BY seq",
                           into(g.received_from_type), into(g.kind), into(g.amount), into(g.used_for),
                           into(g.used_amount), use(d.id));
    st2.execute();
    while (st2.fetch()) d.content.donations.push_back(g);
}

std::optional<Disclosure> load(soci::session& s, const std::string& id) {
    std::vector<Disclosure> v;
    read_rows(s, "id = :i", id, v);
    if (v.empty()) return std::nullopt;
    load_details(s, v[0]);
    return v[0];
}

void write_details(soci::session& s, const Disclosure& d) {
    s << "DELETE FROM disclosure_lines WHERE disclosure_id = :i", use(d.id);
    s << "DELETE FROM disclosure_donations WHERE disclosure_id = :i", use(d.id);
    long long seq = 0;
    for (const auto& l : d.content.lines) {
        ++seq;
        long long amount = l.amount;
        s << "INSERT INTO disclosure_lines (disclosure_id, seq, side, category, item, amount) "
             "VALUES (:i, :q, :s, :c, :t, :a)",
            use(d.id), use(seq), use(l.side), use(l.category), use(l.item), use(amount);
    }
    seq = 0;
    for (const auto& g : d.content.donations) {
        ++seq;
        long long amount = g.amount, used = g.used_amount;
        s << "INSERT INTO disclosure_donations (disclosure_id, seq, received_from_type, kind, amount, "
             "used_for, "
             "used_amount) VALUES (:i, :q, :r, :k, :a, :f, :u)",
            use(d.id), use(seq), use(g.received_from_type), use(g.kind), use(amount), use(g.used_for),
            use(used);
    }
}

void write_version(soci::session& s, const Disclosure& d, const std::string& note) {
    std::string doc = json::serialize(disclosure_json(d));
    s << "INSERT INTO disclosure_versions (disclosure_id, version, status, changed_by, changed_at, note, "
         "document) "
         "VALUES (:i, :v, :s, :b, :t, :n, :d)",
        use(d.id), use(d.version), use(d.status), use(d.updated_by), use(d.updated_at), use(note), use(doc);
}

// Saves the row of `d` if its version is still `expected`; conflict when someone saved first.
void update_row(soci::session& s, const Disclosure& d, long long expected) {
    soci::statement st = (s.prepare << "UPDATE disclosures SET status = :s, version = :v, published_version "
                                       "= :p, return_reason = :r, "
                                       "updated_by = :ub, submitted_by = :sb, decided_by = :db, updated_at = "
                                       ":ua, submitted_at = :sa, "
                                       "decided_at = :da WHERE id = :i AND version = :e",
                          use(d.status), use(d.version), use(d.published_version), use(d.return_reason),
                          use(d.updated_by), use(d.submitted_by), use(d.decided_by), use(d.updated_at),
                          use(d.submitted_at), use(d.decided_at), use(d.id), use(expected));
    st.execute(true);
    if (st.get_affected_rows() != 1)
        throw Error(ErrorKind::conflict, "the disclosure changed meanwhile; reload it");
}

}  // namespace

Disclosure DisclosureStore::save_draft(long long district_id, const std::string& facility_id,
                                       const DisclosureContent& content, const std::string& by) {
    Disclosure out;
    db_.write([&](soci::session& s) {
        long long now = store::now_unix();
        std::vector<Disclosure> found;
        {
            Disclosure d;
            long long year = content.fiscal_year;
            soci::statement st =
                (s.prepare << "SELECT id FROM disclosures WHERE facility_id = :f AND fiscal_year = :y "
                              "AND kind = :k",
                 into(d.id), use(facility_id), use(year), use(content.kind));
            st.execute();
            while (st.fetch()) found.push_back(d);
        }
        if (found.empty()) {
            Disclosure d;
            d.id = new_uuid();
            d.district_id = district_id;
            d.facility_id = facility_id;
            d.content = content;
            d.status = "draft";
            d.version = 1;
            d.created_by = d.updated_by = by;
            d.created_at = d.updated_at = now;
            try {
                s << "INSERT INTO disclosures (id, district_id, facility_id, fiscal_year, kind, status, version, "
                     "published_version, return_reason, created_by, updated_by, created_at, updated_at) VALUES "
                     "(:i, :d, :f, "
                     ":y, :k, :s, :v, 0, '', :cb, :ub, :ca, :ua)",
                    use(d.id), use(d.district_id), use(d.facility_id), use(d.content.fiscal_year),
                    use(d.content.kind), use(d.status), use(d.version), use(d.created_by), use(d.updated_by),
                    use(d.created_at), use(d.updated_at);
            } catch (const std::exception& e) {
                // Two first saves of the same (facility, year, kind) at once: the other one won.
                if (store::is_unique_violation(e))
                    throw Error(ErrorKind::conflict, "the disclosure was created meanwhile; reload it");
                throw;
            }
            write_details(s, d);
            write_version(s, d, "created");
            out = d;
            return;
        }
        auto d = *load(s, found[0].id);
        if (!editable(d.status))
            throw Error(ErrorKind::conflict, "the disclosure is under review (" + d.status +
                                                 "); it can be edited again once an official returns it");
        if (d.status != "approved" &&
            json::serialize(content_json(d.content)) == json::serialize(content_json(content))) {
            out = d;  // the same draft again (a retried request): nothing to save
            return;
        }
        long long expected = d.version;
        bool correction = d.status == "approved";
        d.content = content;
        d.status = "draft";
        d.version += 1;
        d.updated_by = by;
        d.updated_at = now;
        update_row(s, d, expected);
        write_details(s, d);
        write_version(s, d, correction ? "correction started" : "edited");
        out = d;
    });
    return out;
}

Disclosure DisclosureStore::transition(const std::string& id, const std::string& action,
                                       const std::string& by, const std::string& reason) {
    Disclosure out;
    db_.write([&](soci::session& s) {
        auto d = load(s, id);
        if (!d) throw Error(ErrorKind::not_found, "no such disclosure");
        std::string next = next_status(d->status, action);
        if (next == d->status) {  // a repeated request
            out = *d;
            return;
        }
        long long expected = d->version, now = store::now_unix();
        d->status = next;
        d->version += 1;
        d->updated_by = by;
        d->updated_at = now;
        if (action == "submit") {
            d->submitted_by = by;
            d->submitted_at = now;
            d->return_reason.clear();
        } else {
            d->decided_by = by;
            d->decided_at = now;
            if (action == "approve")
                d->published_version = d->version;
            else
                d->return_reason = reason;
        }
        update_row(s, *d, expected);
        write_version(s, *d,
                      action == "return"    ? "returned: " + reason
                      : action == "approve" ? "approved"
                                            : "submitted");
        out = *d;
    });
    return out;
}

std::optional<Disclosure> DisclosureStore::get(const std::string& id) {
    std::optional<Disclosure> out;
    db_.read([&](soci::session& s) { out = load(s, id); });
    return out;
}

std::optional<Disclosure> DisclosureStore::at_version(const std::string& id, long long version) {
    std::string doc;
    soci::indicator ind = soci::i_null;
    db_.read([&](soci::session& s) {
        s << "SELECT document FROM disclosure_versions WHERE disclosure_id = :i AND version = :v",
            into(doc, ind), use(id), use(version);
    });
    if (ind != soci::i_ok || doc.empty()) return std::nullopt;
    return disclosure_from_json(json::parse(doc).as_object());
}

std::optional<Disclosure> DisclosureStore::published(const std::string& id) {
    auto d = get(id);
    if (!d) return std::nullopt;
    if (d->status == "approved") return d;
    if (d->published_version == 0) return std::nullopt;
    return at_version(id, d->published_version);
}

std::vector<Disclosure> DisclosureStore::for_facility(const std::string& facility_id) {
    std::vector<Disclosure> out;
    db_.read([&](soci::session& s) {
        read_rows(s, "facility_id = :f ORDER BY fiscal_year DESC, kind ASC", facility_id, out);
        for (auto& d : out) load_details(s, d);
    });
    return out;
}

std::vector<Disclosure> DisclosureStore::submitted_in(long long district_id) {
    std::vector<Disclosure> out;
    db_.read([&](soci::session& s) {
        Disclosure d;
        soci::statement st =
            (s.prepare << std::string("SELECT ") + kColumns +
                              " FROM disclosures WHERE district_id = :d AND status = 'submitted' "
                              "ORDER BY submitted_at, id LIMIT 500",
             into(d.id), into(d.district_id), into(d.facility_id), into(d.content.fiscal_year), into(d.content.kind),
             into(d.status), into(d.version), into(d.published_version), into(d.return_reason), into(d.created_by),
             into(d.updated_by), into(d.submitted_by), into(d.decided_by), into(d.created_at), into(d.updated_at),
             into(d.submitted_at), into(d.decided_at), use(district_id));
        st.execute();
        while (st.fetch()) out.push_back(d);
        for (auto& x : out) load_details(s, x);
    });
    return out;
}

std::vector<DisclosureVersion> DisclosureStore::history(const std::string& id) {
    std::vector<DisclosureVersion> out;
    db_.read([&](soci::session& s) {
        DisclosureVersion v;
        soci::statement st =
            (s.prepare << "SELECT version, status, changed_by, changed_at, note FROM disclosure_versions "
                          "WHERE disclosure_id = :i ORDER BY version",
             into(v.version), into(v.status), into(v.changed_by), into(v.changed_at), into(v.note), use(id));
        st.execute();
        while (st.fetch()) out.push_back(v);
    });
    return out;
}

}  // namespace dure::catalog
