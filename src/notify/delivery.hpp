#pragma once
// Outbox delivery: sends the due outbox rows (notify/outbox.hpp) through the configured
// channels, urgent ones first, each claimed so that it is sent once across processes, with
// retries and exponential backoff; an undecodable row, or one that failed its last retry, is set
// "dead". When a message may go out (the recipient's quiet hours) is the caller's rule.
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "notify/channels.hpp"

namespace dure::store {
class Database;
}
namespace dure::identity {
class Keyring;
}

namespace dure::notify {

struct DeliveryStats {
    int sent = 0, retried = 0, dead = 0, deferred = 0;
};

// The retry schedule: seconds to wait after the 1st, 2nd … failed attempt; after the last the
// message is given up ("dead").
inline constexpr long long kBackoff[] = {60, 300, 1800, 7200, 43200};

class OutboxDelivery {
public:
    // `send_after(account_id, now)`: the first moment a non-urgent message to the account may be
    // sent (now, or the end of its quiet hours).
    using SendAfter = std::function<long long(long long account_id, long long now)>;
    OutboxDelivery(store::Database& db, const identity::Keyring& keys, SendAfter send_after);

    void set_email(std::unique_ptr<EmailSender> s) { email_ = std::move(s); }
    void set_webhook(std::unique_ptr<WebhookSender> s) { webhook_ = std::move(s); }
    bool email_configured() const { return email_ != nullptr; }
    bool sms_configured() const { return webhook_ != nullptr; }

    // Sends the due outbox messages (at most 200 a pass).
    DeliveryStats deliver(long long now);

    // How long a claimed row is reserved for its sender before another may take it over.
    static constexpr long long kClaimSeconds = 120;

private:
    struct Claimed {
        long long id = 0, account_id = 0, attempts = 0;
        std::string channel, payload_enc;
    };
    std::optional<Claimed> claim_next(long long now);
    store::Database& db_;
    const identity::Keyring& keys_;
    SendAfter send_after_;
    std::unique_ptr<EmailSender> email_;
    std::unique_ptr<WebhookSender> webhook_;
};

}  // namespace dure::notify
