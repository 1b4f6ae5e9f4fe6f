// Help matching's storage rules on both databases: one live connection per need (partial unique
// index), the ledger refuses UPDATE and DELETE, and the escalation of needs waiting too long
// reaches the dong's manager once.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "scratch_database.hpp"
#include "sharing/module.hpp"
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

INSTANTIATE_TEST_SUITE_P(Backends, SharingStorage, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::sharing
