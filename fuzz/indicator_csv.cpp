// libFuzzer target: the indicator CSV importer (screening::parse_indicator_csv), which reads
// files that institutions upload (`household_key,dong,indicator,value,period`). Any input must
// give a report (rows and line-numbered errors) or a std::exception the upload route turns into
// a problem, never a crash, a leak or undefined behaviour. Every row it accepts must be
// well-formed: a known dong, a catalogue indicator and a finite value.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>

#include "screening/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto& cat = dure::screening::IndicatorCatalog::embedded();
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    auto known = [](const std::string& code) { return code == "1101053" || code == "1101054"; };
    try {
        auto rep = dure::screening::parse_indicator_csv(in, cat, known);
        if (rep.errors.size() > dure::screening::kMaxErrors) std::abort();
        for (const auto& row : rep.rows) {
            if (!known(row.dong_code) || row.household_key.empty() || !std::isfinite(row.value)) std::abort();
        }
    } catch (const std::exception&) {
    }
    return 0;
}
