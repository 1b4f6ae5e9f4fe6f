// HSDS 3.0 conversion: the built-in table list matches the vendored schema, CSV reading and
// writing, and a lossless round trip of every shared example (data/hsds-3.0/examples): import,
// export, and every field and value of the input is found in the output.
#include "catalog/hsds.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "catalog/store.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace dure::catalog {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

const fs::path kRoot = fs::path(__FILE__).parent_path().parent_path().parent_path();
const fs::path kHsds = kRoot / "data" / "hsds-3.0";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

json::value load(const fs::path& p) {
    return json::parse(slurp(p));
}

// A throw-away SQLite catalogue with one district.
class TempCatalog {
public:
    TempCatalog() {
        dir_ = fs::temp_directory_path() / ("dure-hsds-" + identity::random_token(6));
        fs::create_directories(dir_);
        db_ = store::Database::open("sqlite:" + (dir_ / "t.db").string(), 2);
        store::migrate(*db_);
        district_ = add_district("d1");
        store_ = std::make_unique<CatalogStore>(*db_);
    }
    ~TempCatalog() {
        store_.reset();
        db_.reset();
        fs::remove_all(dir_);
    }
    long long add_district(const std::string& code) {
        long long id = 0, now = 1;
        db_->write([&](soci::session& s) {
            s << "INSERT INTO districts (code, name_ko, name_en, created_at) VALUES (:c, '구', 'gu', :t) RETURNING id",
                soci::use(code), soci::use(now), soci::into(id);
        });
        return id;
    }
    CatalogStore& store() { return *store_; }
    long long district() const { return district_; }
    fs::path dir() const { return dir_; }

private:
    fs::path dir_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<CatalogStore> store_;
    long long district_ = 0;
};

// Every object with an id, anywhere in the document: id -> its one-to-one members.
void collect(const json::value& v, std::map<std::string, json::object>& out) {
    if (v.is_array()) {
        for (const auto& x : v.as_array()) collect(x, out);
        return;
    }
    if (!v.is_object()) return;
    const auto& o = v.as_object();
    if (auto* id = o.if_contains("id"); id && id->is_string()) {
        auto& rec = out[std::string(id->as_string())];
        for (const auto& kv : o)
            if (!kv.value().is_array() && !kv.value().is_object()) rec[kv.key()] = kv.value();
    }
    for (const auto& kv : o) collect(kv.value(), out);
}

// The exported CSV tables: id -> column -> cell, across all tables.
std::map<std::string, std::map<std::string, std::string>> read_tables(const fs::path& dir) {
    std::map<std::string, std::map<std::string, std::string>> out;
    for (const auto& t : hsds_tables()) {
        auto p = dir / hsds_csv_path(t);
        if (!fs::exists(p)) continue;
        auto rows = parse_csv(slurp(p));
        if (rows.empty()) continue;
        for (std::size_t r = 1; r < rows.size(); ++r) {
            auto& rec = out[rows[r].cells[0]];
            for (std::size_t c = 0; c < rows[0].cells.size() && c < rows[r].cells.size(); ++c)
                if (!rows[r].cells[c].empty()) rec[rows[0].cells[c]] = rows[r].cells[c];
        }
    }
    return out;
}

bool same_value(const json::value& in, const std::string& cell) {
    if (in.is_string()) return in.as_string() == cell;
    if (in.is_number()) {
        try {
            return std::stod(cell) == in.to_number<double>();
        } catch (...) {
            return false;
        }
    }
    if (in.is_bool()) return cell == (in.as_bool() ? "true" : "false");
    return false;
}

// True when everything in `in` is also in `out`: members recursively, array elements matched
// by id (or by containment when they have none). `where` names the first difference.
bool contains(const json::value& out, const json::value& in, std::string& where, const std::string& path = "") {
    if (in.is_object()) {
        if (!out.is_object()) {
            where = path + " is not an object";
            return false;
        }
        for (const auto& kv : in.as_object()) {
            auto* o = out.as_object().if_contains(kv.key());
            if (!o) {
                where = path + "/" + std::string(kv.key()) + " is missing";
                return false;
            }
            if (!contains(*o, kv.value(), where, path + "/" + std::string(kv.key()))) return false;
        }
        return true;
    }
    if (in.is_array()) {
        if (!out.is_array()) {
            where = path + " is not an array";
            return false;
        }
        for (std::size_t i = 0; i < in.as_array().size(); ++i) {
            const auto& x = in.as_array()[i];
            bool found = false;
            std::string inner;
            for (const auto& y : out.as_array())
                if (contains(y, x, inner, path + "/" + std::to_string(i))) {
                    found = true;
                    break;
                }
            if (!found) {
                where = inner.empty() ? path + "/" + std::to_string(i) + " has no match" : inner;
                return false;
            }
        }
        return true;
    }
    if (in.is_number() && out.is_number()) return in.to_number<double>() == out.to_number<double>();
    if (in != out) {
        where = path + ": " + json::serialize(out) + " instead of " + json::serialize(in);
        return false;
    }
    return true;
}

std::string errors_of(const ImportReport& r) {
    std::string s;
    for (const auto& e : r.errors)
        s += e.file + ":" + std::to_string(e.line) + e.pointer + " " + e.field + ": " + e.message + "\n";
    return s;
}

TEST(HsdsSpec, TablesAndColumnsMatchTheVendoredSchema) {
    std::set<std::string> seen;
    for (const auto& entry : fs::directory_iterator(kHsds / "schema")) {
        if (entry.path().extension() != ".json" || entry.path().filename() == "openapi.json") continue;
        auto s = load(entry.path()).as_object();
        std::string name(s.at("name").as_string());
        seen.insert(name);
        EXPECT_EQ(hsds_csv_path(name), std::string(s.at("path").as_string())) << name;
        std::vector<std::string> cols;
        for (const auto& kv : s.at("properties").as_object()) {
            const auto& p = kv.value().as_object();
            if (p.contains("$ref") || (p.contains("type") && p.at("type") == "array")) continue;
            cols.push_back(std::string(kv.key()));
        }
        EXPECT_EQ(hsds_columns(name), cols) << name;
    }
    auto tables = hsds_tables();
    EXPECT_EQ(std::set<std::string>(tables.begin(), tables.end()), seen);
}

TEST(HsdsCsv, ReadsQuotesLineBreaksBomAndCrlf) {
    auto rows = parse_csv("\xEF\xBB\xBFid,name,note\r\n1,\"a, b\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",x\r\n\r\n3,,\n");
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].cells, (std::vector<std::string>{"id", "name", "note"}));
    EXPECT_EQ(rows[1].cells, (std::vector<std::string>{"1", "a, b", "say \"hi\""}));
    EXPECT_EQ(rows[2].cells[1], "two\nlines");
    EXPECT_EQ(rows[2].line, 3);
    EXPECT_EQ(rows[3].line, 6);  // after the line break inside quotes and the blank line
    EXPECT_EQ(rows[3].cells, (std::vector<std::string>{"3", "", ""}));
    EXPECT_THROW(parse_csv("a,\"open\n"), std::runtime_error);
    EXPECT_THROW(parse_csv("a,\"x\"y\n"), std::runtime_error);
}

TEST(HsdsCsv, WritesWhatItReads) {
    std::vector<std::string> cells{"plain", "a,b", "\"+44 1234\"", "two\r\nlines", "", "한글"};
    auto rows = parse_csv(csv_record(cells) + "\r\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].cells, cells);
    EXPECT_EQ(csv_record({"\"+44\""}), "\"\"\"+44\"\"\"");
}

TEST(HsdsCsv, GuardsFormulaCellsAndReadsThemBack) {
    // = + - @ tab CR start a formula in a spreadsheet: guarded with a leading '.
    EXPECT_EQ(csv_record({"=HYPERLINK(\"http://x\")", "@SUM(1)", "+cmd|' /C calc'!A0", "-1+2", "\tx"}),
              "\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(1),'+cmd|' /C calc'!A0,'-1+2,'\tx");
    // Plain numbers stay numbers; text that merely contains the characters is untouched.
    EXPECT_EQ(csv_record({"-1200", "+82", "3.5", "-0.25", "a=b", "e-mail", "'quoted"}), "-1200,+82,3.5,-0.25,a=b,e-mail,'quoted");
    EXPECT_EQ(csv_record({"-", "+", "-1.", "--1", "'=x"}), "'-,'+,'-1.,'--1,''=x");
    std::vector<std::string> cells{"=1+2", "@x", "-1+2", "'=x", "''=y", "-5", "'plain"};
    auto rows = parse_csv(csv_record(cells) + "\r\n");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].cells, cells);
}

TEST(HsdsInfo, MatchesTheBaseExample) {
    auto base = load(kHsds / "examples" / "base.json").as_object();
    auto info = api_info();
    EXPECT_EQ(info.at("version"), base.at("version"));
    EXPECT_TRUE(info.contains("profile"));
    EXPECT_TRUE(info.contains("openapi_url"));
}

// The document the API gives for the record an example file holds.
json::value api_document(CatalogStore& st, const std::string& file, const json::object& in) {
    std::string id(in.at("id").as_string());
    bool list = file.find("_list") != std::string::npos;
    if (file.starts_with("service_at_location")) {
        auto l = st.service_at_location(id);
        return l ? (list ? list_service_at_location(st, *l) : full_service_at_location(st, *l)) : json::value();
    }
    if (file.starts_with("service")) {
        auto s = st.service(id);
        return s ? (list ? list_service(st, *s) : full_service(st, *s)) : json::value();
    }
    if (file.starts_with("organization")) {
        auto o = st.organization(id);
        return o ? (list ? list_organization(*o) : full_organization(st, *o, true)) : json::value();
    }
    if (file.starts_with("location")) {
        auto f = st.facility(id);
        return f ? json::parse(f->hsds_json) : json::value();
    }
    if (file.starts_with("taxonomy_term")) {
        auto t = st.taxonomy_term(id);
        return t ? json::value(taxonomy_term_json(st, *t)) : json::value();
    }
    if (file.starts_with("taxonomy")) {
        auto t = st.taxonomy(id);
        return t ? json::value(taxonomy_json(*t)) : json::value();
    }
    return {};
}

class JsonExample : public ::testing::TestWithParam<std::string> {};

TEST_P(JsonExample, RoundTripsWithNothingLost) {
    const std::string file = GetParam();
    TempCatalog cat;
    auto report = import_hsds(cat.store(), cat.district(), kHsds / "examples" / file);
    ASSERT_TRUE(report.ok()) << errors_of(report);
    auto out = cat.dir() / "export";
    export_hsds(cat.store(), cat.district(), out);

    auto input = load(kHsds / "examples" / file);
    // 1. Every record's every one-to-one field is in the exported CSV tables.
    std::map<std::string, json::object> records;
    collect(input, records);
    ASSERT_FALSE(records.empty());
    auto tables = read_tables(out);
    for (const auto& [id, fields] : records) {
        auto it = tables.find(id);
        ASSERT_NE(it, tables.end()) << file << ": record " << id << " is not in the export";
        for (const auto& kv : fields) {
            auto cell = it->second.find(std::string(kv.key()));
            ASSERT_NE(cell, it->second.end()) << file << ": " << id << "." << kv.key() << " is not exported";
            EXPECT_TRUE(same_value(kv.value(), cell->second))
                << file << ": " << id << "." << kv.key() << " = " << cell->second << ", was "
                << json::serialize(kv.value());
        }
    }
    // 2. The nested document the API serves contains the input document.
    std::vector<json::object> docs;
    if (input.is_object() && input.as_object().contains("contents")) {
        for (const auto& x : input.as_object().at("contents").as_array()) docs.push_back(x.as_object());
    } else if (input.is_object() && !file.starts_with("tabular")) {
        docs.push_back(input.as_object());
    }
    for (const auto& d : docs) {
        auto doc = api_document(cat.store(), file, d);
        ASSERT_FALSE(doc.is_null()) << file;
        std::string where;
        EXPECT_TRUE(contains(doc, d, where)) << file << ": " << where;
    }
    // 3. services.json holds the full services.
    auto exported = load(out / "services.json");
    if (file == "service_full.json") {
        ASSERT_EQ(exported.as_array().size(), 1u);
        std::string where;
        EXPECT_TRUE(contains(exported.as_array()[0], input, where)) << where;
    }
}

std::vector<std::string> json_examples() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(kHsds / "examples"))
        if (e.path().extension() == ".json" && e.path().filename() != "base.json")
            out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

INSTANTIATE_TEST_SUITE_P(Examples, JsonExample, ::testing::ValuesIn(json_examples()),
                         [](const auto& info) {
                             auto n = info.param.substr(0, info.param.size() - 5);
                             for (auto& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

TEST(HsdsCsvExample, RoundTripsEveryCell) {
    TempCatalog cat;
    auto report = import_hsds(cat.store(), cat.district(), kHsds / "examples" / "csv");
    ASSERT_TRUE(report.ok()) << errors_of(report);
    EXPECT_EQ(report.counts["service"], 1);
    EXPECT_EQ(report.counts["phone"], 1);
    auto out = cat.dir() / "export";
    export_hsds(cat.store(), cat.district(), out);
    for (const auto& t : hsds_tables()) {
        auto in_path = kHsds / "examples" / "csv" / hsds_csv_path(t);
        if (!fs::exists(in_path)) continue;
        auto in = parse_csv(slurp(in_path));
        auto got = parse_csv(slurp(out / hsds_csv_path(t)));
        ASSERT_FALSE(got.empty()) << t;
        EXPECT_EQ(got[0].cells, in[0].cells) << t << ": same columns in the same order";
        for (std::size_t r = 1; r < in.size(); ++r) {
            const std::vector<std::string>* match = nullptr;
            for (std::size_t g = 1; g < got.size(); ++g)
                if (got[g].cells[0] == in[r].cells[0]) match = &got[g].cells;
            ASSERT_TRUE(match) << t << ": row " << in[r].cells[0] << " is missing";
            for (std::size_t c = 0; c < in[r].cells.size(); ++c)
                if (!in[r].cells[c].empty())
                    EXPECT_EQ((*match)[c], in[r].cells[c]) << t << "." << in[0].cells[c];
        }
    }
    // The export imports again, into a fresh catalogue, and exports the same tables.
    TempCatalog again;
    auto r2 = import_hsds(again.store(), again.district(), out);
    ASSERT_TRUE(r2.ok()) << errors_of(r2);
    auto out2 = again.dir() / "export";
    export_hsds(again.store(), again.district(), out2);
    for (const auto& t : hsds_tables())
        if (t != "taxonomy" && t != "taxonomy_term")  // the district's own "dure" vocabulary differs
            EXPECT_EQ(slurp(out2 / hsds_csv_path(t)), slurp(out / hsds_csv_path(t))) << t;
    EXPECT_TRUE(fs::exists(out / "datapackage.json"));
    auto pkg = load(out / "datapackage.json").as_object();
    EXPECT_EQ(pkg.at("resources").as_array().size(), hsds_tables().size());
}

TEST(HsdsKorean, ExtensionsTravelAsDureAttributes) {
    TempCatalog cat;
    Organization org;
    org.district_id = cat.district();
    org.name = "국민연금공단";
    org.description = "기초연금 접수";
    org.id = cat.store().upsert_organization(org);
    Service s;
    s.district_id = cat.district();
    s.organization_id = org.id;
    s.name = "기초연금";
    s.program_code = "basic_pension";
    s.provider_level = "national";
    s.life_stages = {"senior"};
    s.situations = {"low_income", "single_household"};
    s.topics = {"livelihood"};
    s.keywords = {"노령연금", "어르신 연금"};
    s.channels = {"online", "visit"};
    s.application_period = "연중";
    s.dong_ids = {3, 4};
    s.last_verified = "2025-01-15";
    s.source = "https://www.bokjiro.go.kr";
    s.minimum_age = 65;
    s = cat.store().create_service(s, "test");
    auto doc = json::parse(s.hsds_json).as_object();
    EXPECT_EQ(doc.at("assured_date"), "2025-01-15");
    EXPECT_EQ(doc.at("minimum_age"), 65);
    ASSERT_TRUE(doc.contains("attributes"));
    EXPECT_EQ(doc.at("attributes").as_array().size(), 14u);

    auto out = cat.dir() / "export";
    export_hsds(cat.store(), cat.district(), out);
    TempCatalog other;
    auto report = import_hsds(other.store(), other.district(), out / "services.json");
    ASSERT_TRUE(report.ok()) << errors_of(report);
    auto back = other.store().service(s.id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->program_code, "basic_pension");
    EXPECT_EQ(back->provider_level, "national");
    EXPECT_EQ(back->life_stages, s.life_stages);
    EXPECT_EQ(back->situations, s.situations);
    EXPECT_EQ(back->keywords, s.keywords);
    EXPECT_EQ(back->channels, s.channels);
    EXPECT_EQ(back->application_period, "연중");
    EXPECT_EQ(back->dong_ids, s.dong_ids);
    EXPECT_EQ(back->last_verified, "2025-01-15");
    EXPECT_EQ(back->source, s.source);
    EXPECT_EQ(back->minimum_age, 65);
    // The attributes point at the importing district's own "dure" terms.
    auto attrs = json::parse(back->hsds_json).at("attributes").as_array();
    for (const auto& a : attrs) {
        auto term = other.store().taxonomy_term(std::string(a.at("taxonomy_term_id").as_string()));
        ASSERT_TRUE(term) << json::serialize(a);
        EXPECT_EQ(term->district_id, other.district());
    }
    // The same CSV datapackage works too.
    TempCatalog third;
    auto r3 = import_hsds(third.store(), third.district(), out);
    ASSERT_TRUE(r3.ok()) << errors_of(r3);
    EXPECT_EQ(third.store().service(s.id)->topics, s.topics);
}

}  // namespace
}  // namespace dure::catalog
