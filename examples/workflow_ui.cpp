// What a workflow UI asks the engine: which buttons to show each person on a case
// (engine::options — the events they may apply now, and why the others are refused),
// the case in the API's types (get<T>, report), and the journal as it is written
// (a journal_sink), on the shipped first-visit procedure.
//
//   booked ──screening_opens──► screening ──screen──► matching ──assign_counselor──►
//   pre_contact ──contacted{responsible}──► ready ──start_session──► consultation ...
//
// Expected output: examples/workflow_ui.expected.
#include <careflow/careflow.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>

#include <iostream>

using namespace careflow;
using boost::posix_time::hours;

namespace {

// Prints each record once the input that made it is committed.
struct printer : journal_sink {
    void append(std::size_t first, std::span<const journal_entry> records) override {
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto& r = records[i];
            std::cout << "  journal #" << first + i << ": " << to_string(r.kind) << ' ' << r.event;
            if (r.kind == record_kind::sla) // what the clock did, and who is accountable
                std::cout << ' ' << r.detail << (r.actor.empty() ? "" : ", accountable " + r.actor) << '\n';
            else
                std::cout << (r.actor.empty() ? "" : " by " + r.actor) << " -> " << to_string(r.result)
                          << (r.to.empty() ? "" : " (" + r.to + ")") << '\n';
        }
    }
};

void show(const engine& e, case_id id, const actor& who) {
    std::cout << who.id << " may:";
    for (const auto& o : e.options(id, who)) {
        if (o.kind == outcome::applied)
            std::cout << ' ' << o.event << (o.needs_payload ? "(…)" : "");
        else
            std::cout << " [not " << o.event << ": " << o.code.substr(o.code.rfind('.') + 1) << ']';
    }
    std::cout << '\n';
}

} // namespace

int main() {
    engine e;
    procedures::install_all(e);
    printer sink;
    e.set_journal_sink(&sink);

    const actor reception{"reception", {"receptionist"}};
    const actor back_office{"back-office", {"back_office"}};
    const actor li{"dr-li", {"counselor"}};
    const actor wang{"dr-wang", {"counselor"}};
    const time_point now(boost::gregorian::date(2026, 11, 23), hours(1)); // Monday 09:00 in Shanghai
    const time_point visit = now + hours(72);

    std::cout << "A first visit is booked for Thursday:\n";
    e.start("first_visit", 1, {{"appointment_at", visit}}, now, reception);
    e.advance(visit - hours(24)); // the screening window opens the day before
    std::cout << "state: " << e.get(1).path() << '\n';
    show(e, 1, back_office);
    show(e, 1, li);

    std::cout << "Back office screens, reception makes dr-li responsible:\n";
    e.dispatch(1, "screen", {{"risk", 1}, {"in_scope", true}}, visit - hours(23), back_office);
    e.dispatch(1, "assign_counselor", {{"counselor", "dr-li"}, {"by_rule", true}}, visit - hours(22), reception);
    show(e, 1, li);
    show(e, 1, wang);

    std::cout << "dr-wang tries anyway; dr-li calls the client:\n";
    const result r = e.dispatch(1, "contacted", visit - hours(21), wang);
    std::cout << "  " << to_string(r.kind) << ": " << r.reason << '\n';
    e.dispatch(1, "contacted", visit - hours(20), li);
    const case_view c = e.get(1);
    std::cout << "state: " << c.path() << "; responsible: " << c.assignee("responsible")
              << "; risk: " << c.get<int>("risk") << '\n';
    for (const auto& clock : c.prog().slas()) {
        const sla_report s = c.report(clock.name);
        std::cout << "clock " << s.name << ": " << to_string(s.status);
        if (s.stopped) std::cout << " at " << boost::posix_time::to_simple_string(*s.stopped) << " UTC";
        if (!s.accountable.empty()) std::cout << ", accountable: " << s.accountable;
        std::cout << '\n';
    }
}
