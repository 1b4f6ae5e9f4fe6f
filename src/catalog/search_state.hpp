#pragma once
// Internal to the search index (search.cpp, search_synonyms.cpp, search_index.cpp): limits,
// field bits and match kinds, the per-version entries and facts, the query's terms and matches,
// and SearchIndex::State. Not a public header: other code uses catalog/search.hpp.

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
#include "catalog/search.hpp"

namespace dure::catalog {
namespace search_detail {


inline constexpr std::size_t kMaxQueryCodePoints = 200;
inline constexpr std::size_t kMaxTerms = 16;
// Candidates per term whose text is checked; beyond this the n-gram evidence is trusted.
inline constexpr std::size_t kMaxVerified = 20000;
inline constexpr std::size_t kMaxSynonymsPerTerm = 8;
inline constexpr std::size_t kMaxTypoCodePoints = 12;
inline constexpr int kMaxTypoDistance = 2;
inline constexpr std::size_t kMaxCorrections = 4;
inline constexpr int kMaxLimit = 200;
// Postings hold (doc number << kDocShift) | field mask.
inline constexpr std::uint32_t kDocShift = 6;
inline constexpr std::uint32_t kFieldMask = (1u << kDocShift) - 1;
inline constexpr std::uint32_t kMaxDocNumber = (1u << (32 - kDocShift)) - 1;
inline constexpr std::uint64_t kInitialsTag = std::uint64_t{1} << 42;
inline constexpr char kSegmentSeparator = '\x1f';
inline constexpr char32_t kSegmentSeparator32 = 0x1F;
inline constexpr std::uint32_t kNoValue = 0xFFFFFFFF;

// Field bits in the order they rank: the lowest set bit is the best field a term matched.
enum Field : std::uint8_t { kName = 1, kKeyword = 2, kAlt = 4, kCode = 8, kDescription = 16 };
inline constexpr double kFieldWeight[5] = {10, 5, 4, 4, 1};

// How a query term was matched.
// stem: the word without a trailing particle ("어르신이" → "어르신"); concept: a word a situation
// stands for ("월세가 밀렸어요" → 주거급여).
enum class Kind : std::uint8_t { original, synonym, typo, initials, stem, situation };

inline double kind_factor(Kind k) {
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

inline constexpr std::size_t kMaxConceptWords = 16;
// Fewer services than this holding every query word: show those holding some words after them.
inline constexpr std::size_t kFewResults = 5;

// The word without a trailing particle (조사), when at least two syllables remain.
inline std::u32string strip_particle(const std::u32string& w) {
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

inline double best_field_weight(std::uint8_t fields) {
    return fields ? kFieldWeight[std::countr_zero(static_cast<unsigned>(fields))] : 0;
}

inline std::uint64_t gram_key(char32_t a, char32_t b) { return (std::uint64_t{a} << 21) | b; }

inline std::u32string drop_separators(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (!hangul::is_separator(c)) out.push_back(c);
    }
    return out;
}

inline std::u32string normalized32(std::string_view raw) { return hangul::decode_utf8(hangul::normalize(raw).text); }

// Words of normalized text, split at separators.
inline std::vector<std::u32string> split_words(std::u32string_view text) {
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

inline std::string compact_utf8(std::string_view raw) { return hangul::encode_utf8(drop_separators(normalized32(raw))); }

inline std::size_t heap_bytes(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }
template <class T>
inline std::size_t heap_bytes(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

// ---------------------------------------------------------------------------------------------
// Index state


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

inline std::uint64_t prefix_key(std::string_view s) {
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
inline std::size_t gallop(const std::vector<std::uint32_t>& list, std::size_t j, std::uint32_t doc) {
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

}  // namespace search_detail

using namespace search_detail;  // this header is read only by the search index's own files


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

}  // namespace dure::catalog
