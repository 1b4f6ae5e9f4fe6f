#include "outreach/model.hpp"

#include <algorithm>
#include <utility>

namespace dure::outreach {

namespace {

template <class E, std::size_t N>
std::string_view name_of(E value, const std::pair<E, std::string_view> (&names)[N]) {
    for (const auto& [v, n] : names)
        if (v == value) return n;
    return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(std::string_view s, const std::pair<E, std::string_view> (&names)[N]) {
    for (const auto& [v, n] : names)
        if (n == s) return v;
    return std::nullopt;
}

const std::pair<Urgency, std::string_view> kUrgencies[] = {
    {Urgency::normal, "normal"}, {Urgency::high, "high"}, {Urgency::urgent, "urgent"}};
const std::pair<Channel, std::string_view> kChannels[] = {
    {Channel::web, "web"},         {Channel::hotline, "hotline"}, {Channel::counter, "counter"},
    {Channel::partner, "partner"}, {Channel::csv, "csv"},         {Channel::kakao, "kakao"},
    {Channel::survey, "survey"}};
const std::pair<ReporterKind, std::string_view> kReporterKinds[] = {{ReporterKind::anonymous, "anonymous"},
                                                                    {ReporterKind::resident, "resident"},
                                                                    {ReporterKind::gatekeeper, "gatekeeper"},
                                                                    {ReporterKind::staff, "staff"}};
const std::pair<HouseholdStatus, std::string_view> kStatuses[] = {{HouseholdStatus::new_, "new"},
                                                                  {HouseholdStatus::assigned, "assigned"},
                                                                  {HouseholdStatus::contacted, "contacted"},
                                                                  {HouseholdStatus::closed, "closed"},
                                                                  {HouseholdStatus::merged, "merged"}};
const std::pair<ReportStatus, std::string_view> kReportStatuses[] = {
    {ReportStatus::received, "received"},
    {ReportStatus::under_review, "under_review"},
    {ReportStatus::closed, "closed"}};
const std::pair<GatekeeperKind, std::string_view> kGatekeeperKinds[] = {
    {GatekeeperKind::honorary_officer, "honorary_officer"},
    {GatekeeperKind::partner_worker, "partner_worker"}};

}  // namespace

std::string_view to_string(Urgency u) {
    return name_of(u, kUrgencies);
}
std::string_view to_string(Channel c) {
    return name_of(c, kChannels);
}
std::string_view to_string(ReporterKind k) {
    return name_of(k, kReporterKinds);
}
std::string_view to_string(HouseholdStatus s) {
    return name_of(s, kStatuses);
}
std::string_view to_string(ReportStatus s) {
    return name_of(s, kReportStatuses);
}
std::string_view to_string(GatekeeperKind k) {
    return name_of(k, kGatekeeperKinds);
}

std::optional<Urgency> parse_urgency(std::string_view s) {
    if (s == "긴급") return Urgency::urgent;
    if (s == "우선") return Urgency::high;
    if (s == "일반") return Urgency::normal;
    return value_of(s, kUrgencies);
}
std::optional<Channel> parse_channel(std::string_view s) {
    return value_of(s, kChannels);
}
std::optional<HouseholdStatus> parse_household_status(std::string_view s) {
    return value_of(s, kStatuses);
}
std::optional<GatekeeperKind> parse_gatekeeper_kind(std::string_view s) {
    return value_of(s, kGatekeeperKinds);
}

int rank(Urgency u) {
    switch (u) {
        case Urgency::urgent:
            return 3;
        case Urgency::high:
            return 2;
        case Urgency::normal:
            return 1;
    }
    return 1;
}

const std::vector<Code>& sign_codes() {
    static const std::vector<Code> kSigns = {
        {"mail_piling_up", "우편물·고지서가 쌓임", "Mail or bills piling up"},
        {"utility_cutoff", "전기·가스·수도 끊김", "Electricity, gas or water cut off"},
        {"arrears", "월세·공과금 체납", "Behind on rent or bills"},
        {"no_food", "끼니를 거름", "Going without meals"},
        {"illness", "아프거나 거동이 어려움", "Ill or unable to move about"},
        {"isolation", "왕래 없이 홀로 지냄", "Living alone with no contact"},
        {"housing", "주거 환경이 열악함", "Poor or unsafe housing"},
        {"smell_or_noise", "악취·이상한 소리", "Bad smell or strange noises"},
        {"self_harm_risk", "극단적 선택이 우려됨", "Risk of self-harm"},
        {"abuse_or_neglect", "학대·방임이 의심됨", "Suspected abuse or neglect"},
        {"other", "기타", "Other"},
    };
    return kSigns;
}

const std::vector<Code>& occupation_codes() {
    static const std::vector<Code> kOccupations = {
        {"postal", "집배원", "Postal worker"},
        {"meter_reader", "검침원", "Meter reader"},
        {"delivery", "배달·택배 기사", "Delivery worker"},
        {"shop", "상점·편의점 직원", "Shop staff"},
        {"landlord", "임대인·공인중개사", "Landlord or estate agent"},
        {"neighbour", "통·반장, 이웃", "Neighbourhood leader or neighbour"},
        {"police", "경찰", "Police"},
        {"fire", "소방", "Fire service"},
        {"gas", "도시가스", "Gas company"},
        {"water", "수도", "Water utility"},
        {"electricity", "전력", "Electricity utility"},
        {"health", "보건·의료", "Health and medical"},
        {"other", "기타", "Other"},
    };
    return kOccupations;
}

const std::vector<Code>& outcome_codes() {
    static const std::vector<Code> kOutcomes = {
        {"public_benefit", "공적 급여 연계", "Linked to a public benefit"},
        {"private_resources", "민간 자원 연계", "Linked to private resources"},
        {"case_management", "사례관리로 이관", "Taken into case management"},
        {"not_in_need", "위기 아님", "Not in need"},
        {"unreachable", "연락·소재 불가", "Could not be reached"},
        {"refused", "지원 거부", "Refused help"},
        {"moved_away", "관외 전출", "Moved out of the district"},
    };
    return kOutcomes;
}

bool is_code(const std::vector<Code>& codes, std::string_view code) {
    return std::any_of(codes.begin(), codes.end(), [&](const Code& c) { return c.code == code; });
}

}  // namespace dure::outreach
