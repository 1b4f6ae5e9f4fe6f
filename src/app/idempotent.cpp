#include "app/idempotent.hpp"

#include <soci/soci.h>

#include <optional>

#include "common/error.hpp"
#include "identity/api.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace dure::app {
namespace {

constexpr const char* kContext = "idempotency_keys.response";

struct Prior {
    std::string state, request_hash, content_type, response;
    long long status = 0;
};

std::optional<Prior> find(soci::session& s, const std::string& key) {
    Prior p;
    soci::indicator ind = soci::i_null;
    s << "SELECT state, request_hash, status, content_type, response FROM idempotency_keys WHERE key_hash = :k",
        soci::use(key), soci::into(p.state, ind), soci::into(p.request_hash), soci::into(p.status),
        soci::into(p.content_type), soci::into(p.response);
    if (!s.got_data() || ind == soci::i_null) return std::nullopt;
    return p;
}

// The answer to a request whose key was seen before (throws 409 when it cannot be replayed).
http::Response replay(const Prior& p, const std::string& request_hash, const identity::Keyring& keys) {
    if (p.request_hash != request_hash)
        throw Error(ErrorKind::conflict, "this Idempotency-Key was used for a different request",
                    {{"Idempotency-Key", "idempotency_key_reused", "use a new key for a new request"}});
    if (p.state != "done")
        throw Error(ErrorKind::conflict,
                    "a request with this Idempotency-Key is still being processed (or was interrupted: check "
                    "whether it took effect before sending a new one)",
                    {{"Idempotency-Key", "idempotency_key_in_progress", "wait, then retry with the same key"}});
    http::Response r;
    r.status = static_cast<int>(p.status);
    r.content_type = p.content_type;
    r.body = p.response.empty() ? std::string() : keys.decrypt(p.response, kContext);
    r.set_header("Idempotent-Replayed", "true");
    return r;
}

}  // namespace

void make_idempotent(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids) {
    for (auto& route : router.mutable_routes()) {
        if (!route.idempotent) continue;
        auto inner = route.handler;
        route.handler = [inner, &db, &keys, &ids](http::Request& req) -> http::Response {
            if (!req.header("idempotency-key")) return inner(req);
            auto who = identity::principal_of(ids, req);
            if (!who.authenticated()) return inner(req);
            std::string caller = "account:" + std::to_string(who.account_id) + "\x1f" + req.method + " " + req.path;
            std::string key = identity::idempotency_key(req, caller);
            std::string body_hash = identity::request_hash(req);
            // Claim the key, or answer from what it holds.
            std::optional<http::Response> earlier;
            auto claim = [&](soci::session& s) {
                if (auto p = find(s, key)) {
                    earlier = replay(*p, body_hash, keys);
                    return;
                }
                long long now = store::now_unix();
                s << "INSERT INTO idempotency_keys (key_hash, request_hash, state, created_at) "
                     "VALUES (:k, :r, 'pending', :t)",
                    soci::use(key), soci::use(body_hash), soci::use(now);
            };
            try {
                db.write(claim);
            } catch (const Error&) {
                throw;
            } catch (const std::exception& e) {
                if (!store::is_unique_violation(e)) throw;
                db.read([&](soci::session& s) {
                    if (auto p = find(s, key)) earlier = replay(*p, body_hash, keys);
                });
                if (!earlier) throw;
            }
            if (earlier) return *earlier;
            auto release = [&] {
                db.write([&](soci::session& s) {
                    s << "DELETE FROM idempotency_keys WHERE key_hash = :k AND state = 'pending'", soci::use(key);
                });
            };
            http::Response r;
            try {
                r = inner(req);
            } catch (...) {
                release();
                throw;
            }
            bool sets_cookie = false;
            for (const auto& [name, value] : r.headers)
                if (name == "Set-Cookie" || name == "set-cookie") sets_cookie = true;
            if (r.status >= 500 || sets_cookie) {
                release();
                return r;
            }
            std::string sealed = r.body.empty() ? std::string() : keys.encrypt(r.body, kContext);
            long long status = r.status;
            db.write([&](soci::session& s) {
                s << "UPDATE idempotency_keys SET state = 'done', status = :s, content_type = :c, response = :b "
                     "WHERE key_hash = :k",
                    soci::use(status), soci::use(r.content_type), soci::use(sealed), soci::use(key);
            });
            return r;
        };
    }
}

}  // namespace dure::app
