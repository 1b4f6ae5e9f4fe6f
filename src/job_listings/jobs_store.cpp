#include "job_listings/jobs_store.hpp"

#include <soci/soci.h>

#include <set>

namespace dure::catalog {

using soci::into;
using soci::use;

namespace {

// Escapes LIKE wildcards; statements say ESCAPE '\'.
std::string like(const std::string& q) {
    std::string out = "%";
    for (char c : q) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out + "%";
}

}  // namespace

std::size_t JobStore::replace(long long district_id, const std::vector<Job>& jobs) {
    std::set<std::string> sources;
    for (const auto& j : jobs) sources.insert(j.source);
    long long now = store::now_unix();
    db_.write([&](soci::session& s) {
        for (const auto& src : sources)
            s << "DELETE FROM jobs WHERE district_id = :d AND source = :s", use(district_id), use(src);
        for (const auto& j : jobs) {
            s << "INSERT INTO jobs (id, district_id, source, external_id, title, employer, place, wage, "
                 "period, contact, "
                 "url, description, valid_until, imported_at) VALUES (:i, :d, :s, :x, :t, :e, :p, :w, :pe, "
                 ":c, :u, :de, "
                 ":v, :a)",
                use(j.id), use(district_id), use(j.source), use(j.external_id), use(j.title), use(j.employer),
                use(j.place), use(j.wage), use(j.period), use(j.contact), use(j.url), use(j.description),
                use(j.valid_until), use(now);
        }
    });
    return jobs.size();
}

Page<Job> JobStore::list(long long district_id, const std::string& q, const std::string& today,
                         long long offset, long long limit) {
    Page<Job> out;
    std::string pattern = like(q);
    std::string where =
        " FROM jobs WHERE district_id = :d AND valid_until >= :t AND (LOWER(title) LIKE :q1 ESCAPE '\\' OR "
        "LOWER(employer) LIKE :q2 ESCAPE '\\' OR LOWER(place) LIKE :q3 ESCAPE '\\' OR LOWER(description) "
        "LIKE :q4 "
        "ESCAPE '\\')";
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*)" + where, use(district_id), use(today), use(pattern), use(pattern),
            use(pattern), use(pattern), into(out.total);
        Job j;
        soci::statement st =
            (s.prepare << "SELECT id, district_id, source, external_id, title, employer, place, wage, "
                          "period, contact, "
                          "url, description, valid_until" +
                              where + " ORDER BY valid_until, title, id LIMIT :l OFFSET :o",
             into(j.id), into(j.district_id), into(j.source), into(j.external_id), into(j.title),
             into(j.employer), into(j.place), into(j.wage), into(j.period), into(j.contact), into(j.url),
             into(j.description), into(j.valid_until), use(district_id), use(today), use(pattern),
             use(pattern), use(pattern), use(pattern), use(limit), use(offset));
        st.execute();
        while (st.fetch()) out.items.push_back(j);
    });
    return out;
}

}  // namespace dure::catalog
