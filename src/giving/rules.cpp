#include "giving/rules.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "common/dates.hpp"
#include "identity/crypto.hpp"

namespace dure::giving {

bool valid_amount(long long krw) { return krw > 0 && krw <= kMaxAmount; }

long long degrees_tenths(long long raised, long long target) {
    if (target <= 0 || raised <= 0) return 0;
    // raised ≤ a few × 10^13 and × 1000 stays far below 2^63.
    return static_cast<long long>(static_cast<__int128>(raised) * 1000 / target);
}

std::string count_band(long long n) { return n >= 1 && n <= 4 ? "1-4" : std::to_string(n); }

namespace {

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
long long days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

std::string civil_from_days(long long z) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", y + (m <= 2), m, d);
    return buf;
}

long long day_number(const std::string& day) {
    return days_from_civil(std::stoi(day.substr(0, 4)), static_cast<unsigned>(std::stoi(day.substr(5, 2))),
                           static_cast<unsigned>(std::stoi(day.substr(8, 2))));
}

int kind_order(const std::string& k) { return k == "gift" ? 0 : k == "reversal" ? 1 : 2; }

}  // namespace

std::string next_day(const std::string& day) { return civil_from_days(day_number(day) + 1); }

std::string ledger_day(const std::string& record_day, const std::string& sealed_through) {
    if (sealed_through.empty() || record_day > sealed_through) return record_day;
    return next_day(sealed_through);
}

bool valid_period(const std::string& starts_on, const std::string& ends_on) {
    if (!valid_date(starts_on) || !valid_date(ends_on)) return false;
    long long a = day_number(starts_on), b = day_number(ends_on);
    return a <= b && b - a <= 365;
}

namespace {
bool code_chars(std::string_view s, std::size_t lo, std::size_t hi) {
    if (s.size() < lo || s.size() > hi || s.front() == '-') return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}
}  // namespace

std::vector<WeekTotal> weekly_totals(const std::vector<GiftFact>& gifts, const std::string& starts_on) {
    long long start = day_number(starts_on), last = 0;
    std::vector<WeekTotal> out;
    for (const auto& g : gifts) last = std::max(last, (std::max(day_number(g.given_on), start) - start) / 7);
    if (gifts.empty()) return out;
    out.resize(static_cast<std::size_t>(last + 1));
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].week = static_cast<long long>(i) + 1;
        out[i].from = civil_from_days(start + 7 * static_cast<long long>(i));
        out[i].to = civil_from_days(start + 7 * static_cast<long long>(i) + 6);
    }
    for (const auto& g : gifts) {
        auto& w = out[static_cast<std::size_t>((std::max(day_number(g.given_on), start) - start) / 7)];
        w.gifts++;
        w.amount += g.amount;
        (g.form == "cash" ? w.cash : w.in_kind) += g.amount;
    }
    return out;
}

std::string receipt_number(long long year, long long serial) {
    std::string n = std::to_string(serial);
    if (n.size() < 6) n.insert(0, 6 - n.size(), '0');
    return std::to_string(year) + "-" + n;
}

bool valid_campaign_code(std::string_view code) { return code_chars(code, 3, 40); }

bool valid_designation_code(std::string_view code) {
    return code_chars(code, 2, 60) && code != "general" && code.substr(0, 5) != "dong-";
}

std::string ledger_line(const LedgerEntry& e) {
    std::string count = e.kind == "distribution" ? count_band(e.count) : std::to_string(e.count);
    return std::to_string(e.seq) + "|" + e.day + "|" + e.kind + "|" + e.source + "|" + e.purpose + "|" + e.designation +
           "|" + e.form + "|" + count + "|" + std::to_string(e.amount);
}

std::string chain_hash(const std::string& prev_hash, const std::string& line) {
    return identity::token_hash(prev_hash + "\n" + line);
}

std::string seal(std::vector<LedgerEntry>& entries, long long last_seq, const std::string& head) {
    std::sort(entries.begin(), entries.end(), [](const LedgerEntry& a, const LedgerEntry& b) {
        return std::make_tuple(a.day, kind_order(a.kind), a.source, a.purpose, a.designation, a.form) <
               std::make_tuple(b.day, kind_order(b.kind), b.source, b.purpose, b.designation, b.form);
    });
    std::string prev = head.empty() ? kGenesis : head;
    for (auto& e : entries) {
        e.seq = ++last_seq;
        e.prev_hash = prev;
        e.hash = chain_hash(prev, ledger_line(e));
        prev = e.hash;
    }
    return prev;
}

bool verify_chain(const std::vector<LedgerEntry>& entries, long long* bad_seq) {
    std::string prev = kGenesis;
    long long seq = 0;
    for (const auto& e : entries) {
        if (e.seq != seq + 1 || e.prev_hash != prev || e.hash != chain_hash(prev, ledger_line(e))) {
            if (bad_seq) *bad_seq = e.seq;
            return false;
        }
        prev = e.hash;
        seq = e.seq;
    }
    return true;
}

long long ledger_balance(const std::vector<LedgerEntry>& entries) {
    long long b = 0;
    for (const auto& e : entries) b += e.kind == "distribution" ? -e.amount : e.amount;
    return b;
}

Trace trace_fifo(const std::vector<Slice>& gifts, const std::vector<Slice>& uses, long long gift_id) {
    Trace t;
    long long start = 0, amount = 0;
    bool found = false;
    for (const auto& g : gifts) {
        if (g.id == gift_id) {
            amount = g.amount;
            found = true;
            break;
        }
        start += g.amount;
    }
    if (!found) return t;
    long long end = start + amount, pos = 0, used = 0;
    for (const auto& u : uses) {
        long long a = std::max(start, pos), b = std::min(end, pos + u.amount);
        if (b > a) {
            t.used.push_back({u.id, b - a});
            used += b - a;
        }
        pos += u.amount;
        if (pos >= end) break;
    }
    t.unused = amount - used;
    return t;
}

std::string mask_name(std::string_view name) {
    // Split into UTF-8 code points.
    std::vector<std::string> cps;
    for (std::size_t i = 0; i < name.size();) {
        unsigned char c = static_cast<unsigned char>(name[i]);
        std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        cps.emplace_back(name.substr(i, n));
        i += n;
    }
    if (cps.empty()) return "";
    std::string out = cps[0];
    for (std::size_t i = 1; i < cps.size(); ++i) out += cps[i] == " " ? " " : "○";
    return out;
}

}  // namespace dure::giving

namespace dure::giving {

namespace {
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!n || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        i += n;
    }
    return true;
}
std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return "";
    auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}
}  // namespace

std::vector<StatementRow> parse_statement(std::string_view csv, std::vector<RowError>& errors) {
    std::vector<StatementRow> rows;
    if (csv.size() >= 3 && csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);
    if (!valid_utf8(csv)) {
        errors.push_back({0, "file", "not_utf8", "the file must be UTF-8 (save as CSV UTF-8)"});
        return rows;
    }
    long long line = 0;
    bool header = true;
    for (std::size_t pos = 0; pos < csv.size();) {
        auto nl = csv.find('\n', pos);
        std::string_view raw = csv.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? csv.size() : nl + 1;
        ++line;
        std::string text = trim(raw);
        if (text.empty()) continue;
        std::vector<std::string> cells;
        for (std::size_t a = 0;;) {
            auto comma = text.find(',', a);
            cells.push_back(trim(text.substr(a, comma == std::string::npos ? std::string::npos : comma - a)));
            if (comma == std::string::npos) break;
            a = comma + 1;
        }
        if (header) {
            header = false;
            if (cells != std::vector<std::string>{"date", "reference", "channel", "amount_krw"})
                errors.push_back({line, "header", "bad_header", "the first line must be date,reference,channel,amount_krw"});
            continue;
        }
        if (cells.size() != 4) {
            errors.push_back({line, "row", "column_count", "4 columns: date,reference,channel,amount_krw"});
            continue;
        }
        StatementRow r;
        r.line = line;
        r.day = cells[0];
        r.reference = cells[1];
        r.channel = cells[2];
        if (!valid_date(r.day)) errors.push_back({line, "date", "invalid", "YYYY-MM-DD"});
        const auto& a = cells[3];
        if (a.empty() || a.size() > 14 || a.find_first_not_of("0123456789") != std::string::npos ||
            !valid_amount(std::stoll(a)))
            errors.push_back({line, "amount_krw", "out_of_range", "a whole number of KRW, 1 to 10^13"});
        else
            r.amount = std::stoll(a);
        if (r.channel == "counter" || r.channel == "transfer") {
            const auto& ref = r.reference;
            if (ref.size() < 2 || ref.size() > 16 || ref[0] != 'G' ||
                ref.find_first_not_of("0123456789", 1) != std::string::npos)
                errors.push_back({line, "reference", "unknown_reference", "G followed by the gift number dure gave"});
            else
                r.gift_id = std::stoll(ref.substr(1));
        } else if (r.channel == "qr") {
            if (r.reference == "QR") {
            } else if (r.reference.rfind("QR-", 0) == 0 && r.reference.size() > 3 && r.reference.size() <= 40 &&
                       r.reference.find_first_of("|\",") == std::string::npos) {
                r.dong_code = r.reference.substr(3);
            } else {
                errors.push_back({line, "reference", "unknown_reference", "QR or QR-<dong code>"});
            }
        } else {
            errors.push_back({line, "channel", "unknown_code", "counter, transfer or qr"});
        }
        rows.push_back(std::move(r));
    }
    if (rows.empty() && errors.empty()) errors.push_back({0, "file", "empty", "no rows"});
    return rows;
}

}  // namespace dure::giving
