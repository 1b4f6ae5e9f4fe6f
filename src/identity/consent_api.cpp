// Consents over HTTP (issue 16): GET /api/v1/consents (the texts, with versions, for the sign-up
// page and the privacy policy), GET /api/v1/me/consents (what I agreed to, which version, when,
// and every withdrawal) and POST /api/v1/me/consents/{kind}/withdraw (optional ones; a required
// one is withdrawn by leaving, 회원 탈퇴). Sign-up (api.cpp) records its consents through
// record_signup_consents. Also GET /api/v1/staff/names: staff pages name colleagues instead of
// showing account numbers.
#include "identity/consent_api.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <string>
#include <utility>

#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/consent_store.hpp"

namespace dure::identity {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

json::object text_json(const ConsentText& t) {
    return json::object{{"kind", t.kind},         {"version", t.version},   {"required", t.required},
                        {"title_ko", t.title_ko}, {"title_en", t.title_en}, {"items_ko", strings(t.items_ko)},
                        {"items_en", strings(t.items_en)}, {"withdraw", t.withdraw}, {"sha256", t.sha256}};
}

store::Database* signup_db = nullptr;

// The names of those of `ids` that are enabled staff of the district (an active grant of a staff
// role). Residents' names are never answered. The same encryption context as accounts.name.
std::vector<std::pair<long long, std::string>> staff_names(store::Database& db, const Keyring& keys, long long district_id,
                                                           const std::vector<long long>& ids) {
    std::vector<std::pair<long long, std::string>> out;
    db.read([&](soci::session& s) {
        for (long long id : ids) {
            std::string name_enc;
            soci::indicator found = soci::i_null;
            s << "SELECT a.name_enc FROM accounts a WHERE a.id = :i AND a.district_id = :d AND a.disabled = 0 AND "
                 "EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.revoked_at IS NULL AND g.role IN "
                 "('caregiver', 'care_team', 'caseworker', 'supervisor', 'project_manager', 'district_admin'))",
                soci::into(name_enc, found), soci::use(id), soci::use(district_id);
            if (found == soci::i_ok) out.emplace_back(id, keys.decrypt(name_enc, "accounts.name"));
        }
    });
    return out;
}

json::object record_json(const ConsentRecord& r) {
    return json::object{{"kind", r.kind},       {"version", r.version}, {"text_sha256", r.text_sha256},
                        {"action", r.action},   {"channel", r.channel}, {"at", r.at}};
}

}  // namespace

std::vector<ConsentGiven> read_consents(const json::value& v, FieldErrors& errors) {
    std::vector<ConsentGiven> out;
    if (!v.is_array() || v.as_array().size() > 20) {
        errors.add("consents", "invalid", "a list (at most 20) of {\"kind\": ..., \"version\": ...}");
        return out;
    }
    for (const auto& x : v.as_array()) {
        const json::object* o = x.if_object();
        const json::value* k = o ? o->if_contains("kind") : nullptr;
        const json::value* ver = o ? o->if_contains("version") : nullptr;
        if (!o || o->size() != 2 || !k || !ver || !k->is_string() || !ver->is_string() || k->as_string().size() > 40 ||
            ver->as_string().size() > 40) {
            errors.add("consents", "invalid", "each consent is {\"kind\": ..., \"version\": ...}");
            return {};
        }
        out.push_back({std::string(k->as_string()), std::string(ver->as_string())});
    }
    return out;
}

void record_signup_consents(long long account_id, const std::vector<ConsentGiven>& consents, long long now) {
    if (!signup_db) throw std::logic_error("consent routes not registered");
    const auto& cat = ConsentCatalog::embedded();
    try {
        signup_db->write([&](soci::session& s) {
            for (const auto& g : consents) ConsentStore::append_in(s, account_id, *cat.find(g.kind), true, "signup", now);
        });
    } catch (...) {
        // No account without its consents: the one just made (its session, its resident grant) goes.
        signup_db->write([&](soci::session& s) {
            s << "DELETE FROM sessions WHERE account_id = :a", soci::use(account_id);
            s << "DELETE FROM role_grants WHERE account_id = :a", soci::use(account_id);
            s << "DELETE FROM accounts WHERE id = :a", soci::use(account_id);
        });
        throw;
    }
}

void register_consent_routes(http::Router& router, IdentityService& svc, store::Database& db, const Keyring& keys) {
    auto store = std::make_shared<ConsentStore>(db);
    signup_db = &db;

    // Names for the account numbers staff pages hold (a case's caseworker, a check-in's caregiver,
    // who did what in a timeline), so pages name people instead of showing "계정 6번". Only staff
    // of the caller's district are named; any other id is left out of the answer.
    router.add({"GET", "/api/v1/staff/names",
                [&svc, &db, &keys](Request& req) {
                    auto p = principal_of(svc, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    if (!may_ever(p, Action::read_household) && !may_ever(p, Action::read_checkins) &&
                        !may_ever(p, Action::manage_checkins) && !may_ever(p, Action::work_case))
                        require(p, Action::read_household, {p.district_id});
                    FieldErrors errors;
                    std::vector<long long> ids;
                    auto v = req.query_param("ids");
                    if (!v || v->empty()) {
                        errors.add("ids", "required", "account ids separated by commas");
                    } else {
                        std::size_t start = 0;
                        while (start <= v->size()) {
                            auto end = v->find(',', start);
                            if (end == std::string::npos) end = v->size();
                            std::string one = v->substr(start, end - start);
                            if (one.empty() || one.size() > 15 || one.find_first_not_of("0123456789") != std::string::npos) {
                                errors.add("ids", "not_an_integer", "account ids (integers) separated by commas");
                                break;
                            }
                            ids.push_back(std::stoll(one));
                            start = end + 1;
                        }
                        if (ids.size() > 200) errors.add("ids", "too_many", "at most 200 ids");
                    }
                    errors.throw_if_any();
                    json::array items;
                    for (auto& [id, name] : staff_names(db, keys, p.district_id, ids))
                        items.push_back(json::object{{"account_id", id}, {"name", name}});
                    Response r = http::json_response(200, json::object{{"items", std::move(items)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "Names of staff accounts of the caller's district (?ids=1,2,3, at most 200), for labelling "
                "assignees and actors on staff pages; ids that are not staff of the district are left out",
                "identity"});

    router.add({"GET", "/api/v1/consents",
                [](Request&) {
                    const auto& cat = ConsentCatalog::embedded();
                    json::array items;
                    for (const auto& t : cat.all()) items.push_back(text_json(t));
                    return http::json_response(200, json::object{{"source", cat.source()}, {"items", std::move(items)}});
                },
                "The consents residents are asked for, each with its current version and text (required ones at "
                "sign-up, optional ones where they are used), and the law they follow",
                "identity", true});

    router.add({"GET", "/api/v1/me/consents",
                [&svc, store](Request& req) {
                    auto p = principal_of(svc, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    const auto& cat = ConsentCatalog::embedded();
                    json::array items;
                    for (const auto& st : store->states(p.account_id)) {
                        const auto* t = cat.find(st.last.kind);
                        json::object o{{"kind", st.last.kind},
                                       {"given", st.last.action == "given"},
                                       {"version", st.last.version},
                                       {"current_version", t ? json::value(t->version) : json::value(nullptr)},
                                       {"required", t && t->required},
                                       {"withdraw", t ? json::value(t->withdraw) : json::value(nullptr)},
                                       {"first_given_at", st.first_given_at ? json::value(st.first_given_at) : json::value(nullptr)},
                                       {"changed_at", st.last.at}};
                        if (t) {
                            o["title_ko"] = t->title_ko;
                            o["title_en"] = t->title_en;
                        }
                        items.push_back(std::move(o));
                    }
                    json::array history;
                    for (const auto& r : store->history(p.account_id)) history.push_back(record_json(r));
                    Response r = http::json_response(200, json::object{{"items", std::move(items)}, {"history", std::move(history)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "My consents: each kind's state (given or withdrawn, the version agreed to, when) and every act, "
                "oldest first",
                "identity"});

    router.add({"POST", "/api/v1/me/consents/{kind}/withdraw",
                [&svc, store](Request& req) {
                    auto p = principal_of(svc, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    const auto* t = ConsentCatalog::embedded().find(req.param("kind"));
                    if (!t) throw Error(ErrorKind::not_found, "no such consent");
                    if (t->withdraw != "any_time")
                        throw Error(ErrorKind::conflict,
                                    "a required consent is withdrawn by leaving the platform (DELETE of the account, "
                                    "on My page)")
                            .with_type("consent-required");
                    bool changed = store->withdraw(p.account_id, *t, "me", store::now_unix());
                    return http::json_response(200, json::object{{"kind", t->kind}, {"given", false}, {"changed", changed}});
                },
                "Withdraw an optional consent (recorded with the time; what rested on it stops at once). "
                "Withdrawing again changes nothing; a required consent answers 409",
                "identity", false, R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});
}

}  // namespace dure::identity
