#include "atlas/stats_store.hpp"

#include <soci/soci.h>

namespace dure::catalog {

using soci::into;
using soci::use;

namespace {

const char* kValueColumns = "district_id, indicator, dong_id, year, value, unit, source, uploaded_by, uploaded_at";

// Output binding of one statistics row.
struct ValueRow {
    StatValue v;
    long long dong = 0;
    soci::indicator dong_ind = soci::i_ok;
    void bind(soci::statement& st) {
        st.exchange(into(v.district_id));
        st.exchange(into(v.indicator));
        st.exchange(into(dong, dong_ind));
        st.exchange(into(v.year));
        st.exchange(into(v.value));
        st.exchange(into(v.unit));
        st.exchange(into(v.source));
        st.exchange(into(v.uploaded_by));
        st.exchange(into(v.uploaded_at));
    }
    StatValue get() const {
        StatValue out = v;
        out.dong_id = dong_ind == soci::i_ok ? dong : 0;
        return out;
    }
};

}  // namespace

std::vector<Indicator> StatsStore::indicators() {
    std::vector<Indicator> out;
    db_.read([&](soci::session& s) {
        Indicator i;
        soci::statement st = (s.prepare << "SELECT code, name_ko, name_en, unit, description, source, aggregate "
                                           "FROM statistic_indicators ORDER BY sort_order, code",
                              into(i.code), into(i.name_ko), into(i.name_en), into(i.unit), into(i.description),
                              into(i.source), into(i.aggregate));
        st.execute();
        while (st.fetch()) out.push_back(i);
    });
    return out;
}

void StatsStore::replace_boundaries(long long district_id, const std::vector<DongBoundary>& boundaries,
                                    const std::string& source, long long now) {
    db_.write([&](soci::session& s) {
        s << "DELETE FROM dong_boundaries WHERE district_id = :d", use(district_id);
        for (const auto& b : boundaries)
            s << "INSERT INTO dong_boundaries (district_id, dong_id, geometry, source, imported_at) "
                 "VALUES (:d, :g, :geom, :src, :t)",
                use(district_id), use(b.dong_id), use(b.geometry), use(source), use(now);
    });
}

std::vector<DongBoundary> StatsStore::boundaries(long long district_id) {
    std::vector<DongBoundary> out;
    db_.read([&](soci::session& s) {
        DongBoundary b;
        soci::statement st = (s.prepare << "SELECT dong_id, geometry FROM dong_boundaries WHERE district_id = :d "
                                           "ORDER BY dong_id",
                              into(b.dong_id), into(b.geometry), use(district_id));
        st.execute();
        while (st.fetch()) out.push_back(b);
    });
    return out;
}

StatSaveCounts StatsStore::save(const std::vector<StatValue>& values) {
    StatSaveCounts counts;
    db_.write([&](soci::session& s) {
        counts = {};
        for (const auto& v : values) {
            long long dong = v.dong_id, found = 0;
            double old_value = 0;
            std::string old_unit, old_source;
            s << "SELECT COUNT(*) FROM statistics WHERE district_id = :d AND indicator = :i "
                 "AND COALESCE(dong_id, 0) = :g AND year = :y",
                into(found), use(v.district_id), use(v.indicator), use(dong), use(v.year);
            if (found > 0) {
                s << "SELECT value, unit, source FROM statistics WHERE district_id = :d AND indicator = :i "
                     "AND COALESCE(dong_id, 0) = :g AND year = :y",
                    into(old_value), into(old_unit), into(old_source), use(v.district_id), use(v.indicator),
                    use(dong), use(v.year);
                if (old_value == v.value && old_unit == v.unit && old_source == v.source) {
                    ++counts.unchanged;
                    continue;
                }
                s << "UPDATE statistics SET value = :v, unit = :u, source = :s, uploaded_by = :b, uploaded_at = :t "
                     "WHERE district_id = :d AND indicator = :i AND COALESCE(dong_id, 0) = :g AND year = :y",
                    use(v.value), use(v.unit), use(v.source), use(v.uploaded_by), use(v.uploaded_at),
                    use(v.district_id), use(v.indicator), use(dong), use(v.year);
                ++counts.replaced;
                continue;
            }
            soci::indicator dong_ind = dong ? soci::i_ok : soci::i_null;
            s << "INSERT INTO statistics (district_id, indicator, dong_id, year, value, unit, source, uploaded_by, "
                 "uploaded_at) VALUES (:d, :i, :g, :y, :v, :u, :s, :b, :t)",
                use(v.district_id), use(v.indicator), use(dong, dong_ind), use(v.year), use(v.value), use(v.unit),
                use(v.source), use(v.uploaded_by), use(v.uploaded_at);
            ++counts.inserted;
        }
    });
    return counts;
}

std::vector<long long> StatsStore::years(long long district_id, const std::string& indicator) {
    std::vector<long long> out;
    db_.read([&](soci::session& s) {
        long long y = 0;
        soci::statement st = (s.prepare << "SELECT DISTINCT year FROM statistics WHERE district_id = :d "
                                           "AND indicator = :i ORDER BY year",
                              into(y), use(district_id), use(indicator));
        st.execute();
        while (st.fetch()) out.push_back(y);
    });
    return out;
}

std::vector<StatValue> StatsStore::values(long long district_id, const std::string& indicator, long long year) {
    if (year == 0) {
        auto ys = years(district_id, indicator);
        if (ys.empty()) return {};
        year = ys.back();
    }
    std::vector<StatValue> out;
    db_.read([&](soci::session& s) {
        ValueRow row;
        soci::statement st(s);
        row.bind(st);
        st.exchange(use(district_id));
        st.exchange(use(indicator));
        st.exchange(use(year));
        st.alloc();
        st.prepare(std::string("SELECT ") + kValueColumns +
                   " FROM statistics WHERE district_id = :d AND indicator = :i AND year = :y "
                   "ORDER BY COALESCE(dong_id, 0)");
        st.define_and_bind();
        st.execute();
        while (st.fetch()) out.push_back(row.get());
    });
    return out;
}

std::vector<StatValue> StatsStore::series(long long district_id, const std::string& indicator, long long dong_id) {
    std::vector<StatValue> out;
    db_.read([&](soci::session& s) {
        ValueRow row;
        soci::statement st(s);
        row.bind(st);
        st.exchange(use(district_id));
        st.exchange(use(indicator));
        st.exchange(use(dong_id));
        st.alloc();
        st.prepare(std::string("SELECT ") + kValueColumns +
                   " FROM statistics WHERE district_id = :d AND indicator = :i AND COALESCE(dong_id, 0) = :g "
                   "ORDER BY year");
        st.define_and_bind();
        st.execute();
        while (st.fetch()) out.push_back(row.get());
    });
    return out;
}

long long StatsStore::count(long long district_id) {
    long long n = 0;
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM statistics WHERE district_id = :d", into(n), use(district_id);
    });
    return n;
}

}  // namespace dure::catalog
