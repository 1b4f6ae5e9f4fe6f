#pragma once
// Outgoing HTTP for partner feeds (libcurl). Blocking: call from the CLI or the worker pool.
#include <cstddef>
#include <string>

namespace dure::http {

// GETs `url` (http or https only), following at most 3 redirects, giving up after
// `timeout_seconds`, refusing bodies over `max_bytes`. Returns the body of a 2xx answer;
// throws std::runtime_error saying what went wrong otherwise.
std::string http_get(const std::string& url, long timeout_seconds = 30, std::size_t max_bytes = 16 * 1024 * 1024);

}  // namespace dure::http
