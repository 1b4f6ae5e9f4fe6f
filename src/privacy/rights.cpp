#include "privacy/rights.hpp"

#include <soci/soci.h>

#include <cstdio>

#include "common/error.hpp"
#include "eligibility/store.hpp"
#include "notify/outbox.hpp"
#include "sharing/erasure.hpp"

namespace dure::privacy {

using soci::into;
using soci::use;

namespace {
constexpr const char* kDetailsCtx = "privacy_requests.details";
constexpr const char* kReasonCtx = "privacy_requests.reason";
constexpr long long kKst = 9 * 3600, kDay = 86400;

const char* kind_ko(const std::string& k) {
    if (k == "access") return "열람";
    if (k == "correction") return "정정";
    if (k == "deletion") return "삭제";
    return "처리정지";
}
const char* decision_ko(const std::string& d) {
    if (d == "granted") return "요구하신 대로 처리했습니다";
    if (d == "partly_granted") return "일부를 처리했습니다";
    return "요구를 받아들이지 못했습니다";
}

const char* kColumns =
    "SELECT id, district_id, account_id, kind, record, details_enc, status, received_at, due_at, decided_at, "
    "COALESCE(decided_by, 0), COALESCE(reason_enc, ''), COALESCE(person_id, 0) FROM privacy_requests ";

struct Row {
    DataRequest r;
    std::string details_enc, reason_enc;
};

}  // namespace

long long due_at(long long received_at) {
    long long day = (received_at + kKst) / kDay;  // KST day number of receipt
    return (day + 11) * kDay - kKst - 1;
}

std::string kst_date(long long t) {
    long long days = (t + kKst) / kDay;
    // Civil from days (Howard Hinnant's algorithm).
    long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", y, m, d);
    return buf;
}

DataRequest PrivacyStore::file(long long district_id, long long account_id, const std::string& kind,
                           const std::string& record, const std::string& details, long long now) {
    DataRequest r;
    r.district_id = district_id;
    r.account_id = account_id;
    r.kind = kind;
    r.record = record;
    r.details = details;
    r.status = "received";
    r.received_at = now;
    r.due_at = due_at(now);
    std::string enc = keys_.encrypt(details, kDetailsCtx);
    db_.write([&](soci::session& s) {
        s << "INSERT INTO privacy_requests (district_id, account_id, kind, record, details_enc, status, received_at, due_at) "
             "VALUES (:d, :a, :k, :r, :e, :s, :t, :u) RETURNING id",
            use(district_id), use(account_id), use(kind), use(record), use(enc), use(r.status), use(now), use(r.due_at),
            into(r.id);
    });
    return r;
}

namespace {
std::vector<DataRequest> load(store::Database& db, const identity::Keyring& keys, const std::string& where, long long arg,
                          bool with_text) {
    std::vector<DataRequest> out;
    db.read([&](soci::session& s) {
        Row w;
        soci::statement st = (s.prepare << std::string(kColumns) + where, into(w.r.id), into(w.r.district_id),
                              into(w.r.account_id), into(w.r.kind), into(w.r.record), into(w.details_enc),
                              into(w.r.status), into(w.r.received_at), into(w.r.due_at), into(w.r.decided_at),
                              into(w.r.decided_by), into(w.reason_enc), into(w.r.person_id), use(arg));
        st.execute();
        while (st.fetch()) {
            DataRequest r = w.r;
            if (with_text) {
                r.details = keys.decrypt(w.details_enc, kDetailsCtx);
                if (!w.reason_enc.empty()) r.reason = keys.decrypt(w.reason_enc, kReasonCtx);
            }
            out.push_back(std::move(r));
        }
    });
    return out;
}
}  // namespace

std::vector<DataRequest> PrivacyStore::for_account(long long account_id) {
    return load(db_, keys_, "WHERE account_id = :a ORDER BY id DESC", account_id, true);
}

std::vector<DataRequest> PrivacyStore::queue(long long district_id, bool open_only) {
    return load(db_, keys_,
                open_only ? "WHERE district_id = :d AND status = 'received' ORDER BY due_at, id"
                          : "WHERE district_id = :d ORDER BY CASE WHEN status = 'received' THEN 0 ELSE 1 END, due_at, id "
                            "LIMIT 500",
                district_id, false);
}

std::optional<DataRequest> PrivacyStore::get(long long id) {
    auto v = load(db_, keys_, "WHERE id = :i", id, true);
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::string PersonCorrection::fields() const {
    std::string out;
    auto add = [&](const std::string& v, const char* f) {
        if (!v.empty()) out += (out.empty() ? "" : ",") + std::string(f);
    };
    add(name, "name");
    add(phone, "phone");
    add(birth_date, "birth_date");
    add(address, "address");
    return out;
}

DataRequest PrivacyStore::decide(long long id, const std::string& decision, const std::string& reason, long long person_id,
                             long long by, long long now, const PersonCorrection& correction, long long household_id) {
    std::string enc = keys_.encrypt(reason, kReasonCtx);
    db_.write([&](soci::session& s) {
        std::string status, kind, record;
        long long account = 0, district = 0;
        soci::indicator found = soci::i_null;
        s << "SELECT status, kind, account_id, district_id, record FROM privacy_requests WHERE id = :i",
            into(status, found), into(kind), into(account), into(district), into(record), use(id);
        if (found != soci::i_ok) throw Error(ErrorKind::not_found, "no such request");
        if (status != "received") throw Error(ErrorKind::conflict, "this request was already decided (" + status + ")");
        bool carry_out = (kind == "correction" || kind == "deletion") && decision != "refused" &&
                         (record == "person_record" || person_id);
        if (!correction.empty() && (kind != "correction" || decision == "refused"))
            throw Error(ErrorKind::validation, "1 field is invalid",
                        {{"correction", "not_applicable", "only with a granted correction request"}});
        if (carry_out) {
            if (!person_id)
                throw Error(ErrorKind::validation, "1 field is invalid",
                            {{"person_id", "required", "the registered person record the request is about"}});
            long long linked = 0;
            s << "SELECT COUNT(*) FROM person_accounts pa JOIN persons p ON p.id = pa.person_id WHERE pa.person_id = :p "
                 "AND pa.account_id = :a AND p.district_id = :d",
                into(linked), use(person_id), use(account), use(district);
            if (!linked)
                throw Error(ErrorKind::validation, "1 field is invalid",
                            {{"person_id", "not_linked",
                              "a registered person linked to the requester (grant an access request first)"}});
            if (kind == "correction") {
                if (correction.empty())
                    throw Error(ErrorKind::validation, "1 field is invalid",
                                {{"correction", "required", "the corrected fields: name, phone, birth_date, address"}});
                auto set = [&](const std::string& v, const char* col, const char* ctx) {
                    if (v.empty()) return;
                    std::string e = keys_.encrypt_row(v, ctx, person_id);
                    s << "UPDATE persons SET " + std::string(col) + " = :v, updated_at = :t WHERE id = :p", use(e),
                        use(now), use(person_id);
                };
                set(correction.name, "name_enc", "persons.name");
                set(correction.phone, "phone_enc", "persons.phone");
                set(correction.birth_date, "birth_date_enc", "persons.birth_date");
                set(correction.address, "address_enc", "persons.address");
                if (!correction.phone.empty()) {
                    std::string bidx = keys_.blind_index(correction.phone, "persons.phone");
                    s << "UPDATE persons SET phone_bidx = :b WHERE id = :p", use(bidx), use(person_id);
                }
            } else {
                // The record is kept while the district's care needs it (PIPA art. 36① proviso,
                // art. 15①3): an active check-in assignment blocks the deletion.
                long long assignment = 0;
                soci::indicator ai = soci::i_null;
                s << "SELECT MIN(id) FROM checkin_assignments WHERE person_id = :p AND active = 1", into(assignment, ai),
                    use(person_id);
                if (ai == soci::i_ok && assignment)
                    throw Error(ErrorKind::conflict,
                                "이 기록은 진행 중인 안부 확인 배정(#" + std::to_string(assignment) +
                                    ")에 필요하여 삭제할 수 없습니다. 배정을 끝낸 뒤 삭제하거나, 거부 사유로 알려 주세요 "
                                    "(개인정보 보호법 제36조제1항 단서). The record is needed by an active check-in "
                                    "assignment: end it first, or refuse with this reason.");
                // So does a live help connection (help under way needs both sides' contact).
                if (long long k = sharing::live_connection_of(s, 0, person_id))
                    throw Error(ErrorKind::conflict,
                                "이 기록은 진행 중인 도움 연결(#" + std::to_string(k) +
                                    ")에 필요하여 삭제할 수 없습니다. 연결을 끝내거나 취소한 뒤 삭제해 주세요 "
                                    "(개인정보 보호법 제36조제1항 단서). The record is needed by a live help connection: "
                                    "complete or cancel it first.",
                                {{"person_id", "live_connection", "help connection #" + std::to_string(k) + " is under way"}});
                std::string erased = keys_.encrypt_row("(삭제됨)", "persons.name", person_id);
                s << "UPDATE persons SET name_enc = :n, phone_enc = NULL, phone_bidx = NULL, birth_date_enc = NULL, "
                     "address_enc = NULL, rrn_enc = NULL, updated_at = :t WHERE id = :p",
                    use(erased), use(now), use(person_id);
            }
        } else if (person_id) {
            long long n = 0;
            s << "SELECT COUNT(*) FROM persons WHERE id = :p AND district_id = :d", into(n), use(person_id), use(district);
            if (!n)
                throw Error(ErrorKind::validation, "no such person in this district",
                            {{"person_id", "not_found", "a registered person of the request's district"}});
            s << "DELETE FROM person_accounts WHERE person_id = :p AND account_id = :a", use(person_id), use(account);
            s << "INSERT INTO person_accounts (person_id, account_id, linked_by, linked_at) VALUES (:p, :a, :b, :t)",
                use(person_id), use(account), use(by), use(now);
        }
        if (household_id) {
            if (kind != "access" || decision == "refused")
                throw Error(ErrorKind::validation, "1 field is invalid",
                            {{"household_id", "not_applicable", "only with a granted access request"}});
            long long n = 0;
            s << "SELECT COUNT(*) FROM outreach_households WHERE id = :h AND district_id = :d", into(n),
                use(household_id), use(district);
            if (!n)
                throw Error(ErrorKind::validation, "1 field is invalid",
                            {{"household_id", "not_found", "a reported household of the request's district"}});
            s << "DELETE FROM household_accounts WHERE household_id = :h AND account_id = :a", use(household_id),
                use(account);
            s << "INSERT INTO household_accounts (household_id, account_id, linked_by, linked_at) VALUES (:h, :a, :b, "
                 ":t)",
                use(household_id), use(account), use(by), use(now);
        }
        soci::indicator pi = person_id ? soci::i_ok : soci::i_null;
        s << "UPDATE privacy_requests SET status = :s, decided_at = :t, decided_by = :b, reason_enc = :r, "
             "person_id = :p WHERE id = :i",
            use(decision), use(now), use(by), use(enc), use(person_id, pi), use(id);
        std::string title = std::string("개인정보 ") + kind_ko(kind) + " 요구 처리 결과";
        std::string body = std::string("요청하신 개인정보 ") + kind_ko(kind) + " 요구(접수 번호 " + std::to_string(id) +
                           ")에 대해 " + decision_ko(decision) + ".\n\n사유: " + reason +
                           "\n\n결과에 이의가 있으면 구청 개인정보 보호 담당에게 이의를 제기하거나 개인정보 "
                           "분쟁조정위원회(1833-6972)에 조정을 신청할 수 있습니다.\n자세히 보기: 마이페이지 › 내 정보 "
                           "열람·정정·삭제\n";
        notify::enqueue(s, keys_, account, "privacy", title, body, {}, now);
    });
    return *get(id);
}

std::vector<long long> PrivacyStore::linked_persons(long long account_id) {
    std::vector<long long> out;
    db_.read([&](soci::session& s) {
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT person_id FROM person_accounts WHERE account_id = :a ORDER BY person_id",
                              into(id), use(account_id));
        st.execute();
        while (st.fetch()) out.push_back(id);
    });
    return out;
}

std::vector<long long> PrivacyStore::linked_households(long long account_id) {
    std::vector<long long> out;
    db_.read([&](soci::session& s) {
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT household_id FROM household_accounts WHERE account_id = :a ORDER BY "
                                           "household_id",
                              into(id), use(account_id));
        st.execute();
        while (st.fetch()) out.push_back(id);
    });
    return out;
}

std::vector<AccessRead> PrivacyStore::reads_of_households(const std::vector<long long>& household_ids, int limit) {
    std::vector<AccessRead> out;
    db_.read([&](soci::session& s) {
        for (long long hid : household_ids) {
            AccessRead a;
            soci::statement st =
                (s.prepare << "SELECT at, actor_account_id, action, fields, reason, subject_kind FROM access_log WHERE "
                              "(subject_kind = 'household' AND subject_id = :h) OR (subject_kind = 'case' AND "
                              "subject_id IN (SELECT id FROM cases WHERE household_id = :h2)) ORDER BY id DESC LIMIT :l",
                 into(a.at), into(a.actor_account_id), into(a.action), into(a.fields), into(a.reason),
                 into(a.subject_kind), use(hid), use(hid), use(limit));
            st.execute();
            while (st.fetch()) out.push_back(a);
        }
    });
    return out;
}

std::vector<AccessRead> PrivacyStore::reads_of_persons(const std::vector<long long>& person_ids, int limit) {
    std::vector<AccessRead> out;
    db_.read([&](soci::session& s) {
        for (long long pid : person_ids) {
            AccessRead a;
            soci::statement st =
                (s.prepare << "SELECT at, actor_account_id, action, fields, reason FROM access_log "
                              "WHERE subject_kind = 'person' AND subject_id = :p ORDER BY id DESC LIMIT :l",
                 into(a.at), into(a.actor_account_id), into(a.action), into(a.fields), into(a.reason), use(pid),
                 use(limit));
            st.execute();
            while (st.fetch()) out.push_back(a);
        }
    });
    return out;
}

std::string PrivacyStore::password_hash(long long account_id) {
    std::string hash;
    db_.read([&](soci::session& s) {
        soci::indicator ind = soci::i_null;
        s << "SELECT password_hash FROM accounts WHERE id = :a AND deleted_at = 0 AND disabled = 0", into(hash, ind),
            use(account_id);
        if (ind != soci::i_ok) hash.clear();
    });
    return hash;
}

void PrivacyStore::delete_account(long long account_id, long long now) {
    std::string name = keys_.encrypt("탈퇴한 회원", "accounts.name");
    db_.write([&](soci::session& s) {
        // A live help connection needs this account's contact until it ends (docs/sharing.md "Erasure").
        if (long long k = sharing::live_connection_of(s, account_id, 0))
            throw Error(ErrorKind::conflict,
                        "진행 중인 도움 연결(#" + std::to_string(k) +
                            ")이 있어 탈퇴할 수 없습니다. 나의 참여에서 연결을 끝내거나 취소한 뒤 다시 시도해 주세요. "
                            "A help connection is under way: complete or cancel it first.",
                        {{"account", "live_connection", "help connection #" + std::to_string(k) + " is under way"}});
        eligibility::ProfileStore::erase_in(s, account_id);
        s << "DELETE FROM outbox WHERE account_id = :a", use(account_id);
        s << "DELETE FROM inbox_messages WHERE account_id = :a", use(account_id);
        s << "DELETE FROM sessions WHERE account_id = :a", use(account_id);
        s << "DELETE FROM person_accounts WHERE account_id = :a", use(account_id);
        s << "DELETE FROM household_accounts WHERE account_id = :a", use(account_id);
        s << "UPDATE role_grants SET revoked_at = :t, revoked_by = :a WHERE account_id = :a2 AND revoked_at IS NULL",
            use(now), use(account_id), use(account_id);
        s << "UPDATE accounts SET email_bidx = NULL, email_enc = NULL, phone_bidx = NULL, phone_enc = NULL, "
             "name_enc = :n, password_hash = '!deleted', disabled = 1, deleted_at = :t WHERE id = :a",
            use(name), use(now), use(account_id);
    });
}

}  // namespace dure::privacy
