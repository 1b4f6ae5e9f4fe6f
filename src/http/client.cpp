#include "http/client.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace dure::http {

namespace {

struct Sink {
    std::string body;
    std::size_t max = 0;
    bool too_big = false;
};

std::size_t on_data(char* ptr, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    std::size_t bytes = size * n;
    if (sink->body.size() + bytes > sink->max) {
        sink->too_big = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    sink->body.append(ptr, bytes);
    return bytes;
}

}  // namespace

std::string http_get(const std::string& url, long timeout_seconds, std::size_t max_bytes) {
    if (!url.starts_with("http://") && !url.starts_with("https://"))
        throw std::runtime_error("only http:// and https:// addresses can be fetched");
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) throw std::runtime_error("libcurl could not start");
    Sink sink;
    sink.max = max_bytes;
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "dure/0.1 (+https://dure.kr)");
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    CURLcode rc = curl_easy_perform(curl.get());
    if (sink.too_big) throw std::runtime_error("the answer is larger than " + std::to_string(max_bytes) + " bytes");
    if (rc != CURLE_OK) throw std::runtime_error(std::string("fetch failed: ") + (error[0] ? error : curl_easy_strerror(rc)));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) throw std::runtime_error("the server answered HTTP " + std::to_string(status));
    return std::move(sink.body);
}

}  // namespace dure::http
