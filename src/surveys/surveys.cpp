#include "surveys/surveys.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "common/dates.hpp"
#include "common/embedded.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "outreach/store.hpp"

namespace dure::surveys {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;
using soci::into;
using soci::use;

namespace {
std::string str(const json::object& o, std::string_view k) {
    auto it = o.find(k);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}
bool flag_of(const json::object& o, std::string_view k) {
    auto it = o.find(k);
    return it != o.end() && it->value().is_bool() && it->value().as_bool();
}
constexpr const char* kRespondentCtx = "survey_responses.respondent";
constexpr const char* kAnswersCtx = "survey_responses.answers";

// What a survey flag means in the triage queue: its words in the report, and the outreach sign.
struct FlagMeaning {
    std::string_view flag, ko, sign;
};
constexpr FlagMeaning kFlagMeanings[] = {
    {"food", "끼니를 거름", "no_food"},           {"health", "건강 문제·치료 못 받음", "illness"},
    {"isolation", "가족·이웃과 연락 없음", "isolation"}, {"arrears", "월세·공과금 체납", "arrears"},
    {"energy", "난방을 충분히 못 함", "housing"},     {"mental_health", "우울감(거의 매일)", "self_harm_risk"},
    {"wants_help", "복지 도움을 원함", ""},
};

// The report a flagged interview files into the triage queue of its dong: urgent when an answer
// is marked urgent, high for any risk flag, normal when the only flag is a wish for help.
outreach::NewReport survey_report(const Questionnaire& q, long long district, long long dong, const json::object& who,
                                  const Checked& c, long long by, long long now) {
    outreach::NewReport r;
    r.district_id = district;
    r.dong_id = dong;
    r.channel = outreach::Channel::survey;
    r.reporter_kind = outreach::ReporterKind::staff;
    r.reporter_account_id = by;
    r.created_by = by;
    r.received_at = now;
    r.address = str(who, "address");
    r.subject_name = str(who, "name");
    r.subject_phone = str(who, "phone");
    bool risk = false;
    std::string words;
    for (const auto& f : c.flags) {
        std::string_view ko = f, sign;
        for (const auto& m : kFlagMeanings)
            if (m.flag == f) ko = m.ko, sign = m.sign;
        if (f != "wants_help") risk = true;
        if (!sign.empty() && std::find(r.signs.begin(), r.signs.end(), sign) == r.signs.end())
            r.signs.emplace_back(sign);
        words += (words.empty() ? "" : ", ") + std::string(ko);
    }
    r.urgency = c.urgent ? outreach::Urgency::urgent : risk ? outreach::Urgency::high : outreach::Urgency::normal;
    r.concern = q.title_ko + " 결과: " + words;
    return r;
}
}  // namespace

Questionnaire Questionnaire::parse(std::string_view text) {
    auto v = json::parse(text);
    const auto& o = v.as_object();
    Questionnaire q;
    q.code = str(o, "code");
    q.title_ko = str(o, "title_ko");
    q.title_en = str(o, "title_en");
    q.about = str(o, "about");
    if (auto it = o.find("min_age"); it != o.end()) q.min_age = static_cast<int>(it->value().to_number<double>());
    for (const auto& e : o.at("questions").as_array()) {
        const auto& qo = e.as_object();
        Question x;
        x.code = str(qo, "code");
        x.type = str(qo, "type");
        x.text_ko = str(qo, "text_ko");
        x.text_en = str(qo, "text_en");
        x.flag = str(qo, "flag");
        x.required = flag_of(qo, "required");
        if (auto f = str(qo, "flag_if_true"); !f.empty()) x.flag = f, x.flag_if_true = true;
        if (auto f = str(qo, "flag_if_false"); !f.empty()) x.flag = f, x.flag_if_false = true;
        if (auto it = qo.find("flag_if_at_least"); it != qo.end()) x.flag_if_at_least = it->value().to_number<double>();
        if (auto it = qo.find("min"); it != qo.end()) x.min = it->value().to_number<double>();
        if (auto it = qo.find("max"); it != qo.end()) x.max = it->value().to_number<double>();
        if (auto it = qo.find("max_chars"); it != qo.end()) x.max_chars = static_cast<std::size_t>(it->value().to_number<double>());
        if (auto it = qo.find("options"); it != qo.end())
            for (const auto& oe : it->value().as_array()) {
                const auto& oo = oe.as_object();
                x.options.push_back({str(oo, "code"), str(oo, "label_ko"), str(oo, "label_en"), str(oo, "flag"), flag_of(oo, "urgent")});
            }
        q.questions.push_back(std::move(x));
    }
    return q;
}

const std::map<std::string, Questionnaire>& questionnaires() {
    static const std::map<std::string, Questionnaire> all = [] {
        std::map<std::string, Questionnaire> m;
        for (const auto& f : dure::embedded::files())
            if (f.path.starts_with("data/outreach/surveys/") && f.path.ends_with(".json")) {
                auto q = Questionnaire::parse(f.text);
                m.emplace(q.code, std::move(q));
            }
        return m;
    }();
    return all;
}

Checked check_answers(const Questionnaire& q, const json::value& answers, FieldErrors& errors) {
    Checked out;
    if (!answers.is_object()) {
        errors.add("answers", "not_an_object", "an object of answers by question code");
        return out;
    }
    const auto& a = answers.as_object();
    for (const auto& [k, v] : a) {
        bool known = std::any_of(q.questions.begin(), q.questions.end(), [&](const Question& x) { return x.code == k; });
        if (!known) errors.add("answers." + std::string(k), "unknown_question", "not a question of this survey");
    }
    auto add_flag = [&](const std::string& f) {
        if (!f.empty() && std::find(out.flags.begin(), out.flags.end(), f) == out.flags.end()) out.flags.push_back(f);
    };
    for (const auto& x : q.questions) {
        std::string field = "answers." + x.code;
        auto it = a.find(x.code);
        if (it == a.end() || it->value().is_null()) {
            if (x.required) errors.add(field, "required", "an answer is required");
            continue;
        }
        const auto& v = it->value();
        if (x.type == "choice") {
            const Option* chosen = nullptr;
            for (const auto& o : x.options)
                if (v.is_string() && v.as_string() == o.code) chosen = &o;
            if (!chosen) {
                std::string codes;
                for (const auto& o : x.options) codes += (codes.empty() ? "" : ", ") + o.code;
                errors.add(field, "unknown_option", "one of: " + codes);
                continue;
            }
            add_flag(chosen->flag);
            out.urgent = out.urgent || chosen->urgent;
        } else if (x.type == "bool") {
            if (!v.is_bool()) {
                errors.add(field, "not_a_boolean", "true or false");
                continue;
            }
            if ((x.flag_if_true && v.as_bool()) || (x.flag_if_false && !v.as_bool())) add_flag(x.flag);
        } else if (x.type == "number") {
            if (!v.is_number() || v.to_number<double>() < x.min || v.to_number<double>() > x.max ||
                std::floor(v.to_number<double>()) != v.to_number<double>()) {
                errors.add(field, "out_of_range", "a whole number from " + std::to_string(static_cast<long long>(x.min)) + " to " +
                                                      std::to_string(static_cast<long long>(x.max)));
                continue;
            }
            if (x.flag_if_at_least >= 0 && v.to_number<double>() >= x.flag_if_at_least) add_flag(x.flag);
        } else {
            if (!v.is_string() || utf8_length(v.as_string()) > x.max_chars)
                errors.add(field, "invalid", "a text of at most " + std::to_string(x.max_chars) + " characters");
        }
    }
    return out;
}

void register_routes(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids, std::function<long long()> default_district) {
    auto survey_of = [](const Request& req) -> const Questionnaire& {
        auto it = questionnaires().find(req.param("code"));
        if (it == questionnaires().end()) throw Error(ErrorKind::not_found, "no such survey");
        return it->second;
    };
    auto this_year = [] { return std::stoll(today_seoul().substr(0, 4)); };

    router.add({"GET", "/api/v1/surveys",
                [](Request&) {
                    json::array items;
                    for (const auto& [code, q] : questionnaires()) {
                        json::array qs;
                        for (const auto& x : q.questions) {
                            json::array opts;
                            for (const auto& o : x.options) opts.push_back(json::object{{"code", o.code}, {"label_ko", o.label_ko}, {"label_en", o.label_en}});
                            qs.push_back(json::object{{"code", x.code}, {"type", x.type}, {"required", x.required},
                                                      {"text_ko", x.text_ko}, {"text_en", x.text_en}, {"options", std::move(opts)}});
                        }
                        items.push_back(json::object{{"code", code}, {"title_ko", q.title_ko}, {"title_en", q.title_en},
                                                     {"min_age", q.min_age}, {"about", q.about}, {"questions", std::move(qs)}});
                    }
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "The survey questionnaires (questions and options) for field entry", "surveys", true});

    router.add({"POST", "/api/v1/surveys/{code}/responses",
                [&db, &keys, &ids, survey_of, this_year](Request& req) {
                    const auto& q = survey_of(req);
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"dong_id", "respondent", "answers"});
                    auto dong = r.integer("dong_id", true, 1, 1LL << 53);
                    // The interviewer's district; a dong of another district is no dong of theirs.
                    long long district = p.district_id;
                    if (dong && ids.store().district_of_dong(*dong) != district)
                        errors.add("dong_id", "unknown_dong", "a dong of your district");
                    json::object respondent;
                    auto rit = body.find("respondent");
                    if (rit == body.end() || !rit->value().is_object()) {
                        errors.add("respondent", "required", "{name, address, phone?, birth_year}");
                    } else {
                        FieldErrors inner;
                        http::BodyReader rr(rit->value().as_object(), inner);
                        rr.allow_only({"name", "address", "phone", "birth_year"});
                        auto name = rr.string("name", true, 50);
                        auto address = rr.string("address", true, 200);
                        auto phone = rr.string("phone", false, 20);
                        auto born = rr.integer("birth_year", true, 1900, this_year());
                        if (born && this_year() - *born < q.min_age)
                            inner.add("birth_year", "too_young", "this survey is for people aged " + std::to_string(q.min_age) + " and over");
                        try {
                            inner.throw_if_any();
                        } catch (const Error& e) {
                            for (const auto& f : e.fields()) errors.add("respondent." + f.field, f.code, f.message);
                        }
                        respondent = json::object{{"name", name.value_or("")}, {"address", address.value_or("")},
                                                  {"phone", phone.value_or("")}, {"birth_year", born.value_or(0)}};
                    }
                    Checked c;
                    if (auto ait = body.find("answers"); ait == body.end()) errors.add("answers", "required", "the answers");
                    else c = check_answers(q, ait->value(), errors);
                    errors.throw_if_any();
                    identity::require(p, Action::conduct_survey, {district, *dong});
                    json::array flags;
                    for (const auto& f : c.flags) flags.emplace_back(f);
                    std::string resp = keys.encrypt(json::serialize(respondent), kRespondentCtx);
                    std::string ans = keys.encrypt(json::serialize(body.at("answers")), kAnswersCtx);
                    std::string flags_text = json::serialize(flags), code = q.code;
                    long long now = store::now_unix(), year = this_year(), urgent = c.urgent, id = 0;
                    // A flagged interview joins the dong's triage queue first (merged with any report about
                    // the same household, so a retried request lands on the same one); the interview then
                    // keeps the household it was filed into.
                    json::value household = nullptr;
                    long long hid = 0;
                    if (!c.flags.empty()) {
                        outreach::OutreachStore outreach(db, keys);
                        auto filed = outreach.file({survey_report(q, district, *dong, respondent, c, p.account_id, now)},
                                                   "", now, [](const auto&) { return std::string("{}"); });
                        if (!filed.filed.empty()) {
                            hid = filed.filed.front().household_id;
                            household = json::object{{"id", hid}, {"receipt_no", filed.filed.front().receipt_no},
                                                     {"merged", filed.filed.front().merged}};
                        }
                    }
                    db.write([&](soci::session& s) {
                        soci::indicator hi = hid ? soci::i_ok : soci::i_null;
                        s << "INSERT INTO survey_responses (district_id, dong_id, survey, year, respondent_enc, answers_enc, "
                             "flags, urgent, surveyed_by, surveyed_at, updated_at, household_id) VALUES (:d, :g, :s, :y, :r, "
                             ":a, :f, :u, :b, :t, :t2, :h) RETURNING id",
                            use(district), use(*dong), use(code), use(year), use(resp), use(ans), use(flags_text), use(urgent),
                            use(p.account_id), use(now), use(now), use(hid, hi), into(id);
                    });
                    return http::json_response(201, json::object{{"id", id}, {"flags", std::move(flags)}, {"urgent", c.urgent},
                                                                 {"household", std::move(household)}});
                },
                "Enter one interview (field staff of the dong); answers are checked against the questionnaire and "
                "raise flags; a flagged interview is filed into the dong's triage queue (household in the answer)",
                "surveys", false,
                R"({"type":"object","additionalProperties":false,"required":["dong_id","respondent","answers"],"properties":{)"
                R"("dong_id":{"type":"integer","minimum":1},"respondent":{"type":"object","additionalProperties":false,)"
                R"("required":["name","address","birth_year"],"properties":{"name":{"type":"string","maxLength":50},)"
                R"("address":{"type":"string","maxLength":200},"phone":{"type":"string","maxLength":20},)"
                R"("birth_year":{"type":"integer","minimum":1900}}},)"
                R"("answers":{"type":"object","description":"answers by question code, as GET /api/v1/surveys lists them"}}})",
                201});

    router.add({"GET", "/api/v1/surveys/{code}/responses",
                [&db, &ids, survey_of, this_year](Request& req) {
                    const auto& q = survey_of(req);
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    long long district = p.district_id, dong = 0, year = this_year();
                    if (auto d = req.query_param("dong")) dong = std::atoll(d->c_str());
                    if (auto y = req.query_param("year")) year = std::atoll(y->c_str());
                    // Without ?dong= a dong official sees their own dongs (filtered row by row below).
                    bool some = identity::authorize(p, Action::read_household, {district, dong}).allowed;
                    if (!some && dong == 0)
                        for (const auto& d : ids.store().districts())
                            if (d.id == district)
                                for (const auto& g : d.dongs)
                                    some = some || identity::authorize(p, Action::read_household, {district, g.id}).allowed;
                    if (!some) identity::require(p, Action::read_household, {district, dong});
                    bool flagged_only = req.query_param("flagged").value_or("") == "1";
                    json::array items;
                    db.read([&](soci::session& s) {
                        long long id = 0, g = 0, urgent = 0, at = 0, hid = 0;
                        soci::indicator hi = soci::i_null;
                        std::string flags, follow;
                        std::string code = q.code;
                        soci::statement st = (s.prepare << "SELECT id, dong_id, flags, urgent, follow_up, surveyed_at, household_id FROM survey_responses "
                                                           "WHERE district_id = :d AND survey = :s AND year = :y AND (:g1 = 0 OR dong_id = :g2) "
                                                           "ORDER BY urgent DESC, id",
                                              into(id), into(g), into(flags), into(urgent), into(follow), into(at), into(hid, hi), use(district),
                                              use(code), use(year), use(dong), use(dong));
                        st.execute();
                        while (st.fetch()) {
                            if (flagged_only && flags == "[]") continue;
                            if (!identity::authorize(p, Action::read_household, {district, g}).allowed) continue;
                            items.push_back(json::object{{"id", id}, {"dong_id", g}, {"flags", json::parse(flags)}, {"urgent", urgent != 0},
                                                         {"follow_up", follow.empty() ? json::value(nullptr) : json::value(follow)},
                                                         {"surveyed_at", at},
                                                         {"household_id", hi == soci::i_ok ? json::value(hid) : json::value(nullptr)}});
                        }
                    });
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Interviews of a year (?dong=, ?flagged=1): flags and follow-up, no personal data; urgent first", "surveys"});

    router.add({"GET", "/api/v1/surveys/responses/{id}",
                [&db, &keys, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    long long id = http::path_id(req, "id", "response"), district = 0, dong = 0;
                    std::string resp, ans, flags, follow;
                    bool found = false;
                    db.read([&](soci::session& s) {
                        s << "SELECT district_id, dong_id, respondent_enc, answers_enc, flags, follow_up FROM survey_responses WHERE id = :i",
                            into(district), into(dong), into(resp), into(ans), into(flags), into(follow), use(id);
                        found = s.got_data();
                    });
                    identity::require_record(p, Action::read_household,
                                             found ? std::optional(identity::Target{district, dong}) : std::nullopt, "response");
                    identity::log_access(ids, p, req, district, "survey_response", id, "read", "respondent,answers",
                                         identity::access_reason(req));
                    Response r = http::json_response(200, json::object{
                        {"id", id}, {"dong_id", dong}, {"respondent", json::parse(keys.decrypt(resp, kRespondentCtx))},
                        {"answers", json::parse(keys.decrypt(ans, kAnswersCtx))}, {"flags", json::parse(flags)},
                        {"follow_up", follow.empty() ? json::value(nullptr) : json::value(follow)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "One interview with the respondent and answers (officials of the dong; the read is logged)", "surveys"});

    router.add({"PUT", "/api/v1/surveys/responses/{id}/follow_up",
                [&db, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    long long id = http::path_id(req, "id", "response"), district = 0, dong = 0;
                    bool found = false;
                    db.read([&](soci::session& s) {
                        s << "SELECT district_id, dong_id FROM survey_responses WHERE id = :i", into(district), into(dong), use(id);
                        found = s.got_data();
                    });
                    identity::require_record(p, Action::triage_household,
                                             found ? std::optional(identity::Target{district, dong}) : std::nullopt, "response");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"follow_up"});
                    auto f = r.string("follow_up", true, 20);
                    if (f && *f != "supported" && *f != "not_needed" && *f != "refused" && *f != "unreachable")
                        errors.add("follow_up", "unknown_code", "supported, not_needed, refused or unreachable");
                    errors.throw_if_any();
                    long long now = store::now_unix();
                    db.write([&](soci::session& s) {
                        s << "UPDATE survey_responses SET follow_up = :f, updated_at = :u WHERE id = :i", use(*f), use(now), use(id);
                    });
                    return http::json_response(200, json::object{{"id", id}, {"follow_up", *f}});
                },
                "Record what the district did for a respondent", "surveys", false,
                R"({"type":"object","additionalProperties":false,"required":["follow_up"],"properties":{)"
                R"("follow_up":{"enum":["supported","not_needed","refused","unreachable"]}}})"});

    add_report_routes(router, db, ids, default_district);
    // Writes a client may retry with an Idempotency-Key (src/app/idempotent.hpp).
    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/surveys/{code}/responses"},
             {"PUT", "/api/v1/surveys/responses/{id}/follow_up"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::surveys
