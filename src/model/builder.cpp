// procedure_builder: collecting declarations and assembling them into a validated procedure.
#include <careflow/error.hpp>
#include <careflow/model/builder.hpp>

#include <map>

namespace careflow {

namespace detail {
void check_procedure(const procedure& p, std::vector<diagnostic>& out); // validate.cpp
}

// ---- state_builder ----------------------------------------------------------

state_decl& state_builder::decl() { return b_->states_[i_]; }

state_builder& state_builder::parent(std::string parent) {
    decl().parent = std::move(parent);
    return *this;
}
state_builder& state_builder::initial(std::string child) {
    decl().initial = std::move(child);
    return *this;
}
state_builder& state_builder::final() {
    decl().is_final = true;
    return *this;
}
state_builder& state_builder::open_ended() {
    decl().open_ended = true;
    return *this;
}
state_builder& state_builder::describe(std::string text) {
    decl().description = std::move(text);
    return *this;
}
state_builder& state_builder::on_entry(action a) {
    decl().on_entry.push_back(std::move(a));
    return *this;
}
state_builder& state_builder::on_exit(action a) {
    decl().on_exit.push_back(std::move(a));
    return *this;
}

state_builder& state_builder::after(span delay, std::string event, std::string calendar) {
    every(delay, std::move(event), 1, std::move(calendar));
    b_->p_.timers_[last_timer_].kind = timer_kind::after;
    return *this;
}

state_builder& state_builder::every(span period, std::string event, int count, std::string calendar) {
    timer_decl t;
    t.name = decl().name + "." + event;
    t.state = decl().name;
    t.event = std::move(event);
    t.kind = timer_kind::every;
    t.delay = period;
    t.count = count;
    t.calendar = std::move(calendar);
    b_->p_.timers_.push_back(std::move(t));
    last_timer_ = b_->p_.timers_.size() - 1;
    return *this;
}

state_builder& state_builder::at(expr deadline, std::string event, std::string calendar) {
    timer_decl t;
    t.calendar = std::move(calendar);
    t.name = decl().name + "." + event;
    t.state = decl().name;
    t.event = std::move(event);
    t.kind = timer_kind::at;
    t.deadline = std::move(deadline);
    b_->p_.timers_.push_back(std::move(t));
    last_timer_ = b_->p_.timers_.size() - 1;
    return *this;
}

state_builder& state_builder::named(std::string timer_name) {
    if (last_timer_ >= b_->p_.timers_.size())
        throw error("careflow.model.no_timer",
                    "named('" + timer_name + "') on state '" + decl().name + "' before any timer was declared on it");
    b_->p_.timers_[last_timer_].name = std::move(timer_name);
    return *this;
}

// ---- transition_builder -----------------------------------------------------

transition_decl& transition_builder::decl() { return b_->transitions_[i_]; }

transition_builder& transition_builder::on(std::string event) {
    decl().event = std::move(event);
    return *this;
}
transition_builder& transition_builder::when(expr condition) {
    decl().when = guard{std::move(condition), {}, {}, {}};
    return *this;
}
transition_builder& transition_builder::when(std::string label, host_guard predicate,
                                             std::vector<std::pair<std::string, value_type>> reads) {
    decl().when = guard{{}, std::move(predicate), std::move(label), std::move(reads)};
    return *this;
}
transition_builder& transition_builder::then(action a) {
    decl().actions.push_back(std::move(a));
    return *this;
}
transition_builder& transition_builder::require_role(std::string role) {
    decl().roles.push_back(std::move(role));
    return *this;
}
transition_builder& transition_builder::by_assignee(std::string duty) {
    decl().duty = std::move(duty);
    return *this;
}

// ---- sla_builder ------------------------------------------------------------

sla_decl& sla_builder::decl() { return b_->p_.slas_[i_]; }

sla_builder& sla_builder::start(sla_condition c) {
    decl().start.push_back(std::move(c));
    return *this;
}
sla_builder& sla_builder::stop(sla_condition c) {
    decl().stop.push_back(std::move(c));
    return *this;
}
sla_builder& sla_builder::pause(sla_condition c) {
    decl().pause.push_back(std::move(c));
    return *this;
}
sla_builder& sla_builder::resume(sla_condition c) {
    decl().resume.push_back(std::move(c));
    return *this;
}
sla_builder& sla_builder::cancel(sla_condition c) {
    decl().cancel.push_back(std::move(c));
    return *this;
}
sla_builder& sla_builder::goal(span g, std::string calendar) {
    decl().goal = g;
    decl().calendar = std::move(calendar);
    return *this;
}
sla_builder& sla_builder::goal_at(expr deadline, std::string calendar) {
    decl().deadline = std::move(deadline);
    decl().calendar = std::move(calendar);
    return *this;
}
sla_builder& sla_builder::warn_at(std::vector<double> fractions) {
    decl().warnings = std::move(fractions);
    return *this;
}
sla_builder& sla_builder::on_warning(std::string event) {
    decl().warning_event = std::move(event);
    return *this;
}
sla_builder& sla_builder::on_breach(std::string event) {
    decl().breach_event = std::move(event);
    return *this;
}
sla_builder& sla_builder::accountable(std::string duty) {
    decl().duty = std::move(duty);
    return *this;
}

// ---- read_rule_builder ------------------------------------------------------

read_rule& read_rule_builder::decl() { return b_->p_.read_rules_[i_]; }

read_rule_builder& read_rule_builder::by_role(std::string role) {
    decl().roles.push_back(std::move(role));
    return *this;
}
read_rule_builder& read_rule_builder::by_assignee(std::string duty) {
    decl().duty = std::move(duty);
    return *this;
}
read_rule_builder& read_rule_builder::in(std::string state) {
    decl().states.push_back(std::move(state));
    return *this;
}
read_rule_builder& read_rule_builder::items(std::vector<std::string> names) {
    auto& mine = decl().items;
    mine.insert(mine.end(), std::make_move_iterator(names.begin()), std::make_move_iterator(names.end()));
    return *this;
}
read_rule_builder& read_rule_builder::describe(std::string text) {
    decl().description = std::move(text);
    return *this;
}

// ---- procedure_builder ------------------------------------------------------

procedure_builder::procedure_builder(std::string name, int version) {
    p_.name_ = std::move(name);
    p_.version_ = version;
}

procedure_builder& procedure_builder::describe(std::string text) {
    p_.description_ = std::move(text);
    return *this;
}

procedure_builder& procedure_builder::variable(std::string name, value_type type, value initial) {
    p_.variables_.push_back(variable_decl{std::move(name), type, std::move(initial), {}, sensitivity::none});
    return *this;
}

procedure_builder& procedure_builder::enumeration(std::string name, std::vector<std::string> symbols,
                                                  std::string initial) {
    value init = initial.empty() ? value{} : value(symbol{std::move(initial)});
    p_.variables_.push_back(variable_decl{std::move(name), value_type::enumeration, std::move(init), std::move(symbols),
                                          sensitivity::none});
    return *this;
}

procedure_builder& procedure_builder::event(std::string name, std::vector<field_decl> payload) {
    p_.events_.push_back(event_decl{std::move(name), std::move(payload)});
    return *this;
}

procedure_builder& procedure_builder::personal(std::string_view variable, sensitivity level) {
    for (auto& v : p_.variables_)
        if (v.name == variable) {
            v.personal = level;
            return *this;
        }
    throw error("careflow.model.unknown_variable",
                "personal('" + std::string(variable) + "'): no such variable declared");
}

read_rule_builder procedure_builder::may_read(std::vector<std::string> items) {
    read_rule r;
    r.items = std::move(items);
    p_.read_rules_.push_back(std::move(r));
    return read_rule_builder(this, p_.read_rules_.size() - 1);
}

read_rule_builder procedure_builder::may_read(sensitivity up_to) {
    read_rule r;
    r.up_to = up_to;
    p_.read_rules_.push_back(std::move(r));
    return read_rule_builder(this, p_.read_rules_.size() - 1);
}

procedure_builder& procedure_builder::consent(std::string topic, std::string description) {
    p_.consents_.push_back(consent_decl{std::move(topic), std::move(description)});
    return *this;
}

procedure_builder& procedure_builder::duty(std::string name) {
    p_.duties_.push_back(std::move(name));
    return *this;
}

procedure_builder& procedure_builder::host(std::string name, host_action fn) {
    p_.host_actions_.push_back(host_action_decl{std::move(name), std::move(fn)});
    return *this;
}

procedure_builder& procedure_builder::initial(std::string state) {
    p_.initial_ = std::move(state);
    return *this;
}

state_builder procedure_builder::state(std::string name) {
    state_decl s;
    s.name = std::move(name);
    states_.push_back(std::move(s));
    return state_builder(this, states_.size() - 1);
}

state_builder procedure_builder::edit(std::string_view name) {
    for (std::size_t i = 0; i < states_.size(); ++i)
        if (states_[i].name == name) return state_builder(this, i);
    throw error("careflow.model.unknown_state", "edit('" + std::string(name) + "'): no such state declared");
}

transition_builder procedure_builder::transition(std::string source, std::string target) {
    transition_decl t;
    t.source = std::move(source);
    t.target = std::move(target);
    t.order = transitions_.size();
    transitions_.push_back(std::move(t));
    return transition_builder(this, transitions_.size() - 1);
}

transition_builder procedure_builder::internal(std::string source) { return transition(std::move(source), {}); }

sla_builder procedure_builder::sla(std::string name) {
    sla_decl s;
    s.name = std::move(name);
    p_.slas_.push_back(std::move(s));
    return sla_builder(this, p_.slas_.size() - 1);
}

namespace {
std::string transition_subject(const transition_decl& t) {
    return "transition '" + t.source + "' -" + (t.event.empty() ? std::string("(eventless)") : t.event) + "-> '" +
           (t.target.empty() ? t.source : t.target) + "'";
}
} // namespace

procedure procedure_builder::assemble(std::vector<diagnostic>& out) const {
    procedure p = p_;
    std::map<std::string, procedure::state_id> index;
    for (const auto& s : states_) {
        const auto v = boost::add_vertex(s, p.graph_);
        if (!index.emplace(s.name, v).second)
            out.push_back({severity::error, "careflow.model.duplicate_name", "state '" + s.name + "'",
                           "declared more than once"});
    }
    if (p.initial_.empty())
        for (const auto& s : states_)
            if (s.parent.empty()) {
                p.initial_ = s.name;
                break;
            }
    for (const auto& t : transitions_) {
        auto src = index.find(t.source);
        auto dst = t.target.empty() ? src : index.find(t.target);
        if (src == index.end() || dst == index.end()) {
            const std::string& missing = src == index.end() ? t.source : t.target;
            out.push_back({severity::error, "careflow.model.unknown_state", transition_subject(t),
                           "refers to unknown state '" + missing + "'"});
            continue;
        }
        boost::add_edge(src->second, dst->second, t, p.graph_);
    }
    detail::check_procedure(p, out);
    return p;
}

std::vector<diagnostic> procedure_builder::validate() const {
    std::vector<diagnostic> out;
    (void)assemble(out);
    return out;
}

procedure procedure_builder::build() const {
    std::vector<diagnostic> ds;
    procedure p = assemble(ds);
    if (!has_errors(ds)) return p;
    std::string message = "procedure '" + p_.name_ + "' has errors:";
    const diagnostic* first = nullptr;
    for (const auto& d : ds)
        if (d.level == severity::error) {
            if (!first) first = &d;
            message += "\n  " + d.to_string();
        }
    throw error(first->id, message);
}

} // namespace careflow
