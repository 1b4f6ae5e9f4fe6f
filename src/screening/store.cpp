#include "screening/store.hpp"

#include "outreach/store.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/json.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <thread>
#include <unordered_map>

namespace dure::screening {

using namespace sqlite_api;  // SOCI declares the SQLite C API in this namespace

namespace json = boost::json;
using soci::into;
using soci::use;

namespace {
constexpr const char* kKeyCtx = "risk_indicators.household";
// The same keyed hash outreach uses for the key an official links to a reported household.
constexpr const char* kHashCtx = outreach::kInstitutionKeyContext;
}  // namespace

namespace {

// Runs fn(from, to) over [0, n) on this thread and one more (when there is enough to share).
template <class F>
void on_two_threads(std::size_t n, F fn) {
    std::size_t half = n / 2;
    if (half < 1000) {
        fn(std::size_t{0}, n);
        return;
    }
    std::exception_ptr failed;
    std::thread other([&] {
        try {
            fn(half, n);
        } catch (...) {
            failed = std::current_exception();
        }
    });
    try {
        fn(std::size_t{0}, half);
    } catch (...) {
        other.join();
        throw;
    }
    other.join();
    if (failed) std::rethrow_exception(failed);
}

// A multi-row statement of `n` tuples: "(?1, ?4, ?5), (?1, ?6, ?7)…" with `shared` parameters
// (numbered 1…shared) in every tuple at the places `tuple` names them.
std::string tuples(int n, int shared, int per_row, const std::function<std::string(int first)>& tuple) {
    std::string sql;
    for (int j = 0; j < n; ++j) sql += (j ? ", " : "") + tuple(shared + 1 + j * per_row);
    return sql;
}

}  // namespace

ImportResult ScreeningStore::import(long long district_id, const std::vector<IndicatorRow>& rows,
                                    const std::map<std::string, long long>& dong_ids, const IndicatorCatalog& cat,
                                    const std::string& batch) {
    (void)cat;
    ImportResult res;
    // One blind index and one ciphertext per household, not per row.
    std::unordered_map<std::string_view, std::size_t> index;
    std::vector<std::pair<std::size_t, std::size_t>> order;  // (household, row)
    order.reserve(rows.size());
    std::vector<std::string_view> key_of;  // each household's key, in first-seen order
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& key = rows[i].household_key;
        auto [it, fresh] = index.emplace(key, key_of.size());
        if (fresh) key_of.push_back(key);
        order.emplace_back(it->second, i);
    }
    std::vector<std::string> hash(key_of.size());
    on_two_threads(key_of.size(), [&](std::size_t from, std::size_t to) {
        for (std::size_t h = from; h < to; ++h) hash[h] = keys_.blind_index(key_of[h], kHashCtx);
    });
    // Insert in key order: the B-tree pages fill in sequence instead of at random.
    std::vector<std::size_t> by_hash(hash.size()), rank(hash.size());
    for (std::size_t i = 0; i < by_hash.size(); ++i) by_hash[i] = i;
    std::sort(by_hash.begin(), by_hash.end(), [&](std::size_t a, std::size_t b) { return hash[a] < hash[b]; });
    for (std::size_t r = 0; r < by_hash.size(); ++r) rank[by_hash[r]] = r;
    for (auto& o : order) o.first = rank[o.first];
    std::sort(order.begin(), order.end());
    {
        std::vector<std::string> sorted(hash.size());
        std::vector<std::string_view> keys(hash.size());
        for (std::size_t r = 0; r < by_hash.size(); ++r) {
            sorted[r] = std::move(hash[by_hash[r]]);
            keys[r] = key_of[by_hash[r]];
        }
        hash = std::move(sorted);
        key_of = std::move(keys);
    }
    std::vector<long long> dong_of(rows.size());
    std::vector<long long> dongs_used;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        dong_of[i] = dong_ids.at(rows[i].dong_code);
        if (dongs_used.empty() || dongs_used.back() != dong_of[i]) dongs_used.push_back(dong_of[i]);
    }
    std::sort(dongs_used.begin(), dongs_used.end());
    dongs_used.erase(std::unique(dongs_used.begin(), dongs_used.end()), dongs_used.end());
    res.rows = static_cast<long long>(rows.size());
    res.households = static_cast<long long>(hash.size());
    if (rows.empty()) return res;

    // The encrypted keys are computed on another thread while the indicator rows are written
    // (those need only the keyed hash); the household rows are written after them.
    std::vector<std::string> enc(hash.size());
    std::exception_ptr enc_failed;
    std::thread encrypting([&] {
        try {
            for (std::size_t h = 0; h < key_of.size(); ++h) enc[h] = keys_.encrypt(key_of[h], kKeyCtx);
        } catch (...) {
            enc_failed = std::current_exception();
        }
    });
    struct Join {
        std::thread& t;
        ~Join() {
            if (t.joinable()) t.join();
        }
    } join{encrypting};
    auto encrypted = [&] {
        encrypting.join();
        if (enc_failed) std::rethrow_exception(enc_failed);
    };

    const long long now = store::now_unix();
    // The references the database would check per row (foreign keys are off for this bulk
    // write), checked once: every dong is one of this district's.
    auto check_references = [&](soci::session& s) {
        long long known = 0;
        for (long long d : dongs_used) {
            long long n = 0;
            s << "SELECT COUNT(*) FROM dongs WHERE id = :i AND district_id = :d", into(n), use(d), use(district_id);
            known += n;
        }
        if (known != static_cast<long long>(dongs_used.size()))
            throw std::invalid_argument("risk_indicators: a dong is not one of the district's");
    };
    static constexpr const char* kHouseholdHead =
        "INSERT INTO risk_households (district_id, household_hash, household_enc) VALUES ";
    static constexpr const char* kHouseholdTail = " ON CONFLICT (district_id, household_hash) DO NOTHING";
    static constexpr const char* kUpsertHead =
        "INSERT INTO risk_indicators (district_id, household_hash, dong_id, indicator, period, value, batch, "
        "imported_at) VALUES ";
    static constexpr const char* kUpsertTail =
        " ON CONFLICT (district_id, household_hash, indicator, period) DO UPDATE SET value = excluded.value, "
        "dong_id = excluded.dong_id, batch = excluded.batch, imported_at = excluded.imported_at";
    if (db_.dialect() == store::Dialect::sqlite) {
        // SQLite: multi-row statements of 64 tuples (one VM run per 64 rows), bound straight from
        // the rows (SOCI's bulk binding copies every value), in one transaction.
        db_.write_bulk([&](soci::session& s) {
            check_references(s);
            auto* conn = static_cast<soci::sqlite3_session_backend*>(s.get_backend())->conn_;
            sqlite3_exec(conn, "PRAGMA cache_size=-131072", nullptr, nullptr, nullptr);
            using Stmt = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;
            auto prepare = [&](const std::string& sql) {
                sqlite3_stmt* st = nullptr;
                if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
                    throw std::runtime_error(std::string("risk_indicators: ") + sqlite3_errmsg(conn));
                return Stmt(st, sqlite3_finalize);
            };
            auto step = [&](sqlite3_stmt* st) {
                if (sqlite3_step(st) != SQLITE_DONE)
                    throw std::runtime_error(std::string("risk_indicators: ") + sqlite3_errmsg(conn));
                sqlite3_reset(st);
            };
            auto text = [](sqlite3_stmt* st, int i, std::string_view v) {
                sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
            };
            // Writes `n` items through statements of kBatch tuples and one of a single tuple for
            // the rest; bind(st, first_parameter, item) binds one tuple.
            constexpr int kBatch = 64;
            auto write_all = [&](std::size_t n, Stmt& many, Stmt& one, auto bind) {
                std::size_t k = 0;
                for (; k + kBatch <= n; k += kBatch) {
                    for (int j = 0; j < kBatch; ++j) bind(many.get(), j, k + j);
                    step(many.get());
                }
                for (; k < n; ++k) {
                    bind(one.get(), 0, k);
                    step(one.get());
                }
            };
            // Indicators: ?1 district, ?2 batch, ?3 time; five parameters per row.
            auto indicator_tuple = [](int p) {
                auto n = [&](int i) { return "?" + std::to_string(p + i); };
                return "(?1, " + n(0) + ", " + n(1) + ", " + n(2) + ", " + n(3) + ", " + n(4) + ", ?2, ?3)";
            };
            Stmt many = prepare(kUpsertHead + tuples(kBatch, 3, 5, indicator_tuple) + kUpsertTail);
            Stmt one = prepare(kUpsertHead + tuples(1, 3, 5, indicator_tuple) + kUpsertTail);
            for (auto* st : {many.get(), one.get()}) {
                sqlite3_bind_int64(st, 1, district_id);
                text(st, 2, batch);
                sqlite3_bind_int64(st, 3, now);
            }
            write_all(order.size(), many, one, [&](sqlite3_stmt* st, int j, std::size_t k) {
                const auto& [h, i] = order[k];
                const auto& r = rows[i];
                int p = 4 + 5 * j;
                text(st, p, hash[h]);
                sqlite3_bind_int64(st, p + 1, dong_of[i]);
                text(st, p + 2, r.indicator);
                text(st, p + 3, r.period);
                sqlite3_bind_double(st, p + 4, r.value);
            });
            // Households: ?1 district; two parameters per row.
            auto household_tuple = [](int p) { return "(?1, ?" + std::to_string(p) + ", ?" + std::to_string(p + 1) + ")"; };
            Stmt hmany = prepare(kHouseholdHead + tuples(kBatch, 1, 2, household_tuple) + kHouseholdTail);
            Stmt hone = prepare(kHouseholdHead + tuples(1, 1, 2, household_tuple) + kHouseholdTail);
            for (auto* st : {hmany.get(), hone.get()}) sqlite3_bind_int64(st, 1, district_id);
            encrypted();
            write_all(hash.size(), hmany, hone, [&](sqlite3_stmt* st, int j, std::size_t h) {
                text(st, 2 + 2 * j, hash[h]);
                text(st, 3 + 2 * j, enc[h]);
            });
        });
        return res;
    }
    // PostgreSQL: each chunk of rows goes as one statement over unnest() of array parameters
    // (SOCI's bulk binding runs one statement per row: 400,000 round trips), one transaction.
    encrypted();
    db_.write_bulk([&](soci::session& s) {
        check_references(s);
        constexpr std::size_t kChunk = 5000;
        // A PostgreSQL array literal of quoted elements.
        auto array = [](std::size_t from, std::size_t to, const auto& element) {
            std::string out = "{";
            for (std::size_t i = from; i < to; ++i) {
                if (i > from) out += ',';
                out += '"';
                for (char ch : element(i)) {
                    if (ch == '"' || ch == '\\') out += '\\';
                    out += ch;
                }
                out += '"';
            }
            return out + "}";
        };
        const std::string household = std::string("INSERT INTO risk_households (district_id, household_hash, household_enc) ") +
                                      "SELECT :d, t.h, t.e FROM unnest(CAST(:hs AS text[]), CAST(:es AS text[])) AS t(h, e)" +
                                      kHouseholdTail;
        for (std::size_t from = 0; from < hash.size(); from += kChunk) {
            std::size_t to = std::min(hash.size(), from + kChunk);
            std::string hs = array(from, to, [&](std::size_t i) -> std::string_view { return hash[i]; });
            std::string es = array(from, to, [&](std::size_t i) -> std::string_view { return enc[i]; });
            s << household, use(district_id), use(hs), use(es);
        }
        const std::string upsert = std::string("INSERT INTO risk_indicators (district_id, household_hash, dong_id, indicator, period, value, batch, "
                                               "imported_at) ") +
                                   "SELECT :d, t.h, t.g, t.k, t.p, t.v, :b, :a FROM unnest(CAST(:hs AS text[]), "
                                   "CAST(:gs AS bigint[]), CAST(:ks AS text[]), CAST(:ps AS text[]), CAST(:vs AS float8[])) "
                                   "AS t(h, g, k, p, v)" +
                                   kUpsertTail;
        for (std::size_t from = 0; from < order.size(); from += kChunk) {
            std::size_t to = std::min(order.size(), from + kChunk);
            std::string hs = array(from, to, [&](std::size_t i) -> std::string_view { return hash[order[i].first]; });
            std::vector<std::string> numbers(to - from);
            for (std::size_t i = from; i < to; ++i) numbers[i - from] = std::to_string(dong_of[order[i].second]);
            std::string gs = array(from, to, [&](std::size_t i) -> std::string_view { return numbers[i - from]; });
            std::string ks = array(from, to, [&](std::size_t i) { return rows[order[i].second].indicator; });
            std::string ps = array(from, to, [&](std::size_t i) -> std::string_view { return rows[order[i].second].period; });
            for (std::size_t i = from; i < to; ++i) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.17g", rows[order[i].second].value);
                numbers[i - from] = buf;
            }
            std::string vs = array(from, to, [&](std::size_t i) -> std::string_view { return numbers[i - from]; });
            s << upsert, use(district_id), use(batch), use(now), use(hs), use(gs), use(ks), use(ps), use(vs);
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
        s << "SELECT household_enc FROM risk_households WHERE district_id = :d AND household_hash = :h", into(enc),
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

namespace dure::screening {

std::map<long long, ReportedCoverage> ScreeningStore::reported_coverage(const Round& r, long long from_unix,
                                                                        long long to_unix) {
    std::map<long long, ReportedCoverage> out;
    db_.read([&](soci::session& s) {
        long long dong = 0, linked = 0, found = 0, n = 0;
        soci::indicator di = soci::i_ok;
        soci::statement st =
            (s.prepare << "SELECT h.dong_id, CASE WHEN h.household_hash IS NULL THEN 0 ELSE 1 END, "
                          "CASE WHEN EXISTS (SELECT 1 FROM screening_items i WHERE i.round_id = :r "
                          "AND i.household_hash = h.household_hash) THEN 1 ELSE 0 END, COUNT(*) "
                          "FROM outreach_households h WHERE h.district_id = :d AND h.status <> 'merged' "
                          "AND h.first_report_at >= :f AND h.first_report_at < :t GROUP BY 1, 2, 3",
             soci::use(r.id), soci::use(r.district_id), soci::use(from_unix), soci::use(to_unix),
             soci::into(dong, di), soci::into(linked), soci::into(found), soci::into(n));
        st.execute();
        while (st.fetch()) {
            auto& c = out[di == soci::i_ok ? dong : 0];
            c.reported += n;
            if (linked) c.linked += n;
            if (found) c.found += n;
        }
    });
    return out;
}

}  // namespace dure::screening
