#pragma once
// The welfare status map's pure logic: checking an uploaded statistics CSV row by row, checking
// and normalizing a GeoJSON FeatureCollection of dong boundaries, and classing dong values for
// a choropleth. No database, no clock, no network.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace dure::catalog {

// A statistic that districts report on (e.g. 65세 이상 인구 비율).
struct Indicator {
    std::string code;  // stable identifier, e.g. "aged_65_share"
    std::string name_ko, name_en;
    std::string unit;  // "%", "명", "가구"
    std::string description;
    std::string source;     // where official figures come from
    std::string aggregate;  // "sum": dong values add up to the district's; "none": they do not
};

// A dong as the map and the CSV name it.
struct StatDong {
    long long id = 0;
    std::string code, name_ko, name_en;
};

// One value: `dong_id` 0 is the whole district.
struct StatValue {
    long long district_id = 0;
    std::string indicator;
    long long dong_id = 0;
    long long year = 0;
    double value = 0;
    std::string unit, source;
    std::string uploaded_by;
    long long uploaded_at = 0;
    long long line = 0;  // CSV line it came from (0 when it did not come from a file)
};

// What the text of an upload is encoded in, as far as the bytes tell.
enum class TextEncoding { utf8, cp949, unknown };

// UTF-8 (with or without BOM) when the bytes are valid UTF-8; cp949 when they read as EUC-KR /
// CP949 double-byte Korean (what Excel in Korea saves "CSV" as); unknown otherwise.
TextEncoding detect_encoding(std::string_view bytes);

// The earliest and latest year a statistic may be about.
inline constexpr long long kFirstStatYear = 1990, kLastStatYear = 2100;
// The dong name that means the whole district in a CSV.
inline constexpr std::string_view kWholeDistrict = "전체";

struct StatUpload {
    std::vector<StatValue> values;    // every row, when `errors` is empty
    std::vector<FieldError> errors;   // field "line 7: value"; any error means nothing is stored
};

// Reads the CSV text of a statistics upload: header `indicator,dong,year,value` and optionally
// `unit,source` (any order, names case-insensitive). `dong` is a dong code, its Korean (or
// English) name, or 전체. Reports every bad row: unknown indicator or dong, year outside
// 1990–2100, a value that is not a finite number, a row repeated in the file. A unit that
// differs from the indicator's is an error; a missing unit takes the indicator's.
StatUpload read_statistics_csv(std::string_view text, const std::vector<Indicator>& indicators,
                               const std::vector<StatDong>& dongs, long long district_id);

// Class breaks for a choropleth. `breaks` are the class edges, lowest first, so class i holds
// values from breaks[i] to breaks[i + 1] (the last class includes its upper edge).
struct ClassBreaks {
    std::string method;  // "quantile"
    std::vector<double> breaks;
    int classes() const { return breaks.size() < 2 ? (breaks.empty() ? 0 : 1) : static_cast<int>(breaks.size()) - 1; }
};

// Quantile classes (equal counts of dongs per class) with at most `classes` classes; fewer
// when values repeat, so no class is empty. Edges are values of the data.
ClassBreaks quantile_breaks(std::vector<double> values, int classes = 5);

// The class index of `v` (0-based); -1 when there are no breaks.
int class_of(const ClassBreaks& b, double v);

// One dong's boundary, as checked GeoJSON geometry text.
struct DongBoundary {
    long long dong_id = 0;
    std::string geometry;  // {"type":"Polygon"|"MultiPolygon","coordinates":[…]}
};

struct BoundaryImport {
    std::vector<DongBoundary> boundaries;  // every feature, when `errors` is empty
    std::vector<FieldError> errors;        // field "features[3].geometry" …
};

// Checks a GeoJSON FeatureCollection of dong boundaries: each feature names its dong by a
// `dong_id` property, or a `code` / `name` (Korean or English) property; geometry is a Polygon
// or MultiPolygon whose rings are closed, have at least four positions and lie within
// longitude −180..180 and latitude −90..90; no dong twice. Reports every bad feature.
BoundaryImport read_dong_boundaries(std::string_view geojson, const std::vector<StatDong>& dongs);

// Finds a dong by code, Korean name or English name (exact, after trimming); nullptr if none.
const StatDong* find_dong(const std::vector<StatDong>& dongs, std::string_view key);

}  // namespace dure::catalog
