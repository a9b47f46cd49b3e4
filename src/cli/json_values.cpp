// ISO 8601 instants and durations for the CLI's JSON, and values to and from JSON.
#include "json_values.hpp"

#include <careflow/runtime/journal.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace careflow::cli {

namespace {

// Exactly `len` digits at `at`.
bool digits(std::string_view s, std::size_t at, std::size_t len, int& v) {
    if (at + len > s.size()) return false;
    for (std::size_t i = at; i < at + len; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return std::from_chars(s.data() + at, s.data() + at + len, v).ec == std::errc();
}

} // namespace

bool parse_instant(std::string_view s, time_point& out) {
    // YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH[:MM]|±HHMM)
    int y, mo, d, h, mi, sec;
    if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, h) || s[13] != ':' ||
        !digits(s, 14, 2, mi) || s[16] != ':' || !digits(s, 17, 2, sec))
        return false;
    if (h > 23 || mi > 59 || sec > 59 || y < 1400) return false;
    std::size_t at = 19;
    std::int64_t micros = 0;
    if (at < s.size() && s[at] == '.') {
        std::size_t n = 0;
        for (++at; at < s.size() && s[at] >= '0' && s[at] <= '9'; ++at, ++n)
            if (n < 6) micros = micros * 10 + (s[at] - '0');
        if (n == 0 || n > 9) return false;
        for (; n < 6; ++n) micros *= 10;
    }
    if (at >= s.size()) return false; // an offset is required
    int offset_minutes = 0;
    if (s[at] == 'Z' || s[at] == 'z') {
        ++at;
    } else if (s[at] == '+' || s[at] == '-') {
        const int sign = s[at] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!digits(s, at + 1, 2, oh)) return false;
        at += 3;
        if (at < s.size() && s[at] == ':') ++at;
        if (at < s.size()) {
            if (!digits(s, at, 2, om)) return false;
            at += 2;
        }
        if (oh > 23 || om > 59) return false;
        offset_minutes = sign * (oh * 60 + om);
    } else {
        return false;
    }
    if (at != s.size()) return false;
    try {
        const boost::gregorian::date day(static_cast<unsigned short>(y), static_cast<unsigned short>(mo),
                                         static_cast<unsigned short>(d));
        out = time_point(day, boost::posix_time::hours(h) + boost::posix_time::minutes(mi) +
                                  boost::posix_time::seconds(sec) + boost::posix_time::microseconds(micros)) -
              boost::posix_time::minutes(offset_minutes);
        return !out.is_special();
    } catch (const std::exception&) {
        return false;
    }
}

bool parse_duration(std::string_view s, duration& out) {
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) negative = s[0] == '-', s.remove_prefix(1);
    if (s.size() < 3 || s[0] != 'P') return false;
    s.remove_prefix(1);
    constexpr std::int64_t second = 1'000'000, limit = std::int64_t{100} * 366 * 86400 * second; // 100 years
    std::int64_t total = 0;
    bool time_part = false, any = false;
    const std::string_view date_units = "WD", time_units = "HMS";
    std::size_t last_unit = std::string_view::npos; // units in order, each at most once
    while (!s.empty()) {
        if (s[0] == 'T') {
            if (time_part) return false;
            time_part = true;
            last_unit = std::string_view::npos;
            s.remove_prefix(1);
            if (s.empty()) return false;
            continue;
        }
        std::size_t n = 0;
        std::int64_t whole = 0, frac = 0, frac_scale = 1;
        while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
            if (whole > limit / 10) return false;
            whole = whole * 10 + (s[n++] - '0');
        }
        if (n == 0) return false;
        if (n < s.size() && (s[n] == '.' || s[n] == ',')) {
            const std::size_t begin = ++n;
            while (n < s.size() && s[n] >= '0' && s[n] <= '9') {
                if (frac_scale < second) frac = frac * 10 + (s[n] - '0'), frac_scale *= 10;
                ++n;
            }
            if (n == begin) return false;
        }
        if (n >= s.size()) return false;
        const std::string_view units = time_part ? time_units : date_units;
        const std::size_t u = units.find(s[n]);
        if (u == std::string_view::npos || (last_unit != std::string_view::npos && u <= last_unit)) return false;
        last_unit = u;
        const std::int64_t scale = time_part ? (u == 0   ? 3600
                                                : u == 1 ? 60
                                                         : 1) *
                                                   second
                                             : (u == 0 ? 7 * 86400 : 86400) * second;
        if (frac_scale > 1 && !(time_part && u == 2)) return false; // fractions of seconds only
        if (whole > limit / scale) return false;
        total += whole * scale + frac * (second / frac_scale);
        if (total > limit) return false;
        any = true;
        s.remove_prefix(n + 1);
    }
    if (!any) return false;
    out = boost::posix_time::microseconds(negative ? -total : total);
    return true;
}

std::string format_instant(time_point t, duration offset) {
    const time_point local = t + offset;
    const auto day = local.date();
    const auto tod = local.time_of_day();
    std::string out =
        fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(day.year()), static_cast<int>(day.month()),
                    static_cast<int>(day.day()), tod.hours(), tod.minutes(), tod.seconds());
    if (const std::int64_t f = tod.fractional_seconds()) {
        std::string frac = fmt::format("{:06}", f);
        while (frac.back() == '0') frac.pop_back();
        out += "." + frac;
    }
    std::int64_t s = offset.total_seconds();
    out += s < 0 ? '-' : '+';
    if (s < 0) s = -s;
    out += fmt::format("{:02}:{:02}", s / 3600, s / 60 % 60);
    if (s % 60) out += fmt::format(":{:02}", s % 60);
    return out;
}

std::string format_duration(duration d) {
    std::int64_t us = d.total_microseconds();
    std::string out = us < 0 ? "-PT" : "PT";
    if (us < 0) us = -us;
    const std::int64_t h = us / 3'600'000'000, m = us / 60'000'000 % 60, s = us / 1'000'000 % 60, f = us % 1'000'000;
    if (h) out += fmt::format("{}H", h);
    if (m) out += fmt::format("{}M", m);
    if (s || f || (!h && !m)) {
        out += std::to_string(s);
        if (f) {
            std::string frac = fmt::format("{:06}", f);
            while (frac.back() == '0') frac.pop_back();
            out += "." + frac;
        }
        out += "S";
    }
    return out;
}

value to_value(const json& j, std::optional<value_type> declared) {
    switch (j.type()) {
    case json::value_t::boolean: return value(j.get<bool>());
    case json::value_t::number_integer: return value(j.get<std::int64_t>());
    case json::value_t::number_unsigned: {
        const auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw std::invalid_argument("the integer " + std::to_string(u) + " is too large");
        return value(static_cast<std::int64_t>(u));
    }
    case json::value_t::number_float: return value(j.get<double>());
    case json::value_t::string: {
        const auto& s = j.get_ref<const std::string&>();
        if (declared == value_type::time) {
            time_point t;
            if (parse_instant(s, t)) return value(t);
        } else if (declared == value_type::duration) {
            duration d;
            if (parse_duration(s, d)) return value(d);
        } else if (declared == value_type::enumeration) {
            return value(symbol{s});
        }
        return value(s);
    }
    default:
        throw std::invalid_argument("a value must be a number, a boolean or a string, not " +
                                    std::string(j.type_name()));
    }
}

json to_json(const value& v) {
    return std::visit(
        [](const auto& x) -> json {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>)
                return nullptr;
            else if constexpr (std::is_same_v<T, time_point>)
                return x.is_special() ? json(nullptr) : json(format_time(to_ticks(x)));
            else if constexpr (std::is_same_v<T, duration>)
                return x.is_special() ? json(nullptr) : json(format_duration(x));
            else if constexpr (std::is_same_v<T, symbol>)
                return x.name;
            else if constexpr (std::is_same_v<T, double>)
                return std::isfinite(x) ? json(x) : json(nullptr);
            else
                return x;
        },
        v.get());
}

} // namespace careflow::cli
