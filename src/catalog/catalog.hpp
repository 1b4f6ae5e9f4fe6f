#pragma once
// The catalogue as the rest of the program sees it: the store plus one in-memory search index
// per district, kept in step on every edit (no full rebuild), and the controlled vocabularies.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "catalog/search.hpp"
#include "catalog/store.hpp"

namespace dure::catalog {

// One entry of a controlled vocabulary (life stage, situation, topic, provider level …).
struct Term {
    std::string code, ko, en;
};

// The vocabularies of data/catalog/taxonomy.json, by dimension name.
class Vocabulary {
public:
    static Vocabulary parse(std::string_view taxonomy_json);
    // The terms of a dimension ("life_stage", "situation", "topic", "provider_level",
    // "channel", "facility_type"); empty if unknown.
    const std::vector<Term>& terms(const std::string& dimension) const;
    const Term* find(const std::string& dimension, const std::string& code) const;
    // Facility types are named in Korean in the data (노인복지관); finds one by that name too.
    const Term* facility_type(const std::string& code_or_ko) const;
    const std::string& json() const { return json_; }

private:
    std::map<std::string, std::vector<Term>> dims_;
    std::string json_;
};

class Catalog {
public:
    Catalog(CatalogStore& store, Synonyms synonyms, Vocabulary vocabulary);

    // (Re)builds the search index of a district from the store.
    void load(long long district_id);
    // Brings the index of a district up to date with services written since the last load or
    // refresh (by any process; a minute of overlap covers clocks that differ a little): cheaper
    // than load() when another process changed a few services.
    void refresh(long long district_id);
    SearchResult search(long long district_id, const SearchQuery& q) const;
    // Number of services indexed for a district.
    std::size_t indexed(long long district_id) const;

    // Edits go to the store first, then to the index.
    Service create(Service s, const std::string& by);
    Service update(Service s, long long expected_version, const std::string& by, const std::string& note);
    Service retire(const std::string& id, long long expected_version, const std::string& by, const std::string& note);
    Service verify(const std::string& id, const std::string& date, const std::string& by);

    // A service as last indexed, without its large fields (HSDS document, eligibility and
    // application texts): enough for a search result, read from memory instead of the database.
    std::shared_ptr<const Service> summary(const std::string& id) const;

    // Changes whenever any index changes (load or edit): cached search answers older than this
    // are stale.
    std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

    CatalogStore& store() { return store_; }
    const Vocabulary& vocabulary() const { return vocabulary_; }

private:
    SearchIndex& index_for(long long district_id);
    void reindex(const Service& s);

    CatalogStore& store_;
    Synonyms synonyms_;
    Vocabulary vocabulary_;
    mutable std::shared_mutex mu_;  // guards the map, not the indexes (they lock themselves)
    std::map<long long, std::unique_ptr<SearchIndex>> indexes_;
    std::atomic<std::uint64_t> generation_{0};
    std::mutex seen_mu_;
    std::map<long long, long long> seen_updated_;  // district → newest updated_at indexed
    mutable std::shared_mutex summaries_mu_;
    std::map<std::string, std::shared_ptr<const Service>, std::less<>> summaries_;
    void remember(const Service& s);
};

}  // namespace dure::catalog
