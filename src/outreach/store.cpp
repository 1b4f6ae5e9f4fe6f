#include "outreach/store.hpp"
#include "outreach/store_sql.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "outreach/normalize.hpp"
#include "outreach/triage.hpp"

namespace dure::outreach {

using soci::into;
using soci::use;
using namespace store_sql;


std::string new_receipt_no(long long now) {
    static const char kAlphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static const std::string kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    auto date = seoul_date(std::chrono::system_clock::time_point(std::chrono::seconds(now)));
    std::string out = date.substr(2, 2) + date.substr(5, 2) + date.substr(8, 2) + "-";
    // Each base64url letter carries 6 random bits; the low 5 pick a letter without bias.
    for (char c : identity::random_token(7).substr(0, 7)) out += kAlphabet[kB64.find(c) & 31];
    return out;
}

std::string OutreachStore::enc(const std::string& v, const char* column) const {
    return v.empty() ? std::string() : keys_.encrypt(v, column);
}

std::string OutreachStore::dec(const std::string& v, const char* column) const {
    return v.empty() ? std::string() : keys_.decrypt(v, column);
}

// --- Gatekeepers ----------------------------------------------------------------------------

long long OutreachStore::create_gatekeeper(const Gatekeeper& g, long long by, long long now) {
    std::string kind(to_string(g.kind)), name = enc(g.name, "outreach_gatekeepers.name_enc");
    NullableText phone(enc(g.phone, "outreach_gatekeepers.phone_enc"));
    NullableText phone_bidx(g.phone.empty() ? "" : keys_.blind_index(g.phone, kPhoneIndex));
    NullableId dong(g.dong_id), account(g.account_id), creator(by);
    long long active = g.active ? 1 : 0, id = 0;
    db_.write([&](soci::session& s) {
        if (g.account_id) {
            long long taken = 0;
            s << "SELECT COUNT(*) FROM outreach_gatekeepers WHERE account_id = :a", into(taken),
                use(g.account_id);
            if (taken)
                throw Error(
                    ErrorKind::validation, "this account is registered as a gatekeeper already",
                    {{"account_id", "already_registered", "this account already has a registry entry"}});
        }
        s << "INSERT INTO outreach_gatekeepers (district_id, dong_id, account_id, kind, occupation, "
             "organization, "
             "name_enc, phone_enc, phone_bidx, training_date, agreement_date, active, created_by, "
             "created_at, "
             "updated_at) VALUES (:d, :g, :a, :k, :o, :org, :n, :p, :pb, :t, :ag, :ac, :cb, :c, :u) "
             "RETURNING id",
            use(g.district_id), use(dong.value, dong.ind), use(account.value, account.ind), use(kind),
            use(g.occupation), use(g.organization), use(name), use(phone.value, phone.ind),
            use(phone_bidx.value, phone_bidx.ind), use(g.training_date), use(g.agreement_date), use(active),
            use(creator.value, creator.ind), use(now), use(now), into(id);
    });
    return id;
}

namespace {

std::vector<Gatekeeper> select_gatekeepers(
    soci::session& s, const std::string& tail,
    const std::function<std::string(const std::string&, const char*)>& dec) {
    std::vector<Gatekeeper> out;
    Gatekeeper g;
    NullableId dong, account;
    std::string kind, name;
    NullableText phone;
    long long active = 0;
    soci::statement st =
        (s.prepare << std::string("SELECT ") + kGatekeeperColumns + " FROM outreach_gatekeepers " + tail,
         into(g.id), into(g.district_id), into(dong.value, dong.ind), into(account.value, account.ind),
         into(kind), into(g.occupation), into(g.organization), into(name), into(phone.value, phone.ind),
         into(g.training_date), into(g.agreement_date), into(active), into(g.created_at), into(g.updated_at));
    st.execute();
    while (st.fetch()) {
        g.dong_id = dong.get();
        g.account_id = account.get();
        g.kind = parse_gatekeeper_kind(kind).value_or(GatekeeperKind::honorary_officer);
        g.name = dec(name, "outreach_gatekeepers.name_enc");
        g.phone = dec(phone.get(), "outreach_gatekeepers.phone_enc");
        g.active = active != 0;
        out.push_back(g);
    }
    return out;
}

}  // namespace

std::optional<Gatekeeper> OutreachStore::gatekeeper(long long id) {
    std::vector<Gatekeeper> found;
    db_.read([&](soci::session& s) {
        found = select_gatekeepers(s, "WHERE id = " + num(id), [this](auto& v, auto c) { return dec(v, c); });
    });
    if (found.empty()) return std::nullopt;
    return found.front();
}

std::optional<Gatekeeper> OutreachStore::gatekeeper_for_account(long long account_id) {
    std::vector<Gatekeeper> found;
    db_.read([&](soci::session& s) {
        found = select_gatekeepers(s, "WHERE account_id = " + num(account_id),
                                   [this](auto& v, auto c) { return dec(v, c); });
    });
    if (found.empty()) return std::nullopt;
    return found.front();
}

Page<Gatekeeper> OutreachStore::gatekeepers(long long district_id, const std::vector<long long>& dongs,
                                            bool all_dongs, int offset, int limit) {
    Page<Gatekeeper> page;
    std::string where =
        "WHERE district_id = " + num(district_id) + dong_clause(dongs, all_dongs, std::nullopt);
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_gatekeepers " + where, into(page.total);
        page.items =
            select_gatekeepers(s, where + " ORDER BY id LIMIT " + num(limit) + " OFFSET " + num(offset),
                               [this](auto& v, auto c) { return dec(v, c); });
    });
    return page;
}

void OutreachStore::update_gatekeeper(const Gatekeeper& g, long long now) {
    std::string kind(to_string(g.kind)), name = enc(g.name, "outreach_gatekeepers.name_enc");
    NullableText phone(enc(g.phone, "outreach_gatekeepers.phone_enc"));
    NullableText phone_bidx(g.phone.empty() ? "" : keys_.blind_index(g.phone, kPhoneIndex));
    NullableId dong(g.dong_id);
    long long active = g.active ? 1 : 0;
    db_.write([&](soci::session& s) {
        s << "UPDATE outreach_gatekeepers SET dong_id = :g, kind = :k, occupation = :o, organization = :org, "
             "name_enc = :n, phone_enc = :p, phone_bidx = :pb, training_date = :t, agreement_date = :ag, "
             "active = :ac, updated_at = :u WHERE id = :i",
            use(dong.value, dong.ind), use(kind), use(g.occupation), use(g.organization), use(name),
            use(phone.value, phone.ind), use(phone_bidx.value, phone_bidx.ind), use(g.training_date),
            use(g.agreement_date), use(active), use(now), use(g.id);
    });
}

ReportCounts OutreachStore::gatekeeper_report_counts(long long gatekeeper_id) {
    ReportCounts c;
    db_.read([&](soci::session& s) {
        long long closed_at = 0;
        std::string status;
        soci::statement st =
            (s.prepare << "SELECT r.closed_at, h.status FROM outreach_reports r JOIN "
                          "outreach_households h ON h.id = r.household_id WHERE r.gatekeeper_id = :g",
             into(closed_at), into(status), use(gatekeeper_id));
        st.execute();
        while (st.fetch()) {
            switch (
                report_status(parse_household_status(status).value_or(HouseholdStatus::new_), closed_at)) {
                case ReportStatus::received:
                    ++c.received;
                    break;
                case ReportStatus::under_review:
                    ++c.under_review;
                    break;
                case ReportStatus::closed:
                    ++c.closed;
                    break;
            }
        }
    });
    return c;
}

// --- Reports --------------------------------------------------------------------------------

namespace {

// The household a report is about, if one is known: the same phone number, else the same
// address unless both sides carry names and none of them agree.
long long match_household(soci::session& s, long long district_id, long long only_dong_id,
                          const std::string& phone_bidx, const std::string& address_bidx,
                          const std::string& name_bidx) {
    auto candidates = [&](const char* kind, const std::string& bidx) {
        std::vector<long long> ids;
        long long id = 0;
        std::string k = kind;
        std::string sql =
            "SELECT k.household_id FROM outreach_household_keys k JOIN outreach_households h ON "
            "h.id = k.household_id WHERE k.district_id = :d AND k.kind = :k AND k.bidx = :b AND "
            "h.status <> 'merged'";
        // Households of no known dong wait in the district's queue for the official who learns where
        // they live: a dong official's report may join them (and so place them in that dong).
        if (only_dong_id) sql += " AND (h.dong_id = " + num(only_dong_id) + " OR h.dong_id IS NULL)";
        sql += " ORDER BY k.household_id DESC LIMIT 20";
        soci::statement st = (s.prepare << sql, into(id), use(district_id), use(k), use(bidx));
        st.execute();
        while (st.fetch()) ids.push_back(id);
        return ids;
    };
    if (!phone_bidx.empty())
        if (auto ids = candidates("phone", phone_bidx); !ids.empty()) return ids.front();
    if (address_bidx.empty()) return 0;
    for (long long id : candidates("address", address_bidx)) {
        if (name_bidx.empty()) return id;
        long long names = 0, same = 0;
        s << "SELECT COUNT(*) FROM outreach_household_keys WHERE household_id = :h AND kind = 'name'",
            into(names), use(id);
        s << "SELECT COUNT(*) FROM outreach_household_keys WHERE household_id = :h AND kind = 'name' AND "
             "bidx = :b",
            into(same), use(id), use(name_bidx);
        if (names == 0 || same > 0) return id;
    }
    return 0;
}

}  // namespace

FilingResult OutreachStore::file(const std::vector<NewReport>& reports, const std::string& idempotency_key,
                                 long long now,
                                 const std::function<std::string(const std::vector<FiledReport>&)>& respond,
                                 const std::string& request_hash) {
    FilingResult result;
    if (reports.empty()) return result;
    long long district_id = reports.front().district_id;
    db_.write([&](soci::session& s) {
        lock_district(s, db_.dialect(), district_id);
        if (!idempotency_key.empty()) {
            std::string stored, stored_hash;
            soci::indicator ind = soci::i_null, hind = soci::i_null;
            s << "SELECT response, request_hash FROM outreach_idempotency WHERE key_hash = :k",
                into(stored, ind), into(stored_hash, hind), use(idempotency_key);
            if (ind == soci::i_ok) {
                if (hind == soci::i_ok && !request_hash.empty() && stored_hash != request_hash)
                    throw Error(ErrorKind::validation,
                                "this Idempotency-Key was used for a different request; use a new key",
                                {{"Idempotency-Key", "key_reused",
                                  "the key answered another request body before"}});
                result.response = stored;
                result.replayed = true;
                return;
            }
        }
        for (const auto& r : reports) {
            FiledReport f;
            f.received_at = r.received_at ? r.received_at : now;
            // Channels normalise phones already; a caller that did not still matches.
            auto phone_norm = normalize_any_phone(r.subject_phone);
            if (phone_norm.empty()) phone_norm = r.subject_phone;
            std::string phone_bidx = phone_norm.empty() ? "" : keys_.blind_index(phone_norm, kPhoneIndex);
            auto address_norm = normalize_address(r.address);
            auto name_norm = normalize_name(r.subject_name);
            std::string address_bidx =
                address_norm.empty() ? "" : keys_.blind_index(address_norm, kAddressIndex);
            std::string name_bidx = name_norm.empty() ? "" : keys_.blind_index(name_norm, kNameIndex);
            f.household_id = match_household(s, r.district_id, r.match_in_dong_only ? r.dong_id : 0, phone_bidx,
                                             address_bidx, name_bidx);
            f.merged = f.household_id != 0;
            bool verified = r.verified || r.reporter_kind == ReporterKind::staff;
            HouseholdRow row;
            if (f.merged) {
                select_households(s, "WHERE id = " + num(f.household_id),
                                  [&](const HouseholdRow& x) { row = x; });
                // An unverified report never reopens a closed household: it opens a new one that
                // follows the old (an official may merge them), so the urgency reaches the queue at
                // once and the closed record stays as the official left it.
                if (!verified && row.h.state.status == HouseholdStatus::closed) {
                    f.follows_household_id = f.household_id;
                    f.household_id = 0;
                    f.merged = false;
                }
            }

            NullableText address(enc(r.address, "outreach_households.address_enc")),
                place(enc(r.place, "outreach_households.place_enc")),
                name(enc(r.subject_name, "outreach_households.name_enc")),
                phone(enc(r.subject_phone, "outreach_households.phone_enc"));
            NullableId dong(r.dong_id);
            std::string signs = join(r.signs, ',');
            bool add_keys = true;
            if (!f.merged) {
                auto effect = apply_report(TriageState{}, r.urgency, f.received_at);
                std::string status(to_string(effect.state.status)),
                    priority(to_string(effect.state.priority));
                long long rank_v = rank(effect.state.priority);
                s << "INSERT INTO outreach_households (district_id, dong_id, status, priority, "
                     "priority_rank, due_at, "
                     "signs, address_enc, place_enc, name_enc, phone_enc, report_count, first_report_at, "
                     "last_report_at, created_at, updated_at) VALUES (:d, :g, :s, :p, :r, :due, :sg, :a, "
                     ":pl, :n, :ph, "
                     "1, :f, :l, :c, :u) RETURNING id",
                    use(r.district_id), use(dong.value, dong.ind), use(status), use(priority), use(rank_v),
                    use(effect.state.due_at), use(signs), use(address.value, address.ind),
                    use(place.value, place.ind), use(name.value, name.ind), use(phone.value, phone.ind),
                    use(f.received_at), use(f.received_at), use(now), use(now), into(f.household_id);
                f.household_reports = 1;
                if (f.follows_household_id) {
                    add_event(s, f.household_id, r.district_id,
                              {0, now, "follows", 0, 0, "household:" + num(f.follows_household_id), ""}, "");
                    add_event(s, f.follows_household_id, r.district_id,
                              {0, now, "followed_by", 0, 0, "household:" + num(f.household_id), ""}, "");
                }
            } else if (verified) {
                auto effect = apply_report(row.h.state, r.urgency, f.received_at);
                f.reopened = effect.reopened;
                write_state(s, f.household_id, effect.state, row.h.assigned_at, now);
                // The latest report's details replace what the household showed; what it lacks is kept.
                std::string all_signs = union_signs(row.signs, r.signs);
                long long first = std::min(row.h.first_report_at, f.received_at);
                long long last = std::max(row.h.last_report_at, f.received_at);
                NullableId new_dong(row.h.dong_id ? row.h.dong_id : r.dong_id);
                s << "UPDATE outreach_households SET dong_id = :g, signs = :sg, report_count = report_count "
                     "+ 1, "
                     "first_report_at = :f, last_report_at = :l, "
                     "address_enc = COALESCE(:a, address_enc), place_enc = COALESCE(:pl, place_enc), "
                     "name_enc = COALESCE(:n, name_enc), phone_enc = COALESCE(:ph, phone_enc) WHERE id = :i",
                    use(new_dong.value, new_dong.ind), use(all_signs), use(first), use(last),
                    use(address.value, address.ind), use(place.value, place.ind), use(name.value, name.ind),
                    use(phone.value, phone.ind), use(f.household_id);
                f.household_reports = row.h.report_count + 1;
                if (f.reopened)
                    add_event(s, f.household_id, r.district_id, {0, now, "reopened", 0, 0, "", ""}, "");
            } else {
                // Unverified: a signal on the timeline. The deadline may come forward while nobody
                // has reached the household yet; everything else becomes a suggestion.
                add_keys = false;
                TriageState n = row.h.state;
                bool awaiting = n.status == HouseholdStatus::new_ || n.status == HouseholdStatus::assigned;
                // A registered gatekeeper (trained, under agreement, named) may raise the priority.
                bool known = r.gatekeeper_id != 0 && rank(r.urgency) > rank(n.priority);
                if (known) n.priority = r.urgency;
                if (awaiting) {
                    long long due = f.received_at + response_window_seconds(r.urgency);
                    n.due_at = n.due_at ? std::min(n.due_at, due) : due;
                }
                if (awaiting || known) write_state(s, f.household_id, n, row.h.assigned_at, now);
                std::string all_signs = union_signs(row.signs, r.signs);
                long long first = std::min(row.h.first_report_at, f.received_at);
                long long last = std::max(row.h.last_report_at, f.received_at);
                NullableId new_dong(row.h.dong_id ? row.h.dong_id : r.dong_id);
                s << "UPDATE outreach_households SET dong_id = :g, signs = :sg, report_count = report_count "
                     "+ 1, first_report_at = :f, last_report_at = :l WHERE id = :i",
                    use(new_dong.value, new_dong.ind), use(all_signs), use(first), use(last),
                    use(f.household_id);
                f.household_reports = row.h.report_count + 1;
                struct Wish {
                    const char* field;
                    std::string value;
                };
                std::vector<Wish> wishes;
                auto differs = [&](const NullableText& stored, const char* column, const std::string& v,
                                   auto norm) {
                    if (v.empty()) return false;
                    auto old = dec(stored.get(), column);
                    return norm(old) != norm(v);
                };
                auto same = [](const std::string& x) { return x; };
                auto phone_of = [](const std::string& x) {
                    auto n = normalize_any_phone(x);
                    return n.empty() ? x : n;
                };
                if (differs(row.name, "outreach_households.name_enc", r.subject_name,
                            [](const std::string& x) { return normalize_name(x); }))
                    wishes.push_back({"name", r.subject_name});
                if (differs(row.address, "outreach_households.address_enc", r.address,
                            [](const std::string& x) { return normalize_address(x); }))
                    wishes.push_back({"address", r.address});
                if (differs(row.place, "outreach_households.place_enc", r.place, same))
                    wishes.push_back({"place", r.place});
                if (differs(row.phone, "outreach_households.phone_enc", r.subject_phone, phone_of))
                    wishes.push_back({"phone", r.subject_phone});
                if (rank(r.urgency) > rank(n.priority))
                    wishes.push_back({"priority", std::string(to_string(r.urgency))});
                if (n.status == HouseholdStatus::contacted) wishes.push_back({"status", "new"});
                for (const auto& w : wishes) {
                    std::string field = w.field, value = keys_.encrypt(w.value, "outreach_suggestions.value_enc");
                    s << "INSERT INTO outreach_suggestions (household_id, district_id, report_id, field, value_enc, "
                         "status, created_at) VALUES (:h, :d, NULL, :f, :v, 'pending', :c)",
                        use(f.household_id), use(r.district_id), use(field), use(value), use(f.received_at);
                }
                f.suggestions = static_cast<int>(wishes.size());
            }
            if (add_keys) {
                add_key(s, f.household_id, r.district_id, "phone", phone_bidx);
                add_key(s, f.household_id, r.district_id, "address", address_bidx);
                add_key(s, f.household_id, r.district_id, "name", name_bidx);
            }

            for (int attempt = 0;; ++attempt) {
                f.receipt_no = new_receipt_no(now);
                long long taken = 0;
                s << "SELECT COUNT(*) FROM outreach_reports WHERE receipt_no = :r", into(taken),
                    use(f.receipt_no);
                if (!taken) break;
                if (attempt > 5) throw std::runtime_error("could not draw a free receipt number");
            }
            std::string channel(to_string(r.channel)), reporter_kind(to_string(r.reporter_kind)),
                urgency(to_string(r.urgency));
            NullableId reporter(r.reporter_account_id), gatekeeper(r.gatekeeper_id), creator(r.created_by);
            NullableText ref(
                r.reporter_ref.empty() ? "" : keys_.blind_index(r.reporter_ref, "outreach.reporter_ref")),
                contact(enc(r.reporter_contact, "outreach_reports.reporter_contact_enc")),
                raddress(enc(r.address, "outreach_reports.address_enc")),
                rplace(enc(r.place, "outreach_reports.place_enc")),
                rname(enc(r.subject_name, "outreach_reports.subject_name_enc")),
                rphone(enc(r.subject_phone, "outreach_reports.subject_phone_enc")),
                external(enc(r.external_ref, "outreach_reports.external_ref_enc"));
            std::string concern = enc(r.concern, "outreach_reports.concern_enc");
            s << "INSERT INTO outreach_reports (receipt_no, district_id, dong_id, household_id, channel, "
                 "reporter_kind, reporter_account_id, gatekeeper_id, reporter_ref_bidx, "
                 "reporter_contact_enc, urgency, "
                 "signs, address_enc, place_enc, subject_name_enc, subject_phone_enc, concern_enc, "
                 "external_ref_enc, "
                 "received_at, created_by, created_at) VALUES (:rn, :d, :g, :h, :ch, :rk, :ra, :gk, :rf, "
                 ":rc, :u, "
                 ":sg, :a, :pl, :n, :ph, :c, :x, :ra2, :cb, :ca) RETURNING id",
                use(f.receipt_no), use(r.district_id), use(dong.value, dong.ind), use(f.household_id),
                use(channel), use(reporter_kind), use(reporter.value, reporter.ind),
                use(gatekeeper.value, gatekeeper.ind), use(ref.value, ref.ind),
                use(contact.value, contact.ind), use(urgency), use(signs), use(raddress.value, raddress.ind),
                use(rplace.value, rplace.ind), use(rname.value, rname.ind), use(rphone.value, rphone.ind),
                use(concern), use(external.value, external.ind), use(f.received_at),
                use(creator.value, creator.ind), use(now), into(f.report_id);
            add_event(s, f.household_id, r.district_id, {0, f.received_at, "report", 0, f.report_id, "", ""},
                      "");
            if (f.suggestions)
                s << "UPDATE outreach_suggestions SET report_id = :r WHERE household_id = :h AND report_id IS NULL",
                    use(f.report_id), use(f.household_id);
            result.filed.push_back(f);
        }
        result.response = respond(result.filed);
        if (!idempotency_key.empty()) {
            NullableText rh(request_hash);
            s << "INSERT INTO outreach_idempotency (key_hash, district_id, response, created_at, request_hash) "
                 "VALUES (:k, :d, :r, :c, :h)",
                use(idempotency_key), use(district_id), use(result.response), use(now), use(rh.value, rh.ind);
        }
    });
    return result;
}

Page<OwnReport> OutreachStore::own_reports(long long account_id, int offset, int limit) {
    Page<OwnReport> page;
    db_.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM outreach_reports WHERE reporter_account_id = :a", into(page.total),
            use(account_id);
        OwnReport o;
        std::string channel, urgency, status;
        NullableId dong;
        long long closed_at = 0, lim = limit, off = offset;
        soci::statement st =
            (s.prepare << "SELECT r.receipt_no, r.received_at, r.channel, r.urgency, r.closed_at, r.dong_id, "
                          "h.status "
                          "FROM outreach_reports r JOIN outreach_households h ON h.id = r.household_id "
                          "WHERE r.reporter_account_id = :a ORDER BY r.id DESC LIMIT :l OFFSET :o",
             into(o.receipt_no), into(o.received_at), into(channel), into(urgency), into(closed_at),
             into(dong.value, dong.ind), into(status), use(account_id), use(lim), use(off));
        st.execute();
        while (st.fetch()) {
            o.channel = parse_channel(channel).value_or(Channel::web);
            o.urgency = parse_urgency(urgency).value_or(Urgency::normal);
            o.status =
                report_status(parse_household_status(status).value_or(HouseholdStatus::new_), closed_at);
            o.dong_id = dong.get();
            page.items.push_back(o);
        }
    });
    return page;
}

}  // namespace dure::outreach
