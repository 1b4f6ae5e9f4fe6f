#include "sharing/module.hpp"

#include <soci/soci.h>

#include <random>

#include <algorithm>

#include "alerts/alerts.hpp"
#include "identity/store.hpp"
#include "notify/outbox.hpp"
#include "sharing/api.hpp"
#include "sharing/fields.hpp"
#include "sharing/store.hpp"
#include "store/database.hpp"

namespace dure::sharing {

SharingModule::SharingModule() = default;
SharingModule::~SharingModule() = default;

void SharingModule::start(app::Platform& p) {
    Taxonomy::embedded();  // a broken fields file stops the start, naming the sub-field
    store_ = std::make_unique<SharingStore>(p.db, p.keys);
    // SMS and e-mail beside the inbox when the alerts module has those channels configured.
    if (auto* alerts = p.services.find<eligibility::AlertService>())
        channels_ = {alerts->email_configured(), alerts->sms_configured(), p.public_url};
}

void SharingModule::routes(http::Router& router, app::Platform& p) {
    register_routes(router, *store_, *p.identity, p.keys, p.default_district, channels_);
}

int escalate_waiting(SharingStore& store, identity::IdentityStore& ids, const identity::Keyring& keys, long long now,
                     int days, const Channels& channels) {
    const auto& tax = Taxonomy::embedded();
    return store.escalate(now, now - static_cast<long long>(days) * 86400, [&](soci::session& s, const Need& n) {
        // The dong's own managers first; district-wide ones when the dong has none.
        auto staff = identity::IdentityStore::staff_in(s, keys, n.district_id, n.dong_id, {"caseworker", "project_manager"});
        std::vector<long long> to;
        for (const auto& m : staff)
            if (!m.district_wide) to.push_back(m.account_id);
        if (to.empty())
            for (const auto& m : staff) to.push_back(m.account_id);
        std::sort(to.begin(), to.end());
        to.erase(std::unique(to.begin(), to.end()), to.end());
        const auto* sf = tax.find(n.subfield);
        for (long long a : to)
            tell(s, keys, channels, a, "sharing_escalation", "오래 기다린 도움 요청: " + (sf ? sf->name_ko : n.subfield),
                            "요청 #" + std::to_string(n.id) + "이(가) " + std::to_string(days) +
                                "일 넘게 연결을 기다리고 있습니다. 사랑넷 담당자 화면에서 확인해 주세요.",
                            now, "/staff/sharing");
    });
}

std::vector<jobs::Job> SharingModule::jobs(app::Platform& p) {
    int days = std::max(1, std::atoi(app::Platform::env("DURE_SHARING_ESCALATE_DAYS", "7").c_str()));
    auto* store = store_.get();
    auto channels = channels_;
    auto* ids = &p.ids;
    const auto* keys = &p.keys;
    return {{"sharing_escalation", 3600, 300, [store, ids, keys, days, channels](long long now) {
                 escalate_waiting(*store, *ids, *keys, now, days, channels);
             }}};
}

// The demo district: helpers and neighbours in need entered on their behalf (person records),
// offers and needs in every field, connections in every state, and ledger entries, all drawn
// from the seed so two runs give the same data. The demo resident and volunteer accounts get an
// open need and an approved offer of their own. Runs once per database.
std::string SharingModule::demo(app::Platform& p, const app::DemoOptions& o) {
    long long district = p.default_district();
    if (!district) return "";
    long long existing = 0;
    p.db.read([&](soci::session& s) {
        s << "SELECT COUNT(*) FROM sharing_offers WHERE district_id = :d", soci::use(district), soci::into(existing);
    });
    if (existing) return "";
    auto manager = p.ids.find_login("manager@demo.dure.kr");
    if (!manager) return "";
    std::vector<long long> dongs;
    for (const auto& d : p.ids.districts())
        if (d.id == district)
            for (const auto& g : d.dongs) dongs.push_back(g.id);
    if (dongs.empty()) return "";
    const auto& tax = Taxonomy::embedded();
    std::mt19937 rng(o.seed);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const char* family[] = {"김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"};
    const char* given[] = {"민서", "서연", "지훈", "하은", "도윤", "영숙", "순자", "정호", "미경", "성민"};
    // DURE_DEMO_SHARING_SCALE=full: the issue's size (300 offers, 300 needs, 100 connections),
    // which `make run` uses; the small default keeps every test server's start fast.
    bool full = app::Platform::env("DURE_DEMO_SHARING_SCALE", "small") == "full";
    const int kHelpers = full ? 300 : 60, kNeeds = full ? 300 : 60, kConnections = full ? 100 : 24;
    SharingStore store(p.db, p.keys);
    auto person = [&](int i, int base) {
        identity::NewPerson np;
        np.district_id = district;
        np.dong_id = dongs[pick(dongs.size())];
        np.name = std::string(family[pick(10)]) + given[pick(10)];
        np.phone = "0105551" + std::to_string(base + i);
        np.address = "한빛구 나눔로 " + std::to_string(1 + pick(200));
        np.created_by = manager->account_id;
        np.district_id = district;
        return std::pair{p.ids.create_person(np), np.dong_id};
    };
    long long day0 = o.now - 60 * 86400;
    int connections = 0, entries = 0;
    std::vector<Offer> offers;
    std::vector<Need> needs;
    for (int i = 0; i < kHelpers; ++i) {
        auto [pid, dong] = person(i, 100);
        Offer of;
        of.district_id = district;
        of.dong_id = dong;
        of.who.person_id = pid;
        const auto& f = tax.fields()[pick(tax.fields().size())];
        of.subfields = {f.subfields[pick(f.subfields.size())], f.subfields[pick(f.subfields.size())]};
        if (of.subfields[0] == of.subfields[1]) of.subfields.pop_back();
        of.when = {static_cast<int>(1 + pick(127)), static_cast<int>(8 + pick(6)), static_cast<int>(15 + pick(7))};
        of.mode = tax.find(of.subfields[0])->mode;
        if (pick(6) == 0) of.languages = {"ko", pick(2) ? "en" : "vi"};
        of.entered_by = manager->account_id;
        of.consent_method = pick(2) ? "in_person" : "phone";
        of.consent_at = of.created_at = day0 + static_cast<long long>(i) * 3600;
        offers.push_back(of);
    }
    for (int i = 0; i < kNeeds; ++i) {
        auto [pid, dong] = person(i, 400);
        Need nd;
        nd.district_id = district;
        nd.dong_id = dong;
        nd.who.person_id = pid;
        // Most needs ask for what some helper offers, so suggestions have something to show.
        const auto& of = offers[pick(offers.size())];
        nd.subfield = of.subfields[pick(of.subfields.size())];
        nd.window_from = o.today;
        nd.window_to = o.today;
        nd.when = {static_cast<int>(1 + pick(127)), static_cast<int>(9 + pick(4)), static_cast<int>(14 + pick(6))};
        nd.urgency = pick(8) == 0 ? "urgent" : "normal";
        nd.detail = "주 1회 방문을 원하십니다 (데모)";
        nd.entered_by = manager->account_id;
        nd.consent_method = pick(2) ? "in_person" : "paper";
        nd.consent_at = nd.created_at = day0 + static_cast<long long>(i) * 5400;
        needs.push_back(nd);
    }
    p.db.write([&](soci::session& s) {
        for (auto& of : offers) {
            of.id = store.insert_offer(s, of);
            if (pick(5))  // 4 in 5 vetted, at the level their sub-fields ask
                store.vet_offer(s, of.id, true, "criminal_record", manager->account_id, of.created_at + 86400, "");
        }
        for (auto& nd : needs) {
            nd.id = store.insert_need(s, nd);
            if (pick(6)) store.vet_need(s, nd.id, true, manager->account_id, nd.created_at + 3600, "");
        }
        for (std::size_t i = 0; i < needs.size() && connections < kConnections; ++i) {
            auto& nd = needs[i];
            for (auto& of : offers) {
                if (std::find(of.subfields.begin(), of.subfields.end(), nd.subfield) == of.subfields.end()) continue;
                auto n2 = store.need(s, nd.id);
                auto o2 = store.offer(s, of.id);
                if (n2->status != "open" || o2->status != "approved") continue;
                long long at = nd.created_at + 2 * 86400;
                long long cid = store.insert_connection(s, *n2, *o2, manager->account_id, at);
                ++connections;
                int state = connections % 4;  // proposed, accepted, active, completed
                if (state >= 1) {
                    store.step(s, cid, "proposed", "proposed", "helper_accepted_at", at + 3600);
                    store.step(s, cid, "proposed", "proposed", "recipient_accepted_at", at + 7200, "recipient_accept_method", "phone");
                    store.step(s, cid, "proposed", "accepted", "", 0);
                }
                if (state >= 2) store.step(s, cid, "accepted", "active", "started_at", at + 86400);
                if (state == 3) {
                    for (int e = 0; e < 3; ++e) {
                        LedgerRow r;
                        r.kind = "entry";
                        r.connection_id = cid;
                        r.helper_offer_id = of.id;
                        r.day = o.today;
                        r.start_minute = 540 + e * 180;
                        r.minutes = 60 + static_cast<int>(pick(4)) * 30;
                        r.actor = manager->account_id;
                        r.at = o.now - 3600 + e;
                        auto row = store.append(s, district, n2->dong_id, r);
                        ++entries;
                        LedgerRow c = r;
                        c.kind = "confirm";
                        c.ref_id = row.id;
                        c.minutes = 0;
                        c.start_minute = 0;
                        store.append(s, district, n2->dong_id, c);
                    }
                    store.step(s, cid, "active", "completed", "ended_at", o.now - 60);
                    store.set_need_status(s, nd.id, "served");
                }
                break;
            }
        }
        // The demo accounts: the volunteer offers phone companionship (vetted), the resident asks for it.
        auto vol = p.ids.find_login("volunteer@demo.dure.kr");
        auto res = p.ids.find_login("resident@demo.dure.kr");
        if (vol && res) {
            Offer of;
            of.district_id = district;
            of.dong_id = dongs.front();
            of.who.account_id = vol->account_id;
            of.subfields = {"R02", "R04"};
            of.when = {0x1f, 10, 18};
            of.mode = "remote";
            of.entered_by = vol->account_id;
            of.consent_at = of.created_at = o.now - 86400;
            of.id = store.insert_offer(s, of);
            store.vet_offer(s, of.id, true, "training", manager->account_id, o.now - 3600, "");
            Need nd;
            nd.district_id = district;
            nd.dong_id = dongs.front();
            nd.who.account_id = res->account_id;
            nd.subfield = "R02";
            nd.window_from = o.today;
            nd.window_to = o.today;
            nd.when = {0x05, 14, 16};
            nd.detail = "저녁에 전화로 이야기 나눌 분을 찾습니다";
            nd.entered_by = res->account_id;
            nd.consent_at = nd.created_at = o.now - 2 * 86400;
            nd.id = store.insert_need(s, nd);
            store.vet_need(s, nd.id, true, manager->account_id, o.now - 3600, "");
        }
    });
    return "Help matching: " + std::to_string(offers.size()) + " offers, " + std::to_string(needs.size()) + " needs, " +
           std::to_string(connections) + " connections, " + std::to_string(entries) + " hours entries.";
}

}  // namespace dure::sharing
