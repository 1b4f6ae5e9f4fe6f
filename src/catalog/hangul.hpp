#pragma once
// Text helpers for Korean search: UTF-8 decoding that drops bad bytes, query normalization
// (NFC for Hangul, ASCII lowercase, full-width folding, control characters removed), Hangul
// syllable decomposition, initial consonants (초성) and jamo-level edit distance for typos.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dure::catalog::hangul {

// The three parts of a precomposed Hangul syllable, as indices into the Unicode tables:
// initial 0..18 (초성), medial 0..20 (중성), final 0..27 (종성, 0 = none).
struct Syllable {
    int initial = 0;
    int medial = 0;
    int final = 0;
};

// Decodes UTF-8, silently dropping invalid, overlong or surrogate sequences.
std::u32string decode_utf8(std::string_view text);

// Encodes code points as UTF-8.
std::string encode_utf8(std::u32string_view text);

// Appends one code point to `out` as UTF-8.
void append_utf8(std::string& out, char32_t c);

// True for a precomposed Hangul syllable (가 … 힣).
bool is_syllable(char32_t c);

// Splits a precomposed syllable into its parts; nullopt for anything else.
std::optional<Syllable> decompose(char32_t c);

// Builds the precomposed syllable from its parts (indices as in `Syllable`).
char32_t compose(const Syllable& s);

// True for a compatibility jamo consonant, the letters a keyboard types alone (ㄱ … ㅎ).
bool is_compat_consonant(char32_t c);

// The compatibility jamo (ㄱ, ㄲ, ㄴ …) of the initial consonant of syllable `c`; other
// compatibility consonants are returned as they are; 0 for anything else.
char32_t initial_consonant(char32_t c);

// The initial consonants of the syllables of `text` (기초연금 → ㄱㅊㅇㄱ). Compatibility
// consonants already in the text are kept; everything else is left out.
std::u32string initial_consonants(std::u32string_view text);

// True when `text` holds at least two compatibility consonants and nothing else but spaces:
// a query such as ㄱㅊㅇㄱ meant as the initials of a name.
bool is_initials_query(std::u32string_view text);

// Spells text as jamo (기 → ᄀ ᅵ) so one edit is one typed key; non-Hangul stays as it is.
std::u32string to_jamo(std::u32string_view text);

// Levenshtein distance between two code-point strings, giving up at `max`: any result greater
// than `max` is returned as `max + 1`. Runs in O(len * max).
int edit_distance(std::u32string_view a, std::u32string_view b, int max);

// Edit distance between two words counted in jamo (기초연굼 ↔ 기초연금 = 1).
int jamo_edit_distance(std::u32string_view a, std::u32string_view b);

// Composes conjoining jamo into syllables (Unicode NFC for Hangul): ᄀ ᅵ → 기, 가 ᆨ → 각.
std::u32string compose_nfc(std::u32string_view text);

// True for characters that separate words: whitespace, ASCII punctuation, general punctuation
// and symbols (·, 「 」, emoji …).
bool is_separator(char32_t c);

// The result of normalizing user text.
struct Normalized {
    std::string text;        // NFC, lowercase ASCII, half-width, single spaces, trimmed
    bool truncated = false;  // true when text was cut at the code-point limit
};

// Normalizes text for search: drops invalid UTF-8 and invisible format characters, turns
// control characters and exotic spaces into spaces, folds full-width ASCII to half-width,
// lowercases ASCII, composes Hangul (NFC), collapses whitespace and keeps at most
// `max_code_points` code points. Work is bounded by the input size.
Normalized normalize(std::string_view text, std::size_t max_code_points = std::string::npos);

}  // namespace dure::catalog::hangul
