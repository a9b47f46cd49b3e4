// Shared by the procedure scenario tests: an engine with every shipped procedure, the
// center calendar with a holiday and a make-up Saturday, people, and a notice recorder.
#pragma once

#include "fixtures.hpp"

#include <boost/date_time/posix_time/posix_time.hpp>

namespace careflow::test {

// Shanghai local time to UTC. 2026-11-23 is a Monday; 2026-12-01 (Tue) is a holiday in
// these tests, 2026-12-05 (Sat) a make-up working day.
inline time_point local(int y, int mo, int d, int h, int mi, int s = 0) {
    return at(y, mo, d, h, mi) + seconds(s) - hours(8);
}

inline calendar test_center() {
    calendar c = center_calendar();
    c.holiday(boost::gregorian::date(2026, 12, 1));
    c.working_day(boost::gregorian::date(2026, 12, 5), {{boost::posix_time::hours(9), boost::posix_time::hours(12)},
                                                        {boost::posix_time::hours(13), boost::posix_time::hours(18)}});
    return c;
}

struct notices : observer {
    std::vector<std::string> topics;
    void notified(const case_view& c, std::string_view topic, std::string_view, time_point) override {
        topics.push_back(std::to_string(c.id()) + ":" + std::string(topic));
    }
    [[nodiscard]] bool saw(const std::string& s) const {
        return std::find(topics.begin(), topics.end(), s) != topics.end();
    }
};

struct center_fixture {
    engine e{engine_options{.journal = true, .eventless_limit = 64, .spawn_base = 1000}};
    notices seen;
    const actor desk{"switchboard", {}};
    const actor op{"op-wang", {procedures::roles::operator_}};
    const actor li{"dr-li", {procedures::roles::counselor}};
    const actor zhao{"dr-zhao", {procedures::roles::counselor}};
    const actor agent{"agent-sun", {procedures::roles::callback_agent}};
    const actor untrained{"temp-qian", {}};
    const actor reception{"rec-zhou", {procedures::roles::receptionist}};
    const actor back{"bo-wu", {procedures::roles::back_office}};
    const actor manager{"mgr-liu", {procedures::roles::manager}};
    const actor client{"client", {}};
    center_fixture() {
        procedures::install_all(e, test_center());
        e.add_observer(&seen);
    }
    std::string path(case_id id) const { return e.get(id).path(); }
    sla_status sla(case_id id, const char* clock) const { return e.get(id).sla(clock).status; }
};

} // namespace careflow::test
