#include "screening/model.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include "common/embedded.hpp"

namespace dure::screening {

namespace json = boost::json;

IndicatorCatalog IndicatorCatalog::parse(std::string_view text) {
    IndicatorCatalog c;
    auto v = json::parse(text);
    const auto& o = v.as_object();
    c.bias_ = o.at("bias").to_number<double>();
    for (const auto& e : o.at("indicators").as_array()) {
        const auto& io = e.as_object();
        Indicator i{std::string(io.at("code").as_string()), std::string(io.at("label_ko").as_string()),
                    std::string(io.at("label_en").as_string()), std::string(io.at("agency").as_string()),
                    io.at("weight").to_number<double>()};
        if (c.by_code_.count(i.code)) throw std::runtime_error("indicators.json: " + i.code + " twice");
        c.by_code_[i.code] = static_cast<int>(c.items_.size());
        c.items_.push_back(std::move(i));
    }
    if (c.items_.size() > 64) throw std::runtime_error("indicators.json: at most 64 indicators");
    return c;
}

const IndicatorCatalog& IndicatorCatalog::embedded() {
    static const IndicatorCatalog c = parse(*dure::embedded::find("data/outreach/indicators.json"));
    return c;
}

int IndicatorCatalog::index(std::string_view code) const {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? -1 : it->second;
}

Model Model::defaults(const IndicatorCatalog& c) {
    Model m;
    m.bias = c.default_bias();
    for (const auto& i : c.all()) m.weights.push_back(i.weight);
    return m;
}

double score(const Model& m, std::uint64_t flags) {
    double z = m.bias;
    while (flags) {
        int i = __builtin_ctzll(flags);
        flags &= flags - 1;
        if (static_cast<std::size_t>(i) < m.weights.size()) z += m.weights[i];
    }
    return 1 / (1 + std::exp(-z));
}

std::vector<std::pair<int, double>> contributions(const Model& m, std::uint64_t flags) {
    std::vector<std::pair<int, double>> out;
    for (std::size_t i = 0; i < m.weights.size(); ++i)
        if (flags >> i & 1u) out.emplace_back(static_cast<int>(i), m.weights[i]);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    return out;
}

std::map<long long, std::vector<Scored>> rank_by_dong(const Model& m, const std::vector<HouseholdSignals>& hs,
                                                       std::size_t per_dong, double min_score) {
    std::map<long long, std::vector<Scored>> out;
    for (std::size_t i = 0; i < hs.size(); ++i) {
        double s = score(m, hs[i].flags);
        if (s >= min_score) out[hs[i].dong_id].push_back({static_cast<std::uint32_t>(i), s});
    }
    for (auto& [dong, list] : out) {
        auto cmp = [&](const Scored& a, const Scored& b) {
            return a.score != b.score ? a.score > b.score : hs[a.household].hash < hs[b.household].hash;
        };
        if (list.size() > per_dong) {
            std::partial_sort(list.begin(), list.begin() + static_cast<long>(per_dong), list.end(), cmp);
            list.resize(per_dong);
        } else {
            std::sort(list.begin(), list.end(), cmp);
        }
    }
    return out;
}

Model recalibrate(const Model& start, const std::vector<std::pair<std::uint64_t, int>>& outcomes, int iterations,
                  double rate, double l2) {
    Model m = start;
    if (outcomes.empty()) return m;
    const std::size_t k = m.weights.size();
    const double n = static_cast<double>(outcomes.size());
    std::vector<double> grad(k);
    for (int it = 0; it < iterations; ++it) {
        std::fill(grad.begin(), grad.end(), 0.0);
        double gb = 0;
        for (const auto& [flags, y] : outcomes) {
            double err = score(m, flags) - y;
            gb += err;
            for (std::uint64_t f = flags; f;) {
                int i = __builtin_ctzll(f);
                f &= f - 1;
                if (static_cast<std::size_t>(i) < k) grad[i] += err;
            }
        }
        m.bias -= rate * gb / n;
        // Pull towards the starting (documented) weights, not towards zero: with few outcomes the
        // model stays close to what the catalogue says.
        for (std::size_t i = 0; i < k; ++i) m.weights[i] -= rate * (grad[i] / n + l2 * (m.weights[i] - start.weights[i]));
    }
    m.version = start.version + 1;
    m.trained_on = static_cast<long long>(outcomes.size());
    return m;
}

// ---- CSV ----
namespace {

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || i + n >= s.size()) return i;
        for (int k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return i;
        i += n + 1;
    }
    return std::string_view::npos;
}

// Like std::getline, but keeps at most `max` bytes of a line (the rest is read and dropped), so a
// hostile file of one endless line costs no memory. False at the end of the input.
bool read_bounded_line(std::istream& in, std::string& line, std::size_t max, bool& too_long) {
    line.clear();
    too_long = false;
    auto* sb = in.rdbuf();
    if (!sb) return false;
    bool any = false;
    for (;;) {
        int c = sb->sbumpc();
        if (c == std::char_traits<char>::eof()) {
            in.setstate(std::ios::eofbit);
            return any;
        }
        any = true;
        if (c == '\n') return true;
        if (line.size() < max)
            line.push_back(static_cast<char>(c));
        else
            too_long = true;
    }
}

bool split_csv(std::string_view line, std::vector<std::string>& out) {
    // Most lines have no quotes: cut at the commas, reusing the field strings' buffers.
    if (line.find('"') == std::string_view::npos) {
        std::size_t k = 0, start = 0;
        for (;;) {
            auto end = line.find(',', start);
            auto piece = line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
            if (k < out.size())
                out[k].assign(piece);
            else
                out.emplace_back(piece);
            ++k;
            if (end == std::string_view::npos) break;
            start = end + 1;
        }
        out.resize(k);
        return true;
    }
    out.clear();
    std::string cur;
    bool quoted = false, was_quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < line.size() && line[i + 1] == '"') {
                    cur += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cur += c;
            }
        } else if (c == '"' && cur.empty() && !was_quoted) {
            quoted = was_quoted = true;
        } else if (c == ',') {
            out.push_back(std::move(cur));
            cur.clear();
            was_quoted = false;
        } else {
            cur += c;
        }
    }
    if (quoted) return false;
    out.push_back(std::move(cur));
    return true;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

bool valid_period(const std::string& p) {
    if (p.size() != 7 || p[4] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6})
        if (p[i] < '0' || p[i] > '9') return false;
    int m = (p[5] - '0') * 10 + (p[6] - '0'), y = std::stoi(p.substr(0, 4));
    return m >= 1 && m <= 12 && y >= 2000 && y <= 2100;
}

}  // namespace

ParseReport parse_indicator_csv(std::istream& in, const IndicatorCatalog& cat,
                                const std::function<bool(const std::string&)>& known_dong,
                                const std::function<void(long long)>& progress) {
    ParseReport rep;
    auto error = [&](long long line, std::string field, std::string msg) {
        ++rep.error_count;
        if (rep.errors.size() < kMaxErrors) rep.errors.push_back({line, std::move(field), std::move(msg)});
    };
    std::string line;
    std::vector<std::string> f;
    // Rows seen so far by (household, indicator, period): an open-addressing table of row
    // indices (+1; 0 is empty), so the duplicate check allocates nothing per row.
    std::vector<std::uint32_t> seen(1 << 16, 0);
    std::vector<long long> line_of;  // the line each accepted row came from
    auto row_hash = [](const IndicatorRow& r) {
        std::size_t h = std::hash<std::string_view>{}(r.household_key);
        h ^= std::hash<std::string_view>{}(r.indicator) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h ^= std::hash<std::string_view>{}(r.period) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        return h;
    };
    auto same = [](const IndicatorRow& a, const IndicatorRow& b) {
        return a.household_key == b.household_key && a.indicator == b.indicator && a.period == b.period;
    };
    auto slot_of = [&](const IndicatorRow& r) -> std::uint32_t& {
        std::size_t mask = seen.size() - 1, i = row_hash(r) & mask;
        while (seen[i] && !same(rep.rows[seen[i] - 1], r)) i = (i + 1) & mask;
        return seen[i];
    };
    auto grow = [&] {
        std::vector<std::uint32_t> old(seen.size() * 2, 0);
        old.swap(seen);
        for (auto v : old)
            if (v) slot_of(rep.rows[v - 1]) = v;
    };
    bool header = false;
    // Room for the rows a seekable input (a file, a request body) can hold: about one per 24 bytes.
    if (auto here = in.tellg(); here != std::istream::pos_type(-1)) {
        in.seekg(0, std::ios::end);
        auto end = in.tellg();
        in.seekg(here);
        if (end != std::istream::pos_type(-1) && end > here)
            rep.rows.reserve(static_cast<std::size_t>(std::min<long long>(kMaxRows, (end - here) / 24)));
    }
    bool too_long = false;
    while (read_bounded_line(in, line, 4100, too_long)) {
        ++rep.lines;
        if (progress && rep.lines % 100000 == 0) progress(rep.lines);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (rep.lines == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
        if (too_long || line.size() > 4096) {
            if (!header) {
                error(rep.lines, "", "the first line is longer than 4,096 bytes: expected the header "
                                     "household_key,dong,indicator,value,period");
                break;
            }
            error(rep.lines, "", "the line is longer than 4,096 bytes");
            continue;
        }
        if (auto bad = invalid_utf8(line); bad != std::string_view::npos) {
            auto c = static_cast<unsigned char>(line[bad]);
            error(rep.lines, "", c >= 0x81 && c <= 0xFE ? "not UTF-8 (this looks like CP949/EUC-KR): save the file as UTF-8"
                                                        : "not UTF-8 at byte " + std::to_string(bad + 1));
            if (!header) break;  // the header is unreadable: nothing else will be
            continue;
        }
        if (!header) {
            if (!split_csv(line, f) || f.size() != 5 || trim(f[0]) != "household_key" || trim(f[1]) != "dong" ||
                trim(f[2]) != "indicator" || trim(f[3]) != "value" || trim(f[4]) != "period") {
                error(rep.lines, "", "the first line must be the header household_key,dong,indicator,value,period");
                break;
            }
            header = true;
            continue;
        }
        if (trim(line).empty()) continue;
        if (static_cast<long long>(rep.rows.size()) >= kMaxRows) {
            error(rep.lines, "", "more than 2,000,000 rows: split the file");
            break;
        }
        if (!split_csv(line, f) || f.size() != 5) {
            error(rep.lines, "", "expected 5 comma-separated fields");
            continue;
        }
        IndicatorRow r{trim(f[0]), trim(f[1]), trim(f[2]), trim(f[4]), 0};
        bool ok = true;
        if (r.household_key.empty() || r.household_key.size() > 64) {
            error(rep.lines, "household_key", "required, at most 64 characters");
            ok = false;
        }
        if (!known_dong(r.dong_code)) {
            error(rep.lines, "dong", "not a dong code of this district: " + r.dong_code.substr(0, 40));
            ok = false;
        }
        if (cat.index(r.indicator) < 0) {
            error(rep.lines, "indicator", "not an indicator code: " + r.indicator.substr(0, 40));
            ok = false;
        }
        std::string value = trim(f[3]);
        try {
            std::size_t used = 0;
            r.value = std::stod(value, &used);
            if (used != value.size() || !std::isfinite(r.value) || r.value < 0 || r.value > 1e12) throw std::invalid_argument("");
        } catch (...) {
            error(rep.lines, "value", "a number from 0 to 1,000,000,000,000");
            ok = false;
        }
        if (!valid_period(r.period)) {
            error(rep.lines, "period", "a month as YYYY-MM");
            ok = false;
        }
        if (!ok) continue;
        if (auto& slot = slot_of(r); slot) {
            error(rep.lines, "", "the same household, indicator and period as line " + std::to_string(line_of[slot - 1]));
            continue;
        }
        rep.rows.push_back(std::move(r));
        line_of.push_back(rep.lines);
        if (rep.rows.size() * 2 > seen.size()) grow();
        slot_of(rep.rows.back()) = static_cast<std::uint32_t>(rep.rows.size());
    }
    if (!header && rep.error_count == 0) error(1, "", "the file is empty: expected the header household_key,dong,indicator,value,period");
    return rep;
}

}  // namespace dure::screening
