#include "identity/consent_store.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace dure::identity {

using soci::into;
using soci::use;

namespace {

std::mutex hooks_mutex;
std::map<std::string, std::function<void(soci::session&, long long)>>& hooks() {
    static std::map<std::string, std::function<void(soci::session&, long long)>> h;
    return h;
}

}  // namespace

void ConsentStore::on_withdraw(const std::string& kind, std::function<void(soci::session&, long long)> fn) {
    std::lock_guard lock(hooks_mutex);
    hooks()[kind] = std::move(fn);
}

void ConsentStore::append_in(soci::session& s, long long account_id, const ConsentText& text, bool given,
                             const std::string& channel, long long now) {
    std::string action = given ? "given" : "withdrawn";
    s << "INSERT INTO consent_records (account_id, kind, version, text_sha256, action, channel, at) "
         "VALUES (:a, :k, :v, :h, :x, :c, :t)",
        use(account_id), use(text.kind), use(text.version), use(text.sha256), use(action), use(channel), use(now);
}

std::optional<ConsentRecord> ConsentStore::current_in(soci::session& s, long long account_id, const std::string& kind) {
    ConsentRecord r;
    soci::indicator found = soci::i_null;
    s << "SELECT id, kind, version, text_sha256, action, channel, at FROM consent_records "
         "WHERE account_id = :a AND kind = :k ORDER BY id DESC LIMIT 1",
        into(r.id, found), into(r.kind), into(r.version), into(r.text_sha256), into(r.action), into(r.channel), into(r.at),
        use(account_id), use(kind);
    if (found != soci::i_ok) return std::nullopt;
    return r;
}

std::vector<ConsentRecord> ConsentStore::history(long long account_id) {
    std::vector<ConsentRecord> out;
    db_.read([&](soci::session& s) {
        ConsentRecord r;
        soci::statement st = (s.prepare << "SELECT id, kind, version, text_sha256, action, channel, at FROM consent_records "
                                           "WHERE account_id = :a ORDER BY id",
                              into(r.id), into(r.kind), into(r.version), into(r.text_sha256), into(r.action),
                              into(r.channel), into(r.at), use(account_id));
        st.execute();
        while (st.fetch()) out.push_back(r);
    });
    return out;
}

std::vector<ConsentState> ConsentStore::states(long long account_id) {
    std::vector<ConsentState> out;
    for (const auto& r : history(account_id)) {
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.last.kind == r.kind; });
        if (it == out.end()) it = out.insert(out.end(), ConsentState{r, 0});
        it->last = r;
        if (r.action == "given" && !it->first_given_at) it->first_given_at = r.at;
    }
    return out;
}

bool ConsentStore::withdraw(long long account_id, const ConsentText& text, const std::string& channel, long long now) {
    std::function<void(soci::session&, long long)> hook;
    {
        std::lock_guard lock(hooks_mutex);
        if (auto it = hooks().find(text.kind); it != hooks().end()) hook = it->second;
    }
    bool changed = false;
    db_.write([&](soci::session& s) {
        auto cur = current_in(s, account_id, text.kind);
        if (!cur || cur->action != "given") return;
        append_in(s, account_id, text, false, channel, now);
        if (hook) hook(s, account_id);
        changed = true;
    });
    return changed;
}

}  // namespace dure::identity
