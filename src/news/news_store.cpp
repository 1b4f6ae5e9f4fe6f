#include "news/news_store.hpp"

#include <soci/soci.h>

namespace dure::catalog {

using soci::into;
using soci::use;

namespace {

constexpr const char* kColumns =
    "id, district_id, title, body, published_at, created_by, updated_by, created_at, updated_at";

}  // namespace

NewsItem NewsStore::create(NewsItem n) {
    n.created_at = n.updated_at = store::now_unix();
    if (n.updated_by.empty()) n.updated_by = n.created_by;
    db_.write([&](soci::session& s) {
        s << "INSERT INTO news (district_id, title, body, published_at, created_by, updated_by, created_at, "
             "updated_at) "
             "VALUES (:d, :t, :b, :p, :cb, :ub, :ca, :ua) RETURNING id",
            use(n.district_id), use(n.title), use(n.body), use(n.published_at), use(n.created_by),
            use(n.updated_by), use(n.created_at), use(n.updated_at), into(n.id);
    });
    return n;
}

bool NewsStore::update(const NewsItem& n) {
    long long now = store::now_unix(), changed = 0;
    db_.write([&](soci::session& s) {
        soci::statement st =
            (s.prepare << "UPDATE news SET title = :t, body = :b, published_at = :p, updated_by = :u, "
                          "updated_at = :a WHERE id = :i",
             use(n.title), use(n.body), use(n.published_at), use(n.updated_by), use(now), use(n.id));
        st.execute(true);
        changed = st.get_affected_rows();
    });
    return changed == 1;
}

bool NewsStore::remove(long long id) {
    long long changed = 0;
    db_.write([&](soci::session& s) {
        soci::statement st = (s.prepare << "DELETE FROM news WHERE id = :i", use(id));
        st.execute(true);
        changed = st.get_affected_rows();
    });
    return changed == 1;
}

std::optional<NewsItem> NewsStore::get(long long id) {
    std::optional<NewsItem> out;
    db_.read([&](soci::session& s) {
        NewsItem n;
        soci::statement st =
            (s.prepare << std::string("SELECT ") + kColumns + " FROM news WHERE id = :i", into(n.id),
             into(n.district_id), into(n.title), into(n.body), into(n.published_at), into(n.created_by),
             into(n.updated_by), into(n.created_at), into(n.updated_at), use(id));
        st.execute();
        if (st.fetch()) out = n;
    });
    return out;
}

Page<NewsItem> NewsStore::list(long long district_id, long long published_by, long long offset,
                               long long limit) {
    Page<NewsItem> out;
    long long cutoff = published_by > 0 ? published_by : (1LL << 62);
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM news WHERE district_id = :d AND published_at <= :p", use(district_id),
            use(cutoff), into(out.total);
        NewsItem n;
        soci::statement st =
            (s.prepare << std::string("SELECT ") + kColumns +
                              " FROM news WHERE district_id = :d AND published_at <= :p "
                              "ORDER BY published_at DESC, id DESC LIMIT :l OFFSET :o",
             into(n.id), into(n.district_id), into(n.title), into(n.body), into(n.published_at),
             into(n.created_by), into(n.updated_by), into(n.created_at), into(n.updated_at), use(district_id),
             use(cutoff), use(limit), use(offset));
        st.execute();
        while (st.fetch()) out.items.push_back(n);
    });
    return out;
}

}  // namespace dure::catalog
