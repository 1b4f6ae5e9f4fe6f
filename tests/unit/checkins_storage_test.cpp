// Check-ins on SQLite and (with DURE_TEST_PG) PostgreSQL: a missed check-in opens an escalation,
// the ladder climbs on its timers and stops at the last step, fine closes it; and the
// authorization rule that a caregiver records only for residents assigned to them.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "checkins/checkins.hpp"
#include "identity/authz.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
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
