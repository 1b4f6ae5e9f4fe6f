// The certificates module's entry point: the public verification route and the member's list.
#include "certificates/module.hpp"

#include <boost/json.hpp>

#include "certificates/store.hpp"
#include "common/error.hpp"
#include "common/rate_limit.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"

namespace dure::certificates {

namespace {

namespace json = boost::json;

// What anyone with the number and the code sees: minimal data, never the holder's identity.
json::object public_json(const Certificate& c) {
    return {{"number", c.number},       {"kind", c.kind},         {"title", c.title},
            {"issuer", c.issuer},       {"holder", c.holder_masked}, {"detail", c.detail},
            {"issued_at", c.issued_at}, {"revoked", c.revoked_at != 0}};
}

class Certificates : public app::Module {
public:
    const char* name() const override { return "certificates"; }
    void start(app::Platform& p) override { store_ = std::make_unique<CertificateStore>(p.db); }

    void routes(http::Router& router, app::Platform& p) override {
        auto& store = *store_;
        auto& ids = *p.identity;
        // Guessing codes is slowed per client address (the code has 31^10 values besides).
        auto limiter = std::make_shared<RateLimiter>(RateLimit{30, 60});
        router.add({"GET", "/api/v1/certificates/verify",
                    [&store, limiter](http::Request& req) {
                        auto number = req.query_param("number").value_or("");
                        auto code = req.query_param("code").value_or("");
                        FieldErrors errors;
                        if (number.empty() || number.size() > 40) errors.add("number", "required", "the certificate number");
                        if (code.empty() || code.size() > 40) errors.add("code", "required", "the verification code");
                        errors.throw_if_any();
                        if (auto wait = limiter->hit(req.remote_addr, steady_seconds()))
                            throw Error(ErrorKind::too_many_requests, "too many checks; try again shortly")
                                .with_retry_after(static_cast<int>(wait));
                        auto c = store.verify(number, code);
                        if (!c)
                            throw Error(ErrorKind::not_found,
                                        "no certificate with this number and code (check both as printed)");
                        return http::json_response(200, public_json(*c));
                    },
                    "Check a certificate (public): number and verification code both needed; minimal data, the holder "
                    "masked; an unknown number and a wrong code answer alike",
                    "certificates"});
        router.add({"GET", "/api/v1/certificates/mine",
                    [&store, &ids](http::Request& req) {
                        auto p = identity::principal_of(ids, req);
                        if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                        json::array items;
                        for (const auto& c : store.of_account(p.account_id)) {
                            auto o = public_json(c);
                            o["code"] = c.code;  // the holder's own: printed with the number
                            items.push_back(std::move(o));
                        }
                        return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                    },
                    "The caller's own certificates, with their verification codes", "certificates"});
    }

private:
    std::unique_ptr<CertificateStore> store_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<Certificates>(); }

}  // namespace dure::certificates
