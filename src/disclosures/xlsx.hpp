#pragma once
// A small spreadsheet writer over libxlsxwriter: sheets of a header row and rows of text and
// integer cells. Integers get the `#,##0` number format, so Korean won amounts read as
// "1,234,000" and stay numbers for sums.
#include <string>
#include <variant>
#include <vector>

namespace dure::catalog {

using XlsxCell = std::variant<std::string, long long>;

struct XlsxSheet {
    std::string name;  // at most 31 characters, none of []:*?/\ (Excel's rule)
    std::vector<std::string> header;
    std::vector<std::vector<XlsxCell>> rows;
    std::vector<double> column_widths;  // optional, in characters
};

// The workbook as the bytes of an .xlsx file (a zip). Throws std::runtime_error when
// libxlsxwriter fails.
std::string write_xlsx(const std::vector<XlsxSheet>& sheets);

}  // namespace dure::catalog
