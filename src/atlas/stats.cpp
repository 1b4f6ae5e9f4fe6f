#include "atlas/stats.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <tuple>

#include "catalog/hsds.hpp"
#include "common/text.hpp"

namespace dure::catalog {

namespace json = boost::json;

namespace {

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    if (n == 2 && c < 0xC2) return 0;  // overlong
    for (std::size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    if (n == 3) {
        auto d = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d >= 0xA0)) return 0;  // overlong, surrogate
    }
    if (n == 4) {
        auto d = static_cast<unsigned char>(s[i + 1]);
        if ((c == 0xF0 && d < 0x90) || c > 0xF4 || (c == 0xF4 && d >= 0x90)) return 0;
    }
    return n;
}

// A decimal number as people type it in a spreadsheet: optional sign, digits with an optional
// fraction, and thousands separators only in their proper places ("12,345.6").
std::optional<double> parse_number(const std::string& text) {
    std::string s = trim(text);
    if (s.empty() || s.size() > 40) return std::nullopt;
    std::string plain;
    std::size_t i = 0;
    if (s[0] == '-' || s[0] == '+') plain += s[i++];
    std::size_t int_start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',')) ++i;
    std::string int_part = s.substr(int_start, i - int_start);
    if (int_part.find(',') != std::string::npos) {
        // Groups of three after the first group of one to three digits.
        auto first = int_part.find(',');
        if (first == 0 || first > 3) return std::nullopt;
        for (std::size_t p = first; p < int_part.size(); p += 4)
            if (int_part[p] != ',' || p + 4 > int_part.size() ||
                int_part.substr(p + 1, 3).find(',') != std::string::npos)
                return std::nullopt;
        int_part.erase(std::remove(int_part.begin(), int_part.end(), ','), int_part.end());
    }
    plain += int_part;
    if (i < s.size() && s[i] == '.') {
        plain += s[i++];
        std::size_t f = i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) plain += s[i++];
        if (i == f) return std::nullopt;
    }
    if (i != s.size() || int_part.empty()) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(plain.c_str(), &end);
    if (end != plain.c_str() + plain.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<double> number_of(const json::value& v) {
    if (v.is_double()) return v.as_double();
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    return std::nullopt;
}

}  // namespace

TextEncoding detect_encoding(std::string_view s) {
    bool utf8 = true;
    for (std::size_t i = 0; i < s.size();) {
        auto n = utf8_sequence(s, i);
        if (n == 0) {
            utf8 = false;
            break;
        }
        i += n;
    }
    if (utf8) return TextEncoding::utf8;
    // CP949 (a superset of EUC-KR): a lead byte 0x81–0xFE and a trail byte 0x41–0x5A,
    // 0x61–0x7A or 0x81–0xFE; ASCII stands alone.
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c < 0x81 || c == 0xFF || i + 1 >= s.size()) return TextEncoding::unknown;
        auto t = static_cast<unsigned char>(s[i + 1]);
        bool trail = (t >= 0x41 && t <= 0x5A) || (t >= 0x61 && t <= 0x7A) || (t >= 0x81 && t <= 0xFE);
        if (!trail) return TextEncoding::unknown;
        i += 2;
    }
    return TextEncoding::cp949;
}

const StatDong* find_dong(const std::vector<StatDong>& dongs, std::string_view key_in) {
    std::string key = trim(key_in);
    if (key.empty()) return nullptr;
    for (const auto& d : dongs)
        if (d.code == key || d.name_ko == key) return &d;
    std::string low = lower(key);
    for (const auto& d : dongs)
        if (!d.name_en.empty() && lower(d.name_en) == low) return &d;
    return nullptr;
}

StatUpload read_statistics_csv(std::string_view text, const std::vector<Indicator>& indicators,
                               const std::vector<StatDong>& dongs, long long district_id) {
    StatUpload out;
    auto error = [&](long long line, const std::string& field, std::string code, std::string message) {
        out.errors.push_back({"line " + std::to_string(line) + (field.empty() ? "" : ": " + field), std::move(code),
                              std::move(message)});
    };
    std::vector<CsvRow> rows;
    try {
        rows = parse_csv(text);
    } catch (const std::exception& e) {
        std::string msg = e.what();
        long long line = std::atoll(msg.c_str() + (msg.starts_with("line ") ? 5 : 0));
        auto colon = msg.find(": ");
        error(line ? line : 1, "", "malformed_csv", colon == std::string::npos ? msg : msg.substr(colon + 2));
        return out;
    }
    if (rows.empty()) {
        error(1, "", "empty", "the file is empty: the first line must be the header indicator,dong,year,value");
        return out;
    }

    // Header: column name -> position.
    std::map<std::string, std::size_t> col;
    const auto& header = rows[0];
    for (std::size_t i = 0; i < header.cells.size(); ++i) {
        std::string name = lower(trim(header.cells[i]));
        if (name != "indicator" && name != "dong" && name != "year" && name != "value" && name != "unit" &&
            name != "source") {
            error(header.line, name.empty() ? "column " + std::to_string(i + 1) : name, "unknown_column",
                  "columns are indicator, dong, year, value and optionally unit, source");
            continue;
        }
        if (!col.emplace(name, i).second) error(header.line, name, "duplicate_column", "this column is named twice");
    }
    for (const char* required : {"indicator", "dong", "year", "value"})
        if (!col.count(required)) error(header.line, required, "missing_column", "the header has no " + std::string(required) + " column");
    if (!out.errors.empty()) return out;
    if (rows.size() == 1) {
        error(header.line, "", "empty", "the file has a header but no rows");
        return out;
    }

    std::map<std::string, const Indicator*> by_code;
    for (const auto& ind : indicators) by_code[ind.code] = &ind;
    // (indicator, dong, year) -> line, to find rows repeated in the file.
    std::map<std::tuple<std::string, long long, long long>, long long> seen;

    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        long long line = row.line;
        if (row.cells.size() != header.cells.size()) {
            error(line, "", "wrong_field_count",
                  "expected " + std::to_string(header.cells.size()) + " fields, found " + std::to_string(row.cells.size()));
            continue;
        }
        auto cell = [&](const char* name) -> std::string {
            auto it = col.find(name);
            return it == col.end() ? std::string() : trim(row.cells[it->second]);
        };
        std::size_t before = out.errors.size();
        StatValue v;
        v.district_id = district_id;
        v.line = line;

        const Indicator* ind = nullptr;
        std::string code = cell("indicator");
        if (code.empty()) error(line, "indicator", "required", "an indicator code is required");
        else if (auto it = by_code.find(code); it == by_code.end())
            error(line, "indicator", "unknown_indicator", "no indicator \"" + code.substr(0, 60) + "\": see GET /api/v1/statistics/indicators");
        else ind = it->second;
        v.indicator = code;

        std::string dong = cell("dong");
        bool dong_ok = true;
        if (dong.empty()) {
            error(line, "dong", "required", "a dong code or name, or 전체 for the whole district");
            dong_ok = false;
        } else if (dong == kWholeDistrict) {
            v.dong_id = 0;
        } else if (const StatDong* d = find_dong(dongs, dong)) {
            v.dong_id = d->id;
        } else {
            error(line, "dong", "unknown_dong", "no dong \"" + dong.substr(0, 60) + "\" in this district (code, Korean name or 전체)");
            dong_ok = false;
        }

        std::string year = cell("year");
        bool year_ok = false;
        if (year.empty()) {
            error(line, "year", "required", "a year is required");
        } else if (year.size() > 4 || year.find_first_not_of("0123456789") != std::string::npos ||
                   std::stoll(year) < kFirstStatYear || std::stoll(year) > kLastStatYear) {
            error(line, "year", "out_of_range", "a year from 1990 to 2100");
        } else {
            v.year = std::stoll(year);
            year_ok = true;
        }

        std::string value = cell("value");
        if (value.empty()) error(line, "value", "required", "a value is required");
        else if (auto n = parse_number(value)) v.value = *n;
        else error(line, "value", "not_a_number", "a number such as 12.5 or 1,234");

        v.unit = cell("unit");
        if (ind) {
            if (v.unit.empty()) v.unit = ind->unit;
            else if (v.unit != ind->unit)
                error(line, "unit", "unit_mismatch", "the indicator " + ind->code + " is measured in " + ind->unit);
            if (ind->unit == "%" && (v.value < 0 || v.value > 100) && !value.empty() && parse_number(value))
                error(line, "value", "out_of_range", "a share from 0 to 100");
            else if (ind->aggregate == "sum" && v.value < 0)
                error(line, "value", "out_of_range", "a count cannot be negative");
        }
        v.source = cell("source");
        if (utf8_length(v.source) > 500) error(line, "source", "too_long", "at most 500 characters");
        for (const char* name : {"indicator", "dong", "unit", "source"})
            if (has_control_chars(cell(name))) error(line, name, "control_characters", "control characters are not allowed");

        if (ind && dong_ok && year_ok) {
            auto [it, fresh] = seen.emplace(std::make_tuple(v.indicator, v.dong_id, v.year), line);
            if (!fresh)
                error(line, "dong", "duplicate_row",
                      "the same indicator, dong and year as line " + std::to_string(it->second));
        }
        if (out.errors.size() == before) out.values.push_back(std::move(v));
    }
    if (!out.errors.empty()) out.values.clear();
    return out;
}

ClassBreaks quantile_breaks(std::vector<double> values, int classes) {
    ClassBreaks b;
    b.method = "quantile";
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
    if (values.empty() || classes < 1) return b;
    std::sort(values.begin(), values.end());
    std::size_t n = values.size();
    std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(classes), n);
    b.breaks.push_back(values.front());
    for (std::size_t i = 1; i < k; ++i) {
        double edge = values[i * n / k];
        if (edge > b.breaks.back()) b.breaks.push_back(edge);
    }
    // The top edge closes the last class; it may equal the last inner edge (a class of the
    // maximum alone), which still holds a value.
    b.breaks.push_back(values.back());
    return b;
}

int class_of(const ClassBreaks& b, double v) {
    int k = b.classes();
    if (k == 0) return -1;
    int c = 0;
    for (int i = 1; i < k; ++i)
        if (v >= b.breaks[static_cast<std::size_t>(i)]) c = i;
    return c;
}

BoundaryImport read_dong_boundaries(std::string_view text, const std::vector<StatDong>& dongs) {
    BoundaryImport out;
    auto error = [&](std::string field, std::string code, std::string message) {
        out.errors.push_back({std::move(field), std::move(code), std::move(message)});
    };
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec) {
        error("body", "not_json", "the body is not JSON: " + ec.message());
        return out;
    }
    if (!doc.is_object() || !doc.as_object().contains("type") || doc.at("type") != "FeatureCollection") {
        error("type", "not_a_feature_collection", "the body must be a GeoJSON FeatureCollection");
        return out;
    }
    const auto* features = doc.as_object().if_contains("features");
    if (!features || !features->is_array()) {
        error("features", "required", "a FeatureCollection has a features array");
        return out;
    }
    if (features->as_array().empty()) {
        error("features", "empty", "at least one feature");
        return out;
    }
    std::map<long long, std::size_t> seen;  // dong id -> feature index
    const auto& list = features->as_array();
    for (std::size_t fi = 0; fi < list.size(); ++fi) {
        std::string at = "features[" + std::to_string(fi) + "]";
        std::size_t before = out.errors.size();
        const auto& f = list[fi];
        if (!f.is_object() || !f.as_object().contains("type") || f.at("type") != "Feature") {
            error(at, "not_a_feature", "each element of features is a GeoJSON Feature");
            continue;
        }
        // Which dong: dong_id, else code, else name / name_ko / name_en.
        const StatDong* dong = nullptr;
        const auto* props = f.as_object().if_contains("properties");
        if (!props || !props->is_object()) {
            error(at + ".properties", "required", "properties name the dong (dong_id, code or name)");
        } else {
            const auto& p = props->as_object();
            std::string label;
            bool id_bad = false;
            if (const auto* id = p.if_contains("dong_id"); id && !id->is_null()) {
                if (!id->is_int64()) {
                    error(at + ".properties.dong_id", "not_an_integer", "dong_id is an integer");
                    id_bad = true;
                } else {
                    for (const auto& d : dongs)
                        if (d.id == id->as_int64()) dong = &d;
                    label = "dong_id " + std::to_string(id->as_int64());
                }
            } else {
                for (const char* key : {"code", "name", "name_ko", "name_en"}) {
                    const auto* v = p.if_contains(key);
                    if (!v || !v->is_string()) continue;
                    label = std::string(v->as_string()).substr(0, 60);
                    dong = find_dong(dongs, v->as_string());
                    if (dong) break;
                }
            }
            if (!dong && !id_bad) {
                if (label.empty())
                    error(at + ".properties", "required", "name the dong with dong_id, code or name");
                else
                    error(at + ".properties", "unknown_dong", label + " is not a dong of this district");
            }
            if (dong) {
                auto [it, fresh] = seen.emplace(dong->id, fi);
                if (!fresh)
                    error(at + ".properties", "duplicate_dong",
                          dong->name_ko + " already has a boundary in features[" + std::to_string(it->second) + "]");
            }
        }

        // Geometry: Polygon or MultiPolygon with closed rings in range; normalized to [lon, lat].
        const auto* geom = f.as_object().if_contains("geometry");
        std::string gat = at + ".geometry";
        if (!geom || !geom->is_object()) {
            error(gat, "required", "a Polygon or MultiPolygon geometry");
            continue;
        }
        const auto* type = geom->as_object().if_contains("type");
        const auto* coords = geom->as_object().if_contains("coordinates");
        bool multi = type && *type == "MultiPolygon";
        if (!type || (!multi && *type != "Polygon")) {
            error(gat + ".type", "unsupported_geometry", "Polygon or MultiPolygon");
            continue;
        }
        if (!coords || !coords->is_array() || coords->as_array().empty()) {
            error(gat + ".coordinates", "required", "an array of rings");
            continue;
        }
        auto check_polygon = [&](const json::value& poly, const std::string& pat) -> json::array {
            json::array rings_out;
            if (!poly.is_array() || poly.as_array().empty()) {
                error(pat, "not_a_polygon", "a polygon is a non-empty array of linear rings");
                return rings_out;
            }
            const auto& rings = poly.as_array();
            for (std::size_t ri = 0; ri < rings.size(); ++ri) {
                std::string rat = pat + "[" + std::to_string(ri) + "]";
                if (!rings[ri].is_array() || rings[ri].as_array().size() < 4) {
                    error(rat, "ring_too_short", "a linear ring has at least four positions");
                    continue;
                }
                json::array ring_out;
                bool ok = true;
                const auto& ring = rings[ri].as_array();
                for (std::size_t pi = 0; pi < ring.size() && ok; ++pi) {
                    const auto& pos = ring[pi];
                    std::optional<double> lon, lat;
                    if (pos.is_array() && pos.as_array().size() >= 2 && pos.as_array().size() <= 3) {
                        lon = number_of(pos.as_array()[0]);
                        lat = number_of(pos.as_array()[1]);
                    }
                    if (!lon || !lat) {
                        error(rat + "[" + std::to_string(pi) + "]", "not_a_position", "a position is [longitude, latitude]");
                        ok = false;
                    } else if (*lon < -180 || *lon > 180 || *lat < -90 || *lat > 90) {
                        error(rat + "[" + std::to_string(pi) + "]", "out_of_range",
                              "longitude −180..180 and latitude −90..90 (WGS 84, longitude first)");
                        ok = false;
                    } else {
                        ring_out.push_back(json::array{*lon, *lat});
                    }
                }
                if (!ok) continue;
                if (ring_out.front() != ring_out.back()) {
                    error(rat, "ring_not_closed", "the last position of a ring repeats the first");
                    continue;
                }
                rings_out.push_back(std::move(ring_out));
            }
            return rings_out;
        };
        json::array coords_out;
        std::string cat = gat + ".coordinates";
        if (multi) {
            const auto& polys = coords->as_array();
            for (std::size_t pi = 0; pi < polys.size(); ++pi)
                coords_out.push_back(check_polygon(polys[pi], cat + "[" + std::to_string(pi) + "]"));
        } else {
            coords_out = check_polygon(*coords, cat);
        }
        if (out.errors.size() == before && dong)
            out.boundaries.push_back(
                {dong->id, json::serialize(json::object{{"type", multi ? "MultiPolygon" : "Polygon"},
                                                        {"coordinates", std::move(coords_out)}})});
    }
    if (!out.errors.empty()) out.boundaries.clear();
    return out;
}

}  // namespace dure::catalog
