#include "store/idempotency.hpp"

#include <soci/soci.h>

#include <optional>

#include "common/error.hpp"

namespace dure::store {
namespace {

std::optional<StoredAnswer> lookup(soci::session& s, const std::string& key_hash, const std::string& request_hash) {
    std::string req, body, state;
    long long status = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT request_hash, state, status, response FROM idempotency_keys WHERE key_hash = :k", soci::use(key_hash),
        soci::into(req, ind), soci::into(state), soci::into(status), soci::into(body);
    if (!s.got_data() || ind == soci::i_null) return std::nullopt;
    if (req != request_hash)
        throw Error(ErrorKind::conflict, "this Idempotency-Key was used for a different request",
                    {{"Idempotency-Key", "idempotency_key_reused", "use a new key for a new request"}});
    if (state != "done")
        throw Error(ErrorKind::conflict, "a request with this Idempotency-Key is still being processed",
                    {{"Idempotency-Key", "idempotency_key_in_progress", "wait, then retry with the same key"}});
    return StoredAnswer{static_cast<int>(status), body, true};
}

}  // namespace

StoredAnswer run_idempotent(Database& db, const std::string& key_hash, const std::string& request_hash,
                            const std::function<std::pair<int, std::string>(soci::session&)>& write) {
    StoredAnswer out;
    if (key_hash.empty()) {
        db.write([&](soci::session& s) {
            auto [st, body] = write(s);
            out = {st, std::move(body), false};
        });
        return out;
    }
    try {
        db.write([&](soci::session& s) {
            if (auto prior = lookup(s, key_hash, request_hash)) {
                out = *prior;
                return;
            }
            auto [st, body] = write(s);
            long long status = st, now = now_unix();
            s << "INSERT INTO idempotency_keys (key_hash, request_hash, status, response, created_at) "
                 "VALUES (:k, :r, :s, :b, :t)",
                soci::use(key_hash), soci::use(request_hash), soci::use(status), soci::use(body), soci::use(now);
            out = {st, std::move(body), false};
        });
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        if (!is_unique_violation(e)) throw;
        // A concurrent request with the same key committed first: answer as it did.
        std::optional<StoredAnswer> prior;
        db.read([&](soci::session& s) { prior = lookup(s, key_hash, request_hash); });
        if (!prior) throw;
        return *prior;
    }
    return out;
}

}  // namespace dure::store
