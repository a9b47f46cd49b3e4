// Journal entries: conversion from the engine's compact records, and the text format.
#include "engine_impl.hpp"

#include "../detail/cells.hpp"
#include "../detail/text.hpp"

#include <careflow/error.hpp>
#include <careflow/program/context.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>
#include <fmt/format.h>

#include <charconv>
#include <istream>
#include <ostream>

namespace careflow {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t from = 0;
    for (std::size_t i = 0; i <= s.size(); ++i)
        if (i == s.size() || s[i] == sep) {
            out.push_back(s.substr(from, i - from));
            from = i + 1;
        }
    return out;
}

} // namespace

std::string_view to_string(record_kind k) noexcept {
    switch (k) {
    case record_kind::start: return "start";
    case record_kind::dispatch: return "dispatch";
    case record_kind::fire: return "fire";
    case record_kind::assign: return "assign";
    case record_kind::advance: return "advance";
    case record_kind::sla: return "sla";
    case record_kind::notify: return "notify";
    case record_kind::spawn: return "spawn";
    case record_kind::finish: return "finish";
    case record_kind::erase: return "erase";
    case record_kind::read: return "read";
    case record_kind::consent: return "consent";
    }
    return "?";
}

value journal_entry::get(std::string_view name) const {
    for (const auto& [n, v] : values)
        if (n == name) return v;
    return {};
}

std::string format_time(ticks t) {
    // The engine's own entries are at input times, always in range; an entry a host made
    // may not be.
    if (t < first_ticks || t > last_ticks)
        throw error("careflow.journal.bad_value",
                    "an entry's time (" + std::to_string(t) + " µs from 1970) is outside the years 1400 to 9999");
    const time_point p = to_time_point(t);
    const auto d = p.date();
    const auto tod = p.time_of_day();
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", static_cast<int>(d.year()),
                       static_cast<int>(d.month()), static_cast<int>(d.day()), tod.hours(), tod.minutes(),
                       tod.seconds(), tod.fractional_seconds());
}

bool parse_time(std::string_view s, ticks& out) noexcept {
    // YYYY-MM-DDTHH:MM:SS.ffffffZ
    if (s.size() != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
        s[26] != 'Z')
        return false;
    auto num = [&](std::size_t at, std::size_t len, int& v) {
        const auto r = std::from_chars(s.data() + at, s.data() + at + len, v);
        return r.ec == std::errc() && r.ptr == s.data() + at + len;
    };
    int y, mo, d, h, mi, sec, us;
    if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, sec) ||
        !num(20, 6, us))
        return false;
    if (h > 23 || mi > 59 || sec > 59) return false;
    try {
        const boost::gregorian::date day(static_cast<unsigned short>(y), static_cast<unsigned short>(mo),
                                         static_cast<unsigned short>(d));
        out = to_ticks(time_point(day, boost::posix_time::hours(h) + boost::posix_time::minutes(mi) +
                                           boost::posix_time::seconds(sec) + boost::posix_time::microseconds(us)));
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

namespace detail {

journal_entry engine_impl::entry(const record& r) const {
    journal_entry e;
    e.time = r.time;
    e.kind = r.kind;
    e.result = r.result;
    e.id = r.id;
    e.other = r.other;
    e.code = std::string(code_of(r.code));
    const program* p = r.prog == 0xFFFF ? nullptr : programs[r.prog].p.get();
    if (p) e.procedure = p->qualified_name();
    if (r.actor != none32) {
        if (r.kind == record_kind::sla) {
            e.actor = people[r.actor];
        } else {
            e.actor = people[actors[r.actor].person];
            e.roles = actors[r.actor].roles;
        }
    }
    if (p && r.from != no_index) e.from = p->states()[r.from].path;
    if (p && r.to != no_index) e.to = p->states()[r.to].path;
    if (r.text) e.detail = journal_texts[payloads[r.text - 1].texts];
    if (r.client) e.client = journal_texts[payloads[r.client - 1].texts];
    if (p) {
        switch (r.kind) {
        case record_kind::dispatch:
        case record_kind::fire:
            if (r.index != 0xFFFF) e.event = p->events()[r.index].name;
            e.reentered = r.sub == 1;
            break;
        case record_kind::assign:
            if (r.index != 0xFFFF) e.event = p->duties()[r.index];
            break;
        case record_kind::sla: {
            e.event = p->slas()[r.index].name;
            const auto what = static_cast<sla_event>(r.sub);
            e.detail = std::string(to_string(what));
            e.values.emplace_back("elapsed", to_duration(r.value));
            if (what == sla_event::warning)
                e.values.emplace_back("fraction", static_cast<double>(r.value2) / 1e6);
            else
                e.values.emplace_back("goal", to_duration(r.value2));
            break;
        }
        case record_kind::notify: {
            const program_action& a = p->actions()[r.index];
            e.event = a.name;
            e.detail = a.text;
            break;
        }
        case record_kind::spawn: e.event = programs[r.index].p->name(); break;

        default: break;
        }
    }
    if (r.kind == record_kind::erase && r.sub == 1) e.event = "client"; // engine::erase_client
    if (r.kind == record_kind::consent && r.index != 0xFFFF) {
        e.event = consent_topics[r.index];
        e.values.emplace_back("granted", value(r.sub == 1));
        if (r.value != no_time) e.values.emplace_back("until", value(to_time_point(r.value)));
    }
    if (r.kind == record_kind::read) {
        // The text is "shown,items|refused,items": each personal item, true when shown.
        if (r.sub == 1) e.event = "export";
        if (r.sub == 2) e.event = "history";
        if (r.sub == 3) e.event = "snapshot";
        if (r.text && r.given == 0) {
            const std::string& text = journal_texts[payloads[r.text - 1].texts];
            e.detail.clear();
            const auto bar = text.find('|');
            auto list = [&](std::string_view names, bool shown) {
                for (const auto n : split(names, ','))
                    if (!n.empty()) e.values.emplace_back(std::string(n), value(shown));
            };
            list(std::string_view(text).substr(0, bar), true);
            if (bar != std::string::npos) list(std::string_view(text).substr(bar + 1), false);
            if (r.code != reason::none) {
                std::string names;
                for (const auto& [n, v] : e.values)
                    if (!std::get<bool>(v.get())) names += (names.empty() ? "'" : ", '") + n + "'";
                e.detail = "may not read " + names;
            }
        }
    }
    if (r.payload && p) {
        const stored_payload& sp = payloads[r.payload - 1];
        // The cells may straddle two journal blocks: gather them first.
        auto gather = [&](std::size_t n) {
            std::vector<cell> cells(n);
            for (std::size_t i = 0; i < n; ++i) cells[i] = journal_cells[sp.cells + i];
            return cells;
        };
        if (sp.variables) {
            const std::span<const std::string> texts(journal_texts.data() + sp.texts, p->text_count());
            const auto cells = gather(p->variables().size());
            for (std::size_t i = 0; i < p->variables().size(); ++i)
                e.values.emplace_back(p->variables()[i].name, read_variable(p->variables()[i], cells, texts, i));
        } else if (r.index != 0xFFFF) {
            const auto& ev = p->events()[r.index];
            const std::span<const std::string> texts(journal_texts.data() + sp.texts, ev.payload_texts);
            const auto cells = gather(ev.payload.size());
            for (std::size_t i = 0; i < ev.payload.size(); ++i)
                e.values.emplace_back(ev.payload[i].name, read_field(ev.payload, i, cells, texts));
        }
    }
    if (r.kind == record_kind::fire && p && r.value > 0) {
        // Which timer fired: a state timer by name, or the SLA clock whose threshold sent the event.
        const auto slot = static_cast<std::size_t>(r.value - 1);
        if (slot < p->timers().size())
            e.values.emplace_back("timer", value(p->timers()[slot].name));
        else if (slot - p->timers().size() < p->slas().size())
            e.values.emplace_back("sla", value(p->slas()[slot - p->timers().size()].name));
    }
    if (r.given) {
        // A rejected input: its names and values as the host gave them.
        const given_input& g = givens[r.given - 1];
        if (!p && !g.procedure.empty()) e.procedure = g.procedure;
        if (e.event.empty()) e.event = g.event;
        if (e.values.empty()) e.values = g.values;
    }
    return e;
}

result engine_impl::reject(record in, reason code, std::string detail, given_input given) {
    if (code == reason::bad_time) in.time = clock == no_time ? 0 : clock; // the instant given has no ticks
    in.result = outcome::error;
    in.code = code;
    in.text = store_text(detail);
    if (options.journal && (!given.procedure.empty() || !given.event.empty() || !given.values.empty()))
        in.given = store_given(std::move(given));
    log(in);
    return failed(code, std::move(detail));
}

std::uint32_t engine_impl::store_payload(std::span<const cell> cells, std::span<const std::string> texts,
                                         bool variables) {
    if (!options.journal || (cells.empty() && !variables)) return 0;
    stored_payload sp;
    sp.cells = static_cast<std::uint32_t>(journal_cells.size());
    sp.texts = static_cast<std::uint32_t>(journal_texts.size());
    sp.variables = variables;
    for (const cell& c : cells) journal_cells.push_back(c);
    journal_texts.insert(journal_texts.end(), texts.begin(), texts.end());
    payloads.push_back(sp);
    return static_cast<std::uint32_t>(payloads.size());
}

std::uint32_t engine_impl::store_text(std::string s) {
    if (!options.journal || s.empty()) return 0;
    journal_texts.push_back(std::move(s));
    payloads.push_back({0, static_cast<std::uint32_t>(journal_texts.size() - 1), false});
    return static_cast<std::uint32_t>(payloads.size());
}

std::uint32_t engine_impl::store_given(given_input g) {
    givens.push_back(std::move(g));
    return static_cast<std::uint32_t>(givens.size());
}

} // namespace detail

// ---- text format ------------------------------------------------------------

namespace {

constexpr std::string_view journal_header = "careflow-journal 1";

std::string escape(std::string_view s) { return detail::percent_encode(s, "\t\n\r;=,"); }
bool unescape(std::string_view s, std::string& out) { return detail::percent_decode(s, out); }

} // namespace

namespace detail {

std::string encode_value(const value& v) {
    struct visitor {
        std::string operator()(std::monostate) const { return "-"; }
        std::string operator()(bool b) const { return b ? "b:true" : "b:false"; }
        std::string operator()(std::int64_t i) const { return "i:" + std::to_string(i); }
        std::string operator()(double r) const { return fmt::format("r:{:.17g}", r); }
        std::string operator()(const std::string& s) const { return "s:" + escape(s); }
        std::string operator()(const time_point& t) const { return "t:" + std::to_string(to_ticks(t)); }
        std::string operator()(const duration& d) const { return "d:" + std::to_string(to_ticks(d)); }
        std::string operator()(const symbol& s) const { return "e:" + escape(s.name); }
    };
    return std::visit(visitor{}, v.get());
}

bool decode_value(std::string_view s, value& out) {
    if (s == "-") {
        out = value();
        return true;
    }
    if (s.size() < 2 || s[1] != ':') return false;
    const std::string_view body = s.substr(2);
    auto integer = [&](std::int64_t& i) {
        const auto r = std::from_chars(body.data(), body.data() + body.size(), i);
        return r.ec == std::errc() && r.ptr == body.data() + body.size();
    };
    std::int64_t i = 0;
    std::string text;
    switch (s[0]) {
    case 'b':
        if (body != "true" && body != "false") return false;
        out = value(body == "true");
        return true;
    case 'i':
        if (!integer(i)) return false;
        out = value(i);
        return true;
    case 'r': {
        try {
            std::size_t used = 0;
            const double d = std::stod(std::string(body), &used);
            if (used != body.size()) return false;
            out = value(d);
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }
    case 's':
        if (!unescape(body, text)) return false;
        out = value(std::move(text));
        return true;
    case 't':
        if (!integer(i)) return false;
        out = value(to_time_point(i));
        return true;
    case 'd':
        if (!integer(i)) return false;
        out = value(to_duration(i));
        return true;
    case 'e':
        if (!unescape(body, text)) return false;
        out = value(symbol{std::move(text)});
        return true;
    default: return false;
    }
}

} // namespace detail

using detail::decode_value;
using detail::encode_value;

void write_journal(std::ostream& out, std::span<const journal_entry> entries, bool header) {
    if (header) out << journal_header << '\n';
    for (const auto& e : entries) {
        std::string roles;
        // An empty role is written as a lone % (which escaping never produces).
        for (std::size_t i = 0; i < e.roles.size(); ++i)
            roles += (i ? "," : "") + (e.roles[i].empty() ? std::string("%") : escape(e.roles[i]));
        std::string values;
        for (std::size_t i = 0; i < e.values.size(); ++i)
            values += (i ? ";" : "") + escape(e.values[i].first) + "=" + encode_value(e.values[i].second);
        out << format_time(e.time) << '\t' << to_string(e.kind) << '\t' << to_string(e.result) << '\t' << e.id << '\t'
            << escape(e.procedure) << '\t' << escape(e.event) << '\t' << escape(e.actor) << '\t' << roles << '\t'
            << escape(e.from) << '\t' << escape(e.to) << '\t' << e.other << '\t' << e.code << '\t' << escape(e.detail)
            << '\t' << values << (e.reentered ? "\tr" : "");
        if (!e.client.empty()) out << "\tc:" << escape(e.client);
        out << '\n';
    }
}

std::vector<journal_entry> read_journal(std::istream& in) {
    std::string line;
    if (!std::getline(in, line) || line != journal_header)
        throw error("careflow.journal.bad_header", "expected '" + std::string(journal_header) + "' on line 1");
    std::vector<journal_entry> out;
    std::size_t number = 1;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line == journal_header) continue; // appended chunks repeat the header
        auto bad = [&](const std::string& why) {
            return error("careflow.journal.bad_line", "line " + std::to_string(number) + ": " + why);
        };
        const auto f = split(line, '\t');
        if (f.size() < 14 || f.size() > 16)
            throw bad("expected 14 to 16 tab-separated fields, found " + std::to_string(f.size()));
        journal_entry e;
        // After the values: 'r' (re-entered) and then 'c:<client>', each only when set.
        std::size_t extra = 14;
        if (extra < f.size() && f[extra] == "r") e.reentered = true, ++extra;
        if (extra < f.size() && f[extra].starts_with("c:") && f[extra].size() > 2) {
            if (!unescape(f[extra].substr(2), e.client)) throw bad("bad escape in '" + std::string(f[extra]) + "'");
            ++extra;
        }
        if (extra != f.size()) throw bad("unknown flags '" + std::string(f[extra]) + "'");
        if (!parse_time(f[0], e.time)) throw bad("bad time '" + std::string(f[0]) + "'");
        bool kind_ok = false;
        for (auto k : {record_kind::start, record_kind::dispatch, record_kind::fire, record_kind::assign,
                       record_kind::advance, record_kind::sla, record_kind::notify, record_kind::spawn,
                       record_kind::finish, record_kind::erase, record_kind::read, record_kind::consent})
            if (to_string(k) == f[1]) e.kind = k, kind_ok = true;
        if (!kind_ok) throw bad("unknown kind '" + std::string(f[1]) + "'");
        bool result_ok = false;
        for (auto o : {outcome::applied, outcome::ignored, outcome::refused, outcome::error})
            if (to_string(o) == f[2]) e.result = o, result_ok = true;
        if (!result_ok) throw bad("unknown outcome '" + std::string(f[2]) + "'");
        auto id = [&](std::string_view s, case_id& v) {
            const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
            if (r.ec != std::errc() || r.ptr != s.data() + s.size()) throw bad("bad case id '" + std::string(s) + "'");
        };
        id(f[3], e.id);
        id(f[10], e.other);
        auto text = [&](std::string_view s, std::string& v) {
            if (!unescape(s, v)) throw bad("bad escape in '" + std::string(s) + "'");
        };
        text(f[4], e.procedure);
        text(f[5], e.event);
        text(f[6], e.actor);
        if (!f[7].empty())
            for (auto r : split(f[7], ',')) {
                std::string role;
                if (r != "%") text(r, role);
                e.roles.push_back(std::move(role));
            }
        text(f[8], e.from);
        text(f[9], e.to);
        e.code = std::string(f[11]);
        text(f[12], e.detail);
        if (!f[13].empty())
            for (auto pair : split(f[13], ';')) {
                const auto eq = pair.find('=');
                if (eq == std::string_view::npos) throw bad("value without '=' in '" + std::string(pair) + "'");
                std::string name;
                text(pair.substr(0, eq), name);
                value v;
                if (!decode_value(pair.substr(eq + 1), v)) throw bad("bad value '" + std::string(pair) + "'");
                e.values.emplace_back(std::move(name), std::move(v));
            }
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace careflow
