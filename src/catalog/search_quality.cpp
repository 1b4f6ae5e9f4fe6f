#include "catalog/search_quality.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/json/parse.hpp>

namespace dure::catalog {

std::vector<QualityCase> parse_quality_cases(std::string_view json_text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(json_text, ec);
    if (ec || !v.is_object() || !v.as_object().contains("queries") || !v.at("queries").is_array())
        throw std::runtime_error("search quality set: expected an object with a \"queries\" list");
    std::vector<QualityCase> out;
    for (const auto& e : v.at("queries").as_array()) {
        if (!e.is_object() || !e.as_object().contains("q") || !e.at("q").is_string() ||
            !e.as_object().contains("top5") || !e.at("top5").is_array() || e.at("top5").as_array().empty())
            throw std::runtime_error("search quality set: each query needs \"q\" and a non-empty \"top5\"");
        QualityCase c;
        c.q = std::string(e.at("q").as_string());
        for (const auto& code : e.at("top5").as_array()) {
            if (!code.is_string()) throw std::runtime_error("search quality set: top5 holds program codes");
            c.top5.emplace_back(code.as_string());
        }
        out.push_back(std::move(c));
    }
    return out;
}

QualityReport evaluate_search_quality(const SearchIndex& index, const std::vector<Service>& services,
                                      const std::vector<QualityCase>& cases) {
    std::map<std::string, const Service*> by_id;
    for (const auto& s : services) by_id[s.id] = &s;
    QualityReport report;
    for (const auto& c : cases) {
        SearchQuery q;
        q.q = c.q;
        q.limit = 5;
        auto res = index.search(q);
        QualityOutcome o;
        o.q = c.q;
        std::vector<std::string> codes;
        for (const auto& h : res.hits) {
            auto it = by_id.find(h.id);
            if (it == by_id.end()) continue;
            codes.push_back(it->second->program_code);
            o.top.push_back(it->second->name);
        }
        for (const auto& want : c.top5) {
            if (std::find(codes.begin(), codes.end(), want) == codes.end()) o.missing.push_back(want);
        }
        o.hit = o.missing.empty();
        if (o.hit) ++report.hits;
        report.outcomes.push_back(std::move(o));
    }
    return report;
}

}  // namespace dure::catalog
