// QR posters: the symbol libqrencode makes for a gift link has the structure of ISO/IEC 18004 —
// width 17 + 4 × version, three finder patterns, alternating timing patterns, the dark module,
// and format information that decodes (BCH) to error-correction level M — and the SVG draws
// exactly the dark modules. Deterministic: the same link always gives the same symbol.
#include "giving/qr.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace dure::giving {
namespace {

bool finder_at(const QrSymbol& q, int x0, int y0) {
    for (int y = 0; y < 7; ++y)
        for (int x = 0; x < 7; ++x) {
            bool ring = x == 0 || x == 6 || y == 0 || y == 6;
            bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
            if (q.at(x0 + x, y0 + y) != (ring || core)) return false;
        }
    return true;
}

// The 15 format bits around the top-left finder (ISO/IEC 18004 §7.9), unmasked with 0x5412.
int format_bits(const QrSymbol& q) {
    int bits = 0;
    auto push = [&](int x, int y) { bits = (bits << 1) | (q.at(x, y) ? 1 : 0); };
    for (int x = 0; x <= 5; ++x) push(x, 8);
    push(7, 8);
    push(8, 8);
    push(8, 7);
    for (int y = 5; y >= 0; --y) push(8, y);
    return bits ^ 0x5412;
}

int bch_check(int v) {  // the remainder of v · x^10 / G(x), G = 0x537
    int r = v << 10;
    for (int i = 14; i >= 10; --i)
        if (r & (1 << i)) r ^= 0x537 << (i - 10);
    return r;
}

TEST(GivingQr, LinkCarriesCampaignAndDong) {
    EXPECT_EQ(gift_link("https://seoul.chest.or.kr", "2023-hope-ondol", ""), "https://seoul.chest.or.kr?campaign=2023-hope-ondol");
    EXPECT_EQ(gift_link("https://x.kr/give?a=1", "c-1", "11215710"), "https://x.kr/give?a=1&campaign=c-1&dong=11215710");
}

TEST(GivingQr, SymbolHasTheStandardStructure) {
    auto q = qr_encode(gift_link("https://seoul.chest.or.kr", "2023-hope-ondol", "11215710"));
    ASSERT_GE(q.version, 1);
    ASSERT_LE(q.version, 40);
    EXPECT_EQ(q.width, 17 + 4 * q.version);
    EXPECT_EQ(q.dark.size(), static_cast<std::size_t>(q.width * q.width));
    EXPECT_TRUE(finder_at(q, 0, 0));
    EXPECT_TRUE(finder_at(q, q.width - 7, 0));
    EXPECT_TRUE(finder_at(q, 0, q.width - 7));
    for (int i = 8; i < q.width - 8; ++i) {
        EXPECT_EQ(q.at(i, 6), i % 2 == 0) << "timing row at " << i;
        EXPECT_EQ(q.at(6, i), i % 2 == 0) << "timing column at " << i;
    }
    EXPECT_TRUE(q.at(8, 4 * q.version + 9));  // the dark module
    int f = format_bits(q);
    EXPECT_EQ(bch_check(f >> 10), f & 0x3ff) << "format information is a valid BCH code word";
    EXPECT_EQ((f >> 13) & 3, 0) << "error-correction level M (bits 00)";
    // Deterministic: the same link gives the same symbol.
    auto again = qr_encode(gift_link("https://seoul.chest.or.kr", "2023-hope-ondol", "11215710"));
    EXPECT_EQ(again.dark, q.dark);
    // A longer link needs a larger version.
    auto longer = qr_encode(gift_link("https://seoul.chest.or.kr/campaigns/winter/give", "2023-hope-ondol-extra-long", "11215710"));
    EXPECT_GT(longer.version, q.version);
}

TEST(GivingQr, SvgDrawsExactlyTheDarkModules) {
    auto q = qr_encode("https://seoul.chest.or.kr?campaign=abc");
    auto svg = qr_svg(q, "QR <abc> & \"x\"");
    int size = q.width + 8;
    EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(size) + " " + std::to_string(size) + "\""), std::string::npos);
    EXPECT_NE(svg.find("<title>QR &lt;abc&gt; &amp; &quot;x&quot;</title>"), std::string::npos);
    long dark = 0;
    for (bool b : q.dark) dark += b;
    std::regex square("M(\\d+) (\\d+)h1v1h-1z");
    long drawn = 0;
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), square); it != std::sregex_iterator(); ++it) {
        int x = std::stoi((*it)[1]) - 4, y = std::stoi((*it)[2]) - 4;
        ASSERT_TRUE(x >= 0 && y >= 0 && x < q.width && y < q.width);
        EXPECT_TRUE(q.at(x, y));
        ++drawn;
    }
    EXPECT_EQ(drawn, dark);
}

TEST(GivingQr, TooLongTextIsRefused) { EXPECT_THROW(qr_encode(std::string(3000, 'a')), std::runtime_error); }

}  // namespace
}  // namespace dure::giving
