// The storage suite: the same cases on SQLite and on PostgreSQL. PostgreSQL runs when
// DURE_TEST_PG holds a connection URL (`make test` starts a private server and sets it);
// with DURE_REQUIRE_PG=1 a missing URL is a failure, not a silent pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <soci/soci.h>

#include <filesystem>
#include <thread>

#include "common/error.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"
#include "scratch_database.hpp"

namespace dure {
namespace {

using identity::IdentityStore;
using identity::Keyring;

TEST(StorageSuite, PostgresIsConfiguredWhenRequired) {
    const char* req = std::getenv("DURE_REQUIRE_PG");
    if (req && std::string(req) == "1") {
        const char* pg = std::getenv("DURE_TEST_PG");
        ASSERT_TRUE(pg && *pg) << "DURE_REQUIRE_PG=1 but DURE_TEST_PG is empty";
        EXPECT_EQ(testing::storage_backends().size(), 2u);
    }
}

class Storage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "t");
        auto name = scratch_->name;
        dir_ = scratch_->dir;
        url_ = scratch_->url;
        db_ = store::Database::open(url_, 4);
        store::migrate(*db_);
        store_ = std::make_unique<IdentityStore>(*db_, keys_);
        district_ = store_->create_district("d" + name, "테스트구", "Test-gu");
        dong_a_ = store_->create_dong(district_, "a", "가동", "Ga-dong");
        dong_b_ = store_->create_dong(district_, "b", "나동", "Na-dong");
    }
    void TearDown() override {
        store_.reset();
        db_.reset();
        scratch_.reset();
    }
    // Runs raw SQL as an attacker with database access would.
    void raw(const std::string& sql) {
        db_->write([&](soci::session& s) { s << sql; });
    }
    identity::AccessEntry entry(long long subject, const std::string& reason) {
        identity::AccessEntry e;
        e.at = 1700000000 + subject;
        e.actor_account_id = 1;
        e.district_id = district_;
        e.subject_kind = "person";
        e.subject_id = subject;
        e.action = "read";
        e.fields = "name";
        e.reason = reason;
        e.request_id = "r" + std::to_string(subject);
        return e;
    }

    Keyring keys_ = Keyring::from_master(std::string(32, 's'));
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::filesystem::path dir_;
    std::string url_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<IdentityStore> store_;
    long long district_ = 0, dong_a_ = 0, dong_b_ = 0;
};

TEST_P(Storage, MigrationsAreIdempotent) {
    EXPECT_EQ(store::migrate(*db_), 0);
    EXPECT_TRUE(db_->ping());
}

TEST_P(Storage, DistrictsListTheirDongs) {
    auto ds = store_->districts();
    ASSERT_EQ(ds.size(), 1u);
    EXPECT_EQ(ds[0].name_ko, "테스트구");
    ASSERT_EQ(ds[0].dongs.size(), 2u);
    EXPECT_EQ(store_->district_of_dong(dong_b_), district_);
    EXPECT_EQ(store_->district_of_dong(999999), 0);
}

TEST_P(Storage, AccountsAreEncryptedUniqueAndFindableByLogin) {
    long long id = store_->create_account(district_, "a@example.kr", "", "홍길동", identity::hash_password("pw-long-enough"));
    EXPECT_THROW(store_->create_account(district_, "a@example.kr", "", "x", "h"), Error);
    long long id2 = store_->create_account(district_, "", "01012345678", "김철수", "h");
    auto acc = store_->account(id);
    ASSERT_TRUE(acc);
    EXPECT_EQ(acc->name, "홍길동");
    EXPECT_EQ(acc->email, "a@example.kr");
    ASSERT_EQ(acc->grants.size(), 1u);
    EXPECT_EQ(acc->grants[0].role, identity::Role::resident);
    EXPECT_EQ(store_->find_login("01012345678")->account_id, id2);
    EXPECT_FALSE(store_->find_login("nobody@example.kr"));
    // Nothing personal is stored in clear text.
    std::string name_enc, email_enc;
    db_->read([&](soci::session& s) {
        s << "SELECT name_enc, email_enc FROM accounts WHERE id = :i", soci::into(name_enc), soci::into(email_enc),
            soci::use(id);
    });
    EXPECT_EQ(name_enc.find("홍길동"), std::string::npos);
    EXPECT_EQ(email_enc.find("example"), std::string::npos);
    long long total = 0;
    EXPECT_EQ(store_->accounts(district_, "", 0, 10, total).size(), 2u);
    EXPECT_EQ(total, 2);
    EXPECT_EQ(store_->accounts(district_, "01012345678", 0, 10, total).at(0).id, id2);
}

TEST_P(Storage, FailedLoginsLockTheAccount) {
    long long id = store_->create_account(district_, "b@example.kr", "", "n", "h");
    for (int i = 0; i < 4; ++i) EXPECT_EQ(store_->record_failed_login(id, 1000, 5, 900), 0);
    EXPECT_EQ(store_->record_failed_login(id, 1000, 5, 900), 1900);
    EXPECT_EQ(store_->find_login("b@example.kr")->locked_until, 1900);
    store_->record_successful_login(id);
    EXPECT_EQ(store_->find_login("b@example.kr")->locked_until, 0);
}

TEST_P(Storage, GrantsAreAddedOnceAndRevoked) {
    long long id = store_->create_account(district_, "c@example.kr", "", "n", "h");
    long long g = store_->add_grant(id, identity::Role::caseworker, identity::ScopeKind::dong, dong_a_, district_, 0);
    EXPECT_EQ(store_->add_grant(id, identity::Role::caseworker, identity::ScopeKind::dong, dong_a_, district_, 0), g);
    auto grants = store_->grants(id);
    ASSERT_EQ(grants.size(), 2u);
    EXPECT_EQ(grants[1].scope_name, "가동");
    EXPECT_TRUE(store_->revoke_grant(id, g, 0));
    EXPECT_FALSE(store_->revoke_grant(id, g, 0));
    EXPECT_EQ(store_->grants(id).size(), 1u);
}

TEST_P(Storage, SessionsAndApiTokens) {
    long long id = store_->create_account(district_, "d@example.kr", "", "n", "h");
    store_->create_session("hash1", id, "csrf", 5000000000LL);
    auto s = store_->find_session("hash1");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->account_id, id);
    EXPECT_EQ(s->csrf_token, "csrf");
    store_->delete_session("hash1");
    EXPECT_FALSE(store_->find_session("hash1"));
    // A token acting as a person's account never authenticates; one of a service account does,
    // until it expires or is revoked.
    long long far = store::now_unix() + 86400;
    store_->create_api_token("person-token", "old style", id, district_, id, "file_report", far);
    EXPECT_FALSE(store_->account_for_token("person-token"));
    long long svc = store_->create_service_account(district_, "partner");
    long long t = store_->create_api_token("th", "partner", svc, district_, id, "file_report", far);
    EXPECT_EQ(store_->account_for_token("th"), svc);
    EXPECT_EQ(store_->api_tokens(district_).size(), 2u);
    store_->create_api_token("expired", "partner", svc, district_, id, "file_report", store::now_unix() - 1);
    EXPECT_FALSE(store_->account_for_token("expired"));
    EXPECT_TRUE(store_->revoke_api_token(t, district_));
    EXPECT_FALSE(store_->account_for_token("th"));
}

TEST_P(Storage, PersonsAreEncryptedAndFoundByBlindIndex) {
    identity::NewPerson p;
    p.district_id = district_;
    p.dong_id = dong_a_;
    p.name = "최말순";
    p.phone = "01055501234";
    p.birth_date = "1941-03-02";
    p.address = "테스트구 가로 1";
    p.rrn = "410302-2000000";
    long long id = store_->create_person(p);
    auto got = store_->person(id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->name, "최말순");
    EXPECT_EQ(got->rrn, "410302-2000000");
    auto found = store_->persons_by_phone(district_, "01055501234");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].id, id);
    EXPECT_TRUE(store_->persons_by_phone(district_, "01099999999").empty());
    std::string rrn_enc;
    db_->read([&](soci::session& s) { s << "SELECT rrn_enc FROM persons WHERE id = :i", soci::into(rrn_enc), soci::use(id); });
    EXPECT_EQ(rrn_enc.find("410302"), std::string::npos);
}

// Review #19: the associated data named only the column, so someone with write access to the
// database could move one person's RRN (or name, phone, address) onto another person's row.
TEST_P(Storage, PersonFieldsAreBoundToTheirRow) {
    identity::NewPerson a, b;
    a.district_id = b.district_id = district_;
    a.dong_id = b.dong_id = dong_a_;
    a.name = "김갑순";
    a.rrn = "440101-2000001";
    b.name = "이을순";
    b.rrn = "450202-2000002";
    long long ia = store_->create_person(a), ib = store_->create_person(b);
    raw("UPDATE persons SET rrn_enc = (SELECT rrn_enc FROM persons WHERE id = " + std::to_string(ia) + "), name_enc = "
        "(SELECT name_enc FROM persons WHERE id = " + std::to_string(ia) + ") WHERE id = " + std::to_string(ib));
    EXPECT_EQ(store_->person(ia)->rrn, "440101-2000001");
    EXPECT_THROW(store_->person(ib), std::runtime_error) << "a field copied from another row must not decrypt";
}

TEST_P(Storage, PersonFieldsStoredBeforeRowBindingAreRewrittenOnce) {
    identity::NewPerson a;
    a.district_id = district_;
    a.dong_id = dong_a_;
    a.name = "박옛날";
    a.phone = "01055507777";
    long long id = store_->create_person(a);
    // As a database written by an earlier version holds it: column-bound "v1." ciphertexts.
    std::string name = keys_.encrypt("박옛날", "persons.name"), phone = keys_.encrypt("01055507777", "persons.phone");
    db_->write([&](soci::session& s) {
        s << "UPDATE persons SET name_enc = :n, phone_enc = :p WHERE id = :i", soci::use(name), soci::use(phone),
            soci::use(id);
    });
    EXPECT_THROW(store_->person(id), std::runtime_error) << "reads accept only row-bound fields";
    EXPECT_EQ(store_->bind_person_rows(), 1);
    EXPECT_EQ(store_->bind_person_rows(), 0) << "nothing left to rewrite";
    auto got = store_->person(id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->name, "박옛날");
    EXPECT_EQ(got->phone, "01055507777");
}

TEST_P(Storage, AccessLogIsAppendOnly) {
    store_->append_access(entry(1, "visit"));
    EXPECT_ANY_THROW(raw("UPDATE access_log SET reason = 'x' WHERE id = 1"));
    EXPECT_ANY_THROW(raw("DELETE FROM access_log WHERE id = 1"));
    EXPECT_TRUE(store_->verify_access_log().problems.empty());
}


TEST_P(Storage, AuditVerifyCatchesAnEditedRow) {
    for (int i = 1; i <= 5; ++i) store_->append_access(entry(i, "home visit"));
    auto ok = store_->verify_access_log();
    EXPECT_EQ(ok.rows, 5);
    EXPECT_TRUE(ok.problems.empty());
    if (db_->dialect() == store::Dialect::sqlite) {
        raw("DROP TRIGGER access_log_no_update");
    } else {
        raw("DROP TRIGGER access_log_no_change ON access_log");
    }
    raw("UPDATE access_log SET reason = 'nothing to see' WHERE id = 3");
    auto bad = store_->verify_access_log();
    ASSERT_FALSE(bad.problems.empty());
    EXPECT_TRUE(std::any_of(bad.problems.begin(), bad.problems.end(),
                            [](const std::string& p) { return p.find("row 3") != std::string::npos; }));
    // The dropped guard is reported too.
    EXPECT_TRUE(std::any_of(bad.problems.begin(), bad.problems.end(),
                            [](const std::string& p) { return p.find("trigger") != std::string::npos; }));
}

TEST_P(Storage, AuditVerifyCatchesDeletedRowsIncludingTheLast) {
    for (int i = 1; i <= 4; ++i) store_->append_access(entry(i, "call"));
    if (db_->dialect() == store::Dialect::sqlite) {
        raw("DROP TRIGGER access_log_no_delete");
    } else {
        raw("DROP TRIGGER access_log_no_change ON access_log");
    }
    raw("DELETE FROM access_log WHERE id = 4");
    EXPECT_FALSE(store_->verify_access_log().problems.empty());
    raw("DELETE FROM access_log WHERE id = 2");
    auto rep = store_->verify_access_log();
    EXPECT_GE(rep.problems.size(), 2u);
}

TEST_P(Storage, ConcurrentAppendsKeepTheChain) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) store_->append_access(entry(t * 100 + i, "batch"));
        });
    for (auto& th : threads) th.join();
    auto rep = store_->verify_access_log();
    EXPECT_EQ(rep.rows, 40);
    EXPECT_TRUE(rep.problems.empty()) << rep.problems.front();
}

INSTANTIATE_TEST_SUITE_P(Backends, Storage, ::testing::ValuesIn(testing::storage_backends()),
                         [](const auto& info) { return info.param; });

TEST(Migrations, SplitsStatementsPerDialect) {
    std::string text =
        "CREATE TABLE a (id {{ID}});\n-- comment\n-- dialect: sqlite\nCREATE TRIGGER t BEFORE UPDATE ON a\nBEGIN\n"
        "    SELECT RAISE(ABORT, 'no');\nEND;\n-- dialect: postgresql\nCREATE FUNCTION f() RETURNS trigger AS $$\n"
        "BEGIN\n  RAISE EXCEPTION 'no';\nEND;\n$$ LANGUAGE plpgsql;\n";
    auto lite = store::migration_statements(text, store::Dialect::sqlite);
    ASSERT_EQ(lite.size(), 2u);
    EXPECT_NE(lite[0].find("AUTOINCREMENT"), std::string::npos);
    EXPECT_TRUE(lite[1].ends_with("END;"));
    auto pg = store::migration_statements(text, store::Dialect::postgresql);
    ASSERT_EQ(pg.size(), 2u);
    EXPECT_NE(pg[0].find("IDENTITY"), std::string::npos);
    EXPECT_NE(pg[1].find("RAISE EXCEPTION"), std::string::npos);
}

}  // namespace
}  // namespace dure
