#include "alerts/alerts.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <algorithm>
#include <map>

#include "eligibility/engine.hpp"
#include "eligibility/household.hpp"
#include "notify/outbox.hpp"

namespace dure::eligibility {

namespace json = boost::json;
using soci::into;
using soci::use;

namespace {

constexpr const char* kInboxCtx = notify::kInboxBodyContext;
constexpr long long kKst = 9 * 3600;

std::string won(long long v) {
    std::string s = std::to_string(v), out;
    int n = 0;
    for (auto it = s.rbegin(); it != s.rend(); ++it) {
        if (n && n % 3 == 0) out.insert(out.begin(), ',');
        out.insert(out.begin(), *it);
        ++n;
    }
    return out + "원";
}

const char* period_ko(Period p) { return p == Period::year ? "연 " : p == Period::once ? "한 번 " : "월 "; }

}  // namespace

bool in_quiet_hours(const AlertSettings& s, long long t) {
    if (s.quiet_start == s.quiet_end) return false;
    int hour = static_cast<int>(((t + kKst) % 86400 + 86400) % 86400 / 3600);
    if (s.quiet_start < s.quiet_end) return hour >= s.quiet_start && hour < s.quiet_end;
    return hour >= s.quiet_start || hour < s.quiet_end;
}

long long after_quiet_hours(const AlertSettings& s, long long t) {
    if (!in_quiet_hours(s, t)) return t;
    long long local = t + kKst, day = local - ((local % 86400) + 86400) % 86400;
    long long end = day + s.quiet_end * 3600LL;
    if (end <= local) end += 86400;
    return end - kKst;
}

AlertService::AlertService(store::Database& db, const identity::Keyring& keys, identity::IdentityStore& ids,
                           ProfileStore& profiles, std::shared_ptr<const Rules> rules, std::string public_url)
    : db_(db),
      keys_(keys),
      ids_(ids),
      profiles_(profiles),
      rules_(std::move(rules)),
      public_url_(std::move(public_url)),
      // Non-urgent messages wait for the end of the member's quiet hours.
      delivery_(db, keys, [this](long long account_id, long long now) {
          auto set = settings(account_id);
          return in_quiet_hours(set, now) ? after_quiet_hours(set, now) : now;
      }) {}

AlertSettings AlertService::settings(long long account_id) {
    AlertSettings s;
    db_.read([&](soci::session& q) {
        long long e = 0, m = 0, qs = 21, qe = 8;
        q << "SELECT email_enabled, sms_enabled, quiet_start, quiet_end FROM alert_settings WHERE account_id = :a",
            into(e), into(m), into(qs), into(qe), use(account_id);
        if (!q.got_data()) return;
        s = AlertSettings{e != 0, m != 0, static_cast<int>(qs), static_cast<int>(qe)};
    });
    return s;
}

void AlertService::save_settings(long long account_id, const AlertSettings& s) {
    long long e = s.email, m = s.sms, qs = s.quiet_start, qe = s.quiet_end, now = store::now_unix();
    db_.write([&](soci::session& q) {
        long long n = 0;
        q << "SELECT COUNT(*) FROM alert_settings WHERE account_id = :a", into(n), use(account_id);
        if (n)
            q << "UPDATE alert_settings SET email_enabled = :e, sms_enabled = :m, quiet_start = :s, quiet_end = :f, "
                 "updated_at = :u WHERE account_id = :a",
                use(e), use(m), use(qs), use(qe), use(now), use(account_id);
        else
            q << "INSERT INTO alert_settings (account_id, email_enabled, sms_enabled, quiet_start, quiet_end, updated_at) "
                 "VALUES (:a, :e, :m, :s, :f, :u)",
                use(account_id), use(e), use(m), use(qs), use(qe), use(now);
    });
}

std::vector<InboxMessage> AlertService::inbox(long long account_id, int limit) {
    std::vector<InboxMessage> out;
    db_.read([&](soci::session& q) {
        InboxMessage m;
        std::string enc;
        soci::statement st = (q.prepare << "SELECT id, created_at, read_at, kind, title, body_enc FROM inbox_messages "
                                           "WHERE account_id = :a ORDER BY id DESC LIMIT :l",
                              into(m.id), into(m.created_at), into(m.read_at), into(m.kind), into(m.title), into(enc),
                              use(account_id), use(limit));
        st.execute();
        while (st.fetch()) {
            m.body = keys_.decrypt(enc, kInboxCtx);
            out.push_back(m);
        }
    });
    return out;
}

bool AlertService::mark_read(long long account_id, long long id) {
    long long changed = 0, now = store::now_unix();
    db_.write([&](soci::session& q) {
        soci::statement st = (q.prepare << "UPDATE inbox_messages SET read_at = :r WHERE id = :i AND account_id = :a",
                              use(now), use(id), use(account_id));
        st.execute(true);
        changed = st.get_affected_rows();
    });
    return changed > 0;
}

std::string AlertService::unsubscribe_token(long long account_id) const {
    return std::to_string(account_id) + "." + keys_.blind_index(std::to_string(account_id), "alerts.unsubscribe");
}

bool AlertService::unsubscribe(const std::string& token) {
    auto dot = token.find('.');
    if (dot == std::string::npos || dot == 0 || dot > 18) return false;
    long long id = 0;
    for (std::size_t i = 0; i < dot; ++i) {
        if (token[i] < '0' || token[i] > '9') return false;
        id = id * 10 + (token[i] - '0');
    }
    if (!identity::secure_equals(token, unsubscribe_token(id))) return false;
    auto s = settings(id);
    s.email = s.sms = false;
    save_settings(id, s);
    if (auto p = profiles_.profile(id)) {
        p->alerts_consent = false;
        profiles_.save_profile(*p);
    }
    return true;
}

RescreenStats AlertService::rescreen(Days date, long long now) {
    std::lock_guard lock(rescreen_mu_);
    RescreenStats st;
    const Rules& rules = *rules_;
    ParamsAt params(rules, date);
    for (const auto& prof : profiles_.consented()) {
        ++st.members;
        FieldErrors errors;
        Household h;
        try {
            h = parse_household(json::parse(prof.household_json), rules, date, errors);
        } catch (const std::exception&) {
            ++st.skipped;
            continue;
        }
        if (!errors.empty()) {  // e.g. a program named in `receives` no longer exists
            ++st.skipped;
            continue;
        }
        auto ev = evaluate(rules, params, h, Options{true, false});
        std::map<std::string, std::pair<std::string, long long>> before;
        db_.read([&](soci::session& q) {
            std::string program, status;
            long long amount = -1;
            soci::statement s = (q.prepare << "SELECT program, status, amount FROM screening_state WHERE account_id = :a",
                                 into(program), into(status), into(amount), use(prof.account_id));
            s.execute();
            while (s.fetch()) before[program] = {status, amount};
        });
        std::string body;
        int changes = 0;
        for (const auto& p : rules.programs()) {
            const auto& o = ev.outcomes[p.index];
            if (o.status != Status::eligible) continue;
            auto it = before.find(p.code);
            long long amount = o.amount.value_or(-1);
            bool newly = it == before.end() || it->second.first != "eligible";
            bool changed = !newly && amount >= 0 && it->second.second >= 0 && amount != it->second.second;
            if (!newly && !changed) continue;
            ++changes;
            body += "• " + p.name_ko;
            if (amount >= 0) body += std::string(" — ") + period_ko(p.period) + won(amount);
            if (changed) body += " (전에는 " + won(it->second.second) + ")";
            body += newly ? ": 새로 받을 수 있어요.\n" : ": 금액이 바뀌었어요.\n";
            for (const auto& r : o.reasons)
                if (r.held == Tri::yes) body += "   ✔ " + r.node->label_ko + "\n";
        }
        if (changes) {
            std::string title = changes == 1 ? "받을 수 있는 복지 혜택에 변화가 있어요" : "받을 수 있는 복지 혜택 " + std::to_string(changes) + "건에 변화가 있어요";
            body += "\n" + format_date(date) + " 기준 모의계산입니다. 실제 지원 여부는 신청 후 결정됩니다.\n"
                    "자세히 보기: " + public_url_ + "/eligibility\n";
            std::string unsubscribe = public_url_ + "/unsubscribe?token=" + unsubscribe_token(prof.account_id);
            auto set = settings(prof.account_id);
            auto account = ids_.account(prof.account_id);
            std::vector<notify::Delivery> deliveries;
            if (set.email && account && !account->email.empty())
                deliveries.push_back({"email", json::serialize(json::object{
                    {"to", account->email}, {"subject", "[두레] " + title},
                    {"text", body + "\n알림 받지 않기: " + unsubscribe}, {"unsubscribe", unsubscribe}})});
            if (set.sms && account && !account->phone.empty())
                deliveries.push_back({"sms", json::serialize(json::object{
                    {"to", account->phone}, {"text", "[두레] " + title + ". " + public_url_ + "/eligibility"}})});
            db_.write([&](soci::session& q) {
                notify::enqueue(q, keys_, prof.account_id, "eligibility", title, body, deliveries, now);
            });
            ++st.notified;
            st.changes += changes;
        }
        // Remember what the member now knows, for every program (baseline included).
        db_.write([&](soci::session& q) {
            q << "DELETE FROM screening_state WHERE account_id = :a", use(prof.account_id);
            for (const auto& p : rules.programs()) {
                const auto& o = ev.outcomes[p.index];
                std::string status = status_name(o.status);
                long long amount = o.amount.value_or(-1);
                q << "INSERT INTO screening_state (account_id, program, status, amount, updated_at) VALUES (:a, :p, :s, :m, :u)",
                    use(prof.account_id), use(p.code), use(status), use(amount), use(now);
            }
        });
    }
    return st;
}
DeliveryStats AlertService::deliver(long long now) { return delivery_.deliver(now); }

}  // namespace dure::eligibility
