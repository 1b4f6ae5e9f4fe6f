#include "sharing/notices.hpp"

#include <boost/json.hpp>
#include <vector>

#include "identity/store.hpp"
#include "notify/outbox.hpp"

namespace dure::sharing {

void tell(soci::session& s, const identity::Keyring& keys, const Channels& ch, long long account, const std::string& kind,
          const std::string& title, const std::string& body, long long now, const std::string& path) {
    if (!account) return;
    std::vector<notify::Delivery> d;
    if (ch.sms || ch.email) {
        auto who = identity::IdentityStore::contact_in(s, keys, account);
        std::string link = ch.public_url + path;
        namespace json = boost::json;
        if (who && ch.sms && !who->phone.empty())
            d.push_back({"sms", json::serialize(json::object{{"to", who->phone}, {"text", "[두레] " + title + " " + link}})});
        if (who && ch.email && !who->email.empty())
            d.push_back({"email", json::serialize(json::object{{"to", who->email},
                                                               {"subject", "[두레] " + title},
                                                               {"text", body + "\n\n확인: " + link},
                                                               {"unsubscribe", ""}})});
    }
    notify::enqueue(s, keys, account, kind, title, body, d, now);
}

}  // namespace dure::sharing
