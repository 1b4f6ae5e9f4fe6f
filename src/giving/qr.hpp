#pragma once
// QR codes for gift posters (docs/giving.md "QR codes"): the link opens the collector's own page
// with the campaign code (and the dong), so the gift is made — and received — by the collector,
// never by dure. Encoding by libqrencode (Debian libqrencode-dev); no database, no network.
#include <string>
#include <string_view>
#include <vector>

namespace dure::giving {

// A QR symbol: width × width modules, row-major, true = dark. width = 17 + 4 × version.
struct QrSymbol {
    int version = 0;
    int width = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * width + x]; }
};

// Encodes `text` (8-bit mode, error correction level M: 15 % of the symbol may be damaged, enough
// for a printed poster). Throws std::runtime_error when the text does not fit a QR code.
QrSymbol qr_encode(const std::string& text);

// An SVG of the symbol with a 4-module quiet zone, one path of unit squares (crisp when printed at
// any size), and a <title> for screen readers.
std::string qr_svg(const QrSymbol& q, std::string_view title);

// The link a poster carries: the collector's page with `campaign=<code>` and, for a dong's
// poster, `dong=<dong code>` appended as query parameters (codes are a-z, 0-9, '-': no escaping).
std::string gift_link(const std::string& collector_url, const std::string& campaign_code, const std::string& dong_code);

}  // namespace dure::giving
