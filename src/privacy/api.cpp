#include "privacy/api.hpp"

#include "common/dates.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <boost/json.hpp>

#include "common/error.hpp"
#include "common/text.hpp"
#include "eligibility/store.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "notify/outbox.hpp"
#include "privacy/retention.hpp"
#include "privacy/rights.hpp"

namespace dure::privacy {

namespace json = boost::json;
using http::Request;
using http::Response;
using http::no_store;
using identity::Action;
using soci::into;
using soci::use;

namespace {

const std::vector<std::string> kKinds{"access", "correction", "deletion", "suspension"};
const std::vector<std::string> kDecisions{"granted", "partly_granted", "refused"};

identity::Principal resident(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in to see what the district holds on you");
    return p;
}


long long path_id(const Request& req, const char* what) {
    try {
        return std::stoll(req.param("id"));
    } catch (...) {
        throw Error(ErrorKind::not_found, std::string("no such ") + what);
    }
}

json::value parsed_or_text(const std::string& s) {
    try {
        return json::parse(s);
    } catch (...) {
        return json::value(s);
    }
}

json::object law_json(const std::string& record) {
    const auto* k = Retention::embedded().find(record);
    if (!k) return {{"deletable", nullptr}, {"deletion", "decided"}, {"basis_ko", "담당 공무원이 법령에 따라 결정합니다."},
                    {"deletion_ko", "담당 공무원이 결정합니다."}};
    json::value deletable = k->deletion == "yes" ? json::value(true) : k->deletion == "no" ? json::value(false) : json::value(nullptr);
    return {{"deletable", deletable}, {"deletion", k->deletion}, {"basis_ko", k->basis_ko}, {"deletion_ko", k->deletion_ko}};
}

json::object request_json(const DataRequest& r, long long now, bool with_text) {
    json::object o{{"id", r.id},
                   {"kind", r.kind},
                   {"record", r.record},
                   {"status", r.status},
                   {"received_at", r.received_at},
                   {"due_at", r.due_at},
                   {"due_date", kst_date(r.due_at)},
                   {"overdue", r.status == "received" && now > r.due_at},
                   {"decided_at", r.decided_at ? json::value(r.decided_at) : json::value(nullptr)},
                   {"account_id", r.account_id},
                   {"law", law_json(r.record)}};
    if (with_text) {
        o["details"] = r.details;
        o["decision_reason"] = r.reason.empty() ? json::value(nullptr) : json::value(r.reason);
        o["person_id"] = r.person_id ? json::value(r.person_id) : json::value(nullptr);
    }
    return o;
}

json::array retention_json() {
    json::array out;
    for (const auto& k : Retention::embedded().kinds())
        out.push_back(json::object{{"kind", k.kind}, {"label_ko", k.label_ko}, {"label_en", k.label_en},
                                   {"days", k.days ? json::value(*k.days) : json::value(nullptr)}, {"from", k.from},
                                   {"purged", k.purge}, {"basis_ko", k.basis_ko}, {"basis_en", k.basis_en},
                                   {"deletion", k.deletion}, {"deletion_ko", k.deletion_ko}});
    return out;
}

std::string masked_rrn(const std::string& rrn) {
    if (rrn.size() < 8) return rrn.empty() ? "" : "******";
    return rrn.substr(0, 8) + "******";
}

// Everything held on the account, read in one snapshot.
json::object view(store::Database& db, const identity::Keyring& keys, identity::IdentityService& ids,
                  PrivacyStore& st, eligibility::ProfileStore& profiles, long long account_id) {
    json::object o;
    auto acc = ids.store().account(account_id);
    if (!acc) throw Error(ErrorKind::unauthorized, "the account no longer exists");
    json::array roles;
    for (const auto& g : acc->grants) roles.push_back(json::string(identity::to_string(g.role)));
    long long created = 0;
    db.read([&](soci::session& s) { s << "SELECT created_at FROM accounts WHERE id = :a", into(created), use(account_id); });
    o["account"] = json::object{{"id", acc->id},
                                {"name", acc->name},
                                {"email", acc->email.empty() ? json::value(nullptr) : json::value(acc->email)},
                                {"phone", acc->phone.empty() ? json::value(nullptr) : json::value(acc->phone)},
                                {"created_at", created},
                                {"roles", std::move(roles)}};
    auto prof = profiles.profile(account_id);
    if (prof)
        o["eligibility_profile"] = json::object{
            {"household", prof->household_json.empty() ? json::value(nullptr) : parsed_or_text(prof->household_json)},
            {"alerts_consent", prof->alerts_consent},
            {"interests", parsed_or_text(prof->interests_json)},
            {"updated_at", prof->updated_at}};
    else
        o["eligibility_profile"] = nullptr;
    json::array sims;
    for (const auto& s : profiles.simulations(account_id))
        sims.push_back(json::object{{"id", s.id}, {"date", s.date}, {"created_at", s.created_at}, {"saved", parsed_or_text(s.body_json)}});
    o["simulations"] = std::move(sims);
    json::array results, inbox, feedback, reports;
    json::value settings = nullptr;
    db.read([&](soci::session& s) {
        {
            std::string program, status;
            long long amount = -1, at = 0;
            soci::statement q = (s.prepare << "SELECT program, status, amount, updated_at FROM screening_state "
                                              "WHERE account_id = :a ORDER BY program",
                                 into(program), into(status), into(amount), into(at), use(account_id));
            q.execute();
            while (q.fetch())
                results.push_back(json::object{{"program", program}, {"status", status},
                                               {"amount", amount >= 0 ? json::value(amount) : json::value(nullptr)},
                                               {"updated_at", at}});
        }
        {
            long long email = 0, sms = 0, qs = 0, qe = 0, at = 0;
            soci::indicator ind = soci::i_null;
            s << "SELECT email_enabled, sms_enabled, quiet_start, quiet_end, updated_at FROM alert_settings WHERE account_id = :a",
                into(email, ind), into(sms), into(qs), into(qe), into(at), use(account_id);
            if (ind == soci::i_ok)
                settings = json::object{{"email", email != 0}, {"sms", sms != 0}, {"quiet_start", qs}, {"quiet_end", qe},
                                        {"updated_at", at}};
        }
        {
            long long id = 0, at = 0, read_at = 0;
            std::string kind, title, enc;
            soci::statement q = (s.prepare << "SELECT id, created_at, read_at, kind, title, body_enc FROM inbox_messages "
                                              "WHERE account_id = :a ORDER BY id DESC LIMIT 200",
                                 into(id), into(at), into(read_at), into(kind), into(title), into(enc), use(account_id));
            q.execute();
            while (q.fetch())
                inbox.push_back(json::object{{"id", id}, {"created_at", at}, {"read_at", read_at ? json::value(read_at) : json::value(nullptr)},
                                             {"kind", kind}, {"title", title}, {"body", keys.decrypt(enc, notify::kInboxBodyContext)}});
        }
        {
            std::string service, action;
            long long at = 0;
            soci::statement q = (s.prepare << "SELECT service_id, action, created_at FROM recommendation_feedback "
                                              "WHERE account_id = :a ORDER BY created_at",
                                 into(service), into(action), into(at), use(account_id));
            q.execute();
            while (q.fetch()) feedback.push_back(json::object{{"service_id", service}, {"action", action}, {"created_at", at}});
        }
        {
            std::string receipt;
            long long at = 0, closed = 0;
            soci::statement q = (s.prepare << "SELECT receipt_no, received_at, closed_at FROM outreach_reports "
                                              "WHERE reporter_account_id = :a ORDER BY id DESC LIMIT 100",
                                 into(receipt), into(at), into(closed), use(account_id));
            q.execute();
            while (q.fetch())
                reports.push_back(json::object{{"receipt_no", receipt}, {"received_at", at},
                                               {"closed_at", closed ? json::value(closed) : json::value(nullptr)}});
        }
    });
    o["screening_results"] = std::move(results);
    o["alert_settings"] = settings;
    o["inbox"] = std::move(inbox);
    o["recommendation_feedback"] = std::move(feedback);
    o["reports"] = std::move(reports);
    json::array consents;
    consents.push_back(json::object{{"kind", "eligibility_alerts"},
                                    {"granted", prof ? prof->alerts_consent : false},
                                    {"updated_at", prof ? json::value(prof->updated_at) : json::value(nullptr)}});
    if (settings.is_object()) {
        consents.push_back(json::object{{"kind", "alerts_email"}, {"granted", settings.as_object().at("email")},
                                        {"updated_at", settings.as_object().at("updated_at")}});
        consents.push_back(json::object{{"kind", "alerts_sms"}, {"granted", settings.as_object().at("sms")},
                                        {"updated_at", settings.as_object().at("updated_at")}});
    }
    o["consents"] = std::move(consents);
    // Registered persons an official linked to this account after checking who asked, and who
    // on the staff read those records (role and where, not the official's name).
    auto persons = st.linked_persons(account_id);
    json::array linked, reads;
    for (long long pid : persons)
        if (auto p = ids.store().person(pid))
            linked.push_back(json::object{{"id", p->id}, {"dong_id", p->dong_id}, {"name", p->name},
                                          {"phone", p->phone.empty() ? json::value(nullptr) : json::value(p->phone)},
                                          {"birth_date", p->birth_date.empty() ? json::value(nullptr) : json::value(p->birth_date)},
                                          {"address", p->address.empty() ? json::value(nullptr) : json::value(p->address)},
                                          {"rrn", p->rrn.empty() ? json::value(nullptr) : json::value(masked_rrn(p->rrn))},
                                          {"created_at", p->created_at}});
    auto households = st.linked_households(account_id);
    auto read_list = st.reads_of_persons(persons);
    for (auto& a : st.reads_of_households(households)) read_list.push_back(std::move(a));
    std::stable_sort(read_list.begin(), read_list.end(),
                     [](const AccessRead& x, const AccessRead& y) { return x.at > y.at; });
    for (const auto& a : read_list) {
        std::string role, where;
        for (const auto& g : ids.store().grants(a.actor_account_id))
            if (g.role != identity::Role::resident) {
                role = identity::to_string(g.role);
                where = g.scope_name;
                break;
            }
        reads.push_back(json::object{{"at", a.at}, {"actor_role", role.empty() ? json::value(nullptr) : json::value(role)},
                                     {"actor_scope", where.empty() ? json::value(nullptr) : json::value(where)},
                                     {"record", a.subject_kind}, {"action", a.action}, {"fields", a.fields},
                                     {"reason", a.reason}});
    }
    o["linked_persons"] = std::move(linked);
    json::array hh;
    for (long long h : households) hh.push_back(h);
    o["linked_households"] = std::move(hh);
    o["access_log"] = std::move(reads);
    json::array reqs;
    long long now = store::now_unix();
    for (const auto& r : st.for_account(account_id)) reqs.push_back(request_json(r, now, true));
    o["requests"] = std::move(reqs);
    o["retention"] = retention_json();
    return o;
}


// The decision's `correction` {name?, phone?, birth_date?, address?}, checked like a
// registration (POST /api/v1/persons). The RRN is not corrected through a request.
PersonCorrection read_correction(const json::object& body, FieldErrors& errors) {
    PersonCorrection c;
    auto it = body.find("correction");
    if (it == body.end() || it->value().is_null()) return c;
    if (!it->value().is_object()) {
        errors.add("correction", "invalid_type", "an object of corrected fields");
        return c;
    }
    const auto& o = it->value().as_object();
    auto text = [&](const char* f, std::size_t max) -> std::string {
        auto v = o.find(f);
        if (v == o.end() || v->value().is_null()) return "";
        std::string field = std::string("correction.") + f;
        if (!v->value().is_string()) {
            errors.add(field, "invalid_type", "text");
            return "";
        }
        std::string out(v->value().as_string());
        if (utf8_length(out) > max) errors.add(field, "too_long", "at most " + std::to_string(max) + " characters");
        else if (has_control_chars(out)) errors.add(field, "control_characters", "plain text");
        return out;
    };
    for (const auto& kv : o) {
        std::string k(kv.key());
        if (k == "rrn")
            errors.add("correction.rrn", "not_correctable",
                       "the resident registration number is corrected only from the resident register, not here");
        else if (k != "name" && k != "phone" && k != "birth_date" && k != "address")
            errors.add("correction." + k, "unknown_field", "name, phone, birth_date or address");
    }
    c.name = text("name", 50);
    c.address = text("address", 200);
    c.birth_date = text("birth_date", 10);
    std::string phone = text("phone", 30);
    if (!phone.empty()) {
        c.phone = identity::normalize_phone(phone);
        if (c.phone.empty()) errors.add("correction.phone", "invalid_phone", "a Korean mobile number");
    }
    if (!c.birth_date.empty() && !valid_date(c.birth_date))
        errors.add("correction.birth_date", "invalid_date", "a date as YYYY-MM-DD");
    return c;
}

long long staff_district(identity::IdentityService& ids, const Request& req, const identity::Principal& p) {
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in");
    long long district = p.district_id;
    identity::require(p, Action::handle_privacy_requests, {district});
    (void)ids;
    (void)req;
    return district;
}

}  // namespace

void register_routes(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids) {
    auto st = std::make_shared<PrivacyStore>(db, keys);
    auto profiles = std::make_shared<eligibility::ProfileStore>(db, keys);

    router.add({"GET", "/api/v1/privacy/retention",
                [](Request&) { return http::json_response(200, json::object{{"items", retention_json()}}); },
                "How long each kind of record is kept, why (the law or the district's own rule), and whether a "
                "deletion request can be granted (data/privacy/retention.json)",
                "privacy", true});

    router.add({"GET", "/api/v1/me/privacy",
                [&db, &keys, &ids, st, profiles](Request& req) {
                    auto p = resident(ids, req);
                    return no_store(http::json_response(200, view(db, keys, ids, *st, *profiles, p.account_id)));
                },
                "열람 (PIPA art. 35): everything held on the logged-in resident: account, eligibility profile, saved "
                "results, alert settings, inbox, consents, reports filed, linked registered persons and who on the "
                "staff read them, requests, retention",
                "privacy"});

    router.add({"POST", "/api/v1/me/privacy/requests",
                [&ids, st](Request& req) {
                    auto p = resident(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"kind", "record", "details"});
                    auto kind = r.string("kind", true, 20);
                    auto record = r.string("record", true, 40);
                    auto details = r.string("details", false, 2000);
                    if (kind && std::find(kKinds.begin(), kKinds.end(), *kind) == kKinds.end())
                        errors.add("kind", "unknown_code", "access, correction, deletion or suspension");
                    if (record && *record != "other" && !Retention::embedded().find(*record))
                        errors.add("record", "unknown_code", "a kind of record listed at /api/v1/privacy/retention, or other");
                    errors.throw_if_any();
                    auto filed = st->file(p.district_id, p.account_id, *kind, *record, details.value_or(""), store::now_unix());
                    return no_store(http::json_response(201, request_json(filed, store::now_unix(), true)));
                },
                "정정·삭제·처리정지 or 열람 request (PIPA arts. 35-37) about a kind of record; answered within 10 days",
                "privacy", false,
                R"({"type":"object","additionalProperties":false,"required":["kind","record"],"properties":{)"
                R"("kind":{"enum":["access","correction","deletion","suspension"]},"record":{"type":"string"},)"
                R"("details":{"type":"string","maxLength":2000}}})",
                201});

    router.add({"GET", "/api/v1/me/privacy/requests",
                [&ids, st](Request& req) {
                    auto p = resident(ids, req);
                    json::array items;
                    long long now = store::now_unix();
                    for (const auto& r : st->for_account(p.account_id)) items.push_back(request_json(r, now, true));
                    return no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "The resident's own requests with their status, deadline and decision", "privacy"});

    router.add({"DELETE", "/api/v1/me",
                [&ids, st](Request& req) {
                    auto p = resident(ids, req);
                    for (const auto& g : p.grants)
                        if (g.role != identity::Role::resident)
                            throw Error(ErrorKind::conflict,
                                        "staff accounts are closed by the district administrator, not by self-service");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"password"});
                    auto password = r.string("password", true, 200);
                    errors.throw_if_any();
                    auto hash = st->password_hash(p.account_id);
                    if (hash.empty() || !identity::verify_password(hash, *password))
                        throw Error(ErrorKind::validation, "the password is not right",
                                    {{"password", "wrong_password", "the account's current password"}});
                    st->delete_account(p.account_id, store::now_unix());
                    Response out;
                    out.status = 204;
                    out.set_header("Set-Cookie", identity::clear_session_cookie(req.secure));
                    out.set_header("Set-Cookie", identity::clear_signed_in_marker(req.secure));
                    return out;
                },
                "Delete the logged-in resident's account (password required): profile, results, messages, sessions "
                "and links go; name, contact and password are removed from the account row, which stays as a number "
                "for the access log and request records",
                "privacy", false,
                R"({"type":"object","additionalProperties":false,"required":["password"],"properties":{"password":{"type":"string"}}})",
                204});

    router.add({"GET", "/api/v1/admin/privacy/requests",
                [&ids, st](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = staff_district(ids, req, p);
                    bool open_only = req.query_param("status").value_or("") == "open";
                    json::array items;
                    long long now = store::now_unix();
                    for (const auto& r : st->queue(district, open_only)) items.push_back(request_json(r, now, false));
                    return no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "Staff queue of residents' requests (privacy_officer or district_admin): kind, record, status, 10-day deadline, overdue; "
                "no request text (?status=open for undecided only)",
                "privacy"});

    router.add({"GET", "/api/v1/admin/privacy/requests/{id}",
                [&ids, st](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = staff_district(ids, req, p);
                    auto r = st->get(path_id(req, "request"));
                    if (!r || r->district_id != district) throw Error(ErrorKind::not_found, "no such request");
                    auto acc = ids.store().account(r->account_id);
                    // The request is the reason for this read: it is logged against the account.
                    identity::log_access(ids, p, req, district, "account", r->account_id, "read", "privacy_request,name,contact",
                                         "개인정보 열람등 요구 #" + std::to_string(r->id) + " 처리");
                    auto o = request_json(*r, store::now_unix(), true);
                    o["account"] = json::object{
                        {"id", r->account_id},
                        {"name", acc ? json::value(acc->name) : json::value(nullptr)},
                        {"email", acc && !acc->email.empty() ? json::value(acc->email) : json::value(nullptr)},
                        {"phone", acc && !acc->phone.empty() ? json::value(acc->phone) : json::value(nullptr)}};
                    return no_store(http::json_response(200, o));
                },
                "One request with its text and the resident's name and contact (privacy_officer or district_admin; logged)", "privacy"});

    router.add({"POST", "/api/v1/admin/privacy/requests/{id}/decision",
                [&ids, st](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = staff_district(ids, req, p);
                    long long id = path_id(req, "request");
                    auto r0 = st->get(id);
                    if (!r0 || r0->district_id != district) throw Error(ErrorKind::not_found, "no such request");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"decision", "reason", "person_id", "household_id", "correction"});
                    auto decision = r.string("decision", true, 20);
                    auto reason = r.string("reason", true, 2000);
                    auto person = r.integer("person_id", false, 1, 1LL << 53);
                    auto household = r.integer("household_id", false, 1, 1LL << 53);
                    PersonCorrection corr = read_correction(body, errors);
                    if (decision && std::find(kDecisions.begin(), kDecisions.end(), *decision) == kDecisions.end())
                        errors.add("decision", "unknown_code", "granted, partly_granted or refused");
                    if (reason && utf8_length(*reason) < 5 && !errors.has("reason"))
                        errors.add("reason", "too_short", "a written reason of 5 characters or more");
                    errors.throw_if_any();
                    auto done =
                        st->decide(id, *decision, *reason, person.value_or(0), p.account_id, store::now_unix(), corr,
                                   household.value_or(0));
                    // Carried out on the registered person: in the access log like every staff write.
                    if (done.status != "refused" && done.person_id && r0->record == "person_record") {
                        std::string why = "개인정보 " + std::string(r0->kind == "correction" ? "정정" : "삭제") +
                                          " 요구 #" + std::to_string(id) + " 처리";
                        if (r0->kind == "correction")
                            identity::log_access(ids, p, req, district, "person", done.person_id, "correct",
                                                 corr.fields(), why);
                        else if (r0->kind == "deletion")
                            identity::log_access(ids, p, req, district, "person", done.person_id, "erase",
                                                 "name,phone,birth_date,address,rrn", why);
                    }
                    return no_store(http::json_response(200, request_json(done, store::now_unix(), true)));
                },
                "Decide a request with a written reason (privacy_officer or district_admin); the resident is told in "
                "알림함; person_id links a registered person to the resident after checking who asked (PIPA decree art. "
                "46); household_id (a granted access request) links a reported household, so the resident sees the "
                "reads of it and of its cases",
                "privacy", false,
                R"({"type":"object","additionalProperties":false,"required":["decision","reason"],"properties":{)"
                R"("decision":{"enum":["granted","partly_granted","refused"]},"reason":{"type":"string","minLength":5},)"
                R"("person_id":{"type":"integer"},"household_id":{"type":"integer"},"correction":{"type":"object","additionalProperties":false,)"
                R"("properties":{"name":{"type":"string"},"phone":{"type":"string"},"birth_date":{"type":"string"},)"
                R"("address":{"type":"string"}}}}})"});
}

}  // namespace dure::privacy
