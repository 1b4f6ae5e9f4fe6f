// The catalogue's storage suite, on SQLite and (when DURE_TEST_PG is set) PostgreSQL: service
// versions and stale edits, the freshness queue, facility filters, and HSDS import that is
// all or nothing and names the line and field of every bad row.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <filesystem>
#include <fstream>

#include "catalog/hsds.hpp"
#include "catalog/store.hpp"
#include "common/error.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"
#include "scratch_database.hpp"

namespace dure::catalog {
namespace {

namespace fs = std::filesystem;

const fs::path kExamples = fs::path(__FILE__).parent_path().parent_path().parent_path() / "data" / "hsds-3.0" / "examples";

class CatalogStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "c");
        auto name = scratch_->name;
        dir_ = scratch_->dir;
        url_ = scratch_->url;
        db_ = store::Database::open(url_, 4);
        store::migrate(*db_);
        st_ = std::make_unique<CatalogStore>(*db_);
        district_ = add_district("d" + name);
        other_district_ = add_district("o" + name);
    }
    void TearDown() override {
        st_.reset();
        db_.reset();
        scratch_.reset();
    }
    long long add_district(const std::string& code) {
        long long id = 0, now = 1;
        db_->write([&](soci::session& s) {
            s << "INSERT INTO districts (code, name_ko, name_en, created_at) VALUES (:c, '구', 'gu', :t) RETURNING id",
                soci::use(code), soci::use(now), soci::into(id);
        });
        return id;
    }
    std::string org() {
        Organization o;
        o.district_id = district_;
        o.name = "한빛구청";
        o.description = "구청";
        return st_->upsert_organization(o);
    }
    Service service(const std::string& name, const std::string& verified = "") {
        Service s;
        s.district_id = district_;
        s.name = name;
        s.last_verified = verified;
        return st_->create_service(s, "account:1");
    }
    fs::path write(const std::string& rel, const std::string& text) {
        auto p = dir_ / rel;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
    // Copies the shared CSV example into a folder of the test's own, for editing.
    fs::path csv_copy(const std::string& name) {
        auto d = dir_ / name;
        fs::create_directories(d);
        for (const auto& e : fs::directory_iterator(kExamples / "csv"))
            if (e.path().extension() == ".csv") fs::copy_file(e.path(), d / e.path().filename());
        return d;
    }
    long long count(const std::string& table) {
        long long n = 0;
        db_->read([&](soci::session& s) { s << "SELECT COUNT(*) FROM " + table, soci::into(n); });
        return n;
    }

    std::unique_ptr<testing::ScratchDatabase> scratch_;
    fs::path dir_;
    std::string url_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<CatalogStore> st_;
    long long district_ = 0, other_district_ = 0;
};

TEST_P(CatalogStorage, ServiceEditsKeepVersionsAndRefuseStaleOnes) {
    auto o = org();
    Service s;
    s.district_id = district_;
    s.organization_id = o;
    s.name = "기초연금";
    s.program_code = "basic_pension";
    s.life_stages = {"senior"};
    s.dong_ids = {7};
    s.minimum_age = 65;
    s = st_->create_service(s, "account:1");
    EXPECT_TRUE(is_uuid(s.id));
    EXPECT_EQ(s.version, 1);

    auto loaded = st_->service(s.id);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->program_code, "basic_pension");
    EXPECT_EQ(loaded->life_stages, std::vector<std::string>{"senior"});
    EXPECT_EQ(loaded->dong_ids, std::vector<long long>{7});
    EXPECT_EQ(loaded->minimum_age, 65);
    EXPECT_FALSE(loaded->maximum_age);

    loaded->description = "만 65세 이상 소득하위 70% 어르신";
    auto v2 = st_->update_service(*loaded, 1, "account:2", "설명 보완");
    EXPECT_EQ(v2.version, 2);
    // A second official still holding version 1 is refused, and nothing changes.
    auto stale = *loaded;
    stale.name = "덮어쓰기";
    try {
        st_->update_service(stale, 1, "account:3", "stale");
        FAIL() << "a stale version was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::conflict);
    }
    EXPECT_EQ(st_->service(s.id)->name, "기초연금");

    auto retired = st_->retire_service(s.id, 2, "account:2", "폐지");
    EXPECT_EQ(retired.status, "defunct");
    auto versions = st_->service_versions(s.id);
    ASSERT_EQ(versions.size(), 3u);
    EXPECT_EQ(versions[0].version, 1);
    EXPECT_EQ(versions[1].changed_by, "account:2");
    EXPECT_EQ(versions[1].change_note, "설명 보완");
    EXPECT_NE(versions[1].hsds_json.find("소득하위"), std::string::npos);
    EXPECT_NE(versions[2].hsds_json.find("defunct"), std::string::npos);
    EXPECT_THROW(st_->update_service(*st_->service(s.id), 99, "x", ""), Error);

    // Invalid edits name their fields.
    Service bad = *st_->service(s.id);
    bad.status = "gone";
    bad.provider_level = "galactic";
    try {
        st_->update_service(bad, 3, "x", "");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::validation);
        EXPECT_EQ(e.fields().size(), 2u);
    }
    EXPECT_EQ(st_->services(district_).size(), 1u);
    EXPECT_TRUE(st_->services(other_district_).empty());
}

TEST_P(CatalogStorage, FreshnessQueueListsServicesUnverifiedForAYear) {
    auto never = service("확인 안 됨");
    auto old = service("오래됨", "2023-05-31");
    auto edge = service("딱 1년", "2024-06-01");
    auto fresh = service("최근", "2025-01-10");
    auto gone = service("폐지됨", "2020-01-01");
    st_->retire_service(gone.id, 1, "x", "");
    auto q = st_->freshness_queue(district_, "2025-06-01");
    std::vector<std::string> names;
    for (const auto& s : q) names.push_back(s.name);
    EXPECT_EQ(names, (std::vector<std::string>{"확인 안 됨", "오래됨"}));
    auto v = st_->mark_verified(old.id, "2025-06-01", "account:9");
    EXPECT_EQ(v.last_verified, "2025-06-01");
    EXPECT_EQ(v.verified_by, "account:9");
    EXPECT_EQ(v.version, 2);
    EXPECT_EQ(st_->freshness_queue(district_, "2025-06-01").size(), 1u);
    EXPECT_EQ(st_->freshness_queue(district_, "2025-06-01", 6).size(), 2u);  // never verified, and edge
    EXPECT_THROW(st_->mark_verified(old.id, "2025-02-30", "x"), Error);
    EXPECT_EQ(months_before("2024-03-31", 1), "2024-02-29");
}

TEST_P(CatalogStorage, FacilitiesFilterByTypeDongAndDistance) {
    auto add = [&](const std::string& name, const std::string& type, long long dong, double lat, double lon) {
        Facility f;
        f.district_id = district_;
        f.name = name;
        f.type = type;
        f.dong_id = dong;
        f.latitude = lat;
        f.longitude = lon;
        f.capacity = 30;
        f.accessibility = {"wheelchair"};
        f.address = "한빛로 1";
        f.phone = "02-123-4567";
        return st_->upsert_facility(f);
    };
    // Around (37.5665, 126.9780): ~0 m, ~555 m north, ~2.2 km north, and one without coordinates.
    auto a = add("가 경로당", "senior_center", 1, 37.5665, 126.9780);
    auto b = add("나 경로당", "senior_center", 2, 37.5715, 126.9780);
    auto c = add("다 어린이집", "daycare_center", 1, 37.5865, 126.9780);
    add("라 경로당", "senior_center", 1, 0, 0);

    FacilityQuery q;
    q.type = "senior_center";
    EXPECT_EQ(st_->facilities(district_, q).total, 3);
    q.dong_id = 1;
    EXPECT_EQ(st_->facilities(district_, q).total, 2);
    FacilityQuery near;
    near.near_lat = 37.5665;
    near.near_lon = 126.9780;
    near.near_radius_m = 1000;
    auto page = st_->facilities(district_, near);
    ASSERT_EQ(page.total, 2);
    EXPECT_EQ(page.items[0].id, a);  // nearest first
    EXPECT_EQ(page.items[1].id, b);
    near.near_radius_m = 3000;
    EXPECT_EQ(st_->facilities(district_, near).total, 3);
    near.limit = 1;
    near.offset = 2;
    auto p2 = st_->facilities(district_, near);
    ASSERT_EQ(p2.items.size(), 1u);
    EXPECT_EQ(p2.items[0].id, c);
    EXPECT_NEAR(haversine_m(37.5665, 126.9780, 37.5715, 126.9780), 556, 2);

    auto f = st_->facility(a);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->accessibility, std::vector<std::string>{"wheelchair"});
    EXPECT_EQ(f->address, "한빛로 1");
    EXPECT_EQ(f->phone, "02-123-4567");
    EXPECT_DOUBLE_EQ(f->latitude, 37.5665);
    // Linking a service shows it at the facility.
    auto s = service("경로당 프로그램");
    ServiceAtLocation l;
    l.district_id = district_;
    l.service_id = s.id;
    l.location_id = a;
    st_->upsert_service_at_location(l);
    EXPECT_EQ(st_->facility(a)->service_ids, std::vector<std::string>{s.id});
    EXPECT_EQ(st_->facilities(district_, FacilityQuery{}).items.size(), 4u);
    // Another district cannot take the id.
    Facility steal = *f;
    steal.district_id = other_district_;
    EXPECT_THROW(st_->upsert_facility(steal), Error);
}

TEST_P(CatalogStorage, ListsArePaginatedAndFiltered) {
    auto o = org();
    for (int i = 0; i < 7; ++i) {
        Service s;
        s.district_id = district_;
        s.organization_id = i % 2 ? o : "";
        s.name = "서비스 " + std::to_string(i) + (i == 3 ? " 100%_special" : "");
        st_->create_service(s, "t");
    }
    ServiceQuery q;
    q.limit = 3;
    auto p = st_->list_services(district_, q);
    EXPECT_EQ(p.total, 7);
    EXPECT_EQ(p.items.size(), 3u);
    q.offset = 6;
    EXPECT_EQ(st_->list_services(district_, q).items.size(), 1u);
    ServiceQuery by_org;
    by_org.organization_id = o;
    EXPECT_EQ(st_->list_services(district_, by_org).total, 3);
    ServiceQuery like;
    like.search = "100%_";
    EXPECT_EQ(st_->list_services(district_, like).total, 1);
    like.search = "%";
    EXPECT_EQ(st_->list_services(district_, like).total, 1);
    // Services carry attributes of the district's "dure" terms, so the term filter finds them.
    ServiceQuery by_term;
    by_term.taxonomy_term_id = dure_terms(district_)[1].id;  // provider_level
    EXPECT_EQ(st_->list_services(district_, by_term).total, 0);
    auto s = st_->list_services(district_, ServiceQuery{}).items[0];
    s.provider_level = "district";
    st_->update_service(s, s.version, "t", "");
    EXPECT_EQ(st_->list_services(district_, by_term).total, 1);
    TermQuery tq;
    tq.taxonomy_id = dure_taxonomy(district_).id;
    EXPECT_EQ(st_->taxonomy_terms(district_, tq).total, static_cast<long long>(dure_terms(district_).size()));
}

TEST_P(CatalogStorage, ImportIsAllOrNothingAndReportsEveryBadRow) {
    auto d = csv_copy("bad");
    // Row 2 is fine; row 3 (a multi-line quoted description first) has a bad status and id;
    // row 5 names an organization that exists nowhere.
    std::ofstream(d / "services.csv", std::ios::binary)
        << "id,organization_id,name,status,description,minimum_age\r\n"
           "11111111-1111-4111-8111-111111111111,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Good,active,fine,12\r\n"
           "not-a-uuid,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Bad,closed,\"two\r\nlines\",twelve\r\n"
           "33333333-3333-4333-8333-333333333333,99999999-9999-4999-8999-999999999999,Orphan,active,x,\r\n";
    fs::remove(d / "service_at_location.csv");
    auto r = import_hsds(*st_, district_, d);
    EXPECT_FALSE(r.ok());
    auto has = [&](const std::string& file, long long line, const std::string& field) {
        for (const auto& e : r.errors)
            if (e.file == file && e.line == line && e.field == field) return true;
        return false;
    };
    EXPECT_TRUE(has("services.csv", 3, "id"));
    EXPECT_TRUE(has("services.csv", 3, "status"));
    EXPECT_TRUE(has("services.csv", 3, "minimum_age"));
    EXPECT_TRUE(has("services.csv", 5, "organization_id")) << "the line after a quoted line break";
    EXPECT_EQ(count("services"), 0);
    EXPECT_EQ(count("catalog_organizations"), 0);
    EXPECT_EQ(count("facilities"), 0);

    // A JSON file: errors carry a JSON pointer.
    auto j = write("bad.json", R"([{"id":"44444444-4444-4444-8444-444444444444","name":"x","status":"active",
        "phones":[{"id":"55555555-5555-4555-8555-555555555555"}],"email":"nope","minimum_age":"ten"}])");
    auto rj = import_hsds(*st_, district_, j);
    ASSERT_FALSE(rj.ok());
    bool number = false, phone = false, email = false;
    for (const auto& e : rj.errors) {
        number |= e.pointer == "/0" && e.field == "minimum_age";
        email |= e.pointer == "/0" && e.field == "email";
        phone |= e.pointer == "/0/phones/0" && e.field == "number";
    }
    EXPECT_TRUE(number && phone && email);
    EXPECT_EQ(count("services"), 0);
    EXPECT_FALSE(import_hsds(*st_, district_, write("broken.json", "{\"id\": ")).ok());
    EXPECT_FALSE(import_hsds(*st_, district_, dir_ / "missing.json").ok());
}

TEST_P(CatalogStorage, ImportReadsCsvQuirksAndMergesWithTheCatalogue) {
    auto d = csv_copy("quirks");
    // BOM, CRLF, quoted commas, doubled quotes and a line break inside a quoted field.
    std::ofstream(d / "services.csv", std::ios::binary)
        << "\xEF\xBB\xBFid,organization_id,name,status,description\r\n"
           "ac148810-d857-441c-9679-408f346de14b,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,\"상담, 지원\",active,"
           "\"첫 줄\r\n\"\"둘째\"\" 줄\"\r\n";
    auto r = import_hsds(*st_, district_, d);
    ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].message);
    auto s = st_->service("ac148810-d857-441c-9679-408f346de14b");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->name, "상담, 지원");
    EXPECT_EQ(s->description, "첫 줄\r\n\"둘째\" 줄");
    EXPECT_EQ(s->version, 1);
    EXPECT_EQ(r.counts.at("organization"), 1);
    EXPECT_EQ(count("service_at_locations"), 1);

    // A phone for the existing service, alone in a file: merged into the stored document, and the
    // service gets a new version.
    auto p = write("more/phones.csv",
                   "id,service_id,number\n66666666-6666-4666-8666-666666666666,ac148810-d857-441c-9679-408f346de14b,"
                   "129\n");
    auto r2 = import_hsds(*st_, district_, p.parent_path());
    ASSERT_TRUE(r2.ok()) << (r2.errors.empty() ? "" : r2.errors[0].message);
    auto s2 = st_->service(s->id);
    EXPECT_EQ(s2->version, 2);
    EXPECT_NE(s2->hsds_json.find("66666666-6666-4666-8666-666666666666"), std::string::npos);
    EXPECT_NE(s2->hsds_json.find("1554f2e2-a373-45db-a3fa-9fc48a61c15e"), std::string::npos) << "old phone kept";
    EXPECT_EQ(st_->service_versions(s->id).back().changed_by, "import");

    // The same ids cannot be imported into another district.
    auto r3 = import_hsds(*st_, other_district_, kExamples / "service_full.json");
    EXPECT_FALSE(r3.ok());
    EXPECT_TRUE(st_->services(other_district_).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogStorage, ::testing::ValuesIn(testing::storage_backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace dure::catalog
