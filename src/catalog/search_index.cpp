// The search index's state: adding, retiring and compacting versions of services, and matching a
// query term against the postings (candidates, alternatives, intersections, typo corrections).
#include <cmath>
#include <mutex>
#include <shared_mutex>

#include "catalog/search_state.hpp"

namespace dure::catalog {

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

}  // namespace dure::catalog
