#pragma once
// Maps (method, path template) to handlers. Templates are literal segments and `{name}`
// segments, e.g. `/api/v1/admin/accounts/{id}/roles`. The route table also describes the API:
// the OpenAPI document is generated from it.
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/message.hpp"

namespace dure::http {

using Handler = std::function<Response(Request&)>;

struct Route {
    std::string method;
    std::string path;  // template
    Handler handler;
    std::string summary;
    std::string tag;
    // True when the handler neither blocks nor does heavy work, so it may run on an io thread.
    bool runs_inline = false;
    // JSON Schema (as JSON text) of the request body, for the OpenAPI document; empty if none.
    std::string request_schema;
    // Expected success status, for the OpenAPI document.
    int success_status = 200;
    // The handler hashes a password (argon2id): it runs on the server's own bounded hashing pool,
    // never on the workers that serve staff.
    bool hashes_password = false;
    // Optional cheap check the server runs before queueing the request (e.g. a per-address
    // throttle); an Error it throws becomes the answer.
    std::function<void(Request&)> admit;
    // A write a client may retry: with an `Idempotency-Key` header from a signed-in caller, the
    // first answer is kept and replayed, and the write happens once (src/app/idempotent.hpp).
    // Set with Router::mark_idempotent next to the route's declaration.
    bool idempotent = false;
};

class Router {
public:
    void add(Route r);

    struct Match {
        const Route* route = nullptr;
        std::unordered_map<std::string, std::string> params;
        std::vector<std::string> allowed;  // methods of templates matching the path (for 405)
    };
    Match match(const std::string& method, const std::string& path) const;

    const std::vector<Route>& routes() const { return routes_; }
    // For wiring that decorates declared routes (e.g. app::make_idempotent); paths stay as added.
    std::vector<Route>& mutable_routes() { return routes_; }
    // Declares the route (method, template) idempotent; throws std::logic_error if there is none.
    void mark_idempotent(std::string_view method, std::string_view path);

private:
    struct Compiled {
        std::vector<std::string> segments;  // "{x}" marks a parameter
    };
    std::vector<Route> routes_;
    std::vector<Compiled> compiled_;
};

// Splits a path into its segments ("/a/b/" -> {"a","b",""}).
std::vector<std::string> split_path(const std::string& path);

}  // namespace dure::http
