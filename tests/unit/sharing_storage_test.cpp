// Help matching's storage rules on both databases: one live connection per need (partial unique
// index), the ledger refuses UPDATE and DELETE, and the escalation of needs waiting too long
// reaches the dong's manager once.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "scratch_database.hpp"
#include "sharing/erasure.hpp"
#include "sharing/module.hpp"
#include "sharing/notices.hpp"
#include "sharing/store.hpp"
#include "store/database.hpp"

namespace dure::sharing {
namespace {

class SharingStorage : public ::testing::TestWithParam<std::string> {};

TEST_P(SharingStorage, OneLiveConnectionAppendOnlyLedgerAndEscalation) {
    testing::ScratchDatabase scratch(GetParam(), "sharing");
    auto db = store::Database::open(scratch.url, 2);
    store::migrate(*db);
    auto keys = identity::Keyring::from_master(std::string(32, 's'));
    identity::IdentityStore ids(*db, keys);
    long long district = ids.create_district("sd", "나눔구", "Nanum-gu");
    long long dong = ids.create_dong(district, "d1", "가동", "Ga-dong");
    long long other = ids.create_dong(district, "d2", "나동", "Na-dong");
    long long helper = ids.create_account(district, "h@example.com", "", "돕는이", "x");
    long long resident = ids.create_account(district, "r@example.com", "", "받는이", "x");
    long long manager = ids.create_account(district, "m@example.com", "", "담당", "x");
    long long far = ids.create_account(district, "f@example.com", "", "다른동", "x");
    ids.add_grant(manager, identity::Role::caseworker, identity::ScopeKind::dong, dong, district, 0);
    ids.add_grant(far, identity::Role::caseworker, identity::ScopeKind::dong, other, district, 0);
    SharingStore store(*db, keys);
    long long now = 2000000000;
    Offer o;
    o.district_id = district;
    o.dong_id = dong;
    o.who.account_id = helper;
    o.subfields = {"R02"};
    o.when = {1, 9, 18};
    o.entered_by = helper;
    o.consent_at = o.created_at = now;
    Need n;
    n.district_id = district;
    n.dong_id = dong;
    n.who.account_id = resident;
    n.subfield = "R02";
    n.window_from = n.window_to = "2033-05-18";
    n.when = {1, 10, 12};
    n.entered_by = resident;
    n.consent_at = n.created_at = now - 20 * 86400;
    db->write([&](soci::session& s) {
        o.id = store.insert_offer(s, o);
        n.id = store.insert_need(s, n);
        store.vet_offer(s, o.id, true, "training", manager, now, "");
        store.vet_need(s, n.id, true, manager, now - 10 * 86400, "");
    });
    // Waiting 10 days with a 7-day setting: the dong's caseworker is told, once; not the other dong's.
    EXPECT_EQ(escalate_waiting(store, ids, keys, now, 7), 1);
    EXPECT_EQ(escalate_waiting(store, ids, keys, now + 3600, 7), 0);
    long long to_manager = 0, to_far = 0;
    db->read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM inbox_messages WHERE account_id = :a", soci::use(manager), soci::into(to_manager);
        s << "SELECT COUNT(*) FROM inbox_messages WHERE account_id = :a", soci::use(far), soci::into(to_far);
    });
    EXPECT_EQ(to_manager, 1);
    EXPECT_EQ(to_far, 0);

    auto full_o = store.offer(o.id);
    auto full_n = store.need(n.id);
    long long first = 0;
    db->write([&](soci::session& s) { first = store.insert_connection(s, *full_n, *full_o, manager, now); });
    bool refused = false;
    try {
        db->write([&](soci::session& s) { store.insert_connection(s, *full_n, *full_o, manager, now); });
    } catch (const std::exception& e) {
        refused = store::is_unique_violation(e);
    }
    EXPECT_TRUE(refused) << "a second live connection for one need";
    // Once the first is cancelled, the need can be connected again.
    db->write([&](soci::session& s) { EXPECT_TRUE(store.step(s, first, "proposed", "cancelled", "ended_at", now, "cancel_reason", "아파서")); });
    db->write([&](soci::session& s) { EXPECT_GT(store.insert_connection(s, *full_n, *full_o, manager, now), first); });

    LedgerRow r;
    r.kind = "entry";
    r.connection_id = first;
    r.helper_offer_id = o.id;
    r.day = "2033-05-18";
    r.minutes = 60;
    r.actor = manager;
    r.at = now;
    db->write([&](soci::session& s) { r = store.append(s, district, dong, r); });
    EXPECT_EQ(verify_chain(store.ledger(district)), 0);
    EXPECT_ANY_THROW(db->write([&](soci::session& s) { s << "UPDATE sharing_ledger SET minutes = 480"; }));
    EXPECT_ANY_THROW(db->write([&](soci::session& s) { s << "DELETE FROM sharing_ledger"; }));
    EXPECT_EQ(store.ledger(district).front().minutes, 60);
}

// Every state change reaches a side by inbox, and by SMS and e-mail where those channels are
// configured and the account has a phone / an e-mail; a live connection blocks erasure of both
// sides (account and person record) until it ends; an edit and a withdrawal are refused while a
// connection is live, and feedback is once per side.
TEST_P(SharingStorage, DeliveriesErasureGuardEditsAndFeedback) {
    testing::ScratchDatabase scratch(GetParam(), "sharing2");
    auto db = store::Database::open(scratch.url, 2);
    store::migrate(*db);
    auto keys = identity::Keyring::from_master(std::string(32, 's'));
    identity::IdentityStore ids(*db, keys);
    long long district = ids.create_district("sd", "나눔구", "Nanum-gu");
    long long dong = ids.create_dong(district, "d1", "가동", "Ga-dong");
    long long helper = ids.create_account(district, "h@example.com", "01055500001", "돕는이", "x");
    long long manager = ids.create_account(district, "m@example.com", "", "담당", "x");
    identity::NewPerson np;
    np.district_id = district;
    np.dong_id = dong;
    np.name = "오프라인";
    np.phone = "01055500002";
    np.created_by = manager;
    long long person = ids.create_person(np);
    SharingStore store(*db, keys);
    long long now = 2000000000;
    Offer o;
    o.district_id = district;
    o.dong_id = dong;
    o.who.account_id = helper;
    o.subfields = {"R02"};
    o.when = {1, 9, 18};
    o.entered_by = helper;
    o.consent_at = o.created_at = now;
    Need n;
    n.district_id = district;
    n.dong_id = dong;
    n.who.person_id = person;
    n.subfield = "R02";
    n.window_from = n.window_to = "2033-05-18";
    n.when = {1, 10, 12};
    n.entered_by = manager;
    n.consent_method = "phone";
    n.consent_at = n.created_at = now;
    long long k = 0;
    db->write([&](soci::session& s) {
        o.id = store.insert_offer(s, o);
        n.id = store.insert_need(s, n);
        store.vet_offer(s, o.id, true, "training", manager, now, "");
        store.vet_need(s, n.id, true, manager, now, "");
        EXPECT_EQ(live_connection_of(s, helper, 0), 0);
        k = store.insert_connection(s, *store.need(s, n.id), *store.offer(s, o.id), manager, now);
    });

    // Deliveries: both channels configured; the helper has both, the manager only an e-mail.
    Channels both{true, true, "https://dure.example"};
    db->write([&](soci::session& s) {
        tell(s, keys, both, helper, "sharing_proposed", "도움 연결 제안: 전화 말벗", "나의 참여에서 수락해 주세요.", now);
        tell(s, keys, both, manager, "sharing_proposed", "도움 연결 제안: 전화 말벗", "전달해 주세요.", now);
        tell(s, keys, Channels{}, helper, "sharing_accepted", "연결이 확정되었습니다", "", now);
    });
    auto outbox = [&](long long account, const std::string& channel) {
        long long c = 0;
        db->read([&](soci::session& s) {
            s << "SELECT COUNT(*) FROM outbox WHERE account_id = :a AND channel = :c", soci::use(account), soci::use(channel),
                soci::into(c);
        });
        return c;
    };
    EXPECT_EQ(outbox(helper, "sms"), 1);
    EXPECT_EQ(outbox(helper, "email"), 1);
    EXPECT_EQ(outbox(manager, "sms"), 0) << "no phone, no SMS";
    EXPECT_EQ(outbox(manager, "email"), 1);
    long long inbox = 0;
    db->read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM inbox_messages WHERE account_id = :a", soci::use(helper), soci::into(inbox);
    });
    EXPECT_EQ(inbox, 2) << "the inbox always, channels or not";

    // Live: erasure of either side is blocked; edits and withdrawal refused.
    db->read([&](soci::session& s) {
        EXPECT_EQ(live_connection_of(s, helper, 0), k);
        EXPECT_EQ(live_connection_of(s, 0, person), k);
        EXPECT_EQ(live_connection_of(s, manager, 0), 0);
    });
    Offer edited = *store.offer(o.id);
    edited.when.hour_from = 8;
    db->write([&](soci::session& s) {
        EXPECT_FALSE(store.update_offer(s, edited, false, now));
        EXPECT_FALSE(store.withdraw_offer(s, o.id, now));
        EXPECT_FALSE(store.withdraw_need(s, n.id, now));
    });
    EXPECT_EQ(store.offer(o.id)->when.hour_from, 9);

    // Completed: no longer live; edits go through (a vetted field: back to pending), feedback once per side.
    db->write([&](soci::session& s) { EXPECT_TRUE(store.step(s, k, "proposed", "completed", "ended_at", now)); });
    db->read([&](soci::session& s) { EXPECT_EQ(live_connection_of(s, helper, 0), 0); });
    edited.subfields = {"R02", "R04"};
    db->write([&](soci::session& s) { EXPECT_TRUE(store.update_offer(s, edited, true, now)); });
    auto after = store.offer(o.id);
    EXPECT_EQ(after->status, "pending");
    EXPECT_EQ(after->vetted_level, "none");
    EXPECT_EQ(after->when.hour_from, 8);
    Feedback f;
    f.connection_id = k;
    f.district_id = district;
    f.side = "recipient";
    f.outcome = "partly";
    f.reason = "늦게 오셨어요";
    f.written_by = manager;
    f.consent_method = "phone";
    f.at = now;
    db->write([&](soci::session& s) { store.insert_feedback(s, f); });
    bool twice = false;
    try {
        db->write([&](soci::session& s) { store.insert_feedback(s, f); });
    } catch (const std::exception& e) {
        twice = store::is_unique_violation(e);
    }
    EXPECT_TRUE(twice) << "one feedback per side";
    auto fb = store.feedback(k);
    ASSERT_EQ(fb.size(), 1u);
    EXPECT_EQ(fb[0].reason, "늦게 오셨어요");
    std::string raw;
    db->read([&](soci::session& s) { s << "SELECT reason_enc FROM sharing_feedback", soci::into(raw); });
    EXPECT_EQ(raw.find("늦게"), std::string::npos) << "the reason is encrypted at rest";
    db->write([&](soci::session& s) { EXPECT_TRUE(store.withdraw_need(s, n.id, now)); });
    EXPECT_EQ(store.need(n.id)->status, "closed");
}

INSTANTIATE_TEST_SUITE_P(Backends, SharingStorage, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::sharing
