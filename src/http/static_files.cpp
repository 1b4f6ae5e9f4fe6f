#include "http/static_files.hpp"

#include <sodium.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

namespace dure::http {

namespace fs = std::filesystem;

namespace {

std::string content_type_for(const fs::path& p) {
    static const std::map<std::string, std::string> kTypes = {
        {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},           {".svg", "image/svg+xml"},
        {".png", "image/png"},                   {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
        {".woff", "font/woff"},                  {".ttf", "font/ttf"},
        {".otf", "font/otf"},                    {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"}, {".map", "application/json"},
        {".geojson", "application/geo+json"},
    };
    auto it = kTypes.find(p.extension().string());
    return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string etag_of(const std::string& body) {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr, 0);
    static const char* kHex = "0123456789abcdef";
    std::string s = "\"";
    for (unsigned char c : h) {
        s += kHex[c >> 4];
        s += kHex[c & 15];
    }
    return s + "\"";
}

// gzip at the highest level: done once at start, so the cost does not matter.
std::string gzip_of(const std::string& in) {
    z_stream zs{};
    if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&zs, in.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.avail_in = static_cast<uInt>(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : std::string();
}

bool compressible(const std::string& content_type) {
    return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
           content_type.starts_with("image/svg") || content_type.starts_with("application/manifest") ||
           content_type.starts_with("application/geo");
}

bool accepts_gzip(const Request& req) {
    auto ae = req.header("accept-encoding");
    return ae && ae->find("gzip") != std::string::npos && ae->find("gzip;q=0") == std::string::npos;
}

}  // namespace

StaticFiles::StaticFiles(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (!it->is_regular_file()) continue;
        std::ifstream in(it->path(), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        File f;
        f.body = ss.str();
        f.content_type = content_type_for(it->path());
        f.etag = etag_of(f.body);
        if (compressible(f.content_type) && f.body.size() > 512) {
            f.gzip = gzip_of(f.body);
            if (f.gzip.size() >= f.body.size()) f.gzip.clear();
        }
        files_["/" + fs::relative(it->path(), root).generic_string()] = std::move(f);
    }
}

std::optional<Response> StaticFiles::serve(const Request& req) const {
    auto it = files_.find(req.path);
    bool fallback = false;
    if (it == files_.end() || req.path == "/") {
        // Asset-like paths that do not exist are real 404s; anything else is an app route.
        if (req.path.starts_with("/assets/")) return std::nullopt;
        it = files_.find("/index.html");
        fallback = true;
        if (it == files_.end()) return std::nullopt;
    }
    const File& f = it->second;
    bool gz = !f.gzip.empty() && accepts_gzip(req);
    // The compressed variant is a different representation, so it gets its own validator.
    std::string etag = gz ? f.etag.substr(0, f.etag.size() - 1) + "-gz\"" : f.etag;
    Response r;
    r.content_type = f.content_type;
    r.set_header("ETag", etag);
    if (!f.gzip.empty()) r.set_header("Vary", "Accept-Encoding");
    bool immutable = !fallback && req.path.starts_with("/assets/");
    r.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    auto inm = req.header("if-none-match");
    if (inm && inm->find(etag) != std::string::npos) {
        r.status = 304;
        return r;
    }
    if (gz) r.set_header("Content-Encoding", "gzip");
    r.body = gz ? f.gzip : f.body;
    return r;
}

}  // namespace dure::http
