// Search quality: the resident queries of tests/search/queries.json against the demo catalogue
// (56 national programs + generated local services), with the synonym and situation vocabularies
// of data/catalog/. Prints each miss with what came first instead, then the hit rate
// (target >= 90 %: every expected program in the top five).
//
//   ninja -C build search_quality && build/search_quality [path/to/queries.json]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "catalog/demo_data.hpp"
#include "catalog/search.hpp"
#include "catalog/search_quality.hpp"
#include "common/embedded.hpp"

int main(int argc, char** argv) {
    using namespace dure::catalog;
    std::string path = argc > 1 ? argv[1] : std::string(DURE_SOURCE_DIR) + "/tests/search/queries.json";
    std::ifstream in(path);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 2;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto cases = parse_quality_cases(buf.str());

    auto text = [](const char* p) { return std::string(dure::embedded::find(p).value()); };
    DemoDistrict d;
    d.id = 1;
    d.name = "한빛구";
    for (long long i = 0; i < 16; ++i) d.dongs.push_back({10 + i, "동" + std::to_string(i + 1)});
    auto demo = generate_demo_catalog(d, text("data/catalog/programs.json"), text("data/catalog/generator.json"),
                                      text("data/catalog/taxonomy.json"), "2026-12-07");
    SearchIndex index(Synonyms::parse(text("data/catalog/synonyms.txt") + "\n" + text("data/catalog/situations.txt")));
    for (const auto& s : demo.services) index.upsert(make_search_doc(s));

    auto t0 = std::chrono::steady_clock::now();
    auto report = evaluate_search_quality(index, demo.services, cases);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    for (const auto& o : report.outcomes) {
        if (o.hit) continue;
        std::printf("MISS  %s\n      missing:", o.q.c_str());
        for (const auto& m : o.missing) std::printf(" %s", m.c_str());
        std::printf("\n      top 5:");
        for (const auto& t : o.top) std::printf(" [%s]", t.c_str());
        std::printf("\n");
    }
    std::printf("search quality: %d of %zu queries have every expected service in the top 5: %.1f %% "
                "(target >= 90 %%), %zu services, %.2f ms per query\n",
                report.hits, report.outcomes.size(), 100.0 * report.rate(), demo.services.size(),
                ms / static_cast<double>(report.outcomes.size()));
    return 0;
}
