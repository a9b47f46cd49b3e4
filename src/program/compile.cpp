// compile(): the model → program stage. Resolves hierarchy once so that the runtime
// never walks the state tree: every (leaf, event) pair gets its ordered candidates,
// each with its exit and entry sequences already computed for that leaf.
#include "../detail/expr_compiler.hpp"
#include "../detail/hierarchy.hpp"
#include "read_rules.hpp"

#include <careflow/error.hpp>
#include <careflow/model/procedure.hpp>
#include <careflow/model/validate.hpp>
#include <careflow/program/program.hpp>

#include <algorithm>
#include <optional>

namespace careflow {
namespace {

template <class T>
std::uint16_t index16(const std::vector<T>& v, const char* what) {
    if (v.size() >= no_index) throw error("careflow.program.too_large", std::string("more than 65,534 ") + what);
    return static_cast<std::uint16_t>(v.size());
}

} // namespace

namespace detail {

class program_compiler {
public:
    program_compiler(const procedure& p, program& out) : p_(p), h_(p), out_(out) {}

    void run() {
        out_.name_ = p_.name();
        out_.version_ = p_.version();
        names();
        variables();
        events();
        states();
        timers();
        transitions();
        slas();
        lookups();
        personal(); // after lookups: read rules find their states by name
    }

private:
    template <class V>
    static std::uint16_t position(const V& v, const std::string& name) {
        auto it = std::find(v.begin(), v.end(), name);
        return it == v.end() ? no_index : static_cast<std::uint16_t>(it - v.begin());
    }
    static void note(std::vector<std::string>& v, const std::string& name) {
        if (!name.empty() && std::find(v.begin(), v.end(), name) == v.end()) v.push_back(name);
    }

    void names() {
        for (const auto& d : p_.duties()) out_.duties_.push_back(d);
        for (const auto& c : p_.calendars()) out_.calendars_.push_back(c);
        if (p_.consents().size() > 64)
            throw error("careflow.program.too_many_consents",
                        "procedure '" + p_.name() + "' declares more than 64 consent topics");
        for (const auto& c : p_.consents()) out_.consent_topics_.push_back(c.topic);
        for (const auto& h : p_.host_actions()) out_.host_actions_.push_back({h.name, h.fn});
        for (auto t : p_.transitions())
            for (const auto& r : p_.transition(t).roles) note(out_.roles_, r);
        for (const auto& rule : p_.read_rules())
            for (const auto& r : rule.roles) note(out_.roles_, r);
        if (out_.roles_.size() > 64)
            throw error("careflow.program.too_many_roles",
                        "procedure '" + p_.name() + "' requires more than 64 distinct roles");
    }

    void variables() {
        std::uint16_t texts = 0;
        for (const auto& v : p_.variables()) {
            index16(out_.variables_, "variables");
            program_variable pv;
            pv.name = v.name;
            pv.type = v.type;
            pv.symbols = v.symbols;
            if (v.type == value_type::text) {
                pv.text_slot = texts++;
                if (!v.initial.empty()) pv.initial_text = std::get<std::string>(v.initial.get());
            } else if (!v.initial.empty()) {
                detail::to_cell(v.initial, v.type, v.symbols, pv.initial);
            } else {
                pv.initial.i = 0;
                if (v.type == value_type::real) pv.initial.r = 0.0;
            }
            out_.variables_.push_back(std::move(pv));
        }
        out_.text_count_ = texts;
    }

    void events() {
        // One more column holds eventless transitions; its index must stay below no_index.
        if (p_.events().size() + 1 >= no_index) throw error("careflow.program.too_large", "more than 65,533 events");
        for (const auto& e : p_.events()) {
            program_event pe;
            pe.name = e.name;
            pe.payload = e.payload;
            pe.payload_texts = static_cast<std::uint16_t>(std::count_if(
                e.payload.begin(), e.payload.end(), [](const field_decl& f) { return f.type == value_type::text; }));
            out_.events_.push_back(std::move(pe));
        }
        out_.event_stride_ = out_.events_.size() + 1;
    }

    std::uint16_t event_of(const std::string& name) const {
        for (std::size_t i = 0; i < out_.events_.size(); ++i)
            if (out_.events_[i].name == name) return static_cast<std::uint16_t>(i);
        return no_index;
    }

    // An expression giving a value of type `want` (a constant is converted to that slot's
    // type); no `want`: whatever type the expression has (spawn bindings, checked at spawn).
    std::uint16_t value_expression(const expr& e, const event_decl* ev, std::optional<value_type> want,
                                   const std::vector<std::string>& symbols = {}) {
        index16(out_.expressions_, "expressions");
        expression code;
        const bool constant = e.node()->op == expr_op::constant;
        if (constant && !want && e.node()->constant.type() == value_type::enumeration)
            throw error("careflow.program.unsupported",
                        "a symbol constant cannot be bound to a spawned case's variable; bind text instead");
        const value_type type = want ? *want : constant ? *e.node()->constant.type() : value_type::text;
        if (constant && type != value_type::text) {
            cell c{};
            detail::to_cell(e.node()->constant, type, symbols, c);
            code.code.push_back({opcode::push_const, comparison::eq, 0, c});
            code.type = type;
            code.source = e.to_string();
        } else {
            const auto problem = detail::compile_expression(
                e, detail::expr_scope{&p_.variables(), ev, &out_.calendars_, &p_.consents(), &h_.names}, code);
            if (!problem.ok()) throw error(problem.id, "procedure '" + p_.name() + "': " + problem.message);
            if (want == value_type::real && code.type == value_type::integer) {
                code.code.push_back({opcode::to_real, comparison::eq, 0, {}});
                code.type = value_type::real;
            }
        }
        detail::lower_value(code); // after any conversion was appended
        out_.expressions_.push_back(std::move(code));
        return static_cast<std::uint16_t>(out_.expressions_.size() - 1);
    }

    index_range actions(const std::vector<action>& as, const event_decl* ev) {
        index_range r{static_cast<std::uint32_t>(out_.actions_.size()), 0};
        for (const auto& a : as) {
            program_action pa;
            pa.kind = a.kind;
            pa.name = a.target;
            pa.text = a.text;
            switch (a.kind) {
            case action_kind::call: pa.target = position(names_of(out_.host_actions_), a.target); break;
            case action_kind::set: {
                const auto* v = p_.find_variable(a.target);
                pa.target = static_cast<std::uint16_t>(v - p_.variables().data());
                pa.value = value_expression(a.value, ev, v->type, v->symbols);
                break;
            }
            case action_kind::assign:
                pa.target = position(out_.duties_, a.target);
                pa.value = value_expression(a.value, ev, value_type::text);
                break;
            case action_kind::unassign: pa.target = position(out_.duties_, a.target); break;
            case action_kind::spawn:
                for (const auto& [name, e] : a.bindings)
                    pa.bindings.emplace_back(name, value_expression(e, ev, std::nullopt));
                break;
            case action_kind::notify: break; // the topic is the action's name
            }
            out_.actions_.push_back(std::move(pa));
            ++r.count;
        }
        return r;
    }

    static std::vector<std::string> names_of(const std::vector<program_host>& hs) {
        std::vector<std::string> n;
        for (const auto& h : hs) n.push_back(h.name);
        return n;
    }

    void states() {
        const std::size_t n = p_.state_count();
        if (n >= no_index) throw error("careflow.program.too_large", "more than 65,534 states");
        for (std::size_t s = 0; s < n; ++s) {
            const auto& d = p_.state(s);
            program_state ps;
            ps.name = d.name;
            ps.path = p_.path(s);
            ps.parent = h_.parent[s] < 0 ? no_index : static_cast<state_index>(h_.parent[s]);
            ps.initial = h_.initial[s] < 0 ? no_index : static_cast<state_index>(h_.initial[s]);
            ps.depth = static_cast<std::uint8_t>(std::min(h_.depth[s], 255));
            ps.compound = h_.compound(static_cast<int>(s));
            ps.is_final = d.is_final;
            ps.entry_actions = actions(d.on_entry, nullptr);
            ps.exit_actions = actions(d.on_exit, nullptr);
            out_.states_.push_back(std::move(ps));
        }
        out_.initial_leaf_ = static_cast<state_index>(h_.leaf(h_.top));
        out_.configuration_words_ = (n + 63) / 64;
        out_.configurations_.assign(n * out_.configuration_words_, 0);
        for (std::size_t s = 0; s < n; ++s)
            for (int a = static_cast<int>(s), up = 0; a >= 0 && up <= static_cast<int>(n);
                 a = h_.parent[static_cast<std::size_t>(a)], ++up)
                out_.configurations_[s * out_.configuration_words_ + static_cast<std::size_t>(a) / 64] |=
                    std::uint64_t{1} << (static_cast<std::size_t>(a) % 64);
        out_.initial_entries_ = sequence_from(-1, h_.top);
    }

    // States entered going from just below `domain` down to `target`, then to its leaf.
    index_range sequence_from(int domain, int target) {
        index_range r{static_cast<std::uint32_t>(out_.sequence_.size()), 0};
        std::vector<int> down;
        for (int a : h_.ancestry(target)) {
            if (a == domain) break;
            down.push_back(a);
        }
        for (auto it = down.rbegin(); it != down.rend(); ++it) out_.sequence_.push_back(static_cast<state_index>(*it));
        for (int s = target; h_.compound(s);) {
            s = h_.initial[static_cast<std::size_t>(s)];
            out_.sequence_.push_back(static_cast<state_index>(s));
        }
        r.count = static_cast<std::uint32_t>(out_.sequence_.size()) - r.first;
        return r;
    }

    static program_span span_of(const span& s) {
        return {s.kind, s.elapsed.is_special() ? 0 : to_ticks(s.elapsed), s.days};
    }

    void timers() {
        std::vector<std::vector<std::uint16_t>> per_state(out_.states_.size());
        for (const auto& t : p_.timers()) {
            index16(out_.timers_, "timers");
            program_timer pt;
            pt.name = t.name;
            pt.state = static_cast<state_index>(h_.find(t.state));
            pt.event = event_of(t.event);
            pt.kind = t.kind;
            pt.delay = span_of(t.delay);
            pt.count = t.count;
            pt.calendar = position(out_.calendars_, t.calendar);
            if (t.kind == timer_kind::at) pt.deadline = value_expression(t.deadline, nullptr, value_type::time);
            per_state[pt.state].push_back(static_cast<std::uint16_t>(out_.timers_.size()));
            out_.timers_.push_back(std::move(pt));
        }
        for (std::size_t s = 0; s < per_state.size(); ++s) {
            out_.states_[s].timers = {static_cast<std::uint32_t>(out_.state_timers_.size()),
                                      static_cast<std::uint32_t>(per_state[s].size())};
            out_.state_timers_.insert(out_.state_timers_.end(), per_state[s].begin(), per_state[s].end());
        }
    }

    int common_domain(int source, int target) const {
        const auto up = h_.ancestry(source);
        for (int a : h_.ancestry(target)) {
            if (std::find(up.begin(), up.end(), a) == up.end()) continue;
            // An external transition leaves and re-enters a state that contains both ends.
            return (a == source || a == target) ? h_.parent[static_cast<std::size_t>(a)] : a;
        }
        return -1;
    }

    void transitions() {
        struct compiled_decl {
            std::uint16_t guard = no_index;
            index_range actions;
            std::uint64_t roles = 0;
            std::uint16_t duty = no_index;
        };
        const auto ids = p_.transitions();
        out_.decl_count_ = ids.size();
        std::vector<const transition_decl*> decls;
        std::vector<compiled_decl> cds;
        for (auto t : ids) {
            const auto& d = p_.transition(t);
            decls.push_back(&d);
            const event_decl* ev = d.event.empty() ? nullptr : p_.find_event(d.event);
            compiled_decl cd;
            if (!d.when.condition.empty()) {
                index16(out_.guards_, "guards");
                out_.guards_.push_back(
                    {value_expression(d.when.condition, ev, value_type::boolean), {}, d.when.to_string()});
                cd.guard = static_cast<std::uint16_t>(out_.guards_.size() - 1);
            } else if (d.when.predicate) {
                out_.guards_.push_back({no_index, d.when.predicate, d.when.to_string()});
                cd.guard = static_cast<std::uint16_t>(out_.guards_.size() - 1);
            }
            cd.actions = actions(d.actions, ev);
            cd.roles = out_.role_mask(d.roles);
            cd.duty = position(out_.duties_, d.duty);
            cds.push_back(cd);
        }
        const std::size_t n = out_.states_.size();
        const std::size_t stride = out_.event_stride_;
        out_.table_.assign(n * stride, index_range{});
        for (std::size_t leaf = 0; leaf < n; ++leaf) {
            if (out_.states_[leaf].compound) continue;
            for (std::size_t e = 0; e < stride; ++e) {
                const std::string* event = e + 1 == stride ? nullptr : &out_.events_[e].name;
                index_range r{static_cast<std::uint32_t>(out_.candidates_.size()), 0};
                for (int a : h_.ancestry(static_cast<int>(leaf))) {
                    for (std::size_t i = 0; i < ids.size(); ++i) {
                        const auto& d = *decls[i];
                        if (static_cast<int>(boost::source(ids[i], p_.graph())) != a) continue;
                        if (event ? d.event != *event : !d.event.empty()) continue;
                        out_.candidates_.push_back(resolve(static_cast<int>(leaf), a, ids[i], i, cds[i].guard,
                                                           cds[i].actions, cds[i].roles, cds[i].duty));
                        ++r.count;
                    }
                }
                out_.table_[leaf * stride + e] = r;
            }
        }
    }

    program_transition resolve(int leaf, int source, const procedure::transition_id& id, std::size_t decl,
                               std::uint16_t guard, index_range acts, std::uint64_t roles, std::uint16_t duty) {
        program_transition pt;
        pt.decl = static_cast<std::uint32_t>(decl);
        pt.source = static_cast<state_index>(source);
        pt.guard = guard;
        pt.actions = acts;
        pt.roles = roles;
        pt.duty = duty;
        if (p_.transition(id).target.empty()) return pt; // internal: no exits, no entries
        const int target = static_cast<int>(boost::target(id, p_.graph()));
        const int domain = common_domain(source, target);
        pt.exits.first = static_cast<std::uint32_t>(out_.sequence_.size());
        for (int s : h_.ancestry(leaf)) {
            if (s == domain) break;
            out_.sequence_.push_back(static_cast<state_index>(s));
        }
        pt.exits.count = static_cast<std::uint32_t>(out_.sequence_.size()) - pt.exits.first;
        pt.entries = sequence_from(domain, target);
        pt.target = static_cast<state_index>(h_.leaf(target));
        return pt;
    }

    void slas() {
        const std::size_t n = out_.states_.size();
        std::vector<std::vector<sla_trigger>> enter(n), leave(n), on(out_.events_.size());
        for (const auto& s : p_.slas()) {
            const auto i = index16(out_.slas_, "SLA clocks");
            program_sla ps;
            ps.name = s.name;
            ps.goal = span_of(s.goal);
            if (!s.deadline.empty()) ps.deadline = value_expression(s.deadline, nullptr, value_type::time);
            ps.calendar = position(out_.calendars_, s.calendar);
            ps.warnings = s.warnings;
            std::sort(ps.warnings.begin(), ps.warnings.end());
            ps.warning_event = s.warning_event.empty() ? no_index : event_of(s.warning_event);
            ps.breach_event = s.breach_event.empty() ? no_index : event_of(s.breach_event);
            ps.duty = position(out_.duties_, s.duty);
            out_.slas_.push_back(std::move(ps));
            // Listed in the order the runtime applies them: cancel, stop, pause, resume, start.
            const std::pair<const std::vector<sla_condition>*, sla_effect> effects[] = {{&s.cancel, sla_effect::cancel},
                                                                                        {&s.stop, sla_effect::stop},
                                                                                        {&s.pause, sla_effect::pause},
                                                                                        {&s.resume, sla_effect::resume},
                                                                                        {&s.start, sla_effect::start}};
            for (const auto& [cs, effect] : effects)
                for (const auto& c : *cs) {
                    const sla_trigger t{i, effect};
                    switch (c.on) {
                    case sla_condition::kind::entered:
                        enter[static_cast<std::size_t>(h_.find(c.name))].push_back(t);
                        break;
                    case sla_condition::kind::left:
                        leave[static_cast<std::size_t>(h_.find(c.name))].push_back(t);
                        break;
                    case sla_condition::kind::event: on[event_of(c.name)].push_back(t); break;
                    }
                }
        }
        auto flatten = [this](const std::vector<std::vector<sla_trigger>>& lists, std::vector<index_range>& ranges) {
            for (const auto& l : lists) {
                ranges.push_back(
                    {static_cast<std::uint32_t>(out_.sla_triggers_.size()), static_cast<std::uint32_t>(l.size())});
                out_.sla_triggers_.insert(out_.sla_triggers_.end(), l.begin(), l.end());
            }
        };
        flatten(enter, out_.enter_triggers_);
        flatten(leave, out_.leave_triggers_);
        flatten(on, out_.event_triggers_);
        for (std::size_t s = 0; s < out_.states_.size(); ++s) {
            program_state& ps = out_.states_[s];
            ps.inert = ps.entry_actions.count == 0 && ps.exit_actions.count == 0 && ps.timers.count == 0 &&
                       out_.enter_triggers_[s].count == 0 && out_.leave_triggers_[s].count == 0;
        }
    }

    // Personal items (variables, then payload fields) and the read rules over them.
    void personal() {
        auto add = [&](program_item item) {
            if (out_.items_.size() == 64)
                throw error("careflow.program.too_large",
                            "procedure '" + p_.name() + "' has more than 64 personal variables and fields");
            out_.items_.push_back(std::move(item));
            return static_cast<std::uint16_t>(out_.items_.size() - 1);
        };
        for (std::size_t v = 0; v < p_.variables().size(); ++v) {
            const auto& d = p_.variables()[v];
            out_.variable_items_.push_back(
                d.personal == sensitivity::none
                    ? no_index
                    : add({d.name, d.personal, static_cast<var_index>(v), no_index, no_index}));
        }
        for (std::size_t e = 0; e < p_.events().size(); ++e)
            for (std::size_t f = 0; f < p_.events()[e].payload.size(); ++f) {
                const auto& d = p_.events()[e].payload[f];
                if (d.personal != sensitivity::none)
                    add({p_.events()[e].name + "." + d.name, d.personal, no_index, static_cast<event_index>(e),
                         static_cast<std::uint16_t>(f)});
            }
        for (const auto& r : p_.read_rules()) out_.read_rules_.push_back(compile_read_rule(out_, r));
    }

    void lookups() {
        auto sorted = [](auto& table) { std::sort(table.begin(), table.end()); };
        for (std::size_t i = 0; i < out_.states_.size(); ++i) out_.state_names_.emplace_back(out_.states_[i].name, i);
        for (std::size_t i = 0; i < out_.events_.size(); ++i) out_.event_names_.emplace_back(out_.events_[i].name, i);
        for (std::size_t i = 0; i < out_.variables_.size(); ++i)
            out_.variable_names_.emplace_back(out_.variables_[i].name, i);
        sorted(out_.state_names_);
        sorted(out_.event_names_);
        sorted(out_.variable_names_);
    }

    const procedure& p_;
    hierarchy h_;
    program& out_;
};

} // namespace detail

std::shared_ptr<const program> compile(const procedure& p) {
    // A procedure from procedure_builder::build() is valid; re-check so a hand-made or
    // stale one cannot produce a program with dangling indexes.
    const auto problems = validate(p);
    for (const auto& d : problems)
        if (d.level == severity::error)
            throw error(d.id, "cannot compile procedure '" + p.name() + "': " + d.to_string());
    auto out = std::make_shared<program>();
    detail::program_compiler(p, *out).run();
    return out;
}

} // namespace careflow
