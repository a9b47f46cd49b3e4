// Fuzz target: iCalendar holiday lists (RFC 5545 through libical). read_ical_days and
// import_ical may only throw careflow::error; a refused text leaves the calendar as it
// was; an accepted one closes (or opens) exactly the days it lists. Nothing is written to
// standard error (libical warns there on some malformed texts; careflow refuses them first).
#include "fuzz_setup.hpp"

#include <careflow/time/calendar_file.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string_view>

namespace {

// Standard error redirected into a pipe while it lives; `written()` says whether anything
// arrived. The pipe does not block: a flood is cut short, never a hang.
class stderr_watch {
public:
    stderr_watch() {
        std::fflush(stderr);
        if (::pipe(fds_) != 0) careflow::fuzz::broken("pipe");
        ::fcntl(fds_[0], F_SETFL, O_NONBLOCK);
        ::fcntl(fds_[1], F_SETFL, O_NONBLOCK);
        saved_ = ::dup(2);
        ::dup2(fds_[1], 2);
    }
    ~stderr_watch() {
        std::fflush(stderr);
        ::dup2(saved_, 2);
        ::close(saved_);
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    [[nodiscard]] bool written() {
        std::fflush(stderr);
        char c;
        return ::read(fds_[0], &c, 1) == 1;
    }

private:
    int fds_[2] = {-1, -1};
    int saved_ = -1;
};

} // namespace

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const calendar before = center_hours();
    std::vector<ical_day> days;
    try {
        stderr_watch watch;
        bool refused = false;
        try {
            days = read_ical_days(text);
        } catch (const careflow::error&) {
            refused = true;
        }
        if (watch.written()) careflow::fuzz::broken("reading an iCalendar text wrote to standard error");
        if (refused) throw careflow::error("careflow.calendar.bad_file", "refused");
    } catch (const careflow::error&) {
        calendar c = before;
        try {
            import_ical(c, text);
        } catch (const careflow::error&) {
            fuzz::require(c.exceptions() == before.exceptions(), "a refused import changed the calendar");
            return 0;
        }
        fuzz::broken("import_ical accepted a text read_ical_days refused");
    }
    calendar closed = before, opened = before;
    try {
        import_ical(closed, text, ical_as::holidays);
        import_ical(opened, text, ical_as::working_days);
    } catch (const careflow::error&) {
        fuzz::broken("import_ical refused a text read_ical_days accepted");
    }
    for (const auto& d : days) {
        fuzz::require(!closed.is_working_day(d.day), "an imported holiday is a working day");
        fuzz::require(opened.is_working_day(d.day), "an imported working day is closed");
    }
    return 0;
}
