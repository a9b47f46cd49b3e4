// Validation of a procedure's personal data: its read rules name personal items, a
// reader and known duties and states; and no action copies personal data somewhere less
// protected (a personal field into a plain variable, a client's name into a duty's
// assignee, which is journaled in clear as a staff id).
#include <careflow/model/procedure.hpp>
#include <careflow/model/validate.hpp>

#include <algorithm>

namespace careflow::detail {

namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

class personal_checker {
public:
    personal_checker(const procedure& p, std::vector<diagnostic>& out) : p_(p), out_(out) {}

    void run() {
        for (std::size_t i = 0; i < p_.read_rules().size(); ++i) rule(p_.read_rules()[i], i);
        for (auto t : p_.transitions()) {
            const auto& d = p_.transition(t);
            const event_decl* ev = d.event.empty() ? nullptr : p_.find_event(d.event);
            const std::string subject = "transition " + q(d.source) + " -" +
                                        (d.event.empty() ? std::string("(eventless)") : d.event) + "-> " +
                                        q(d.target.empty() ? d.source : d.target);
            for (const auto& a : d.actions) flow(a, ev, subject);
        }
        for (std::size_t s = 0; s < p_.state_count(); ++s) {
            const auto& st = p_.state(s);
            for (const auto& a : st.on_entry) flow(a, nullptr, "state " + q(st.name));
            for (const auto& a : st.on_exit) flow(a, nullptr, "state " + q(st.name));
        }
    }

private:
    void error(std::string id, std::string subject, std::string message) {
        out_.push_back({severity::error, std::move(id), std::move(subject), std::move(message)});
    }

    /// The sensitivity of a personal item by its rule name, or nothing when it is not one.
    std::optional<sensitivity> item(const std::string& name) const {
        if (const auto* v = p_.find_variable(name)) return v->personal;
        const auto dot = name.find('.');
        if (dot == std::string::npos) return std::nullopt;
        const auto* ev = p_.find_event(name.substr(0, dot));
        if (!ev) return std::nullopt;
        for (const auto& f : ev->payload)
            if (f.name == name.substr(dot + 1)) return f.personal;
        return std::nullopt;
    }

    void rule(const read_rule& r, std::size_t i) {
        const std::string subject =
            "read rule " + std::to_string(i + 1) + (r.description.empty() ? std::string() : " (" + r.description + ")");
        if (r.items.empty() && r.up_to == sensitivity::none)
            error("careflow.model.bad_read_rule", subject, "names no item and no sensitivity");
        if (r.roles.empty() && r.duty.empty())
            error("careflow.model.bad_read_rule", subject,
                  "names no reader: give the roles or the duty whose holders may read");
        for (const auto& name : r.items) {
            const auto level = item(name);
            if (!level)
                error("careflow.model.unknown_item", subject,
                      "names " + q(name) + ", neither a variable nor a payload field (\"event.field\")");
            else if (*level == sensitivity::none)
                error("careflow.model.unknown_item", subject,
                      "names " + q(name) + ", which is not personal (anyone may read it)");
        }
        for (const auto& role : r.roles)
            if (role.empty()) error("careflow.model.empty_name", subject, "names an unnamed role");
        if (!r.duty.empty() && std::find(p_.duties().begin(), p_.duties().end(), r.duty) == p_.duties().end())
            error("careflow.model.unknown_duty", subject, "names undeclared duty " + q(r.duty));
        for (const auto& s : r.states)
            if (!p_.find_state(s)) error("careflow.model.unknown_state", subject, "names unknown state " + q(s));
    }

    /// The most sensitive item `e` reads (unknown names are validate.cpp's to report).
    sensitivity reads(const expr& e, const event_decl* ev) const {
        if (e.empty()) return sensitivity::none;
        const expr_node& n = *e.node();
        sensitivity s = std::max(reads(n.lhs, ev), reads(n.rhs, ev));
        if (n.op == expr_op::variable) {
            if (const auto* v = p_.find_variable(n.name)) s = std::max(s, v->personal);
        } else if (n.op == expr_op::field && ev) {
            for (const auto& f : ev->payload)
                if (f.name == n.name) s = std::max(s, f.personal);
        }
        return s;
    }

    void flow(const action& a, const event_decl* ev, const std::string& subject) {
        if (a.kind == action_kind::set) {
            const auto* v = p_.find_variable(a.target);
            const sensitivity from = reads(a.value, ev);
            if (v && from > v->personal)
                error("careflow.model.personal_flow", subject,
                      "sets " + q(a.target) + " (" + std::string(to_string(v->personal)) + ") from " +
                          std::string(to_string(from)) + " data: mark it personal(" + q(a.target) + ", " +
                          std::string(to_string(from)) + ")");
        } else if (a.kind == action_kind::assign && reads(a.value, ev) != sensitivity::none) {
            error("careflow.model.personal_flow", subject,
                  "assigns duty " + q(a.target) + " from personal data (assignees are staff, journaled in clear)");
        }
    }

    const procedure& p_;
    std::vector<diagnostic>& out_;
};

} // namespace

void check_personal(const procedure& p, std::vector<diagnostic>& out) { personal_checker(p, out).run(); }

} // namespace careflow::detail
