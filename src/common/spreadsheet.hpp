#pragma once
// Cells of the CSV and XLSX files the platform writes for people to open in a spreadsheet.
#include <string>
#include <string_view>

namespace dure {

// Spreadsheet formula injection (CSV and XLSX written for people to open in Excel or Calc): a
// cell that starts with = + - @ tab or CR may run as a formula. A plain number ("-1200", "+82",
// "3.5") is not a formula and stays as it is. A cell that already starts with the guard (') before
// such a character is guarded too, so reading back with unguard_cell gives the exact text.
inline bool cell_needs_guard(std::string_view s) {
    if (s.empty()) return false;
    if (s[0] == '\'') return s.size() > 1 && cell_needs_guard(s.substr(1));
    if (s[0] != '=' && s[0] != '+' && s[0] != '-' && s[0] != '@' && s[0] != '\t' && s[0] != '\r') return false;
    if (s[0] != '+' && s[0] != '-') return true;
    std::size_t i = 1, digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
    if (digits && i < s.size() && s[i] == '.') {
        std::size_t frac = 0;
        for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++frac;
        if (!frac) return true;
    }
    return !(digits && i == s.size());
}

// The cell as written: a leading ' when it would otherwise start a formula.
inline std::string guard_cell(std::string_view s) {
    return cell_needs_guard(s) ? "'" + std::string(s) : std::string(s);
}

// The inverse of guard_cell, for CSV read back (an import of our own export).
inline std::string unguard_cell(std::string_view s) {
    if (s.size() > 1 && s[0] == '\'' && cell_needs_guard(s.substr(1))) return std::string(s.substr(1));
    return std::string(s);
}

}  // namespace dure
