#include "outreach/intake.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "catalog/hsds.hpp"
#include "news/news.hpp"
#include "common/text.hpp"
#include "http/json.hpp"
#include "outreach/normalize.hpp"

namespace dure::outreach {

namespace json = boost::json;

namespace {

bool control_except_breaks(std::string_view s) {
    std::string t(s);
    std::replace(t.begin(), t.end(), '\n', ' ');
    std::replace(t.begin(), t.end(), '\t', ' ');
    return has_control_chars(t);
}

// "2025-03-01 09:30" (a Korean wall-clock time, as spreadsheets write it) or anything
// catalog::parse_timestamp reads.
std::optional<long long> parse_when(const std::string& s) {
    if ((s.size() == 16 || s.size() == 19) && s[10] == ' ') {
        std::string iso = s;
        iso[10] = 'T';
        if (iso.size() == 16) iso += ":00";
        return catalog::parse_timestamp(iso + "+09:00");
    }
    return catalog::parse_timestamp(s);
}

}  // namespace

NewReport check_report(const RawReport& raw, const std::vector<identity::Dong>& dongs, long long now,
                       FieldErrors& errors, const std::string& at, const std::string& dong_field) {
    NewReport r;
    auto single_line = [&](const std::string& value, const char* f, std::size_t max) {
        std::string v = trim(value);
        if (v.empty()) return v;
        if (utf8_length(v) > max) {
            errors.add(at + f, "too_long", "at most " + std::to_string(max) + " characters");
            return std::string();
        }
        if (has_control_chars(v)) {
            errors.add(at + f, "control_characters", "control characters are not allowed");
            return std::string();
        }
        return v;
    };
    r.address = single_line(raw.address, "address", kAddressMax);
    r.place = single_line(raw.place, "place", kAddressMax);
    if (r.address.empty() && r.place.empty() && !errors.has(at + "address") && !errors.has(at + "place"))
        errors.add(at + "address", "address_or_place",
                   "give the address, or describe the place (e.g. the bench by the station's exit 2)");

    r.concern = trim(raw.concern);
    if (r.concern.empty()) {
        if (!errors.has(at + "concern")) errors.add(at + "concern", "required", "say what you saw");
    } else if (utf8_length(r.concern) > kConcernMax) {
        errors.add(at + "concern", "too_long", "at most " + std::to_string(kConcernMax) + " characters");
    } else if (control_except_breaks(r.concern)) {
        errors.add(at + "concern", "control_characters", "only line breaks and tabs are allowed");
    }

    if (auto u = trim(raw.urgency); !u.empty()) {
        if (auto parsed = parse_urgency(u))
            r.urgency = *parsed;
        else
            errors.add(at + "urgency", "unknown_urgency", "urgent, high or normal (긴급, 우선, 일반)");
    }
    for (const auto& s : raw.signs) {
        auto code = trim(s);
        if (code.empty()) continue;
        if (!is_code(sign_codes(), code)) {
            errors.add(at + "signs", "unknown_sign", "not a sign code: see GET /api/v1/outreach/vocabulary");
            break;
        }
        if (std::find(r.signs.begin(), r.signs.end(), code) == r.signs.end()) r.signs.push_back(code);
    }

    r.subject_name = single_line(raw.subject_name, "subject_name", kNameMax);
    if (auto p = single_line(raw.subject_phone, "subject_phone", 30); !p.empty()) {
        r.subject_phone = normalize_any_phone(p);
        if (r.subject_phone.empty())
            errors.add(at + "subject_phone", "invalid_phone", "a Korean mobile or landline number");
    }
    r.reporter_contact = single_line(raw.contact, "contact", kContactMax);
    r.external_ref = single_line(raw.external_ref, "external_ref", 100);

    if (auto when = trim(raw.received_at); !when.empty()) {
        auto t = parse_when(when);
        if (!t)
            errors.add(at + "received_at", "invalid_time",
                       "a time like 2025-03-01T09:30:00+09:00 or 2025-03-01 09:30");
        else if (*t > now + 300)
            errors.add(at + "received_at", "in_future", "a report cannot come from the future");
        else if (*t < now - kBackdateMaxSeconds)
            errors.add(at + "received_at", "too_old", "at most 90 days ago");
        else
            r.received_at = *t;
    }

    auto known = [&](long long id) {
        return std::any_of(dongs.begin(), dongs.end(), [&](const identity::Dong& d) { return d.id == id; });
    };
    if (raw.dong_given && !known(raw.dong_id)) {
        errors.add(at + dong_field, "unknown_dong", "no such dong in this district");
    } else if (raw.dong_given) {
        r.dong_id = raw.dong_id;
    } else if (auto d = trim(raw.dong); !d.empty()) {
        r.dong_id = resolve_dong(d, dongs);
        if (!r.dong_id)
            errors.add(at + dong_field, "unknown_dong", "a dong of this district: its code or name");
    } else {
        r.dong_id = infer_dong(r.address + " " + r.place, dongs);
    }
    return r;
}

std::optional<std::string> multiline_text(const json::object& body, std::string_view key, bool required,
                                          std::size_t max_chars, FieldErrors& errors) {
    auto it = body.find(key);
    std::string k(key);
    if (it == body.end() || it->value().is_null()) {
        if (required) errors.add(k, "required", "this field is required");
        return std::nullopt;
    }
    if (!it->value().is_string()) {
        errors.add(k, "not_a_string", "expected a string");
        return std::nullopt;
    }
    std::string v(it->value().as_string());
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (!(v[i] == '\r' && i + 1 < v.size() && v[i + 1] == '\n')) out += v[i];
    out = trim(out);
    if (out.empty()) {
        if (required) errors.add(k, "required", "this field is required");
        return std::nullopt;
    }
    if (utf8_length(out) > max_chars) {
        errors.add(k, "too_long", "at most " + std::to_string(max_chars) + " characters");
        return std::nullopt;
    }
    if (control_except_breaks(out)) {
        errors.add(k, "control_characters", "only line breaks and tabs are allowed");
        return std::nullopt;
    }
    return out;
}

RawReport read_report_json(const json::object& body, const std::vector<std::string_view>& allowed,
                           FieldErrors& errors) {
    auto has = [&](std::string_view k) {
        return std::find(allowed.begin(), allowed.end(), k) != allowed.end();
    };
    for (const auto& kv : body)
        if (!has(kv.key()))
            errors.add(std::string(kv.key()), "unknown_field", "this field is not accepted here");
    http::BodyReader r(body, errors);
    RawReport raw;
    auto text = [&](const char* key, std::size_t max, std::string& into) {
        if (has(key)) into = r.string(key, false, max).value_or("");
    };
    text("address", kAddressMax, raw.address);
    text("place", kAddressMax, raw.place);
    text("urgency", 20, raw.urgency);
    text("subject_name", kNameMax, raw.subject_name);
    text("subject_phone", 30, raw.subject_phone);
    text("contact", kContactMax, raw.contact);
    text("external_ref", 100, raw.external_ref);
    text("received_at", 40, raw.received_at);
    raw.concern = multiline_text(body, "concern", false, kConcernMax, errors).value_or("");
    if (auto d = has("dong_id") ? r.integer("dong_id", false, 1, 1LL << 53) : std::nullopt) {
        raw.dong_id = *d;
        raw.dong_given = true;
    }
    if (auto it = body.find("signs"); has("signs") && it != body.end() && !it->value().is_null()) {
        if (!it->value().is_array() || it->value().as_array().size() > sign_codes().size()) {
            errors.add("signs", "not_a_list",
                       "a list of at most " + std::to_string(sign_codes().size()) + " sign codes");
        } else {
            for (const auto& v : it->value().as_array()) {
                if (!v.is_string() || v.as_string().size() > 40) {
                    errors.add("signs", "not_a_list", "a list of sign codes");
                    break;
                }
                raw.signs.emplace_back(v.as_string());
            }
        }
    }
    return raw;
}

namespace {

// Header names a CSV may use for each field: the JSON name, then Korean labels (spaces removed).
const std::map<std::string, std::string>& csv_aliases() {
    static const std::map<std::string, std::string> kAliases = {
        {"dong", "dong"},
        {"동", "dong"},
        {"행정동", "dong"},
        {"address", "address"},
        {"주소", "address"},
        {"place", "place"},
        {"장소", "place"},
        {"위치", "place"},
        {"concern", "concern"},
        {"내용", "concern"},
        {"신고내용", "concern"},
        {"상황", "concern"},
        {"urgency", "urgency"},
        {"긴급도", "urgency"},
        {"subject_name", "subject_name"},
        {"대상자", "subject_name"},
        {"대상자명", "subject_name"},
        {"subject_phone", "subject_phone"},
        {"대상자연락처", "subject_phone"},
        {"contact", "contact"},
        {"신고자연락처", "contact"},
        {"signs", "signs"},
        {"징후", "signs"},
        {"위기징후", "signs"},
        {"received_at", "received_at"},
        {"접수일시", "received_at"},
    };
    return kAliases;
}

// The errors collected so far, as a list.
std::vector<FieldError> fields_of(const FieldErrors& errors) {
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        return e.fields();
    }
    return {};
}

std::vector<std::string> split_signs(const std::string& cell) {
    std::vector<std::string> out(1);
    for (char c : cell) {
        if (c == ';' || c == '|' || c == ',')
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

}  // namespace

CsvReports read_reports_csv(std::string_view text, const std::vector<identity::Dong>& dongs, long long now) {
    CsvReports out;
    FieldErrors errors;
    std::vector<catalog::CsvRow> rows;
    try {
        rows = catalog::parse_csv(text);
    } catch (const std::exception& e) {
        out.errors.push_back({"file", "malformed_csv", e.what()});
        return out;
    }
    if (rows.empty()) {
        out.errors.push_back({"file", "empty", "the file has no header row"});
        return out;
    }
    std::vector<std::string> columns;
    for (const auto& cell : rows.front().cells) {
        std::string key;
        for (char c : trim(cell))
            if (c != ' ') key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto it = csv_aliases().find(key);
        if (it == csv_aliases().end()) {
            errors.add(
                "line 1: " + trim(cell), "unknown_column",
                "not a report column (dong, address, place, concern, urgency, subject_name, subject_phone, "
                "contact, signs, received_at)");
            columns.emplace_back();
        } else if (std::find(columns.begin(), columns.end(), it->second) != columns.end()) {
            errors.add("line 1: " + it->second, "duplicate_column", "this column appears twice");
            columns.emplace_back();
        } else {
            columns.push_back(it->second);
        }
    }
    auto has = [&](const char* c) { return std::find(columns.begin(), columns.end(), c) != columns.end(); };
    for (const char* required : {"dong", "concern"})
        if (!has(required))
            errors.add(std::string("line 1: ") + required, "missing_column", "this column is required");
    if (!has("address") && !has("place"))
        errors.add("line 1: address", "missing_column", "an address or a place column is required");
    if (!errors.empty()) {
        out.errors = fields_of(errors);
        return out;
    }
    std::size_t data_rows = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        bool blank = std::all_of(row.cells.begin(), row.cells.end(),
                                 [](const std::string& c) { return trim(c).empty(); });
        if (blank) continue;
        std::string at = "line " + std::to_string(row.line) + ": ";
        if (++data_rows > kCsvMaxRows) {
            errors.add(at + "file", "too_many_rows",
                       "at most " + std::to_string(kCsvMaxRows) + " reports per file");
            break;
        }
        if (row.cells.size() > columns.size()) {
            errors.add(at + "row", "too_many_cells", "this row has more cells than the header");
            continue;
        }
        RawReport raw;
        for (std::size_t c = 0; c < row.cells.size(); ++c) {
            const auto& col = columns[c];
            const auto& v = row.cells[c];
            if (col == "dong")
                raw.dong = v;
            else if (col == "address")
                raw.address = v;
            else if (col == "place")
                raw.place = v;
            else if (col == "concern")
                raw.concern = v;
            else if (col == "urgency")
                raw.urgency = v;
            else if (col == "subject_name")
                raw.subject_name = v;
            else if (col == "subject_phone")
                raw.subject_phone = v;
            else if (col == "contact")
                raw.contact = v;
            else if (col == "signs")
                raw.signs = split_signs(v);
            else if (col == "received_at")
                raw.received_at = v;
        }
        if (trim(raw.dong).empty()) errors.add(at + "dong", "required", "every row needs its dong");
        auto r = check_report(raw, dongs, now, errors, at, "dong");
        r.channel = Channel::csv;
        r.reporter_kind = ReporterKind::staff;
        out.reports.push_back(std::move(r));
        out.lines.push_back(row.line);
    }
    if (data_rows == 0) errors.add("file", "no_rows", "the file has a header but no reports");
    out.errors = fields_of(errors);
    return out;
}

}  // namespace dure::outreach
