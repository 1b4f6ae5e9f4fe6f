#pragma once
// A throw-away database for the storage suites, which run every case on SQLite and, when
// DURE_TEST_PG holds a URL, on PostgreSQL: a temp folder (with the SQLite file) and on
// PostgreSQL a fresh schema. Both are removed when the object goes.
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace dure::testing {

// The backends to run on: "sqlite", plus "postgresql" when DURE_TEST_PG is set.
inline std::vector<std::string> storage_backends() {
    std::vector<std::string> b{"sqlite"};
    if (std::getenv("DURE_TEST_PG") && *std::getenv("DURE_TEST_PG")) b.push_back("postgresql");
    return b;
}

class ScratchDatabase {
public:
    ScratchDatabase(const std::string& backend, const std::string& prefix) {
        name = prefix + identity::random_token(8);
        for (auto& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
        dir = std::filesystem::temp_directory_path() / ("dure-" + name);
        std::filesystem::create_directories(dir);
        if (backend == "sqlite") {
            url = "sqlite:" + (dir / "t.db").string();
            return;
        }
        std::string base = std::getenv("DURE_TEST_PG");
        schema = name;
        store::Database::open(base, 1)->write([&](soci::session& s) { s << "CREATE SCHEMA " + schema; });
        url = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema;
    }
    ~ScratchDatabase() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
        if (!schema.empty())
            store::Database::open(std::getenv("DURE_TEST_PG"), 1)->write([&](soci::session& s) {
                s << "DROP SCHEMA " + schema + " CASCADE";
            });
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    std::string name;           // unique, lower case: usable in codes and schema names
    std::string url;            // DURE_DB-style URL of the scratch database
    std::filesystem::path dir;  // a temp folder the test may write files into
    std::string schema;         // PostgreSQL only
};

}  // namespace dure::testing
