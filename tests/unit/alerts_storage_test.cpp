// Member profiles and alerts on SQLite and (with DURE_TEST_PG) PostgreSQL: households encrypted at
// rest, re-screening that tells a member once, the outbox's backoff until it gives up, quiet
// hours; and the pure parts (quiet-hour arithmetic, the recommender's learning step).
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "alerts/alerts.hpp"
#include "alerts/recommend.hpp"
#include "eligibility/store.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "notify/outbox.hpp"
#include "notify/channels.hpp"
#include "scratch_database.hpp"
#include "store/database.hpp"

namespace dure::eligibility {
namespace {

// Fakes at the edge of the world: they record what would have been sent, or fail on demand.
struct FakeEmail : notify::EmailSender {
    std::vector<notify::Email> sent;
    bool fail = false;
    void send(const notify::Email& e) override {
        if (fail) throw std::runtime_error("smtp: connection refused");
        sent.push_back(e);
    }
};

const char* kHousehold =
    R"({"members":[{"relation":"self","birth_date":"1950-02-01"}],"residence":{"region":"seoul","tenure":"monthly_rent","rent":200000},)"
    R"("incomes":{"public_transfer":150000},"assets":{}})";

class AlertsStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "al");
        db_ = store::Database::open(scratch_->url, 4);
        store::migrate(*db_);
        ids_ = std::make_unique<identity::IdentityStore>(*db_, keys_);
        district_ = ids_->create_district("d" + scratch_->name, "구", "gu");
        account_ = ids_->create_account(district_, "a" + scratch_->name + "@example.com", "", "가", "x");
        profiles_ = std::make_unique<ProfileStore>(*db_, keys_);
        rules_ = Rules::embedded();
        alerts_ = std::make_unique<AlertService>(*db_, keys_, *ids_, *profiles_, rules_, "https://dure.example");
        auto fake = std::make_unique<FakeEmail>();
        email_ = fake.get();
        alerts_->set_email(std::move(fake));
    }
    void TearDown() override {
        alerts_.reset();
        profiles_.reset();
        ids_.reset();
        db_.reset();
        scratch_.reset();
    }
    std::string raw(const std::string& sql) {
        std::string out;
        db_->read([&](soci::session& s) { s << sql, soci::into(out); });
        return out;
    }
    long long count(const std::string& sql) {
        long long n = 0;
        db_->read([&](soci::session& s) { s << sql, soci::into(n); });
        return n;
    }

    identity::Keyring keys_ = identity::Keyring::from_master(std::string(32, 'a'));
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<identity::IdentityStore> ids_;
    std::unique_ptr<ProfileStore> profiles_;
    std::shared_ptr<const Rules> rules_;
    std::unique_ptr<AlertService> alerts_;
    FakeEmail* email_ = nullptr;
    long long district_ = 0, account_ = 0;
};

TEST_P(AlertsStorage, HouseholdsAreEncryptedAtRestAndOnlyConsentingOnesAreScreened) {
    Profile p;
    p.account_id = account_;
    p.household_json = kHousehold;
    profiles_->save_profile(p);
    EXPECT_EQ(raw("SELECT household_enc FROM member_profiles").find("1950-02-01"), std::string::npos);
    EXPECT_EQ(profiles_->profile(account_)->household_json, kHousehold);
    EXPECT_TRUE(profiles_->consented().empty());
    p.alerts_consent = true;
    profiles_->save_profile(p);
    ASSERT_EQ(profiles_->consented().size(), 1u);
    profiles_->save_simulation(account_, "2025-06-01", R"({"household":{},"summary":[]})");
    profiles_->erase(account_);
    EXPECT_FALSE(profiles_->profile(account_));
    EXPECT_EQ(count("SELECT COUNT(*) FROM saved_simulations"), 0);
}

TEST_P(AlertsStorage, ReScreeningTellsOnceThenOnlyOfChanges) {
    profiles_->save_profile(Profile{account_, kHousehold, true, "{}", 0});
    alerts_->save_settings(account_, AlertSettings{true, false, 0, 0});
    auto d2025 = *parse_date("2025-06-01"), d2026 = *parse_date("2026-06-01");
    auto first = alerts_->rescreen(d2025, 1000);
    EXPECT_EQ(first.notified, 1);
    EXPECT_GE(first.changes, 2);  // at least livelihood benefit and basic pension
    EXPECT_EQ(alerts_->rescreen(d2025, 2000).notified, 0);
    EXPECT_EQ(alerts_->rescreen(d2026, 3000).notified, 1);  // new year's amounts
    auto inbox = alerts_->inbox(account_);
    ASSERT_EQ(inbox.size(), 2u);
    EXPECT_NE(inbox[1].body.find("생계급여"), std::string::npos);
    EXPECT_EQ(raw("SELECT body_enc FROM inbox_messages ORDER BY id LIMIT 1").find("생계급여"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE channel = 'email'"), 2);
    // Delivery: the fake e-mail receives both, with the unsubscribe link.
    auto st = alerts_->deliver(4000);
    EXPECT_EQ(st.sent, 2);
    ASSERT_EQ(email_->sent.size(), 2u);
    EXPECT_NE(email_->sent[0].unsubscribe_url.find("/unsubscribe?token="), std::string::npos);
    // The token turns everything off; a forged one does nothing.
    auto token = alerts_->unsubscribe_token(account_);
    EXPECT_FALSE(alerts_->unsubscribe(token.substr(0, token.size() - 1) + (token.back() == '0' ? "1" : "0")));
    EXPECT_FALSE(alerts_->unsubscribe("garbage"));
    EXPECT_TRUE(alerts_->unsubscribe(token));
    EXPECT_FALSE(alerts_->settings(account_).email);
    EXPECT_TRUE(profiles_->consented().empty());
}

TEST_P(AlertsStorage, FailedDeliveriesBackOffThenGiveUp) {
    profiles_->save_profile(Profile{account_, kHousehold, true, "{}", 0});
    alerts_->save_settings(account_, AlertSettings{true, false, 0, 0});
    alerts_->rescreen(*parse_date("2025-06-01"), 1000);
    email_->fail = true;
    long long now = 1000;
    for (std::size_t i = 0; i < std::size(kBackoff); ++i) {
        auto st = alerts_->deliver(now);
        EXPECT_EQ(st.retried, 1) << i;
        EXPECT_EQ(alerts_->deliver(now + kBackoff[i] - 1).retried, 0) << "not before its time";
        now += kBackoff[i];
    }
    auto last = alerts_->deliver(now);
    EXPECT_EQ(last.dead, 1);
    EXPECT_EQ(raw("SELECT status FROM outbox"), "dead");
    EXPECT_NE(raw("SELECT last_error FROM outbox").find("connection refused"), std::string::npos);
}

TEST_P(AlertsStorage, QuietHoursDeferDelivery) {
    profiles_->save_profile(Profile{account_, kHousehold, true, "{}", 0});
    alerts_->save_settings(account_, AlertSettings{true, false, 21, 8});
    alerts_->rescreen(*parse_date("2025-06-01"), 1000);
    long long kst_midnight = 86400LL * 20000 - 9 * 3600;  // 00:00 in Korea
    long long kst_2300 = kst_midnight + 23 * 3600;
    auto st = alerts_->deliver(kst_2300);
    EXPECT_EQ(st.deferred, 1);
    EXPECT_EQ(st.sent, 0);
    EXPECT_EQ(count("SELECT next_attempt_at FROM outbox"), kst_2300 + 9 * 3600);  // 08:00 next morning
}

TEST_P(AlertsStorage, UrgentMessagesGoOutInQuietHours) {
    // A check-in escalation for the staff on duty is marked urgent: it is sent at 23:00 while an
    // ordinary message to the same account waits for the morning.
    alerts_->save_settings(account_, AlertSettings{true, false, 21, 8});
    db_->write([&](soci::session& s) {
        notify::enqueue(s, keys_, account_, "checkin_escalation", "[안부 확인 3단계]", "본문",
                        {{"email", R"({"to":"a@example.com","subject":"급함","text":"t","unsubscribe":"","urgent":true})"},
                         {"email", R"({"to":"a@example.com","subject":"보통","text":"t","unsubscribe":""})"}},
                        1000);
    });
    long long kst_2300 = 86400LL * 20000 - 9 * 3600 + 23 * 3600;
    auto st = alerts_->deliver(kst_2300);
    EXPECT_EQ(st.sent, 1);
    EXPECT_EQ(st.deferred, 1);
    ASSERT_EQ(email_->sent.size(), 1u);
    EXPECT_EQ(email_->sent[0].subject, "급함");
    EXPECT_EQ(alerts_->inbox(account_).at(0).title, "[안부 확인 3단계]");
    EXPECT_EQ(alerts_->inbox(account_).at(0).body, "본문");
}

// Outbox rows for the tests below: `n` e-mails to the test account, the i-th urgent when `urgent(i)`.
void queue_emails(store::Database& db, const identity::Keyring& keys, long long account, int n, bool urgent = false) {
    db.write([&](soci::session& s) {
        for (int i = 0; i < n; ++i)
            notify::enqueue(s, keys, account, "test", "t" + std::to_string(i), "b",
                            {{"email", R"({"to":"a@example.com","subject":"m)" + std::to_string(i) +
                                           R"(","text":"t","unsubscribe":"")" + (urgent ? ",\"urgent\":true" : "") + "}"}},
                            1000);
    });
}

// A slow receiver that counts what it got, by Message-ID.
struct CountingEmail : notify::EmailSender {
    std::mutex mu;
    std::map<std::string, int> by_id;
    std::vector<std::string> order;
    void send(const notify::Email& e) override {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::lock_guard lk(mu);
        ++by_id[e.message_id];
        order.push_back(e.subject);
    }
};

TEST_P(AlertsStorage, AnUndecodableRowGoesToTheDeadLettersAndTheQueueGoesOn) {
    // Review T4: one undecodable row made every delivery pass throw (and escalation with it).
    db_->write([&](soci::session& s) {
        s << "INSERT INTO outbox (account_id, channel, payload_enc, status, next_attempt_at, created_at) "
             "VALUES (:a, 'email', 'v1.AAAA', 'pending', 0, 0)",
            soci::use(account_);
    });
    queue_emails(*db_, keys_, account_, 2);
    DeliveryStats st;
    ASSERT_NO_THROW(st = alerts_->deliver(2000));
    EXPECT_EQ(st.dead, 1);
    EXPECT_EQ(st.sent, 2);
    EXPECT_EQ(email_->sent.size(), 2u);
    EXPECT_EQ(raw("SELECT status FROM outbox WHERE payload_enc = 'v1.AAAA'"), "dead");
    EXPECT_NE(raw("SELECT last_error FROM outbox WHERE payload_enc = 'v1.AAAA'").find("undecodable"), std::string::npos);
}

TEST_P(AlertsStorage, UrgentMessagesGoFirstAndEmailsCarryTheOutboxIdAsMessageId) {
    queue_emails(*db_, keys_, account_, 3);
    queue_emails(*db_, keys_, account_, 1, true);
    alerts_->deliver(2000);
    ASSERT_EQ(email_->sent.size(), 4u);
    EXPECT_EQ(email_->sent[0].message_id, "outbox-4") << "the urgent one, queued last, went first";
    EXPECT_EQ(email_->sent[1].message_id, "outbox-1");
}

TEST_P(AlertsStorage, TwoSendersOnOneDatabaseSendEachMessageOnce) {
    // Review T5: two processes each sent every message. Two senders with their own connections
    // (as two processes) deliver the same queue at the same time.
    queue_emails(*db_, keys_, account_, 30);
    auto counting = std::make_shared<CountingEmail>();
    struct Forward : notify::EmailSender {
        std::shared_ptr<CountingEmail> to;
        void send(const notify::Email& e) override { to->send(e); }
    };
    std::vector<std::unique_ptr<store::Database>> dbs;
    std::vector<std::unique_ptr<identity::IdentityStore>> idss;
    std::vector<std::unique_ptr<ProfileStore>> profs;
    std::vector<std::unique_ptr<AlertService>> senders;
    for (int i = 0; i < 2; ++i) {
        // SQLite serves one process: its two senders share the process's connections.
        if (GetParam() == "postgresql") dbs.push_back(store::Database::open(scratch_->url, 2));
        auto& db = GetParam() == "postgresql" ? *dbs.back() : *db_;
        idss.push_back(std::make_unique<identity::IdentityStore>(db, keys_));
        profs.push_back(std::make_unique<ProfileStore>(db, keys_));
        senders.push_back(std::make_unique<AlertService>(db, keys_, *idss.back(), *profs.back(), rules_, "https://x"));
        auto f = std::make_unique<Forward>();
        f->to = counting;
        senders.back()->set_email(std::move(f));
    }
    std::thread a([&] { senders[0]->deliver(2000); }), b([&] { senders[1]->deliver(2000); });
    a.join();
    b.join();
    EXPECT_EQ(counting->by_id.size(), 30u);
    for (const auto& [id, n] : counting->by_id) EXPECT_EQ(n, 1) << id;
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'"), 30);
}

TEST_P(AlertsStorage, ARowClaimedByASenderThatDiedComesBack) {
    queue_emails(*db_, keys_, account_, 1);
    long long stale = store::now_unix() - 1;
    db_->write([&](soci::session& s) { s << "UPDATE outbox SET status = 'sending', claimed_until = :c", soci::use(stale); });
    EXPECT_EQ(alerts_->deliver(2000).sent, 1);
    long long fresh = store::now_unix() + 100;
    queue_emails(*db_, keys_, account_, 1);
    db_->write([&](soci::session& s) {
        s << "UPDATE outbox SET status = 'sending', claimed_until = :c WHERE status = 'pending'", soci::use(fresh);
    });
    EXPECT_EQ(alerts_->deliver(2000).sent, 0) << "still claimed by a live sender";
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertsStorage, ::testing::ValuesIn(testing::storage_backends()));

TEST(AlertsQuietHours, WrapMidnightAndEnd) {
    AlertSettings s{false, false, 21, 8};
    auto at = [](int hour) { return static_cast<long long>(hour - 9) * 3600 + 86400 * 100; };  // KST hour
    EXPECT_TRUE(in_quiet_hours(s, at(22)));
    EXPECT_TRUE(in_quiet_hours(s, at(3)));
    EXPECT_FALSE(in_quiet_hours(s, at(8)));
    EXPECT_FALSE(in_quiet_hours(s, at(20)));
    EXPECT_EQ(after_quiet_hours(s, at(22)), at(32));
    EXPECT_EQ(after_quiet_hours(s, at(3)), at(8));
    EXPECT_EQ(after_quiet_hours(s, at(12)), at(12));
    EXPECT_FALSE(in_quiet_hours(AlertSettings{false, false, 5, 5}, at(5)));
}

TEST(Recommender, LearnsFromFeedbackAndExplains) {
    Weights w = default_weights();
    Candidate eligible{"a", "A", "x", {}}, topic{"b", "B", "", {}}, unrelated{"c", "C", "", {}};
    eligible.x = {1, 1, 0, 0, 0, 0, 0, 1};
    topic.x = {1, 0, 0, 1, 0, 0, 0, 0};
    unrelated.x = {1, 0, 0, 0, 0, 0, 0, 1};
    std::vector<Candidate> cs{unrelated, topic, eligible};
    auto r = rank(w, cs, {}, 10);
    ASSERT_EQ(r.size(), 2u);  // the unrelated one is not recommended
    EXPECT_EQ(r[0].c->service_id, "a");
    EXPECT_EQ(r[0].why_ko.front(), "모의계산 결과 받을 수 있어요");
    double before = predict(w, eligible.x);
    for (int i = 0; i < 50; ++i) learn(w, eligible.x, 0.0);
    EXPECT_LT(predict(w, eligible.x), before);
    EXPECT_EQ(rank(w, cs, {"b"}, 10).size(), 1u);  // hidden
}

TEST(Notify, WebhookSignatureAndMimeHeadersAreSafe) {
    // HMAC-SHA256("Jefe", "what do ya want.for nothing?"), computed independently (Python hmac).
    EXPECT_EQ(notify::webhook_signature("Jefe", "what do ya want", "for nothing?"), "sha256=e33f91577b90d4b3bbd73cb61803074f1965d27701b5527942dd9ea9443af37c");
    EXPECT_NE(notify::webhook_signature("k", "1", "a"), notify::webhook_signature("k", "1", "b"));
    auto m = notify::mime_message("a@b.kr", notify::Email{"x@y.kr\r\nBcc: evil@z", "제목\r\nX-Evil: 1", "본문", ""}, "id@b.kr");
    EXPECT_EQ(m.find("\r\nBcc:"), std::string::npos);
    EXPECT_EQ(m.find("\r\nX-Evil:"), std::string::npos);
    EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos);
}

}  // namespace
}  // namespace dure::eligibility
