#include "catalog/hangul.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace dure::catalog::hangul {
namespace {

constexpr char32_t kSyllableBase = 0xAC00;
constexpr char32_t kInitialBase = 0x1100;  // conjoining choseong ᄀ
constexpr char32_t kMedialBase = 0x1161;   // conjoining jungseong ᅡ
constexpr char32_t kFinalBase = 0x11A7;    // one before conjoining jongseong ᆨ
constexpr int kInitialCount = 19;
constexpr int kMedialCount = 21;
constexpr int kFinalCount = 28;
constexpr int kSyllableCount = kInitialCount * kMedialCount * kFinalCount;

// Compatibility jamo for each initial-consonant index.
constexpr char32_t kCompatInitials[kInitialCount] = {0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141,
                                                     0x3142, 0x3143, 0x3145, 0x3146, 0x3147, 0x3148, 0x3149,
                                                     0x314A, 0x314B, 0x314C, 0x314D, 0x314E};

bool is_conjoining_initial(char32_t c) { return c >= kInitialBase && c < kInitialBase + kInitialCount; }
bool is_conjoining_medial(char32_t c) { return c >= kMedialBase && c < kMedialBase + kMedialCount; }
bool is_conjoining_final(char32_t c) { return c > kFinalBase && c < kFinalBase + kFinalCount; }

// Reads one code point at `i`, advancing `i`. Returns false (after skipping one byte) when
// the bytes there are not valid UTF-8.
bool next_code_point(std::string_view s, std::size_t& i, char32_t& out) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        out = b0;
        ++i;
        return true;
    }
    int len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        ++i;
        return false;
    }
    if (i + len > s.size()) {
        ++i;
        return false;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return false;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return false;
    }
    i += len;
    out = cp;
    return true;
}

// What normalization does with one code point: 0 drops it, ' ' makes it a space.
char32_t fold(char32_t c) {
    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return U' ';
    if (c >= U'A' && c <= U'Z') return c + 32;
    if (c < 0x7F) return c;
    if (c >= 0xFF01 && c <= 0xFF5E) {  // full-width ASCII
        const char32_t h = c - 0xFEE0;
        return (h >= U'A' && h <= U'Z') ? h + 32 : h;
    }
    switch (c) {
        case 0x00A0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
            return U' ';
        case 0x00AD: case 0x034F: case 0x061C: case 0x180E: case 0x2060: case 0xFEFF:
            return 0;
        default:
            break;
    }
    if (c >= 0x2000 && c <= 0x200A) return U' ';
    if (c >= 0x200B && c <= 0x200F) return 0;  // zero-width and direction marks
    if (c >= 0x202A && c <= 0x202E) return 0;  // bidi embeddings
    if (c >= 0x2061 && c <= 0x206F) return 0;  // invisible operators, bidi isolates
    if (c >= 0xFE00 && c <= 0xFE0F) return 0;  // variation selectors
    if (c >= 0xFFF0 && c <= 0xFFFF) return 0;  // specials, noncharacters
    return c;
}

}  // namespace

std::u32string decode_utf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    char32_t c = 0;
    while (i < text.size()) {
        if (next_code_point(text, i, c)) out.push_back(c);
    }
    return out;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encode_utf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size() * 3);
    for (char32_t c : text) append_utf8(out, c);
    return out;
}

bool is_syllable(char32_t c) { return c >= kSyllableBase && c < kSyllableBase + kSyllableCount; }

std::optional<Syllable> decompose(char32_t c) {
    if (!is_syllable(c)) return std::nullopt;
    const int s = static_cast<int>(c - kSyllableBase);
    return Syllable{s / (kMedialCount * kFinalCount), (s / kFinalCount) % kMedialCount, s % kFinalCount};
}

char32_t compose(const Syllable& s) {
    return kSyllableBase + static_cast<char32_t>((s.initial * kMedialCount + s.medial) * kFinalCount + s.final);
}

bool is_compat_consonant(char32_t c) { return c >= 0x3131 && c <= 0x314E; }

char32_t initial_consonant(char32_t c) {
    if (auto s = decompose(c)) return kCompatInitials[s->initial];
    if (is_compat_consonant(c)) return c;
    if (is_conjoining_initial(c)) return kCompatInitials[c - kInitialBase];
    return 0;
}

std::u32string initial_consonants(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (char32_t i = initial_consonant(c)) out.push_back(i);
    }
    return out;
}

bool is_initials_query(std::u32string_view text) {
    int consonants = 0;
    for (char32_t c : text) {
        if (is_compat_consonant(c)) {
            ++consonants;
        } else if (c != U' ') {
            return false;
        }
    }
    return consonants >= 2;
}

std::u32string to_jamo(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size() * 3);
    for (char32_t c : text) {
        if (auto s = decompose(c)) {
            out.push_back(kInitialBase + s->initial);
            out.push_back(kMedialBase + s->medial);
            if (s->final) out.push_back(kFinalBase + s->final);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

int edit_distance(std::u32string_view a, std::u32string_view b, int max) {
    if (max < 0) max = 0;
    const int n = static_cast<int>(a.size());
    const int m = static_cast<int>(b.size());
    if (std::abs(n - m) > max) return max + 1;
    if (n == 0 || m == 0) return std::max(n, m);
    // Banded dynamic programme: only cells within `max` of the diagonal can stay <= max.
    const int big = max + 1;
    std::vector<int> prev(m + 1, big), cur(m + 1, big);
    for (int j = 0; j <= std::min(m, max); ++j) prev[j] = j;
    for (int i = 1; i <= n; ++i) {
        const int lo = std::max(1, i - max);
        const int hi = std::min(m, i + max);
        std::fill(cur.begin(), cur.end(), big);
        cur[0] = i <= max ? i : big;
        int row_min = cur[0];
        for (int j = lo; j <= hi; ++j) {
            const int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            const int del = prev[j] + 1;
            const int ins = cur[j - 1] + 1;
            cur[j] = std::min({sub, del, ins, big});
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min > max) return big;
        std::swap(prev, cur);
    }
    return std::min(prev[m], big);
}

int jamo_edit_distance(std::u32string_view a, std::u32string_view b) {
    const auto ja = to_jamo(a);
    const auto jb = to_jamo(b);
    return edit_distance(ja, jb, static_cast<int>(std::max(ja.size(), jb.size())));
}

std::u32string compose_nfc(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (!out.empty()) {
            const char32_t last = out.back();
            if (is_conjoining_initial(last) && is_conjoining_medial(c)) {
                out.back() = compose({static_cast<int>(last - kInitialBase), static_cast<int>(c - kMedialBase), 0});
                continue;
            }
            if (is_syllable(last) && (last - kSyllableBase) % kFinalCount == 0 && is_conjoining_final(c)) {
                out.back() = last + (c - kFinalBase);
                continue;
            }
        }
        out.push_back(c);
    }
    return out;
}

bool is_separator(char32_t c) {
    if (c < 0x80) {
        return !((c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'));
    }
    if (c >= 0x80 && c <= 0xBF) return true;  // Latin-1 controls, punctuation, ·
    if (c == 0xD7 || c == 0xF7) return true;
    if (c >= 0x2000 && c <= 0x2BFF) return true;  // punctuation, symbols, arrows, shapes
    if (c >= 0x3000 && c <= 0x3003) return true;
    if (c >= 0x3008 && c <= 0x3020) return true;  // CJK brackets
    if (c == 0x30FB) return true;                 // katakana middle dot ・
    if (c >= 0xFE10 && c <= 0xFE6F) return true;
    if (c >= 0xFF01 && c <= 0xFF0F) return true;
    if (c >= 0xFF1A && c <= 0xFF20) return true;
    if (c >= 0xFF3B && c <= 0xFF40) return true;
    if (c >= 0xFF5B && c <= 0xFF65) return true;
    if (c >= 0x1F000 && c <= 0x1FAFF) return true;  // emoji and pictographs
    return false;
}

Normalized normalize(std::string_view text, std::size_t max_code_points) {
    std::u32string out;
    out.reserve(std::min<std::size_t>(text.size(), max_code_points == std::string::npos ? text.size()
                                                                                          : max_code_points + 1));
    Normalized result;
    bool pending_space = false;
    std::size_t i = 0;
    char32_t c = 0;
    while (i < text.size()) {
        if (!next_code_point(text, i, c)) continue;
        c = fold(c);
        if (c == 0) continue;
        if (c == U' ') {
            pending_space = !out.empty();
            continue;
        }
        if (!pending_space && !out.empty()) {
            const char32_t last = out.back();
            if (is_conjoining_initial(last) && is_conjoining_medial(c)) {
                out.back() = compose({static_cast<int>(last - kInitialBase), static_cast<int>(c - kMedialBase), 0});
                continue;
            }
            if (is_syllable(last) && (last - kSyllableBase) % kFinalCount == 0 && is_conjoining_final(c)) {
                out.back() = last + (c - kFinalBase);
                continue;
            }
        }
        const std::size_t need = out.size() + (pending_space ? 2 : 1);
        if (max_code_points != std::string::npos && need > max_code_points) {
            result.truncated = true;
            break;
        }
        if (pending_space) out.push_back(U' ');
        pending_space = false;
        out.push_back(c);
    }
    result.text = encode_utf8(out);
    return result;
}

}  // namespace dure::catalog::hangul
