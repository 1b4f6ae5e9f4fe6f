#include "notify/outbox.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>

#include "identity/crypto.hpp"

namespace dure::notify {

bool is_urgent(const std::string& payload) {
    boost::system::error_code ec;
    auto v = boost::json::parse(payload, ec);
    if (ec) return false;
    const auto* o = v.if_object();
    if (!o) return false;
    const auto* u = o->if_contains("urgent");
    return u && u->is_bool() && u->as_bool();
}

void enqueue(soci::session& s, const identity::Keyring& keys, long long account_id, const std::string& kind,
             const std::string& title, const std::string& body, const std::vector<Delivery>& deliveries, long long now) {
    std::string body_enc = keys.encrypt(body, kInboxBodyContext);
    s << "INSERT INTO inbox_messages (account_id, created_at, kind, title, body_enc) VALUES (:a, :c, :k, :t, :b)",
        soci::use(account_id), soci::use(now), soci::use(kind), soci::use(title), soci::use(body_enc);
    for (const auto& d : deliveries) {
        std::string enc = keys.encrypt(d.payload, kOutboxPayloadContext), pending = "pending";
        long long urgent = is_urgent(d.payload) ? 1 : 0;
        s << "INSERT INTO outbox (account_id, kind, channel, payload_enc, status, next_attempt_at, created_at, urgent) "
             "VALUES (:a, :k, :c, :p, :s, :n, :t, :u)",
            soci::use(account_id), soci::use(kind), soci::use(d.channel), soci::use(enc), soci::use(pending),
            soci::use(now), soci::use(now), soci::use(urgent);
    }
}

}  // namespace dure::notify
