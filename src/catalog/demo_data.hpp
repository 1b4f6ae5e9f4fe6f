#pragma once
// The demo catalogue: the real national programs of data/catalog/programs.json plus a synthetic,
// deterministic remainder drawn from data/catalog/generator.json, and facilities spread over the
// demo district's dongs. Same seed, same catalogue. Pure: no database, no clock.
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace dure::catalog {

struct DemoDong {
    long long id = 0;
    std::string name;  // Korean, e.g. "은행동"
};

struct DemoDistrict {
    long long id = 0;
    std::string name;  // e.g. "한빛구"
    std::vector<DemoDong> dongs;
    double center_lat = 37.60, center_lon = 127.09;  // where the fictional district is drawn
};

struct DemoCatalog {
    std::vector<Organization> organizations;
    std::vector<Service> services;
    std::vector<Facility> facilities;
};

// Builds the demo catalogue from the JSON texts of programs.json, generator.json and
// taxonomy.json. `today` (YYYY-MM-DD) dates the last verification of the real programs.
// Throws std::runtime_error when a file is malformed.
DemoCatalog generate_demo_catalog(const DemoDistrict& district, std::string_view programs_json,
                                  std::string_view generator_json, std::string_view taxonomy_json,
                                  const std::string& today);

// A plausible GeoJSON FeatureCollection of the district's dong boundaries (a grid of cells
// around the centre; each feature has properties dong_id and name).
std::string demo_dong_geojson(const DemoDistrict& district);

// Deterministic version-4-shaped UUID from a name (so regenerated demo data keeps its ids).
std::string name_uuid(std::string_view name);

}  // namespace dure::catalog
