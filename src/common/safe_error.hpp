#pragma once
// Error text that may go to a log or a table without personal data. SOCI appends the bound
// values to its messages (`… while executing "INSERT …" with :name="value", …`), which would put
// phone numbers, access reasons or tokens into the journal. safe_what keeps the message and the
// statement, and withholds the values.
#include <exception>
#include <regex>
#include <string>
#include <string_view>

namespace dure {

inline std::string redact_bound_values(std::string_view what) {
    std::string out(what);
    // SOCI 4: ` with :name=value` (named) or ` with :1=value` (positional) after the statement.
    auto pos = out.find("\" with :");
    if (pos == std::string::npos) pos = out.find(" with :");
    else pos += 1;
    if (pos != std::string::npos) out = out.substr(0, pos) + " with [bound values withheld]";
    // PostgreSQL repeats the values in its DETAIL: `Key (phone)=(010…) already exists`, `Failing
    // row contains (…)`.
    static const std::regex key(R"(Key \(([^)]*)\)=\((?:[^)\n]|\)(?!\s+(?:already|is not|conflicts)))*\))");
    static const std::regex row(R"(Failing row contains \([^\n]*\))");
    out = std::regex_replace(out, key, "Key ($1)=([withheld])");
    out = std::regex_replace(out, row, "Failing row contains ([withheld])");
    return out;
}

inline std::string safe_what(const std::exception& e) { return redact_bound_values(e.what()); }

}  // namespace dure
