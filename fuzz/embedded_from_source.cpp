// The fuzz targets are built from a few sources, not the whole dure_core: this gives them the
// embedded files they read (the indicator catalogue) from the source tree instead of the
// generated embedded_data.cpp.
#include <fstream>
#include <sstream>
#include <string>

#include "common/embedded.hpp"

namespace dure::embedded {

const std::vector<File>& files() {
    static const std::string indicators = [] {
        std::ifstream f(DURE_SOURCE_DIR "/data/outreach/indicators.json");
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    }();
    static const std::vector<File> all{{"data/outreach/indicators.json", indicators}};
    return all;
}

}  // namespace dure::embedded
