#include "notify/outbox.hpp"

#include <soci/soci.h>

#include "identity/crypto.hpp"

namespace dure::notify {

void enqueue(soci::session& s, const identity::Keyring& keys, long long account_id, const std::string& kind,
             const std::string& title, const std::string& body, const std::vector<Delivery>& deliveries, long long now) {
    std::string body_enc = keys.encrypt(body, kInboxBodyContext);
    s << "INSERT INTO inbox_messages (account_id, created_at, kind, title, body_enc) VALUES (:a, :c, :k, :t, :b)",
        soci::use(account_id), soci::use(now), soci::use(kind), soci::use(title), soci::use(body_enc);
    for (const auto& d : deliveries) {
        std::string enc = keys.encrypt(d.payload, kOutboxPayloadContext), pending = "pending";
        s << "INSERT INTO outbox (account_id, kind, channel, payload_enc, status, next_attempt_at, created_at) "
             "VALUES (:a, :k, :c, :p, :s, :n, :t)",
            soci::use(account_id), soci::use(kind), soci::use(d.channel), soci::use(enc), soci::use(pending),
            soci::use(now), soci::use(now);
    }
}

}  // namespace dure::notify
