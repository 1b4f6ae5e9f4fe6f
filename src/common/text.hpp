#pragma once
// Small text checks shared by every module (no dependencies).
#include <cstddef>
#include <string_view>

namespace dure {

// Number of Unicode code points in valid UTF-8 text.
inline std::size_t utf8_length(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

// True if the text holds a control character: C0, DEL or C1 (U+0080..U+009F).
inline bool has_control_chars(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F) return true;
        if (c == 0xC2 && i + 1 < s.size()) {
            auto d = static_cast<unsigned char>(s[i + 1]);
            if (d >= 0x80 && d <= 0x9F) return true;
        }
    }
    return false;
}

}  // namespace dure
