#include "catalog/catalog.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include <mutex>
#include <stdexcept>

namespace dure::catalog {

namespace json = boost::json;

Vocabulary Vocabulary::parse(std::string_view text) {
    Vocabulary v;
    v.json_ = std::string(text);
    auto doc = json::parse(text).as_object();
    for (const auto& kv : doc) {
        if (!kv.value().is_array()) continue;
        auto& list = v.dims_[std::string(kv.key())];
        for (const auto& e : kv.value().as_array()) {
            const auto* o = e.if_object();
            if (!o || !o->contains("code")) continue;
            Term t;
            t.code = std::string(o->at("code").as_string());
            if (o->contains("ko")) t.ko = std::string(o->at("ko").as_string());
            if (o->contains("en")) t.en = std::string(o->at("en").as_string());
            list.push_back(std::move(t));
        }
    }
    return v;
}

const std::vector<Term>& Vocabulary::terms(const std::string& dimension) const {
    static const std::vector<Term> kNone;
    auto it = dims_.find(dimension);
    return it == dims_.end() ? kNone : it->second;
}

const Term* Vocabulary::find(const std::string& dimension, const std::string& code) const {
    for (const auto& t : terms(dimension))
        if (t.code == code) return &t;
    return nullptr;
}

const Term* Vocabulary::facility_type(const std::string& code_or_ko) const {
    for (const auto& t : terms("facility_type"))
        if (t.code == code_or_ko || t.ko == code_or_ko) return &t;
    return nullptr;
}

Catalog::Catalog(CatalogStore& store, Synonyms synonyms, Vocabulary vocabulary)
    : store_(store), synonyms_(std::move(synonyms)), vocabulary_(std::move(vocabulary)) {}

SearchIndex& Catalog::index_for(long long district_id) {
    {
        std::shared_lock lk(mu_);
        auto it = indexes_.find(district_id);
        if (it != indexes_.end()) return *it->second;
    }
    std::unique_lock lk(mu_);
    auto& slot = indexes_[district_id];
    if (!slot) slot = std::make_unique<SearchIndex>(synonyms_);
    return *slot;
}

void Catalog::load(long long district_id) {
    auto fresh = std::make_unique<SearchIndex>(synonyms_);
    long long newest = 0;
    for (const auto& s : store_.services(district_id)) {
        fresh->upsert(make_search_doc(s));
        remember(s);
        newest = std::max(newest, s.updated_at);
    }
    fresh->compact();
    {
        std::lock_guard lk(seen_mu_);
        seen_updated_[district_id] = newest;
    }
    std::unique_lock lk(mu_);
    indexes_[district_id] = std::move(fresh);
    generation_.fetch_add(1, std::memory_order_acq_rel);
}

void Catalog::refresh(long long district_id) {
    long long since = 0;
    {
        std::lock_guard lk(seen_mu_);
        auto it = seen_updated_.find(district_id);
        if (it == seen_updated_.end()) {
            since = -1;
        } else {
            since = it->second - 60;
        }
    }
    if (since < 0) return load(district_id);
    long long newest = since + 60;
    for (const auto& s : store_.services_updated_since(district_id, since)) {
        reindex(s);
        newest = std::max(newest, s.updated_at);
    }
    std::lock_guard lk(seen_mu_);
    seen_updated_[district_id] = std::max(seen_updated_[district_id], newest);
}

SearchResult Catalog::search(long long district_id, const SearchQuery& q) const {
    std::shared_lock lk(mu_);
    auto it = indexes_.find(district_id);
    if (it == indexes_.end()) return {};
    return it->second->search(q);
}

std::size_t Catalog::indexed(long long district_id) const {
    std::shared_lock lk(mu_);
    auto it = indexes_.find(district_id);
    return it == indexes_.end() ? 0 : it->second->size();
}

void Catalog::reindex(const Service& s) {
    index_for(s.district_id).upsert(make_search_doc(s));
    remember(s);
    generation_.fetch_add(1, std::memory_order_acq_rel);
}

void Catalog::remember(const Service& s) {
    auto slim = std::make_shared<Service>(s);
    slim->hsds_json.clear();
    slim->eligibility_description.clear();
    slim->application_process.clear();
    slim->fees_description.clear();
    slim->keywords.clear();
    std::unique_lock lk(summaries_mu_);
    summaries_[s.id] = std::move(slim);
}

std::shared_ptr<const Service> Catalog::summary(const std::string& id) const {
    std::shared_lock lk(summaries_mu_);
    auto it = summaries_.find(id);
    return it == summaries_.end() ? nullptr : it->second;
}

Service Catalog::create(Service s, const std::string& by) {
    auto saved = store_.create_service(std::move(s), by);
    reindex(saved);
    return saved;
}

Service Catalog::update(Service s, long long expected_version, const std::string& by, const std::string& note) {
    auto saved = store_.update_service(std::move(s), expected_version, by, note);
    reindex(saved);
    return saved;
}

Service Catalog::retire(const std::string& id, long long expected_version, const std::string& by,
                        const std::string& note) {
    auto saved = store_.retire_service(id, expected_version, by, note);
    reindex(saved);
    return saved;
}

Service Catalog::verify(const std::string& id, const std::string& date, const std::string& by) {
    auto saved = store_.mark_verified(id, date, by);
    reindex(saved);
    return saved;
}

}  // namespace dure::catalog
