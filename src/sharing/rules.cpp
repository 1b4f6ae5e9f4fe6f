#include "sharing/rules.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <map>
#include <set>

#include "identity/crypto.hpp"

namespace dure::sharing {

int overlap_hours(const Availability& a, const Availability& b) {
    int days = std::popcount(static_cast<unsigned>(a.days & b.days & 0x7f));
    int hours = std::min(a.hour_to, b.hour_to) - std::max(a.hour_from, b.hour_from);
    return hours > 0 ? days * hours : 0;
}

namespace {

bool shares_language(const std::vector<std::string>& a, const std::vector<std::string>& b, std::string* which) {
    for (const auto& x : a)
        for (const auto& y : b)
            if (x == y) {
                if (which) *which = x;
                return true;
            }
    return false;
}

}  // namespace

namespace {

// The reasons of one candidate, each with its points (their sum is the score).
Suggestion explain(const NeedView& need, const OfferView& o, int overlap, int need_hours) {
    Suggestion s;
    s.offer_id = o.id;
    s.reasons.push_back({"subfield", "분야 일치 (" + need.subfield + ")", "offers " + need.subfield, 30});
    if (o.mode == "remote" || o.mode == "in_kind")
        s.reasons.push_back({"distance", "거리 무관 (" + std::string(o.mode == "remote" ? "비대면" : "물품") + ")",
                             "distance does not matter (" + o.mode + ")", 20});
    else if (o.dong_id == need.dong_id)
        s.reasons.push_back({"distance", "같은 동", "same dong", 25});
    else
        s.reasons.push_back({"distance", "다른 동", "another dong", 5});
    if (o.mode != "in_kind") {
        double share = std::min(1.0, static_cast<double>(overlap) / need_hours);
        s.reasons.push_back({"hours", "가능 시간 " + std::to_string(overlap) + "시간/주 겹침",
                             std::to_string(overlap) + " h/week overlap", 20 * share});
    }
    std::string lang;
    if (shares_language(need.languages, o.languages, &lang))
        s.reasons.push_back({"language", "언어 " + lang, "speaks " + lang, 10});
    else
        s.reasons.push_back({"language", "공통 언어 없음", "no shared language", -10});
    if (o.completed > 0)
        s.reasons.push_back({"completed", "완료한 연결 " + std::to_string(o.completed) + "건",
                             std::to_string(o.completed) + " completed", std::min(o.completed, 5) * 1.0});
    if (o.live_connections > 0)
        s.reasons.push_back({"load", "진행 중 " + std::to_string(o.live_connections) + "건",
                             std::to_string(o.live_connections) + " under way", -8.0 * o.live_connections});
    for (const auto& r : s.reasons) s.score += r.points;
    return s;
}

// The same score as explain() gives, without building the reasons' texts (summed in the same
// order, so the two agree to the bit).
double score_of(const NeedView& need, const OfferView& o, int overlap, int need_hours) {
    bool remote = o.mode == "remote", in_kind = o.mode == "in_kind";
    double score = 0;
    score += 30;
    score += remote || in_kind ? 20 : o.dong_id == need.dong_id ? 25 : 5;
    if (!in_kind) score += 20 * std::min(1.0, static_cast<double>(overlap) / need_hours);
    score += shares_language(need.languages, o.languages, nullptr) ? 10 : -10;
    if (o.completed > 0) score += std::min(o.completed, 5) * 1.0;
    if (o.live_connections > 0) score += -8.0 * o.live_connections;
    return score;
}

}  // namespace

std::vector<Suggestion> suggest(const NeedView& need, int required_level, const std::vector<OfferView>& offers,
                                std::size_t limit) {
    // Score every candidate with numbers only, keep the best `limit`, and write the reasons for
    // those alone (bench/sharing_bench.cpp: building every candidate's texts cost most of the time).
    struct Candidate {
        std::size_t index;
        int overlap;
        double score;
    };
    std::vector<Candidate> cands;
    int need_hours = std::max(1, overlap_hours(need.when, need.when));
    for (std::size_t i = 0; i < offers.size(); ++i) {
        const auto& o = offers[i];
        if (std::find(o.subfields.begin(), o.subfields.end(), need.subfield) == o.subfields.end()) continue;
        if (o.vetted_level < required_level) continue;
        if ((need.recipient_account && need.recipient_account == o.helper_account) ||
            (need.recipient_person && need.recipient_person == o.helper_person))
            continue;
        int overlap = overlap_hours(need.when, o.when);
        if (overlap == 0 && o.mode != "in_kind") continue;
        cands.push_back({i, overlap, score_of(need, o, overlap, need_hours)});
    }
    auto better = [&](const Candidate& a, const Candidate& b) {
        return a.score != b.score ? a.score > b.score : offers[a.index].id < offers[b.index].id;
    };
    std::size_t keep = std::min(limit, cands.size());
    std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(keep), cands.end(), better);
    std::vector<Suggestion> out;
    out.reserve(keep);
    for (std::size_t k = 0; k < keep; ++k)
        out.push_back(explain(need, offers[cands[k].index], cands[k].overlap, need_hours));
    return out;
}

std::vector<std::vector<Suggestion>> fair_exposure(const std::vector<NeedView>& needs,
                                                   std::vector<std::vector<Suggestion>> ranked) {
    std::vector<std::size_t> order(needs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return needs[a].created_at != needs[b].created_at ? needs[a].created_at < needs[b].created_at
                                                          : needs[a].id < needs[b].id;
    });
    std::set<long long> taken;  // offers already first for an older need
    for (std::size_t i : order) {
        auto& list = ranked[i];
        std::stable_partition(list.begin(), list.end(), [&](const Suggestion& s) { return !taken.count(s.offer_id); });
        for (auto& s : list)
            if (taken.count(s.offer_id))
                s.reasons.push_back({"exposure", "더 오래 기다린 요청에 먼저 제안됨", "first suggested to a need waiting longer", 0});
        if (!list.empty() && !taken.count(list.front().offer_id)) taken.insert(list.front().offer_id);
    }
    return ranked;
}

std::string row_hash(const LedgerRow& r) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "|%lld|%lld|%lld|%d|%d|%lld|%lld|", r.ref_id, r.connection_id, r.helper_offer_id,
                  r.start_minute, r.minutes, r.actor, r.at);
    return identity::token_hash(r.prev_hash + "|" + r.kind + buf + r.day + "|" + r.reason);
}

long long verify_chain(const std::vector<LedgerRow>& rows) {
    std::string prev = kGenesis;
    for (const auto& r : rows) {
        if (r.prev_hash != prev || r.hash != row_hash(r)) return r.id;
        prev = r.hash;
    }
    return 0;
}

namespace {

std::set<long long> reversed_ids(const std::vector<LedgerRow>& rows) {
    std::set<long long> out;
    for (const auto& r : rows)
        if (r.kind == "reverse") out.insert(r.ref_id);
    return out;
}

}  // namespace

int counted_minutes(const std::vector<LedgerRow>& rows, long long helper, const std::string& day) {
    auto rev = reversed_ids(rows);
    int sum = 0;
    for (const auto& r : rows)
        if (r.kind == "entry" && r.helper_offer_id == helper && r.day == day && !rev.count(r.id)) sum += r.minutes;
    return sum;
}

long long day_number(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return -1;
    int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap)) return -1;
    // Days from civil (Howard Hinnant).
    y -= m <= 2;
    long long era = y / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::vector<Anomaly> anomalies(const std::vector<LedgerRow>& rows, int daily_max, int window_days, int bulk) {
    std::vector<Anomaly> out;
    auto rev = reversed_ids(rows);
    std::vector<const LedgerRow*> entries;
    for (const auto& r : rows)
        if (r.kind == "entry" && !rev.count(r.id)) entries.push_back(&r);
    std::map<std::pair<long long, std::string>, std::vector<const LedgerRow*>> by_day;
    for (auto* e : entries) by_day[{e->helper_offer_id, e->day}].push_back(e);
    for (auto& [k, list] : by_day) {
        int sum = 0;
        for (auto* e : list) sum += e->minutes;
        if (sum > daily_max)
            out.push_back({"over_daily_cap", list.back()->id,
                           std::to_string(sum) + " minutes on " + k.second + " (cap " + std::to_string(daily_max) + ")"});
        for (std::size_t i = 0; i < list.size(); ++i)
            for (std::size_t j = i + 1; j < list.size(); ++j) {
                auto *a = list[i], *b = list[j];
                if (a->start_minute < b->start_minute + b->minutes && b->start_minute < a->start_minute + a->minutes)
                    out.push_back({"overlapping", b->id, "overlaps entry " + std::to_string(a->id) + " on " + k.second});
            }
    }
    std::map<long long, std::vector<const LedgerRow*>> by_actor;
    for (auto* e : entries) by_actor[e->actor].push_back(e);
    for (auto& [actor, list] : by_actor) {
        std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->at < b->at; });
        std::size_t lo = 0;
        for (std::size_t hi = 0; hi < list.size(); ++hi) {
            while (list[hi]->at - list[lo]->at > 3600) ++lo;
            if (static_cast<int>(hi - lo + 1) == bulk + 1) {
                out.push_back({"bulk_entries", list[hi]->id,
                               "account " + std::to_string(actor) + " recorded more than " + std::to_string(bulk) + " entries within an hour"});
                break;
            }
        }
    }
    for (auto* e : entries) {
        long long d = day_number(e->day);
        if (d >= 0 && e->at / 86400 - d > window_days)
            out.push_back({"late_entry", e->id, "recorded " + std::to_string(e->at / 86400 - d) + " days after " + e->day});
    }
    return out;
}

}  // namespace dure::sharing
