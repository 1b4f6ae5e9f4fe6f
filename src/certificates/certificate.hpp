#pragma once
// Certificates (증명서) as one small shared piece (docs/certificates.md): any module issues one
// for something a person did (an academy course completed, volunteer hours) and anyone can check
// it with its number and verification code on a public page that shows minimal data (the kind,
// the title, the issuer, the masked holder, the date, whether it was revoked). Pure parts here;
// the store is store.hpp.
#include <string>

namespace dure::certificates {

// "DURE-2026-000123": the issuing year (Korea) and the certificate's id.
std::string certificate_number(long long id, int year);

// A verification code from 10 random bytes: 10 characters of an alphabet without look-alikes
// (no 0/O, 1/I/L), written XXXXX-XXXXX.
std::string format_code(const std::string& random_bytes);

// The code as a person types it: upper case, without spaces and dashes.
std::string normalize_code(const std::string& typed);

// Compares two codes (normalized) in time independent of where they differ.
bool codes_match(const std::string& stored, const std::string& typed);

}  // namespace dure::certificates
