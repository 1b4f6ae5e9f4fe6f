#pragma once
// The jobs list (일자리): openings for older people and public jobs (노인일자리, 공공일자리 …)
// brought in from outside through a `JobSource` adapter — a CSV or JSON file today, a partner's
// HTTP feed later. Every row is checked before anything is stored: one bad row refuses the file.
#include <boost/json/object.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dure::catalog {

struct Job {
    std::string id;  // stable: derived from source and external_id
    long long district_id = 0;
    std::string source;       // who publishes it, e.g. "한빛구 시니어클럽" (required)
    std::string external_id;  // the source's own id; derived from the content when absent
    std::string title, employer, place, wage, period, contact, url, description;
    std::string valid_until;  // YYYY-MM-DD: listed up to and including this Korean date
};

// One bad row: "jobs.csv:7: valid_until: …" (CSV line) or "jobs.json#/jobs/3: title: …".
struct JobProblem {
    std::string file;
    long long line = 0;
    std::string pointer;
    std::string field;
    std::string message;
};
std::string describe(const JobProblem& p);

struct JobBatch {
    std::vector<Job> jobs;
    std::vector<JobProblem> problems;
    bool ok() const { return problems.empty(); }
};

// The CSV columns (header row required; order free; unknown columns are an error).
const std::vector<std::string>& job_columns();

// Parses and checks jobs. CSV: a header row of job_columns(). JSON: an array of job objects or
// {"source": "…", "jobs": [...]} (the top-level source applies to rows without one).
JobBatch parse_jobs_csv(std::string_view text, const std::string& file_name);
JobBatch parse_jobs_json(std::string_view text, const std::string& file_name);

// Where jobs come from.
class JobSource {
public:
    virtual ~JobSource() = default;
    // Names the source for messages (a path or a URL).
    virtual std::string name() const = 0;
    // Reads every job; problems name the row and field.
    virtual JobBatch fetch() = 0;
};

// A CSV or JSON file (chosen by extension; .json otherwise sniffed from the first character).
class FileJobSource : public JobSource {
public:
    explicit FileJobSource(std::filesystem::path path) : path_(std::move(path)) {}
    std::string name() const override { return path_.string(); }
    JobBatch fetch() override;

private:
    std::filesystem::path path_;
};

// A partner's HTTP feed serving the JSON form. The transport is injected (logic does no I/O):
// `dure import jobs https://…` passes http::http_get (libcurl); tests pass a fake.
class HttpJobSource : public JobSource {
public:
    using Get = std::function<std::string(const std::string& url)>;
    explicit HttpJobSource(std::string url, Get get = nullptr) : url_(std::move(url)), get_(std::move(get)) {}
    std::string name() const override { return url_; }
    JobBatch fetch() override;

private:
    std::string url_;
    Get get_;
};

// The job as the API shows it.
boost::json::object job_json(const Job& j);

}  // namespace dure::catalog
