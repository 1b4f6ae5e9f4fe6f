#include "disclosures/xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/spreadsheet.hpp"

namespace dure::catalog {

namespace {

// libxlsxwriter 1.1.4 (Debian 12) writes only to a file: write to a private temp file, read
// it back, remove it.
class TempFile {
public:
    TempFile() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "dure-xlsx-XXXXXX").string();
        int fd = ::mkstemp(tmpl.data());
        if (fd < 0) throw std::runtime_error("cannot create a temporary file for the spreadsheet");
        ::close(fd);
        path_ = tmpl;
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

void check(lxw_error e, const char* what) {
    if (e != LXW_NO_ERROR)
        throw std::runtime_error(std::string("spreadsheet: ") + what + ": " + lxw_strerror(e));
}

}  // namespace

std::string write_xlsx(const std::vector<XlsxSheet>& sheets) {
    TempFile file;
    std::string tmpdir = std::filesystem::temp_directory_path().string();
    lxw_workbook_options opts{};
    opts.constant_memory = LXW_FALSE;
    opts.tmpdir = tmpdir.data();
    lxw_workbook* wb = workbook_new_opt(file.path().c_str(), &opts);
    if (!wb) throw std::runtime_error("spreadsheet: cannot create the workbook");

    lxw_format* header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_bg_color(header, 0xE8EEF7);
    format_set_border(header, LXW_BORDER_THIN);
    lxw_format* number = workbook_add_format(wb);
    format_set_num_format(number, "#,##0");

    for (const auto& sheet : sheets) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
        if (!ws) {
            workbook_close(wb);
            throw std::runtime_error("spreadsheet: bad sheet name '" + sheet.name + "'");
        }
        for (std::size_t c = 0; c < sheet.column_widths.size(); ++c)
            worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                 sheet.column_widths[c], nullptr);
        for (std::size_t c = 0; c < sheet.header.size(); ++c)
            worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), header);
        if (!sheet.header.empty()) worksheet_freeze_panes(ws, 1, 0);
        for (std::size_t r = 0; r < sheet.rows.size(); ++r) {
            auto row = static_cast<lxw_row_t>(r + (sheet.header.empty() ? 0 : 1));
            for (std::size_t c = 0; c < sheet.rows[r].size(); ++c) {
                const auto& cell = sheet.rows[r][c];
                auto col = static_cast<lxw_col_t>(c);
                if (const auto* n = std::get_if<long long>(&cell))
                    worksheet_write_number(ws, row, col, static_cast<double>(*n), number);
                else if (!std::get<std::string>(cell).empty())
                    worksheet_write_string(ws, row, col, guard_cell(std::get<std::string>(cell)).c_str(), nullptr);
            }
        }
    }
    check(workbook_close(wb), "cannot write the workbook");

    std::ifstream in(file.path(), std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    if (!in) throw std::runtime_error("spreadsheet: cannot read the workbook back");
    return out.str();
}

}  // namespace dure::catalog
