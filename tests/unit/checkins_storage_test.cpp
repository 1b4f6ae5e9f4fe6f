// Check-ins on SQLite and (with DURE_TEST_PG) PostgreSQL: a missed check-in opens an escalation,
// the ladder climbs on its timers and stops at the last step, fine closes it; and the
// authorization rule that a caregiver records only for residents assigned to them.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <thread>

#include "checkins/checkins.hpp"
#include "identity/authz.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "notify/outbox.hpp"
#include "scratch_database.hpp"
#include "store/database.hpp"

namespace dure::checkins {
namespace {

class CheckinStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "ck");
        db_ = store::Database::open(scratch_->url, 2);
        store::migrate(*db_);
        identity::IdentityStore ids(*db_, keys_);
        district_ = ids.create_district("d" + scratch_->name, "구", "gu");
        dong_ = ids.create_dong(district_, "a", "가동", "a");
        carer_ = ids.create_account(district_, "c" + scratch_->name + "@example.com", "", "돌봄", "x");
        identity::NewPerson p;
        p.district_id = district_;
        p.dong_id = dong_;
        p.name = "홍길순";
        p.phone = "01055500000";
        p.birth_date = "1940-01-01";
        p.address = "가동 1";
        p.created_by = carer_;
        person_ = ids.create_person(p);
        st_ = std::make_unique<CheckinStore>(*db_, keys_);
    }
    void TearDown() override {
        st_.reset();
        db_.reset();
        scratch_.reset();
    }
    identity::Keyring keys_ = identity::Keyring::from_master(std::string(32, 'k'));
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<CheckinStore> st_;
    long long district_ = 0, dong_ = 0, carer_ = 0, person_ = 0;
};

// Inbox messages (title, body) of an account, oldest first, and its outbox (channel, payload).
std::vector<std::pair<std::string, std::string>> messages(store::Database& db, const identity::Keyring& keys, long long account,
                                                          const char* table) {
    std::vector<std::pair<std::string, std::string>> out;
    db.read([&](soci::session& s) {
        std::string a, enc;
        bool inbox = std::string(table) == "inbox";
        soci::statement st = (s.prepare << (inbox ? "SELECT title, body_enc FROM inbox_messages WHERE account_id = :a ORDER BY id"
                                                  : "SELECT channel, payload_enc FROM outbox WHERE account_id = :a ORDER BY id"),
                              soci::into(a), soci::into(enc), soci::use(account));
        st.execute();
        while (st.fetch())
            out.emplace_back(a, keys.decrypt(enc, inbox ? notify::kInboxBodyContext : notify::kOutboxPayloadContext));
    });
    return out;
}

TEST_P(CheckinStorage, EveryStepTellsWhoMustActWithoutTheResidentsName) {
    identity::IdentityStore ids(*db_, keys_);
    long long team = ids.create_account(district_, "", "0105550" + std::to_string(1000 + dong_ % 1000), "돌봄팀원", "x");
    ids.add_grant(team, identity::Role::care_team, identity::ScopeKind::dong, dong_, district_, 0);
    long long worker = ids.create_account(district_, "w" + scratch_->name + "@example.com", "", "담당자", "x");
    ids.add_grant(worker, identity::Role::caseworker, identity::ScopeKind::dong, dong_, district_, 0);
    long long other_dong = ids.create_dong(district_, "b", "나동", "b");
    long long elsewhere = ids.create_account(district_, "e" + scratch_->name + "@example.com", "", "다른동", "x");
    ids.add_grant(elsewhere, identity::Role::caseworker, identity::ScopeKind::dong, other_dong, district_, 0);
    long long admin = ids.create_account(district_, "m" + scratch_->name + "@example.com", "", "관리자", "x");
    ids.add_grant(admin, identity::Role::district_admin, identity::ScopeKind::district, district_, district_, 0);
    st_->set_notifications("https://dure.example", true, true);

    const long long t0 = 1'800'000'000;
    auto a = st_->assign(district_, dong_, person_, carer_, 24, "test", t0);
    long long t = t0 + 24 * 3600 + kGraceSeconds + 1;
    ASSERT_EQ(st_->tick(t).opened, 1);
    // Step 1: the caregiver, by e-mail (they have no phone), not urgent.
    auto carer_in = messages(*db_, keys_, carer_, "inbox");
    ASSERT_EQ(carer_in.size(), 1u);
    EXPECT_EQ(carer_in[0].first, "[안부 확인 1단계] 돌봄이웃 재확인");
    EXPECT_NE(carer_in[0].second.find("가동 돌봄 배정 #" + std::to_string(a.id)), std::string::npos) << carer_in[0].second;
    EXPECT_NE(carer_in[0].second.find("정해진 때까지 안부 확인 기록이 없습니다"), std::string::npos);
    EXPECT_NE(carer_in[0].second.find("2시간 안에"), std::string::npos);
    auto carer_out = messages(*db_, keys_, carer_, "outbox");
    ASSERT_EQ(carer_out.size(), 1u);
    EXPECT_EQ(carer_out[0].first, "email");
    EXPECT_NE(carer_out[0].second.find("https://dure.example/staff/checkins"), std::string::npos);
    EXPECT_NE(carer_out[0].second.find("\"urgent\":false"), std::string::npos);
    EXPECT_TRUE(messages(*db_, keys_, team, "inbox").empty());
    // Step 2: the dong's care team, by SMS, urgent.
    t += 2 * 3600;
    ASSERT_EQ(st_->tick(t).advanced, 1);
    auto team_out = messages(*db_, keys_, team, "outbox");
    ASSERT_EQ(team_out.size(), 1u);
    EXPECT_EQ(team_out[0].first, "sms");
    EXPECT_NE(team_out[0].second.find("\"urgent\":true"), std::string::npos);
    EXPECT_NE(team_out[0].second.find("https://dure.example/staff/checkins"), std::string::npos);
    EXPECT_TRUE(messages(*db_, keys_, worker, "inbox").empty());
    // Step 3: the dong's caseworker; step 4: caseworker and care team. Never the other dong's
    // caseworker, never the administrator while the dong has people.
    t += 4 * 3600;
    ASSERT_EQ(st_->tick(t).advanced, 1);
    t += 18 * 3600;
    ASSERT_EQ(st_->tick(t).advanced, 1);
    auto worker_in = messages(*db_, keys_, worker, "inbox");
    ASSERT_EQ(worker_in.size(), 2u);
    EXPECT_EQ(worker_in[0].first, "[안부 확인 3단계] 담당 공무원 방문");
    EXPECT_EQ(worker_in[1].first, "[안부 확인 4단계] 긴급 출동 요청 (119·112)");
    EXPECT_NE(worker_in[1].second.find("119·112에 출동을 요청"), std::string::npos);
    EXPECT_EQ(messages(*db_, keys_, team, "inbox").size(), 2u);
    EXPECT_TRUE(messages(*db_, keys_, elsewhere, "inbox").empty());
    EXPECT_TRUE(messages(*db_, keys_, admin, "inbox").empty());
    // Fine: those told at step 4 learn it is over.
    st_->record(a, "fine", "", carer_, "visit", t + 60);
    worker_in = messages(*db_, keys_, worker, "inbox");
    ASSERT_EQ(worker_in.size(), 3u);
    EXPECT_NE(worker_in[2].first.find("[안부 확인 종료]"), std::string::npos);
    // No message anywhere names the resident, their phone or address.
    for (long long acc : {carer_, team, worker})
        for (const char* table : {"inbox", "outbox"})
            for (const auto& [x, body] : messages(*db_, keys_, acc, table)) {
                EXPECT_EQ(body.find("홍길순"), std::string::npos) << body;
                EXPECT_EQ(body.find("01055500000"), std::string::npos) << body;
                EXPECT_EQ(body.find("가동 1"), std::string::npos) << body;
            }
}

TEST_P(CheckinStorage, AStepWithNobodyInTheRoleGoesToTheNextOnesUp) {
    identity::IdentityStore ids(*db_, keys_);
    long long admin = ids.create_account(district_, "m" + scratch_->name + "@example.com", "", "관리자", "x");
    ids.add_grant(admin, identity::Role::district_admin, identity::ScopeKind::district, district_, district_, 0);
    // No channels configured: inbox messages only, nothing queued that could never be sent.
    auto a = st_->assign(district_, dong_, person_, carer_, 24, "test", 1000);
    st_->record(a, "concern", "", carer_, "call", 2000);  // opens at step 2: no care team, no caseworker
    auto in = messages(*db_, keys_, admin, "inbox");
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(in[0].first, "[안부 확인 2단계] 돌봄팀 전화 확인");
    EXPECT_TRUE(messages(*db_, keys_, admin, "outbox").empty());
    long long worker = ids.create_account(district_, "w" + scratch_->name + "@example.com", "", "담당자", "x");
    ids.add_grant(worker, identity::Role::caseworker, identity::ScopeKind::district, district_, district_, 0);
    st_->tick(2000 + 4 * 3600);  // step 3: a district-wide caseworker now serves the dong
    EXPECT_EQ(messages(*db_, keys_, worker, "inbox").size(), 1u);
    EXPECT_EQ(messages(*db_, keys_, admin, "inbox").size(), 1u);
}

TEST_P(CheckinStorage, MissedCheckInClimbsTheLadderUntilFine) {
    const long long t0 = 1'800'000'000;
    auto a = st_->assign(district_, dong_, person_, carer_, 168, "test", t0);
    EXPECT_EQ(st_->tick(t0 + 168 * 3600).opened, 0);  // due, but within the grace period
    auto t = t0 + 168 * 3600 + kGraceSeconds + 1;
    EXPECT_EQ(st_->tick(t).opened, 1);
    EXPECT_EQ(st_->tick(t).opened, 0);  // one open escalation at a time
    auto e = st_->open_escalation(a.id);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->step, 1);
    EXPECT_EQ(e->reason, "missed");
    EXPECT_EQ(st_->tick(t + 2 * 3600 - 1).advanced, 0);  // not before its time
    long long now = t;
    for (int step = 2; step <= 4; ++step) {
        now += ladder()[step - 2].wait_seconds;
        EXPECT_EQ(st_->tick(now).advanced, 1) << step;
        EXPECT_EQ(st_->open_escalation(a.id)->step, step);
    }
    EXPECT_EQ(st_->tick(now + 86400 * 30).advanced, 0);  // the last step stays
    EXPECT_FALSE(st_->record(a, "fine", "괜찮으심", carer_, "call", now + 10));
    EXPECT_FALSE(st_->open_escalation(a.id));
    auto cs = st_->checkins(a.id);
    ASSERT_EQ(cs.size(), 1u);
    EXPECT_EQ(cs[0].note, "괜찮으심");
    std::string raw;
    db_->read([&](soci::session& s) { s << "SELECT note_enc FROM checkins", soci::into(raw); });
    EXPECT_EQ(raw.find("괜찮"), std::string::npos);
}

TEST_P(CheckinStorage, ParallelNotReachedCheckInsOpenOneEscalation) {
    // Issue 12 / review T5: 20 parallel "not reached" check-ins opened 5 escalations on
    // PostgreSQL; a "fine" closed one and the others climbed to step 4.
    auto wide = store::Database::open(scratch_->url, 8);
    CheckinStore st(*wide, keys_);
    const long long t0 = 1'800'000'000;
    auto a = st.assign(district_, dong_, person_, carer_, 24, "test", t0);
    for (int round = 0; round < 3; ++round) {
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i)
            threads.emplace_back([&, i] { st.record(a, "not_reached", "", carer_, "call", t0 + 100 * round + i); });
        for (auto& t : threads) t.join();
        long long open = 0;
        wide->read([&](soci::session& s) {
            s << "SELECT COUNT(*) FROM escalations WHERE assignment_id = :a AND closed_at = 0", soci::into(open), soci::use(a.id);
        });
        EXPECT_EQ(open, 1) << "round " << round;
        EXPECT_EQ(st.open_escalations(district_, dong_).size(), 1u);
        EXPECT_FALSE(st.record(a, "fine", "", carer_, "call", t0 + 100 * round + 50));
        EXPECT_FALSE(st.open_escalation(a.id)) << "fine closes every open escalation";
    }
}

TEST_P(CheckinStorage, TheDatabaseAllowsOneOpenEscalationPerAssignment) {
    const long long t0 = 1'800'000'000;
    auto a = st_->assign(district_, dong_, person_, carer_, 24, "test", t0);
    ASSERT_TRUE(st_->record(a, "not_reached", "", carer_, "call", t0));
    // A code path that forgot to look first is refused by the partial unique index.
    EXPECT_ANY_THROW(db_->write([&](soci::session& s) {
        s << "INSERT INTO escalations (assignment_id, reason, opened_at, step, next_at) VALUES (:a, 'missed', 1, 1, 1)",
            soci::use(a.id);
    }));
    // Closed ones do not count.
    db_->write([&](soci::session& s) { s << "UPDATE escalations SET closed_at = 5 WHERE assignment_id = :a", soci::use(a.id); });
    EXPECT_NO_THROW(db_->write([&](soci::session& s) {
        s << "INSERT INTO escalations (assignment_id, reason, opened_at, step, next_at) VALUES (:a, 'missed', 1, 1, 1)",
            soci::use(a.id);
    }));
    // A tick racing a check-in opens nothing more.
    EXPECT_EQ(st_->tick(t0 + 10 * 86400).opened, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CheckinStorage, ::testing::ValuesIn(testing::storage_backends()));

TEST(CheckinAuthz, ACaregiverRecordsOnlyForTheirOwnResidents) {
    identity::Principal carer;
    carer.account_id = 7;
    carer.grants.push_back({1, identity::Role::caregiver, identity::ScopeKind::dong, 5, 1, ""});
    identity::Target mine{1, 5, 0, 7}, someone_elses{1, 5, 0, 8};
    EXPECT_TRUE(identity::authorize(carer, identity::Action::record_checkin, mine).allowed);
    auto d = identity::authorize(carer, identity::Action::record_checkin, someone_elses);
    EXPECT_FALSE(d.allowed);
    EXPECT_NE(d.reason.find("assigned caregiver"), std::string::npos) << d.reason;
    EXPECT_FALSE(identity::authorize(carer, identity::Action::read_checkins, mine).allowed);
}

}  // namespace
}  // namespace dure::checkins
