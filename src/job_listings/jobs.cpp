#include "job_listings/jobs.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "catalog/demo_data.hpp"
#include "catalog/hsds.hpp"
#include "catalog/store.hpp"
#include "common/text.hpp"

namespace dure::catalog {

namespace json = boost::json;

namespace {

struct Column {
    const char* name;
    std::size_t max;
    bool required;
};

const std::vector<Column> kColumns = {
    {"external_id", 100, false}, {"title", 200, true},   {"employer", 200, true},      {"place", 200, false},
    {"wage", 200, false},        {"period", 200, false}, {"contact", 200, false},      {"source", 200, true},
    {"valid_until", 10, true},   {"url", 500, false},    {"description", 2000, false},
};

std::string trimmed(std::string s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string* field_of(Job& j, std::string_view name) {
    if (name == "external_id") return &j.external_id;
    if (name == "title") return &j.title;
    if (name == "employer") return &j.employer;
    if (name == "place") return &j.place;
    if (name == "wage") return &j.wage;
    if (name == "period") return &j.period;
    if (name == "contact") return &j.contact;
    if (name == "source") return &j.source;
    if (name == "valid_until") return &j.valid_until;
    if (name == "url") return &j.url;
    if (name == "description") return &j.description;
    return nullptr;
}

// Checks the fields of one job, reporting through `add(field, message)`.
template <class Add>
void check_job(const Job& j, Add&& add) {
    for (const auto& c : kColumns) {
        std::string v = *field_of(const_cast<Job&>(j), c.name);
        if (c.required && v.empty())
            add(c.name, "required");
        else if (utf8_length(v) > c.max)
            add(c.name, "at most " + std::to_string(c.max) + " characters");
        else if (std::string_view(c.name) != "description" && has_control_chars(v))
            add(c.name, "control characters");
    }
    if (!j.valid_until.empty() && !is_date(j.valid_until)) add("valid_until", "a date written YYYY-MM-DD");
    if (!j.url.empty() && !j.url.starts_with("https://") && !j.url.starts_with("http://"))
        add("url", "an http(s) address");
}

// Fills the ids and reports duplicates, once every row parsed.
void finish(JobBatch& b, const std::vector<JobProblem>& where) {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < b.jobs.size(); ++i) {
        auto& j = b.jobs[i];
        if (j.external_id.empty())
            j.external_id =
                name_uuid("job:" + j.title + "\x1f" + j.employer + "\x1f" + j.place + "\x1f" + j.period);
        j.id = name_uuid("job:" + j.source + "\x1f" + j.external_id);
        auto [it, fresh] = seen.emplace(j.source + "\x1f" + j.external_id, i);
        if (!fresh) {
            JobProblem p = where[i];
            p.field = "external_id";
            p.message = "the same job appears twice in this file";
            b.problems.push_back(p);
        }
    }
}

}  // namespace

std::string describe(const JobProblem& p) {
    std::string where = p.file;
    if (p.line)
        where += ":" + std::to_string(p.line);
    else if (!p.pointer.empty())
        where += "#" + p.pointer;
    return where + ": " + (p.field.empty() ? "" : p.field + ": ") + p.message;
}

const std::vector<std::string>& job_columns() {
    static const std::vector<std::string> cols = [] {
        std::vector<std::string> v;
        for (const auto& c : kColumns) v.emplace_back(c.name);
        return v;
    }();
    return cols;
}

JobBatch parse_jobs_csv(std::string_view text, const std::string& file_name) {
    JobBatch b;
    std::vector<CsvRow> rows;
    try {
        rows = parse_csv(text);
    } catch (const std::exception& e) {
        b.problems.push_back({file_name, 0, "", "", e.what()});
        return b;
    }
    if (rows.empty()) {
        b.problems.push_back({file_name, 1, "", "", "empty file: expected a header row"});
        return b;
    }
    std::vector<std::string> header;
    std::set<std::string> present;
    Job probe;
    for (const auto& h : rows[0].cells) {
        std::string name = trimmed(h);
        if (name.starts_with("\xEF\xBB\xBF")) name = name.substr(3);
        if (!field_of(probe, name))
            b.problems.push_back(
                {file_name, rows[0].line, "", name, "unknown column; expected some of the job columns"});
        if (!present.insert(name).second)
            b.problems.push_back({file_name, rows[0].line, "", name, "column appears twice"});
        header.push_back(name);
    }
    for (const auto& c : kColumns)
        if (c.required && !present.count(c.name))
            b.problems.push_back({file_name, rows[0].line, "", c.name, "required column missing"});
    if (!b.problems.empty()) return b;
    std::vector<JobProblem> where;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        if (row.cells.size() == 1 && trimmed(row.cells[0]).empty()) continue;  // blank line
        if (row.cells.size() != header.size()) {
            b.problems.push_back({file_name, row.line, "", "",
                                  "expected " + std::to_string(header.size()) + " cells, found " +
                                      std::to_string(row.cells.size())});
            continue;
        }
        Job j;
        for (std::size_t c = 0; c < header.size(); ++c) *field_of(j, header[c]) = trimmed(row.cells[c]);
        check_job(j, [&](const std::string& field, const std::string& msg) {
            b.problems.push_back({file_name, row.line, "", field, msg});
        });
        where.push_back({file_name, row.line, "", "", ""});
        b.jobs.push_back(std::move(j));
    }
    finish(b, where);
    return b;
}

JobBatch parse_jobs_json(std::string_view text, const std::string& file_name) {
    JobBatch b;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec) {
        b.problems.push_back({file_name, 0, "", "", "not JSON: " + ec.message()});
        return b;
    }
    const json::array* list = nullptr;
    std::string default_source, prefix;
    if (v.is_array()) {
        list = &v.as_array();
    } else if (v.is_object() && v.as_object().contains("jobs") && v.as_object().at("jobs").is_array()) {
        list = &v.as_object().at("jobs").as_array();
        prefix = "/jobs";
        if (auto it = v.as_object().find("source"); it != v.as_object().end() && it->value().is_string())
            default_source = trimmed(std::string(it->value().as_string()));
    } else {
        b.problems.push_back(
            {file_name, 0, "", "", "expected an array of jobs or {\"source\", \"jobs\": [...]}"});
        return b;
    }
    std::vector<JobProblem> where;
    for (std::size_t i = 0; i < list->size(); ++i) {
        std::string ptr = prefix + "/" + std::to_string(i);
        const auto& e = (*list)[i];
        if (!e.is_object()) {
            b.problems.push_back({file_name, 0, ptr, "", "expected a job object"});
            continue;
        }
        Job j;
        for (const auto& kv : e.as_object()) {
            std::string key(kv.key());
            std::string* f = field_of(j, key);
            if (!f) {
                b.problems.push_back({file_name, 0, ptr, key, "unknown field"});
            } else if (kv.value().is_string()) {
                *f = trimmed(std::string(kv.value().as_string()));
            } else if (kv.value().is_int64() && key == "external_id") {
                *f = std::to_string(kv.value().as_int64());
            } else if (!kv.value().is_null()) {
                b.problems.push_back({file_name, 0, ptr, key, "expected a string"});
            }
        }
        if (j.source.empty()) j.source = default_source;
        check_job(j, [&](const std::string& field, const std::string& msg) {
            b.problems.push_back({file_name, 0, ptr, field, msg});
        });
        where.push_back({file_name, 0, ptr, "", ""});
        b.jobs.push_back(std::move(j));
    }
    finish(b, where);
    return b;
}

JobBatch FileJobSource::fetch() {
    std::ifstream in(path_, std::ios::binary);
    std::string name = path_.filename().string();
    if (!in) {
        JobBatch b;
        b.problems.push_back({name, 0, "", "", "cannot read " + path_.string()});
        return b;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    std::string ext = path_.extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".csv") return parse_jobs_csv(text, name);
    if (ext == ".json") return parse_jobs_json(text, name);
    auto first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
    if (first != std::string::npos && (text[first] == '[' || text[first] == '{'))
        return parse_jobs_json(text, name);
    return parse_jobs_csv(text, name);
}

JobBatch HttpJobSource::fetch() {
    JobBatch b;
    if (!get_) {
        b.problems.push_back(
            {url_, 0, "", "", "the HTTP job feed is not wired in this build: import a file instead"});
        return b;
    }
    std::string body;
    try {
        body = get_(url_);
    } catch (const std::exception& e) {
        b.problems.push_back({url_, 0, "", "", std::string("fetch failed: ") + e.what()});
        return b;
    }
    return parse_jobs_json(body, url_);
}

json::object job_json(const Job& j) {
    return {{"id", j.id},
            {"title", j.title},
            {"employer", j.employer},
            {"place", j.place},
            {"wage", j.wage},
            {"period", j.period},
            {"contact", j.contact},
            {"url", j.url},
            {"description", j.description},
            {"source", j.source},
            {"valid_until", j.valid_until}};
}

}  // namespace dure::catalog
