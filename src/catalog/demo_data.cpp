#include "catalog/demo_data.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>

#include "common/embedded.hpp"

namespace dure::catalog {

namespace json = boost::json;

namespace {

// splitmix64: tiny, portable and fully determined by the seed (std distributions are not).
using Ring = std::vector<std::array<double, 2>>;  // lon, lat; closed

// The real shapes the demo district is drawn on: the 16 dongs of Seoul's 중랑구 in 2013
// (data/geo/demo-district-2013.geojson, Apache-2.0, see data/geo/NOTICE.md), outer rings in
// census-code order. Demo dong i takes shape i; a district with more dongs than shapes draws the
// rest as squares beside them.
const std::vector<Ring>& real_shapes() {
    static const std::vector<Ring> shapes = [] {
        std::vector<Ring> out;
        auto text = embedded::find("data/geo/demo-district-2013.geojson");
        if (!text) throw std::runtime_error("missing embedded data/geo/demo-district-2013.geojson");
        auto geo = json::parse(*text);
        for (const auto& f : geo.at("features").as_array()) {
            const auto& g = f.at("geometry");
            const auto& coords = g.at("coordinates").as_array();
            // A MultiPolygon's first polygon (the 2013 file has none for this district).
            const auto& outer = g.at("type").as_string() == "Polygon" ? coords.at(0).as_array()
                                                                       : coords.at(0).as_array().at(0).as_array();
            Ring r;
            for (const auto& c : outer) r.push_back({c.at(0).to_number<double>(), c.at(1).to_number<double>()});
            out.push_back(std::move(r));
        }
        return out;
    }();
    return shapes;
}

// Squares in a grid south-east of the real shapes, for dongs beyond the 16 shapes.
Ring square_shape(std::size_t i) {
    double cell = 0.012, top = 37.57 - static_cast<double>(i / 4) * cell, left = 127.12 + static_cast<double>(i % 4) * cell * 1.25;
    return {{left, top - cell}, {left + cell * 1.25, top - cell}, {left + cell * 1.25, top}, {left, top}, {left, top - cell}};
}

Ring demo_shape(std::size_t i) {
    const auto& real = real_shapes();
    return i < real.size() ? real[i] : square_shape(i - real.size());
}

bool inside_ring(const Ring& r, double lon, double lat) {
    bool in = false;
    for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
        if (((r[i][1] > lat) != (r[j][1] > lat)) &&
            lon < (r[j][0] - r[i][0]) * (lat - r[i][1]) / (r[j][1] - r[i][1]) + r[i][0])
            in = !in;
    }
    return in;
}

// A point inside the ring from two uniform numbers: the first candidate is (u, v) over the
// ring's bounding box; later ones come from a small generator seeded by them, so the demo's
// main random stream is not disturbed. Falls back to the first vertex's neighbourhood centre.
std::array<double, 2> point_inside(const Ring& r, double u, double v) {
    double minx = 1e9, maxx = -1e9, miny = 1e9, maxy = -1e9;
    for (const auto& c : r) {
        minx = std::min(minx, c[0]);
        maxx = std::max(maxx, c[0]);
        miny = std::min(miny, c[1]);
        maxy = std::max(maxy, c[1]);
    }
    std::uint64_t s = static_cast<std::uint64_t>(u * 9007199254740992.0) ^ (static_cast<std::uint64_t>(v * 9007199254740992.0) << 1);
    for (int k = 0; k < 500; ++k) {
        // Keep a margin of 8 % from the box's edges: labels and dots stay off the boundary lines.
        double lon = minx + (maxx - minx) * (0.08 + 0.84 * u), lat = miny + (maxy - miny) * (0.08 + 0.84 * v);
        if (inside_ring(r, lon, lat)) return {lon, lat};
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        u = static_cast<double>(s >> 11) / 9007199254740992.0;
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        v = static_cast<double>(s >> 11) / 9007199254740992.0;
    }
    double cx = 0, cy = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) {
        cx += r[i][0];
        cy += r[i][1];
    }
    return {cx / static_cast<double>(r.size() - 1), cy / static_cast<double>(r.size() - 1)};
}

class Rng {
public:
    explicit Rng(std::uint64_t seed) : s_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
    double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }

private:
    std::uint64_t s_;
};

const json::value& at(const json::value& v, std::string_view key) {
    const auto* o = v.if_object();
    if (!o) throw std::runtime_error("expected an object around '" + std::string(key) + "'");
    auto it = o->find(key);
    if (it == o->end()) throw std::runtime_error("missing '" + std::string(key) + "'");
    return it->value();
}

std::string str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : std::string(); }

std::string opt_str(const json::value& obj, std::string_view key) {
    const auto* o = obj.if_object();
    if (!o) return {};
    auto it = o->find(key);
    return it == o->end() ? std::string() : str(it->value());
}

std::vector<std::string> str_list(const json::value& obj, std::string_view key) {
    std::vector<std::string> out;
    const auto* o = obj.if_object();
    if (!o) return out;
    auto it = o->find(key);
    if (it == o->end() || !it->value().is_array()) return out;
    for (const auto& x : it->value().as_array())
        if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}

const std::string& pick(Rng& r, const std::vector<std::string>& v) {
    static const std::string kEmpty;
    return v.empty() ? kEmpty : v[r.below(v.size())];
}

std::vector<std::string> strings(const json::value& v) {
    std::vector<std::string> out;
    if (v.is_array())
        for (const auto& x : v.as_array())
            if (x.is_string()) out.emplace_back(x.as_string());
    return out;
}

// Picks a key of {"key": weight, ...} by weight.
std::string pick_weighted(Rng& r, const json::object& weights) {
    double total = 0;
    for (const auto& kv : weights) total += kv.value().to_number<double>();
    double x = r.unit() * total;
    for (const auto& kv : weights) {
        x -= kv.value().to_number<double>();
        if (x <= 0) return std::string(kv.key());
    }
    return weights.empty() ? std::string() : std::string(weights.begin()->key());
}

// Picks from [{"value"|"pattern": ..., "weight": w}, ...].
std::string pick_weighted_list(Rng& r, const json::array& items, std::string_view field) {
    double total = 0;
    for (const auto& i : items) total += at(i, "weight").to_number<double>();
    double x = r.unit() * total;
    for (const auto& i : items) {
        x -= at(i, "weight").to_number<double>();
        if (x <= 0) return str(at(i, field));
    }
    return items.empty() ? std::string() : str(at(items.front(), field));
}

void replace_all(std::string& s, std::string_view from, const std::string& to) {
    for (std::size_t i = s.find(from); i != std::string::npos; i = s.find(from, i + to.size()))
        s.replace(i, from.size(), to);
}

struct Fill {
    std::string district, dong, org, target, activity, support, item, place, time, season, metro, word, n, pct;
};

std::string fill(std::string t, const Fill& f) {
    replace_all(t, "{district}", f.district);
    replace_all(t, "{dong}", f.dong);
    replace_all(t, "{org}", f.org);
    replace_all(t, "{target}", f.target);
    replace_all(t, "{activity}", f.activity);
    replace_all(t, "{support}", f.support);
    replace_all(t, "{item}", f.item);
    replace_all(t, "{place}", f.place);
    replace_all(t, "{time}", f.time);
    replace_all(t, "{season}", f.season);
    replace_all(t, "{metro}", f.metro);
    replace_all(t, "{word}", f.word);
    replace_all(t, "{n}", f.n);
    replace_all(t, "{pct}", f.pct);
    return t;
}

// The code point that ends `s` before byte `end` (0 if it is not a Hangul syllable).
char32_t last_syllable(const std::string& s, std::size_t end) {
    if (end < 3) return 0;
    auto b0 = static_cast<unsigned char>(s[end - 3]), b1 = static_cast<unsigned char>(s[end - 2]),
         b2 = static_cast<unsigned char>(s[end - 1]);
    if ((b0 & 0xF0) != 0xE0) return 0;
    char32_t cp = static_cast<char32_t>(((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F));
    return cp >= 0xAC00 && cp <= 0xD7A3 ? cp : 0;
}

// Resolves template particles like "을(를)" to the one the preceding word takes (받침 or not).
std::string fix_particles(std::string s) {
    struct P {
        std::string_view pattern, with_final, without_final;
    };
    static const P kParticles[] = {{"을(를)", "을", "를"}, {"이(가)", "이", "가"}, {"은(는)", "은", "는"},
                                   {"과(와)", "과", "와"}, {"와(과)", "과", "와"}, {"(으)로", "으로", "로"},
                                   {"(이)나", "이나", "나"}};
    for (const auto& p : kParticles) {
        for (std::size_t i = s.find(p.pattern); i != std::string::npos; i = s.find(p.pattern, i)) {
            char32_t cp = last_syllable(s, i);
            int final_consonant = cp ? static_cast<int>((cp - 0xAC00) % 28) : 0;
            bool has_final = final_consonant != 0;
            // "(으)로" takes 로 after ㄹ (final index 8) too.
            if (p.pattern == "(으)로" && final_consonant == 8) has_final = false;
            std::string_view rep = cp == 0 ? p.without_final : has_final ? p.with_final : p.without_final;
            s.replace(i, p.pattern.size(), rep);
            i += rep.size();
        }
    }
    return s;
}

std::string digits(Rng& r, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + r.below(10));
    return s;
}

}  // namespace

std::string name_uuid(std::string_view name) {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(name.data()), name.size(), nullptr, 0);
    h[6] = static_cast<unsigned char>((h[6] & 0x0F) | 0x40);
    h[8] = static_cast<unsigned char>((h[8] & 0x3F) | 0x80);
    static const char* kHex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
        s += kHex[h[i] >> 4];
        s += kHex[h[i] & 15];
    }
    return s;
}

DemoCatalog generate_demo_catalog(const DemoDistrict& d, std::string_view programs_text,
                                  std::string_view generator_text, std::string_view taxonomy_text,
                                  const std::string& today) {
    if (d.dongs.empty()) throw std::runtime_error("the demo district has no dongs");
    json::value programs = json::parse(programs_text);
    json::value gen = json::parse(generator_text);
    json::value tax = json::parse(taxonomy_text);
    Rng r(static_cast<std::uint64_t>(at(gen, "seed").to_number<std::int64_t>()));
    DemoCatalog out;
    const std::string district_key = "demo:" + std::to_string(d.id) + ":";

    // Public organizations: one per national agency, then the district's and metro's own.
    auto org_for = [&](const std::string& name) -> std::string {
        for (const auto& o : out.organizations)
            if (o.name == name) return o.id;
        Organization o;
        o.id = name_uuid(district_key + "org:" + name);
        o.district_id = d.id;
        o.name = name;
        out.organizations.push_back(o);
        return o.id;
    };

    // 1. The real national programs, verbatim.
    for (const auto& p : programs.as_array()) {
        Service s;
        s.program_code = opt_str(p, "program_code");
        s.id = name_uuid(district_key + "program:" + s.program_code);
        s.district_id = d.id;
        s.name = opt_str(p, "name");
        s.alternate_name = opt_str(p, "alternate_name");
        s.description = opt_str(p, "description");
        s.eligibility_description = opt_str(p, "eligibility_description");
        s.application_process = opt_str(p, "application_process");
        s.application_period = opt_str(p, "application_period");
        s.provider_level = "national";
        s.life_stages = str_list(p, "life_stages");
        s.situations = str_list(p, "situations");
        s.topics = str_list(p, "topics");
        s.keywords = str_list(p, "keywords");
        s.channels = str_list(p, "channels");
        s.source = opt_str(p, "source");
        s.last_verified = today;
        s.fees_description = "무료";
        if (const auto* o = p.if_object()) {
            if (auto it = o->find("minimum_age"); it != o->end() && it->value().is_number())
                s.minimum_age = it->value().to_number<int>();
            if (auto it = o->find("maximum_age"); it != o->end() && it->value().is_number())
                s.maximum_age = it->value().to_number<int>();
        }
        s.organization_id = org_for(opt_str(p, "agency").empty() ? "보건복지부" : opt_str(p, "agency"));
        out.services.push_back(std::move(s));
    }

    // 2. Private organizations from the name patterns.
    const auto& orgs = at(gen, "organizations");
    auto words = strings(at(orgs, "name_words"));
    const auto& org_patterns = at(orgs, "patterns").as_array();
    const auto& counts = at(gen, "counts");
    std::size_t n_private = static_cast<std::size_t>(at(counts, "organizations_private").to_number<std::int64_t>());
    std::vector<std::string> private_orgs;
    for (std::size_t i = 0; i < n_private * 3 && private_orgs.size() < n_private; ++i) {
        Fill f;
        f.district = d.name;
        f.dong = d.dongs[r.below(d.dongs.size())].name;
        f.word = pick(r, words);
        std::string name = fill(pick_weighted_list(r, org_patterns, "pattern"), f);
        bool dup = false;
        for (const auto& n : private_orgs) dup = dup || n == name;
        if (dup) continue;
        private_orgs.push_back(name);
        org_for(name);
    }
    const auto& pub = at(orgs, "public_patterns");
    auto metro_names = strings(at(pub, "metro_names"));
    auto departments = strings(at(pub, "departments"));

    // 3. Synthetic services up to the total.
    std::size_t total = static_cast<std::size_t>(at(counts, "services_total").to_number<std::int64_t>());
    const auto& topic_weights = at(gen, "topic_weights").as_object();
    const auto& stage_weights = at(gen, "life_stage_weights").as_object();
    const auto& level_weights = at(gen, "provider_level_weights").as_object();
    const auto& situation_weights = at(gen, "situation_weights").as_object();
    double situation_probability = at(gen, "situation_probability").to_number<double>();
    const auto& targets = at(gen, "targets");
    const auto& topics = at(gen, "topics");
    const auto& stage_ages = at(gen, "life_stage_ages");
    auto places = strings(at(gen, "places"));
    auto times = strings(at(gen, "times"));
    auto seasons = strings(at(gen, "seasons"));
    auto eligibility = strings(at(gen, "eligibility_templates"));
    const auto& pct_pool = at(gen, "eligibility_pct_pool").as_array();
    const auto& n_pool = at(gen, "eligibility_n_pool").as_array();
    const auto& app_templates = at(gen, "application_templates");
    const auto& periods = at(gen, "application_periods").as_array();
    const auto& channel_weights = at(gen, "channel_weights").as_object();
    const auto& fees = at(gen, "fees").as_array();
    std::string metro = pick(r, metro_names);
    std::size_t serial = 0;
    std::set<std::string> used_names;
    for (const auto& s : out.services) used_names.insert(s.name);
    while (out.services.size() < total) {
        ++serial;
        Service s;
        s.district_id = d.id;
        std::string topic = pick_weighted(r, topic_weights);
        std::string stage = pick_weighted(r, stage_weights);
        s.provider_level = pick_weighted(r, level_weights);
        const auto& t = at(topics, topic);
        Fill f;
        f.district = d.name;
        const auto& dong = d.dongs[r.below(d.dongs.size())];
        f.dong = dong.name;
        f.metro = metro;
        f.target = pick(r, strings(at(targets, stage)));
        f.activity = pick(r, str_list(t, "activities"));
        f.support = pick(r, str_list(t, "supports"));
        f.item = pick(r, str_list(t, "items"));
        f.place = pick(r, places);
        f.time = pick(r, times);
        f.season = pick(r, seasons);
        f.word = pick(r, words);
        f.n = std::to_string(n_pool.at(r.below(n_pool.size())).to_number<std::int64_t>());
        f.pct = std::to_string(pct_pool.at(r.below(pct_pool.size())).to_number<std::int64_t>());
        if (s.provider_level == "private") {
            f.org = private_orgs.empty() ? d.name + " 복지관" : pick(r, private_orgs);
            s.organization_id = org_for(f.org);
        } else if (s.provider_level == "metropolitan") {
            f.org = metro + " " + pick(r, departments);
            s.organization_id = org_for(f.org);
        } else {
            f.org = d.name + "청 " + pick(r, departments);
            s.organization_id = org_for(f.org);
        }
        s.name = fix_particles(fill(pick(r, str_list(t, "name_patterns")), f));
        // Two services with one name would confuse a reader; tell them apart by place.
        for (int attempt = 0; used_names.count(s.name) && attempt < 3; ++attempt)
            s.name = fix_particles(fill(pick(r, str_list(t, "name_patterns")), f));
        if (used_names.count(s.name)) s.name += " (" + dong.name + ")";
        for (int k = 2; used_names.count(s.name); ++k) s.name += " " + std::to_string(k);
        used_names.insert(s.name);
        s.description = fix_particles(fill(pick(r, str_list(t, "description_templates")), f));
        s.eligibility_description = fix_particles(fill(pick(r, eligibility), f));
        s.application_process = fill(pick(r, strings(at(app_templates, s.provider_level))), f);
        s.application_period = pick_weighted_list(r, periods, "value");
        s.fees_description = pick_weighted_list(r, fees, "value");
        s.topics = {topic};
        s.life_stages = {stage};
        if (r.unit() < situation_probability) {
            s.situations.push_back(pick_weighted(r, situation_weights));
            if (r.unit() < 0.3) {
                auto second = pick_weighted(r, situation_weights);
                if (second != s.situations.front()) s.situations.push_back(second);
            }
        }
        for (const auto& kv : channel_weights)
            if (r.unit() < kv.value().to_number<double>()) s.channels.emplace_back(kv.key());
        if (s.channels.empty()) s.channels.push_back("visit");
        const auto& ages = at(stage_ages, stage).as_array();
        if (ages.size() == 2) {
            if (ages[0].is_number()) s.minimum_age = ages[0].to_number<int>();
            if (ages[1].is_number()) s.maximum_age = ages[1].to_number<int>();
        }
        // A quarter of local services run in one dong only.
        if (s.provider_level != "metropolitan" && (s.name.find(dong.name) != std::string::npos || r.unit() < 0.25))
            s.dong_ids = {dong.id};
        // Verification dates spread over the last two years, so the freshness queue has work.
        int months_ago = static_cast<int>(r.below(24));
        int y = std::stoi(today.substr(0, 4)), m = std::stoi(today.substr(5, 2)) - months_ago;
        while (m <= 0) {
            m += 12;
            --y;
        }
        char date[11];
        std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, 1 + static_cast<int>(r.below(28)));
        s.last_verified = date;
        s.source = "demo";
        s.id = name_uuid(district_key + "service:" + std::to_string(serial));
        out.services.push_back(std::move(s));
    }

    // 4. Facilities by type share, placed inside their dong's cell.
    const auto& types = at(tax, "facility_type").as_array();
    const auto& hours = at(gen, "facility_hours");
    const auto& name_patterns = at(gen, "facility_name_patterns");
    const auto& access = at(gen, "accessibility_pool").as_array();
    std::size_t n_fac = static_cast<std::size_t>(at(counts, "facilities_total").to_number<std::int64_t>());
    // Every dong has exactly one 행정복지센터 (community service centre); other types by share.
    json::object type_shares;
    for (const auto& t : types)
        if (str(at(t, "code")) != "admin_welfare_center") type_shares[str(at(t, "code"))] = at(t, "share").to_number<double>();
    for (std::size_t i = 0; i < n_fac; ++i) {
        Facility fa;
        fa.district_id = d.id;
        bool center = i < d.dongs.size();
        std::string code = center ? "admin_welfare_center" : pick_weighted(r, type_shares);
        const json::value* type = nullptr;
        for (const auto& t : types)
            if (str(at(t, "code")) == code) type = &t;
        if (!type) throw std::runtime_error("taxonomy.json has no facility type " + code);
        std::size_t di = center ? i : r.below(d.dongs.size());
        fa.dong_id = d.dongs[di].id;
        fa.type = str(at(*type, "ko"));
        Fill f;
        f.district = d.name;
        f.dong = d.dongs[di].name;
        f.word = pick(r, words);
        f.n = std::to_string(1 + r.below(30));
        auto patterns = str_list(name_patterns, code);
        fa.name = patterns.empty() ? f.dong + " " + fa.type : fill(pick(r, patterns), f);
        for (int attempt = 0; used_names.count(fa.name) && !patterns.empty() && attempt < 3; ++attempt) {
            f.word = pick(r, words);
            fa.name = fill(pick(r, patterns), f);
        }
        if (used_names.count(fa.name)) fa.name = f.dong + " " + fa.name;
        for (int k = 2; used_names.count(fa.name); ++k) fa.name += " " + std::to_string(k);
        used_names.insert(fa.name);
        const auto* ho = hours.if_object();
        fa.hours = ho && ho->contains(code) ? str(ho->at(code)) : str(at(hours, "default"));
        const auto& cap = at(*type, "capacity_range").as_array();
        int lo = cap[0].to_number<int>(), hi = cap[1].to_number<int>();
        fa.capacity = lo + static_cast<int>(r.below(static_cast<std::size_t>(std::max(1, hi - lo + 1))));
        for (const auto& a : access)
            if (r.unit() < at(a, "weight").to_number<double>()) fa.accessibility.push_back(str(at(a, "code")));
        // A point inside the dong's real shape (the two draws keep the demo's random stream as it was).
        double u = r.unit(), v = r.unit();
        auto at_point = point_inside(demo_shape(di), v, 1.0 - u);
        fa.longitude = at_point[0];
        fa.latitude = at_point[1];
        fa.address = d.name + " " + f.dong + " " + f.word + "로 " + std::to_string(1 + r.below(200));
        fa.phone = "02-9" + digits(r, 2) + "-" + digits(r, 4);
        fa.id = name_uuid(district_key + "facility:" + std::to_string(i));
        out.facilities.push_back(std::move(fa));
    }
    // Where services are delivered (HSDS service_at_location). National programs are applied for
    // at the 행정복지센터 of one's dong; a local service runs at one facility, in its dong when it
    // has one.
    std::vector<std::size_t> centers;
    std::map<long long, std::vector<std::size_t>> by_dong;
    for (std::size_t i = 0; i < out.facilities.size(); ++i) {
        if (out.facilities[i].type == "행정복지센터") centers.push_back(i);
        by_dong[out.facilities[i].dong_id].push_back(i);
    }
    for (const auto& s : out.services) {
        if (s.provider_level == "national") {
            for (auto i : centers) out.facilities[i].service_ids.push_back(s.id);
            continue;
        }
        const auto& pool = s.dong_ids.empty() ? by_dong[d.dongs[r.below(d.dongs.size())].id] : by_dong[s.dong_ids[0]];
        if (!pool.empty()) out.facilities[pool[r.below(pool.size())]].service_ids.push_back(s.id);
    }
    return out;
}

std::string demo_dong_geojson(const DemoDistrict& d) {
    json::array features;
    for (std::size_t i = 0; i < d.dongs.size(); ++i) {
        json::array ring;
        for (const auto& c : demo_shape(i)) ring.push_back(json::array{c[0], c[1]});
        features.push_back(json::object{
            {"type", "Feature"},
            {"properties", {{"dong_id", d.dongs[i].id}, {"name", d.dongs[i].name}}},
            {"geometry", {{"type", "Polygon"}, {"coordinates", json::array{ring}}}}});
    }
    return json::serialize(json::object{{"type", "FeatureCollection"}, {"features", std::move(features)}});
}

}  // namespace dure::catalog
