#pragma once
// The KakaoTalk channel skill (Kakao i Open Builder, skill format 2.0): reading the payload the
// bot system POSTs (userRequest, action.params) and writing the replies it shows (a simpleText
// and quick replies). Pure text in, text out; the route lives in kakao_api.cpp.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dure::outreach {

// Open Builder's limits: a simpleText shows at most 1000 characters, a reply carries at most 10
// quick replies, and a quick reply's label is at most 14 characters.
inline constexpr std::size_t kSkillTextMax = 1000;
inline constexpr std::size_t kQuickRepliesMax = 10;
inline constexpr std::size_t kQuickReplyLabelMax = 14;
// Real payloads are a few kilobytes; anything much larger is not from the bot system.
inline constexpr std::size_t kSkillBodyMax = 64 * 1024;

// What dure reads of a skill payload.
struct SkillRequest {
    std::string utterance;                      // userRequest.utterance: what the user typed
    std::string user_key;                       // userRequest.user.id: the bot's pseudonymous user key
    std::map<std::string, std::string> params;  // action.params whose values are strings
};

// Parses a payload; nullopt with `problem` (Korean, for the user) when it is not one. Never throws.
std::optional<SkillRequest> parse_skill_request(std::string_view body, std::string& problem);

struct QuickReply {
    std::string label, message;  // shown label; the text sent when tapped
};

// A skill response: {"version": "2.0", "template": {"outputs": [{"simpleText": {"text": …}}],
// "quickReplies": [{"label", "action": "message", "messageText"}]}}, with the text and labels cut
// to Open Builder's limits on character boundaries.
std::string skill_reply(std::string_view text, const std::vector<QuickReply>& replies);

// The quick replies every answer offers: find services, report a neighbour.
std::vector<QuickReply> standard_quick_replies();

// A service found for a keyword, as the chat lists it.
struct ServiceLine {
    std::string name, summary;
};
std::string services_text(std::string_view query, const std::vector<ServiceLine>& services, long long total);
std::string receipt_text(std::string_view receipt_no);
std::string help_text();

// `s` cut to at most `max` characters without splitting one, "…" marking a cut.
std::string cut_utf8(std::string_view s, std::size_t max);

}  // namespace dure::outreach
