// Fuzz target: rule texts (careflow/model/rule_text.hpp). parse_rule may only throw
// rule_error; a rule it accepts must render to a text that parses back to the same tree
// (and renders the same again); a rule that type-checks against a fixed procedure must
// compile, and its fast form must agree with the general code on values drawn from the
// input.
#include "fuzz_setup.hpp"

#include <careflow/model/rule_text.hpp>

#include <cstring>
#include <string_view>

using namespace careflow;

namespace {

// A procedure with one variable and one payload field of every type; the guard under test
// sits on its only transition.
std::shared_ptr<const program> with_guard(const expr& guard, bool& typed) {
    procedure_builder b{"fuzz"};
    b.variable("b", value_type::boolean)
        .variable("i", value_type::integer)
        .variable("r", value_type::real)
        .variable("d", value_type::duration)
        .variable("t", value_type::time)
        .enumeration("e", {"low", "high"})
        .consent("callback");
    b.event("go", {{"i", value_type::integer, {}}, {"r", value_type::real, {}}, {"b", value_type::boolean, {}}});
    b.state("s").initial("a");
    b.state("a").parent("s");
    b.state("z").final();
    b.transition("a", "z").on("go").when(guard);
    for (const auto& d : b.validate())
        if (d.level == severity::error) {
            typed = false;
            return nullptr;
        }
    typed = true;
    return compile(b.build());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    expr e;
    try {
        e = parse_rule(text);
    } catch (const rule_error& x) {
        fuzz::require(x.line() >= 1 && x.column() >= 1, "an error without a position");
        return 0;
    }
    const std::string once = e.to_string();
    expr again;
    try {
        again = parse_rule(once);
    } catch (const rule_error&) {
        fuzz::broken("a rule's own rendering is refused");
    }
    fuzz::require(again.same_as(e), "parse(render(e)) is not e");
    fuzz::require(again.to_string() == once, "render(parse(render(e))) differs");

    bool typed = false;
    std::shared_ptr<const program> p;
    try {
        p = with_guard(e, typed);
    } catch (const careflow::error&) {
        // compile may refuse what validation let through only for limits (stack depth).
        return 0;
    }
    if (!typed) return 0;
    const auto& x = p->expressions()[p->guards()[0].expression];
    std::uint64_t h = 1469598103934665603ULL;
    for (const unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    for (int round = 0; round < 4; ++round) {
        cell vars[6], fields[3];
        for (cell& c : vars) c.i = static_cast<std::int64_t>(h = h * 6364136223846793005ULL + 1442695040888963407ULL);
        for (cell& c : fields) c.i = static_cast<std::int64_t>(h = h * 6364136223846793005ULL + 1442695040888963407ULL);
        vars[0].i &= 1;
        fields[2].i &= 1;
        vars[5].i = static_cast<std::int64_t>(h % 2);
        // Times within 1970..2100, as a case's are.
        vars[4].i = static_cast<std::int64_t>(static_cast<std::uint64_t>(vars[4].i) % (4'102'444'800ULL * 1'000'000));
        std::string who = "op";
        eval_context ctx{vars, nullptr, fields, nullptr, static_cast<ticks>((h >> 8) % (4'102'444'800ULL * 1'000'000)),
                         &who};
        ctx.configuration = p->configuration(p->initial_leaf());
        ctx.consents = h & 1;
        const cell fast = x.evaluate(ctx), code = x.interpret(ctx);
        fuzz::require(std::memcmp(&fast, &code, sizeof fast) == 0 || (fast.i != 0) == (code.i != 0),
                      "the fast form and the code disagree");
        fuzz::require(code.i == 0 || code.i == 1, "a guard gave neither true nor false");
    }
    return 0;
}
