#include "giving/store.hpp"

#include <soci/soci.h>

#include <map>
#include <set>
#include <tuple>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace dure::giving {

using soci::into;
using soci::use;

namespace {

constexpr const char* kCampaignColumns =
    "id, district_id, code, title_ko, title_en, target_krw, starts_on, ends_on, collector_name, "
    "collector_registration, collector_legal_basis, collector_account_holder, collector_url, sealed_through, "
    "ledger_seq, ledger_head";

std::string record_day(long long now) { return seoul_date(std::chrono::system_clock::from_time_t(now)); }

std::string day_for(soci::session& s, long long campaign_id, long long now) {
    std::string sealed;
    s << "SELECT sealed_through FROM giving_campaigns WHERE id = :c", use(campaign_id), into(sealed);
    return ledger_day(record_day(now), sealed);
}

// Context strings bind each ciphertext to its column (identity::Keyring).
constexpr const char* kCtxName = "giving_gifts.donor_name";
constexpr const char* kCtxContact = "giving_gifts.donor_contact";
constexpr const char* kCtxReceiptId = "giving_gifts.receipt_id";
constexpr const char* kCtxReceiptAddress = "giving_gifts.receipt_address";
constexpr const char* kCtxHousehold = "giving_distributions.household_ref";
constexpr const char* kCtxBidx = "giving.donor_contact";

}  // namespace

std::string GivingStore::contact_index(const std::string& contact) const {
    return contact.empty() ? "" : keys_.blind_index(contact, kCtxBidx);
}

long long GivingStore::create_campaign(const NewCampaign& n, long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) { id = create_campaign(s, n, now); });
    return id;
}

long long GivingStore::create_campaign(soci::session& s, const NewCampaign& n, long long now) {
    long long id = 0, taken = 0;
    const auto& c = n.campaign;
    // The UNIQUE (code) is the guard; this check only names the field in the answer.
    s << "SELECT COUNT(*) FROM giving_campaigns WHERE code = :c", use(c.code), into(taken);
    if (taken) throw Error(ErrorKind::conflict, "a campaign with this code exists", {{"code", "taken", "choose another code"}});
    s << "INSERT INTO giving_campaigns (district_id, code, title_ko, title_en, target_krw, starts_on, ends_on, "
         "collector_name, collector_registration, collector_legal_basis, collector_account_holder, collector_url, "
         "created_at) VALUES (:d, :c, :tk, :te, :t, :s, :e, :cn, :cr, :cl, :ca, :cu, :now) RETURNING id",
        use(c.district_id), use(c.code), use(c.title_ko), use(c.title_en), use(c.target_krw), use(c.starts_on),
        use(c.ends_on), use(c.collector_name), use(c.collector_registration), use(c.collector_legal_basis),
        use(c.collector_account_holder), use(c.collector_url), use(now), into(id);
    for (const auto& [dong, target] : n.dong_targets)
        s << "INSERT INTO giving_dong_targets (campaign_id, dong_id, target_krw) VALUES (:c, :d, :t)", use(id),
            use(dong), use(target);
    for (const auto& d : n.designations) {
        long long did = 0;
        s << "INSERT INTO giving_designations (campaign_id, code, kind, label_ko, label_en, dong_id) "
             "VALUES (:c, :code, :k, :lk, :le, :d) RETURNING id",
            use(id), use(d.code), use(d.kind), use(d.label_ko), use(d.label_en), use(d.dong_id), into(did);
        for (std::string form : {"cash", "in_kind"})
            s << "INSERT INTO giving_funds (designation_id, form, balance_krw) VALUES (:d, :f, 0)", use(did),
                use(form);
    }
    return id;
}

long long GivingStore::add_day(soci::session& s, const DonationDay& d, long long now) {
    long long taken = 0, id = 0;
    s << "SELECT COUNT(*) FROM giving_days WHERE campaign_id = :c AND day = :d AND title_ko = :t", use(d.campaign_id),
        use(d.day), use(d.title_ko), into(taken);
    if (taken)
        throw Error(ErrorKind::conflict, "this donation day is already on the campaign",
                    {{"title_ko", "taken", "a day with this title on this date exists"}});
    s << "INSERT INTO giving_days (campaign_id, day, title_ko, title_en, place, dong_id, created_by, created_at) "
         "VALUES (:c, :d, :tk, :te, :p, :g, :b, :n) RETURNING id",
        use(d.campaign_id), use(d.day), use(d.title_ko), use(d.title_en), use(d.place), use(d.dong_id),
        use(d.created_by), use(now), into(id);
    return id;
}

std::vector<DonationDay> GivingStore::days(long long campaign_id) {
    std::vector<DonationDay> out;
    db_.read([&](soci::session& s) {
        DonationDay d;
        soci::statement st = (s.prepare << "SELECT id, campaign_id, day, title_ko, title_en, place, dong_id, created_by "
                                           "FROM giving_days WHERE campaign_id = :c ORDER BY day, id",
                              use(campaign_id), into(d.id), into(d.campaign_id), into(d.day), into(d.title_ko),
                              into(d.title_en), into(d.place), into(d.dong_id), into(d.created_by));
        st.execute();
        while (st.fetch()) out.push_back(d);
    });
    return out;
}

namespace {
void read_campaigns(soci::session& s, const std::string& where, long long arg, std::vector<Campaign>& out,
                    const std::string* code = nullptr) {
    Campaign c;
    std::string sql = std::string("SELECT ") + kCampaignColumns + " FROM giving_campaigns WHERE " + where + " ORDER BY id";
    soci::statement st = code ? (s.prepare << sql, use(*code), into(c.id), into(c.district_id), into(c.code),
                                 into(c.title_ko), into(c.title_en), into(c.target_krw), into(c.starts_on),
                                 into(c.ends_on), into(c.collector_name), into(c.collector_registration),
                                 into(c.collector_legal_basis), into(c.collector_account_holder), into(c.collector_url),
                                 into(c.sealed_through), into(c.ledger_seq), into(c.ledger_head))
                              : (s.prepare << sql, use(arg), into(c.id), into(c.district_id), into(c.code),
                                 into(c.title_ko), into(c.title_en), into(c.target_krw), into(c.starts_on),
                                 into(c.ends_on), into(c.collector_name), into(c.collector_registration),
                                 into(c.collector_legal_basis), into(c.collector_account_holder), into(c.collector_url),
                                 into(c.sealed_through), into(c.ledger_seq), into(c.ledger_head));
    st.execute();
    while (st.fetch()) out.push_back(c);
}
}  // namespace

std::optional<Campaign> GivingStore::campaign(const std::string& code) {
    std::vector<Campaign> out;
    db_.read([&](soci::session& s) { read_campaigns(s, "code = :c", 0, out, &code); });
    if (out.empty()) return std::nullopt;
    return out.front();
}

std::vector<Campaign> GivingStore::campaigns(long long district_id) {
    std::vector<Campaign> out;
    db_.read([&](soci::session& s) { read_campaigns(s, "district_id = :d", district_id, out); });
    return out;
}

std::vector<Designation> GivingStore::designations(long long campaign_id) {
    std::vector<Designation> out;
    db_.read([&](soci::session& s) {
        Designation d;
        soci::statement st = (s.prepare << "SELECT id, campaign_id, code, kind, label_ko, label_en, dong_id FROM "
                                           "giving_designations WHERE campaign_id = :c ORDER BY id",
                              use(campaign_id), into(d.id), into(d.campaign_id), into(d.code), into(d.kind),
                              into(d.label_ko), into(d.label_en), into(d.dong_id));
        st.execute();
        while (st.fetch()) out.push_back(d);
    });
    return out;
}

std::vector<std::pair<long long, long long>> GivingStore::dong_targets(long long campaign_id) {
    std::vector<std::pair<long long, long long>> out;
    db_.read([&](soci::session& s) {
        long long d = 0, t = 0;
        soci::statement st = (s.prepare << "SELECT dong_id, target_krw FROM giving_dong_targets WHERE campaign_id = :c "
                                           "ORDER BY dong_id",
                              use(campaign_id), into(d), into(t));
        st.execute();
        while (st.fetch()) out.emplace_back(d, t);
    });
    return out;
}

long long GivingStore::add_gift(soci::session& s, const NewGift& g, long long now) {
    if (!valid_amount(g.amount_krw)) throw Error(ErrorKind::validation, "amount out of range",
                                                 {{"amount_krw", "out_of_range", "1 to 10^13 KRW"}});
    std::string day = day_for(s, g.campaign_id, now);
    std::string name = g.donor_name.empty() ? "" : keys_.encrypt(g.donor_name, kCtxName);
    std::string contact = g.donor_contact.empty() ? "" : keys_.encrypt(g.donor_contact, kCtxContact);
    std::string bidx = contact_index(g.donor_contact);
    std::string rid = g.receipt_wanted && !g.receipt_id.empty() ? keys_.encrypt(g.receipt_id, kCtxReceiptId) : "";
    std::string raddr =
        g.receipt_wanted && !g.receipt_address.empty() ? keys_.encrypt(g.receipt_address, kCtxReceiptAddress) : "";
    long long wanted = g.receipt_wanted ? 1 : 0, consent = g.receipt_wanted ? now : 0, id = 0;
    s << "INSERT INTO giving_gifts (campaign_id, designation_id, dong_id, channel, form, amount_krw, items, "
         "valuation_basis, donor_kind, display, donor_name_enc, donor_contact_enc, donor_bidx, receipt_wanted, "
         "receipt_consent_at, receipt_id_enc, receipt_address_enc, given_on, ledger_day, entered_by, created_at) "
         "VALUES (:c, :d, :dong, :ch, :f, :a, :i, :v, :dk, :di, :n, :ct, :b, :rw, :rc, :ri, :ra, :g, :l, :e, :t) "
         "RETURNING id",
        use(g.campaign_id), use(g.designation_id), use(g.dong_id), use(g.channel), use(g.form), use(g.amount_krw),
        use(g.items), use(g.valuation_basis), use(g.donor_kind), use(g.display), use(name), use(contact), use(bidx),
        use(wanted), use(consent), use(rid), use(raddr), use(g.given_on), use(day), use(g.entered_by), use(now),
        into(id);
    soci::statement st = (s.prepare << "UPDATE giving_funds SET balance_krw = balance_krw + :a "
                                       "WHERE designation_id = :d AND form = :f",
                          use(g.amount_krw), use(g.designation_id), use(g.form));
    st.execute(true);
    if (st.get_affected_rows() != 1) throw std::logic_error("giving: a designation without its fund");
    return id;
}

long long GivingStore::reverse_gift(soci::session& s, long long gift_id, const std::string& reason, long long by,
                                    long long now) {
    long long campaign = 0, designation = 0, amount = 0, already = 0;
    std::string form;
    s << "SELECT campaign_id, designation_id, form, amount_krw FROM giving_gifts WHERE id = :g", use(gift_id),
        into(campaign), into(designation), into(form), into(amount);
    if (!s.got_data()) throw Error(ErrorKind::not_found, "no such gift");
    s << "SELECT COUNT(*) FROM giving_reversals WHERE gift_id = :g", use(gift_id), into(already);
    if (already)
        throw Error(ErrorKind::conflict, "this gift was already reversed",
                    {{"gift_id", "already_reversed", "a gift is reversed once"}});
    soci::statement st = (s.prepare << "UPDATE giving_funds SET balance_krw = balance_krw - :a "
                                       "WHERE designation_id = :d AND form = :f AND balance_krw >= :a2",
                          use(amount), use(designation), use(form), use(amount));
    st.execute(true);
    if (st.get_affected_rows() != 1)
        throw Error(ErrorKind::conflict, "the fund has already distributed this gift's money; a reversal would take it below zero",
                    {{"gift_id", "fund_already_used", "the council must first record the correction of the distribution"}});
    std::string day = day_for(s, campaign, now);
    long long id = 0;
    // The UNIQUE (gift_id) makes a concurrent second reversal fail and roll back.
    s << "INSERT INTO giving_reversals (gift_id, campaign_id, reason, ledger_day, by_account, created_at) "
         "VALUES (:g, :c, :r, :l, :b, :t) RETURNING id",
        use(gift_id), use(campaign), use(reason), use(day), use(by), use(now), into(id);
    return id;
}

long long GivingStore::add_distribution(soci::session& s, const NewDistribution& d, long long now) {
    if (!valid_amount(d.amount_krw))
        throw Error(ErrorKind::validation, "amount out of range", {{"amount_krw", "out_of_range", "1 to 10^13 KRW"}});
    soci::statement st = (s.prepare << "UPDATE giving_funds SET balance_krw = balance_krw - :a "
                                       "WHERE designation_id = :d AND form = :f AND balance_krw >= :a2",
                          use(d.amount_krw), use(d.designation_id), use(d.form), use(d.amount_krw));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
        long long balance = 0;
        s << "SELECT balance_krw FROM giving_funds WHERE designation_id = :d AND form = :f", use(d.designation_id),
            use(d.form), into(balance);
        throw Error(ErrorKind::validation, "the fund holds less than this distribution",
                    {{"amount_krw", "exceeds_fund", "the fund holds " + std::to_string(balance) + " KRW"}});
    }
    std::string day = day_for(s, d.campaign_id, now);
    std::string ref = d.household_ref.empty() ? "" : keys_.encrypt(d.household_ref, kCtxHousehold);
    long long id = 0;
    s << "INSERT INTO giving_distributions (campaign_id, designation_id, form, amount_krw, purpose, program, "
         "recipient_kind, household_ref_enc, households, approval_ref, approved_by, given_on, ledger_day, created_at) "
         "VALUES (:c, :d, :f, :a, :p, :pr, :rk, :h, :n, :ar, :ab, :g, :l, :t) RETURNING id",
        use(d.campaign_id), use(d.designation_id), use(d.form), use(d.amount_krw), use(d.purpose), use(d.program),
        use(d.recipient_kind), use(ref), use(d.households), use(d.approval_ref), use(d.approved_by), use(d.given_on),
        use(day), use(now), into(id);
    return id;
}

bool GivingStore::mark_received(long long distribution_id, long long at) {
    long long changed = 0;
    db_.write([&](soci::session& s) {
        soci::statement st = (s.prepare << "UPDATE giving_distributions SET received_at = :t WHERE id = :i AND received_at = 0",
                              use(at), use(distribution_id));
        st.execute(true);
        changed = st.get_affected_rows();
    });
    return changed == 1;
}

namespace {
constexpr const char* kGiftSelect =
    "SELECT g.id, g.campaign_id, g.designation_id, g.dong_id, d.code, g.channel, g.form, g.amount_krw, g.items, "
    "g.donor_kind, g.display, g.donor_name_enc, g.given_on, g.receipt_wanted, g.created_at, "
    "COALESCE(r.reason, '') , CASE WHEN r.id IS NULL THEN 0 ELSE 1 END "
    "FROM giving_gifts g JOIN giving_designations d ON d.id = g.designation_id "
    "LEFT JOIN giving_reversals r ON r.gift_id = g.id ";

template <class Bind>
std::vector<Gift> read_gifts(soci::session& s, const std::string& sql, Bind bind, const identity::Keyring* keys) {
    std::vector<Gift> out;
    Gift g;
    std::string name_enc;
    long long wanted = 0, reversed = 0;
    soci::statement st(s);
    st.exchange(into(g.id));
    st.exchange(into(g.campaign_id));
    st.exchange(into(g.designation_id));
    st.exchange(into(g.dong_id));
    st.exchange(into(g.designation_code));
    st.exchange(into(g.channel));
    st.exchange(into(g.form));
    st.exchange(into(g.amount_krw));
    st.exchange(into(g.items));
    st.exchange(into(g.donor_kind));
    st.exchange(into(g.display));
    st.exchange(into(name_enc));
    st.exchange(into(g.given_on));
    st.exchange(into(wanted));
    st.exchange(into(g.created_at));
    st.exchange(into(g.reversal_reason));
    st.exchange(into(reversed));
    bind(st);
    st.alloc();
    st.prepare(sql);
    st.define_and_bind();
    st.execute();
    while (st.fetch()) {
        Gift x = g;
        x.receipt_wanted = wanted != 0;
        x.reversed = reversed != 0;
        x.donor_name = keys && !name_enc.empty() ? keys->decrypt(name_enc, kCtxName) : "";
        out.push_back(std::move(x));
    }
    return out;
}
}  // namespace

std::optional<Gift> GivingStore::gift(long long id) {
    std::vector<Gift> out;
    db_.read([&](soci::session& s) {
        out = read_gifts(s, std::string(kGiftSelect) + "WHERE g.id = :i",
                         [&](soci::statement& st) { st.exchange(use(id)); }, nullptr);
    });
    if (out.empty()) return std::nullopt;
    return out.front();
}

std::vector<Gift> GivingStore::gifts_of_donor(const std::vector<std::string>& contacts) {
    std::vector<Gift> out;
    for (const auto& c : contacts) {
        if (c.empty()) continue;
        db_.read([&](soci::session& s) {
            auto part = read_gifts(s, std::string(kGiftSelect) + "WHERE g.donor_bidx = :b ORDER BY g.id",
                                   [&](soci::statement& st) { st.exchange(use(c)); }, &keys_);
            out.insert(out.end(), part.begin(), part.end());
        });
    }
    return out;
}

std::vector<Gift> GivingStore::gifts_of_dong(long long campaign_id, long long dong_id, long long limit) {
    std::vector<Gift> out;
    db_.read([&](soci::session& s) {
        out = read_gifts(s,
                         std::string(kGiftSelect) +
                             "WHERE g.campaign_id = :c AND g.dong_id = :d ORDER BY g.id DESC LIMIT :l",
                         [&](soci::statement& st) {
                             st.exchange(use(campaign_id));
                             st.exchange(use(dong_id));
                             st.exchange(use(limit));
                         },
                         &keys_);
    });
    return out;
}

std::vector<Distribution> GivingStore::distributions(long long campaign_id, bool with_household) {
    std::vector<Distribution> out;
    db_.read([&](soci::session& s) {
        Distribution d;
        std::string ref;
        soci::statement st =
            (s.prepare << "SELECT x.id, x.designation_id, g.code, x.form, x.amount_krw, x.purpose, x.program, "
                          "x.recipient_kind, x.household_ref_enc, x.households, x.approval_ref, x.given_on, "
                          "x.approved_by, x.received_at FROM giving_distributions x JOIN giving_designations g ON "
                          "g.id = x.designation_id WHERE x.campaign_id = :c ORDER BY x.id",
             use(campaign_id), into(d.id), into(d.designation_id), into(d.designation_code), into(d.form),
             into(d.amount_krw), into(d.purpose), into(d.program), into(d.recipient_kind), into(ref),
             into(d.households), into(d.approval_ref), into(d.given_on), into(d.approved_by), into(d.received_at));
        st.execute();
        while (st.fetch()) {
            Distribution x = d;
            x.household_ref = with_household && !ref.empty() ? keys_.decrypt(ref, kCtxHousehold) : "";
            out.push_back(std::move(x));
        }
    });
    return out;
}

std::vector<Fund> GivingStore::funds(long long campaign_id) {
    std::vector<Fund> out;
    db_.read([&](soci::session& s) {
        Fund f;
        soci::statement st = (s.prepare << "SELECT f.designation_id, d.code, f.form, f.balance_krw FROM giving_funds f "
                                           "JOIN giving_designations d ON d.id = f.designation_id "
                                           "WHERE d.campaign_id = :c ORDER BY d.id, f.form",
                              use(campaign_id), into(f.designation_id), into(f.designation_code), into(f.form),
                              into(f.balance_krw));
        st.execute();
        while (st.fetch()) out.push_back(f);
    });
    return out;
}

Totals GivingStore::totals(long long campaign_id) {
    Totals t;
    db_.read([&](soci::session& s) {
        s << "SELECT CAST(COALESCE(SUM(amount_krw), 0) AS BIGINT), COUNT(*) FROM giving_gifts WHERE campaign_id = :c",
            use(campaign_id), into(t.gifts_krw), into(t.gifts_count);
        s << "SELECT CAST(COALESCE(SUM(g.amount_krw), 0) AS BIGINT) FROM giving_reversals r JOIN giving_gifts g ON "
             "g.id = r.gift_id WHERE r.campaign_id = :c",
            use(campaign_id), into(t.reversed_krw);
        s << "SELECT CAST(COALESCE(SUM(amount_krw), 0) AS BIGINT) FROM giving_distributions WHERE campaign_id = :c",
            use(campaign_id), into(t.distributed_krw);
        s << "SELECT CAST(COALESCE(SUM(f.balance_krw), 0) AS BIGINT) FROM giving_funds f JOIN giving_designations d "
             "ON d.id = f.designation_id WHERE d.campaign_id = :c",
            use(campaign_id), into(t.balance_krw);
        const std::string net =
            "CAST(COALESCE(SUM(CASE WHEN r.id IS NULL THEN g.amount_krw ELSE 0 END), 0) AS BIGINT) FROM giving_gifts g "
            "LEFT JOIN giving_reversals r ON r.gift_id = g.id WHERE g.campaign_id = :c ";
        {
            std::string k;
            long long v = 0;
            soci::statement st = (s.prepare << "SELECT g.channel, " + net + "GROUP BY g.channel ORDER BY g.channel",
                                  use(campaign_id), into(k), into(v));
            st.execute();
            while (st.fetch()) t.by_channel.emplace_back(k, v);
        }
        {
            std::string k;
            long long v = 0;
            soci::statement st = (s.prepare << "SELECT g.form, " + net + "GROUP BY g.form ORDER BY g.form",
                                  use(campaign_id), into(k), into(v));
            st.execute();
            while (st.fetch()) t.by_form.emplace_back(k, v);
        }
        {
            long long k = 0, v = 0;
            soci::statement st = (s.prepare << "SELECT g.dong_id, " + net + "GROUP BY g.dong_id ORDER BY g.dong_id",
                                  use(campaign_id), into(k), into(v));
            st.execute();
            while (st.fetch()) t.by_dong.emplace_back(k, v);
        }
    });
    return t;
}

std::vector<std::pair<std::string, long long>> GivingStore::donor_wall(long long campaign_id, long long limit) {
    std::vector<std::pair<std::string, long long>> out;
    db_.read([&](soci::session& s) {
        std::string name, display, kind;
        long long amount = 0;
        soci::statement st =
            (s.prepare << "SELECT g.donor_name_enc, g.display, g.donor_kind, g.amount_krw FROM giving_gifts g "
                          "LEFT JOIN giving_reversals r ON r.gift_id = g.id WHERE g.campaign_id = :c AND r.id IS NULL "
                          "AND g.display <> 'anonymous' AND g.donor_name_enc <> '' ORDER BY g.id DESC LIMIT :l",
             use(campaign_id), use(limit), into(name), into(display), into(kind), into(amount));
        st.execute();
        while (st.fetch()) {
            std::string plain = keys_.decrypt(name, kCtxName);
            out.emplace_back(display == "named" || kind == "organization" ? plain : mask_name(plain), amount);
        }
    });
    return out;
}

std::pair<std::vector<Slice>, std::vector<Slice>> GivingStore::fund_slices(long long designation_id,
                                                                             const std::string& form) {
    std::pair<std::vector<Slice>, std::vector<Slice>> out;
    db_.read([&](soci::session& s) {
        Slice x;
        soci::statement a = (s.prepare << "SELECT g.id, g.amount_krw FROM giving_gifts g LEFT JOIN giving_reversals r "
                                          "ON r.gift_id = g.id WHERE g.designation_id = :d AND g.form = :f AND r.id IS "
                                          "NULL ORDER BY g.id",
                             use(designation_id), use(form), into(x.id), into(x.amount));
        a.execute();
        while (a.fetch()) out.first.push_back(x);
        soci::statement b = (s.prepare << "SELECT id, amount_krw FROM giving_distributions WHERE designation_id = :d "
                                          "AND form = :f ORDER BY id",
                             use(designation_id), use(form), into(x.id), into(x.amount));
        b.execute();
        while (b.fetch()) out.second.push_back(x);
    });
    return out;
}

std::vector<LedgerEntry> GivingStore::aggregate(soci::session& s, long long campaign_id, const std::string& after,
                                                const std::string& through) {
    std::vector<LedgerEntry> out;
    LedgerEntry e;
    auto run = [&](const std::string& kind, const std::string& sql) {
        e = LedgerEntry{};
        e.kind = kind;
        soci::statement st = (s.prepare << sql, use(campaign_id), use(after), use(through), into(e.day), into(e.source),
                              into(e.purpose), into(e.designation), into(e.form), into(e.count), into(e.amount));
        st.execute();
        while (st.fetch()) out.push_back(e);
    };
    run("gift",
        "SELECT g.ledger_day, g.channel, '', d.code, g.form, COUNT(*), CAST(SUM(g.amount_krw) AS BIGINT) FROM "
        "giving_gifts g JOIN giving_designations d ON d.id = g.designation_id WHERE g.campaign_id = :c AND "
        "g.ledger_day > :a AND g.ledger_day <= :t GROUP BY g.ledger_day, g.channel, d.code, g.form");
    run("reversal",
        "SELECT r.ledger_day, g.channel, '', d.code, g.form, COUNT(*), CAST(-SUM(g.amount_krw) AS BIGINT) FROM "
        "giving_reversals r JOIN giving_gifts g ON g.id = r.gift_id JOIN giving_designations d ON d.id = "
        "g.designation_id WHERE r.campaign_id = :c AND r.ledger_day > :a AND r.ledger_day <= :t "
        "GROUP BY r.ledger_day, g.channel, d.code, g.form");
    run("distribution",
        "SELECT x.ledger_day, x.program, x.purpose, d.code, x.form, CAST(SUM(x.households) AS BIGINT), "
        "CAST(SUM(x.amount_krw) AS BIGINT) FROM giving_distributions x JOIN giving_designations d ON d.id = "
        "x.designation_id WHERE x.campaign_id = :c AND x.ledger_day > :a AND x.ledger_day <= :t "
        "GROUP BY x.ledger_day, x.program, x.purpose, d.code, x.form");
    return out;
}

int GivingStore::seal(long long campaign_id, const std::string& through_day) {
    int added = 0;
    db_.write([&](soci::session& s) {
        std::string sealed, head;
        long long seq = 0;
        s << "SELECT sealed_through, ledger_seq, ledger_head FROM giving_campaigns WHERE id = :c", use(campaign_id),
            into(sealed), into(seq), into(head);
        if (!s.got_data() || through_day <= sealed) return;
        auto entries = aggregate(s, campaign_id, sealed, through_day);
        std::string new_head = giving::seal(entries, seq, head);
        for (const auto& e : entries)
            s << "INSERT INTO giving_ledger (campaign_id, seq, day, kind, source, purpose, designation, form, count, "
                 "amount_krw, prev_hash, hash) VALUES (:c, :s, :d, :k, :so, :p, :de, :f, :n, :a, :ph, :h)",
                use(campaign_id), use(e.seq), use(e.day), use(e.kind), use(e.source), use(e.purpose),
                use(e.designation), use(e.form), use(e.count), use(e.amount), use(e.prev_hash), use(e.hash);
        long long new_seq = seq + static_cast<long long>(entries.size());
        // Conditional on the sequence read above: a concurrent sealer loses (and its rows roll back).
        soci::statement st = (s.prepare << "UPDATE giving_campaigns SET sealed_through = :t, ledger_seq = :n, "
                                           "ledger_head = :h WHERE id = :c AND ledger_seq = :o",
                              use(through_day), use(new_seq), use(new_head), use(campaign_id), use(seq));
        st.execute(true);
        if (st.get_affected_rows() != 1) throw Error(ErrorKind::conflict, "the ledger was sealed concurrently");
        added = static_cast<int>(entries.size());
    });
    return added;
}

std::vector<LedgerEntry> GivingStore::ledger(long long campaign_id) {
    std::vector<LedgerEntry> out;
    db_.read([&](soci::session& s) {
        LedgerEntry e;
        soci::statement st = (s.prepare << "SELECT seq, day, kind, source, purpose, designation, form, count, amount_krw, "
                                           "prev_hash, hash FROM giving_ledger WHERE campaign_id = :c ORDER BY seq",
                              use(campaign_id), into(e.seq), into(e.day), into(e.kind), into(e.source), into(e.purpose),
                              into(e.designation), into(e.form), into(e.count), into(e.amount), into(e.prev_hash),
                              into(e.hash));
        st.execute();
        while (st.fetch()) out.push_back(e);
    });
    return out;
}

std::vector<LedgerEntry> GivingStore::pending(long long campaign_id) {
    std::vector<LedgerEntry> out;
    db_.read([&](soci::session& s) {
        std::string sealed;
        s << "SELECT sealed_through FROM giving_campaigns WHERE id = :c", use(campaign_id), into(sealed);
        out = aggregate(s, campaign_id, sealed, "9999-12-31");
    });
    giving::seal(out, 0, "");  // canonical order only; pending entries carry no published hash
    for (auto& e : out) e.seq = 0, e.prev_hash.clear(), e.hash.clear();
    return out;
}

}  // namespace dure::giving

namespace dure::giving {

StatementReport GivingStore::import_statement(soci::session& s, const Campaign& c, const std::vector<StatementRow>& rows,
                                              const std::string& file_sha256, long long by, long long now) {
    StatementReport rep;
    std::vector<FieldError> errors;
    auto fail = [&](const StatementRow& r, const char* field, const char* code, const std::string& msg) {
        errors.push_back({"rows[" + std::to_string(r.line) + "]." + field, code, msg});
    };
    long long seen = 0;
    s << "SELECT COUNT(*) FROM giving_statements WHERE campaign_id = :c AND file_sha256 = :h", use(c.id),
        use(file_sha256), into(seen);
    if (seen) throw Error(ErrorKind::conflict, "this statement was imported already", {{"file", "already_imported", "the same file"}});
    long long sid = 0, count = static_cast<long long>(rows.size());
    s << "INSERT INTO giving_statements (campaign_id, file_sha256, row_count, imported_by, created_at) "
         "VALUES (:c, :h, :n, :b, :t) RETURNING id",
        use(c.id), use(file_sha256), use(count), use(by), use(now), into(sid);
    std::map<std::string, std::pair<long long, long long>> dong_designation;  // dong code → (designation, dong)
    long long general = 0;
    {
        Designation d;
        std::string dong_code;
        soci::statement st = (s.prepare << "SELECT g.id, g.code, g.dong_id, COALESCE(d.code, '') FROM giving_designations g "
                                           "LEFT JOIN dongs d ON d.id = g.dong_id WHERE g.campaign_id = :c",
                              use(c.id), into(d.id), into(d.code), into(d.dong_id), into(dong_code));
        st.execute();
        while (st.fetch()) {
            if (d.code == "general") general = d.id;
            if (d.dong_id) dong_designation[dong_code] = {d.id, d.dong_id};
        }
    }
    std::set<long long> in_file;
    for (const auto& r : rows) {
        long long gift_id = 0;
        std::string kind;
        if (r.gift_id) {
            long long campaign = 0, amount = 0, reversed = 0, matched = 0;
            std::string channel, form;
            s << "SELECT g.campaign_id, g.amount_krw, g.channel, g.form, "
                 "(SELECT COUNT(*) FROM giving_reversals r WHERE r.gift_id = g.id), "
                 "(SELECT COUNT(*) FROM giving_statement_rows x WHERE x.gift_id = g.id) "
                 "FROM giving_gifts g WHERE g.id = :g",
                use(r.gift_id), into(campaign), into(amount), into(channel), into(form), into(reversed), into(matched);
            if (!s.got_data() || campaign != c.id) fail(r, "reference", "unknown_reference", "no such gift in this campaign");
            else if (form != "cash") fail(r, "reference", "not_cash", "gift " + r.reference + " is goods, not money");
            else if (reversed) fail(r, "reference", "reversed", "gift " + r.reference + " was reversed");
            else if (matched || in_file.count(r.gift_id)) fail(r, "reference", "already_matched", "gift " + r.reference + " is matched already");
            else if (amount != r.amount) fail(r, "amount_krw", "amount_mismatch", "dure recorded " + std::to_string(amount) + " KRW");
            else if (channel != r.channel) fail(r, "channel", "channel_mismatch", "dure recorded " + channel);
            else {
                gift_id = r.gift_id;
                kind = "matched";
                in_file.insert(gift_id);
                ++rep.matched;
                rep.matched_krw += amount;
            }
        } else {
            auto it = dong_designation.find(r.dong_code);
            if (!r.dong_code.empty() && it == dong_designation.end()) {
                fail(r, "reference", "unknown_reference", "no dong " + r.dong_code + " in this campaign");
            } else if (r.day < c.starts_on || r.day > c.ends_on) {
                fail(r, "date", "outside_period", "a date within the campaign");
            } else if (errors.empty()) {
                NewGift g;
                g.campaign_id = c.id;
                g.designation_id = r.dong_code.empty() ? general : it->second.first;
                g.dong_id = r.dong_code.empty() ? 0 : it->second.second;
                g.channel = "qr";
                g.amount_krw = r.amount;
                g.given_on = r.day;
                g.entered_by = by;
                gift_id = add_gift(s, g, now);
                kind = "qr";
                ++rep.qr_added;
                rep.qr_added_krw += r.amount;
            }
        }
        if (!errors.empty() || !gift_id) continue;
        s << "INSERT INTO giving_statement_rows (statement_id, line, day, reference, channel, amount_krw, kind, gift_id) "
             "VALUES (:s, :l, :d, :r, :c, :a, :k, :g)",
            use(sid), use(r.line), use(r.day), use(r.reference), use(r.channel), use(r.amount), use(kind), use(gift_id);
    }
    if (!errors.empty()) throw Error(ErrorKind::validation, std::to_string(errors.size()) + " rows do not match", errors);
    rep.statement_id = sid;
    rep.rows = count;
    long long id = 0, amount = 0;
    soci::statement st = (s.prepare << "SELECT g.id, g.amount_krw FROM giving_gifts g WHERE g.campaign_id = :c AND "
                                       "g.form = 'cash' AND g.channel IN ('counter', 'transfer') AND NOT EXISTS "
                                       "(SELECT 1 FROM giving_reversals r WHERE r.gift_id = g.id) AND NOT EXISTS "
                                       "(SELECT 1 FROM giving_statement_rows x WHERE x.gift_id = g.id) ORDER BY g.id",
                          use(c.id), into(id), into(amount));
    st.execute();
    while (st.fetch()) {
        ++rep.unmatched_gifts;
        rep.unmatched_krw += amount;
        if (rep.unmatched_ids.size() < 50) rep.unmatched_ids.push_back(id);
    }
    return rep;
}

}  // namespace dure::giving

namespace dure::giving {

std::vector<ReceiptData> GivingStore::receipts(long long campaign_id) {
    std::vector<ReceiptData> out;
    db_.read([&](soci::session& s) {
        ReceiptData r;
        std::string name, id, address;
        soci::statement st = (s.prepare << "SELECT g.id, g.amount_krw, g.donor_kind, g.donor_name_enc, g.receipt_id_enc, "
                                           "g.receipt_address_enc, g.form, g.items, g.given_on FROM giving_gifts g "
                                           "WHERE g.campaign_id = :c AND g.receipt_wanted = 1 AND NOT EXISTS (SELECT 1 "
                                           "FROM giving_reversals x WHERE x.gift_id = g.id) ORDER BY g.id",
                              use(campaign_id), into(r.gift_id), into(r.amount_krw), into(r.donor_kind), into(name),
                              into(id), into(address), into(r.form), into(r.items), into(r.given_on));
        st.execute();
        while (st.fetch()) {
            ReceiptData x = r;
            x.donor_name = name.empty() ? "" : keys_.decrypt(name, kCtxName);
            x.receipt_id = id.empty() ? "" : keys_.decrypt(id, kCtxReceiptId);
            x.receipt_address = address.empty() ? "" : keys_.decrypt(address, kCtxReceiptAddress);
            out.push_back(std::move(x));
        }
    });
    return out;
}

namespace {
long long next_serial(soci::session& s, long long year) {
    long long last = 0;
    soci::indicator ind = soci::i_ok;
    s << "SELECT MAX(serial) FROM giving_receipts WHERE year = :y", use(year), into(last, ind);
    return (ind == soci::i_ok ? last : 0) + 1;
}

long long insert_receipt(soci::session& s, long long campaign, long long gift, long long year, long long serial,
                         long long replaces, long long by, long long now) {
    long long id = 0;
    try {
        s << "INSERT INTO giving_receipts (campaign_id, gift_id, year, serial, replaces_id, issued_by, issued_at) "
             "VALUES (:c, :g, :y, :s, :r, :b, :t) RETURNING id",
            use(campaign), use(gift), use(year), use(serial), use(replaces), use(by), use(now), into(id);
    } catch (const soci::soci_error&) {
        // UNIQUE (year, serial) or one first receipt per gift: a concurrent issue won.
        throw Error(ErrorKind::conflict, "another receipt was issued at the same moment; nothing was written, try again");
    }
    return id;
}
}  // namespace

std::vector<ReceiptRecord> GivingStore::issue_receipts(soci::session& s, long long campaign_id, long long by,
                                                       long long now) {
    std::vector<std::pair<long long, std::string>> gifts;
    {
        long long id = 0;
        std::string given;
        soci::statement st = (s.prepare << "SELECT g.id, g.given_on FROM giving_gifts g WHERE g.campaign_id = :c AND "
                                           "g.receipt_wanted = 1 AND NOT EXISTS (SELECT 1 FROM giving_reversals x WHERE "
                                           "x.gift_id = g.id) AND NOT EXISTS (SELECT 1 FROM giving_receipts r WHERE "
                                           "r.gift_id = g.id) ORDER BY g.id",
                              use(campaign_id), into(id), into(given));
        st.execute();
        while (st.fetch()) gifts.emplace_back(id, given);
    }
    std::vector<ReceiptRecord> out;
    std::map<long long, long long> serial;  // year -> next
    for (const auto& [gift, given] : gifts) {
        long long year = std::stoll(given.substr(0, 4));
        if (!serial.count(year)) serial[year] = next_serial(s, year);
        ReceiptRecord r;
        r.gift_id = gift;
        r.year = year;
        r.serial = serial[year]++;
        r.issued_at = now;
        r.id = insert_receipt(s, campaign_id, gift, year, r.serial, 0, by, now);
        r.number = receipt_number(year, r.serial);
        out.push_back(r);
    }
    return out;
}

ReceiptRecord GivingStore::void_receipt(soci::session& s, long long receipt_id, const std::string& reason, bool reissue,
                                        long long by, long long now) {
    long long campaign = 0, gift = 0, year = 0, voided = 0, reversed = 0;
    s << "SELECT campaign_id, gift_id, year FROM giving_receipts WHERE id = :r", use(receipt_id), into(campaign),
        into(gift), into(year);
    if (!s.got_data()) throw Error(ErrorKind::not_found, "no such receipt");
    s << "SELECT COUNT(*) FROM giving_receipt_voids WHERE receipt_id = :r", use(receipt_id), into(voided);
    if (voided) throw Error(ErrorKind::conflict, "this receipt is already void", {{"receipt_id", "already_void", "void once"}});
    try {
        s << "INSERT INTO giving_receipt_voids (receipt_id, reason, by_account, created_at) VALUES (:r, :why, :b, :t)",
            use(receipt_id), use(reason), use(by), use(now);
    } catch (const soci::soci_error&) {
        throw Error(ErrorKind::conflict, "this receipt was voided at the same moment", {{"receipt_id", "already_void", "void once"}});
    }
    ReceiptRecord r;
    if (!reissue) return r;
    s << "SELECT COUNT(*) FROM giving_reversals WHERE gift_id = :g", use(gift), into(reversed);
    if (reversed)
        throw Error(ErrorKind::conflict, "the gift was reversed: void without a reissue",
                    {{"reissue", "gift_reversed", "a reversed gift gets no receipt"}});
    r.gift_id = gift;
    r.year = year;
    r.serial = next_serial(s, year);
    r.replaces_id = receipt_id;
    r.issued_at = now;
    r.id = insert_receipt(s, campaign, gift, year, r.serial, receipt_id, by, now);
    r.number = receipt_number(year, r.serial);
    return r;
}

namespace {
constexpr const char* kReceiptColumns =
    "r.id, r.gift_id, r.year, r.serial, r.replaces_id, r.issued_at, "
    "CASE WHEN v.receipt_id IS NULL THEN 0 ELSE 1 END, COALESCE(v.reason, '') ";
}

std::optional<std::pair<ReceiptRecord, long long>> GivingStore::receipt(long long id) {
    std::optional<std::pair<ReceiptRecord, long long>> out;
    db_.read([&](soci::session& s) {
        ReceiptRecord r;
        long long voided = 0, campaign = 0;
        s << std::string("SELECT ") + kReceiptColumns + ", r.campaign_id FROM giving_receipts r LEFT JOIN "
             "giving_receipt_voids v ON v.receipt_id = r.id WHERE r.id = :i",
            use(id), into(r.id), into(r.gift_id), into(r.year), into(r.serial), into(r.replaces_id), into(r.issued_at),
            into(voided), into(r.void_reason), into(campaign);
        if (!s.got_data()) return;
        r.voided = voided != 0;
        r.number = receipt_number(r.year, r.serial);
        out = std::make_pair(r, campaign);
    });
    return out;
}

std::vector<ReceiptRecord> GivingStore::receipt_records(long long campaign_id) {
    std::vector<ReceiptRecord> out;
    db_.read([&](soci::session& s) {
        ReceiptRecord r;
        long long voided = 0;
        soci::statement st = (s.prepare << std::string("SELECT ") + kReceiptColumns +
                                               "FROM giving_receipts r LEFT JOIN giving_receipt_voids v ON "
                                               "v.receipt_id = r.id WHERE r.campaign_id = :c ORDER BY r.id",
                              use(campaign_id), into(r.id), into(r.gift_id), into(r.year), into(r.serial),
                              into(r.replaces_id), into(r.issued_at), into(voided), into(r.void_reason));
        st.execute();
        while (st.fetch()) {
            ReceiptRecord x = r;
            x.voided = voided != 0;
            x.number = receipt_number(x.year, x.serial);
            out.push_back(x);
        }
    });
    return out;
}

std::vector<YearEndRow> GivingStore::year_end(long long district_id, long long year) {
    std::vector<YearEndRow> out;
    db_.read([&](soci::session& s) {
        YearEndRow y;
        std::string name, rid, address;
        long long pyear = 0, pserial = 0;
        soci::indicator i1 = soci::i_ok, i2 = soci::i_ok;
        soci::statement st =
            (s.prepare << "SELECT r.id, r.gift_id, r.year, r.serial, r.replaces_id, r.issued_at, p.year, p.serial, "
                          "g.amount_krw, g.donor_kind, g.donor_name_enc, g.receipt_id_enc, g.receipt_address_enc, "
                          "g.form, g.items, g.given_on, c.collector_name, c.collector_registration, "
                          "c.collector_legal_basis FROM giving_receipts r JOIN giving_gifts g ON g.id = r.gift_id "
                          "JOIN giving_campaigns c ON c.id = r.campaign_id LEFT JOIN giving_receipts p ON "
                          "p.id = r.replaces_id WHERE c.district_id = :d AND r.year = :y AND NOT EXISTS (SELECT 1 "
                          "FROM giving_receipt_voids v WHERE v.receipt_id = r.id) ORDER BY r.serial",
             use(district_id), use(year), into(y.receipt.id), into(y.receipt.gift_id), into(y.receipt.year),
             into(y.receipt.serial), into(y.receipt.replaces_id), into(y.receipt.issued_at), into(pyear, i1),
             into(pserial, i2), into(y.gift.amount_krw), into(y.gift.donor_kind), into(name), into(rid), into(address),
             into(y.gift.form), into(y.gift.items), into(y.gift.given_on), into(y.collector_name),
             into(y.collector_registration), into(y.collector_legal_basis));
        st.execute();
        while (st.fetch()) {
            YearEndRow x = y;
            x.receipt.number = receipt_number(x.receipt.year, x.receipt.serial);
            x.replaces_number = i1 == soci::i_ok && x.receipt.replaces_id ? receipt_number(pyear, pserial) : "";
            x.gift.gift_id = x.receipt.gift_id;
            x.gift.donor_name = name.empty() ? "" : keys_.decrypt(name, kCtxName);
            x.gift.receipt_id = rid.empty() ? "" : keys_.decrypt(rid, kCtxReceiptId);
            x.gift.receipt_address = address.empty() ? "" : keys_.decrypt(address, kCtxReceiptAddress);
            out.push_back(std::move(x));
        }
    });
    return out;
}

long long GivingStore::move_stock(soci::session& s, const StockMove& m, long long now) {
    if (m.quantity <= 0 || m.quantity > 1'000'000'000)
        throw Error(ErrorKind::validation, "quantity out of range", {{"quantity", "out_of_range", "1 to 10^9"}});
    std::string unit;
    s << "SELECT unit FROM giving_stock WHERE campaign_id = :c AND item = :i", use(m.campaign_id), use(m.item), into(unit);
    bool known = s.got_data();
    if (m.direction == "in") {
        if (!known) {
            s << "INSERT INTO giving_stock (campaign_id, item, unit, quantity) VALUES (:c, :i, :u, 0)", use(m.campaign_id),
                use(m.item), use(m.unit);
        } else if (unit != m.unit) {
            throw Error(ErrorKind::validation, "the item is counted in another unit",
                        {{"unit", "unit_mismatch", "this item is counted in " + unit}});
        }
        s << "UPDATE giving_stock SET quantity = quantity + :q WHERE campaign_id = :c AND item = :i", use(m.quantity),
            use(m.campaign_id), use(m.item);
    } else {
        if (!known) throw Error(ErrorKind::validation, "no such item in stock", {{"item", "unknown_item", "an item received"}});
        soci::statement st = (s.prepare << "UPDATE giving_stock SET quantity = quantity - :q WHERE campaign_id = :c AND "
                                           "item = :i AND quantity >= :q2",
                              use(m.quantity), use(m.campaign_id), use(m.item), use(m.quantity));
        st.execute(true);
        if (st.get_affected_rows() != 1) {
            long long on_hand = 0;
            s << "SELECT quantity FROM giving_stock WHERE campaign_id = :c AND item = :i", use(m.campaign_id),
                use(m.item), into(on_hand);
            throw Error(ErrorKind::validation, "fewer on hand than this distribution",
                        {{"quantity", "exceeds_stock", std::to_string(on_hand) + " " + unit + " on hand"}});
        }
    }
    long long id = 0;
    s << "INSERT INTO giving_stock_moves (campaign_id, item, direction, quantity, gift_id, approval_ref, purpose, "
         "households, dong_id, by_account, created_at) VALUES (:c, :i, :d, :q, :g, :a, :p, :h, :dong, :b, :t) RETURNING id",
        use(m.campaign_id), use(m.item), use(m.direction), use(m.quantity), use(m.gift_id), use(m.approval_ref),
        use(m.purpose), use(m.households), use(m.dong_id), use(m.by), use(now), into(id);
    return id;
}

std::vector<StockItem> GivingStore::stock(long long campaign_id) {
    std::vector<StockItem> out;
    db_.read([&](soci::session& s) {
        StockItem i;
        soci::statement st = (s.prepare << "SELECT item, unit, quantity FROM giving_stock WHERE campaign_id = :c ORDER BY item",
                              use(campaign_id), into(i.item), into(i.unit), into(i.quantity));
        st.execute();
        while (st.fetch()) out.push_back(i);
    });
    return out;
}

std::vector<GiftFact> GivingStore::gift_facts(long long campaign_id) {
    std::vector<GiftFact> out;
    db_.read([&](soci::session& s) {
        GiftFact g;
        soci::statement st = (s.prepare << "SELECT g.given_on, g.channel, g.form, g.amount_krw FROM giving_gifts g WHERE "
                                           "g.campaign_id = :c AND NOT EXISTS (SELECT 1 FROM giving_reversals x WHERE "
                                           "x.gift_id = g.id) ORDER BY g.id",
                              use(campaign_id), into(g.given_on), into(g.channel), into(g.form), into(g.amount));
        st.execute();
        while (st.fetch()) out.push_back(g);
    });
    return out;
}

}  // namespace dure::giving
