#pragma once
// Membership alerts. The re-screening job evaluates every consenting member's stored household
// against the rules in force on a date, compares with what the member was last told (per
// program), and for each member with news writes one in-app message with the reasons and queues
// e-mail / SMS-gateway deliveries in the outbox. The outbox is delivered with retries and
// exponential backoff, never during the member's quiet hours (Korean time). Unsubscribing is one
// click on a signed link.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "eligibility/rules.hpp"
#include "eligibility/store.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "notify/channels.hpp"
#include "notify/delivery.hpp"
#include "store/database.hpp"

namespace dure::eligibility {

struct AlertSettings {
    bool email = false;
    bool sms = false;
    int quiet_start = 21;  // hour (Korea), inclusive
    int quiet_end = 8;     // hour (Korea), exclusive; start == end: no quiet hours
};

struct InboxMessage {
    long long id = 0, created_at = 0, read_at = 0;
    std::string kind, title, body;
};

struct RescreenStats {
    int members = 0, skipped = 0, notified = 0, changes = 0;
};

// Outbox delivery lives in notify/delivery.hpp; the alerts service runs it with the members'
// quiet hours.
using notify::DeliveryStats;
using notify::kBackoff;

// True when `unix_time` falls in the quiet hours (Korean time; the window may wrap midnight).
bool in_quiet_hours(const AlertSettings& s, long long unix_time);
// The first moment at or after `unix_time` outside the quiet hours.
long long after_quiet_hours(const AlertSettings& s, long long unix_time);

class AlertService {
public:
    AlertService(store::Database& db, const identity::Keyring& keys, identity::IdentityStore& ids,
                 ProfileStore& profiles, std::shared_ptr<const Rules> rules, std::string public_url);

    void set_email(std::unique_ptr<notify::EmailSender> s) { delivery_.set_email(std::move(s)); }
    void set_webhook(std::unique_ptr<notify::WebhookSender> s) { delivery_.set_webhook(std::move(s)); }
    bool email_configured() const { return delivery_.email_configured(); }
    bool sms_configured() const { return delivery_.sms_configured(); }

    AlertSettings settings(long long account_id);
    void save_settings(long long account_id, const AlertSettings& s);

    std::vector<InboxMessage> inbox(long long account_id, int limit = 50);
    bool mark_read(long long account_id, long long id);

    // The one-click unsubscribe link's token for an account, and its check.
    std::string unsubscribe_token(long long account_id) const;
    // Turns off alerts (consent, e-mail, SMS) for the token's account; false for a bad token.
    bool unsubscribe(const std::string& token);

    RescreenStats rescreen(Days date, long long now);
    // Sends the due outbox messages, urgent ones first, each claimed so that it is sent once
    // across processes; an undecodable row, or one that failed its last retry, is set "dead".
    DeliveryStats deliver(long long now);

    // How long a claimed row is reserved for its sender before another may take it over.
    static constexpr long long kClaimSeconds = notify::OutboxDelivery::kClaimSeconds;

private:
    store::Database& db_;
    const identity::Keyring& keys_;
    identity::IdentityStore& ids_;
    ProfileStore& profiles_;
    std::shared_ptr<const Rules> rules_;
    std::string public_url_;
    notify::OutboxDelivery delivery_;
    std::mutex rescreen_mu_;
};

}  // namespace dure::eligibility
