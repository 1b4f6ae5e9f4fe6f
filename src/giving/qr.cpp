#include "giving/qr.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace dure::giving {

QrSymbol qr_encode(const std::string& text) {
    // version 0: the smallest that fits; case-sensitive 8-bit data.
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M),
                                                    QRcode_free);
    if (!code) throw std::runtime_error("the text does not fit a QR code");
    QrSymbol q;
    q.version = code->version;
    q.width = code->width;
    q.dark.resize(static_cast<std::size_t>(q.width) * q.width);
    for (std::size_t i = 0; i < q.dark.size(); ++i) q.dark[i] = (code->data[i] & 1) != 0;
    return q;
}

namespace {
std::string xml_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}
}  // namespace

std::string qr_svg(const QrSymbol& q, std::string_view title) {
    const int quiet = 4, size = q.width + 2 * quiet;
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                    std::to_string(size) + "\" width=\"" + std::to_string(size * 8) + "\" height=\"" +
                    std::to_string(size * 8) + "\" shape-rendering=\"crispEdges\" role=\"img\">";
    s += "<title>" + xml_escape(title) + "</title>";
    s += "<rect width=\"" + std::to_string(size) + "\" height=\"" + std::to_string(size) + "\" fill=\"#fff\"/>";
    s += "<path fill=\"#000\" d=\"";
    for (int y = 0; y < q.width; ++y)
        for (int x = 0; x < q.width; ++x)
            if (q.at(x, y)) s += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    s += "\"/></svg>";
    return s;
}

std::string gift_link(const std::string& collector_url, const std::string& campaign_code, const std::string& dong_code) {
    std::string url = collector_url;
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "campaign=" + campaign_code;
    if (!dong_code.empty()) url += "&dong=" + dong_code;
    return url;
}

}  // namespace dure::giving
