#include "notify/channels.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace dure::notify {

namespace {

void curl_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string b64(const std::string& s) {
    std::string out(sodium_base64_encoded_len(s.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(s.data()), s.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

// Header values must not carry line breaks (header injection).
std::string one_line(std::string s) {
    for (auto& c : s)
        if (c == '\r' || c == '\n') c = ' ';
    return s;
}

struct Upload {
    const std::string* text;
    std::size_t pos = 0;
};
std::size_t read_cb(char* buf, std::size_t size, std::size_t n, void* user) {
    auto* u = static_cast<Upload*>(user);
    std::size_t left = u->text->size() - u->pos, len = std::min(left, size * n);
    std::memcpy(buf, u->text->data() + u->pos, len);
    u->pos += len;
    return len;
}
std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

}  // namespace

std::string mime_message(const std::string& from, const Email& e, const std::string& message_id) {
    std::string body64 = b64(e.text), wrapped;
    for (std::size_t i = 0; i < body64.size(); i += 76) wrapped += body64.substr(i, 76) + "\r\n";
    std::time_t now = std::time(nullptr);
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", std::gmtime(&now));
    std::string m = "Date: " + std::string(date) + "\r\n" + "From: " + one_line(from) + "\r\n" + "To: " + one_line(e.to) +
                    "\r\n" + "Message-ID: <" + one_line(message_id) + ">\r\n" + "Subject: =?UTF-8?B?" + b64(one_line(e.subject)) +
                    "?=\r\n" + "MIME-Version: 1.0\r\n" + "Content-Type: text/plain; charset=UTF-8\r\n" +
                    "Content-Transfer-Encoding: base64\r\n";
    if (!e.unsubscribe_url.empty())
        m += "List-Unsubscribe: <" + one_line(e.unsubscribe_url) + ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    return m + "\r\n" + wrapped;
}

SmtpSender::SmtpSender(std::string url, std::string from, std::string user, std::string password)
    : url_(std::move(url)), from_(std::move(from)), user_(std::move(user)), password_(std::move(password)) {
    if (!url_.starts_with("smtp://") && !url_.starts_with("smtps://"))
        throw std::runtime_error("the SMTP address must start with smtp:// or smtps://");
}

void SmtpSender::send(const Email& e) {
    if (e.to.empty() || e.to.find_first_of("\r\n<>") != std::string::npos) throw std::runtime_error("bad recipient");
    curl_init();
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) throw std::runtime_error("libcurl could not start");
    std::string domain = from_.substr(from_.find('@') == std::string::npos ? 0 : from_.find('@') + 1);
    std::string local = e.message_id.empty() ? std::to_string(std::chrono::system_clock::now().time_since_epoch().count())
                                             : e.message_id;
    std::string message = mime_message(from_, e, local + "@" + domain);
    Upload up{&message};
    std::string mail_from = "<" + from_ + ">", rcpt = "<" + e.to + ">";
    curl_slist* rcpts = curl_slist_append(nullptr, rcpt.c_str());
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, mail_from.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(curl.get(), CURLOPT_READDATA, &up);
    curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 15L);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    if (!user_.empty()) {
        curl_easy_setopt(curl.get(), CURLOPT_USERNAME, user_.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, password_.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    }
    CURLcode rc = curl_easy_perform(curl.get());
    curl_slist_free_all(rcpts);
    if (rc != CURLE_OK) throw std::runtime_error(std::string("smtp: ") + (error[0] ? error : curl_easy_strerror(rc)));
}

std::string webhook_signature(const std::string& secret, const std::string& timestamp, const std::string& body) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    std::string data = timestamp + "." + body;
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[sizeof mac * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string("sha256=") + hex;
}

HttpWebhookSender::HttpWebhookSender(std::string url, std::string secret) : url_(std::move(url)), secret_(std::move(secret)) {
    if (!url_.starts_with("http://") && !url_.starts_with("https://"))
        throw std::runtime_error("the webhook address must start with http:// or https://");
    if (secret_.size() < 16) throw std::runtime_error("the webhook secret must be at least 16 characters");
}

void HttpWebhookSender::post(const std::string& body) {
    curl_init();
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) throw std::runtime_error("libcurl could not start");
    std::string ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch()).count());
    std::string h1 = "X-Dure-Timestamp: " + ts, h2 = "X-Dure-Signature: " + webhook_signature(secret_, ts, body);
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, h1.c_str());
    headers = curl_slist_append(headers, h2.c_str());
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl.get(), CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    CURLcode rc = curl_easy_perform(curl.get());
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) throw std::runtime_error(std::string("webhook: ") + (error[0] ? error : curl_easy_strerror(rc)));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) throw std::runtime_error("webhook: the gateway answered HTTP " + std::to_string(status));
}

}  // namespace dure::notify
