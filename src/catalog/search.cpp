#include "catalog/search.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <string.h>

#include <boost/unordered/unordered_flat_map.hpp>

#include "catalog/hangul.hpp"

namespace dure::catalog {
namespace {

constexpr std::size_t kMaxQueryCodePoints = 200;
constexpr std::size_t kMaxTerms = 16;
// Candidates per term whose text is checked; beyond this the n-gram evidence is trusted.
constexpr std::size_t kMaxVerified = 20000;
constexpr std::size_t kMaxSynonymsPerTerm = 8;
constexpr std::size_t kMaxTypoCodePoints = 12;
constexpr int kMaxTypoDistance = 2;
constexpr std::size_t kMaxCorrections = 4;
constexpr int kMaxLimit = 200;
// Postings hold (doc number << kDocShift) | field mask.
constexpr std::uint32_t kDocShift = 6;
constexpr std::uint32_t kFieldMask = (1u << kDocShift) - 1;
constexpr std::uint32_t kMaxDocNumber = (1u << (32 - kDocShift)) - 1;
constexpr std::uint64_t kInitialsTag = std::uint64_t{1} << 42;
constexpr char kSegmentSeparator = '\x1f';
constexpr char32_t kSegmentSeparator32 = 0x1F;
constexpr std::uint32_t kNoValue = 0xFFFFFFFF;

// Field bits in the order they rank: the lowest set bit is the best field a term matched.
enum Field : std::uint8_t { kName = 1, kKeyword = 2, kAlt = 4, kCode = 8, kDescription = 16 };
constexpr double kFieldWeight[5] = {10, 5, 4, 4, 1};

// How a query term was matched.
// stem: the word without a trailing particle ("어르신이" → "어르신"); concept: a word a situation
// stands for ("월세가 밀렸어요" → 주거급여).
enum class Kind : std::uint8_t { original, synonym, typo, initials, stem, situation };

double kind_factor(Kind k) {
    switch (k) {
        case Kind::original: return 1.0;
        case Kind::stem: return 0.95;
        case Kind::initials: return 0.9;
        case Kind::synonym: return 0.8;
        case Kind::situation: return 0.8;
        case Kind::typo: return 0.6;
    }
    return 1.0;
}

constexpr std::size_t kMaxConceptWords = 16;
// Fewer services than this holding every query word: show those holding some words after them.
constexpr std::size_t kFewResults = 5;

// The word without a trailing particle (조사), when at least two syllables remain.
std::u32string strip_particle(const std::u32string& w) {
    static const std::vector<std::u32string> kParticles = {
        U"에서는", U"으로", U"에게", U"한테", U"에서", U"이랑", U"까지", U"부터", U"처럼", U"이나", U"께서",
        U"은",     U"는",   U"이",   U"가",   U"을",   U"를",   U"에",   U"의",   U"도",   U"로",   U"와",
        U"과",     U"랑",   U"만",   U"요"};
    for (const auto& p : kParticles) {
        if (w.size() >= p.size() + 2 && w.compare(w.size() - p.size(), p.size(), p) == 0)
            return w.substr(0, w.size() - p.size());
    }
    return {};
}

double best_field_weight(std::uint8_t fields) {
    return fields ? kFieldWeight[std::countr_zero(static_cast<unsigned>(fields))] : 0;
}

std::uint64_t gram_key(char32_t a, char32_t b) { return (std::uint64_t{a} << 21) | b; }

std::u32string drop_separators(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (!hangul::is_separator(c)) out.push_back(c);
    }
    return out;
}

std::u32string normalized32(std::string_view raw) { return hangul::decode_utf8(hangul::normalize(raw).text); }

// Words of normalized text, split at separators.
std::vector<std::u32string> split_words(std::u32string_view text) {
    std::vector<std::u32string> words;
    std::u32string cur;
    for (char32_t c : text) {
        if (hangul::is_separator(c)) {
            if (!cur.empty()) words.push_back(std::move(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty()) words.push_back(std::move(cur));
    return words;
}

std::string compact_utf8(std::string_view raw) { return hangul::encode_utf8(drop_separators(normalized32(raw))); }

std::size_t heap_bytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }
template <class T>
std::size_t heap_bytes(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

}  // namespace

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

// ---------------------------------------------------------------------------------------------
// Index state

namespace {

// One version of one service. Text fields are normalized with separators removed, so a
// query word finds "기초 연금" as well as "기초연금"; keywords are joined by \x1f.
struct DocEntry {
    std::string id;
    std::string name;             // normalized, with spaces: orders results
    std::string name_c, alt_c, code_c, kw_c, desc_c;
    std::string name_ini, kw_ini;  // initial consonants of name and of each keyword
    std::vector<std::uint32_t> life_stages, situations, topics;
    std::uint32_t provider = kNoValue;
    std::vector<long long> dong_ids;
    std::vector<std::uint32_t> vocab;  // vocabulary words this version contributed
    bool current = false;              // false once replaced or removed

    const std::string& field_text(std::uint8_t field, bool initials) const {
        if (initials) return field == kName ? name_ini : kw_ini;
        switch (field) {
            case kName: return name_c;
            case kKeyword: return kw_c;
            case kAlt: return alt_c;
            case kCode: return code_c;
            default: return desc_c;
        }
    }
};

// Filter values of one version as bit sets over interned value ids below 64, kept apart from
// DocEntry so filtering and facet counting scan a small contiguous array.
struct DocFacts {
    std::uint64_t masks[4] = {0, 0, 0, 0};  // life stage, situation, topic, provider
    bool slow = false;                      // some value id >= 64: consult DocEntry too
    bool has_dongs = false;                 // limited to some dongs
    // Enough of the compact name, code and alternate name to rule out exact and prefix
    // matches without reading the DocEntry.
    std::uint64_t name_key = 0;     // first 8 bytes of the spaced name: orders results quickly
    std::uint64_t name_prefix = 0;  // first 8 bytes of name_c, big-endian, zero-padded
    std::uint32_t name_len = 0, code_len = 0, alt_len = 0;
};

std::uint64_t prefix_key(std::string_view s) {
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < 8; ++i) key = (key << 8) | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0);
    return key;
}

// A word of names and keywords, for typo correction.
struct VocabWord {
    std::string text;
    std::u32string jamo;
    std::uint32_t count = 0;  // current services using it
};

// One way of matching a query term: the term itself, a synonym, a typo correction.
struct Alternative {
    std::u32string text;
    std::string utf8;
    Kind kind = Kind::original;
    std::vector<std::uint32_t> entries;  // n-gram candidates, once computed
    bool computed = false;
};

// A document matching one term: the fields it matched in, and which alternative did best.
struct TermHit {
    std::uint32_t doc;
    std::uint8_t fields;
    std::uint8_t alt;
};

struct Term {
    std::u32string text;
    std::string utf8;
    bool initials = false;
    bool phrase = false;  // several query words read as one (a situation or a spaced synonym)
    int situation = -1;   // index into Synonyms::situations()
    std::vector<Alternative> alts;
    std::vector<TermHit> hits;
};

// Documents matching every term, with per-term fields and alternative (row-major).
struct Matches {
    std::vector<std::uint32_t> docs;
    std::vector<std::uint8_t> fields;  // 0 = the document lacks this term (partial matches only)
    std::vector<std::uint8_t> alts;
    std::vector<double> weight;        // partial matches: how telling the matched terms are
};

// Advances `j` to the first entry of `list` whose doc is >= doc (galloping).
std::size_t gallop(const std::vector<std::uint32_t>& list, std::size_t j, std::uint32_t doc) {
    const std::uint32_t key = doc << kDocShift;
    std::size_t step = 1;
    std::size_t hi = j;
    while (hi < list.size() && list[hi] < key) {
        j = hi + 1;
        hi += step;
        step *= 2;
    }
    hi = std::min(hi, list.size());
    return static_cast<std::size_t>(std::lower_bound(list.begin() + j, list.begin() + hi, key) - list.begin());
}

}  // namespace

struct SearchIndex::State {
    mutable std::shared_mutex mutex;
    Synonyms synonyms;
    std::vector<DocEntry> docs;
    std::vector<std::uint8_t> live;  // 1 = current and active: may be returned
    std::vector<DocFacts> facts;     // parallel to docs
    boost::unordered_flat_map<std::string, std::uint32_t> by_id;
    boost::unordered_flat_map<std::uint64_t, std::vector<std::uint32_t>> postings;
    std::vector<std::string> values;  // interned filter values
    boost::unordered_flat_map<std::string, std::uint32_t> value_ids;
    std::vector<VocabWord> vocab;
    boost::unordered_flat_map<std::string, std::uint32_t> vocab_ids;
    std::size_t current_count = 0;
    std::size_t retired_count = 0;

    std::uint32_t intern(const std::string& v) {
        auto [it, added] = value_ids.try_emplace(v, static_cast<std::uint32_t>(values.size()));
        if (added) values.push_back(v);
        return it->second;
    }
    std::uint32_t value_id(const std::string& v) const {
        auto it = value_ids.find(v);
        return it == value_ids.end() ? kNoValue : it->second;
    }
    std::vector<std::uint32_t> intern_all(const std::vector<std::string>& vs) {
        std::vector<std::uint32_t> out;
        for (const auto& v : vs) {
            auto id = intern(v);
            if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
        }
        return out;
    }

    void add_vocab(DocEntry& e, std::u32string_view word) {
        if (word.size() < 2) return;
        auto text = hangul::encode_utf8(word);
        auto [it, added] = vocab_ids.try_emplace(text, static_cast<std::uint32_t>(vocab.size()));
        if (added) vocab.push_back({text, hangul::to_jamo(word), 0});
        if (std::find(e.vocab.begin(), e.vocab.end(), it->second) != e.vocab.end()) return;
        e.vocab.push_back(it->second);
        ++vocab[it->second].count;
    }

    void upsert(const SearchDoc& d);
    void retire(std::uint32_t n);
    void compact();
    void maybe_compact() {
        if (retired_count > 1024 && retired_count * 4 > docs.size()) compact();
    }

    const std::vector<std::uint32_t>& candidates(Alternative& a, bool initials) const;
    std::vector<std::uint32_t> candidate_docs(Term& t) const;
    std::vector<TermHit> match(Alternative& a, bool initials, std::uint8_t alt,
                               const std::vector<std::uint32_t>* within) const;
    void match_term(Term& t, const std::vector<std::uint32_t>* within) const;
    Matches intersect(std::vector<Term>& terms) const;
    Matches any_of(std::vector<Term>& terms) const;
    std::vector<std::u32string> corrections(const std::u32string& term) const;
};

void SearchIndex::State::upsert(const SearchDoc& d) {
    if (auto it = by_id.find(d.id); it != by_id.end()) retire(it->second);
    if (docs.size() >= kMaxDocNumber) compact();

    const auto n = static_cast<std::uint32_t>(docs.size());
    DocEntry e;
    e.id = d.id;
    e.current = true;
    const auto name32 = normalized32(d.name);
    e.name = hangul::encode_utf8(name32);
    const auto name_c = drop_separators(name32);
    const auto alt_c = drop_separators(normalized32(d.alternate_name));
    const auto code_c = drop_separators(normalized32(d.program_code));
    const auto desc_c = drop_separators(normalized32(d.description));
    std::vector<std::u32string> keywords;
    for (const auto& k : d.keywords) {
        auto kw32 = normalized32(k);
        for (auto& w : split_words(kw32)) add_vocab(e, w);
        auto kc = drop_separators(kw32);
        add_vocab(e, kc);
        if (!kc.empty()) keywords.push_back(std::move(kc));
    }
    for (auto& w : split_words(name32)) add_vocab(e, w);
    add_vocab(e, name_c);

    e.name_c = hangul::encode_utf8(name_c);
    e.alt_c = hangul::encode_utf8(alt_c);
    e.code_c = hangul::encode_utf8(code_c);
    e.desc_c = hangul::encode_utf8(desc_c);
    const auto name_ini = hangul::initial_consonants(name_c);
    e.name_ini = hangul::encode_utf8(name_ini);
    std::vector<std::u32string> kw_ini;
    for (std::size_t i = 0; i < keywords.size(); ++i) {
        if (i) e.kw_c.push_back(kSegmentSeparator);
        e.kw_c += hangul::encode_utf8(keywords[i]);
        auto ini = hangul::initial_consonants(keywords[i]);
        if (ini.empty()) continue;
        if (!e.kw_ini.empty()) e.kw_ini.push_back(kSegmentSeparator);
        e.kw_ini += hangul::encode_utf8(ini);
        kw_ini.push_back(std::move(ini));
    }
    e.life_stages = intern_all(d.life_stages);
    e.situations = intern_all(d.situations);
    e.topics = intern_all(d.topics);
    e.provider = d.provider_level.empty() ? kNoValue : intern(d.provider_level);
    e.dong_ids = d.dong_ids;
    DocFacts f;
    const std::vector<std::uint32_t>* dims[3] = {&e.life_stages, &e.situations, &e.topics};
    for (int k = 0; k < 3; ++k) {
        for (auto v : *dims[k]) {
            if (v < 64) f.masks[k] |= std::uint64_t{1} << v;
            else f.slow = true;
        }
    }
    if (e.provider != kNoValue) {
        if (e.provider < 64) f.masks[3] |= std::uint64_t{1} << e.provider;
        else f.slow = true;
    }
    f.has_dongs = !e.dong_ids.empty();
    f.name_key = prefix_key(e.name);
    f.name_prefix = prefix_key(e.name_c);
    f.name_len = static_cast<std::uint32_t>(e.name_c.size());
    f.code_len = static_cast<std::uint32_t>(e.code_c.size());
    f.alt_len = static_cast<std::uint32_t>(e.alt_c.size());

    if (d.active) {
        std::vector<std::pair<std::uint64_t, std::uint8_t>> grams;
        auto add = [&grams](std::u32string_view s, std::uint8_t field, std::uint64_t tag) {
            for (std::size_t i = 0; i < s.size(); ++i) {
                grams.emplace_back(tag | gram_key(s[i], 0), field);
                if (i + 1 < s.size()) grams.emplace_back(tag | gram_key(s[i], s[i + 1]), field);
            }
        };
        add(name_c, kName, 0);
        add(alt_c, kAlt, 0);
        add(code_c, kCode, 0);
        add(desc_c, kDescription, 0);
        for (const auto& k : keywords) add(k, kKeyword, 0);
        add(name_ini, kName, kInitialsTag);
        for (const auto& k : kw_ini) add(k, kKeyword, kInitialsTag);
        std::sort(grams.begin(), grams.end());
        for (std::size_t i = 0; i < grams.size();) {
            std::uint8_t mask = 0;
            std::size_t j = i;
            for (; j < grams.size() && grams[j].first == grams[i].first; ++j) mask |= grams[j].second;
            postings[grams[i].first].push_back((n << kDocShift) | mask);
            i = j;
        }
    } else {
        // Inactive services keep no vocabulary either: nothing may lead to them.
        for (auto v : e.vocab) --vocab[v].count;
        e.vocab.clear();
    }
    docs.push_back(std::move(e));
    facts.push_back(f);
    live.push_back(d.active ? 1 : 0);
    by_id[d.id] = n;
    ++current_count;
    maybe_compact();
}

void SearchIndex::State::retire(std::uint32_t n) {
    auto& e = docs[n];
    if (!e.current) return;
    for (auto v : e.vocab) --vocab[v].count;
    // Only the id is needed until compaction drops the slot.
    DocEntry empty;
    empty.id = std::move(e.id);
    e = std::move(empty);
    live[n] = 0;
    --current_count;
    ++retired_count;
}

void SearchIndex::State::compact() {
    std::vector<std::uint32_t> remap(docs.size(), kNoValue);
    std::vector<DocEntry> kept;
    std::vector<std::uint8_t> kept_live;
    std::vector<DocFacts> kept_facts;
    kept.reserve(current_count);
    kept_live.reserve(current_count);
    kept_facts.reserve(current_count);
    for (std::uint32_t n = 0; n < docs.size(); ++n) {
        if (!docs[n].current) continue;
        remap[n] = static_cast<std::uint32_t>(kept.size());
        kept.push_back(std::move(docs[n]));
        kept_live.push_back(live[n]);
        kept_facts.push_back(facts[n]);
    }
    for (auto& [key, list] : postings) {
        std::size_t w = 0;
        for (auto entry : list) {
            const auto to = remap[entry >> kDocShift];
            if (to != kNoValue) list[w++] = (to << kDocShift) | (entry & kFieldMask);
        }
        list.resize(w);
        list.shrink_to_fit();
    }
    boost::unordered::erase_if(postings, [](const auto& kv) { return kv.second.empty(); });

    // Drop vocabulary no current service uses.
    std::vector<std::uint32_t> vocab_remap(vocab.size(), kNoValue);
    std::vector<VocabWord> kept_vocab;
    vocab_ids.clear();
    for (std::uint32_t v = 0; v < vocab.size(); ++v) {
        if (vocab[v].count == 0) continue;
        vocab_remap[v] = static_cast<std::uint32_t>(kept_vocab.size());
        vocab_ids.emplace(vocab[v].text, vocab_remap[v]);
        kept_vocab.push_back(std::move(vocab[v]));
    }
    vocab = std::move(kept_vocab);
    for (auto& e : kept) {
        for (auto& v : e.vocab) v = vocab_remap[v];
    }

    docs = std::move(kept);
    live = std::move(kept_live);
    facts = std::move(kept_facts);
    for (std::uint32_t n = 0; n < docs.size(); ++n) by_id[docs[n].id] = n;
    retired_count = 0;
}

// Postings entries (doc << kDocShift | fields) of documents holding every n-gram of `a.text`
// in one field at least: a superset of the true matches, cached on the alternative.
const std::vector<std::uint32_t>& SearchIndex::State::candidates(Alternative& a, bool initials) const {
    if (a.computed) return a.entries;
    a.computed = true;
    const auto& t = a.text;
    if (t.empty()) return a.entries;
    const std::uint64_t tag = initials ? kInitialsTag : 0;
    std::vector<std::uint64_t> keys;
    if (t.size() == 1) {
        keys.push_back(tag | gram_key(t[0], 0));
    } else {
        for (std::size_t i = 0; i + 1 < t.size(); ++i) keys.push_back(tag | gram_key(t[i], t[i + 1]));
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    }
    std::vector<const std::vector<std::uint32_t>*> lists;
    for (auto k : keys) {
        auto it = postings.find(k);
        if (it == postings.end()) return a.entries;
        lists.push_back(&it->second);
    }
    std::sort(lists.begin(), lists.end(), [](auto* x, auto* y) { return x->size() < y->size(); });

    auto& cur = a.entries;
    cur.reserve(lists[0]->size());
    for (auto entry : *lists[0]) {
        if (live[entry >> kDocShift]) cur.push_back(entry);
    }
    for (std::size_t k = 1; k < lists.size() && !cur.empty(); ++k) {
        const auto& list = *lists[k];
        std::size_t j = 0;
        std::size_t w = 0;
        for (auto entry : cur) {
            const auto doc = entry >> kDocShift;
            j = gallop(list, j, doc);
            if (j == list.size()) break;
            if ((list[j] >> kDocShift) != doc) continue;
            const auto mask = entry & list[j] & kFieldMask;
            if (mask) cur[w++] = (doc << kDocShift) | mask;
        }
        cur.resize(w);
    }
    return cur;
}

// Documents whose fields contain `a.text`, among `within` when given: the n-gram candidates,
// with the text itself checked for words longer than one bigram.
std::vector<TermHit> SearchIndex::State::match(Alternative& a, bool initials, std::uint8_t alt,
                                               const std::vector<std::uint32_t>* within) const {
    const auto& cand = candidates(a, initials);
    std::vector<TermHit> hits;
    const bool verify = a.text.size() > 2;
    std::size_t verified = 0;
    auto accept = [&](std::uint32_t entry) {
        const auto doc = entry >> kDocShift;
        auto mask = static_cast<std::uint8_t>(entry & kFieldMask);
        if (verify && verified < kMaxVerified) {
            ++verified;
            std::uint8_t confirmed = 0;
            for (std::uint8_t f = 1; f <= kDescription; f <<= 1) {
                if (!(mask & f)) continue;
                const auto& text = docs[doc].field_text(f, initials);
                if (memmem(text.data(), text.size(), a.utf8.data(), a.utf8.size())) confirmed |= f;
            }
            mask = confirmed;
        }
        if (mask) hits.push_back({doc, mask, alt});
    };
    if (!within) {
        hits.reserve(cand.size());
        for (auto entry : cand) accept(entry);
        return hits;
    }
    // Walk the shorter list and gallop through the longer one.
    if (within->size() < cand.size()) {
        std::size_t j = 0;
        for (auto doc : *within) {
            j = gallop(cand, j, doc);
            if (j == cand.size()) break;
            if ((cand[j] >> kDocShift) == doc) accept(cand[j]);
        }
    } else {
        std::size_t j = 0;
        for (auto entry : cand) {
            const auto doc = entry >> kDocShift;
            j = static_cast<std::size_t>(std::lower_bound(within->begin() + j, within->end(), doc) - within->begin());
            if (j == within->size()) break;
            if ((*within)[j] == doc) accept(entry);
        }
    }
    return hits;
}

// Matches every alternative of a term and keeps, per document, all fields and the best way.
void SearchIndex::State::match_term(Term& t, const std::vector<std::uint32_t>* within) const {
    std::vector<TermHit> all;
    for (std::size_t i = 0; i < t.alts.size(); ++i) {
        auto hits = match(t.alts[i], t.initials, static_cast<std::uint8_t>(i), within);
        if (all.empty()) {
            all = std::move(hits);
        } else if (!hits.empty()) {
            std::vector<TermHit> merged;
            merged.reserve(all.size() + hits.size());
            std::merge(all.begin(), all.end(), hits.begin(), hits.end(), std::back_inserter(merged),
                       [](const TermHit& x, const TermHit& y) { return x.doc < y.doc; });
            all = std::move(merged);
        }
    }
    if (t.alts.size() > 1) {
        std::size_t w = 0;
        for (std::size_t i = 0; i < all.size();) {
            TermHit best = all[i];
            double best_value = best_field_weight(best.fields) * kind_factor(t.alts[best.alt].kind);
            std::uint8_t fields = 0;
            std::size_t j = i;
            for (; j < all.size() && all[j].doc == all[i].doc; ++j) {
                fields |= all[j].fields;
                const double v = best_field_weight(all[j].fields) * kind_factor(t.alts[all[j].alt].kind);
                if (v > best_value) best = all[j], best_value = v;
            }
            best.fields = fields;
            all[w++] = best;
            i = j;
        }
        all.resize(w);
    }
    t.hits = std::move(all);
}

// Documents that may match a term: the union of its alternatives' n-gram candidates.
std::vector<std::uint32_t> SearchIndex::State::candidate_docs(Term& t) const {
    std::vector<std::uint32_t> docs_out;
    for (auto& a : t.alts) {
        const auto& cand = candidates(a, t.initials);
        std::vector<std::uint32_t> these;
        these.reserve(cand.size());
        for (auto entry : cand) these.push_back(entry >> kDocShift);
        if (docs_out.empty()) {
            docs_out = std::move(these);
        } else if (!these.empty()) {
            std::vector<std::uint32_t> merged;
            merged.reserve(docs_out.size() + these.size());
            std::set_union(docs_out.begin(), docs_out.end(), these.begin(), these.end(), std::back_inserter(merged));
            docs_out = std::move(merged);
        }
    }
    return docs_out;
}

// Documents matching every term (AND). First n-gram candidates are intersected across terms,
// which is cheap; then only the survivors have their text checked.
Matches SearchIndex::State::intersect(std::vector<Term>& terms) const {
    Matches m;
    const std::size_t n = terms.size();
    std::vector<std::uint32_t> within;
    for (std::size_t t = 0; t < n; ++t) {
        auto docs_t = candidate_docs(terms[t]);
        if (t == 0) {
            within = std::move(docs_t);
        } else {
            std::vector<std::uint32_t> both;
            std::set_intersection(within.begin(), within.end(), docs_t.begin(), docs_t.end(), std::back_inserter(both));
            within = std::move(both);
        }
        if (within.empty()) break;
    }
    for (auto& t : terms) t.hits.clear();
    if (within.empty()) return m;

    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    for (std::size_t k = 0; k < n && !within.empty(); ++k) {
        const std::size_t t = order[k];
        match_term(terms[t], &within);
        const auto& hits = terms[t].hits;
        if (k == 0) {
            m.docs.reserve(hits.size());
            m.fields.assign(hits.size() * n, 0);
            m.alts.assign(hits.size() * n, 0);
            for (std::size_t i = 0; i < hits.size(); ++i) {
                m.docs.push_back(hits[i].doc);
                m.fields[i * n + t] = hits[i].fields;
                m.alts[i * n + t] = hits[i].alt;
            }
        } else {
            std::size_t j = 0;
            std::size_t w = 0;
            for (std::size_t i = 0; i < m.docs.size(); ++i) {
                const auto doc = m.docs[i];
                j = static_cast<std::size_t>(
                    std::lower_bound(hits.begin() + j, hits.end(), doc,
                                     [](const TermHit& h, std::uint32_t d) { return h.doc < d; }) -
                    hits.begin());
                if (j == hits.size()) break;
                if (hits[j].doc != doc) continue;
                m.docs[w] = doc;
                std::copy_n(m.fields.begin() + i * n, n, m.fields.begin() + w * n);
                std::copy_n(m.alts.begin() + i * n, n, m.alts.begin() + w * n);
                m.fields[w * n + t] = hits[j].fields;
                m.alts[w * n + t] = hits[j].alt;
                ++w;
            }
            m.docs.resize(w);
            m.fields.resize(w * n);
            m.alts.resize(w * n);
        }
        within = m.docs;
    }
    return m;
}

// Documents matching at least one term, weighted by how rare the terms they match are
// (inverse document frequency): for queries whose words never all occur together.
Matches SearchIndex::State::any_of(std::vector<Term>& terms) const {
    Matches m;
    const std::size_t n = terms.size();
    for (auto& t : terms) match_term(t, nullptr);
    for (const auto& t : terms) {
        for (const auto& h : t.hits) m.docs.push_back(h.doc);
    }
    std::sort(m.docs.begin(), m.docs.end());
    m.docs.erase(std::unique(m.docs.begin(), m.docs.end()), m.docs.end());
    m.fields.assign(m.docs.size() * n, 0);
    m.alts.assign(m.docs.size() * n, 0);
    m.weight.assign(m.docs.size(), 0);
    for (std::size_t t = 0; t < n; ++t) {
        const auto& hits = terms[t].hits;
        const double idf = std::log(1.0 + static_cast<double>(current_count) / (1.0 + static_cast<double>(hits.size())));
        for (const auto& h : hits) {
            const auto i = static_cast<std::size_t>(std::lower_bound(m.docs.begin(), m.docs.end(), h.doc) - m.docs.begin());
            m.fields[i * n + t] = h.fields;
            m.alts[i * n + t] = h.alt;
            m.weight[i] += idf;
        }
    }
    return m;
}

// Words of names and keywords within one jamo edit per two syllables of `term`, closest first.
std::vector<std::u32string> SearchIndex::State::corrections(const std::u32string& term) const {
    const int max = std::min<int>(kMaxTypoDistance, static_cast<int>(term.size() / 2));
    const auto jamo = hangul::to_jamo(term);
    struct Candidate {
        int distance;
        std::uint32_t count;
        const VocabWord* word;
    };
    std::vector<Candidate> found;
    for (const auto& v : vocab) {
        if (v.count == 0) continue;
        const auto diff = static_cast<long>(v.jamo.size()) - static_cast<long>(jamo.size());
        if (std::labs(diff) > max) continue;
        const int d = hangul::edit_distance(jamo, v.jamo, max);
        if (d == 0 || d > max) continue;
        found.push_back({d, v.count, &v});
    }
    std::sort(found.begin(), found.end(), [](const Candidate& x, const Candidate& y) {
        if (x.distance != y.distance) return x.distance < y.distance;
        if (x.count != y.count) return x.count > y.count;
        return x.word->text < y.word->text;
    });
    std::vector<std::u32string> out;
    for (const auto& c : found) {
        if (out.size() == kMaxCorrections || c.distance > found.front().distance) break;
        out.push_back(hangul::decode_utf8(c.word->text));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// SearchIndex

SearchIndex::SearchIndex(Synonyms syn) : state_(std::make_unique<State>()) { state_->synonyms = std::move(syn); }
SearchIndex::~SearchIndex() = default;
SearchIndex::SearchIndex(SearchIndex&&) noexcept = default;
SearchIndex& SearchIndex::operator=(SearchIndex&&) noexcept = default;

void SearchIndex::upsert(const SearchDoc& d) {
    std::unique_lock lock(state_->mutex);
    state_->upsert(d);
}

void SearchIndex::remove(const std::string& id) {
    std::unique_lock lock(state_->mutex);
    auto it = state_->by_id.find(id);
    if (it == state_->by_id.end()) return;
    state_->retire(it->second);
    state_->by_id.erase(it);
    state_->maybe_compact();
}

void SearchIndex::compact() {
    std::unique_lock lock(state_->mutex);
    state_->compact();
}

std::size_t SearchIndex::size() const {
    std::shared_lock lock(state_->mutex);
    return state_->current_count;
}

std::size_t SearchIndex::memory_bytes() const {
    std::shared_lock lock(state_->mutex);
    const auto& s = *state_;
    std::size_t bytes = sizeof(State) + heap_bytes(s.docs) + heap_bytes(s.live);
    for (const auto& e : s.docs) {
        bytes += heap_bytes(e.id) + heap_bytes(e.name) + heap_bytes(e.name_c) + heap_bytes(e.alt_c) +
                 heap_bytes(e.code_c) + heap_bytes(e.kw_c) + heap_bytes(e.desc_c) + heap_bytes(e.name_ini) +
                 heap_bytes(e.kw_ini) + heap_bytes(e.life_stages) + heap_bytes(e.situations) +
                 heap_bytes(e.topics) + heap_bytes(e.dong_ids) + heap_bytes(e.vocab);
    }
    // Flat maps: one slot per bucket plus a byte of metadata.
    bytes += s.postings.bucket_count() * (sizeof(std::pair<std::uint64_t, std::vector<std::uint32_t>>) + 1);
    for (const auto& [key, list] : s.postings) bytes += heap_bytes(list);
    bytes += s.by_id.bucket_count() * (sizeof(std::pair<std::string, std::uint32_t>) + 1);
    for (const auto& [id, n] : s.by_id) bytes += heap_bytes(id);
    bytes += heap_bytes(s.vocab) + s.vocab_ids.bucket_count() * (sizeof(std::pair<std::string, std::uint32_t>) + 1);
    for (const auto& v : s.vocab) bytes += 2 * heap_bytes(v.text) + v.jamo.capacity() * sizeof(char32_t);
    bytes += heap_bytes(s.values);
    return bytes;
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
