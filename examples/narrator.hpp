// An observer that narrates what the engine does, one line per change, in Shanghai
// wall-clock time. Shared by the procedure examples.
#pragma once

#include <careflow/careflow.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>

#include <iostream>
#include <string>

class narrator : public careflow::observer {
public:
    static std::string when(careflow::time_point t) {
        const auto local = t + boost::posix_time::hours(8);
        const auto d = local.date();
        const std::string tod = boost::posix_time::to_simple_string(local.time_of_day()).substr(0, 8);
        return std::string(d.day_of_week().as_short_string()) + " " + std::to_string(d.day().as_number()) + " " +
               d.month().as_short_string() + " " + tod;
    }

    void started(const careflow::case_view& c, careflow::time_point t) override {
        say(c, t) << "starts in " << c.path();
        if (c.parent()) std::cout << " (spawned by case " << *c.parent() << ")";
        std::cout << "\n";
    }
    void transition(const careflow::case_view& c, std::string_view event, careflow::state_index from,
                    careflow::state_index to, careflow::time_point t) override {
        const std::string what = event.empty() ? std::string("(decides)") : std::string(event);
        if (from == to)
            say(c, t) << what << " (stays in " << c.prog().states()[to].path << ")\n";
        else
            say(c, t) << what << ": " << c.prog().states()[from].name << " -> " << c.prog().states()[to].path << "\n";
    }
    void refused(const careflow::case_view& c, std::string_view event, const careflow::result& r,
                 careflow::time_point t) override {
        say(c, t) << event << " REFUSED: " << r.reason << "\n";
    }
    void notified(const careflow::case_view& c, std::string_view topic, std::string_view message,
                  careflow::time_point t) override {
        say(c, t) << "notify " << topic << ": " << message << "\n";
    }
    void sla_changed(const careflow::case_view& c, const careflow::program_sla& s, careflow::sla_event e,
                     careflow::time_point t) override {
        using careflow::sla_event;
        if (e == sla_event::started || e == sla_event::paused || e == sla_event::resumed) return;
        if (e == sla_event::warning) return; // kept out of the timelines for brevity
        say(c, t) << "SLA " << s.name << " " << careflow::to_string(e) << "\n";
    }
    void finished(const careflow::case_view& c, careflow::time_point t) override {
        say(c, t) << "finished in " << c.path() << "\n";
    }

    /// Observers see changes only; an input that was ignored or failed is worth a line too.
    static void check(const careflow::result& r, std::string_view what) {
        if (r.kind == careflow::outcome::ignored) std::cout << "                        " << what << ": ignored here\n";
        if (r.kind == careflow::outcome::error)
            std::cout << "                        " << what << ": ERROR " << r.code << "\n";
    }

private:
    static std::ostream& say(const careflow::case_view& c, careflow::time_point t) {
        return std::cout << when(t) << "  " << c.prog().name() << " " << c.id() << ": ";
    }
};

/// An engine with every shipped procedure installed, journaling, spawned cases numbered
/// from 1000, and the narrator watching: what each procedure example starts from.
struct narrated_engine {
    careflow::engine e{careflow::engine_options{.journal = true, .eventless_limit = 64, .spawn_base = 1000}};
    narrator n;
    explicit narrated_engine(const careflow::calendar& center = careflow::center_calendar()) {
        careflow::procedures::install_all(e, center);
        e.add_observer(&n);
    }
};
