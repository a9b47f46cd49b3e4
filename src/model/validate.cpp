// Validation: every problem of a procedure, each with a stable id and its culprit.
// Graph questions (reachability, paths to a final state, eventless cycles) are answered
// by Boost.Graph on the "effective" graph of leaf states, where a transition declared on
// a compound state applies from each of its leaves and a compound target means its
// initial leaf.
#include "../detail/expr_compiler.hpp"
#include "../detail/hierarchy.hpp"

#include <careflow/model/procedure.hpp>
#include <careflow/model/validate.hpp>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace careflow {

std::string diagnostic::to_string() const {
    return std::string(level == severity::error ? "error" : "warning") + " [" + id + "] " + subject + ": " + message;
}

bool has_errors(const std::vector<diagnostic>& ds) noexcept {
    return std::any_of(ds.begin(), ds.end(), [](const diagnostic& d) { return d.level == severity::error; });
}

namespace detail {
namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

std::string subject_of(const transition_decl& t) {
    return "transition " + q(t.source) + " -" + (t.event.empty() ? std::string("(eventless)") : t.event) + "-> " +
           q(t.target.empty() ? t.source : t.target);
}

/// The most times a repeating timer may fire (the ring tick fires 3 times).
constexpr int max_repeats = 100'000;

class checker {
public:
    checker(const procedure& p, std::vector<diagnostic>& out) : p_(p), h_(p), out_(out) {}

    void run() {
        names();
        variables();
        hierarchy_rules();
        transitions();
        timers();
        slas();
        if (!structural_errors_) graph_rules();
        unused_events();
    }

private:
    void error(std::string id, std::string subject, std::string message) {
        out_.push_back({severity::error, std::move(id), std::move(subject), std::move(message)});
    }
    void warning(std::string id, std::string subject, std::string message) {
        out_.push_back({severity::warning, std::move(id), std::move(subject), std::move(message)});
    }

    template <class Range, class Name>
    void unique(const Range& r, Name name, const char* what) {
        std::set<std::string> seen;
        for (const auto& x : r) {
            const std::string& n = name(x);
            if (n.empty())
                error("careflow.model.empty_name", std::string("a ") + what, "has no name");
            else if (!seen.insert(n).second)
                error("careflow.model.duplicate_name", std::string(what) + " " + q(n), "declared more than once");
        }
    }

    void names() {
        unique(
            p_.variables(), [](const variable_decl& v) -> const std::string& { return v.name; }, "variable");
        unique(
            p_.events(), [](const event_decl& e) -> const std::string& { return e.name; }, "event");
        unique(
            p_.duties(), [](const std::string& d) -> const std::string& { return d; }, "duty");
        unique(
            p_.timers(), [](const timer_decl& t) -> const std::string& { return t.name; }, "timer");
        unique(
            p_.slas(), [](const sla_decl& s) -> const std::string& { return s.name; }, "sla");
        unique(
            p_.consents(), [](const consent_decl& c) -> const std::string& { return c.topic; }, "consent topic");
        if (p_.consents().size() > 64)
            error("careflow.model.too_many_consents", "the procedure", "declares more than 64 consent topics");
        for (const auto& c : p_.consents())
            if (!c.topic.empty() && !consent_topic_ok(c.topic))
                error("careflow.model.bad_consent_topic", "consent topic " + q(c.topic),
                      "is not 1 to 64 bytes of lower-case letters, digits, '_', '.' and '-'");
        unique(
            p_.host_actions(), [](const host_action_decl& a) -> const std::string& { return a.name; }, "host action");
        for (const auto& e : p_.events())
            unique(
                e.payload, [](const field_decl& f) -> const std::string& { return f.name; },
                ("payload field of event " + q(e.name) + ":").c_str());
        for (std::size_t s = 0; s < p_.state_count(); ++s)
            if (p_.state(s).name.empty()) error("careflow.model.empty_name", "a state", "has no name");
    }

    void variables() {
        for (const auto& v : p_.variables()) {
            const std::string subject = "variable " + q(v.name);
            if (v.type == value_type::enumeration) {
                if (v.symbols.empty()) {
                    error("careflow.model.empty_enumeration", subject, "an enumeration needs at least one symbol");
                    continue;
                }
                std::set<std::string> seen(v.symbols.begin(), v.symbols.end());
                if (seen.size() != v.symbols.size())
                    error("careflow.model.duplicate_name", subject, "repeats a symbol");
            }
            if (v.initial.empty()) continue;
            check_constant(v.initial, v.type, v.symbols, subject, "initial value");
        }
    }

    void check_constant(const value& c, value_type t, const std::vector<std::string>& symbols,
                        const std::string& subject, const char* what) {
        const auto ct = *c.type();
        if (!assignable(t, ct)) {
            error("careflow.model.type_mismatch", subject,
                  std::string(what) + " " + c.to_string() + " is " + std::string(to_string(ct)) + ", not " +
                      std::string(to_string(t)));
        } else if (t == value_type::enumeration &&
                   std::find(symbols.begin(), symbols.end(), std::get<symbol>(c.get()).name) == symbols.end()) {
            error("careflow.model.unknown_symbol", subject,
                  std::string(what) + " " + c.to_string() + " is not one of its symbols");
        }
    }

    void hierarchy_rules() {
        for (int m : h_.cycle_members) {
            structural_errors_ = true;
            error("careflow.model.hierarchy_cycle", "state " + q(p_.state(static_cast<std::size_t>(m)).name),
                  "is its own ancestor");
        }
        if (p_.state_count() == 0) {
            structural_errors_ = true;
            error("careflow.model.no_initial_state", "procedure " + q(p_.name()), "has no states");
            return;
        }
        if (h_.top < 0) {
            structural_errors_ = true;
            error("careflow.model.no_initial_state", "procedure " + q(p_.name()),
                  "initial state " + q(p_.initial()) + " is not declared");
        } else if (h_.parent[static_cast<std::size_t>(h_.top)] >= 0) {
            structural_errors_ = true;
            error("careflow.model.no_initial_state", "procedure " + q(p_.name()),
                  "initial state " + q(p_.initial()) + " is not a top-level state");
        }
        for (std::size_t s = 0; s < p_.state_count(); ++s) {
            const auto& d = p_.state(s);
            const std::string subject = "state " + q(d.name);
            if (!d.parent.empty() && h_.find(d.parent) < 0) {
                structural_errors_ = true;
                error("careflow.model.unknown_state", subject, "parent " + q(d.parent) + " is not declared");
            }
            const bool compound = h_.compound(static_cast<int>(s));
            if (compound && d.initial.empty()) {
                structural_errors_ = true;
                error("careflow.model.compound_without_initial", subject, "is compound but names no initial child");
            } else if (!d.initial.empty() && h_.initial[s] < 0) {
                structural_errors_ = true;
                error("careflow.model.initial_not_child", subject,
                      "initial " + q(d.initial) + " is not one of its children");
            }
            if (compound && d.is_final)
                error("careflow.model.final_with_children", subject, "a final state cannot have children");
            if (d.is_final && boost::out_degree(s, p_.graph()) > 0)
                error("careflow.model.transition_from_final", subject,
                      "a final state cannot have outgoing transitions");
            for (const auto& a : d.on_entry) check_action(a, nullptr, subject + " entry");
            for (const auto& a : d.on_exit) check_action(a, nullptr, subject + " exit");
        }
    }

    void check_expr(const expr& e, const event_decl* ev, const std::string& subject, value_type want,
                    const std::vector<std::string>* want_symbols, const char* what) {
        if (e.empty()) {
            error("careflow.model.type_mismatch", subject, std::string(what) + " is missing");
            return;
        }
        // A bare constant is checked against the slot it fills (this is how symbols are resolved).
        if (e.node()->op == expr_op::constant) {
            static const std::vector<std::string> none;
            check_constant(e.node()->constant, want, want_symbols ? *want_symbols : none, subject, what);
            return;
        }
        expression code;
        const auto problem =
            compile_expression(e, expr_scope{&p_.variables(), ev, nullptr, &p_.consents(), &h_.names}, code);
        if (!problem.ok()) {
            error(problem.id, subject, std::string(what) + ": " + problem.message);
            return;
        }
        if (!assignable(want, code.type)) {
            error("careflow.model.type_mismatch", subject,
                  std::string(what) + " '" + e.to_string() + "' is " + std::string(to_string(code.type)) + ", not " +
                      std::string(to_string(want)));
        }
    }

    bool has_duty(const std::string& d) const {
        return std::find(p_.duties().begin(), p_.duties().end(), d) != p_.duties().end();
    }

    void check_action(const action& a, const event_decl* ev, const std::string& subject) {
        switch (a.kind) {
        case action_kind::call:
            if (std::none_of(p_.host_actions().begin(), p_.host_actions().end(),
                             [&](const host_action_decl& h) { return h.name == a.target; }))
                error("careflow.model.unknown_action", subject, "calls undeclared host action " + q(a.target));
            break;
        case action_kind::set: {
            const auto* v = p_.find_variable(a.target);
            if (!v) {
                error("careflow.model.unknown_variable", subject, "sets undeclared variable " + q(a.target));
                break;
            }
            check_expr(a.value, ev, subject, v->type, &v->symbols, ("value set to " + q(a.target)).c_str());
            break;
        }
        case action_kind::assign:
            check_expr(a.value, ev, subject, value_type::text, nullptr, ("person assigned to " + q(a.target)).c_str());
            [[fallthrough]];
        case action_kind::unassign:
            if (!has_duty(a.target))
                error("careflow.model.unknown_duty", subject, "names undeclared duty " + q(a.target));
            break;
        case action_kind::spawn:
            if (a.target.empty()) error("careflow.model.empty_name", subject, "spawns a case of an unnamed procedure");
            for (const auto& [name, e] : a.bindings) {
                expression code;
                if (e.empty() || e.node()->op == expr_op::constant) continue; // checked against the child at spawn
                const auto problem =
                    compile_expression(e, expr_scope{&p_.variables(), ev, nullptr, &p_.consents(), &h_.names}, code);
                if (!problem.ok()) error(problem.id, subject, "binding of " + q(name) + ": " + problem.message);
            }
            break;
        case action_kind::notify:
            if (a.target.empty()) error("careflow.model.empty_name", subject, "notifies an unnamed topic");
            break;
        }
    }

    void transitions() {
        for (auto t : p_.transitions()) {
            const auto& d = p_.transition(t);
            const std::string subject = subject_of(d);
            const event_decl* ev = nullptr;
            if (!d.event.empty()) {
                ev = p_.find_event(d.event);
                if (!ev) error("careflow.model.unknown_event", subject, "event " + q(d.event) + " is not declared");
            }
            if (!d.when.condition.empty()) {
                check_expr(d.when.condition, ev, subject, value_type::boolean, nullptr, "guard");
            } else if (d.when.predicate) {
                for (const auto& [name, type] : d.when.reads) {
                    const auto* v = p_.find_variable(name);
                    if (!v)
                        error("careflow.model.unknown_variable", subject,
                              "guard " + q(d.when.label) + " reads undeclared variable " + q(name));
                    else if (v->type != type)
                        error("careflow.model.type_mismatch", subject,
                              "guard " + q(d.when.label) + " reads " + q(name) + " as " + std::string(to_string(type)) +
                                  ", declared " + std::string(to_string(v->type)));
                }
            }
            for (const auto& a : d.actions) check_action(a, ev, subject);
            if (!d.duty.empty() && !has_duty(d.duty))
                error("careflow.model.unknown_duty", subject, "requires the assignee of undeclared duty " + q(d.duty));
            for (const auto& r : d.roles)
                if (r.empty()) error("careflow.model.empty_name", subject, "requires an unnamed role");
        }
        // Non-determinism: two unguarded transitions on one event from one state.
        for (std::size_t s = 0; s < p_.state_count(); ++s) {
            std::map<std::string, int> unguarded;
            for (auto e : boost::make_iterator_range(boost::out_edges(s, p_.graph()))) {
                const auto& d = p_.graph()[e];
                if (d.when.empty() && ++unguarded[d.event] == 2)
                    error("careflow.model.nondeterministic", "state " + q(p_.state(s).name),
                          "has two unguarded transitions on " +
                              (d.event.empty() ? std::string("no event (eventless)") : "event " + q(d.event)));
            }
        }
    }

    void timers() {
        for (const auto& t : p_.timers()) {
            const std::string subject = "timer " + q(t.name);
            if (h_.find(t.state) < 0)
                error("careflow.model.unknown_state", subject, "is armed in unknown state " + q(t.state));
            if (!p_.find_event(t.event))
                error("careflow.model.unknown_event", subject, "fires unknown event " + q(t.event));
            if (t.kind == timer_kind::at) {
                check_expr(t.deadline, nullptr, subject, value_type::time, nullptr, "deadline");
                continue;
            }
            if (!t.delay.valid())
                error("careflow.model.invalid_timer", subject, "needs a positive delay, not " + t.delay.to_string());
            if (t.kind == timer_kind::every && (t.count < 1 || t.count > max_repeats))
                error("careflow.model.invalid_timer", subject,
                      "a repeating timer's count is between 1 and " + std::to_string(max_repeats) + ", not " +
                          std::to_string(t.count));
            // A bad definition must not make one advance fire without end: a repeating
            // timer's period is at least a second.
            if (t.kind == timer_kind::every && t.delay.kind == span_kind::elapsed && t.delay.valid() &&
                t.delay.elapsed < boost::posix_time::seconds(1))
                error("careflow.model.invalid_timer", subject,
                      "a repeating timer needs a period of at least 1 second, not " + t.delay.to_string());
        }
    }

    void check_conditions(const std::vector<sla_condition>& cs, const std::string& subject) {
        for (const auto& c : cs) {
            if (c.on == sla_condition::kind::event) {
                if (!p_.find_event(c.name))
                    error("careflow.model.unknown_event", subject, "condition names unknown event " + q(c.name));
            } else if (h_.find(c.name) < 0) {
                error("careflow.model.unknown_state", subject, "condition names unknown state " + q(c.name));
            }
        }
    }

    void slas() {
        for (const auto& s : p_.slas()) {
            const std::string subject = "sla " + q(s.name);
            if (s.start.empty()) error("careflow.model.invalid_sla", subject, "has no start condition");
            if (s.stop.empty() && s.cancel.empty())
                warning("careflow.model.sla_never_stops", subject, "has no stop or cancel condition");
            for (const auto* cs : {&s.start, &s.stop, &s.pause, &s.resume, &s.cancel}) check_conditions(*cs, subject);
            if (!s.deadline.empty())
                check_expr(s.deadline, nullptr, subject, value_type::time, nullptr, "deadline");
            else if (!s.goal.valid())
                error("careflow.model.invalid_sla", subject, "needs a positive goal, not " + s.goal.to_string());
            if (s.warnings.size() > 4)
                error("careflow.model.invalid_sla", subject,
                      "at most 4 warning thresholds, not " + std::to_string(s.warnings.size()));
            for (double w : s.warnings)
                if (!(w > 0.0 && w < 1.0))
                    error("careflow.model.invalid_sla", subject,
                          "warning threshold " + std::to_string(w) + " is not within (0, 1)");
            for (const auto* e : {&s.warning_event, &s.breach_event})
                if (!e->empty() && !p_.find_event(*e))
                    error("careflow.model.unknown_event", subject, "sends unknown event " + q(*e));
            if (!s.duty.empty() && !has_duty(s.duty))
                error("careflow.model.unknown_duty", subject, "is accountable to undeclared duty " + q(s.duty));
        }
    }

    bool exempt(int s) const {
        for (int a : h_.ancestry(s))
            if (p_.state(static_cast<std::size_t>(a)).open_ended) return true;
        return false;
    }

    void graph_rules() {
        using graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
        const std::size_t n = p_.state_count();
        graph g(n + 1); // + a sink every final state leads to
        const std::size_t sink = n;
        graph eventless(n); // unguarded eventless steps, for cycle detection
        for (std::size_t s = 0; s < n; ++s) {
            if (h_.compound(static_cast<int>(s))) continue;
            if (p_.state(s).is_final) boost::add_edge(s, sink, g);
            for (int a : h_.ancestry(static_cast<int>(s))) {
                for (auto e : boost::make_iterator_range(boost::out_edges(static_cast<std::size_t>(a), p_.graph()))) {
                    const auto& d = p_.graph()[e];
                    if (d.target.empty()) continue; // internal
                    const int to = h_.leaf(static_cast<int>(boost::target(e, p_.graph())));
                    if (to < 0) continue;
                    boost::add_edge(s, static_cast<std::size_t>(to), g);
                    if (d.event.empty() && d.when.empty()) boost::add_edge(s, static_cast<std::size_t>(to), eventless);
                }
            }
        }
        const int start = h_.leaf(h_.top);
        if (start < 0) return;

        std::vector<boost::default_color_type> seen(n + 1, boost::white_color);
        boost::breadth_first_search(
            g, static_cast<std::size_t>(start),
            boost::color_map(boost::make_iterator_property_map(seen.begin(), boost::get(boost::vertex_index, g))));
        auto reached = [&](std::size_t s) { return seen[s] != boost::white_color; };

        std::vector<boost::default_color_type> back(n + 1, boost::white_color);
        auto rg = boost::make_reverse_graph(g);
        boost::breadth_first_search(
            rg, sink,
            boost::color_map(boost::make_iterator_property_map(back.begin(), boost::get(boost::vertex_index, rg))));
        auto finishes = [&](std::size_t s) { return back[s] != boost::white_color; };

        for (std::size_t s = 0; s < n; ++s) {
            const std::string subject = "state " + q(p_.state(s).name);
            // A compound state counts as reached when one of its leaves is; paths to a final
            // state are reported on the leaves themselves.
            bool r = false;
            for (std::size_t l = 0; l < n; ++l)
                if (!h_.compound(static_cast<int>(l)) && h_.within(static_cast<int>(l), static_cast<int>(s)))
                    r = r || reached(l);
            if (!r) {
                error("careflow.model.unreachable_state", subject,
                      "cannot be reached from the initial state " + q(p_.initial()));
                continue;
            }
            if (!h_.compound(static_cast<int>(s)) && !finishes(s) && !exempt(static_cast<int>(s)))
                error("careflow.model.no_path_to_final", subject,
                      "no final state can be reached from it (mark it open_ended() if that is intended)");
            if (!h_.compound(static_cast<int>(s)) && !p_.state(s).is_final)
                timer_only_exit(static_cast<int>(s), subject);
        }

        struct cycle_finder : boost::default_dfs_visitor {
            bool* found;
            void back_edge(graph::edge_descriptor, const graph&) const { *found = true; }
        };
        bool cyclic = false;
        boost::depth_first_search(eventless, boost::visitor(cycle_finder{{}, &cyclic}));
        if (cyclic)
            error("careflow.model.eventless_cycle", "procedure " + q(p_.name()),
                  "unguarded eventless transitions form a cycle (a case would never settle)");
        else
            spawn_cycle(start, eventless);
    }

    // A case that spawns a case of its own procedure on the way into its first resting
    // state — entry actions of the states a start enters, and actions of the unguarded
    // eventless transitions it then takes — starts another that does the same: cases
    // would spawn without end. (The engine also bounds spawn depth at run time.)
    template <class Graph>
    void spawn_cycle(int start, const Graph& eventless) {
        std::set<int> entered;
        std::vector<int> todo{start};
        while (!todo.empty()) {
            const int leaf = todo.back();
            todo.pop_back();
            for (int a : h_.ancestry(leaf)) entered.insert(a);
            for (auto e : boost::make_iterator_range(boost::out_edges(static_cast<std::size_t>(leaf), eventless))) {
                const int to = static_cast<int>(boost::target(e, eventless));
                if (!entered.count(to)) todo.push_back(to);
            }
        }
        auto spawns_self = [&](const std::vector<action>& actions) {
            return std::any_of(actions.begin(), actions.end(),
                               [&](const action& a) { return a.kind == action_kind::spawn && a.target == p_.name(); });
        };
        for (int s : entered) {
            bool self = spawns_self(p_.state(static_cast<std::size_t>(s)).on_entry);
            for (auto e : boost::make_iterator_range(boost::out_edges(static_cast<std::size_t>(s), p_.graph()))) {
                const auto& d = p_.graph()[e];
                if (d.event.empty() && d.when.empty() && spawns_self(d.actions)) self = true;
            }
            if (self)
                error("careflow.model.spawn_cycle", "state " + q(p_.state(static_cast<std::size_t>(s)).name),
                      "every case spawns a case of " + q(p_.name()) +
                          " before its first event, which spawns another: cases would spawn without end");
        }
    }

    // Warn when every way out of a leaf is an event only its own (or its ancestors') timers send.
    void timer_only_exit(int s, const std::string& subject) {
        std::set<std::string> timer_events;
        for (const auto& t : p_.timers())
            if (h_.within(s, h_.find(t.state))) timer_events.insert(t.event);
        bool any = false, all_timed = true;
        for (int a : h_.ancestry(s))
            for (auto e : boost::make_iterator_range(boost::out_edges(static_cast<std::size_t>(a), p_.graph()))) {
                const auto& d = p_.graph()[e];
                if (d.target.empty()) continue;
                any = true;
                if (d.event.empty() || !timer_events.count(d.event)) all_timed = false;
            }
        if (any && all_timed)
            warning("careflow.model.timer_only_exit", subject, "can only be left when one of its timers fires");
    }

    void unused_events() {
        std::set<std::string> used;
        for (auto t : p_.transitions()) used.insert(p_.transition(t).event);
        for (const auto& s : p_.slas()) {
            for (const auto* cs : {&s.start, &s.stop, &s.pause, &s.resume, &s.cancel})
                for (const auto& c : *cs)
                    if (c.on == sla_condition::kind::event) used.insert(c.name);
            used.insert(s.warning_event);
            used.insert(s.breach_event);
        }
        for (const auto& e : p_.events())
            if (!used.count(e.name))
                warning("careflow.model.unused_event", "event " + q(e.name), "no transition or SLA clock uses it");
    }

    const procedure& p_;
    hierarchy h_;
    std::vector<diagnostic>& out_;
    bool structural_errors_ = false;
};

} // namespace

void check_personal(const procedure& p, std::vector<diagnostic>& out); // validate_personal.cpp

void check_procedure(const procedure& p, std::vector<diagnostic>& out) {
    checker(p, out).run();
    check_personal(p, out);
}

} // namespace detail

std::vector<diagnostic> validate(const procedure& p) {
    std::vector<diagnostic> out;
    detail::check_procedure(p, out);
    return out;
}

} // namespace careflow
