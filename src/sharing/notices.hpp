#pragma once
// How help matching tells people (docs/sharing.md "Notices"): every state change (vetting,
// proposed, accepted, active, completed, cancelled, escalation) is an inbox message (알림함)
// through notify::enqueue in the same transaction as the change, plus an SMS and an e-mail when
// that channel is configured (DURE_ALERT_WEBHOOK_URL, DURE_SMTP_URL) and the account has a phone
// or an e-mail. No name, address or detail of anyone leaves in a message: the link leads to the
// page that shows it.
#include <string>

namespace soci {
class session;
}
namespace dure::identity {
class Keyring;
}

namespace dure::sharing {

struct Channels {
    bool email = false, sms = false;
    std::string public_url;  // links in SMS and e-mail
};

// Inbox message for `account` (nothing when 0), with its SMS / e-mail deliveries queued.
void tell(soci::session& s, const identity::Keyring& keys, const Channels& ch, long long account, const std::string& kind,
          const std::string& title, const std::string& body, long long now, const std::string& path = "/me/sharing");

}  // namespace dure::sharing
