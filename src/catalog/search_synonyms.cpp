// The synonym and situation vocabularies of the search index (data/catalog/synonyms.txt,
// situations.txt), parsed and expanded.
#include "catalog/search_state.hpp"

namespace dure::catalog {

// ---------------------------------------------------------------------------------------------
// Synonyms

namespace {

std::string_view trim(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\r')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
    return v;
}

std::vector<std::string_view> split_on(std::string_view v, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= v.size(); ++i) {
        if (i == v.size() || v[i] == sep) {
            out.push_back(trim(v.substr(start, i - start)));
            start = i + 1;
        }
    }
    return out;
}

}  // namespace

Synonyms Synonyms::parse(std::string_view text) {
    Synonyms syn;
    auto remember = [&syn](const std::string& w, bool filler) {
        auto [it, added] = syn.words_.try_emplace(w, filler);
        if (!added && filler) it->second = true;
    };
    std::size_t pos = 0;
    std::size_t line_no = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
        line = trim(line);
        if (line.empty()) continue;

        if (line.starts_with("ignore:")) {
            for (auto w : split_on(line.substr(7), ',')) {
                auto c = compact_utf8(w);
                if (!c.empty()) remember(c, true);
            }
            continue;
        }
        if (auto arrow = line.find("=>"); arrow != std::string_view::npos) {
            auto parts = split_on(line.substr(arrow + 2), '|');
            Situation sit;
            for (auto t : split_on(line.substr(0, arrow), ',')) {
                bool open = !t.empty() && t.back() == '~';
                if (open) t.remove_suffix(1);
                auto c = compact_utf8(t);
                if (c.empty()) continue;
                remember(c, false);
                sit.triggers.push_back(hangul::decode_utf8(c));
                sit.open_ended.push_back(open);
            }
            for (auto w : split_on(parts[0], ',')) {
                auto c = compact_utf8(w);
                if (c.empty() || std::find(sit.words.begin(), sit.words.end(), c) != sit.words.end()) continue;
                remember(c, false);
                sit.words.push_back(std::move(c));
            }
            if (parts.size() > 1) {
                for (auto code : split_on(parts[1], ' ')) {
                    if (code.empty()) continue;
                    auto colon = code.find(':');
                    auto dim = code.substr(0, colon);
                    std::vector<std::string>* into = dim == "life_stage" ? &sit.life_stages
                                                     : dim == "situation" ? &sit.situations
                                                     : dim == "topic"     ? &sit.topics
                                                                          : nullptr;
                    if (!into || colon == std::string_view::npos)
                        throw std::invalid_argument("search vocabulary line " + std::to_string(line_no) +
                                                    ": codes are life_stage:, situation: or topic:");
                    for (auto v : split_on(code.substr(colon + 1), ',')) {
                        if (!v.empty()) into->emplace_back(v);
                    }
                }
            }
            if (!sit.triggers.empty() && !sit.words.empty()) syn.situations_.push_back(std::move(sit));
            continue;
        }

        std::vector<std::string> words;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= line.size(); ++i) {
            if (i == line.size() || line[i] == ',' || line[i] == '=') {
                auto w = compact_utf8(line.substr(start, i - start));
                if (!w.empty() && std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
                start = i + 1;
            }
        }
        if (words.size() < 2) continue;
        for (const auto& w : words) {
            remember(w, false);
            auto& group = syn.groups_[w];
            for (const auto& other : words) {
                if (other != w && std::find(group.begin(), group.end(), other) == group.end()) group.push_back(other);
            }
        }
    }
    // Longest trigger first, so "혼자 사는 어르신" wins over "어르신".
    auto longest = [](const Situation& x) {
        std::size_t n = 0;
        for (const auto& t : x.triggers) n = std::max(n, t.size());
        return n;
    };
    std::stable_sort(syn.situations_.begin(), syn.situations_.end(),
                     [&](const Situation& a, const Situation& b) { return longest(a) > longest(b); });
    return syn;
}

bool Synonyms::ignorable(std::string_view word) const {
    auto it = words_.find(std::string(word));
    return it != words_.end() && it->second;
}

bool Synonyms::known(std::string_view word) const { return words_.contains(std::string(word)); }

Synonyms Synonyms::builtin() {
    static constexpr std::string_view kText = R"(# everyday words people type = words the catalogue uses
어르신, 노인, 노년, 시니어, 고령자
아이, 아동, 어린이
아기, 영아, 영유아, 신생아
임산부, 임신부, 임신
장애, 장애인
한부모, 편부모, 미혼모, 미혼부
조손, 조손가정
일자리, 취업, 구직, 일거리
월세, 임대료, 주거비
병원, 의료, 진료
동행, 동반
돌봄, 돌보미, 케어
수당, 지원금
밥, 식사, 급식, 도시락
우울, 정신건강, 마음건강
상담, 심리상담
다문화, 이주민, 결혼이민자
탈북민, 북한이탈주민, 새터민
기초수급, 기초생활수급, 생계급여
차상위, 저소득
난방비, 에너지바우처
치매, 인지저하
청년, 청년층
보훈, 국가유공자, 보훈대상자
혼자 사는, 1인가구, 독거
)";
    return parse(kText);
}

std::vector<std::string> Synonyms::expand(std::string_view word) const {
    auto it = groups_.find(compact_utf8(word));
    if (it == groups_.end()) return {};
    return it->second;
}

}  // namespace dure::catalog
