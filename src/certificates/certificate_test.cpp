#include "certificates/certificate.hpp"

#include <gtest/gtest.h>

namespace dure::certificates {

TEST(Certificates, NumberAndCodeFormats) {
    EXPECT_EQ(certificate_number(123, 2026), "DURE-2026-000123");
    std::string bytes(10, '\0');
    for (int i = 0; i < 10; ++i) bytes[i] = static_cast<char>(i + 31);  // index i of the alphabet
    EXPECT_EQ(format_code(bytes), "23456-789AB");
    auto code = format_code(std::string("\xff\xfe\x80\x7f\x00\x01\x02\x03\x04\x05", 10));
    EXPECT_EQ(code.size(), 11u);
    for (char c : code) EXPECT_EQ(std::string("0O1IL").find(c), std::string::npos) << code;
}

TEST(Certificates, CodesMatchAsPeopleTypeThem) {
    EXPECT_TRUE(codes_match("AB3CD-EF4GH", "ab3cd ef4gh"));
    EXPECT_TRUE(codes_match("AB3CD-EF4GH", "AB3CDEF4GH"));
    EXPECT_FALSE(codes_match("AB3CD-EF4GH", "AB3CD-EF4GJ"));
    EXPECT_FALSE(codes_match("AB3CD-EF4GH", ""));
    EXPECT_FALSE(codes_match("", ""));
}

}  // namespace dure::certificates
