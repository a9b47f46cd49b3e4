// Graphviz export. Written by hand rather than with boost::write_graphviz because
// compound states must become nested clusters, which write_graphviz cannot express.
#include "../detail/hierarchy.hpp"

#include <careflow/model/dot.hpp>
#include <careflow/model/procedure.hpp>

#include <sstream>

namespace careflow {
namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string quoted(const std::string& s) { return "\"" + escape(s) + "\""; }

std::string timer_line(const timer_decl& t) {
    std::string when;
    switch (t.kind) {
    case timer_kind::after: when = "after " + t.delay.to_string(); break;
    case timer_kind::every: when = "every " + t.delay.to_string() + " x" + std::to_string(t.count); break;
    case timer_kind::at: when = "at " + t.deadline.to_string(); break;
    }
    if (!t.calendar.empty()) when += " (" + t.calendar + ")";
    return "timer " + when + " -> " + t.event;
}

std::string edge_label(const transition_decl& t) {
    std::string l = t.event;
    if (!t.when.empty()) l += (l.empty() ? "" : " ") + std::string("[") + t.when.to_string() + "]";
    if (!t.actions.empty()) {
        l += " /";
        for (std::size_t i = 0; i < t.actions.size(); ++i) l += (i ? "; " : " ") + t.actions[i].to_string();
    }
    if (!t.roles.empty()) {
        l += " {";
        for (std::size_t i = 0; i < t.roles.size(); ++i) l += (i ? "|" : "") + t.roles[i];
        l += "}";
    }
    if (!t.duty.empty()) l += " <by " + t.duty + ">";
    return l;
}

std::string conditions(const char* what, const std::vector<sla_condition>& cs) {
    if (cs.empty()) return {};
    std::string s = std::string("\\l  ") + what + ":";
    for (const auto& c : cs) {
        const char* k = c.on == sla_condition::kind::entered ? " entered "
                        : c.on == sla_condition::kind::left  ? " left "
                                                             : " on ";
        s += k + escape(c.name);
    }
    return s;
}

class writer {
public:
    writer(const procedure& p, const dot_options& o) : p_(p), h_(p), o_(o) {}

    std::string run() {
        out_ << "digraph " << quoted(p_.name()) << " {\n"
             << "  graph [compound=true, rankdir=LR, fontname=\"Helvetica\", labelloc=t, label="
             << quoted(p_.name() + " v" + std::to_string(p_.version())) << "];\n"
             << "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];\n"
             << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
        for (std::size_t s = 0; s < p_.state_count(); ++s)
            if (h_.parent[s] < 0) state(static_cast<int>(s), 1);
        if (h_.top >= 0) {
            out_ << "  \"__start\" [shape=point, width=0.15, label=\"\"];\n";
            arrow("__start", h_.top, -1, "");
        }
        for (auto e : p_.transitions()) transition(e);
        if (o_.show_slas && !p_.slas().empty()) slas();
        out_ << "}\n";
        return out_.str();
    }

private:
    // The node edges attach to for state s (a compound's first leaf, clipped to its cluster).
    int anchor(int s) const {
        while (s >= 0 && h_.compound(s)) {
            const int i = h_.initial[static_cast<std::size_t>(s)];
            s = i >= 0 ? i : h_.children[static_cast<std::size_t>(s)].front();
        }
        return s;
    }
    std::string id(int s) const { return quoted(p_.state(static_cast<std::size_t>(s)).name); }
    std::string cluster(int s) const { return quoted("cluster_" + p_.state(static_cast<std::size_t>(s)).name); }

    void arrow(const std::string& from_id, int to, int from, const std::string& attrs) {
        out_ << "  " << (from >= 0 ? id(anchor(from)) : quoted(from_id)) << " -> " << id(anchor(to)) << " [";
        std::string a = attrs;
        // A loop on a compound state (an internal transition) stays on its anchor: clipping
        // both ends to the same cluster is something Graphviz cannot draw.
        const bool loop = from == to;
        if (!loop && from >= 0 && h_.compound(from))
            a += (a.empty() ? "" : ", ") + std::string("ltail=") + cluster(from);
        if (!loop && h_.compound(to)) a += (a.empty() ? "" : ", ") + std::string("lhead=") + cluster(to);
        out_ << a << "];\n";
    }

    // Lines under a state's name: entry/exit actions, then timers.
    std::string details_of(int s) const {
        const auto& d = p_.state(static_cast<std::size_t>(s));
        std::string t;
        for (const auto& a : d.on_entry) t += "\\nentry / " + escape(a.to_string());
        for (const auto& a : d.on_exit) t += "\\nexit / " + escape(a.to_string());
        if (!o_.show_timers) return t;
        for (const auto& tm : p_.timers())
            if (tm.state == d.name) t += "\\n" + escape(timer_line(tm));
        return t;
    }

    void state(int s, int indent) {
        const auto& d = p_.state(static_cast<std::size_t>(s));
        const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
        const bool lit = !o_.highlight.empty() && o_.highlight == d.name;
        if (h_.compound(s)) {
            out_ << pad << "subgraph " << cluster(s) << " {\n"
                 << pad << "  label=\"" << escape(d.name) << details_of(s) << "\"; style=\"rounded"
                 << (lit ? ",filled\"; fillcolor=\"#ffe08a\"" : "\"") << ";\n";
            for (int c : h_.children[static_cast<std::size_t>(s)]) state(c, indent + 1);
            out_ << pad << "}\n";
            return;
        }
        out_ << pad << id(s) << " [label=\"" << escape(d.name) << details_of(s) << "\"";
        if (d.is_final) out_ << ", shape=doublecircle";
        if (lit) out_ << ", style=\"rounded,filled\", fillcolor=\"#ffe08a\", penwidth=2";
        out_ << "];\n";
    }

    void transition(const procedure::transition_id& e) {
        const auto& t = p_.transition(e);
        const int from = static_cast<int>(boost::source(e, p_.graph()));
        const int to = static_cast<int>(boost::target(e, p_.graph()));
        std::string attrs = "label=" + quoted(edge_label(t));
        if (t.target.empty()) attrs += ", style=dashed";
        if (t.event.empty()) attrs += ", color=\"#555555\"";
        arrow("", to, from, attrs);
    }

    void slas() {
        out_ << "  \"__slas\" [shape=note, style=\"\", fontsize=9, label=\"";
        for (const auto& s : p_.slas()) {
            out_ << "SLA " << escape(s.name) << ": "
                 << escape(s.deadline.empty() ? s.goal.to_string() : "by " + s.deadline.to_string());
            if (!s.calendar.empty()) out_ << " (" << escape(s.calendar) << ")";
            out_ << conditions("start", s.start) << conditions("stop", s.stop) << conditions("pause", s.pause)
                 << conditions("resume", s.resume) << conditions("cancel", s.cancel) << "\\l";
        }
        out_ << "\"];\n";
    }

    const procedure& p_;
    detail::hierarchy h_;
    const dot_options& o_;
    std::ostringstream out_;
};

} // namespace

std::string to_dot(const procedure& p, const dot_options& options) { return writer(p, options).run(); }

} // namespace careflow
