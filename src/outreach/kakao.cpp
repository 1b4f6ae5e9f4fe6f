#include "outreach/kakao.hpp"

#include <boost/json.hpp>

#include "common/text.hpp"

namespace dure::outreach {

namespace json = boost::json;

std::optional<SkillRequest> parse_skill_request(std::string_view body, std::string& problem) {
    if (body.size() > kSkillBodyMax) {
        problem = "요청이 너무 큽니다. 내용을 줄여서 다시 보내 주세요.";
        return std::nullopt;
    }
    json::parse_options opts;
    opts.max_depth = 16;
    boost::system::error_code ec;
    json::value v = json::parse(body, ec, {}, opts);
    const json::object* root = ec ? nullptr : v.if_object();
    const json::object* user_request = nullptr;
    if (root)
        if (auto it = root->find("userRequest"); it != root->end()) user_request = it->value().if_object();
    if (!user_request) {
        problem = "요청을 이해하지 못했습니다. 잠시 후 다시 시도해 주세요.";
        return std::nullopt;
    }
    SkillRequest req;
    if (auto it = user_request->find("utterance"); it != user_request->end() && it->value().is_string())
        req.utterance = std::string(it->value().as_string());
    if (auto it = user_request->find("user"); it != user_request->end() && it->value().is_object()) {
        const auto& user = it->value().as_object();
        if (auto id = user.find("id");
            id != user.end() && id->value().is_string() && id->value().as_string().size() <= 200)
            req.user_key = std::string(id->value().as_string());
    }
    if (auto it = root->find("action"); it != root->end() && it->value().is_object()) {
        const auto& action = it->value().as_object();
        if (auto p = action.find("params"); p != action.end() && p->value().is_object())
            for (const auto& kv : p->value().as_object())
                if (kv.value().is_string() && req.params.size() < 32)
                    req.params.emplace(std::string(kv.key()), std::string(kv.value().as_string()));
    }
    if (req.utterance.size() > 4000 || has_control_chars(req.user_key)) {
        problem = "메시지가 너무 깁니다. 짧게 나누어 보내 주세요.";
        return std::nullopt;
    }
    return req;
}

std::string cut_utf8(std::string_view s, std::size_t max) {
    if (utf8_length(s) <= max) return std::string(s);
    std::string out;
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80 && ++chars > max - 1) break;
        out += s[i];
    }
    return out + "…";
}

std::string skill_reply(std::string_view text, const std::vector<QuickReply>& replies) {
    json::array quick;
    for (const auto& r : replies) {
        if (quick.size() >= kQuickRepliesMax) break;
        quick.push_back(json::object{{"label", cut_utf8(r.label, kQuickReplyLabelMax)},
                                     {"action", "message"},
                                     {"messageText", cut_utf8(r.message, 200)}});
    }
    // Invalid UTF-8 would make the whole reply unreadable to the bot system: drop it.
    std::string safe;
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c >= 0x20 || c == '\n') safe += static_cast<char>(c);
            continue;
        }
        std::size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        if (ok) safe.append(text.substr(i, len));
        i += ok ? len - 1 : 0;
    }
    if (safe.empty()) safe = " ";
    json::object tmpl{
        {"outputs",
         json::array{json::object{{"simpleText", json::object{{"text", cut_utf8(safe, kSkillTextMax)}}}}}}};
    if (!quick.empty()) tmpl["quickReplies"] = std::move(quick);
    return json::serialize(json::object{{"version", "2.0"}, {"template", std::move(tmpl)}});
}

std::vector<QuickReply> standard_quick_replies() {
    return {{"복지서비스 찾기", "복지서비스 찾기"}, {"위기가구 알리기", "위기가구 알리기"}};
}

std::string services_text(std::string_view query, const std::vector<ServiceLine>& services, long long total) {
    if (services.empty())
        return "'" + cut_utf8(query, 30) +
               "'(으)로 찾은 복지서비스가 없습니다. 다른 말로 찾아보시거나 보건복지상담센터(129)에 "
               "물어보세요.";
    std::string text = "'" + cut_utf8(query, 30) + "' 관련 복지서비스 " + std::to_string(total) + "건 중 " +
                       std::to_string(services.size()) + "건입니다.\n";
    int n = 0;
    for (const auto& s : services) {
        text += "\n" + std::to_string(++n) + ". " + cut_utf8(s.name, 60);
        if (!s.summary.empty()) text += "\n   " + cut_utf8(s.summary, 80);
    }
    text += "\n\n자세한 내용은 동 행정복지센터나 보건복지상담센터(129)에 문의하세요.";
    return text;
}

std::string receipt_text(std::string_view receipt_no) {
    return "알려 주셔서 고맙습니다. 신고가 접수되었습니다.\n접수번호: " + std::string(receipt_no) +
           "\n\n담당 공무원이 확인해 필요한 도움을 연결합니다. 신고하신 분의 정보는 공개되지 않습니다.\n"
           "생명이 위급하면 119, 범죄가 의심되면 112에 바로 알려 주세요.";
}

std::string help_text() {
    return "두레 복지 상담입니다.\n- 찾고 싶은 복지서비스를 입력해 주세요. 예: 기초연금, 긴급 생계비\n"
           "- 도움이 필요한 이웃을 알리려면 '위기가구 알리기'를 눌러 주소와 상황을 알려 주세요.";
}

}  // namespace dure::outreach
