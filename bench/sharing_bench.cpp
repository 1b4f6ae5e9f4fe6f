// Help-matching suggestions (issue 13), in-process, pure logic (src/sharing/rules.hpp):
//  1. The manager's desk at the demo size: suggestions for every open need (300) among
//     the approved offers (300), then the exposure rule; repeated, p50/p99 per desk.
//  2. One need among 20,000 open offers: p50/p99 per call (target p99 < 2 ms).
// Baseline in the same run, on the same data: a naive scan that only tests each offer's sub-field
// (the least any matcher must do). The ratio says what scoring with reasons costs over it.
// Usage: sharing_bench [offers=300] [needs=300] [big=20000] [rounds=200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "sharing/fields.hpp"
#include "sharing/rules.hpp"

using namespace dure::sharing;
using Clock = std::chrono::steady_clock;

namespace {

double pct(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

std::vector<OfferView> make_offers(std::size_t n, const std::vector<std::string>& subs, std::mt19937& rng) {
    std::vector<OfferView> out(n);
    const char* modes[] = {"in_person", "remote", "in_kind"};
    for (std::size_t i = 0; i < n; ++i) {
        auto& o = out[i];
        o.id = static_cast<long long>(i + 1);
        o.dong_id = 1 + rng() % 16;
        o.subfields = {subs[rng() % subs.size()], subs[rng() % subs.size()]};
        o.mode = modes[rng() % 3];
        o.when = {static_cast<int>(1 + rng() % 127), static_cast<int>(8 + rng() % 6), static_cast<int>(15 + rng() % 7)};
        o.languages = rng() % 6 ? std::vector<std::string>{"ko"} : std::vector<std::string>{"ko", "vi"};
        o.vetted_level = static_cast<int>(rng() % 4);
        o.live_connections = static_cast<int>(rng() % 3);
        o.completed = static_cast<int>(rng() % 6);
        o.helper_account = static_cast<long long>(i + 1);
    }
    return out;
}

std::vector<NeedView> make_needs(std::size_t n, const std::vector<std::string>& subs, std::mt19937& rng) {
    std::vector<NeedView> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& d = out[i];
        d.id = static_cast<long long>(i + 1);
        d.dong_id = 1 + rng() % 16;
        d.subfield = subs[rng() % subs.size()];
        d.when = {static_cast<int>(1 + rng() % 127), static_cast<int>(9 + rng() % 4), static_cast<int>(14 + rng() % 6)};
        d.languages = {"ko"};
        d.created_at = 1700000000 + static_cast<long long>(rng() % 5000000);
        d.recipient_account = 1000000 + static_cast<long long>(i);
    }
    return out;
}

// The naive scan: which offers carry the need's sub-field; nothing else.
std::size_t naive(const NeedView& n, const std::vector<OfferView>& offers) {
    std::size_t hits = 0;
    for (const auto& o : offers)
        hits += std::find(o.subfields.begin(), o.subfields.end(), n.subfield) != o.subfields.end();
    return hits;
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t n_offers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 300;
    std::size_t n_needs = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 300;
    std::size_t big = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 20000;
    int rounds = argc > 4 ? std::atoi(argv[4]) : 200;
    const auto& tax = Taxonomy::embedded();
    // Few sub-fields, so many offers pass the filter: the hard case for scoring.
    std::vector<std::string> subs;
    for (const auto& f : tax.fields()) subs.push_back(f.subfields.front());
    std::mt19937 rng(13);
    auto offers = make_offers(n_offers, subs, rng);
    auto needs = make_needs(n_needs, subs, rng);
    auto level = [&](const NeedView& n) { return static_cast<int>(tax.find(n.subfield)->vetting); };

    // ---- 1. the desk ----
    std::vector<double> desk, desk_naive;
    std::size_t shown = 0, sink = 0;
    for (int r = 0; r < rounds; ++r) {
        auto t = Clock::now();
        std::vector<std::vector<Suggestion>> ranked;
        ranked.reserve(needs.size());
        for (const auto& n : needs) ranked.push_back(suggest(n, level(n), offers));
        auto fair = fair_exposure(needs, std::move(ranked));
        desk.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        shown = 0;
        for (const auto& l : fair) shown += l.size();
        t = Clock::now();
        for (const auto& n : needs) sink += naive(n, offers);
        desk_naive.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    std::printf("desk: %zu needs x %zu offers, %zu suggestions shown; p50 %.3f ms, p99 %.3f ms "
                "(naive sub-field scan p50 %.3f ms; ratio %.1fx)\n",
                needs.size(), offers.size(), shown, pct(desk, 0.5), pct(desk, 0.99), pct(desk_naive, 0.5),
                pct(desk, 0.5) / std::max(1e-6, pct(desk_naive, 0.5)));

    // ---- 2. one need among `big` offers ----
    auto many = make_offers(big, subs, rng);
    std::vector<double> one, one_naive;
    int calls = std::max(50, rounds);
    for (int r = 0; r < calls; ++r) {
        const auto& n = needs[static_cast<std::size_t>(r) % needs.size()];
        auto t = Clock::now();
        auto s = suggest(n, level(n), many);
        one.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
        sink += s.size();
        t = Clock::now();
        sink += naive(n, many);
        one_naive.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
    }
    double p99 = pct(one, 0.99);
    std::printf("one need among %zu offers: p50 %.3f ms, p99 %.3f ms (target p99 < 2 ms: %s); naive scan p50 %.3f ms; "
                "ratio %.1fx\n",
                big, pct(one, 0.5), p99, p99 < 2.0 ? "met" : "NOT met", pct(one_naive, 0.5),
                pct(one, 0.5) / std::max(1e-6, pct(one_naive, 0.5)));
    std::printf("(checksum %zu)\n", sink);
    return 0;
}
