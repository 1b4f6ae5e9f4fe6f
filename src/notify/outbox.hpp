#pragma once
// The in-app inbox (알림함) and the outbox of e-mail and SMS-gateway deliveries, shared by the
// modules that tell people things: membership alerts (alerts/alerts) and check-in
// escalations (checkins). Messages are written inside the caller's transaction, so a step and
// the word of it are one write; notify::OutboxDelivery (notify/delivery.hpp) sends the outbox
// with retries, claiming each row so that several processes send each message once.
#include <string>
#include <vector>

namespace soci {
class session;
}
namespace dure::identity {
class Keyring;
}

namespace dure::notify {

// Encryption contexts of the message body and of each delivery's payload.
inline constexpr const char* kInboxBodyContext = "inbox_messages.body";
inline constexpr const char* kOutboxPayloadContext = "outbox.payload";

// channel "email": payload {to, subject, text, unsubscribe}; "sms": {to, text}. A payload with
// "urgent": true is sent at once, also in the recipient's quiet hours.
struct Delivery {
    std::string channel, payload;
};

// True when a delivery payload carries "urgent": true (sent first, and in quiet hours).
bool is_urgent(const std::string& payload);

// Writes one inbox message for `account_id` and queues its deliveries.
void enqueue(soci::session& s, const identity::Keyring& keys, long long account_id, const std::string& kind,
             const std::string& title, const std::string& body, const std::vector<Delivery>& deliveries, long long now);

}  // namespace dure::notify
