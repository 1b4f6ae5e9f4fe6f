#include "outreach/intake.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

namespace dure::outreach {
namespace {

namespace json = boost::json;

constexpr long long kNow = 1'750'000'000;  // 2025-06-15

const std::vector<identity::Dong> kDongs = {{11, 1, "neuti", "느티동", "Neuti-dong"},
                                            {12, 1, "solnae", "솔내동", "Solnae-dong"}};

std::vector<std::string> fields(const std::vector<FieldError>& errors) {
    std::vector<std::string> out;
    for (const auto& e : errors) out.push_back(e.field + "/" + e.code);
    return out;
}

std::vector<std::string> fields(const FieldErrors& errors) {
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        return fields(e.fields());
    }
    return {};
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(OutreachIntake, AWebFormReportIsCheckedAndNormalised) {
    FieldErrors errors;
    auto body =
        json::parse(
            R"({"address":" 한빛구 느티로 12 (느티동) ","concern":"우편물이 쌓여 있어요.\r\n인기척도 없습니다.",
        "urgency":"긴급","signs":["mail_piling_up","isolation","mail_piling_up"],"subject_phone":"010-1234-5678"})")
            .as_object();
    auto raw = read_report_json(body, {"address", "concern", "urgency", "signs", "subject_phone"}, errors);
    auto r = check_report(raw, kDongs, kNow, errors);
    EXPECT_TRUE(errors.empty()) << fields(errors).size();
    EXPECT_EQ(r.address, "한빛구 느티로 12 (느티동)");
    EXPECT_EQ(r.concern, "우편물이 쌓여 있어요.\n인기척도 없습니다.");
    EXPECT_EQ(r.urgency, Urgency::urgent);
    EXPECT_EQ(r.signs, (std::vector<std::string>{"mail_piling_up", "isolation"}));
    EXPECT_EQ(r.subject_phone, "01012345678");
    EXPECT_EQ(r.dong_id, 11) << "inferred from (느티동)";
}

TEST(OutreachIntake, EveryBadFieldIsNamedAtOnce) {
    FieldErrors errors;
    auto body = json::parse(R"({"concern":"a\u0000b","urgency":"very","signs":["nope"],"subject_phone":"12",
        "dong_id":99,"contact":7,"extra":true,"address":")" +
                            std::string(201, 'x') + R"("})")
                    .as_object();
    auto raw = read_report_json(
        body, {"address", "concern", "urgency", "signs", "subject_phone", "dong_id", "contact"}, errors);
    check_report(raw, kDongs, kNow, errors);
    auto f = fields(errors);
    for (const char* want : {"extra/unknown_field", "concern/control_characters", "urgency/unknown_urgency",
                             "signs/unknown_sign", "subject_phone/invalid_phone", "dong_id/unknown_dong",
                             "contact/not_a_string", "address/too_long"})
        EXPECT_TRUE(has(f, want)) << want;
    EXPECT_FALSE(has(f, "address/address_or_place")) << "the long address is the problem, not a missing one";
}

TEST(OutreachIntake, AddressOrPlaceAndConcernAreRequired) {
    FieldErrors errors;
    check_report(RawReport{}, kDongs, kNow, errors);
    auto f = fields(errors);
    EXPECT_TRUE(has(f, "address/address_or_place"));
    EXPECT_TRUE(has(f, "concern/required"));
    FieldErrors ok;
    RawReport place_only;
    place_only.place = "솔내역 2번 출구 벤치";
    place_only.concern = "며칠째 노숙";
    auto r = check_report(place_only, kDongs, kNow, ok);
    EXPECT_TRUE(ok.empty());
    EXPECT_EQ(r.dong_id, 0) << "no dong named: the district-wide queue";
}

TEST(OutreachIntake, ReceivedAtMayBeBackdatedButNotIntoTheFuture) {
    for (auto [when, code] :
         std::vector<std::pair<std::string, std::string>>{{"2025-06-14 09:30", ""},
                                                          {"2025-06-14T09:30:00+09:00", ""},
                                                          {"2025-06-20", "in_future"},
                                                          {"2024-01-01", "too_old"},
                                                          {"yesterday", "invalid_time"}}) {
        FieldErrors errors;
        RawReport raw;
        raw.address = "느티로 1";
        raw.concern = "x";
        raw.received_at = when;
        auto r = check_report(raw, kDongs, kNow, errors);
        if (code.empty()) {
            EXPECT_TRUE(errors.empty()) << when;
            EXPECT_EQ(r.received_at, 1749861000) << when;
        } else {
            EXPECT_TRUE(has(fields(errors), "received_at/" + code)) << when;
        }
    }
}

TEST(OutreachIntake, CsvWithKoreanHeadersAndABomIsRead) {
    std::string csv =
        "\xEF\xBB\xBF동,주소,내용,긴급도,징후,대상자연락처\r\n"
        "느티동,느티로 12,\"우편물이 쌓임, 인기척 없음\",긴급,mail_piling_up;isolation,02-123-4567\r\n"
        ",,,,,\r\n"
        "solnae,솔내로 3,\"여러 줄\n설명\",,,\r\n";
    auto r = read_reports_csv(csv, kDongs, kNow);
    ASSERT_TRUE(r.errors.empty()) << fields(r.errors).front();
    ASSERT_EQ(r.reports.size(), 2u);
    EXPECT_EQ(r.lines, (std::vector<long long>{2, 4}));
    EXPECT_EQ(r.reports[0].dong_id, 11);
    EXPECT_EQ(r.reports[0].concern, "우편물이 쌓임, 인기척 없음");
    EXPECT_EQ(r.reports[0].urgency, Urgency::urgent);
    EXPECT_EQ(r.reports[0].subject_phone, "021234567");
    EXPECT_EQ(r.reports[0].channel, Channel::csv);
    EXPECT_EQ(r.reports[1].dong_id, 12);
    EXPECT_EQ(r.reports[1].concern, "여러 줄\n설명");
}

TEST(OutreachIntake, CsvErrorsNameLineAndColumnAndKeepNothing) {
    std::string csv =
        "dong,address,concern,urgency,colour\n"
        "느티동,느티로 1,ok,normal,red\n";
    auto header = read_reports_csv(csv, kDongs, kNow);
    EXPECT_TRUE(has(fields(header.errors), "line 1: colour/unknown_column"));
    EXPECT_TRUE(header.reports.empty());

    csv =
        "dong,address,concern,urgency\n"
        "느티동,느티로 1,ok,normal\n"
        "없는동,느티로 2,ok,normal\n"
        ",느티로 3,,soon\n"
        "느티동,느티로 4,ok,normal,extra\n";
    auto rows = read_reports_csv(csv, kDongs, kNow);
    auto f = fields(rows.errors);
    EXPECT_TRUE(has(f, "line 3: dong/unknown_dong"));
    EXPECT_TRUE(has(f, "line 4: dong/required"));
    EXPECT_TRUE(has(f, "line 4: concern/required"));
    EXPECT_TRUE(has(f, "line 4: urgency/unknown_urgency"));
    EXPECT_TRUE(has(f, "line 5: row/too_many_cells"));
    EXPECT_EQ(f.size(), 5u);

    EXPECT_TRUE(has(fields(read_reports_csv("dong,concern\n", kDongs, kNow).errors),
                    "line 1: address/missing_column"));
    EXPECT_TRUE(has(fields(read_reports_csv("dong,address,concern\n", kDongs, kNow).errors), "file/no_rows"));
    EXPECT_TRUE(has(fields(read_reports_csv("dong,address,concern\n\"x,y\n", kDongs, kNow).errors),
                    "file/malformed_csv"));
    EXPECT_TRUE(has(fields(read_reports_csv("", kDongs, kNow).errors), "file/empty"));
}

TEST(OutreachIntake, CsvRowLimit) {
    std::string csv = "dong,address,concern\n";
    for (std::size_t i = 0; i <= kCsvMaxRows; ++i) csv += "느티동,느티로 " + std::to_string(i) + ",x\n";
    auto r = read_reports_csv(csv, kDongs, kNow);
    EXPECT_TRUE(has(fields(r.errors), "line " + std::to_string(kCsvMaxRows + 2) + ": file/too_many_rows"));
}

}  // namespace
}  // namespace dure::outreach
