#pragma once
// What the route files of help matching share (api_offers.cpp, api_connections.cpp,
// api_ledger.cpp): the context, parsing of codes and on-behalf blocks, the JSON shapes, the
// idempotent-write wrapper. Internal to src/sharing/.
#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cases/cases.hpp"
#include "common/error.hpp"
#include "http/router.hpp"
#include "identity/authz.hpp"
#include "sharing/fields.hpp"
#include "sharing/notices.hpp"
#include "sharing/rules.hpp"
#include "sharing/store.hpp"

namespace soci {
class session;
}
namespace dure::identity {
class IdentityService;
class Keyring;
}  // namespace dure::identity

namespace dure::sharing::api {

namespace json = boost::json;

extern const char* const kDays[7];

struct Ctx {
    SharingStore& store;
    identity::IdentityService& ids;
    const identity::Keyring& keys;
    std::function<long long()> default_district;
    const Taxonomy& tax = Taxonomy::embedded();
    int escalate_days = 7;
    Channels channels;  // SMS / e-mail beside the inbox, where configured
    cases::CaseStore cases{store.db(), keys};  // case plans, read through the cases module's header
};

json::array days_json(int bits);
json::array strings_json(const std::vector<std::string>& v);
// A list of short codes: each a string of 1-`max_len` characters [a-zA-Z0-9_-].
std::vector<std::string> code_list(const json::object& body, const char* key, bool required, FieldErrors& errors,
                                   std::size_t max_items = 20, std::size_t max_len = 10);
int day_bits(const std::vector<std::string>& days, FieldErrors& errors);
// Seoul date (YYYY-MM-DD) of a Unix time.
std::string day_of(long long t);

identity::Principal login(Ctx& c, const http::Request& req);
identity::Target target(long long district, long long dong);
bool manages(const identity::Principal& p, long long district, long long dong);
std::string dong_name(Ctx& c, long long district, long long dong);
bool dong_in(Ctx& c, long long district, long long dong);
// Where the words for a side go: its account, or (for a person entered on their behalf) the
// staff member who entered it, who passes them on.
long long inbox_of(const Side& s, long long entered_by);
void tell(Ctx& c, soci::session& s, long long account, const std::string& kind, const std::string& title,
          const std::string& body, long long now);
// Runs a write under the request's Idempotency-Key; a unique violation (a second live
// connection for a need) becomes 409 naming `conflict_field`.
http::Response idempotent(Ctx& c, const http::Request& req, const identity::Principal& p,
                          const std::function<std::pair<int, std::string>(soci::session&)>& write,
                          const char* conflict_field = nullptr);

// The optional on-behalf block: {person_id, consent_method: in_person|phone|paper}.
struct Behalf {
    Side who;
    std::string consent = "self";
};
Behalf read_behalf(Ctx& c, const identity::Principal& p, const json::object& body, long long district, long long dong,
                   FieldErrors& errors);

json::object offer_json(const Offer& o, bool own);
// What anyone may see of a need: no person, no free text.
json::object need_summary(Ctx& c, const Need& n, long long now);
json::object need_own(Ctx& c, const Need& n, long long now);
std::string required_level(Ctx& c, const std::vector<std::string>& subs);
OfferView view_of(const Offer& o);
NeedView view_of(const Need& n);
json::array suggestions_json(const std::vector<Suggestion>& list);
// The name and contact of a side (account or person record).
json::object contact_of(Ctx& c, const Side& s);
void log_side(Ctx& c, const identity::Principal& p, const http::Request& req, long long district, const Side& s,
              const std::string& fields, const std::string& why);
std::string who_am_i(const identity::Principal& p, const Connection& k);
json::object connection_json(Ctx& c, const Connection& k, const std::string& role);
long long dong_param(const http::Request& req);

void offer_routes(http::Router& router, std::shared_ptr<Ctx> ctx);
void connection_routes(http::Router& router, std::shared_ptr<Ctx> ctx);
void ledger_routes(http::Router& router, std::shared_ptr<Ctx> ctx);
void project_routes(http::Router& router, std::shared_ptr<Ctx> ctx);

}  // namespace dure::sharing::api
