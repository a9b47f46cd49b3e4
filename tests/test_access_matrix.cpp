// Who may read which personal item of each shipped procedure, in which state: every role
// and every duty's assignee × every personal item × every leaf state, against the policy
// written out here leaf by leaf (docs/security.md states the same in words).
#include "fixtures.hpp"

#include <map>
#include <set>

using namespace careflow;
using namespace careflow::test;

namespace {

const std::vector<std::string> all_roles{"operator",    "counselor", "callback_agent", "receptionist",
                                         "back_office", "manager",   "supervisor"};

/// `reader` ("role:manager", "duty:counselor") may read `items` in `leaves` (empty: every state).
struct grant {
    std::string reader;
    std::vector<std::string> items;
    std::vector<std::string> leaves;
};

void check_matrix(const program& p, const std::vector<std::string>& items, const std::vector<grant>& grants) {
    std::vector<std::string> declared;
    for (const auto& i : p.personal_items()) declared.push_back(i.name);
    CHECK(declared == items);

    std::vector<std::string> readers;
    for (const auto& r : all_roles) readers.push_back("role:" + r);
    for (const auto& d : p.duties()) readers.push_back("duty:" + d);
    int cells = 0;
    for (const auto& reader : readers) {
        const bool is_role = reader.rfind("role:", 0) == 0;
        const std::string name = reader.substr(5);
        const std::uint64_t mask = is_role ? p.role_mask(std::vector<std::string>{name}) : 0;
        const auto duty = is_role ? std::nullopt : p.find_duty(name);
        for (std::size_t s = 0; s < p.states().size(); ++s) {
            const auto& st = p.states()[s];
            if (st.compound) continue;
            const std::uint64_t may =
                p.readable(static_cast<state_index>(s), mask, [&](std::uint16_t d) { return duty && d == *duty; });
            std::set<std::string> expected;
            for (const auto& g : grants)
                if (g.reader == reader &&
                    (g.leaves.empty() || std::find(g.leaves.begin(), g.leaves.end(), st.name) != g.leaves.end()))
                    expected.insert(g.items.begin(), g.items.end());
            for (std::size_t i = 0; i < p.personal_items().size(); ++i) {
                INFO(p.name() << ": " << reader << " in " << st.name << " reading " << p.personal_items()[i].name);
                CHECK(((may >> i) & 1U) == expected.count(p.personal_items()[i].name));
                ++cells;
            }
        }
    }
    CHECK(cells == static_cast<int>(readers.size() * items.size()) *
                       static_cast<int>(std::count_if(p.states().begin(), p.states().end(),
                                                      [](const program_state& s) { return !s.compound; })));
}

} // namespace

TEST_CASE("hotline call: the operator during the call, a counselor taking the transfer, the file's readers") {
    const auto p = procedures::hotline_call_program();
    const std::vector<std::string> all{"caller",         "contact",       "reason",           "urgency",
                                       "handover_note",  "register.name", "register.contact", "register.reason",
                                       "assess.urgency", "handover.note"};
    const std::vector<std::string> talking{"registration",       "assessment",     "crisis",     "handover",
                                           "awaiting_counselor", "identity_check", "counseling", "resolution"};
    check_matrix(*p, all,
                 {{"duty:operator", all, talking},
                  {"role:counselor",
                   {"caller", "reason", "urgency", "handover_note", "handover.note"},
                   {"awaiting_counselor", "crisis"}},
                  {"duty:counselor", all, {}},
                  {"duty:recorder", all, {"recording", "awaiting_feedback"}},
                  {"role:manager", all, {}}});
}

TEST_CASE("phone callback: the agent reads whom to call, the conversation's notes only while in it") {
    const auto p = procedures::phone_callback_program();
    const std::vector<std::string> all{
        "contact", "emotion", "effect", "suggestions", "feedback.emotion", "feedback.effect", "feedback.suggestions"};
    std::vector<std::string> clinical(all.begin() + 1, all.end());
    check_matrix(*p, all,
                 {{"duty:agent", {"contact"}, {}},
                  {"duty:agent", clinical, {"conversation", "recording"}},
                  {"role:counselor", all, {}},
                  {"role:manager", all, {}}});
}

TEST_CASE("first visit: reception while booking, back office while screening, the responsible counselor's file") {
    const auto p = procedures::first_visit_program();
    const std::vector<std::string> all{"client",
                                       "contact",
                                       "need",
                                       "risk",
                                       "in_scope",
                                       "plan",
                                       "next_step",
                                       "screen.risk",
                                       "screen.in_scope",
                                       "end_session.plan",
                                       "plan_follow_up.next_step"};
    check_matrix(*p, all,
                 {{"role:receptionist", {"client", "contact"}, {"booked"}},
                  {"role:back_office", all, {"screening"}},
                  {"duty:responsible", all, {}},
                  {"role:manager", all, {}}});
}

TEST_CASE("appointment, counseling course, complaint") {
    check_matrix(*procedures::appointment_program(), {"client", "contact"},
                 {{"duty:counselor", {"client", "contact"}, {}},
                  {"role:counselor", {"client", "contact"}, {"requested"}},
                  {"role:receptionist", {"client", "contact"}, {}},
                  {"role:manager", {"client", "contact"}, {}}});
    const std::vector<std::string> course{"client",     "contact",        "goals",        "outcome",
                                          "plan.goals", "evaluate.goals", "close.outcome"};
    check_matrix(*procedures::counseling_course_program(), course,
                 {{"duty:counselor", course, {}}, {"role:manager", course, {}}});
    const std::vector<std::string> complaint{"complainant", "subject", "summary", "resolve.summary"};
    check_matrix(
        *procedures::complaint_program(), complaint,
        {{"duty:handler", complaint, {}}, {"role:manager", complaint, {}}, {"role:supervisor", complaint, {}}});
}
