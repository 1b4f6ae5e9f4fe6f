#include "screening/store.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/json.hpp>
#include <unordered_map>

namespace dure::screening {

using namespace sqlite_api;  // SOCI declares the SQLite C API in this namespace

namespace json = boost::json;
using soci::into;
using soci::use;

namespace {
constexpr const char* kKeyCtx = "risk_indicators.household";
constexpr const char* kHashCtx = "risk_indicators.household_key";
}  // namespace

ImportResult ScreeningStore::import(long long district_id, const std::vector<IndicatorRow>& rows,
                                    const std::map<std::string, long long>& dong_ids, const IndicatorCatalog& cat,
                                    const std::string& batch) {
    ImportResult res;
    // One blind index and one ciphertext per household, not per row.
    std::unordered_map<std::string, std::pair<std::string, std::string>> keys;
    const std::size_t n = rows.size();
    std::vector<long long> districts(n, district_id), dongs(n), ats(n, store::now_unix());
    std::vector<std::string> hashes(n), encs(n), inds(n), periods(n), batches(n, batch);
    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& r = rows[i];
        auto it = keys.find(r.household_key);
        if (it == keys.end())
            it = keys.emplace(r.household_key, std::make_pair(keys_.blind_index(r.household_key, kHashCtx),
                                                              keys_.encrypt(r.household_key, kKeyCtx))).first;
        hashes[i] = it->second.first;
        encs[i] = it->second.second;
        dongs[i] = dong_ids.at(r.dong_code);
        inds[i] = r.indicator;
        periods[i] = r.period;
        values[i] = r.value;
        (void)cat;
    }
    res.rows = static_cast<long long>(n);
    res.households = static_cast<long long>(keys.size());
    if (n == 0) return res;
    static constexpr const char* kUpsert =
        "INSERT INTO risk_indicators (district_id, household_hash, household_enc, dong_id, indicator, period, "
        "value, batch, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (district_id, household_hash, indicator, period) DO UPDATE SET value = excluded.value, "
        "dong_id = excluded.dong_id, batch = excluded.batch, imported_at = excluded.imported_at";
    if (db_.dialect() == store::Dialect::sqlite) {
        // SQLite: one prepared statement stepped per row inside the write transaction (SOCI's bulk
        // binding copies every value; this is five times faster).
        db_.write([&](soci::session& s) {
            auto* conn = static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
            // A large batch touches index pages all over the table: give this connection room.
            sqlite3_exec(conn, "PRAGMA cache_size=-131072", nullptr, nullptr, nullptr);
            sqlite3_stmt* st = nullptr;
            if (sqlite3_prepare_v2(conn, kUpsert, -1, &st, nullptr) != SQLITE_OK)
                throw std::runtime_error(std::string("risk_indicators: ") + sqlite3_errmsg(conn));
            std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
            for (std::size_t i = 0; i < n; ++i) {
                sqlite3_bind_int64(st, 1, district_id);
                sqlite3_bind_text(st, 2, hashes[i].data(), static_cast<int>(hashes[i].size()), SQLITE_STATIC);
                sqlite3_bind_text(st, 3, encs[i].data(), static_cast<int>(encs[i].size()), SQLITE_STATIC);
                sqlite3_bind_int64(st, 4, dongs[i]);
                sqlite3_bind_text(st, 5, inds[i].data(), static_cast<int>(inds[i].size()), SQLITE_STATIC);
                sqlite3_bind_text(st, 6, periods[i].data(), static_cast<int>(periods[i].size()), SQLITE_STATIC);
                sqlite3_bind_double(st, 7, values[i]);
                sqlite3_bind_text(st, 8, batch.data(), static_cast<int>(batch.size()), SQLITE_STATIC);
                sqlite3_bind_int64(st, 9, ats[i]);
                if (sqlite3_step(st) != SQLITE_DONE)
                    throw std::runtime_error(std::string("risk_indicators: ") + sqlite3_errmsg(conn));
                sqlite3_reset(st);
            }
        });
        return res;
    }
    db_.write([&](soci::session& s) {
        constexpr std::size_t kChunk = 5000;
        for (std::size_t off = 0; off < n; off += kChunk) {
            std::size_t end = std::min(n, off + kChunk);
            auto slice = [&](auto& v) { return std::vector<typename std::decay_t<decltype(v)>::value_type>(v.begin() + off, v.begin() + end); };
            auto d = slice(districts), g = slice(dongs), a = slice(ats);
            auto h = slice(hashes), e = slice(encs), k = slice(inds), p = slice(periods), b = slice(batches);
            auto v = slice(values);
            s << "INSERT INTO risk_indicators (district_id, household_hash, household_enc, dong_id, indicator, period, "
                 "value, batch, imported_at) VALUES (:d, :h, :e, :g, :k, :p, :v, :b, :a) "
                 "ON CONFLICT (district_id, household_hash, indicator, period) DO UPDATE SET value = excluded.value, "
                 "dong_id = excluded.dong_id, batch = excluded.batch, imported_at = excluded.imported_at",
                use(d), use(h), use(e), use(g), use(k), use(p), use(v), use(b), use(a);
        }
    });
    return res;
}

std::vector<HouseholdSignals> ScreeningStore::signals(long long district_id, const std::string& from,
                                                      const std::string& to, const IndicatorCatalog& cat) {
    std::vector<HouseholdSignals> out;
    std::unordered_map<std::string, std::size_t> at;
    db_.read([&](soci::session& s) {
        std::string hash, indicator, period;
        long long dong = 0;
        soci::statement st = (s.prepare << "SELECT household_hash, dong_id, indicator, period FROM risk_indicators "
                                           "WHERE district_id = :d AND period >= :f AND period <= :t ORDER BY period",
                              into(hash), into(dong), into(indicator), into(period), use(district_id), use(from), use(to));
        st.execute();
        while (st.fetch()) {
            int idx = cat.index(indicator);
            if (idx < 0) continue;
            auto [it, fresh] = at.emplace(hash, out.size());
            if (fresh) out.push_back({hash, dong, 0});
            auto& h = out[it->second];
            h.flags |= 1ull << idx;
            h.dong_id = dong;  // the latest period's dong (rows come in period order)
        }
    });
    return out;
}

std::string ScreeningStore::household_key(long long district_id, const std::string& hash) {
    std::string enc;
    db_.read([&](soci::session& s) {
        s << "SELECT household_enc FROM risk_indicators WHERE district_id = :d AND household_hash = :h LIMIT 1", into(enc),
            use(district_id), use(hash);
    });
    return enc.empty() ? std::string() : keys_.decrypt(enc, kKeyCtx);
}

Model ScreeningStore::model(long long district_id, const IndicatorCatalog& cat) {
    Model m = Model::defaults(cat);
    db_.read([&](soci::session& s) {
        std::string weights;
        long long version = 0, trained = 0;
        s << "SELECT version, weights, trained_on FROM screening_models WHERE district_id = :d", into(version),
            into(weights), into(trained), use(district_id);
        if (!s.got_data()) return;
        auto o = json::parse(weights).as_object();
        m.version = version;
        m.trained_on = trained;
        m.bias = o.at("bias").to_number<double>();
        for (std::size_t i = 0; i < cat.all().size(); ++i)
            if (auto it = o.find(cat.all()[i].code); it != o.end()) m.weights[i] = it->value().to_number<double>();
    });
    return m;
}

void ScreeningStore::save_model(long long district_id, const Model& m) {
    // Weights by indicator code, so a catalogue that grows keeps the fitted values.
    json::object o{{"bias", m.bias}};
    const auto& cat = IndicatorCatalog::embedded();
    for (std::size_t i = 0; i < m.weights.size() && i < cat.all().size(); ++i) o[cat.all()[i].code] = m.weights[i];
    std::string text = json::serialize(o);
    long long now = store::now_unix();
    db_.write([&](soci::session& s) {
        s << "DELETE FROM screening_models WHERE district_id = :d", use(district_id);
        s << "INSERT INTO screening_models (district_id, version, weights, trained_on, updated_at) VALUES (:d, :v, :w, :t, :u)",
            use(district_id), use(m.version), use(text), use(m.trained_on), use(now);
    });
}

Round ScreeningStore::create_round(long long district_id, const std::string& by, const std::string& from,
                                   const std::string& to, const Model& m, const std::vector<HouseholdSignals>& hs,
                                   const std::map<long long, std::vector<Scored>>& ranked) {
    Round r;
    r.district_id = district_id;
    r.created_at = store::now_unix();
    r.created_by = by;
    r.period_from = from;
    r.period_to = to;
    r.model_version = m.version;
    r.households = static_cast<long long>(hs.size());
    for (const auto& [dong, list] : ranked) r.listed += static_cast<long long>(list.size());
    db_.write([&](soci::session& s) {
        s << "INSERT INTO screening_rounds (district_id, created_at, created_by, period_from, period_to, model_version, "
             "households, listed) VALUES (:d, :c, :b, :f, :t, :m, :h, :l) RETURNING id",
            use(r.district_id), use(r.created_at), use(r.created_by), use(r.period_from), use(r.period_to),
            use(r.model_version), use(r.households), use(r.listed), into(r.id);
        for (const auto& [dong, list] : ranked) {
            long long rank = 0;
            for (const auto& sc : list) {
                ++rank;
                long long d = dong;
                std::string features = std::to_string(hs[sc.household].flags);
                double score_v = sc.score;
                s << "INSERT INTO screening_items (round_id, dong_id, rank, household_hash, score, features) "
                     "VALUES (:r, :d, :k, :h, :s, :f)",
                    use(r.id), use(d), use(rank), use(hs[sc.household].hash), use(score_v), use(features);
            }
        }
    });
    return r;
}

namespace {
constexpr const char* kRoundCols =
    "id, district_id, created_at, model_version, households, listed, created_by, period_from, period_to";
constexpr const char* kItemCols = "id, round_id, dong_id, rank, outcome_at, household_hash, outcome, outcome_by, score, features";
}  // namespace

std::optional<Round> ScreeningStore::round(long long id) {
    std::optional<Round> out;
    db_.read([&](soci::session& s) {
        Round r;
        s << std::string("SELECT ") + kRoundCols + " FROM screening_rounds WHERE id = :i", into(r.id), into(r.district_id),
            into(r.created_at), into(r.model_version), into(r.households), into(r.listed), into(r.created_by),
            into(r.period_from), into(r.period_to), use(id);
        if (s.got_data()) out = r;
    });
    return out;
}

std::vector<Round> ScreeningStore::rounds(long long district_id) {
    std::vector<Round> out;
    db_.read([&](soci::session& s) {
        Round r;
        soci::statement st = (s.prepare << std::string("SELECT ") + kRoundCols +
                                               " FROM screening_rounds WHERE district_id = :d ORDER BY id DESC LIMIT 50",
                              into(r.id), into(r.district_id), into(r.created_at), into(r.model_version),
                              into(r.households), into(r.listed), into(r.created_by), into(r.period_from),
                              into(r.period_to), use(district_id));
        st.execute();
        while (st.fetch()) out.push_back(r);
    });
    return out;
}

std::vector<Item> ScreeningStore::items(long long round_id, long long dong_id) {
    std::vector<Item> out;
    db_.read([&](soci::session& s) {
        Item it;
        std::string features;
        soci::statement st = (s.prepare << std::string("SELECT ") + kItemCols +
                                               " FROM screening_items WHERE round_id = :r AND (:d1 = 0 OR dong_id = :d2) "
                                               "ORDER BY dong_id, rank",
                              into(it.id), into(it.round_id), into(it.dong_id), into(it.rank), into(it.outcome_at),
                              into(it.household_hash), into(it.outcome), into(it.outcome_by), into(it.score),
                              into(features), use(round_id), use(dong_id), use(dong_id));
        st.execute();
        while (st.fetch()) {
            it.flags = std::stoull(features);
            out.push_back(it);
        }
    });
    return out;
}

std::optional<Item> ScreeningStore::item(long long id) {
    std::optional<Item> out;
    db_.read([&](soci::session& s) {
        Item it;
        std::string features;
        s << std::string("SELECT ") + kItemCols + " FROM screening_items WHERE id = :i", into(it.id), into(it.round_id),
            into(it.dong_id), into(it.rank), into(it.outcome_at), into(it.household_hash), into(it.outcome),
            into(it.outcome_by), into(it.score), into(features), use(id);
        if (!s.got_data()) return;
        it.flags = std::stoull(features);
        out = it;
    });
    return out;
}

void ScreeningStore::set_outcome(long long item_id, const std::string& outcome, const std::string& by) {
    long long now = store::now_unix();
    db_.write([&](soci::session& s) {
        s << "UPDATE screening_items SET outcome = :o, outcome_by = :b, outcome_at = :a WHERE id = :i", use(outcome),
            use(by), use(now), use(item_id);
    });
}

std::vector<std::pair<std::uint64_t, int>> ScreeningStore::training_set(long long district_id) {
    std::vector<std::pair<std::uint64_t, int>> out;
    db_.read([&](soci::session& s) {
        std::string features, outcome;
        soci::statement st = (s.prepare << "SELECT i.features, i.outcome FROM screening_items i JOIN screening_rounds r "
                                           "ON r.id = i.round_id WHERE r.district_id = :d AND i.outcome <> ''",
                              into(features), into(outcome), use(district_id));
        st.execute();
        while (st.fetch()) {
            if (needed_support(outcome)) out.emplace_back(std::stoull(features), 1);
            else if (outcome == "not_in_need") out.emplace_back(std::stoull(features), 0);
            // unreachable and refused say nothing about need
        }
    });
    return out;
}

}  // namespace dure::screening
