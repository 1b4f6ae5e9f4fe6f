#include "applications/api.hpp"

#include <boost/json.hpp>

#include "common/embedded.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"

namespace dure::applications {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

namespace {

identity::Principal login(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first (or the session has expired)");
    return p;
}

identity::Target target_of(const Application& a) { return identity::Target{a.district_id, a.dong_id}; }

json::object form_json(const Form& f) {
    json::array fields, docs, consents;
    for (const auto& x : f.fields) {
        json::array choices;
        for (const auto& c : x.choices) choices.push_back(json::value(c));
        json::object o{{"code", x.code},         {"type", x.type},         {"label_ko", x.label_ko},
                       {"label_en", x.label_en}, {"help_ko", x.help_ko},   {"required", x.required},
                       {"max", x.max},           {"choices", std::move(choices)}};
        if (x.type == "number") o["min"] = x.min;
        fields.push_back(std::move(o));
    }
    for (const auto& d : f.documents)
        docs.push_back(json::object{{"code", d.code}, {"label_ko", d.label_ko}, {"label_en", d.label_en}, {"required", d.required}});
    for (const auto& c : f.consents)
        consents.push_back(json::object{{"code", c.code},
                                        {"purpose_ko", c.purpose_ko},
                                        {"items_ko", c.items_ko},
                                        {"retention_ko", c.retention_ko},
                                        {"basis", c.basis},
                                        {"required", c.required}});
    json::array names, programs;
    for (const auto& n : f.service_names) names.push_back(json::value(n));
    for (const auto& n : f.program_codes) programs.push_back(json::value(n));
    return {{"code", f.code},
            {"version", f.version},
            {"title_ko", f.title_ko},
            {"title_en", f.title_en},
            {"summary_ko", f.summary_ko},
            {"provider", json::object{{"kind", f.provider_kind}, {"name_ko", f.provider_ko}}},
            {"service_names", std::move(names)},
            {"program_codes", std::move(programs)},
            {"fields", std::move(fields)},
            {"documents", std::move(docs)},
            {"consents", std::move(consents)},
            {"source", f.source},
            {"file_types", json::array{"application/pdf", "image/jpeg", "image/png"}}};
}

// The legal basis of applying on a resident's behalf, from data/applications/handover.json.
json::value on_behalf_basis() {
    static const json::value v = [] {
        auto text = embedded::find("data/applications/handover.json");
        if (!text) return json::value(nullptr);
        auto root = json::parse(*text).as_object();
        auto* o = root.if_contains("on_behalf");
        return o ? *o : json::value(nullptr);
    }();
    return v;
}

const Form& form_of(const Application& a) {
    const Form* f = find_form(a.form_code);
    if (!f) throw Error(ErrorKind::internal, "the application's form is no longer shipped");
    return *f;
}

json::object app_json(const Application& a, const std::vector<FileInfo>& files, const std::vector<Event>& events) {
    const Form* f = find_form(a.form_code);
    json::array docs, history;
    for (const auto& x : files)
        docs.push_back(json::object{{"id", x.id},
                                    {"document_code", x.document_code},
                                    {"content_type", x.content_type},
                                    {"size", x.size},
                                    {"sha256", x.sha256},
                                    {"uploaded_at", x.uploaded_at}});
    for (const auto& e : events)
        history.push_back(json::object{{"at", e.at}, {"status", e.status}, {"status_ko", status_ko(e.status)}, {"note", e.note}});
    return {{"id", a.id},
            {"receipt_no", a.receipt_no.empty() ? json::value(nullptr) : json::value(a.receipt_no)},
            {"form", a.form_code},
            {"form_version", a.form_version},
            {"form_title", f ? f->title_ko : a.form_code},
            {"dong_id", a.dong_id},
            {"status", a.status},
            {"status_ko", status_ko(a.status)},
            {"decision", a.decision.empty() ? json::value(nullptr) : json::value(a.decision)},
            {"decision_reason", a.decision_reason.empty() ? json::value(nullptr) : json::value(a.decision_reason)},
            {"request_note", a.request_note.empty() ? json::value(nullptr) : json::value(a.request_note)},
            {"answers", json::parse(a.answers_json)},
            {"consents", json::parse(a.consents_json)},
            {"on_behalf", a.on_behalf_by != 0},
            {"documents", std::move(docs)},
            {"history", std::move(history)},
            {"created_at", a.created_at},
            {"updated_at", a.updated_at},
            {"submitted_at", a.submitted_at ? json::value(a.submitted_at) : json::value(nullptr)},
            {"decided_at", a.decided_at ? json::value(a.decided_at) : json::value(nullptr)}};
}

// The list row staff see in the queue: no answers, no names (opening one is logged).
json::object queue_json(const Application& a) {
    const Form* f = find_form(a.form_code);
    return {{"id", a.id},
            {"receipt_no", a.receipt_no},
            {"form", a.form_code},
            {"form_title", f ? f->title_ko : a.form_code},
            {"dong_id", a.dong_id},
            {"status", a.status},
            {"status_ko", status_ko(a.status)},
            {"decision", a.decision.empty() ? json::value(nullptr) : json::value(a.decision)},
            {"on_behalf", a.on_behalf_by != 0},
            {"submitted_at", a.submitted_at},
            {"updated_at", a.updated_at}};
}

// The application a resident (or the official who applied on someone's behalf) may change: else 404,
// the same answer as for one that does not exist.
Application editable(ApplicationStore& store, const identity::Principal& p, long long id) {
    auto a = store.get(id);
    if (!a || !((a->account_id != 0 && a->account_id == p.account_id) || (a->on_behalf_by == p.account_id)))
        throw Error(ErrorKind::not_found, "no such application");
    return *a;
}

json::object object_member(const json::object& body, std::string_view key, FieldErrors& errors) {
    auto* v = body.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_object()) {
        errors.add(std::string(key), "not_an_object", "an object");
        return {};
    }
    return v->as_object();
}

long long checked_dong(identity::IdentityStore& accounts, long long district, http::BodyReader& r, FieldErrors& errors,
                       bool required) {
    auto dong = r.integer("dong_id", required, 1, 1LL << 53).value_or(0);
    if (dong && accounts.district_of_dong(dong) != district)
        errors.add("dong_id", "unknown_dong", "a dong of your district");
    return dong;
}

Response ok(int status, const json::value& v) { return http::no_store(http::json_response(status, v)); }

const char* kDraftSchema =
    R"({"type":"object","additionalProperties":false,"required":["form","dong_id"],"properties":{)"
    R"("form":{"type":"string","description":"the code of a form of GET /api/v1/applications/forms"},)"
    R"("dong_id":{"type":"integer","minimum":1,"description":"the applicant's dong: its officials handle the application"},)"
    R"("answers":{"type":"object","description":"field code → answer"},)"
    R"("consents":{"type":"object","additionalProperties":{"type":"boolean"}}}})";

}  // namespace

void register_routes(http::Router& router, const Api& api) {
    auto& store = api.store;
    auto& ids = api.ids;
    auto& accounts = api.accounts;
    const long long file_max = api.file_max;

    router.add({"GET", "/api/v1/applications/forms",
                [](Request&) {
                    json::array items;
                    for (const auto& f : embedded_forms()) items.push_back(form_json(f));
                    json::array handovers;
                    for (const auto& h : embedded_handovers()) handovers.push_back(json::value(h.program_code));
                    return http::json_response(200, json::object{{"items", std::move(items)},
                                                                 {"handover_programs", std::move(handovers)},
                                                                 {"on_behalf", on_behalf_basis()}});
                },
                "Application forms of services the district or a partner runs (public): fields, documents, consents",
                "applications", true});

    router.add({"GET", "/api/v1/applications/forms/{code}",
                [](Request& req) {
                    const Form* f = find_form(req.param("code"));
                    if (!f) throw Error(ErrorKind::not_found, "no such form");
                    return http::json_response(200, form_json(*f));
                },
                "One application form (public)", "applications", true});

    router.add({"GET", "/api/v1/applications/handover/{program}",
                [](Request& req) {
                    const Handover* h = find_handover(req.param("program"));
                    if (!h) throw Error(ErrorKind::not_found, "no hand-over for this program");
                    json::array list;
                    for (const auto& c : h->checklist) list.push_back(json::value(c));
                    return http::json_response(
                        200, json::object{{"program_code", h->program_code},
                                          {"name_ko", h->name_ko},
                                          {"portal", json::object{{"name", h->portal_name}, {"url", h->portal_url}}},
                                          {"checklist", std::move(list)},
                                          {"legal_basis", h->legal_basis},
                                          {"source", h->source},
                                          {"sends_personal_data", false}});
                },
                "How to apply for a national program on its own portal (public): a checklist; nothing is sent anywhere",
                "applications", true});

    router.add({"POST", "/api/v1/applications",
                [&store, &ids, &accounts](Request& req) {
                    auto p = login(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"form", "dong_id", "answers", "consents"});
                    auto code = r.string("form", true, 100).value_or("");
                    const Form* form = code.empty() ? nullptr : find_form(code);
                    if (!code.empty() && !form) errors.add("form", "unknown_code", "a form of GET /api/v1/applications/forms");
                    long long dong = checked_dong(accounts, p.district_id, r, errors, true);
                    auto answers = object_member(body, "answers", errors);
                    auto consents = object_member(body, "consents", errors);
                    if (form) {
                        validate_answers(*form, answers, false, errors);
                        validate_consents(*form, consents, false, errors);
                    }
                    errors.throw_if_any();
                    Application a;
                    a.district_id = p.district_id;
                    a.dong_id = dong;
                    a.form_code = form->code;
                    a.form_version = form->version;
                    a.account_id = p.account_id;
                    a.answers_json = json::serialize(answers);
                    a.consents_json = json::serialize(consents);
                    long long id = store.create(a, store::now_unix());
                    return ok(201, app_json(*store.get(id), {}, store.events(id)));
                },
                "Start an application (a draft saved on the server) for a form", "applications", false, kDraftSchema, 201});

    router.add({"GET", "/api/v1/applications/mine",
                [&store, &ids](Request& req) {
                    auto p = login(ids, req);
                    json::array items;
                    for (const auto& a : store.of_account(p.account_id)) items.push_back(app_json(a, store.files(a.id), store.events(a.id)));
                    return ok(200, json::object{{"items", std::move(items)}});
                },
                "My applications with their status and history (마이페이지)", "applications"});

    router.add({"GET", "/api/v1/applications/{id}",
                [&store, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto a = editable(store, p, http::path_id(req, "id", "application"));
                    return ok(200, app_json(a, store.files(a.id), store.events(a.id)));
                },
                "One of my applications (another person's answers 404)", "applications"});

    router.add({"PUT", "/api/v1/applications/{id}",
                [&store, &ids, &accounts](Request& req) {
                    auto p = login(ids, req);
                    auto a = editable(store, p, http::path_id(req, "id", "application"));
                    const Form& form = form_of(a);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"dong_id", "answers", "consents"});
                    long long dong = checked_dong(accounts, a.district_id, r, errors, false);
                    auto answers = object_member(body, "answers", errors);
                    auto consents = object_member(body, "consents", errors);
                    validate_answers(form, answers, false, errors);
                    validate_consents(form, consents, false, errors);
                    errors.throw_if_any();
                    store.save_draft(a.id, json::serialize(answers), json::serialize(consents), dong ? dong : a.dong_id,
                                     store::now_unix());
                    return ok(200, app_json(*store.get(a.id), store.files(a.id), store.events(a.id)));
                },
                "Save a draft's answers and consents (until it is submitted)", "applications", false,
                R"({"type":"object","additionalProperties":false,"properties":{"dong_id":{"type":"integer","minimum":1},)"
                R"("answers":{"type":"object"},"consents":{"type":"object","additionalProperties":{"type":"boolean"}}}})"});

    router.add({"POST", "/api/v1/applications/{id}/documents/{code}",
                [&store, &ids, file_max](Request& req) {
                    auto p = login(ids, req);
                    auto a = editable(store, p, http::path_id(req, "id", "application"));
                    const Form& form = form_of(a);
                    const std::string& code = req.param("code");
                    if (!form.document(code))
                        throw Error(ErrorKind::validation, "this form asks no such document",
                                    {{"document", "unknown_code", "one of the form's documents"}});
                    if (req.body.empty())
                        throw Error(ErrorKind::validation, "the file is empty", {{"file", "required", "send the file's bytes"}});
                    if (static_cast<long long>(req.body.size()) > file_max)
                        throw Error(ErrorKind::payload_too_large, "the file is larger than " + std::to_string(file_max) + " bytes",
                                    {{"file", "too_large", "at most " + std::to_string(file_max) + " bytes"}});
                    auto sniffed = sniff_type(req.body);
                    std::string declared = req.header("content-type").value_or("");
                    if (auto semi = declared.find(';'); semi != std::string::npos) declared.resize(semi);
                    if (!sniffed)
                        throw Error(ErrorKind::unsupported_media_type, "only PDF, JPEG and PNG files are accepted",
                                    {{"file", "unsupported_type", "a PDF, JPEG or PNG file"}});
                    if (declared != *sniffed)
                        throw Error(ErrorKind::unsupported_media_type, "the file's content is " + *sniffed + ", not " + declared,
                                    {{"file", "type_mismatch", "Content-Type must match the file (" + *sniffed + ")"}});
                    auto f = store.add_file(a.id, code, *sniffed, req.body, p.account_id, store::now_unix());
                    return ok(201, json::object{{"id", f.id},
                                                {"document_code", f.document_code},
                                                {"content_type", f.content_type},
                                                {"size", f.size},
                                                {"sha256", f.sha256},
                                                {"uploaded_at", f.uploaded_at}});
                },
                "Upload a document (the raw bytes; PDF, JPEG or PNG, told by their first bytes; stored encrypted)",
                "applications", false,
                R"({"type":"string","format":"binary","description":"the file's bytes, Content-Type application/pdf, image/jpeg or image/png"})",
                201});

    router.add({"GET", "/api/v1/applications/{id}/files/{file}",
                [&store, &ids](Request& req) {
                    auto p = login(ids, req);
                    long long id = http::path_id(req, "id", "application");
                    long long fid = http::path_id(req, "file", "file");
                    auto a = store.get(id);
                    bool own = a && ((a->account_id != 0 && a->account_id == p.account_id) || a->on_behalf_by == p.account_id);
                    if (!own) {
                        // Staff handling the application's dong, with a reason, logged; anyone else: 404.
                        if (!identity::may_ever(p, Action::handle_application)) throw Error(ErrorKind::not_found, "no such file");
                        identity::require_record(p, Action::handle_application,
                                                 a && a->status != "draft" ? std::optional(target_of(*a)) : std::nullopt,
                                                 "application");
                    }
                    auto f = store.file(id, fid);
                    if (!f) throw Error(ErrorKind::not_found, "no such file");
                    if (!own) {
                        auto why = identity::access_reason(req);
                        identity::log_access(ids, p, req, a->district_id, "application_file", a->id, "read",
                                             "document:" + f->first.document_code, why);
                    }
                    Response r;
                    r.status = 200;
                    r.content_type = f->first.content_type;
                    r.body = std::move(f->second);
                    r.set_header("Content-Disposition", "attachment; filename=\"" + f->first.document_code + "-" +
                                                            std::to_string(f->first.id) + "\"");
                    r.set_header("X-Content-Type-Options", "nosniff");
                    return http::no_store(std::move(r));
                },
                "An uploaded document: the applicant, or staff of the application's dong (X-Access-Reason; logged)",
                "applications"});

    router.add({"POST", "/api/v1/applications/{id}/submit",
                [&store, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto a = editable(store, p, http::path_id(req, "id", "application"));
                    const Form& form = form_of(a);
                    Transition t;
                    t.step = Step::submit;
                    t.actor = p.account_id;
                    t.form_title = form.title_ko;
                    t.check = [&form](const Application& cur, const std::vector<std::string>& docs) {
                        FieldErrors errors;
                        validate_answers(form, json::parse(cur.answers_json).as_object(), true, errors);
                        validate_consents(form, json::parse(cur.consents_json).as_object(), true, errors);
                        validate_documents(form, docs, errors);
                        errors.throw_if_any();
                    };
                    auto out = store.apply(a.id, t, store::now_unix());
                    return ok(200, app_json(out, store.files(out.id), store.events(out.id)));
                },
                "Submit (or, when documents were asked for, resubmit): a receipt number; send Idempotency-Key",
                "applications", false, R"({"type":"object","additionalProperties":false,"properties":{}})"});

    // ---- Staff ----

    router.add({"GET", "/api/v1/staff/applications",
                [&store, &ids](Request& req) {
                    auto p = login(ids, req);
                    if (!identity::may_ever(p, Action::handle_application))
                        throw Error(ErrorKind::forbidden, "to handle online applications you need a caseworker or district administrator role");
                    std::string status = req.query_param("status").value_or("");
                    if (!status.empty() && status != "received" && status != "under_review" && status != "more_documents" &&
                        status != "decided")
                        throw Error(ErrorKind::validation, "unknown status",
                                    {{"status", "unknown_code", "received, under_review, more_documents or decided"}});
                    json::array items;
                    for (const auto& a : store.queue(p.district_id, status))
                        if (identity::authorize(p, Action::handle_application, target_of(a)).allowed) items.push_back(queue_json(a));
                    return ok(200, json::object{{"items", std::move(items)}});
                },
                "The applications of the dongs (or district) the official handles, by status; no personal data",
                "applications"});

    router.add({"GET", "/api/v1/staff/applications/{id}",
                [&store, &ids, &accounts](Request& req) {
                    auto p = login(ids, req);
                    auto a = store.get(http::path_id(req, "id", "application"));
                    bool mine = a && a->on_behalf_by == p.account_id;
                    identity::require_record(p, Action::handle_application,
                                             a && (a->status != "draft" || mine) ? std::optional(target_of(*a)) : std::nullopt,
                                             "application");
                    auto why = identity::access_reason(req, mine ? "own on-behalf application" : nullptr);
                    identity::log_access(ids, p, req, a->district_id, "application", a->id, "read",
                                         "answers,documents,resident", why);
                    auto o = app_json(*a, store.files(a->id), store.events(a->id));
                    std::string applicant;
                    if (a->account_id)
                        if (auto acc = accounts.account(a->account_id)) applicant = acc->name;
                    o["applicant_name"] = applicant;
                    o["resident"] = a->resident_json.empty() ? json::value(nullptr) : json::parse(a->resident_json);
                    o["consent_record"] = a->on_behalf_by
                                              ? json::value(json::object{{"method", a->consent_method},
                                                                         {"at", a->consent_at},
                                                                         {"details", json::parse(a->consent_json)}})
                                              : json::value(nullptr);
                    o["form_definition"] = form_json(form_of(*a));
                    return ok(200, o);
                },
                "Open an application (staff of its dong; X-Access-Reason; logged)", "applications"});

    auto step_route = [&](const char* path, Step step, const char* summary, const char* schema) {
        router.add({"POST", path,
                    [&store, &ids, step](Request& req) {
                        auto p = login(ids, req);
                        auto a = store.get(http::path_id(req, "id", "application"));
                        identity::require_record(p, Action::handle_application,
                                                 a && a->status != "draft" ? std::optional(target_of(*a)) : std::nullopt,
                                                 "application");
                        auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
                        FieldErrors errors;
                        http::BodyReader r(body, errors);
                        Transition t;
                        t.step = step;
                        t.actor = p.account_id;
                        t.form_title = form_of(*a).title_ko;
                        if (step == Step::review) {
                            r.allow_only({});
                        } else if (step == Step::request_documents) {
                            r.allow_only({"note"});
                            t.note = r.string("note", true, 1000).value_or("");
                        } else {
                            r.allow_only({"decision", "reason"});
                            t.decision = r.string("decision", true, 20).value_or("");
                            t.note = r.string("reason", true, 2000).value_or("");
                            if (!t.decision.empty() && t.decision != "approved" && t.decision != "rejected")
                                errors.add("decision", "unknown_code", "approved or rejected");
                        }
                        errors.throw_if_any();
                        auto out = store.apply(a->id, t, store::now_unix());
                        return ok(200, queue_json(out));
                    },
                    summary, "applications", false, schema});
    };
    step_route("/api/v1/staff/applications/{id}/review", Step::review,
               "Start reviewing a received application (the resident is told)",
               R"({"type":"object","additionalProperties":false,"properties":{}})");
    step_route("/api/v1/staff/applications/{id}/request-documents", Step::request_documents,
               "Ask the resident for more documents (they are told, upload and resubmit)",
               R"({"type":"object","additionalProperties":false,"required":["note"],"properties":{"note":)"
               R"({"type":"string","minLength":1,"maxLength":1000,"description":"what is needed, in words the resident reads"}}})");
    step_route("/api/v1/staff/applications/{id}/decide", Step::decide,
               "Decide (a person decides): approved or rejected, with the written reason the resident reads",
               R"({"type":"object","additionalProperties":false,"required":["decision","reason"],"properties":{)"
               R"("decision":{"type":"string","enum":["approved","rejected"]},)"
               R"("reason":{"type":"string","minLength":1,"maxLength":2000}}})");

    router.add({"POST", "/api/v1/staff/applications",
                [&store, &ids, &accounts](Request& req) {
                    auto p = login(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"form", "dong_id", "answers", "consents", "resident", "consent"});
                    auto code = r.string("form", true, 100).value_or("");
                    const Form* form = code.empty() ? nullptr : find_form(code);
                    if (!code.empty() && !form) errors.add("form", "unknown_code", "a form of GET /api/v1/applications/forms");
                    long long dong = checked_dong(accounts, p.district_id, r, errors, true);
                    auto answers = object_member(body, "answers", errors);
                    auto consents = object_member(body, "consents", errors);
                    auto resident = object_member(body, "resident", errors);
                    auto consent = object_member(body, "consent", errors);
                    auto sub_str = [&errors](const json::object& o, const std::string& name, bool required,
                                             std::size_t max) -> std::string {
                        auto* v = o.if_contains(name.substr(name.find('.') + 1));
                        if (!v || v->is_null() || (v->is_string() && v->as_string().empty())) {
                            if (required) errors.add(name, "required", "required");
                            return {};
                        }
                        if (!v->is_string()) {
                            errors.add(name, "not_a_string", "a string");
                            return {};
                        }
                        std::string s(v->as_string());
                        if (http::utf8_length(s) > max || http::has_control_chars(s)) {
                            errors.add(name, "too_long", "at most " + std::to_string(max) + " characters, no control characters");
                            return {};
                        }
                        return s;
                    };
                    auto name = sub_str(resident, "resident.name", true, 50);
                    auto phone = sub_str(resident, "resident.phone", false, 20);
                    auto method = sub_str(consent, "consent.method", true, 10);
                    auto given_by = sub_str(consent, "consent.given_by", true, 50);
                    auto note = sub_str(consent, "consent.note", false, 500);
                    long long at = 0;
                    if (auto* v = consent.if_contains("at"); v && v->is_int64() && v->as_int64() > 0) at = v->as_int64();
                    else errors.add("consent.at", "required", "when the resident consented (Unix time)");
                    if (!method.empty() && method != "written" && method != "phone" && method != "visit")
                        errors.add("consent.method", "unknown_code", "written (서면), phone (전화) or visit (방문)");
                    if (at > store::now_unix() + 300) errors.add("consent.at", "in_future", "when the resident consented, not later");
                    if (form) {
                        validate_answers(*form, answers, false, errors);
                        validate_consents(*form, consents, false, errors);
                    }
                    errors.throw_if_any();
                    identity::require(p, Action::handle_application, {p.district_id, dong});
                    Application a;
                    a.district_id = p.district_id;
                    a.dong_id = dong;
                    a.form_code = form->code;
                    a.form_version = form->version;
                    a.on_behalf_by = p.account_id;
                    a.resident_json = json::serialize(json::object{{"name", name}, {"phone", phone}});
                    a.consent_method = method;
                    a.consent_at = at;
                    a.consent_json = json::serialize(json::object{{"given_by", given_by}, {"note", note}});
                    a.answers_json = json::serialize(answers);
                    a.consents_json = json::serialize(consents);
                    long long id = store.create(a, store::now_unix());
                    identity::log_access(ids, p, req, a.district_id, "application", id, "create", "resident,consent,answers",
                                         "on-behalf application");
                    return ok(201, app_json(*store.get(id), {}, store.events(id)));
                },
                "Apply on behalf of a resident who is offline, recording their consent (who, when, how); then upload and "
                "submit as the resident would",
                "applications", false,
                R"({"type":"object","additionalProperties":false,"required":["form","dong_id","resident","consent"],)"
                R"("properties":{"form":{"type":"string"},"dong_id":{"type":"integer","minimum":1},)"
                R"("answers":{"type":"object"},"consents":{"type":"object","additionalProperties":{"type":"boolean"}},)"
                R"("resident":{"type":"object","required":["name"],"properties":{"name":{"type":"string","maxLength":50},)"
                R"("phone":{"type":"string","maxLength":20}}},)"
                R"("consent":{"type":"object","required":["method","at","given_by"],"properties":{)"
                R"("method":{"type":"string","enum":["written","phone","visit"]},)"
                R"("at":{"type":"integer","minimum":1,"description":"Unix time the resident consented"},)"
                R"("given_by":{"type":"string","maxLength":50,"description":"who consented: the resident or their guardian"},)"
                R"("note":{"type":"string","maxLength":500}}}}})",
                201});

    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/applications"},
             {"PUT", "/api/v1/applications/{id}"},
             {"POST", "/api/v1/applications/{id}/documents/{code}"},
             {"POST", "/api/v1/applications/{id}/submit"},
             {"POST", "/api/v1/staff/applications"},
             {"POST", "/api/v1/staff/applications/{id}/review"},
             {"POST", "/api/v1/staff/applications/{id}/request-documents"},
             {"POST", "/api/v1/staff/applications/{id}/decide"}})
        router.mark_idempotent(method, path);
}

}  // namespace dure::applications
