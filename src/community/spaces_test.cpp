// Meeting spaces: the pure booking checks, and on SQLite and (DURE_TEST_PG) PostgreSQL never a
// double booking when many people ask for overlapping hours at once; a rejection frees the hours.
#include "community/spaces.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <thread>

#include "../../tests/unit/scratch_database.hpp"
#include "identity/store.hpp"

namespace dure::community {
namespace {

constexpr long long kNow = 1'800'000'000;

std::string first_error(const Space& s, const Booking& b) {
    FieldErrors errors;
    check_booking(s, b, errors);
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        return e.fields().front().field + ":" + e.fields().front().code;
    }
    return "(ok)";
}

TEST(CommunitySpaceRules, OpeningHoursMidnightCapacity) {
    Space s;
    s.capacity = 12;
    s.opens_hour = 9;
    s.closes_hour = 22;
    Booking b;
    b.day = "2026-12-09";
    b.start_hour = 10;
    b.end_hour = 12;
    b.attendees = 8;
    EXPECT_EQ(first_error(s, b), "(ok)");
    b.start_hour = 8;
    EXPECT_EQ(first_error(s, b), "start_hour:outside_opening_hours");
    b.start_hour = 20;
    b.end_hour = 23;
    EXPECT_EQ(first_error(s, b), "end_hour:outside_opening_hours");
    b.start_hour = 21;
    b.end_hour = 2;  // 21:00 to 02:00 crosses midnight
    EXPECT_EQ(first_error(s, b), "end_hour:crosses_midnight");
    b.start_hour = 10;
    b.end_hour = 25;
    EXPECT_EQ(first_error(s, b), "end_hour:crosses_midnight");
    b.end_hour = 11;
    b.attendees = 13;
    EXPECT_EQ(first_error(s, b), "attendees:over_capacity");
    b.attendees = 5;
    b.day = "2026-02-30";
    EXPECT_EQ(first_error(s, b), "day:invalid_date");
}

TEST(CommunitySpaceRules, ICalendarInUtcWithoutNamesOrPurposes) {
    Space s;
    s.id = 3;
    s.name = "느티동 주민 사랑방";
    Booking b;
    b.id = 7;
    b.day = "2026-12-09";
    b.start_hour = 14;
    b.end_hour = 16;
    b.status = "approved";
    b.purpose = "비밀 모임";
    auto ics = icalendar(s, {b}, kNow);
    EXPECT_NE(ics.find("DTSTART:20261209T050000Z\r\n"), std::string::npos) << ics;
    EXPECT_NE(ics.find("DTEND:20261209T070000Z\r\n"), std::string::npos);
    EXPECT_NE(ics.find("STATUS:CONFIRMED"), std::string::npos);
    EXPECT_EQ(ics.find("비밀"), std::string::npos);
    EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
}

class CommunitySpaces : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "cs");
        db_ = store::Database::open(scratch_->url, 8);
        store::migrate(*db_);
        keys_ = std::make_unique<identity::Keyring>(identity::Keyring::from_master(std::string(32, 'k')));
        ids_ = std::make_unique<identity::IdentityStore>(*db_, *keys_);
        district_ = ids_->create_district("c" + scratch_->name, "한빛구", "Hanbit-gu");
        st_ = std::make_unique<SpaceStore>(*db_);
        Space s;
        s.district_id = district_;
        s.name = "사랑방";
        s.capacity = 20;
        space_ = st_->create(s, kNow);
    }
    void TearDown() override {
        st_.reset();
        ids_.reset();
        db_.reset();
        scratch_.reset();
    }
    Booking want(long long start, long long end, long long who) {
        Booking b;
        b.space_id = space_;
        b.account_id = who;
        b.day = "2026-12-09";
        b.start_hour = start;
        b.end_hour = end;
        b.purpose = "동아리";
        b.attendees = 5;
        return b;
    }
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<identity::Keyring> keys_;
    std::unique_ptr<identity::IdentityStore> ids_;
    std::unique_ptr<SpaceStore> st_;
    long long district_ = 0, space_ = 0;
};

TEST_P(CommunitySpaces, OverlappingRequestsAtOnceNeverDoubleBook) {
    constexpr int kThreads = 24;
    std::atomic<int> won{0}, refused{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t)
        ts.emplace_back([&, t] {
            while (!go) std::this_thread::yield();
            // Every request overlaps 13:00-14:00: 12-14, 13-15, 13-14 …
            try {
                st_->request(want(12 + t % 2, 14 + t % 3 / 2, 100 + t), kNow);
                ++won;
            } catch (const Error& e) {
                EXPECT_EQ(e.kind(), ErrorKind::conflict);
                EXPECT_EQ(e.fields().front().field, "start_hour");
                ++refused;
            }
        });
    go = true;
    for (auto& t : ts) t.join();
    EXPECT_EQ(won, 1);
    EXPECT_EQ(refused, kThreads - 1);
    long long slots = 0;
    db_->read([&](soci::session& s) { s << "SELECT COUNT(*) FROM community_booking_slots", soci::into(slots); });
    auto held = st_->of_space(space_);
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ(slots, held.front().end_hour - held.front().start_hour) << "no half-written booking";
}

TEST_P(CommunitySpaces, RejectionFreesTheHoursApprovalKeepsThem) {
    auto a = st_->request(want(10, 12, 1), kNow);
    EXPECT_THROW(st_->request(want(11, 13, 2), kNow), Error);
    st_->decide(a.id, "rejected", 9, "영리 목적", kNow);
    auto b = st_->request(want(11, 13, 2), kNow);
    EXPECT_EQ(st_->decide(b.id, "approved", 9, "", kNow).status, "approved");
    EXPECT_THROW(st_->request(want(12, 13, 3), kNow), Error);
    EXPECT_NO_THROW(st_->request(want(13, 15, 3), kNow)) << "adjacent hours are free";
}

INSTANTIATE_TEST_SUITE_P(Backends, CommunitySpaces, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::community
