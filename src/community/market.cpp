#include "community/market.hpp"

#include <soci/soci.h>

#include "common/error.hpp"
#include "community/rules.hpp"
#include "notify/outbox.hpp"

namespace dure::community {

using soci::into;
using soci::use;

namespace {

constexpr const char* kCols =
    "id, district_id, dong_id, owner_id, kind, title, description, handover_place, status, reserved_request, hidden, "
    "reports, moderation_note, created_at";

std::vector<MarketItem> items(soci::session& s, const std::string& where, long long p) {
    std::vector<MarketItem> out;
    MarketItem x;
    long long hidden = 0;
    soci::statement st = (s.prepare << std::string("SELECT ") + kCols + " FROM community_market_items WHERE " + where,
                          into(x.id), into(x.district_id), into(x.dong_id), into(x.owner_id), into(x.kind), into(x.title),
                          into(x.description), into(x.handover_place), into(x.status), into(x.reserved_request),
                          into(hidden), into(x.reports), into(x.moderation_note), into(x.created_at), use(p));
    st.execute();
    while (st.fetch()) {
        x.hidden = hidden != 0;
        out.push_back(x);
    }
    return out;
}

MarketItem one(soci::session& s, long long id) {
    auto v = items(s, "id = :i", id);
    if (v.empty()) throw Error(ErrorKind::not_found, "no such item");
    return v.front();
}

std::vector<MarketRequest> reqs(soci::session& s, const std::string& where, long long p) {
    std::vector<MarketRequest> out;
    MarketRequest r;
    soci::statement st = (s.prepare << "SELECT id, item_id, account_id, message, status, created_at FROM "
                                       "community_market_requests WHERE " + where,
                          into(r.id), into(r.item_id), into(r.account_id), into(r.message), into(r.status),
                          into(r.created_at), use(p));
    st.execute();
    while (st.fetch()) out.push_back(r);
    return out;
}

}  // namespace

long long MarketStore::create(const MarketItem& x, long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) {
        s << "INSERT INTO community_market_items (district_id, dong_id, owner_id, kind, title, description, handover_place, "
             "status, created_at, updated_at) VALUES (:d, :g, :o, :k, :t, :ds, :h, 'listed', :n, :n2) RETURNING id",
            use(x.district_id), use(x.dong_id), use(x.owner_id), use(x.kind), use(x.title), use(x.description),
            use(x.handover_place), use(now), use(now), into(id);
    });
    return id;
}

std::optional<MarketItem> MarketStore::item(long long id) {
    std::vector<MarketItem> v;
    db_.read([&](soci::session& s) { v = items(s, "id = :i", id); });
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<MarketItem> MarketStore::visible(long long district_id) {
    std::vector<MarketItem> v;
    db_.read([&](soci::session& s) {
        v = items(s, "district_id = :d AND hidden = 0 AND status IN ('listed', 'reserved') ORDER BY id DESC", district_id);
    });
    return v;
}

std::vector<MarketItem> MarketStore::of_owner(long long owner_id) {
    std::vector<MarketItem> v;
    db_.read([&](soci::session& s) { v = items(s, "owner_id = :o ORDER BY id DESC", owner_id); });
    return v;
}

std::vector<MarketItem> MarketStore::to_review(long long district_id) {
    std::vector<MarketItem> v;
    db_.read([&](soci::session& s) {
        v = items(s, "district_id = :d AND hidden = 1 AND status <> 'removed' ORDER BY id", district_id);
    });
    return v;
}

MarketRequest MarketStore::ask(long long item_id, long long account_id, const std::string& message, long long now) {
    MarketRequest out;
    db_.write([&](soci::session& s) {
        auto x = one(s, item_id);
        if (x.hidden || x.status != "listed")
            throw Error(ErrorKind::validation, "this item is not available",
                        {{"item_id", "not_available", "the item is " + std::string(x.hidden ? "under review" : x.status)}});
        if (x.owner_id == account_id)
            throw Error(ErrorKind::validation, "your own item", {{"item_id", "own_item", "you listed this item"}});
        long long n = 0;
        s << "SELECT COUNT(*) FROM community_market_requests WHERE item_id = :i AND account_id = :a", into(n), use(item_id),
            use(account_id);
        if (n) throw Error(ErrorKind::validation, "asked already", {{"item_id", "already_asked", "you asked for this item already"}});
        long long id = 0;
        s << "INSERT INTO community_market_requests (item_id, account_id, message, status, created_at) VALUES (:i, :a, :m, "
             "'asked', :n) RETURNING id",
            use(item_id), use(account_id), use(message), use(now), into(id);
        notify::enqueue(s, keys_, x.owner_id, "community_market", "[두레] 나눔 요청: " + x.title,
                        "나눔장터에 올린 '" + x.title + "'을 원하는 이웃이 있습니다. 나의 나눔에서 받을 분을 고르세요.\n\n"
                        "Someone asked for '" + x.title + "'.",
                        {}, now);
        out = reqs(s, "id = :i", id).front();
    });
    return out;
}

std::vector<MarketRequest> MarketStore::requests(long long item_id) {
    std::vector<MarketRequest> v;
    db_.read([&](soci::session& s) { v = reqs(s, "item_id = :i ORDER BY id", item_id); });
    return v;
}

std::vector<MarketRequest> MarketStore::requests_of(long long account_id) {
    std::vector<MarketRequest> v;
    db_.read([&](soci::session& s) { v = reqs(s, "account_id = :a ORDER BY id DESC", account_id); });
    return v;
}

MarketItem MarketStore::choose(long long item_id, long long request_id, long long now) {
    MarketItem out;
    db_.write([&](soci::session& s) {
        auto r = reqs(s, "id = :i", request_id);
        if (r.empty() || r.front().item_id != item_id || r.front().status != "asked")
            throw Error(ErrorKind::validation, "no such request",
                        {{"request_id", "not_found", "no open request with this id for this item"}});
        soci::statement st = (s.prepare << "UPDATE community_market_items SET status = 'reserved', reserved_request = :r, "
                                           "updated_at = :n WHERE id = :i AND status = 'listed' AND hidden = 0",
                              use(request_id), use(now), use(item_id));
        st.execute(true);
        if (st.get_affected_rows() != 1) throw Error(ErrorKind::conflict, "the item is not listed (reserved already?)");
        s << "UPDATE community_market_requests SET status = 'chosen' WHERE id = :r", use(request_id);
        auto x = one(s, item_id);
        notify::enqueue(s, keys_, r.front().account_id, "community_market", "[두레] 나눔 받을 분으로 정해졌습니다: " + x.title,
                        "'" + x.title + "'을 받을 분으로 정해졌습니다. 건네받는 곳: " + x.handover_place +
                            "\n\nYou were chosen for '" + x.title + "'. Hand-over place: " + x.handover_place,
                        {}, now);
        out = x;
    });
    return out;
}

MarketItem MarketStore::move(long long item_id, const std::string& to, long long now) {
    MarketItem out;
    db_.write([&](soci::session& s) {
        auto x = one(s, item_id);
        if (!market_transition(x.kind, x.status, to))
            throw Error(ErrorKind::conflict, "an item that is " + x.status + " cannot become " + to);
        soci::statement st = (s.prepare << "UPDATE community_market_items SET status = :t, updated_at = :n WHERE id = :i AND "
                                           "status = :f",
                              use(to), use(now), use(item_id), use(x.status));
        st.execute(true);
        if (st.get_affected_rows() != 1) throw Error(ErrorKind::conflict, "the item changed meanwhile; reload");
        if (to == "listed" || to == "withdrawn") {
            // Released, returned or withdrawn: the reservation ends; a returned loan can be asked again.
            s << "UPDATE community_market_items SET reserved_request = 0 WHERE id = :i", use(item_id);
            s << "UPDATE community_market_requests SET status = 'declined' WHERE item_id = :i AND status IN ('asked', "
                 "'chosen')",
                use(item_id);
            if (x.status == "handed_over") s << "DELETE FROM community_market_requests WHERE item_id = :i", use(item_id);
        }
        out = one(s, item_id);
    });
    return out;
}

MarketItem MarketStore::report(long long item_id, long long account_id, const std::string& reason, long long now) {
    MarketItem out;
    db_.write([&](soci::session& s) {
        auto x = one(s, item_id);
        long long n = 0;
        s << "SELECT COUNT(*) FROM community_market_reports WHERE item_id = :i AND account_id = :a", into(n), use(item_id),
            use(account_id);
        if (n) throw Error(ErrorKind::validation, "reported already", {{"item_id", "already_reported", "you reported this item already"}});
        s << "INSERT INTO community_market_reports (item_id, account_id, reason, created_at) VALUES (:i, :a, :r, :n)",
            use(item_id), use(account_id), use(reason), use(now);
        s << "UPDATE community_market_items SET hidden = 1, reports = reports + 1, updated_at = :n WHERE id = :i", use(now),
            use(item_id);
        (void)x;
        out = one(s, item_id);
    });
    return out;
}

MarketItem MarketStore::review(long long item_id, const std::string& decision, const std::string& note, long long now) {
    MarketItem out;
    db_.write([&](soci::session& s) {
        auto x = one(s, item_id);
        if (!x.hidden || x.status == "removed") throw Error(ErrorKind::conflict, "the item is not awaiting review");
        if (decision == "restore")
            s << "UPDATE community_market_items SET hidden = 0, moderation_note = :m, updated_at = :n WHERE id = :i", use(note),
                use(now), use(item_id);
        else
            s << "UPDATE community_market_items SET status = 'removed', moderation_note = :m, updated_at = :n WHERE id = :i",
                use(note), use(now), use(item_id);
        notify::enqueue(s, keys_, x.owner_id, "community_market",
                        decision == "restore" ? "[두레] 나눔 글이 다시 보입니다: " + x.title : "[두레] 나눔 글이 내려졌습니다: " + x.title,
                        (decision == "restore" ? "신고된 '" + x.title + "'을 검토했고 다시 보이게 했습니다."
                                               : "신고된 '" + x.title + "'을 검토해 내렸습니다. 사유: " + note) +
                            "\n\nYour listing '" + x.title + "' was " + (decision == "restore" ? "restored" : "removed: " + note),
                        {}, now);
        out = one(s, item_id);
    });
    return out;
}

}  // namespace dure::community
