#include "giving/demo.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <random>

#include "common/dates.hpp"
#include "giving/store.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"

namespace dure::giving {

namespace {

constexpr const char* kCode = "2023-hope-ondol";
// 2023-11-15 12:00 KST as Unix seconds; the campaign runs 92 days.
constexpr long long kStart = 1700017200LL;
constexpr int kDays = 92;
// 1,500 gifts by default (every HTTP test server runs the demo; 5,000 cost ~3 s more each);
// DURE_DEMO_GIVING_GIFTS sets another count (1 … 100,000). Amounts scale so the campaign still
// raises about what Gwangjin's did (≈ 117 %).
int gift_count() {
    auto v = app::Platform::env("DURE_DEMO_GIVING_GIFTS", "1500");
    if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) return 1500;
    return std::clamp(std::stoi(v), 1, 100000);
}

std::string day_of(int day) { return seoul_date(std::chrono::system_clock::from_time_t(kStart + day * 86400LL)); }

}  // namespace

std::string load_demo(GivingStore& store, app::Platform& p, const app::DemoOptions& o) {
    if (store.campaign(kCode)) return "giving: campaign " + std::string(kCode) + " already there";
    long long district = p.default_district();
    std::vector<identity::Dong> dongs;
    for (const auto& d : p.ids.districts())
        if (d.id == district) dongs = d.dongs;
    if (dongs.size() > 15) dongs.resize(15);
    if (dongs.empty()) return "";

    NewCampaign c;
    // Figures from the article (../shared/context/articles/article-2.txt) and research §0.B.
    c.campaign.district_id = district;
    c.campaign.code = kCode;
    c.campaign.title_ko = "2023 희망온돌 따뜻한 겨울나기";
    c.campaign.title_en = "2023 Hope Ondol Warm Winter";
    c.campaign.target_krw = 1'360'000'000;
    c.campaign.starts_on = "2023-11-15";
    c.campaign.ends_on = "2024-02-14";
    c.campaign.collector_name = "사회복지공동모금회 서울특별시지회";
    c.campaign.collector_registration = "(demo) 고유번호 000-82-00000";
    c.campaign.collector_legal_basis = "사회복지공동모금회법";
    c.campaign.collector_account_holder = "사회복지공동모금회 서울특별시지회";
    c.campaign.collector_url = "https://seoul.chest.or.kr";
    long long per_dong = c.campaign.target_krw / static_cast<long long>(dongs.size()) / 10'000 * 10'000;
    c.designations.push_back({0, 0, "general", "general", "일반 (지정 없음)", "General", 0});
    c.designations.push_back({0, 0, "200-households", "program", "200가구 보듬기", "200 Household Embrace", 0});
    c.designations.push_back({0, 0, "scholarship", "purpose", "장학금", "Scholarships", 0});
    for (const auto& d : dongs) {
        c.dong_targets.emplace_back(d.id, per_dong);
        c.designations.push_back({0, 0, "dong-" + d.code, "dong", d.name_ko, d.name_en, d.id});
    }
    long long id = store.create_campaign(c, kStart);
    auto des = store.designations(id);
    std::map<std::string, long long> des_id;
    for (const auto& d : des) des_id[d.code] = d.id;

    const int kGifts = gift_count();
    // The unit of a gift: 10,000 KRW at 5,000 gifts, rounded to 1,000 KRW.
    const long long unit = std::max<long long>(1000, 10'000LL * 5000 / kGifts / 1000 * 1000);
    std::mt19937_64 rng(o.seed);
    auto pick = [&](long long lo, long long hi) { return lo + static_cast<long long>(rng() % static_cast<unsigned long long>(hi - lo + 1)); };
    const char* family[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"};
    const char* given[] = {"민준", "서연", "지호", "하은", "도윤", "수아", "예준", "지민", "시우", "서윤"};
    const char* orgs[] = {"광진상인회", "한빛교회", "새마을금고", "희망약국", "행복요양원", "동네빵집", "청년회의소"};
    const char* goods[] = {"쌀 20kg", "김장김치 10kg", "전기요", "라면 1상자", "온수매트", "겨울 이불"};
    std::string donor_email = identity::normalize_email("donor@demo.dure.kr");

    // Balances as the demo goes, so no distribution is refused.
    std::map<std::pair<long long, std::string>, long long> balance;
    int gifts = 0, distributions = 0, households = 0;
    p.db.write_bulk([&](soci::session& s) {
        for (int day = 0; day < kDays; ++day) {
            int today = kGifts / kDays + (day < kGifts % kDays ? 1 : 0);
            long long now = kStart + day * 86400LL;
            for (int i = 0; i < today; ++i, ++gifts) {
                NewGift g;
                g.campaign_id = id;
                const auto& dong = dongs[static_cast<std::size_t>(rng() % dongs.size())];
                g.dong_id = dong.id;
                unsigned roll = static_cast<unsigned>(rng() % 100);
                g.designation_id = roll < 50 ? des_id["general"] : roll < 75 ? des_id["dong-" + dong.code]
                                   : roll < 93 ? des_id["200-households"] : des_id["scholarship"];
                g.channel = rng() % 5 == 0 ? "transfer" : "counter";
                bool org = rng() % 100 < 15;
                g.form = rng() % 100 < 40 ? "in_kind" : "cash";
                g.amount_krw = org ? pick(30, 300) * unit : pick(1, 30) * unit;
                if (g.form == "in_kind") {
                    g.items = goods[rng() % 6];
                    g.valuation_basis = "구입 영수증 (demo)";
                }
                unsigned who = static_cast<unsigned>(rng() % 100);
                if (org) {
                    g.donor_kind = "organization";
                    g.donor_name = orgs[rng() % 7];
                    g.display = "named";
                } else if (who < 55) {
                    g.donor_kind = "anonymous";
                } else {
                    g.donor_kind = "person";
                    g.donor_name = std::string(family[rng() % 10]) + given[rng() % 10];
                    g.display = who < 80 ? "anonymous" : "masked";
                }
                if (gifts % std::max(4, kGifts / 3) == 3) {  // three gifts of the demo donor account
                    g.donor_kind = "person";
                    g.donor_name = "최나눔";
                    g.donor_contact = donor_email;
                    g.display = "masked";
                    g.form = "cash";
                    g.items.clear();
                    g.valuation_basis.clear();
                    g.designation_id = des_id["200-households"];
                }
                g.given_on = day_of(day);
                g.entered_by = 0;
                store.add_gift(s, g, now);
                balance[{g.designation_id, g.form}] += g.amount_krw;
            }
            // From the third week: households of the 200-household project every day, programmes weekly.
            if (day >= 14) {
                for (int k = 0; k < 3 && households < 200; ++k) {
                    NewDistribution d;
                    d.campaign_id = id;
                    d.designation_id = des_id[k == 2 ? "general" : "200-households"];
                    d.form = "cash";
                    d.amount_krw = pick(30, 100) * 10'000;
                    if (balance[{d.designation_id, d.form}] < d.amount_krw) continue;
                    static const char* purposes[] = {"living", "medical", "heating", "housing"};
                    d.purpose = purposes[rng() % 4];
                    d.program = "200가구 보듬기";
                    d.recipient_kind = "household";
                    d.household_ref = "demo-household-" + std::to_string(households + 1);
                    d.households = 1;
                    d.approval_ref = "지역사회보장협의체 " + day_of(day - day % 7) + " 의결";
                    d.given_on = day_of(day);
                    d.approved_by = 0;
                    store.add_distribution(s, d, now);
                    balance[{d.designation_id, d.form}] -= d.amount_krw;
                    ++households;
                    ++distributions;
                }
                if (day % 7 == 0) {
                    struct P {
                        const char* designation;
                        const char* form;
                        const char* program;
                        const char* purpose;
                        long long households;
                        long long amount;
                    };
                    for (const P& x : {P{"scholarship", "cash", "희망 장학금", "education", 12, 12'000'000},
                                       P{"general", "in_kind", "김장김치·난방용품 나눔", "heating", 80, 20'000'000},
                                       P{"general", "cash", "희망두배청년통장", "living", 3, 3'000'000}}) {
                        NewDistribution d;
                        d.campaign_id = id;
                        d.designation_id = des_id[x.designation];
                        d.form = x.form;
                        d.amount_krw = x.amount;
                        if (balance[{d.designation_id, d.form}] < d.amount_krw) continue;
                        d.purpose = x.purpose;
                        d.program = x.program;
                        d.recipient_kind = "program";
                        d.households = x.households;
                        d.approval_ref = "지역사회보장협의체 " + day_of(day) + " 의결";
                        d.given_on = day_of(day);
                        store.add_distribution(s, d, now);
                        balance[{d.designation_id, d.form}] -= d.amount_krw;
                        ++distributions;
                    }
                }
            }
        }
    });
    // Every campaign day is closed: seal them all.
    int entries = store.seal(id, c.campaign.ends_on);
    auto t = store.totals(id);
    return "giving: " + std::string(kCode) + " with " + std::to_string(gifts) + " gifts (" +
           std::to_string(t.raised_krw() / 1'000'000) + " million KRW, " +
           std::to_string(degrees_tenths(t.raised_krw(), c.campaign.target_krw) / 10) + " °), " +
           std::to_string(distributions) + " distributions, " + std::to_string(entries) + " ledger entries";
}

}  // namespace dure::giving
