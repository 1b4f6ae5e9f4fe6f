#pragma once
// Test fixture: the demo catalogue indexed with the vocabularies the server loads.
#include <map>
#include <string>
#include <vector>

#include "catalog/demo_data.hpp"
#include "catalog/search.hpp"
#include "common/embedded.hpp"

namespace dure::catalog::search_fixture {

inline std::string embedded_text(const char* path) { return std::string(embedded::find(path).value()); }

// The vocabulary the server loads: synonyms, then situations when the file exists.
inline Synonyms server_vocabulary() {
    auto text = embedded_text("data/catalog/synonyms.txt");
    if (auto sit = embedded::find("data/catalog/situations.txt")) text += "\n" + std::string(*sit);
    return Synonyms::parse(text);
}

struct Demo {
    DemoCatalog catalog;
    SearchIndex index{server_vocabulary()};
    std::map<std::string, std::string> code_of;  // service id → program code
    Demo() {
        DemoDistrict d;
        d.id = 1;
        d.name = "한빛구";
        for (long long i = 0; i < 16; ++i) d.dongs.push_back({10 + i, "동" + std::to_string(i + 1)});
        catalog = generate_demo_catalog(d, embedded_text("data/catalog/programs.json"),
                                        embedded_text("data/catalog/generator.json"),
                                        embedded_text("data/catalog/taxonomy.json"), "2026-12-07");
        for (const auto& s : catalog.services) {
            index.upsert(make_search_doc(s));
            code_of[s.id] = s.program_code;
        }
    }
    // Program codes of the first `n` hits (empty string for local services).
    std::vector<std::string> top(const std::string& q, int n = 5) const {
        SearchQuery query;
        query.q = q;
        query.limit = n;
        std::vector<std::string> out;
        for (const auto& h : index.search(query).hits) out.push_back(code_of.at(h.id));
        return out;
    }
};

inline const Demo& demo() {
    static const Demo d;
    return d;
}

}  // namespace dure::catalog::search_fixture
