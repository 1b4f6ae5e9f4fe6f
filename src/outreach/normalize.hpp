#pragma once
// How reports about the same household are recognised: addresses, names and phone numbers as
// people write them, reduced to one form whose blind index can be compared. Also which dong an
// address or a CSV cell names. Pure functions.
#include <string>
#include <string_view>
#include <vector>

#include "identity/model.hpp"

namespace dure::outreach {

// `s` without leading and trailing spaces, tabs and line breaks.
std::string trim(std::string_view s);

// An address reduced for matching: full-width letters and dash variants folded, parenthesised
// notes dropped, leading province/city/district names dropped, "번지" and "제" dropped, and words
// split where letters meet digits, so "서울특별시 한빛구 느티로12, 제301호 (느티동)" and
// "느티로 12 301호" both become "느티로 12 301 호". Empty when nothing is left.
std::string normalize_address(std::string_view address);

// A name for matching: spaces removed, full-width and ASCII letters folded to lower case.
std::string normalize_name(std::string_view name);

// A Korean mobile or landline number as digits ("02-123-4567" -> "021234567",
// "+82 10-1234-5678" -> "01012345678"); empty when it is neither.
std::string normalize_any_phone(std::string_view phone);

// The dong an address names, e.g. "(느티동)" or "가람제1동 12-3"; 0 when it names none or
// several different ones.
long long infer_dong(std::string_view address, const std::vector<identity::Dong>& dongs);

// The dong a CSV cell or chat answer means: its id, code, Korean or English name; 0 if none.
long long resolve_dong(std::string_view text, const std::vector<identity::Dong>& dongs);

}  // namespace dure::outreach
