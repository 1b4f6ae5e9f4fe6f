#include "notify/delivery.hpp"
#include "common/safe_error.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <boost/json.hpp>

#include "identity/crypto.hpp"
#include "notify/outbox.hpp"
#include "store/database.hpp"

namespace dure::notify {

namespace json = boost::json;
using soci::into;
using soci::use;

OutboxDelivery::OutboxDelivery(store::Database& db, const identity::Keyring& keys, SendAfter send_after)
    : db_(db), keys_(keys), send_after_(std::move(send_after)) {}


// Claims the next due row for this sender (urgent ones first): pending and due, or "sending"
// under a claim that ran out (its sender died). One statement: on PostgreSQL
// `FOR UPDATE SKIP LOCKED` lets several processes claim side by side, each row once; on SQLite
// the statement takes the write lock before it reads.
std::optional<OutboxDelivery::Claimed> OutboxDelivery::claim_next(long long now) {
    std::optional<Claimed> out;
    db_.write([&](soci::session& q) {
        Claimed c;
        std::string pending = "pending", sending = "sending";
        // Claims count in real time even when `now` is a simulated one (tests, a stale caller).
        long long wall = std::max(now, store::now_unix()), until = wall + kClaimSeconds;
        std::string sql =
            "UPDATE outbox SET status = :s, claimed_until = :c WHERE id = (SELECT id FROM outbox WHERE (status = :p AND "
            "next_attempt_at <= :n) OR (status = :s2 AND claimed_until < :w) ORDER BY urgent DESC, next_attempt_at, id LIMIT 1";
        if (db_.dialect() == store::Dialect::postgresql) sql += " FOR UPDATE SKIP LOCKED";
        sql += ") RETURNING id, account_id, attempts, channel, payload_enc";
        q << sql, into(c.id), into(c.account_id), into(c.attempts), into(c.channel), into(c.payload_enc), use(sending),
            use(until), use(pending), use(now), use(sending), use(wall);
        if (q.got_data() && c.id != 0) out = c;
    });
    return out;
}

DeliveryStats OutboxDelivery::deliver(long long now) {
    DeliveryStats st;
    // Each row is claimed before it is sent, so a second sender (another process, or
    // `dure alerts deliver`) never sends it again; one bad row is set aside (dead) and the queue
    // goes on. A pass sends at most 200 messages.
    for (int n = 0; n < 200; ++n) {
        auto it = claim_next(now);
        if (!it) break;
        std::string payload, error;
        bool poison = false;
        try {
            payload = keys_.decrypt(it->payload_enc, kOutboxPayloadContext);
            if (!json::parse(payload).is_object()) throw std::runtime_error("the payload is not a JSON object");
        } catch (const std::exception& e) {
            poison = true;
            error = std::string("undecodable payload: ") + e.what();
        }
        bool urgent = !poison && is_urgent(payload);
        if (!poison && !urgent) {
            if (long long next = send_after_(it->account_id, now); next > now) {
                std::string pending = "pending";
                db_.write([&](soci::session& q) {
                    q << "UPDATE outbox SET status = :s, next_attempt_at = :n, claimed_until = 0 WHERE id = :i", use(pending),
                        use(next), use(it->id);
                });
                ++st.deferred;
                continue;
            }
        }
        if (!poison) {
            try {
                auto p = json::parse(payload).as_object();
                if (it->channel == "email") {
                    if (!email_) throw std::runtime_error("no SMTP server configured (DURE_SMTP_URL)");
                    Email e{std::string(p.at("to").as_string()), std::string(p.at("subject").as_string()),
                                    std::string(p.at("text").as_string()), std::string(p.at("unsubscribe").as_string())};
                    e.message_id = "outbox-" + std::to_string(it->id);
                    email_->send(e);
                } else if (it->channel == "sms") {
                    if (!webhook_) throw std::runtime_error("no gateway webhook configured (DURE_ALERT_WEBHOOK_URL)");
                    p["channel"] = "sms";
                    p["message_id"] = it->id;
                    webhook_->post(json::serialize(p));
                } else {
                    throw std::runtime_error("unknown channel " + it->channel);
                }
            } catch (const std::exception& e) {
                error = safe_what(e);
            }
        }
        long long attempts = it->attempts + 1;
        long long done = store::now_unix();
        db_.write([&](soci::session& q) {
            if (error.empty()) {
                std::string sent = "sent";
                q << "UPDATE outbox SET status = :s, attempts = :a, sent_at = :t, last_error = '', claimed_until = 0 WHERE id = :i",
                    use(sent), use(attempts), use(done), use(it->id);
                ++st.sent;
            } else if (poison || attempts > static_cast<long long>(std::size(kBackoff))) {
                std::string dead = "dead";
                q << "UPDATE outbox SET status = :s, attempts = :a, last_error = :e, claimed_until = 0 WHERE id = :i", use(dead),
                    use(attempts), use(error), use(it->id);
                ++st.dead;
            } else {
                std::string pending = "pending";
                long long next = now + kBackoff[attempts - 1];
                q << "UPDATE outbox SET status = :s, attempts = :a, next_attempt_at = :n, last_error = :e, claimed_until = 0 "
                     "WHERE id = :i",
                    use(pending), use(attempts), use(next), use(error), use(it->id);
                ++st.retried;
            }
        });
    }
    return st;
}

}  // namespace dure::notify
