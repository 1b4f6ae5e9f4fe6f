#include "outreach/normalize.hpp"

#include <set>

#include "identity/store.hpp"

namespace dure::outreach {

namespace {

// Decodes UTF-8 into code points, folding what people type interchangeably: full-width ASCII,
// the ideographic space, dash variants, ASCII capitals. Invalid bytes become U+FFFD.
std::u32string decode_folded(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        char32_t c = 0xFFFD;
        if (len == 1) {
            c = b;
        } else if (len > 1 && i + static_cast<std::size_t>(len) <= s.size()) {
            c = b & (0xFF >> (len + 1));
            for (int k = 1; k < len; ++k) {
                auto n = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
                if ((n & 0xC0) != 0x80) {
                    c = 0xFFFD;
                    len = k;
                    break;
                }
                c = (c << 6) | (n & 0x3F);
            }
        }
        i += static_cast<std::size_t>(len ? len : 1);
        if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
        if (c == 0x3000) c = U' ';
        if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63) c = U'-';
        if (c >= U'A' && c <= U'Z') c = c - U'A' + U'a';
        out.push_back(c);
    }
    return out;
}

std::string encode(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

bool is_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}

bool is_separator(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\r' || c == U'\n' || c == U',' || c == U'.' || c == 0xB7 ||
           c == U'/' || c == U'#';
}

// Splits on separators; with `parens_split`, brackets separate too (their contents are kept).
std::vector<std::u32string> words(const std::u32string& s, bool parens_split) {
    std::vector<std::u32string> out(1);
    for (char32_t c : s) {
        bool bracket = c == U'(' || c == U')' || c == U'[' || c == U']';
        if (is_separator(c) || (parens_split && bracket)) {
            if (!out.back().empty()) out.emplace_back();
        } else {
            out.back().push_back(c);
        }
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

bool ends_with(const std::u32string& s, std::u32string_view suffix) {
    return s.size() > suffix.size() && std::u32string_view(s).substr(s.size() - suffix.size()) == suffix;
}

// A province, metropolitan city, city or district name at the start of an address.
bool is_region(const std::u32string& w) {
    static const std::u32string_view kShort[] = {U"서울", U"부산", U"대구", U"인천", U"광주", U"대전",
                                                 U"울산", U"세종", U"경기", U"강원", U"충북", U"충남",
                                                 U"전북", U"전남", U"경북", U"경남", U"제주"};
    for (auto k : kShort)
        if (w == k) return true;
    for (std::u32string_view suffix : {U"시", U"도", U"구", U"군"})
        if (ends_with(w, suffix)) return true;
    return false;
}

// "가람제1동" -> "가람1동": official dong names carry a 제 that everyday writing drops.
std::u32string drop_je_before_digit(const std::u32string& w) {
    std::u32string out;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] == U'제' && i + 1 < w.size() && is_digit(w[i + 1])) continue;
        out.push_back(w[i]);
    }
    return out;
}

}  // namespace

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string normalize_address(std::string_view address) {
    // Parenthesised notes ("(느티동, 한빛아파트)") are optional extras of road addresses.
    std::u32string text;
    int depth = 0;
    for (char32_t c : decode_folded(address)) {
        bool open = c == U'(' || c == U'[', close = (c == U')' || c == U']') && depth > 0;
        depth += open ? 1 : close ? -1 : 0;
        if (open || close)
            text.push_back(U' ');
        else if (depth == 0)
            text.push_back(c);
    }
    auto ws = words(text, false);
    std::size_t first = 0;
    while (ws.size() - first > 1 && is_region(ws[first])) ++first;
    std::u32string out;
    auto emit = [&](const std::u32string& run) {
        if (run.empty() || run == U"번지" || run == U"제" || run == U"-") return;
        if (!out.empty()) out.push_back(U' ');
        out += run;
    };
    for (std::size_t w = first; w < ws.size(); ++w) {
        const auto word = drop_je_before_digit(ws[w]);
        std::u32string run;
        for (std::size_t i = 0; i < word.size(); ++i) {
            char32_t c = word[i];
            // A dash joins digits ("123-4"); anywhere else it is noise.
            bool digitish = is_digit(c) || (c == U'-' && i > 0 && i + 1 < word.size() &&
                                            is_digit(word[i - 1]) && is_digit(word[i + 1]));
            if (c == U'-' && !digitish) {
                emit(run);
                run.clear();
                continue;
            }
            bool run_digitish = !run.empty() && (is_digit(run.back()) || run.back() == U'-');
            if (!run.empty() && run_digitish != digitish) {
                emit(run);
                run.clear();
            }
            run.push_back(c);
        }
        emit(run);
    }
    return encode(out);
}

std::string normalize_name(std::string_view name) {
    std::u32string out;
    for (char32_t c : decode_folded(name))
        if (!is_separator(c)) out.push_back(c);
    return encode(out);
}

std::string normalize_any_phone(std::string_view phone) {
    if (auto mobile = identity::normalize_phone(phone); !mobile.empty()) return mobile;
    std::string d;
    for (char c : phone) {
        if (c >= '0' && c <= '9')
            d += c;
        else if (c != '-' && c != ' ' && c != '+' && c != '(' && c != ')' && c != '.')
            return {};
    }
    if (d.starts_with("82") && phone.find('+') != std::string_view::npos) d = "0" + d.substr(2);
    if (d.size() < 9 || d.size() > 11 || d[0] != '0') return {};
    // Seoul 02, the other area codes 031..064, and 070 internet phones.
    bool seoul = d[1] == '2';
    bool area = d[1] >= '3' && d[1] <= '6' && d[2] >= '1' && d[2] <= '5';
    bool voip = d.starts_with("070");
    if (!seoul && !area && !voip) return {};
    std::size_t subscriber = d.size() - (seoul ? 2 : 3);
    return subscriber >= 7 && subscriber <= 8 ? d : std::string();
}

long long infer_dong(std::string_view address, const std::vector<identity::Dong>& dongs) {
    std::set<long long> found;
    for (const auto& w : words(decode_folded(address), true)) {
        auto word = drop_je_before_digit(w);
        for (const auto& d : dongs)
            if (!d.name_ko.empty() && word == drop_je_before_digit(decode_folded(d.name_ko)))
                found.insert(d.id);
    }
    return found.size() == 1 ? *found.begin() : 0;
}

long long resolve_dong(std::string_view text, const std::vector<identity::Dong>& dongs) {
    auto key = decode_folded(text);
    while (!key.empty() && is_separator(key.back())) key.pop_back();
    while (!key.empty() && is_separator(key.front())) key.erase(key.begin());
    if (key.empty()) return 0;
    bool numeric = key.size() <= 18;
    for (char32_t c : key) numeric = numeric && is_digit(c);
    for (const auto& d : dongs) {
        if (numeric && encode(key) == std::to_string(d.id)) return d.id;
        if (key == decode_folded(d.code) || key == decode_folded(d.name_en) ||
            drop_je_before_digit(key) == drop_je_before_digit(decode_folded(d.name_ko)))
            return d.id;
    }
    return 0;
}

}  // namespace dure::outreach
