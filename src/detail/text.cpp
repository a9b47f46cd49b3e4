// Percent-encoding and decoding for the text formats (journal, snapshots).
#include "text.hpp"

#include <charconv>

namespace careflow::detail {

std::string percent_encode(std::string_view s, std::string_view special) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '%' || special.find(c) != std::string_view::npos) {
            out += '%';
            out += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
            out += hex[static_cast<unsigned char>(c) & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

bool percent_decode(std::string_view s, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return false;
        int v = 0;
        const auto r = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
        if (r.ec != std::errc() || r.ptr != s.data() + i + 3) return false;
        out += static_cast<char>(v);
        i += 2;
    }
    return true;
}

} // namespace careflow::detail
