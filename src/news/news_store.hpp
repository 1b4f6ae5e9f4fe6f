#pragma once
// All SQL of welfare news.
#include <optional>
#include <vector>

#include "catalog/model.hpp"
#include "news/news.hpp"
#include "store/database.hpp"

namespace dure::catalog {

class NewsStore {
public:
    explicit NewsStore(store::Database& db) : db_(db) {}

    // Stores a new item and returns it with its id.
    NewsItem create(NewsItem n);
    // Saves title, body and published_at of an existing item; false when there is none.
    bool update(const NewsItem& n);
    bool remove(long long id);
    std::optional<NewsItem> get(long long id);
    // A district's news, newest first. `published_by > 0` hides items published after it
    // (what the public sees); 0 lists every item (officials, scheduled ones included).
    Page<NewsItem> list(long long district_id, long long published_by, long long offset, long long limit);

private:
    store::Database& db_;
};

}  // namespace dure::catalog
