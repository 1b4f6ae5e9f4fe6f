// The identity module: accounts, sessions, roles and the access log. Routes, the demo accounts,
// the signed access-log checkpoints (job audit_checkpoint), `dure admin create` and `dure audit`.
#include "identity/module.hpp"
#include "common/safe_error.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/demo.hpp"
#include "news/news.hpp"
#include "cli/demo.hpp"
#include "identity/api.hpp"
#include "identity/audit_anchor.hpp"
#include "identity/consent_api.hpp"
#include "identity/crypto.hpp"
#include "identity/service.hpp"
#include "identity/store.hpp"
#include "notify/channels.hpp"
#include "store/database.hpp"

namespace dure::identity {
namespace {

// Where the signed access-log checkpoints go: DURE_AUDIT_CHECKPOINT_FILE, else beside the key
// file (var/audit-checkpoints.log by default).
std::filesystem::path checkpoint_file(const std::string& key_file) {
    auto f = app::Platform::env("DURE_AUDIT_CHECKPOINT_FILE");
    if (!f.empty()) return f;
    return std::filesystem::path(key_file).parent_path() / "audit-checkpoints.log";
}

int admin_create(app::Platform& p, std::string login_in, const std::string& name, std::string password,
                 const std::string& district) {
    auto& store = p.ids;
    long long district_id = 0;
    for (const auto& d : store.districts())
        if (district.empty() || d.code == district) {
            district_id = d.id;
            break;
        }
    if (!district_id) {
        std::cerr << "dure: no such district (run `dure demo` or create one first)\n";
        return 2;
    }
    std::string login = login_in.find('@') != std::string::npos ? normalize_email(login_in) : normalize_phone(login_in);
    if (login.empty()) {
        std::cerr << "dure: --login must be an e-mail address or Korean mobile number\n";
        return 2;
    }
    bool generated = password.empty();
    if (generated) password = "Dure-" + random_token(12);
    FieldErrors errors;
    check_password(password, login, errors);
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        std::cerr << "dure: " << e.fields().front().message << "\n";
        return 2;
    }
    auto hash = hash_password(password);
    long long id;
    if (auto rec = store.find_login(login)) {
        id = rec->account_id;
        store.set_password(id, hash);
    } else {
        bool email = login.find('@') != std::string::npos;
        id = store.create_account(district_id, email ? login : "", email ? "" : login, name, hash);
    }
    store.add_grant(id, Role::district_admin, ScopeKind::district, district_id, district_id, 0);
    std::cout << "district administrator: " << login;
    if (generated) std::cout << "  password: " << password;
    std::cout << "\n";
    return 0;
}

int audit_verify(app::Platform& p) {
    // The checkpoint file first, then the database in one snapshot: whatever the file saw was
    // committed before, so a live server never makes this cry wolf.
    auto file = checkpoint_file(p.key_file);
    std::vector<std::string> file_problems;
    auto cp = read_checkpoints(file, p.keys, file_problems);
    std::optional<AuditAnchorPoint> anchor;
    if (cp) anchor = AuditAnchorPoint{cp->last_id, cp->last_mac, cp->at};
    auto rep = p.ids.verify_access_log(anchor);
    rep.problems.insert(rep.problems.begin(), file_problems.begin(), file_problems.end());
    if (!cp && rep.head_id > 0)
        rep.problems.push_back("no signed checkpoint in " + file.string() +
                               ", so a cut tail cannot be ruled out (the file was removed, or no server "
                               "has run since the upgrade: run `dure audit checkpoint` once)");
    if (rep.problems.empty()) {
        std::cout << "access log intact: " << rep.rows << " rows verified";
        if (cp)
            std::cout << "; the latest signed checkpoint (" << cp->last_id << " rows, "
                      << catalog::format_timestamp(cp->at) << ") is covered";
        std::cout << "\n";
        return 0;
    }
    std::cout << "ACCESS LOG TAMPERED (" << rep.rows << " rows read):\n";
    for (const auto& pr : rep.problems) std::cout << "  " << pr << "\n";
    return 1;
}

class IdentityModule : public app::Module {
public:
    const char* name() const override { return "identity"; }

    void routes(http::Router& router, app::Platform& p) override {
        register_routes(router, *p.identity);
        register_consent_routes(router, *p.identity, p.db, p.keys);
    }

    // The access log's head, signed, outside the database (and optionally to another host):
    // once now, every DURE_AUDIT_CHECKPOINT_INTERVAL seconds (default 300), and at stop.
    std::vector<jobs::Job> jobs(app::Platform& p) override {
        if (auto url = app::Platform::env("DURE_AUDIT_CHECKPOINT_URL"); !url.empty())
            sink_ = std::make_unique<notify::HttpWebhookSender>(url, app::Platform::env("DURE_AUDIT_CHECKPOINT_SECRET"));
        anchor_ = std::make_unique<AuditAnchor>(p.ids, p.keys, checkpoint_file(p.key_file), [this](const std::string& line) {
            if (sink_) sink_->post(line);
        });
        write_checkpoint();
        long long every =
            std::max(1L, std::strtol(app::Platform::env("DURE_AUDIT_CHECKPOINT_INTERVAL", "300").c_str(), nullptr, 10));
        return {{"audit_checkpoint", every, every, [this](long long) { write_checkpoint(); }}};
    }

    void stop(app::Platform&) override {
        if (anchor_) write_checkpoint();  // the head as the server leaves it
    }

    std::string demo(app::Platform& p, const app::DemoOptions& o) override {
        auto accounts = cli::load_demo(p.ids, o.second_district);
        if (auto* s = p.services.find<app::DemoSummary>()) s->accounts = std::move(accounts);
        return {};
    }

    std::vector<app::Command> commands() override {
        struct Admin {
            std::string login, name = "관리자", password, district;
        };
        auto a = std::make_shared<Admin>();
        std::vector<app::Command> out;
        out.push_back({"admin", "Administration", {}, {}, {}});
        out.push_back({"admin create", "Create a district administrator account",
                       [a](CLI::App& c) {
                           c.add_option("--login", a->login, "E-mail or mobile number")->required();
                           c.add_option("--name", a->name, "Display name")->capture_default_str();
                           c.add_option("--password", a->password, "Password (generated and printed if omitted)")
                               ->envname("DURE_ADMIN_PASSWORD");
                           c.add_option("--district", a->district, "District code (default: the first district)");
                       },
                       [a](app::Platform& p) { return admin_create(p, a->login, a->name, a->password, a->district); },
                       {}});
        out.push_back({"audit", "Access-log integrity", {}, {}, {}});
        out.push_back({"audit verify",
                       "Check the access log's hash chain, its guards and its signed checkpoints; exit 1 if tampered",
                       {}, audit_verify, {}});
        out.push_back({"audit checkpoint",
                       "Append a signed checkpoint of the access log's head now (the server does this periodically)",
                       {},
                       [](app::Platform& p) {
                           AuditAnchor anchor(p.ids, p.keys, checkpoint_file(p.key_file));
                           bool wrote = anchor.checkpoint(store::now_unix());
                           auto head = p.ids.access_log_head();
                           std::cout << (wrote ? "checkpoint written to " : "checkpoint already current in ")
                                     << anchor.file().string() << ": " << head.first << " rows\n";
                           return 0;
                       },
                       {}});
        return out;
    }

private:
    void write_checkpoint() {
        try {
            anchor_->checkpoint(store::now_unix());
        } catch (const std::exception& e) {
            std::cerr << "dure: audit checkpoint: " << safe_what(e) << std::endl;
        }
    }

    std::unique_ptr<notify::HttpWebhookSender> sink_;
    std::unique_ptr<AuditAnchor> anchor_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<IdentityModule>(); }

}  // namespace dure::identity
