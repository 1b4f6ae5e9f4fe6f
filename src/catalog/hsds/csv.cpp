// CSV reading and writing, and the HSDS table and column names of the CSV datapackage.
#include "catalog/hsds/internal.hpp"

#include "common/spreadsheet.hpp"

namespace dure::catalog {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace hsds_detail;

// --- CSV -------------------------------------------------------------------------------------

std::vector<CsvRow> parse_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<CsvRow> rows;
    CsvRow row;
    std::string cell;
    long long line = 1;
    row.line = 1;
    std::size_t i = 0, n = text.size();
    bool any = false;  // the current record has content (so a blank line is not a record)
    auto end_record = [&] {
        row.cells.push_back(unguard_cell(cell));
        cell.clear();
        if (any || row.cells.size() > 1) rows.push_back(std::move(row));
        row = CsvRow{};
        any = false;
    };
    while (i < n) {
        char c = text[i];
        if (c == '"' && cell.empty()) {
            any = true;
            long long start = line;
            ++i;
            while (true) {
                if (i >= n) throw std::runtime_error("line " + std::to_string(start) + ": a quoted field is not closed");
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        cell += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (text[i] == '\n') ++line;
                cell += text[i++];
            }
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                throw std::runtime_error("line " + std::to_string(line) + ": text after a closing quote");
            continue;
        }
        if (c == ',') {
            any = true;
            row.cells.push_back(unguard_cell(cell));
            cell.clear();
            ++i;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            ++i;
            end_record();
            ++line;
            row.line = line;
            continue;
        }
        if (c == '"') throw std::runtime_error("line " + std::to_string(line) + ": a quote inside an unquoted field");
        any = true;
        cell += c;
        ++i;
    }
    if (any || !cell.empty() || !row.cells.empty()) end_record();
    return rows;
}

std::string csv_record(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        const std::string c = guard_cell(cells[i]);  // no formula runs when the file is opened
        if (c.find_first_of(",\"\r\n") == std::string::npos) {
            out += c;
            continue;
        }
        out += '"';
        for (char ch : c) {
            if (ch == '"') out += '"';
            out += ch;
        }
        out += '"';
    }
    return out;
}

std::vector<std::string> hsds_tables() {
    std::vector<std::string> out;
    for (const auto& k : kinds()) out.push_back(k.name);
    return out;
}

std::vector<std::string> hsds_columns(const std::string& table) {
    std::vector<std::string> out;
    if (auto* k = spec_of(table))
        for (const auto& f : k->fields) out.push_back(f.name);
    return out;
}

std::string hsds_csv_path(const std::string& table) {
    auto* k = spec_of(table);
    return k ? k->path : std::string();
}

}  // namespace dure::catalog
