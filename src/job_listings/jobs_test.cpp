// The jobs import as an official meets it: CSV and JSON through the adapter, every bad row
// named by line (CSV) or JSON pointer with its field, stable ids, and the HTTP adapter that
// is not wired in this build.
#include "job_listings/jobs.hpp"

#include <gtest/gtest.h>

#include "common/embedded.hpp"

namespace dure::catalog {
namespace {

const char* kHeader = "title,employer,place,wage,period,contact,source,valid_until\n";

TEST(JobsImport, ReadsCsvWithQuotedCells) {
    std::string csv = std::string(kHeader) +
                      "\"공원 환경 지킴이, 오전\",한빛구 시니어클럽,은행동,월 29만 "
                      "원,1~12월,02-555-0000,시니어클럽,2026-12-31\n";
    auto b = parse_jobs_csv(csv, "jobs.csv");
    ASSERT_TRUE(b.ok()) << describe(b.problems.front());
    ASSERT_EQ(b.jobs.size(), 1u);
    EXPECT_EQ(b.jobs[0].title, "공원 환경 지킴이, 오전");
    EXPECT_FALSE(b.jobs[0].id.empty());
    EXPECT_EQ(parse_jobs_csv(csv, "jobs.csv").jobs[0].id, b.jobs[0].id) << "ids are stable across imports";
}

TEST(JobsImport, NamesTheLineAndFieldOfEveryBadCsvRow) {
    std::string csv = std::string(kHeader) +
                      "ok,고용주,,,,,출처,2026-12-31\n"
                      ",고용주,,,,,출처,2026-12-31\n"
                      "제목,고용주,,,,,출처,2026-02-30\n"
                      "too,few\n";
    auto b = parse_jobs_csv(csv, "jobs.csv");
    ASSERT_EQ(b.problems.size(), 3u);
    EXPECT_EQ(describe(b.problems[0]), "jobs.csv:3: title: required");
    EXPECT_EQ(b.problems[1].line, 4);
    EXPECT_EQ(b.problems[1].field, "valid_until");
    EXPECT_EQ(b.problems[2].line, 5);
}

TEST(JobsImport, RefusesUnknownAndMissingColumns) {
    auto b = parse_jobs_csv("title,salary\nx,y\n", "jobs.csv");
    ASSERT_FALSE(b.ok());
    bool unknown = false, missing = false;
    for (const auto& p : b.problems) {
        unknown |= p.field == "salary";
        missing |= p.field == "valid_until" && p.message.find("missing") != std::string::npos;
    }
    EXPECT_TRUE(unknown);
    EXPECT_TRUE(missing);
}

TEST(JobsImport, ReadsJsonWithADefaultSourceAndReportsPointers) {
    auto b = parse_jobs_json(R"({"source": "시니어클럽", "jobs": [
        {"title": "안전지킴이", "employer": "시니어클럽", "valid_until": "2026-12-31"},
        {"title": "x", "employer": 5, "valid_until": "soon", "salary": "1"}]})",
                             "jobs.json");
    ASSERT_EQ(b.jobs.size(), 2u);
    EXPECT_EQ(b.jobs[0].source, "시니어클럽");
    std::vector<std::string> d;
    for (const auto& p : b.problems) d.push_back(describe(p));
    EXPECT_NE(std::find(d.begin(), d.end(), "jobs.json#/jobs/1: salary: unknown field"), d.end())
        << ::testing::PrintToString(d);
    EXPECT_NE(std::find(d.begin(), d.end(), "jobs.json#/jobs/1: employer: expected a string"), d.end());
    EXPECT_NE(std::find(d.begin(), d.end(), "jobs.json#/jobs/1: valid_until: a date written YYYY-MM-DD"),
              d.end());
}

TEST(JobsImport, RefusesTheSameJobTwice) {
    auto b = parse_jobs_json(
        R"([{"external_id": "A", "title": "t", "employer": "e", "source": "s", "valid_until": "2026-01-01"},
        {"external_id": "A", "title": "u", "employer": "e", "source": "s", "valid_until": "2026-01-01"}])",
        "jobs.json");
    ASSERT_EQ(b.problems.size(), 1u);
    EXPECT_EQ(describe(b.problems[0]), "jobs.json#/1: external_id: the same job appears twice in this file");
}

TEST(JobsImport, TheDemoFileIsValid) {
    auto text = embedded::find("data/catalog/demo-jobs.json");
    ASSERT_TRUE(text);
    auto b = parse_jobs_json(*text, "demo-jobs.json");
    EXPECT_TRUE(b.ok()) << describe(b.problems.front());
    EXPECT_GE(b.jobs.size(), 60u);
}

TEST(JobsImport, TheHttpAdapterSaysItIsNotWiredAndUsesAnInjectedTransport) {
    HttpJobSource unwired("https://jobs.example/feed.json");
    auto b = unwired.fetch();
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.problems[0].message.find("not wired"), std::string::npos);

    HttpJobSource wired("https://jobs.example/feed.json", [](const std::string&) {
        return std::string(
            R"([{"title": "t", "employer": "e", "source": "feed", "valid_until": "2026-01-01"}])");
    });
    auto w = wired.fetch();
    EXPECT_TRUE(w.ok());
    EXPECT_EQ(w.jobs.size(), 1u);
}

}  // namespace
}  // namespace dure::catalog
