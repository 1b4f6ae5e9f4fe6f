#pragma once
// Plain request and response values passed between the server and handlers. No Beast here:
// modules include this header, never the network library.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dure::http {

struct Request {
    std::string method;  // upper case, e.g. "GET"
    std::string target;  // as sent: path and query
    std::string path;    // percent-decoded path
    std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
    std::vector<std::pair<std::string, std::string>> headers;  // names lower case
    std::string body;
    std::string remote_addr;
    std::string request_id;
    bool secure = false;  // reached us over TLS (as told by a trusted proxy)
    std::unordered_map<std::string, std::string> params;  // from the route's path template

    std::optional<std::string> header(std::string_view name) const;
    std::optional<std::string> query_param(std::string_view name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    const std::string& param(const std::string& name) const { return params.at(name); }
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    Response& set_header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

// A personal answer that no cache (browser or proxy) may keep.
inline Response no_store(Response r) {
    r.set_header("Cache-Control", "no-store");
    return r;
}

}  // namespace dure::http
