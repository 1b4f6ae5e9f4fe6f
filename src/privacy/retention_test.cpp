// Retention on SQLite and (when DURE_TEST_PG is set) PostgreSQL: the purge job, run with a clock
// the test passes in, removes exactly what is past its period per kind of record, counts without
// deleting on a dry run, and never touches the access log; the configuration is checked.
#include "privacy/retention.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <map>

#include "../../tests/unit/scratch_database.hpp"
#include "identity/store.hpp"
#include "privacy/rights.hpp"

namespace dure::privacy {
namespace {

constexpr long long kNow = 1'800'000'000, kDay = 86400;

class RetentionStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "r");
        db_ = store::Database::open(scratch_->url, 2);
        store::migrate(*db_);
        keys_ = std::make_unique<identity::Keyring>(identity::Keyring::from_master(std::string(32, 'k')));
        ids_ = std::make_unique<identity::IdentityStore>(*db_, *keys_);
        district_ = ids_->create_district("r" + scratch_->name, "한빛구", "Hanbit-gu");
        dong_ = ids_->create_dong(district_, "neuti", "느티동", "Neuti-dong");
        account_ = ids_->create_account(district_, scratch_->name + "@example.com", "", "정보존", "x");
    }
    void TearDown() override {
        ids_.reset();
        db_.reset();
        scratch_.reset();
    }
    long long count(const std::string& sql) {
        long long n = 0;
        db_->read([&](soci::session& s) { s << sql, soci::into(n); });
        return n;
    }
    // One row of every purged kind `age_days` old (relative to kNow).
    void rows(long long age_days, const std::string& tag) {
        long long t = kNow - age_days * kDay, a = account_, d = district_, g = dong_;
        db_->write([&](soci::session& s) {
            using soci::use;
            s << "INSERT INTO inbox_messages (account_id, created_at, kind, title, body_enc) VALUES (:a, :t, 'eligibility', 'x', 'x')",
                use(a), use(t);
            s << "INSERT INTO outbox (account_id, kind, channel, payload_enc, status, next_attempt_at, created_at) "
                 "VALUES (:a, 'eligibility', 'sms', 'x', 'sent', :n, :t)", use(a), use(t), use(t);
            s << "INSERT INTO outbox (account_id, kind, channel, payload_enc, status, next_attempt_at, created_at) "
                 "VALUES (:a, 'eligibility', 'sms', 'x', 'pending', :n, :t)", use(a), use(t), use(t);
            std::string token = "tok" + tag, key = "key" + tag, sig = "sig" + tag;
            s << "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at) VALUES (:h, :a, 'c', :t, :e)",
                use(token), use(a), use(t), use(t);
            s << "INSERT INTO outreach_idempotency (key_hash, district_id, response, created_at) VALUES (:k, :d, '{}', :t)",
                use(key), use(d), use(t);
            s << "INSERT INTO signal_nonces (signature, seen_at) VALUES (:s, :t)", use(sig), use(t);
            long long hh = 0;
            s << "INSERT INTO outreach_households (district_id, dong_id, status, priority, priority_rank, due_at, closed_at, "
                 "first_report_at, last_report_at, created_at, updated_at) VALUES (:d, :g, 'closed', 'normal', 2, :t, :c, :f, "
                 ":l, :r, :u) RETURNING id",
                use(d), use(g), use(t), use(t), use(t), use(t), use(t), use(t), soci::into(hh);
            std::string receipt = "R" + tag;
            s << "INSERT INTO outreach_reports (receipt_no, district_id, dong_id, household_id, channel, reporter_kind, "
                 "reporter_contact_enc, reporter_ref_bidx, urgency, concern_enc, received_at, closed_at, created_at) "
                 "VALUES (:n, :d, :g, :h, 'web', 'anonymous', 'contact', 'ref', 'normal', 'x', :t, :c, :r)",
                use(receipt), use(d), use(g), use(hh), use(t), use(t), use(t);
            s << "INSERT INTO survey_responses (district_id, dong_id, survey, year, respondent_enc, answers_enc, flags, "
                 "surveyed_by, surveyed_at, updated_at) VALUES (:d, :g, 's', 2026, 'x', 'x', '', :a, :t, :u)",
                use(d), use(g), use(a), use(t), use(t);
            long long cs = 0;
            s << "INSERT INTO cases (district_id, dong_id, household_id, stage, assigned_account_id, opened_by, opened_at, "
                 "updated_at, closed_at) VALUES (:d, :g, :h, 'closed', :a, :b, :t, :u, :c) RETURNING id",
                use(d), use(g), use(hh), use(a), use(a), use(t), use(t), use(t), soci::into(cs);
            s << "INSERT INTO case_entries (case_id, at, by_account, kind, body_enc) VALUES (:c, :t, :a, 'note', 'x')",
                use(cs), use(t), use(a);
            s << "INSERT INTO case_services (case_id, service_id, kind, added_at) VALUES (:c, 'svc', 'linked', :t)", use(cs), use(t);
            std::string hash = "h" + tag;
            s << "INSERT INTO risk_households (district_id, household_hash, household_enc) VALUES (:d, :h, 'x')", use(d), use(hash);
            s << "INSERT INTO risk_indicators (district_id, household_hash, dong_id, indicator, period, value, batch, imported_at) "
                 "VALUES (:d, :h, :g, 'arrears', '2026-01', 1, 'b', :t)", use(d), use(hash), use(g), use(t);
            s << "INSERT INTO privacy_requests (district_id, account_id, kind, record, details_enc, status, received_at, due_at, "
                 "decided_at) VALUES (:d, :a, 'access', 'account', 'x', 'granted', :t, :u, :c)",
                use(d), use(a), use(t), use(t), use(t);
        });
    }
    std::map<std::string, long long> snapshot() {
        return {{"inbox_messages", count("SELECT COUNT(*) FROM inbox_messages")},
                {"outbox", count("SELECT COUNT(*) FROM outbox")},
                {"sessions", count("SELECT COUNT(*) FROM sessions")},
                {"idempotency", count("SELECT COUNT(*) FROM outreach_idempotency")},
                {"signal_nonces", count("SELECT COUNT(*) FROM signal_nonces")},
                {"reporter_contacts", count("SELECT COUNT(*) FROM outreach_reports WHERE reporter_contact_enc IS NOT NULL")},
                {"survey_responses", count("SELECT COUNT(*) FROM survey_responses")},
                {"case_records", count("SELECT COUNT(*) FROM cases")},
                {"case_entries", count("SELECT COUNT(*) FROM case_entries")},
                {"risk_indicators", count("SELECT COUNT(*) FROM risk_indicators")},
                {"risk_households", count("SELECT COUNT(*) FROM risk_households")},
                {"privacy_requests", count("SELECT COUNT(*) FROM privacy_requests")},
                {"access_log", count("SELECT COUNT(*) FROM access_log")}};
    }

    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<identity::Keyring> keys_;
    std::unique_ptr<identity::IdentityStore> ids_;
    long long district_ = 0, dong_ = 0, account_ = 0;
};

TEST_P(RetentionStorage, PurgesWhatIsPastItsPeriodAsOfTheClockGiven) {
    // Ages chosen around each period: 0 days (fresh), 2 (past sessions, nonces), 10 (idempotency),
    // 40 (outbox), 100 (reporter contacts), 400 (inbox, indicators), 1200 (surveys, requests),
    // 2000 (closed cases).
    for (long long age : {0, 2, 10, 40, 100, 400, 1200, 2000}) rows(age, std::to_string(age));
    identity::AccessEntry e;
    e.at = kNow - 3000 * kDay;
    e.actor_account_id = account_;
    e.district_id = district_;
    e.subject_kind = "person";
    e.subject_id = 1;
    e.action = "read";
    e.reason = "오래된 열람";
    ids_->append_access(e);
    const auto& r = Retention::embedded();
    auto before = snapshot();

    auto dry = purge(*db_, r, kNow, true);
    EXPECT_EQ(snapshot(), before) << "a dry run deletes nothing";
    std::map<std::string, long long> counted;
    for (const auto& c : dry) counted[c.kind] = c.kept ? -1 : c.count;
    EXPECT_EQ(counted["sessions"], 7);          // expired: every row older than now (ages 2..2000)
    EXPECT_EQ(counted["signal_nonces"], 7);     // older than 1 day
    EXPECT_EQ(counted["idempotency"], 6);       // older than 7 days
    EXPECT_EQ(counted["outbox"], 5);            // sent rows older than 30 days (pending ones stay)
    EXPECT_EQ(counted["reporter_contacts"], 4); // closed more than 90 days ago
    EXPECT_EQ(counted["inbox_messages"], 3);    // older than 365 days
    EXPECT_EQ(counted["risk_indicators"], 3);
    EXPECT_EQ(counted["survey_responses"], 2);  // older than 3 years
    EXPECT_EQ(counted["privacy_requests"], 2);
    EXPECT_EQ(counted["case_records"], 1);      // closed more than 5 years ago
    EXPECT_EQ(counted["access_log"], -1) << "kept, never purged by this job";
    EXPECT_EQ(counted["person_record"], -1);

    auto done = purge(*db_, r, kNow, false);
    for (std::size_t i = 0; i < done.size(); ++i) EXPECT_EQ(done[i].count, dry[i].count) << done[i].kind;
    auto after = snapshot();
    EXPECT_EQ(after["sessions"], 1);
    EXPECT_EQ(after["signal_nonces"], 1);
    EXPECT_EQ(after["idempotency"], 2);
    EXPECT_EQ(after["outbox"], 8 + 3);  // 8 pending + 3 recent sent
    EXPECT_EQ(after["reporter_contacts"], 4);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_reports"), 8) << "the reports stay, only the contact goes";
    EXPECT_EQ(after["inbox_messages"], 5);
    EXPECT_EQ(after["risk_indicators"], 5);
    EXPECT_EQ(after["risk_households"], 5) << "households no indicator refers to go too";
    EXPECT_EQ(after["survey_responses"], 6);
    EXPECT_EQ(after["privacy_requests"], 6);
    EXPECT_EQ(after["case_records"], 7);
    EXPECT_EQ(after["case_entries"], 7) << "a purged case's entries go with it";
    EXPECT_EQ(after["access_log"], before["access_log"]);
    EXPECT_TRUE(ids_->verify_access_log().problems.empty());

    // Run again at the same clock: nothing more. A year later: more.
    for (const auto& c : purge(*db_, r, kNow, false)) EXPECT_EQ(c.count, 0) << c.kind;
    long long later = 0;
    for (const auto& c : purge(*db_, r, kNow + 365 * kDay, false)) later += c.count;
    EXPECT_GT(later, 0);
}

TEST_P(RetentionStorage, DeletingAnAccountKeepsOnlyTheNumberAndTheRequests) {
    PrivacyStore st(*db_, *keys_);
    auto req = st.file(district_, account_, "deletion", "account", "지워 주세요", kNow);
    EXPECT_EQ(kst_date(req.due_at), kst_date(kNow + 10 * kDay));
    st.delete_account(account_, kNow);
    EXPECT_EQ(count("SELECT COUNT(*) FROM accounts WHERE email_bidx IS NULL AND email_enc IS NULL AND disabled = 1 "
                    "AND deleted_at > 0"),
              1);
    EXPECT_EQ(st.password_hash(account_), "");
    EXPECT_EQ(st.for_account(account_).size(), 1u);
    auto acc = ids_->account(account_);
    ASSERT_TRUE(acc);
    EXPECT_EQ(acc->name, "탈퇴한 회원");
    EXPECT_EQ(acc->email, "");
}

INSTANTIATE_TEST_SUITE_P(Retention, RetentionStorage, ::testing::ValuesIn(testing::storage_backends()),
                         [](const auto& info) { return info.param; });

TEST(RetentionConfig, EveryKindHasABasisAndTheDeadlineIsTheTenthDay) {
    const auto& r = Retention::embedded();
    for (const auto& k : r.kinds()) {
        EXPECT_FALSE(k.basis_ko.empty()) << k.kind;
        EXPECT_FALSE(k.basis_en.empty()) << k.kind;
    }
    ASSERT_TRUE(r.find("access_log"));
    EXPECT_FALSE(r.find("access_log")->purge);
    EXPECT_GE(r.find("access_log")->days.value_or(0), 730);
    EXPECT_THROW(Retention::parse(R"({"kinds":[]})"), std::runtime_error);
    // Received 2026-12-07 23:30 KST: the day of receipt is not counted; due at the end of 12-17 KST.
    long long received = 1796653800;  // 2026-12-07T14:30:00Z
    EXPECT_EQ(kst_date(received), "2026-12-07");
    EXPECT_EQ(kst_date(due_at(received)), "2026-12-17");
    EXPECT_EQ(kst_date(due_at(received) + 1), "2026-12-18");
}

}  // namespace
}  // namespace dure::privacy
