#include "screening/model.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
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

// Reads lines from a stream through a 1 MB buffer. A line longer than `max` bytes is read and
// dropped (flagged too long), so a hostile file of one endless line costs no memory.
class LineReader {
public:
    LineReader(std::istream& in, std::size_t max) : in_(in), max_(max), buf_(std::max<std::size_t>(1 << 20, 2 * max)) {}

    // The next line without its '\n' (a view valid until the next call); false at the end.
    bool next(std::string_view& line, bool& too_long) {
        too_long = false;
        for (;;) {
            if (const void* nl = std::memchr(buf_.data() + begin_, '\n', end_ - begin_)) {
                auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
                line = std::string_view(buf_.data() + begin_, at - begin_);
                begin_ = at + 1;
                if (discarding_) {  // the end of an overlong line
                    discarding_ = false;
                    too_long = true;
                    line = {};
                }
                return true;
            }
            if (eof_) {
                if (begin_ == end_ && !discarding_) return false;
                line = std::string_view(buf_.data() + begin_, end_ - begin_);
                begin_ = end_;
                if (discarding_) {
                    discarding_ = false;
                    too_long = true;
                    line = {};
                }
                return true;
            }
            if (discarding_ || end_ - begin_ > max_) {  // no '\n' within max bytes: drop what is here
                discarding_ = true;
                begin_ = end_ = 0;
            } else if (begin_ > 0) {
                std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
                end_ -= begin_;
                begin_ = 0;
            }
            in_.read(buf_.data() + end_, static_cast<std::streamsize>(buf_.size() - end_));
            auto got = static_cast<std::size_t>(in_.gcount());
            end_ += got;
            if (got == 0) eof_ = true;
        }
    }

private:
    std::istream& in_;
    std::size_t max_;
    std::vector<char> buf_;
    std::size_t begin_ = 0, end_ = 0;
    bool eof_ = false, discarding_ = false;
};

bool split_csv(std::string_view line, std::vector<std::string>& out) {
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

std::string_view trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string_view::npos ? std::string_view() : s.substr(b, e - b + 1);
}

bool valid_period(std::string_view p) {
    if (p.size() != 7 || p[4] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6})
        if (p[i] < '0' || p[i] > '9') return false;
    int m = (p[5] - '0') * 10 + (p[6] - '0');
    int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    return m >= 1 && m <= 12 && y >= 2000 && y <= 2100;
}

// Cuts a line into fields: views into the line when it has no quotes, else views into `owned`
// (quoted fields are unescaped there). False for an unterminated quote.
bool split_fields(std::string_view line, std::vector<std::string>& owned, std::vector<std::string_view>& out) {
    out.clear();
    if (line.find('"') == std::string_view::npos) {
        for (std::size_t start = 0;;) {
            auto end = line.find(',', start);
            out.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
            if (end == std::string_view::npos) return true;
            start = end + 1;
        }
    }
    if (!split_csv(line, owned)) return false;
    out.assign(owned.begin(), owned.end());
    return true;
}

// Rows about the same household, indicator and period as an earlier row are errors naming that
// row's line, and leave the list. Found by sorting (hash, row) pairs, which reads memory in order
// (a hash table probed per row costs a cache miss per row on 400,000 rows); the errors are merged
// into the report in line order.
void drop_duplicates(ParseReport& rep, const std::vector<long long>& line_of) {
    auto& rows = rep.rows;
    auto hash_of = [](const IndicatorRow& r) {
        std::size_t h = std::hash<std::string_view>{}(r.household_key);
        h ^= std::hash<std::string_view>{}(r.indicator) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h ^= std::hash<std::string_view>{}(r.period) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        return h;
    };
    std::vector<std::pair<std::size_t, std::uint32_t>> by_hash(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) by_hash[i] = {hash_of(rows[i]), static_cast<std::uint32_t>(i)};
    std::sort(by_hash.begin(), by_hash.end());
    std::vector<std::pair<long long, long long>> dups;  // (line, line of the first such row)
    std::vector<char> drop(rows.size(), 0);
    for (std::size_t g = 0; g < by_hash.size();) {
        std::size_t end = g + 1;
        while (end < by_hash.size() && by_hash[end].first == by_hash[g].first) ++end;
        // Within a group (rows in file order), a row equal to an earlier kept row is a duplicate.
        for (std::size_t i = g + 1; i < end; ++i) {
            const auto& r = rows[by_hash[i].second];
            for (std::size_t j = g; j < i; ++j) {
                const auto& first = rows[by_hash[j].second];
                if (!drop[by_hash[j].second] && first.household_key == r.household_key && first.indicator == r.indicator &&
                    first.period == r.period) {
                    drop[by_hash[i].second] = 1;
                    dups.emplace_back(line_of[by_hash[i].second], line_of[by_hash[j].second]);
                    break;
                }
            }
        }
        g = end;
    }
    if (dups.empty()) return;
    std::sort(dups.begin(), dups.end());
    std::size_t kept = 0;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (!drop[i]) {
            if (kept != i) rows[kept] = std::move(rows[i]);
            ++kept;
        }
    rows.resize(kept);
    // Merge, in line order, the errors listed so far (already in line order) with these.
    std::vector<RowError> merged;
    std::size_t e = 0, d = 0;
    while (merged.size() < kMaxErrors && (e < rep.errors.size() || d < dups.size())) {
        if (d == dups.size() || (e < rep.errors.size() && rep.errors[e].line <= dups[d].first)) {
            merged.push_back(std::move(rep.errors[e++]));
        } else {
            merged.push_back({dups[d].first, "", "the same household, indicator and period as line " +
                                                     std::to_string(dups[d].second), "duplicate"});
            ++d;
        }
    }
    rep.errors = std::move(merged);
    rep.error_count += static_cast<long long>(dups.size());
}

}  // namespace

ParseReport parse_indicator_csv(std::istream& in, const IndicatorCatalog& cat,
                                const std::function<bool(const std::string&)>& known_dong,
                                const std::function<void(long long)>& progress) {
    ParseReport rep;
    auto error = [&](long long line, std::string field, std::string msg, std::string code) {
        ++rep.error_count;
        if (rep.errors.size() < kMaxErrors) rep.errors.push_back({line, std::move(field), std::move(msg), std::move(code)});
    };
    std::string_view line;
    std::vector<std::string> owned;
    std::vector<std::string_view> f;
    std::vector<long long> line_of;  // the line each accepted row came from
    bool header = false;
    // Room for the rows a seekable input (a file, a request body) can hold: about one per 24 bytes.
    if (auto here = in.tellg(); here != std::istream::pos_type(-1)) {
        in.seekg(0, std::ios::end);
        auto end = in.tellg();
        in.seekg(here);
        if (end != std::istream::pos_type(-1) && end > here) {
            auto expect = static_cast<std::size_t>(std::min<long long>(kMaxRows, (end - here) / 24));
            rep.rows.reserve(expect);
            line_of.reserve(expect);
        }
    }
    // Most files list one dong for many rows in a row: the last answer is kept.
    std::string last_dong;
    bool last_dong_known = false;
    LineReader reader(in, 4097);  // 4,096 bytes and a '\r'
    bool too_long = false;
    while (reader.next(line, too_long)) {
        ++rep.lines;
        if (progress && rep.lines % 100000 == 0) progress(rep.lines);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (rep.lines == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
        if (too_long || line.size() > 4096) {
            if (!header) {
                error(rep.lines, "", "the first line is longer than 4,096 bytes: expected the header "
                                     "household_key,dong,indicator,value,period", "bad_header");
                break;
            }
            error(rep.lines, "", "the line is longer than 4,096 bytes", "too_long");
            continue;
        }
        if (auto bad = invalid_utf8(line); bad != std::string_view::npos) {
            auto c = static_cast<unsigned char>(line[bad]);
            error(rep.lines, "", c >= 0x81 && c <= 0xFE ? "not UTF-8 (this looks like CP949/EUC-KR): save the file as UTF-8"
                                                        : "not UTF-8 at byte " + std::to_string(bad + 1),
                  c >= 0x81 && c <= 0xFE ? "not_utf8_cp949" : "not_utf8");
            if (!header) break;  // the header is unreadable: nothing else will be
            continue;
        }
        if (!header) {
            if (!split_fields(line, owned, f) || f.size() != 5 || trim(f[0]) != "household_key" || trim(f[1]) != "dong" ||
                trim(f[2]) != "indicator" || trim(f[3]) != "value" || trim(f[4]) != "period") {
                error(rep.lines, "", "the first line must be the header household_key,dong,indicator,value,period", "bad_header");
                break;
            }
            header = true;
            continue;
        }
        if (trim(line).empty()) continue;
        if (static_cast<long long>(rep.rows.size()) >= kMaxRows) {
            error(rep.lines, "", "more than 2,000,000 rows: split the file", "too_many_rows");
            break;
        }
        if (!split_fields(line, owned, f) || f.size() != 5) {
            error(rep.lines, "", "expected 5 comma-separated fields", "field_count");
            continue;
        }
        std::string_view key = trim(f[0]), dong = trim(f[1]), indicator = trim(f[2]), value = trim(f[3]),
                         period = trim(f[4]);
        bool ok = true;
        if (key.empty() || key.size() > 64) {
            error(rep.lines, "household_key", "required, at most 64 characters", "household_key");
            ok = false;
        }
        if (dong != last_dong || last_dong.empty()) {
            last_dong.assign(dong);
            last_dong_known = known_dong(last_dong);
        }
        if (!last_dong_known) {
            error(rep.lines, "dong", "not a dong code of this district: " + std::string(dong.substr(0, 40)), "unknown_dong");
            ok = false;
        }
        int code = cat.index(indicator);
        if (code < 0) {
            error(rep.lines, "indicator", "not an indicator code: " + std::string(indicator.substr(0, 40)), "unknown_indicator");
            ok = false;
        }
        double v = 0;
        {
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (value.empty() || ec != std::errc() || end != value.data() + value.size() || !std::isfinite(v) || v < 0 ||
                v > 1e12) {
                error(rep.lines, "value", "a number from 0 to 1,000,000,000,000", "bad_value");
                ok = false;
            }
        }
        if (!valid_period(period)) {
            error(rep.lines, "period", "a month as YYYY-MM", "bad_period");
            ok = false;
        }
        if (!ok) continue;
        rep.rows.push_back({std::string(key), std::string(dong), cat.all()[static_cast<std::size_t>(code)].code,
                            std::string(period), v});
        line_of.push_back(rep.lines);
    }
    drop_duplicates(rep, line_of);
    if (!header && rep.error_count == 0) error(1, "", "the file is empty: expected the header household_key,dong,indicator,value,period", "empty");
    return rep;
}

}  // namespace dure::screening
