// POST /channels/kakao/skill: the KakaoTalk channel's skill server. With `address` and `concern`
// in action.params it files a report and answers with the receipt number; otherwise it searches
// the catalogue for what the user typed. Guarded by a shared secret; every payload, however
// broken, gets a skill reply the chat can show.
#include <iostream>

#include "common/safe_error.hpp"
#include "http/json.hpp"
#include "outreach/api_internal.hpp"
#include "outreach/intake.hpp"
#include "outreach/kakao.hpp"
#include "outreach/normalize.hpp"

namespace dure::outreach {

using http::Request;
using http::Response;

namespace {

Response skill_response(const std::string& text) {
    Response r;
    r.body = skill_reply(text, standard_quick_replies());
    return r;
}

std::string param(const SkillRequest& req, const char* name) {
    auto it = req.params.find(name);
    return it == req.params.end() ? std::string() : trim(it->second);
}

// Why a chat report was refused, in words for the person typing.
std::string refusal_text(const Error& e) {
    std::string text = "입력하신 내용을 확인해 주세요.";
    for (const auto& f : e.fields()) {
        std::string what = f.field == "address"   ? "주소"
                           : f.field == "concern" ? "상황 설명"
                           : f.field == "contact" ? "연락처"
                                                  : "입력";
        if (f.code == "too_long")
            text += "\n- " + what + "이(가) 너무 깁니다. (" + f.message + ")";
        else if (f.code == "control_characters")
            text += "\n- " + what + "에 보낼 수 없는 문자가 있습니다.";
        else if (f.code == "address_or_place")
            text += "\n- 주소나 장소를 알려 주세요.";
        else
            text += "\n- " + what + "을(를) 다시 적어 주세요.";
    }
    return text;
}

long long skill_district(Context& c, const Request& req) {
    auto code = req.query_param("district");
    if (!code) return c.default_district();
    auto d = c.ids.store().district_by_code(*code);
    return d ? d->id : 0;
}

std::string take_report(Context& c, const SkillRequest& sr, long long district) {
    std::string address = param(sr, "address"), concern = param(sr, "concern");
    if (address.empty() || concern.empty())
        return "도움이 필요한 이웃의 주소(또는 장소)와 상황을 모두 알려 주세요.";
    RawReport raw;
    raw.address = address;
    raw.concern = concern;
    raw.contact = param(sr, "contact");
    if (auto u = param(sr, "urgency"); parse_urgency(u)) raw.urgency = u;
    FieldErrors errors;
    long long now = store::now_unix();
    auto r = check_report(raw, dongs_of(c, district), now, errors);
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        return refusal_text(e);
    }
    std::string who = sr.user_key.empty() ? "unknown" : sr.user_key;
    // Kakao shows only 200 skill answers, so a chat user over the limit gets a chat message.
    if (c.chat_reports.hit("kakao:" + who, steady_seconds()))
        return "짧은 시간에 신고가 많이 들어왔습니다. 잠시 후 다시 알려 주시거나 보건복지상담센터(129)로 "
               "전화해 주세요.";
    r.district_id = district;
    r.channel = Channel::kakao;
    r.reporter_kind = ReporterKind::anonymous;
    r.reporter_ref = sr.user_key;
    auto filed =
        c.store.file({r}, "", now, [](const std::vector<FiledReport>& f) { return f.front().receipt_no; });
    return receipt_text(filed.response);
}

std::string find_services(Context& c, const SkillRequest& sr, long long district) {
    std::string q = param(sr, "keyword");
    if (q.empty()) q = param(sr, "query");
    if (q.empty()) q = trim(sr.utterance);
    if (q.empty() || q == "복지서비스 찾기") return help_text();
    if (q == "위기가구 알리기")
        return "도움이 필요한 이웃의 주소(또는 장소)와 상황을 알려 주세요. 연락처는 남기지 않으셔도 됩니다.";
    catalog::SearchQuery query;
    query.q = cut_utf8(q, 100);
    query.limit = 5;
    auto res = c.catalog.search(district, query);
    std::vector<ServiceLine> lines;
    for (const auto& h : res.hits)
        if (auto s = c.catalog.store().service(h.id))
            lines.push_back({s->name, s->alternate_name.empty() ? s->description : s->alternate_name});
    return services_text(q, lines, res.total);
}

}  // namespace

void add_kakao_route(http::Router& router, ContextPtr ctx) {
    router.add(
        {"POST", "/channels/kakao/skill",
         [ctx](Request& req) {
             auto& c = *ctx;
             if (c.kakao_secret.empty()) throw Error(ErrorKind::not_found, "not found");
             // Per calling address, before the secret is checked, so guessing it is slow too.
             if (long long wait = c.skill_callers.hit("addr:" + req.remote_addr, steady_seconds()))
                 throw Error(ErrorKind::too_many_requests, "too many skill requests from this address")
                     .with_type("too-many-requests")
                     .with_retry_after(static_cast<int>(wait));
             // Hashing first makes the comparison constant-time whatever the lengths.
             auto given = req.header("x-skill-secret").value_or("");
             if (!identity::secure_equals(identity::token_hash(given), identity::token_hash(c.kakao_secret)))
                 throw Error(ErrorKind::unauthorized, "wrong or missing X-Skill-Secret");
             try {
                 std::string problem;
                 auto sr = parse_skill_request(req.body, problem);
                 if (!sr) return skill_response(problem);
                 long long district = skill_district(c, req);
                 if (!district)
                     return skill_response(
                         "이 채널은 아직 준비 중입니다. 보건복지상담센터(129)로 문의해 주세요.");
                 bool report = !param(*sr, "address").empty() || !param(*sr, "concern").empty();
                 return skill_response(report ? take_report(c, *sr, district)
                                              : find_services(c, *sr, district));
             } catch (const std::exception& e) {
                 std::cerr << "dure: kakao skill " << req.request_id << " failed: " << safe_what(e) << std::endl;
                 return skill_response("일시적인 문제로 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.");
             }
         },
         "KakaoTalk channel skill (Kakao i Open Builder 2.0): finds services by keyword, or takes a report "
         "when action.params carry address and concern; X-Skill-Secret must equal DURE_KAKAO_SKILL_SECRET "
         "(unset: 404)",
         "outreach", false,
         R"({"type":"object","description":"A Kakao i Open Builder 2.0 skill request","required":["userRequest"],)"
         R"("properties":{"userRequest":{"type":"object","properties":{"utterance":{"type":"string"},)"
         R"("user":{"type":"object","properties":{"id":{"type":"string"}}}}},)"
         R"("action":{"type":"object","properties":{"params":{"type":"object","additionalProperties":{"type":"string"}}}}}})"});
}

}  // namespace dure::outreach
