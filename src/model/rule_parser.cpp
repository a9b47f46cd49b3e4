// parse_rule: the rule language's lexer and recursive-descent parser (grammar in docs/rules.md).
#include "../detail/rule_syntax.hpp"
#include <careflow/model/rule_text.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>

namespace careflow {

rule_error::rule_error(std::string_view id, std::size_t line, std::size_t column, std::string_view message,
                       std::string_view expected)
    : error(id, fmt::format("{}:{}: {}", line, column, message)), line_(line), column_(column), expected_(expected),
      detail_(message) {}

namespace {

enum class tok : std::uint8_t {
    end,
    integer,  // magnitude in `u`
    real,     // `r`
    duration, // ticks in `i`
    string,   // `text`
    name,     // identifier in `text`
    symbol,   // #name
    field,    // $name
    op        // punctuation in `text`
};

struct token {
    tok kind = tok::end;
    std::size_t at = 0; // byte offset
    std::string text;
    std::uint64_t u = 0;
    std::int64_t i = 0;
    double r = 0;
};

bool digit(char c) { return c >= '0' && c <= '9'; }
bool word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || digit(c); }

class parser {
public:
    explicit parser(std::string_view s) : s_(s) { next(); }

    expr parse() {
        expr e = disjunction(1).e;
        if (t_.kind != tok::end) fail_expected("an operator or the end of the rule");
        return e;
    }

private:
    // ---- errors -------------------------------------------------------------------------
    [[noreturn]] void fail_at(std::size_t at, std::string_view id, const std::string& message,
                              std::string_view expected = {}) const {
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < at && i < s_.size(); ++i) {
            const auto c = static_cast<unsigned char>(s_[i]);
            if (c == '\n') {
                ++line;
                column = 1;
            } else if ((c & 0xC0) != 0x80) {
                ++column;
            }
        }
        throw rule_error(id, line, column, message, expected);
    }
    std::string describe(const token& t) const {
        switch (t.kind) {
        case tok::end: return "the end of the rule";
        case tok::integer:
        case tok::real:
        case tok::duration: return "the number " + std::string(s_.substr(t.at, end_ - t.at));
        case tok::string: return "a string";
        case tok::name: return "'" + t.text + "'";
        case tok::symbol: return "the symbol #" + t.text;
        case tok::field: return "the field $" + t.text;
        case tok::op: return "'" + t.text + "'";
        }
        return "?";
    }
    [[noreturn]] void fail_expected(std::string_view what) const {
        fail_at(t_.at, "careflow.rules.syntax", fmt::format("expected {}, found {}", what, describe(t_)), what);
    }

    // ---- lexer --------------------------------------------------------------------------
    void next() {
        while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r')) ++p_;
        t_ = token{};
        t_.at = p_;
        if (p_ >= s_.size()) {
            end_ = p_;
            return;
        }
        const char c = s_[p_];
        if (digit(c)) {
            number();
        } else if (c == '"' || c == '\'') {
            string(c);
        } else if (word_char(c)) {
            const std::size_t b = p_;
            while (p_ < s_.size() && word_char(s_[p_])) ++p_;
            t_.kind = tok::name;
            t_.text = std::string(s_.substr(b, p_ - b));
        } else if (c == '#' || c == '$') {
            ++p_;
            const std::size_t b = p_;
            while (p_ < s_.size() && word_char(s_[p_])) ++p_;
            if (p_ == b || digit(s_[b]))
                fail_at(t_.at, "careflow.rules.syntax", std::string("expected a name after '") + c + "'", "a name");
            t_.kind = c == '#' ? tok::symbol : tok::field;
            t_.text = std::string(s_.substr(b, p_ - b));
        } else {
            static constexpr std::string_view ops[] = {"===", "!==", "||", "&&", "==", "!=", "<=", ">=", "<", ">", "+",
                                                       "-",   "*",   "/",  "%",  "!",  "(",  ")",  ",",  ".", "="};
            for (std::string_view o : ops) {
                if (s_.substr(p_, o.size()) == o) {
                    p_ += o.size();
                    t_.kind = tok::op;
                    t_.text = std::string(o == "===" ? "==" : o == "!==" ? "!=" : o);
                    if (o == "=")
                        fail_at(t_.at, "careflow.rules.syntax",
                                "expected '==': a rule compares values, it does not assign them", "'=='");
                    end_ = p_;
                    return;
                }
            }
            const auto u = static_cast<unsigned char>(c);
            fail_at(p_, "careflow.rules.syntax",
                    u >= 0x20 && u < 0x7f ? fmt::format("unexpected character '{}'", c)
                                          : fmt::format("unexpected byte 0x{:02x}", static_cast<unsigned>(u)),
                    "an operand or an operator");
        }
        end_ = p_;
    }

    // Digits, an optional fraction and exponent, and an optional duration unit (several
    // may follow each other: 1h30min).
    void number() {
        const std::size_t b = p_;
        auto digits = [&] {
            const std::size_t d = p_;
            while (p_ < s_.size() && digit(s_[p_])) ++p_;
            return s_.substr(d, p_ - d);
        };
        std::string_view whole = digits(), fraction;
        bool real = false;
        if (p_ + 1 < s_.size() && s_[p_] == '.' && digit(s_[p_ + 1])) {
            ++p_;
            fraction = digits();
            real = true;
        }
        bool exponent = false;
        if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
            std::size_t q = p_ + 1;
            if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
            if (q < s_.size() && digit(s_[q])) {
                p_ = q;
                digits();
                exponent = real = true;
            }
        }
        if (p_ < s_.size() && word_char(s_[p_]) && !exponent) {
            duration_literal(b, whole, fraction);
            return;
        }
        if (p_ < s_.size() && word_char(s_[p_]))
            fail_at(p_, "careflow.rules.bad_literal", "a number runs into a name", "an operator");
        if (real) {
            t_.kind = tok::real;
            t_.r = std::strtod(std::string(s_.substr(b, p_ - b)).c_str(), nullptr);
            return;
        }
        t_.kind = tok::integer;
        std::uint64_t v = 0;
        for (char d : whole) {
            if (__builtin_mul_overflow(v, 10U, &v) || __builtin_add_overflow(v, static_cast<unsigned>(d - '0'), &v) ||
                v > std::uint64_t{1} << 63)
                fail_at(b, "careflow.rules.bad_literal", "the integer " + std::string(whole) + " is out of range");
        }
        t_.u = v;
    }

    void duration_literal(std::size_t b, std::string_view whole, std::string_view fraction) {
        std::int64_t total = 0;
        for (;;) {
            const std::size_t u = p_;
            while (p_ < s_.size() && word_char(s_[p_]) && !digit(s_[p_])) ++p_;
            const std::string_view unit = s_.substr(u, p_ - u);
            std::int64_t scale = 0;
            if (unit == "w")
                scale = 7 * ticks_per_day;
            else if (unit == "d")
                scale = ticks_per_day;
            else if (unit == "h")
                scale = ticks_per_hour;
            else if (unit == "min")
                scale = ticks_per_minute;
            else if (unit == "s")
                scale = ticks_per_second;
            else if (unit == "ms")
                scale = 1000;
            else if (unit == "us")
                scale = 1;
            else
                fail_at(u, "careflow.rules.bad_literal",
                        "unknown duration unit '" + std::string(unit) + "' (w, d, h, min, s, ms, us)");
            // whole.fraction × scale, exactly.
            std::int64_t v = 0, num = 0, den = 1;
            bool overflow = false;
            for (char d : whole)
                overflow |= __builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d - '0', &v);
            overflow |= __builtin_mul_overflow(v, scale, &v);
            for (char d : fraction) {
                if (den >= 1'000'000'000'000LL) fail_at(b, "careflow.rules.bad_literal", "too many decimals");
                num = num * 10 + (d - '0');
                den *= 10;
            }
            std::int64_t part = 0;
            overflow |= __builtin_mul_overflow(num, scale, &part);
            if (!overflow && part % den != 0)
                fail_at(b, "careflow.rules.bad_literal", "a duration finer than a microsecond");
            overflow |= __builtin_add_overflow(v, part / den, &v) || __builtin_add_overflow(total, v, &total);
            if (overflow || total > 36'500 * ticks_per_day * 100)
                fail_at(b, "careflow.rules.bad_literal", "the duration is out of range");
            if (p_ >= s_.size() || !digit(s_[p_])) break;
            // Another part: 1h30min.
            const std::size_t d = p_;
            while (p_ < s_.size() && digit(s_[p_])) ++p_;
            whole = s_.substr(d, p_ - d);
            fraction = {};
            if (p_ >= s_.size() || !word_char(s_[p_]))
                fail_at(d, "careflow.rules.bad_literal", "a duration part without a unit");
        }
        t_.kind = tok::duration;
        t_.i = total;
    }

    void string(char quote) {
        ++p_;
        std::string out;
        for (;;) {
            if (p_ >= s_.size()) fail_at(t_.at, "careflow.rules.bad_literal", "a string is not closed");
            const char c = s_[p_++];
            if (c == quote) break;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (p_ >= s_.size()) fail_at(t_.at, "careflow.rules.bad_literal", "a string is not closed");
            const char e = s_[p_++];
            switch (e) {
            case '"':
            case '\'':
            case '\\': out += e; break;
            case 'n': out += '\n'; break;
            case 't': out += '\t'; break;
            case 'r': out += '\r'; break;
            case 'u': {
                unsigned cp = 0;
                for (int k = 0; k < 4; ++k) {
                    const char h = p_ < s_.size() ? s_[p_] : '\0';
                    const int v = digit(h)                 ? h - '0'
                                  : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                                  : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                                           : -1;
                    if (v < 0) fail_at(p_, "careflow.rules.bad_literal", "\\u needs four hex digits");
                    cp = cp * 16 + static_cast<unsigned>(v);
                    ++p_;
                }
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    fail_at(p_ - 6, "careflow.rules.bad_literal", "\\u names a surrogate, not a character");
                if (cp < 0x80) {
                    out += static_cast<char>(cp);
                } else if (cp < 0x800) {
                    out += static_cast<char>(0xC0 | (cp >> 6));
                    out += static_cast<char>(0x80 | (cp & 0x3F));
                } else {
                    out += static_cast<char>(0xE0 | (cp >> 12));
                    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                    out += static_cast<char>(0x80 | (cp & 0x3F));
                }
                break;
            }
            default: fail_at(p_ - 2, "careflow.rules.bad_literal", fmt::format("unknown escape '\\{}'", e));
            }
        }
        t_.kind = tok::string;
        t_.text = std::move(out);
    }

    // ---- grammar ------------------------------------------------------------------------
    bool at_op(std::string_view o) const { return t_.kind == tok::op && t_.text == o; }
    void expect(std::string_view o) {
        if (!at_op(o)) fail_expected("'" + std::string(o) + "'");
        next();
    }
    void deeper(std::size_t nest, std::size_t at) const {
        if (nest > max_rule_depth)
            fail_at(at, "careflow.rules.too_deep",
                    fmt::format("the rule nests deeper than {} operators", max_rule_depth));
    }

    // A subtree and its height: the tree a rule gives must stay shallow enough for the
    // recursive passes over it (type checking, compiling, rendering).
    struct node {
        expr e;
        std::size_t height = 1;
    };
    node join(expr_op op, node a, node b, std::size_t at) const {
        const std::size_t h = 1 + std::max(a.height, b.height);
        if (h > max_rule_depth)
            fail_at(at, "careflow.rules.too_deep",
                    fmt::format("the rule nests deeper than {} operators", max_rule_depth));
        return {expr::make(op, std::move(a.e), std::move(b.e)), h};
    }

    // Each level is left-associative. `nest` counts the parser's own recursion (parentheses,
    // unary operators, arguments), bounded like the tree.
    node binary(std::size_t nest, int level) {
        static constexpr std::string_view levels[][6] = {
            {"||"}, {"&&"}, {"==", "!=", "<", "<=", ">", ">="}, {"+", "-"}, {"*", "/", "%"}};
        if (level == 5) return unary(nest);
        node lhs = binary(nest, level + 1);
        for (;;) {
            std::optional<expr_op> op;
            for (std::string_view o : levels[level])
                if (!o.empty() && at_op(o)) op = op_of(o);
            if (!op) return lhs;
            const std::size_t at = t_.at;
            next();
            node rhs = binary(nest, level + 1);
            lhs = join(*op, std::move(lhs), std::move(rhs), at);
        }
    }
    node disjunction(std::size_t nest) {
        deeper(nest, t_.at);
        return binary(nest, 0);
    }

    static expr_op op_of(std::string_view o) {
        if (o == "||") return expr_op::or_;
        if (o == "&&") return expr_op::and_;
        if (o == "==") return expr_op::eq;
        if (o == "!=") return expr_op::ne;
        if (o == "<") return expr_op::lt;
        if (o == "<=") return expr_op::le;
        if (o == ">") return expr_op::gt;
        if (o == ">=") return expr_op::ge;
        if (o == "+") return expr_op::add;
        if (o == "-") return expr_op::sub;
        if (o == "*") return expr_op::mul;
        if (o == "/") return expr_op::div;
        return expr_op::mod;
    }

    node unary(std::size_t nest) {
        const std::size_t at = t_.at;
        if (at_op("!")) {
            next();
            deeper(nest + 1, at);
            node x = unary(nest + 1);
            if (x.height + 1 > max_rule_depth) deeper(max_rule_depth + 1, at);
            return {expr::make(expr_op::not_, std::move(x.e)), x.height + 1};
        }
        if (at_op("-")) {
            next();
            // A minus before a literal makes a negative literal (what to_string writes).
            if (t_.kind == tok::integer) {
                const std::uint64_t u = t_.u;
                next();
                return {expr(static_cast<std::int64_t>(0 - u))};
            }
            if (t_.kind == tok::real) {
                const double r = t_.r;
                next();
                return {expr(-r)};
            }
            if (t_.kind == tok::duration) {
                const std::int64_t d = t_.i;
                next();
                return {expr(boost::posix_time::microseconds(-d))};
            }
            deeper(nest + 1, at);
            return join(expr_op::sub, {expr(0)}, unary(nest + 1), at);
        }
        return primary(nest);
    }

    std::string string_argument() {
        if (t_.kind != tok::string) fail_expected("a quoted name");
        std::string s = t_.text;
        next();
        return s;
    }

    node primary(std::size_t nest) {
        const token t = t_;
        switch (t.kind) {
        case tok::integer:
            if (t.u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail_at(t.at, "careflow.rules.bad_literal", "the integer " + std::to_string(t.u) + " is out of range");
            next();
            return {expr(static_cast<std::int64_t>(t.u))};
        case tok::real: next(); return {expr(t.r)};
        case tok::duration: next(); return {expr(boost::posix_time::microseconds(t.i))};
        case tok::string: next(); return {expr(t.text)};
        case tok::symbol: next(); return {expr(symbol{t.text})};
        case tok::field: next(); return {field(t.text)};
        case tok::name: return named(nest);
        case tok::op:
            if (t.text == "(") {
                next();
                node e = disjunction(nest + 1); // parentheses add no node
                expect(")");
                return e;
            }
            break;
        case tok::end: break;
        }
        fail_expected("an operand");
    }

    node named(std::size_t nest) {
        const token t = t_;
        next();
        if (t.text == "true" || t.text == "false") return {expr(t.text == "true")};
        if (t.text == "_event") {
            expect(".");
            if (t_.kind == tok::name && t_.text == "name") {
                next();
                return {event_name()};
            }
            if (t_.kind == tok::name && t_.text == "data") {
                next();
                expect(".");
                if (t_.kind != tok::name) fail_expected("a payload field's name");
                std::string f = t_.text;
                next();
                return {field(std::move(f))};
            }
            fail_expected("'name' or 'data'");
        }
        if (!at_op("(")) {
            if (t.text == "now") return {now()};
            if (t.text == "actor") return {actor_id()};
            if (digit(t.text[0])) fail_at(t.at, "careflow.rules.syntax", "expected an operand", "an operand");
            return {var(t.text)};
        }
        next(); // '('
        const std::string& f = t.text;
        auto close = [&] { expect(")"); };
        auto comma = [&] { expect(","); };
        if (f == "now" || f == "actor") {
            close();
            return {f == "now" ? now() : actor_id()};
        }
        if (f == "var" || f == "field" || f == "symbol" || f == "consent" || f == "In" || f == "time") {
            const std::size_t arg_at = t_.at;
            std::string name = string_argument();
            close();
            if (f == "var") return {var(std::move(name))};
            if (f == "field") return {field(std::move(name))};
            if (f == "symbol") return {expr(symbol{std::move(name)})};
            if (f == "consent") return {consent(std::move(name))};
            if (f == "In") return {in_state(std::move(name))};
            return {expr(time_literal(name, arg_at))};
        }
        const bool one = f == "local_day" || f == "close_of_day";
        const bool two = f == "plus_days" || f == "plus_months" || f == "working_day";
        if (!one && !two)
            fail_at(t.at, "careflow.rules.unknown_function",
                    "unknown function '" + f +
                        "' (var, field, symbol, time, now, actor, consent, In, local_day, close_of_day, "
                        "plus_days, plus_months, working_day)");
        node a = disjunction(nest + 1);
        comma();
        node n;
        if (two) {
            n = disjunction(nest + 1);
            comma();
        }
        std::string calendar = string_argument();
        close();
        const expr_op op = f == "local_day"      ? expr_op::local_day
                           : f == "close_of_day" ? expr_op::close_of_day
                           : f == "plus_days"    ? expr_op::plus_days
                           : f == "plus_months"  ? expr_op::plus_months
                                                 : expr_op::working_day;
        const std::size_t h = 1 + std::max(a.height, two ? n.height : 0);
        if (h > max_rule_depth) deeper(max_rule_depth + 1, t.at);
        return {expr::make_dated(op, std::move(calendar), std::move(a.e), std::move(n.e)), h};
    }

    time_point time_literal(const std::string& s, std::size_t at) const {
        // ISO 8601 extended, UTC: 2026-11-22T09:00:00, optional fraction, optional Z.
        std::string text = s;
        if (!text.empty() && text.back() == 'Z') text.pop_back();
        bool ok = text.size() >= 19 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
                  text[16] == ':';
        for (std::size_t i = 0; ok && i < text.size(); ++i)
            if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && i != 19) ok = digit(text[i]);
        if (ok && text.size() > 19) ok = text[19] == '.' && text.size() <= 26 && text.size() > 20;
        if (ok) {
            try {
                const time_point tp = boost::posix_time::from_iso_extended_string(text);
                if (!tp.is_special()) return tp;
            } catch (const std::exception&) {
            }
        }
        fail_at(at, "careflow.rules.bad_literal",
                "'" + s + "' is not a time (YYYY-MM-DDThh:mm:ss[.ffffff][Z], in UTC)");
    }

    std::string_view s_;
    std::size_t p_ = 0;   // next unread byte
    std::size_t end_ = 0; // end of the current token
    token t_;
};

} // namespace

expr parse_rule(std::string_view text) { return parser(text).parse(); }

} // namespace careflow
