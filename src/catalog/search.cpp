// A query against the search index: terms, candidates, filters and facets, ranking with reasons,
// paging (SearchIndex::search), and the index document of a service.
#include "catalog/search_state.hpp"

#include <cmath>
#include <mutex>
#include <shared_mutex>

namespace dure::catalog {

SearchDoc make_search_doc(const Service& s) {
    SearchDoc d;
    d.id = s.id;
    d.name = s.name;
    d.alternate_name = s.alternate_name;
    d.description = s.description;
    d.program_code = s.program_code;
    d.provider_level = s.provider_level;
    d.keywords = s.keywords;
    d.life_stages = s.life_stages;
    d.situations = s.situations;
    d.topics = s.topics;
    d.dong_ids = s.dong_ids;
    d.active = s.status == "active";
    return d;
}


namespace {

// Why a document ranks where it does.
struct Assessment {
    double score = 0;
    const char* label = "";
};

constexpr int kDimensions = 4;  // life stage, situation, topic, provider

}  // namespace

SearchResult SearchIndex::search(const SearchQuery& query) const {
    SearchResult result;
    const auto norm = hangul::normalize(query.q, kMaxQueryCodePoints);
    result.normalized_query = norm.text;
    if (norm.truncated) {
        result.notes.push_back("검색어가 길어 앞의 " + std::to_string(kMaxQueryCodePoints) + "자만 썼습니다");
    }

    const auto& s = *state_;
    const auto& vocab = s.synonyms;

    // Terms. First situations ("혼자 사는 어르신", "월세가 밀렸어요"), longest phrase first, each
    // read as one term that matches any word it stands for; then synonyms spelled over several
    // words ("기초 수급"); then the remaining words, each with its synonyms and without a
    // trailing particle, dropping filler ("신청", "어떻게") when something else is left.
    const auto words = split_words(hangul::decode_utf8(norm.text));
    std::u32string compact;
    std::vector<std::size_t> starts, ends;
    for (const auto& w : words) {
        starts.push_back(compact.size());
        compact += w;
        ends.push_back(compact.size());
    }
    std::vector<char> covered(words.size(), 0);
    std::vector<Term> terms;
    bool capped = false;
    auto add_term = [&](Term t) {
        if (std::any_of(terms.begin(), terms.end(), [&](const Term& x) { return x.text == t.text; })) return;
        if (terms.size() == kMaxTerms) {
            if (!capped) result.notes.push_back("낱말이 많아 앞의 " + std::to_string(kMaxTerms) + "개만 썼습니다");
            capped = true;
            return;
        }
        terms.push_back(std::move(t));
    };
    auto cover = [&](std::size_t from, std::size_t to) {  // words [from, to] if none is taken yet
        for (std::size_t k = from; k <= to; ++k) {
            if (covered[k]) return false;
        }
        for (std::size_t k = from; k <= to; ++k) covered[k] = 1;
        return true;
    };

    struct Trigger {
        std::size_t length, situation, index;
    };
    std::vector<Trigger> triggers;
    const auto& situations = vocab.situations();
    if (!words.empty()) {
        for (std::size_t i = 0; i < situations.size(); ++i) {
            for (std::size_t j = 0; j < situations[i].triggers.size(); ++j)
                triggers.push_back({situations[i].triggers[j].size(), i, j});
        }
        std::stable_sort(triggers.begin(), triggers.end(),
                         [](const Trigger& a, const Trigger& b) { return a.length > b.length; });
    }
    for (const auto& tr : triggers) {
        const auto& sit = situations[tr.situation];
        const auto& text = sit.triggers[tr.index];
        for (std::size_t w = 0; w < words.size(); ++w) {
            if (covered[w] || compact.size() - starts[w] < text.size()) continue;
            if (compact.compare(starts[w], text.size(), text) != 0) continue;
            const std::size_t end = starts[w] + text.size();
            std::size_t last = w;
            while (ends[last] < end) ++last;
            if (!sit.open_ended[tr.index] && ends[last] != end) continue;
            if (!cover(w, last)) continue;
            Term t;
            t.text = text;
            t.utf8 = hangul::encode_utf8(text);
            t.phrase = true;
            t.situation = static_cast<int>(tr.situation);
            if (!sit.open_ended[tr.index]) t.alts.push_back({t.text, t.utf8, Kind::original});
            for (const auto& c : sit.words) {
                if (t.alts.size() >= kMaxConceptWords) break;
                t.alts.push_back({hangul::decode_utf8(c), c, Kind::situation});
            }
            add_term(std::move(t));
        }
    }
    for (std::size_t w = 0; w < words.size(); ++w) {
        for (std::size_t last = std::min(words.size(), w + 4); last-- > w + 1;) {
            std::u32string joined(compact, starts[w], ends[last] - starts[w]);
            auto utf8 = hangul::encode_utf8(joined);
            auto others = vocab.expand(utf8);
            if (others.empty() || !cover(w, last)) continue;
            Term t;
            t.text = std::move(joined);
            t.utf8 = std::move(utf8);
            t.phrase = true;
            t.alts.push_back({t.text, t.utf8, Kind::original});
            for (auto& o : others) {
                if (t.alts.size() > kMaxSynonymsPerTerm) break;
                t.alts.push_back({hangul::decode_utf8(o), std::move(o), Kind::synonym});
            }
            add_term(std::move(t));
            break;
        }
    }
    auto filler = [&](const std::u32string& w) {
        if (vocab.ignorable(hangul::encode_utf8(w))) return true;
        auto stem = strip_particle(w);
        return !stem.empty() && vocab.ignorable(hangul::encode_utf8(stem));
    };
    bool substance = !terms.empty();
    for (std::size_t w = 0; w < words.size(); ++w) substance = substance || (!covered[w] && !filler(words[w]));
    for (std::size_t w = 0; w < words.size(); ++w) {
        if (covered[w] || (substance && filler(words[w]))) continue;
        Term t;
        t.text = words[w];
        t.initials = hangul::is_initials_query(t.text);
        t.utf8 = hangul::encode_utf8(t.text);
        t.alts.push_back({t.text, t.utf8, t.initials ? Kind::initials : Kind::original});
        if (!t.initials) {
            std::vector<std::u32string> forms = {t.text};
            if (auto stem = strip_particle(t.text); !stem.empty()) {
                t.alts.push_back({stem, hangul::encode_utf8(stem), Kind::stem});
                forms.push_back(std::move(stem));
            }
            for (const auto& f : forms) {
                for (auto& syn : vocab.expand(hangul::encode_utf8(f))) {
                    if (t.alts.size() > kMaxSynonymsPerTerm) break;
                    auto text = hangul::decode_utf8(syn);
                    if (std::any_of(t.alts.begin(), t.alts.end(), [&](const Alternative& a) { return a.text == text; }))
                        continue;
                    t.alts.push_back({std::move(text), std::move(syn), Kind::synonym});
                }
            }
        }
        add_term(std::move(t));
    }
    if (terms.empty() && !norm.text.empty()) {
        result.notes.push_back("찾을 수 있는 글자가 없어 전체 목록을 보여 줍니다");
    }

    std::shared_lock lock(s.mutex);

    Matches m;
    const std::size_t nterms = terms.size();
    if (nterms == 0) {
        for (std::uint32_t n = 0; n < s.docs.size(); ++n) {
            if (s.live[n]) m.docs.push_back(n);
        }
    } else {
        m = s.intersect(terms);
        if (m.docs.empty()) {
            // Nothing matches as typed: try words of names and keywords one typo away.
            bool corrected = false;
            for (auto& t : terms) {
                // Only a word that finds nothing as typed, and that is no word of the search
                // vocabulary, is taken for a typo ("후원" is a word, not a misspelt "회원").
                if (t.initials || t.phrase || t.text.size() < 2 || t.text.size() > kMaxTypoCodePoints) continue;
                if (vocab.known(t.utf8)) continue;
                if (t.alts.size() > 1 && t.alts[1].kind == Kind::stem && vocab.known(t.alts[1].utf8)) continue;
                s.match_term(t, nullptr);
                if (!t.hits.empty()) continue;
                for (auto& c : s.corrections(t.text)) {
                    auto utf8 = hangul::encode_utf8(c);
                    result.notes.push_back("오타 허용: " + t.utf8 + "→" + utf8);
                    t.alts.push_back({std::move(c), std::move(utf8), Kind::typo});
                    corrected = true;
                }
            }
            if (corrected) m = s.intersect(terms);
        }
        if (m.docs.size() < kFewResults && nterms > 1) {
            // Few or no services hold every word: after those, rank the services holding some
            // of the words, the rarer words counting more.
            const bool none = m.docs.empty();
            m = s.any_of(terms);
            for (std::size_t i = 0; i < m.docs.size(); ++i) {
                bool all = true;
                for (std::size_t t = 0; t < nterms && all; ++t) all = m.fields[i * nterms + t] != 0;
                if (all) m.weight[i] += 1000;
            }
            if (none && !m.docs.empty())
                result.notes.push_back("모든 낱말이 들어간 서비스가 없어 일부 낱말이 맞는 서비스를 보여 줍니다");
        }
    }
    const bool partial = !m.weight.empty();

    // Ranking help: national programs (curated keywords, open to everyone in the district), and
    // services whose life stage, situation or topic is the one a situation in the query names.
    const std::uint32_t national = s.value_id("national");
    const std::uint64_t national_bit = national < 64 ? std::uint64_t{1} << national : 0;
    std::vector<std::array<std::uint64_t, 3>> situation_masks(nterms, {0, 0, 0});
    for (std::size_t t = 0; t < nterms; ++t) {
        if (terms[t].situation < 0) continue;
        const auto& sit = situations[static_cast<std::size_t>(terms[t].situation)];
        const std::vector<std::string>* dims[3] = {&sit.life_stages, &sit.situations, &sit.topics};
        for (int k = 0; k < 3; ++k) {
            for (const auto& v : *dims[k]) {
                if (auto id = s.value_id(v); id < 64) situation_masks[t][static_cast<std::size_t>(k)] |= std::uint64_t{1} << id;
            }
        }
    }

    // Filters and disjunctive facets.
    std::vector<std::uint32_t> wanted[kDimensions];  // ids >= 64 (or unknown): checked the slow way
    std::uint64_t wanted_mask[kDimensions] = {0, 0, 0, 0};
    bool filtered[kDimensions] = {false, false, false, false};
    const std::vector<std::string>* filters[kDimensions] = {&query.life_stages, &query.situations, &query.topics,
                                                            &query.providers};
    for (int k = 0; k < kDimensions; ++k) {
        filtered[k] = !filters[k]->empty();
        for (const auto& v : *filters[k]) {
            const auto id = s.value_id(v);
            if (id < 64) wanted_mask[k] |= std::uint64_t{1} << id;
            else wanted[k].push_back(id);
        }
    }
    std::vector<int> counts[kDimensions];
    for (auto& c : counts) c.assign(s.values.size(), 0);
    auto values_of = [](const DocEntry& e, int k, std::uint32_t& one) -> std::pair<const std::uint32_t*, std::size_t> {
        switch (k) {
            case 0: return {e.life_stages.data(), e.life_stages.size()};
            case 1: return {e.situations.data(), e.situations.size()};
            case 2: return {e.topics.data(), e.topics.size()};
            default: one = e.provider; return {&one, e.provider == kNoValue ? 0u : 1u};
        }
    };
    auto count_dimension = [&](std::uint32_t doc, int k) {
        for (auto bits = s.facts[doc].masks[k]; bits; bits &= bits - 1) ++counts[k][std::countr_zero(bits)];
        if (!s.facts[doc].slow) return;
        std::uint32_t one = 0;
        auto [p, len] = values_of(s.docs[doc], k, one);
        for (std::size_t i = 0; i < len; ++i) {
            if (p[i] >= 64) ++counts[k][p[i]];
        }
    };
    auto passes = [&](std::uint32_t doc, int k) {
        if (s.facts[doc].masks[k] & wanted_mask[k]) return true;
        if (!s.facts[doc].slow || wanted[k].empty()) return false;
        std::uint32_t one = 0;
        auto [p, len] = values_of(s.docs[doc], k, one);
        for (std::size_t i = 0; i < len; ++i) {
            if (std::find(wanted[k].begin(), wanted[k].end(), p[i]) != wanted[k].end()) return true;
        }
        return false;
    };

    // Ranking: exact name or program code, then name prefix, name contains all terms, keywords,
    // other short fields, description only.
    std::string joined;
    auto assess = [&](std::size_t i) -> Assessment {
        Assessment a;
        if (nterms == 0) return a;
        const auto& e = s.docs[m.docs[i]];
        const std::uint8_t* fields = &m.fields[i * nterms];
        const std::uint8_t* alts = &m.alts[i * nterms];
        bool all_name = true, all_short = true, all_name_kw = true, all_initials = true;
        double points = 0;
        joined.clear();
        const auto& facts = s.facts[m.docs[i]];
        for (std::size_t t = 0; t < nterms; ++t) {
            if (fields[t] == 0) continue;  // a partial match lacks this term
            for (int k = 0; k < 3; ++k) {
                if (facts.masks[k] & situation_masks[t][static_cast<std::size_t>(k)]) points += 3;
            }
            all_name = all_name && (fields[t] & kName);
            all_name_kw = all_name_kw && (fields[t] & (kName | kKeyword));
            all_short = all_short && (fields[t] & ~kDescription);
            all_initials = all_initials && terms[t].initials;
            points += best_field_weight(fields[t]) * kind_factor(terms[t].alts[alts[t]].kind) +
                      0.1 * std::popcount(static_cast<unsigned>(fields[t]));
            joined += terms[t].alts[alts[t]].utf8;
        }
        int tier = 1;
        a.label = "설명에 포함";
        if (all_initials) {
            if (e.name_ini == joined) {
                tier = 6, a.label = "이름 초성 일치";
            } else if (e.name_ini.starts_with(joined)) {
                tier = 5, a.label = "이름 초성 앞부분 일치";
            }
        } else if (all_short) {
            const auto& f = s.facts[m.docs[i]];
            const std::size_t len = joined.size();
            const std::uint64_t diff = f.name_prefix ^ prefix_key(joined);
            const bool head_same = len >= 8 ? diff == 0 : (diff >> (8 * (8 - len))) == 0;
            if (f.name_len == len && head_same && e.name_c == joined) {
                tier = 6, a.label = "이름 일치", points += 3;
            } else if (f.code_len == len && e.code_c == joined) {
                tier = 6, a.label = "프로그램 코드 일치", points += 2;
            } else if (f.alt_len == len && e.alt_c == joined) {
                tier = 6, a.label = "다른 이름 일치", points += 1;
            } else if (all_name && f.name_len > len && head_same && e.name_c.starts_with(joined)) {
                tier = 5, a.label = "이름 앞부분 일치";
            }
        }
        if (tier == 1) {
            if (all_name) {
                tier = 4, a.label = all_initials ? "이름 초성 포함" : "이름에 포함";
            } else if (all_name_kw) {
                tier = 3, a.label = "키워드 일치";
            } else if (all_short) {
                tier = 2, a.label = "다른 이름·코드 일치";
            }
        }
        if ((facts.masks[3] & national_bit) && tier <= 4) ++tier, points += 12;
        a.score = tier * 1000.0 + points;
        if (partial) a.score += 10000.0 * std::floor(m.weight[i] * 4) / 4;
        return a;
    };

    struct Ranked {
        double score;
        std::uint64_t name_key;  // copied so sorting rarely reads a DocEntry
        std::uint32_t index;     // into m.docs
    };
    std::vector<Ranked> ranked;
    ranked.reserve(m.docs.size());
    for (std::size_t i = 0; i < m.docs.size(); ++i) {
        const auto doc = m.docs[i];
        if (query.dong_id != 0 && s.facts[doc].has_dongs) {
            const auto& dongs = s.docs[doc].dong_ids;
            if (std::find(dongs.begin(), dongs.end(), query.dong_id) == dongs.end()) continue;
        }
        int failing = -1;
        int failures = 0;
        for (int k = 0; k < kDimensions && failures < 2; ++k) {
            if (filtered[k] && !passes(doc, k)) failing = k, ++failures;
        }
        if (failures == 1) count_dimension(doc, failing);
        if (failures != 0) continue;
        for (int k = 0; k < kDimensions; ++k) count_dimension(doc, k);
        ranked.push_back({assess(i).score, s.facts[doc].name_key, static_cast<std::uint32_t>(i)});
    }
    result.total = static_cast<long long>(ranked.size());

    // Page: best score first, then by name.
    const std::size_t offset = static_cast<std::size_t>(std::clamp<long long>(query.offset, 0, result.total));
    const std::size_t limit = static_cast<std::size_t>(std::clamp(query.limit, 0, kMaxLimit));
    const std::size_t end = std::min(ranked.size(), offset + limit);
    auto better = [&](const Ranked& x, const Ranked& y) {
        if (x.score != y.score) return x.score > y.score;
        if (x.name_key != y.name_key) return x.name_key < y.name_key;
        const auto& a = s.docs[m.docs[x.index]];
        const auto& b = s.docs[m.docs[y.index]];
        if (a.name != b.name) return a.name < b.name;
        return a.id < b.id;
    };
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(end), ranked.end(), better);
    for (std::size_t r = offset; r < end; ++r) {
        const auto i = ranked[r].index;
        SearchHit hit;
        hit.id = s.docs[m.docs[i]].id;
        hit.score = ranked[r].score;
        hit.why = assess(i).label;
        for (std::size_t t = 0; t < nterms; ++t) {
            const auto& alt = terms[t].alts[m.alts[i * nterms + t]];
            std::string note;
            if (alt.kind == Kind::synonym) note = "동의어 " + terms[t].utf8 + "→" + alt.utf8;
            if (alt.kind == Kind::situation) note = "상황 " + terms[t].utf8 + "→" + alt.utf8;
            if (m.fields[i * nterms + t] == 0) note = terms[t].utf8 + " 없음";
            if (alt.kind == Kind::typo) note = "오타 허용: " + terms[t].utf8 + "→" + alt.utf8;
            if (alt.kind == Kind::initials) note = "초성 " + alt.utf8;
            if (note.empty()) continue;
            if (!hit.why.empty()) hit.why += ", ";
            hit.why += note;
        }
        result.hits.push_back(std::move(hit));
    }

    // Facets: values with a count, plus every selected value so the user can unselect it.
    std::vector<std::pair<std::string, int>>* out[kDimensions] = {&result.facets.life_stage, &result.facets.situation,
                                                                  &result.facets.topic, &result.facets.provider};
    for (int k = 0; k < kDimensions; ++k) {
        for (std::uint32_t v = 0; v < counts[k].size(); ++v) {
            if (counts[k][v] > 0) out[k]->emplace_back(s.values[v], counts[k][v]);
        }
        for (const auto& v : *filters[k]) {
            if (std::none_of(out[k]->begin(), out[k]->end(), [&](const auto& p) { return p.first == v; })) {
                out[k]->emplace_back(v, 0);
            }
        }
        std::sort(out[k]->begin(), out[k]->end(), [](const auto& x, const auto& y) {
            return x.second != y.second ? x.second > y.second : x.first < y.first;
        });
    }
    if (result.total == 0 && nterms > 0) result.notes.push_back("찾는 서비스가 없습니다");
    return result;
}

}  // namespace dure::catalog
