#pragma once
// Delivery channels at the edge of the world: e-mail over SMTP (libcurl) and an HMAC-signed
// webhook for SMS and chat gateways. Both throw std::runtime_error on failure; the outbox
// (eligibility/alerts) retries with backoff. Each attempt is bounded: 5 s to connect, 15 s (SMTP)
// or 10 s (webhook) in all.
#include <memory>
#include <string>

namespace dure::notify {

struct Email {
    std::string to, subject, text;
    std::string unsubscribe_url;  // sent as List-Unsubscribe (RFC 2369) with One-Click (RFC 8058)
    // The left part of the Message-ID, stable per outbox row ("outbox-42"), so a resend after a
    // crash carries the same id and the receiving side can drop the duplicate. Empty: a fresh one.
    std::string message_id;
};

class EmailSender {
public:
    virtual ~EmailSender() = default;
    virtual void send(const Email& e) = 0;
};

// smtp://host:port or smtps://host:port; `from` is the envelope and header sender.
class SmtpSender : public EmailSender {
public:
    SmtpSender(std::string url, std::string from, std::string user = {}, std::string password = {});
    void send(const Email& e) override;

private:
    std::string url_, from_, user_, password_;
};

class WebhookSender {
public:
    virtual ~WebhookSender() = default;
    // POSTs the JSON body; headers X-Dure-Timestamp and X-Dure-Signature
    // ("sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)).
    virtual void post(const std::string& json_body) = 0;
};

class HttpWebhookSender : public WebhookSender {
public:
    HttpWebhookSender(std::string url, std::string secret);
    void post(const std::string& json_body) override;

private:
    std::string url_, secret_;
};

// The signature a receiver recomputes to check a webhook.
std::string webhook_signature(const std::string& secret, const std::string& timestamp, const std::string& body);

// The MIME text of an e-mail (UTF-8, base64 subject and body), for the SMTP upload.
std::string mime_message(const std::string& from, const Email& e, const std::string& message_id);

}  // namespace dure::notify
