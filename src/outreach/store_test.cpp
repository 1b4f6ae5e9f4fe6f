// Outreach storage on SQLite and (when DURE_TEST_PG is set) PostgreSQL: reports merged into
// households by phone, address and name; ciphertext at rest; idempotent filing; the queue by dong
// and deadline; triage transitions and what reporters then see; merging; the registry; demo data.
#include "outreach/store.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <cstdlib>
#include <set>
#include <thread>

#include "../../tests/unit/scratch_database.hpp"
#include "common/error.hpp"
#include "identity/store.hpp"
#include "outreach/demo.hpp"
#include "outreach/triage.hpp"

namespace dure::outreach {
namespace {

constexpr long long kNow = 1'750'000'000;

class OutreachStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "o");
        db_ = store::Database::open(scratch_->url, 4);
        store::migrate(*db_);
        keys_ = std::make_unique<identity::Keyring>(identity::Keyring::from_master(std::string(32, 'k')));
        ids_ = std::make_unique<identity::IdentityStore>(*db_, *keys_);
        district_ = ids_->create_district("o" + scratch_->name, "한빛구", "Hanbit-gu");
        dong_a_ = ids_->create_dong(district_, "neuti", "느티동", "Neuti-dong");
        dong_b_ = ids_->create_dong(district_, "solnae", "솔내동", "Solnae-dong");
        reporter_ = ids_->create_account(district_, scratch_->name + "@example.com", "", "정우체", "x");
        st_ = std::make_unique<OutreachStore>(*db_, *keys_);
    }
    void TearDown() override {
        st_.reset();
        ids_.reset();
        db_.reset();
        scratch_.reset();
    }

    NewReport report(const std::string& address, const std::string& name, const std::string& phone,
                     Urgency u = Urgency::normal, long long dong = -1) {
        NewReport r;
        r.district_id = district_;
        r.dong_id = dong < 0 ? dong_a_ : dong;
        r.address = address;
        r.subject_name = name;
        r.subject_phone = phone;
        r.urgency = u;
        r.concern = "우편물이 쌓여 있음 " + address;
        r.received_at = kNow;
        r.verified = true;  // as an official takes it; unverified reports are tested on their own
        return r;
    }
    FiledReport file(const NewReport& r, const std::string& key = "", long long now = kNow) {
        auto res =
            st_->file({r}, key, now, [](const std::vector<FiledReport>& f) { return f.front().receipt_no; });
        return res.replayed ? FiledReport{} : res.filed.front();
    }
    long long count(const std::string& sql) {
        long long n = 0;
        db_->read([&](soci::session& s) { s << sql, soci::into(n); });
        return n;
    }
    QueueFilter all() {
        QueueFilter f;
        f.district_id = district_;
        f.all_dongs = true;
        return f;
    }

    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> db_;
    std::unique_ptr<identity::Keyring> keys_;
    std::unique_ptr<identity::IdentityStore> ids_;
    std::unique_ptr<OutreachStore> st_;
    long long district_ = 0, dong_a_ = 0, dong_b_ = 0, reporter_ = 0;
};

TEST_P(OutreachStorage, ReportsAboutOneHouseholdMergeByPhoneAddressAndName) {
    auto a = file(report("서울특별시 한빛구 느티로 12, 301호", "김영수", ""));
    EXPECT_FALSE(a.merged);
    EXPECT_EQ(a.receipt_no.size(), 14u);
    // Same address written differently, no name: the same household.
    auto b = file(report("느티로12 301호", "", "010-1234-5678", Urgency::urgent));
    EXPECT_TRUE(b.merged);
    EXPECT_EQ(b.household_id, a.household_id);
    EXPECT_EQ(b.household_reports, 2);
    // Same address, another name: another household (a different unit nobody named, or a
    // namesake) until an official merges them.
    auto c = file(report("느티로 12 301호", "이순자", ""));
    EXPECT_FALSE(c.merged);
    // The phone number given with report b finds the household whatever the address says.
    auto d = file(report("어딘가 모르는 곳", "", "010-1234-5678"));
    EXPECT_EQ(d.household_id, a.household_id);
    // A different unit is a different household.
    EXPECT_FALSE(file(report("느티로 12 302호", "", "")).merged);

    auto h = st_->household(a.household_id, true);
    ASSERT_TRUE(h);
    EXPECT_EQ(h->report_count, 3);
    EXPECT_EQ(h->state.priority, Urgency::urgent);
    EXPECT_EQ(h->state.due_at, kNow + 24 * 3600);
    EXPECT_EQ(h->name, "김영수") << "what later reports lack is kept";
    EXPECT_EQ(h->phone, "010-1234-5678");
    EXPECT_EQ(h->address, "어딘가 모르는 곳") << "the latest address shown";
    auto reports = st_->reports_of(a.household_id);
    ASSERT_EQ(reports.size(), 3u);
    EXPECT_EQ(reports[0].address, "서울특별시 한빛구 느티로 12, 301호") << "each report keeps what it said";
    auto events = st_->events_of(a.household_id);
    EXPECT_EQ(std::count_if(events.begin(), events.end(), [](const auto& e) { return e.kind == "report"; }),
              3);
}

TEST_P(OutreachStorage, PersonalFieldsAreCiphertextAtRest) {
    auto r = report("느티로 77 비밀주소", "홍비밀", "010-9876-5432");
    r.reporter_contact = "신고자연락처비밀";
    r.external_ref = "GAS-778899";
    auto f = file(r);
    std::vector<std::string> cells;
    db_->read([&](soci::session& s) {
        std::string a, p, n, c, x, ha, hn;
        s << "SELECT address_enc, subject_phone_enc, subject_name_enc, concern_enc, reporter_contact_enc "
             "FROM "
             "outreach_reports WHERE id = :i",
            soci::into(a), soci::into(p), soci::into(n), soci::into(c), soci::into(x), soci::use(f.report_id);
        s << "SELECT address_enc, name_enc FROM outreach_households WHERE id = :i", soci::into(ha),
            soci::into(hn), soci::use(f.household_id);
        cells = {a, p, n, c, x, ha, hn};
    });
    for (const auto& cell : cells) {
        EXPECT_TRUE(cell.starts_with("v1.")) << cell;
        for (const char* plain : {"비밀주소", "홍비밀", "9876", "신고자연락처비밀", "우편물"})
            EXPECT_EQ(cell.find(plain), std::string::npos);
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_household_keys WHERE bidx = '01098765432'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_household_keys WHERE household_id = " +
                    std::to_string(f.household_id)),
              3)
        << "address, phone and name keys";
    EXPECT_EQ(st_->reports_of(f.household_id).front().external_ref, "GAS-778899");
}

TEST_P(OutreachStorage, AnIdempotencyKeyFilesOnce) {
    auto first =
        st_->file({report("느티로 5", "", "")}, "key-1", kNow,
                  [](const std::vector<FiledReport>& f) { return "answer:" + f.front().receipt_no; });
    auto again = st_->file({report("느티로 5", "", "")}, "key-1", kNow,
                           [](const std::vector<FiledReport>&) { return std::string("never"); });
    EXPECT_FALSE(first.replayed);
    EXPECT_TRUE(again.replayed);
    EXPECT_EQ(again.response, first.response);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_reports"), 1);
}

TEST_P(OutreachStorage, ABatchIsAllOrNothing) {
    auto bad = report("느티로 6", "", "");
    bad.dong_id = 999999;  // no such dong: the foreign key refuses the second row
    EXPECT_ANY_THROW(st_->file({report("느티로 5", "", ""), bad}, "", kNow,
                               [](const std::vector<FiledReport>&) { return std::string(); }));
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_reports"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_households"), 0);
}

TEST_P(OutreachStorage, TheQueueListsByDongAndDeadline) {
    auto urgent_old = report("느티로 1", "", "", Urgency::urgent);
    urgent_old.received_at = kNow - 30 * 3600;  // 6 hours overdue
    auto a = file(urgent_old);
    auto b = file(report("느티로 2", "", "", Urgency::high));
    auto c = file(report("솔내로 3", "", "", Urgency::urgent, dong_b_));
    auto nowhere = report("", "", "");
    nowhere.dong_id = 0;
    nowhere.place = "역 앞 벤치";
    auto d = file(nowhere);

    auto q = all();
    auto page = st_->queue(q, kNow);
    ASSERT_EQ(page.total, 4);
    EXPECT_EQ(page.items[0].id, a.household_id) << "the overdue one on top";
    EXPECT_EQ(page.items[1].id, c.household_id);

    q.all_dongs = false;
    q.dongs = {dong_a_};
    page = st_->queue(q, kNow);
    EXPECT_EQ(page.total, 2);
    for (const auto& h : page.items) EXPECT_EQ(h.dong_id, dong_a_);
    EXPECT_EQ(page.items[1].id, b.household_id);

    auto district_wide = all();
    district_wide.dong_id = 0;
    page = st_->queue(district_wide, kNow);
    ASSERT_EQ(page.total, 1);
    EXPECT_EQ(page.items[0].id, d.household_id);
    EXPECT_EQ(page.items[0].dong_id, 0);

    auto breached = all();
    breached.breached_only = true;
    page = st_->queue(breached, kNow);
    ASSERT_EQ(page.total, 1);
    EXPECT_EQ(deadline_view(page.items[0].state, kNow).status, DeadlineStatus::breached);
    auto counts = st_->counts(all(), kNow);
    EXPECT_EQ(counts.open, 4);
    EXPECT_EQ(counts.unassigned, 4);
    EXPECT_EQ(counts.breached, 1);
    EXPECT_EQ(counts.due_within_24h, 1);
}

TEST_P(OutreachStorage, TriageChangesWhatTheReporterSees) {
    auto r = report("느티로 9", "", "");
    r.reporter_account_id = reporter_;
    r.reporter_kind = ReporterKind::gatekeeper;
    auto f = file(r);
    auto own = st_->own_reports(reporter_, 0, 10);
    ASSERT_EQ(own.total, 1);
    EXPECT_EQ(own.items[0].status, ReportStatus::received);

    st_->transition(
        f.household_id, [&](const TriageState& s) { return assign(s, reporter_); },
        {0, kNow, "assigned", reporter_, 0, "account:1", ""}, kNow);
    EXPECT_EQ(st_->own_reports(reporter_, 0, 10).items[0].status, ReportStatus::under_review);
    st_->transition(
        f.household_id, [&](const TriageState& s) { return record_contact(s, kNow + 60); },
        {0, kNow + 60, "contacted", reporter_, 0, "", "전화 통화, 금요일 방문 약속"}, kNow + 60);
    auto h = st_->transition(
        f.household_id, [&](const TriageState& s) { return close(s, "public_benefit", kNow + 90); },
        {0, kNow + 90, "closed", reporter_, 0, "public_benefit", ""}, kNow + 90);
    EXPECT_EQ(h.state.status, HouseholdStatus::closed);
    EXPECT_EQ(deadline_view(h.state, kNow + 100).status, DeadlineStatus::met);
    EXPECT_EQ(st_->own_reports(reporter_, 0, 10).items[0].status, ReportStatus::closed);
    EXPECT_THROW(st_->transition(
                     f.household_id, [&](const TriageState& s) { return assign(s, 1); },
                     {0, kNow, "assigned", 0, 0, "", ""}, kNow),
                 Error);

    // A new report reopens the household; the first reporter's report stays closed.
    auto later = report("느티로 9", "", "", Urgency::urgent);
    later.received_at = kNow + 120;
    auto again = file(later, "", kNow + 120);
    EXPECT_TRUE(again.reopened);
    EXPECT_EQ(st_->household(f.household_id, false)->state.status, HouseholdStatus::assigned);
    EXPECT_EQ(st_->own_reports(reporter_, 0, 10).items[0].status, ReportStatus::closed);
    auto events = st_->events_of(f.household_id);
    std::vector<std::string> kinds;
    for (const auto& e : events) kinds.push_back(e.kind);
    EXPECT_EQ(kinds,
              (std::vector<std::string>{"report", "assigned", "contacted", "closed", "reopened", "report"}));
    EXPECT_EQ(events[2].note, "전화 통화, 금요일 방문 약속");
}

TEST_P(OutreachStorage, MergingFoldsOneHouseholdIntoAnother) {
    auto a = file(report("느티로 12 301호", "김영수", ""));
    auto b = file(report("느티로 12 301호", "김영숙", "010-2222-3333", Urgency::urgent));
    ASSERT_NE(a.household_id, b.household_id);
    auto h = st_->merge(a.household_id, b.household_id, reporter_, kNow);
    EXPECT_EQ(h.report_count, 2);
    EXPECT_EQ(h.state.priority, Urgency::urgent);
    auto gone = st_->household(b.household_id, false);
    EXPECT_EQ(gone->state.status, HouseholdStatus::merged);
    EXPECT_EQ(gone->merged_into, a.household_id);
    EXPECT_EQ(st_->reports_of(a.household_id).size(), 2u);
    EXPECT_EQ(st_->queue(all(), kNow).total, 1);
    // Its keys moved too: the phone now finds the surviving household.
    EXPECT_EQ(file(report("", "", "01022223333")).household_id, a.household_id);
    EXPECT_THROW(st_->merge(a.household_id, b.household_id, reporter_, kNow), Error);
    EXPECT_THROW(st_->merge(a.household_id, a.household_id, reporter_, kNow), Error);
}

TEST_P(OutreachStorage, GatekeeperRegistry) {
    Gatekeeper g;
    g.district_id = district_;
    g.dong_id = dong_a_;
    g.account_id = reporter_;
    g.kind = GatekeeperKind::honorary_officer;
    g.occupation = "postal";
    g.organization = "한빛우체국";
    g.name = "정우체";
    g.phone = "01055521001";
    g.training_date = "2025-03-10";
    long long id = st_->create_gatekeeper(g, 0, kNow);
    EXPECT_THROW(st_->create_gatekeeper(g, 0, kNow), Error) << "one registry entry per account";
    Gatekeeper partner = g;
    partner.account_id = 0;
    partner.dong_id = 0;
    partner.kind = GatekeeperKind::partner_worker;
    partner.phone = "";
    st_->create_gatekeeper(partner, 0, kNow);
    st_->create_gatekeeper(partner, 0, kNow);

    EXPECT_EQ(st_->gatekeepers(district_, {dong_a_}, false, 0, 10).total, 1);
    EXPECT_EQ(st_->gatekeepers(district_, {dong_b_}, false, 0, 10).total, 0);
    EXPECT_EQ(st_->gatekeepers(district_, {}, true, 0, 10).total, 3);
    auto found = st_->gatekeeper_for_account(reporter_);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->phone, "01055521001");
    found->agreement_date = "2025-04-01";
    found->active = false;
    st_->update_gatekeeper(*found, kNow + 1);
    EXPECT_EQ(st_->gatekeeper(id)->agreement_date, "2025-04-01");
    EXPECT_FALSE(st_->gatekeeper(id)->active);

    auto r = report("느티로 1", "", "");
    r.gatekeeper_id = id;
    auto f = file(r);
    auto c = st_->gatekeeper_report_counts(id);
    EXPECT_EQ(c.received, 1);
    st_->transition(
        f.household_id, [&](const TriageState& s) { return close(s, "not_in_need", kNow); },
        {0, kNow, "closed", 0, 0, "not_in_need", ""}, kNow);
    c = st_->gatekeeper_report_counts(id);
    EXPECT_EQ(c.received, 0);
    EXPECT_EQ(c.closed, 1);
}

TEST_P(OutreachStorage, ConcurrentReportsAboutANewHouseholdMakeOne) {
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back(
            [&, i] { file(report("느티로 " + std::to_string(100 + i), "", "010-4444-5555")); });
    for (auto& t : threads) t.join();
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_households"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_reports"), 6);
    std::set<std::string> receipts;
    for (const auto& r : st_->reports_of(st_->queue(all(), kNow).items.at(0).id))
        receipts.insert(r.receipt_no);
    EXPECT_EQ(receipts.size(), 6u);
}

TEST_P(OutreachStorage, TheDemoLoadsOnce) {
    long long demo = ids_->create_district("demo", "한빛구", "Hanbit-gu");
    for (const char* code : {"a", "b", "c", "d"}) ids_->create_dong(demo, code, code, code);
    EXPECT_EQ(load_demo(*db_, *ids_, *keys_, kNow), 5);
    EXPECT_EQ(load_demo(*db_, *ids_, *keys_, kNow), 0);
    QueueFilter f;
    f.district_id = demo;
    f.all_dongs = true;
    EXPECT_EQ(st_->queue(f, kNow).total, 4) << "the gas cut-off and the piled-up mail are one household";
    EXPECT_EQ(st_->counts(f, kNow).breached, 1);
}

TEST_P(OutreachStorage, AnUnverifiedReportSuggestsAndNeverOverwrites) {
    auto a = file(report("느티로 40", "김확인", "010-4444-5555"));
    auto anon = report("엉뚱한 주소 99", "가짜", "010-4444-5555", Urgency::urgent);
    anon.verified = false;
    auto b = file(anon);
    EXPECT_EQ(b.household_id, a.household_id);
    EXPECT_EQ(b.suggestions, 3);
    auto h = st_->household(a.household_id, true);
    EXPECT_EQ(h->name, "김확인");
    EXPECT_EQ(h->address, "느티로 40");
    EXPECT_EQ(h->state.priority, Urgency::normal);
    EXPECT_EQ(h->state.due_at, kNow + 24 * 3600) << "the urgent signal brings the deadline forward";
    EXPECT_EQ(h->pending_suggestions, 3);
    auto sug = st_->suggestions_of(a.household_id, true);
    ASSERT_EQ(sug.size(), 3u);
    EXPECT_EQ(sug[0].field, "name");
    EXPECT_EQ(sug[0].value, "가짜");
    EXPECT_EQ(sug[0].report_id, b.report_id);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outreach_suggestions WHERE value_enc LIKE '%가짜%'"), 0) << "encrypted";
    st_->decide_suggestion(a.household_id, sug[0].id, false, reporter_, kNow);
    EXPECT_THROW(st_->decide_suggestion(a.household_id, sug[0].id, true, reporter_, kNow), Error);
    auto u = st_->decide_suggestion(a.household_id, sug[2].id, true, reporter_, kNow);
    EXPECT_EQ(u.state.priority, Urgency::urgent);
    EXPECT_EQ(st_->household(a.household_id, true)->name, "김확인");

    // Closed: a new household follows it; the closed one stays closed.
    st_->transition(
        a.household_id, [&](const TriageState& s) { return close(s, "public_benefit", kNow + 10); },
        {0, kNow + 10, "closed", reporter_, 0, "public_benefit", ""}, kNow + 10);
    auto c = file(anon, "", kNow + 20);
    EXPECT_FALSE(c.merged);
    EXPECT_EQ(c.follows_household_id, a.household_id);
    EXPECT_NE(c.household_id, a.household_id);
    EXPECT_EQ(st_->household(a.household_id, false)->state.status, HouseholdStatus::closed);
    EXPECT_EQ(st_->household(c.household_id, false)->state.priority, Urgency::urgent);
}

INSTANTIATE_TEST_SUITE_P(Outreach, OutreachStorage, ::testing::ValuesIn(testing::storage_backends()),
                         [](const auto& info) { return info.param; });

TEST(OutreachStorageBackends, ReceiptNumbersAreDatedAndUnambiguous) {
    auto r = new_receipt_no(kNow);
    EXPECT_EQ(r.substr(0, 7), "250616-") << "the Korean date (UTC+9)";
    for (char ch : r.substr(7)) EXPECT_EQ(std::string("01IO").find(ch), std::string::npos) << r;
}

}  // namespace
}  // namespace dure::outreach
