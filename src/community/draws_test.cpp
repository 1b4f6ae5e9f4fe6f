// Draws stored on SQLite and (when DURE_TEST_PG is set) PostgreSQL: an event's 60 applications
// frozen after closing, 20 winners confirmed in one transaction with the rest waitlisted in draw
// order; a rerun needs a reason and stays beside the first; refusals name the field.
#include "community/draws.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "../../tests/unit/scratch_database.hpp"
#include "common/error.hpp"
#include "community/draw.hpp"
#include "community/events.hpp"
#include "identity/store.hpp"

namespace dure::community {
namespace {

constexpr long long kNow = 1'800'000'000;

class CommunityDraws : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "cd");
        db_ = store::Database::open(scratch_->url, 4);
        store::migrate(*db_);
        keys_ = std::make_unique<identity::Keyring>(identity::Keyring::from_master(std::string(32, 'k')));
        ids_ = std::make_unique<identity::IdentityStore>(*db_, *keys_);
        district_ = ids_->create_district("c" + scratch_->name, "한빛구", "Hanbit-gu");
        events_ = std::make_unique<EventStore>(*db_, *keys_);
        draws_ = std::make_unique<DrawStore>(*db_);
    }
    void TearDown() override {
        draws_.reset();
        events_.reset();
        ids_.reset();
        db_.reset();
        scratch_.reset();
    }
    Draw meta() {
        Draw d;
        d.district_id = district_;
        d.title = "김장하는 날 참가자 추첨";
        d.rule = "신청자 중 20명 무작위 추첨, 나머지는 추첨 순서대로 대기";
        d.legal_basis = "행사 참가자 선정 (경품 아님)";
        d.seed_source = "추첨일 공무원 2명과 참관인 1명이 공개로 뽑은 숫자";
        d.created_by = 1;
        return d;
    }
    std::string field_of(const std::function<void()>& f) {
        try {
            f();
        } catch (const Error& e) {
            return e.fields().empty() ? "(no field)" : e.fields().front().field + ":" + e.fields().front().code;
        }
        return "(no error)";
    }
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<identity::Keyring> keys_;
    std::unique_ptr<identity::IdentityStore> ids_;
    std::unique_ptr<EventStore> events_;
    std::unique_ptr<DrawStore> draws_;
    long long district_ = 0;
};

TEST_P(CommunityDraws, EventDrawConfirmsTheWinnersAndWaitlistsTheRestInDrawOrder) {
    Event e;
    e.district_id = district_;
    e.title = "1인 가구 김장하는 날";
    e.starts_at = kNow + 10 * 86400;
    e.ends_at = e.starts_at + 3600;
    e.closes_at = kNow + 86400;
    e.capacity = 20;
    e.allocation = "draw";
    auto ev = events_->create(e, kNow);
    std::vector<long long> accounts;
    for (int i = 0; i < 60; ++i) {
        auto a = ids_->create_account(district_, "a" + std::to_string(i) + scratch_->name + "@example.com", "",
                                      "신청자" + std::to_string(i), "x");
        db_->write([&](soci::session& s) { EXPECT_EQ(events_->register_in(s, ev, a, {}, kNow).status, "applied"); });
    }
    auto mask = [](long long) { return std::string("김*수"); };
    EXPECT_EQ(field_of([&] { draws_->freeze_event(meta(), ev, mask, kNow + 10); }), "event_id:still_open");
    auto id = draws_->freeze_event(meta(), ev, mask, kNow + 86400);
    auto d = draws_->draw(id);
    EXPECT_EQ(d->entrant_count, 60);
    EXPECT_EQ(d->winner_count, 20);
    std::vector<std::string> codes;
    for (const auto& x : draws_->entrants(id)) codes.push_back(x.code);
    EXPECT_EQ(d->list_hash, list_hash(codes));
    auto run = draws_->run(id, "12 07 33", "", 5, kNow + 90000);
    EXPECT_EQ(run.winners, run_draw(codes, "12 07 33", 20).winners) << "the stored run is the published function";
    auto ex = events_->event(ev);
    EXPECT_EQ(ex->taken, 20);
    EXPECT_EQ(ex->waitlisted, 40);
    // The waitlist follows the draw order.
    std::map<long long, std::string> code_of;
    for (const auto& x : draws_->entrants(id)) code_of[x.registration_id] = x.code;
    std::vector<std::string> waitlist;
    for (const auto& r : events_->of_event(ev))
        if (r.status == "waitlisted") waitlist.push_back(code_of[r.id]);
    EXPECT_EQ(waitlist, std::vector<std::string>(run.order.begin() + 20, run.order.end()));
    // No silent rerun; with a reason it stays beside the first.
    EXPECT_EQ(field_of([&] { draws_->run(id, "other", "", 5, kNow + 90001); }), "reason:rerun_needs_reason");
    draws_->run(id, "44 02 19", "추첨 번호 입력 오류 (참관인 확인)", 5, kNow + 90002);
    auto runs = draws_->runs(id);
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].seed, "12 07 33");
    EXPECT_EQ(runs[1].reason, "추첨 번호 입력 오류 (참관인 확인)");
    EXPECT_EQ(events_->event(ev)->taken, 20);
}

TEST_P(CommunityDraws, RefusesMoreWinnersThanEntrantsAndWritesNothing) {
    auto d = meta();
    d.winner_count = 3;
    std::vector<DrawEntrant> two{{"P-1", "김*수", 0, 0}, {"P-2", "이*", 0, 0}};
    EXPECT_EQ(field_of([&] { draws_->freeze(d, two, kNow); }), "winner_count:more_than_entrants");
    d.legal_basis = "";
    EXPECT_EQ(field_of([&] { draws_->freeze(d, two, kNow); }), "legal_basis:required");
    EXPECT_TRUE(draws_->list(district_).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, CommunityDraws, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::community
