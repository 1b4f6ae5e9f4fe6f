#pragma once
// Idempotent routes: every route declared with `idempotent = true` honours `Idempotency-Key`
// from a signed-in caller (a person or an API token's service account), in one place.
//
// The key is scoped to the caller, the method and the path, and bound to the body. Before the
// handler runs, the key is claimed ('pending'); a concurrent request with the same key gets 409
// (idempotency_key_in_progress); the same key with another body gets 409
// (idempotency_key_reused). After a successful answer (status < 500, no cookie set) the answer is
// stored encrypted (it may hold personal data) and replayed to every retry with
// `Idempotent-Replayed: true`, so the write happens once. A refused request (an Error) releases
// the key, so the client may fix the input and retry with it. Should the process die between the
// handler's commit and storing the answer, the key stays 'pending' and retries get 409, never a
// second write.
//
// Without the header, or anonymous, the route behaves as before. Handlers that keep their answer
// in their own transaction (store::run_idempotent, e.g. outreach reports) do not set the flag.
#include "http/router.hpp"

namespace dure::store {
class Database;
}
namespace dure::identity {
class Keyring;
class IdentityService;
}  // namespace dure::identity

namespace dure::app {

// Wraps the handlers of the routes declared idempotent. Call once, after every route is added.
void make_idempotent(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids);

}  // namespace dure::app
