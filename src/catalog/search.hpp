#pragma once
// In-memory search over the welfare-service catalogue, for Korean as people type it: character
// n-grams over names, descriptions and keywords, initial consonants (ㄱㅊㅇㄱ → 기초연금),
// synonyms (어르신 = 노인), one typo per two syllables, filters with disjunctive facet counts.
// The index is updated one service at a time when officials edit, never rebuilt whole.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "catalog/model.hpp"

namespace dure::catalog {

// What the index knows of one service.
struct SearchDoc {
    std::string id;  // service id (UUID string)
    std::string name, alternate_name, description, program_code, provider_level;
    std::vector<std::string> keywords, life_stages, situations, topics;
    std::vector<long long> dong_ids;  // empty = whole district
    bool active = true;               // inactive services are never returned
};

// The search text a service contributes; status other than "active" hides it.
SearchDoc make_search_doc(const Service& s);

// One search request: free text plus filters. Within a filter dimension values are OR-ed,
// across dimensions AND-ed.
struct SearchQuery {
    std::string q;  // raw user text
    std::vector<std::string> life_stages, situations, topics, providers;
    long long dong_id = 0;  // 0 = any; else services for that dong or district-wide
    int offset = 0, limit = 20;
};

// One result with the reason it was found, in Korean for the results page
// (e.g. "이름 일치", "초성 ㄱㅊㅇㄱ", "동의어 어르신→노인", "오타 허용: 기초연굼→기초연금").
struct SearchHit {
    std::string id;
    double score = 0;
    std::string why;
};

// Facet counts per filter dimension. Disjunctive: each dimension is counted with every filter
// applied except its own, so choosing one value still shows how many the others would give.
struct FacetCounts {
    std::vector<std::pair<std::string, int>> life_stage, situation, topic, provider;
};

// A page of hits, how many matched in all, facets, the query as it was understood and notes
// for the user (query shortened, typo corrected …).
struct SearchResult {
    std::vector<SearchHit> hits;
    long long total = 0;
    FacetCounts facets;
    std::string normalized_query;
    std::vector<std::string> notes;
};

// A situation as residents put it ("혼자 사는 어르신", "월세가 밀렸어요") and what to search for
// instead: words, and the catalogue codes (life stage, situation, topic) that rank a service up.
struct Situation {
    std::vector<std::u32string> triggers;  // normalized, without spaces
    std::vector<bool> open_ended;          // per trigger: may end inside a word ("외로~")
    std::vector<std::string> words;        // what to search for, normalized, without spaces
    std::vector<std::string> life_stages, situations, topics;
};

// The search vocabulary: groups of words that mean the same (어르신, 노인, 노년 …), situations
// (data/catalog/situations.txt) and filler words a query may drop ("신청", "어떻게").
class Synonyms {
public:
    // Reads one entry per line; '#' starts a comment.
    //   synonym group:  words separated by ',' or '='
    //   situation:      phrases people type , … => words to search , … | codes | source
    //                   (a phrase ending in '~' may end inside a word; codes as life_stage:senior)
    //   filler words:   ignore: word, word, …
    // Throws std::invalid_argument on a situation line with an unknown code dimension.
    static Synonyms parse(std::string_view text);
    // A starter list of everyday Korean welfare words, for when no synonym file is configured.
    static Synonyms builtin();
    // The other words of every group `word` belongs to, normalized and without spaces.
    std::vector<std::string> expand(std::string_view word) const;
    // Number of distinct words known.
    std::size_t size() const { return groups_.size(); }
    // Situations, longest trigger first.
    const std::vector<Situation>& situations() const { return situations_; }
    // Whether `word` (normalized, without spaces) is filler a query can do without.
    bool ignorable(std::string_view word) const;
    // Whether `word` is in the vocabulary at all: a known word is never "corrected" as a typo.
    bool known(std::string_view word) const;

private:
    std::unordered_map<std::string, std::vector<std::string>> groups_;
    std::vector<Situation> situations_;
    std::unordered_map<std::string, bool> words_;  // every vocabulary word → ignorable
};

// The search index. Searches run concurrently with each other and with edits.
class SearchIndex {
public:
    explicit SearchIndex(Synonyms syn = {});
    ~SearchIndex();
    SearchIndex(SearchIndex&&) noexcept;
    SearchIndex& operator=(SearchIndex&&) noexcept;

    // Adds a service or replaces the one with the same id; touches only that service's postings.
    void upsert(const SearchDoc& d);
    // Forgets a service; its postings are dropped at the next compaction.
    void remove(const std::string& id);
    // Answers one query. Work is bounded whatever the input.
    SearchResult search(const SearchQuery& q) const;
    // Number of services held (active or not).
    std::size_t size() const;
    // Estimate of the bytes the index itself holds.
    std::size_t memory_bytes() const;
    // Drops replaced and removed services from the postings now instead of later.
    void compact();

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace dure::catalog
