#pragma once
// The web UI's built files, read into memory once at start, served with strong ETags.
// Paths without a file fall back to index.html so the single-page app can route itself.
// Text files are also kept gzip-compressed, for clients that accept it (old phones, slow links).
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace dure::http {

class StaticFiles {
public:
    // Loads every file under `root` (missing root: nothing to serve, every lookup misses).
    explicit StaticFiles(const std::filesystem::path& root);

    // The response for a GET/HEAD of `path`, honouring If-None-Match; nullopt if no file and no
    // index.html to fall back to.
    std::optional<Response> serve(const Request& req) const;

    std::size_t size() const { return files_.size(); }

private:
    struct File {
        std::string body;
        std::string gzip;  // gzip-compressed body when that is smaller, else empty
        std::string etag;
        std::string content_type;
    };
    std::map<std::string, File> files_;  // "/assets/x.js" -> file
};

}  // namespace dure::http
