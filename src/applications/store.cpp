#include "applications/store.hpp"

#include <soci/soci.h>

#include <sodium.h>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "identity/crypto.hpp"
#include "notify/outbox.hpp"
#include "store/database.hpp"

namespace dure::applications {

using soci::into;
using soci::use;

namespace {

constexpr const char* kAnswersCtx = "applications.answers";
constexpr const char* kResidentCtx = "applications.resident";
constexpr const char* kConsentCtx = "applications.consent";
constexpr const char* kReasonCtx = "applications.decision_reason";
constexpr const char* kRequestCtx = "applications.request_note";
constexpr const char* kNoteCtx = "application_events.note";
constexpr const char* kFileCtx = "application_files.data";

constexpr const char* kCols =
    "id, district_id, dong_id, form_code, form_version, account_id, on_behalf_by, resident_enc, consent_method, "
    "consent_at, consent_enc, answers_enc, consents_json, status, decision, decision_reason_enc, request_note_enc, "
    "receipt_no, created_at, updated_at, submitted_at, decided_at, decided_by";

std::string seal(const identity::Keyring& k, const std::string& v, const char* ctx) {
    return v.empty() ? std::string() : k.encrypt(v, ctx);
}
std::string open(const identity::Keyring& k, const std::string& v, const char* ctx) {
    return v.empty() ? std::string() : k.decrypt(v, ctx);
}

struct Row {
    Application a;
    std::string resident, consent, answers, reason, request, receipt;
    soci::indicator receipt_ind = soci::i_null;
};

void bind(soci::statement& st, Row& r) {
    auto& a = r.a;
    st.exchange(into(a.id));
    st.exchange(into(a.district_id));
    st.exchange(into(a.dong_id));
    st.exchange(into(a.form_code));
    st.exchange(into(a.form_version));
    st.exchange(into(a.account_id));
    st.exchange(into(a.on_behalf_by));
    st.exchange(into(r.resident));
    st.exchange(into(a.consent_method));
    st.exchange(into(a.consent_at));
    st.exchange(into(r.consent));
    st.exchange(into(r.answers));
    st.exchange(into(a.consents_json));
    st.exchange(into(a.status));
    st.exchange(into(a.decision));
    st.exchange(into(r.reason));
    st.exchange(into(r.request));
    st.exchange(into(r.receipt, r.receipt_ind));
    st.exchange(into(a.created_at));
    st.exchange(into(a.updated_at));
    st.exchange(into(a.submitted_at));
    st.exchange(into(a.decided_at));
    st.exchange(into(a.decided_by));
}

Application opened(const identity::Keyring& k, const Row& r) {
    Application a = r.a;
    a.resident_json = open(k, r.resident, kResidentCtx);
    a.consent_json = open(k, r.consent, kConsentCtx);
    a.answers_json = r.answers.empty() ? "{}" : open(k, r.answers, kAnswersCtx);
    a.decision_reason = open(k, r.reason, kReasonCtx);
    a.request_note = open(k, r.request, kRequestCtx);
    a.receipt_no = r.receipt_ind == soci::i_ok ? r.receipt : "";
    return a;
}

template <class P>
std::vector<Application> select(soci::session& s, const identity::Keyring& k, const std::string& where, const P& p) {
    std::vector<Application> out;
    Row r;
    soci::statement st(s);
    st.alloc();
    st.prepare(std::string("SELECT ") + kCols + " FROM applications WHERE " + where);
    bind(st, r);
    p(st);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.push_back(opened(k, r));
    return out;
}

std::optional<Application> by_id(soci::session& s, const identity::Keyring& k, long long id) {
    auto v = select(s, k, "id = :i", [&](soci::statement& st) { st.exchange(use(id)); });
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<std::string> document_codes(soci::session& s, long long app) {
    std::vector<std::string> out;
    std::string code;
    soci::statement st = (s.prepare << "SELECT document_code FROM application_files WHERE application_id = :a",
                          into(code), use(app));
    st.execute();
    while (st.fetch()) out.push_back(code);
    return out;
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : h) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

}  // namespace

long long ApplicationStore::create(const Application& a, long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) {
        std::string resident = seal(keys_, a.resident_json, kResidentCtx);
        std::string consent = seal(keys_, a.consent_json, kConsentCtx);
        std::string answers = seal(keys_, a.answers_json, kAnswersCtx);
        s << "INSERT INTO applications (district_id, dong_id, form_code, form_version, account_id, on_behalf_by, "
             "resident_enc, consent_method, consent_at, consent_enc, answers_enc, consents_json, status, created_at, "
             "updated_at) VALUES (:d, :g, :f, :v, :a, :o, :r, :cm, :ca, :c, :an, :cj, 'draft', :n, :n2) RETURNING id",
            use(a.district_id), use(a.dong_id), use(a.form_code), use(a.form_version), use(a.account_id),
            use(a.on_behalf_by), use(resident), use(a.consent_method), use(a.consent_at), use(consent), use(answers),
            use(a.consents_json), use(now), use(now), into(id);
        std::string empty;
        s << "INSERT INTO application_events (application_id, at, status, actor_account_id, note_enc) VALUES "
             "(:a, :t, 'draft', :by, :n)",
            use(id), use(now), use(a.on_behalf_by ? a.on_behalf_by : a.account_id), use(empty);
    });
    return id;
}

std::optional<Application> ApplicationStore::get(long long id) {
    std::optional<Application> out;
    db_.read([&](soci::session& s) { out = by_id(s, keys_, id); });
    return out;
}

std::vector<Application> ApplicationStore::of_account(long long account_id) {
    std::vector<Application> out;
    db_.read([&](soci::session& s) {
        out = select(s, keys_, "account_id = :a ORDER BY id DESC", [&](soci::statement& st) { st.exchange(use(account_id)); });
    });
    return out;
}

std::vector<Application> ApplicationStore::queue(long long district_id, const std::string& status) {
    std::vector<Application> out;
    db_.read([&](soci::session& s) {
        if (status.empty())
            out = select(s, keys_, "district_id = :d AND status <> 'draft' ORDER BY submitted_at, id",
                         [&](soci::statement& st) { st.exchange(use(district_id)); });
        else
            out = select(s, keys_, "district_id = :d AND status = :s ORDER BY submitted_at, id",
                         [&](soci::statement& st) {
                             st.exchange(use(district_id));
                             st.exchange(use(status));
                         });
    });
    return out;
}

void ApplicationStore::save_draft(long long id, const std::string& answers_json, const std::string& consents_json,
                                  long long dong_id, long long now) {
    db_.write([&](soci::session& s) {
        std::string answers = seal(keys_, answers_json, kAnswersCtx);
        soci::statement st = (s.prepare << "UPDATE applications SET answers_enc = :an, consents_json = :c, dong_id = :g, "
                                           "updated_at = :n WHERE id = :i AND status = 'draft'",
                              use(answers), use(consents_json), use(dong_id), use(now), use(id));
        st.execute(true);
        if (st.get_affected_rows() != 1)
            throw Error(ErrorKind::conflict, "the application is already submitted; its answers can no longer change");
    });
}

FileInfo ApplicationStore::add_file(long long application_id, const std::string& document_code,
                                    const std::string& content_type, const std::string& bytes, long long by,
                                    long long now) {
    FileInfo f;
    f.application_id = application_id;
    f.document_code = document_code;
    f.content_type = content_type;
    f.size = static_cast<long long>(bytes.size());
    f.sha256 = sha256_hex(bytes);
    f.uploaded_by = by;
    f.uploaded_at = now;
    std::string enc = keys_.encrypt(bytes, kFileCtx);
    db_.write([&](soci::session& s) {
        std::string status;
        s << "SELECT status FROM applications WHERE id = :i", into(status), use(application_id);
        if (status != "draft" && status != "more_documents")
            throw Error(ErrorKind::conflict, "documents can be added while the application is a draft or awaits documents");
        s << "INSERT INTO application_files (application_id, document_code, content_type, size_bytes, sha256, data_enc, "
             "uploaded_by, uploaded_at) VALUES (:a, :d, :c, :s, :h, :e, :b, :n) RETURNING id",
            use(application_id), use(document_code), use(content_type), use(f.size), use(f.sha256), use(enc), use(by),
            use(now), into(f.id);
        s << "UPDATE applications SET updated_at = :n WHERE id = :i", use(now), use(application_id);
    });
    return f;
}

std::vector<FileInfo> ApplicationStore::files(long long application_id) {
    std::vector<FileInfo> out;
    db_.read([&](soci::session& s) {
        FileInfo f;
        soci::statement st = (s.prepare << "SELECT id, application_id, document_code, content_type, size_bytes, sha256, "
                                           "uploaded_by, uploaded_at FROM application_files WHERE application_id = :a "
                                           "ORDER BY id",
                              into(f.id), into(f.application_id), into(f.document_code), into(f.content_type),
                              into(f.size), into(f.sha256), into(f.uploaded_by), into(f.uploaded_at), use(application_id));
        st.execute();
        while (st.fetch()) out.push_back(f);
    });
    return out;
}

std::optional<std::pair<FileInfo, std::string>> ApplicationStore::file(long long application_id, long long file_id) {
    std::optional<std::pair<FileInfo, std::string>> out;
    db_.read([&](soci::session& s) {
        FileInfo f;
        std::string enc;
        s << "SELECT id, application_id, document_code, content_type, size_bytes, sha256, uploaded_by, uploaded_at, "
             "data_enc FROM application_files WHERE id = :f AND application_id = :a",
            into(f.id), into(f.application_id), into(f.document_code), into(f.content_type), into(f.size),
            into(f.sha256), into(f.uploaded_by), into(f.uploaded_at), into(enc), use(file_id), use(application_id);
        if (s.got_data()) out = std::make_pair(f, keys_.decrypt(enc, kFileCtx));
    });
    return out;
}

std::vector<Event> ApplicationStore::events(long long application_id) {
    std::vector<Event> out;
    db_.read([&](soci::session& s) {
        Event e;
        std::string enc;
        soci::statement st = (s.prepare << "SELECT at, status, actor_account_id, note_enc FROM application_events WHERE "
                                           "application_id = :a ORDER BY id",
                              into(e.at), into(e.status), into(e.actor), into(enc), use(application_id));
        st.execute();
        while (st.fetch()) {
            e.note = open(keys_, enc, kNoteCtx);
            out.push_back(e);
        }
    });
    return out;
}

Application ApplicationStore::apply(long long id, const Transition& t, long long now) {
    Application result;
    db_.write([&](soci::session& s) {
        auto a = by_id(s, keys_, id);
        if (!a) throw Error(ErrorKind::not_found, "no such application");
        if (!allowed(a->status, t.step))
            throw Error(ErrorKind::conflict, "an application that is " + a->status + " cannot take this step")
                .with_type("application-status");
        if (t.check) t.check(*a, document_codes(s, id));
        const std::string from = a->status;
        const std::string to = next_status(t.step);
        std::string note = seal(keys_, t.note, kNoteCtx);
        auto run = [](soci::statement st) {
            st.execute(true);
            return st.get_affected_rows();
        };
        long long changed = 0;
        if (t.step == Step::submit) {
            std::string receipt = a->receipt_no.empty() ? receipt_number(std::stoi(kst(now).substr(0, 4)), id) : a->receipt_no;
            long long submitted = a->submitted_at ? a->submitted_at : now;
            changed = run((s.prepare << "UPDATE applications SET status = :to, receipt_no = :r, submitted_at = :sa, updated_at = :n, "
                               "request_note_enc = '' WHERE id = :i AND status = :from",
                  use(to), use(receipt), use(submitted), use(now), use(id), use(from)));
        } else if (t.step == Step::request_documents) {
            std::string req = seal(keys_, t.note, kRequestCtx);
            changed = run((s.prepare << "UPDATE applications SET status = :to, request_note_enc = :q, updated_at = :n WHERE id = :i "
                               "AND status = :from",
                  use(to), use(req), use(now), use(id), use(from)));
        } else if (t.step == Step::decide) {
            std::string reason = seal(keys_, t.note, kReasonCtx);
            changed = run((s.prepare << "UPDATE applications SET status = :to, decision = :d, decision_reason_enc = :r, decided_at = "
                               ":n, decided_by = :by, updated_at = :n2 WHERE id = :i AND status = :from",
                  use(to), use(t.decision), use(reason), use(now), use(t.actor), use(now), use(id), use(from)));
        } else {
            changed = run((s.prepare << "UPDATE applications SET status = :to, updated_at = :n WHERE id = :i AND status = :from",
                  use(to), use(now), use(id), use(from)));
        }
        if (changed != 1) throw Error(ErrorKind::conflict, "the application changed meanwhile; reload it");
        s << "INSERT INTO application_events (application_id, at, status, actor_account_id, note_enc) VALUES "
             "(:a, :t, :s, :by, :n)",
            use(id), use(now), use(to), use(t.actor), use(note);
        result = *by_id(s, keys_, id);
        if (result.account_id != 0) {
            std::string label = to == "decided" ? (t.decision == "approved" ? "승인" : "거절") : status_ko(to);
            std::string title = "신청 상태: " + label + " (" + t.form_title + ")";
            std::string body = "접수번호 " + result.receipt_no + " · " + t.form_title + " 신청이 '" + label + "' 상태가 되었습니다.";
            if (!t.note.empty()) body += "\n" + std::string(to == "decided" ? "결정 사유: " : "요청 내용: ") + t.note;
            body += "\n마이페이지의 '나의 신청'에서 확인하실 수 있습니다.";
            notify::enqueue(s, keys_, result.account_id, "application", title, body, {}, now);
        }
    });
    return result;
}

}  // namespace dure::applications
