// careflow: simulate a hotline or a whole center, staff a line, list and draw procedures;
// run inputs on a store, inspect it, back it up (run.cpp, store_commands.cpp); ask a calendar.
//
//   careflow simulate hotline [options] [--json]
//   careflow simulate center  [options] [--json]
//   careflow staff --arrivals-per-hour N --handle-mean D --target 0.9 --within 15s [--patience-mean D]
//   careflow procedures
//   careflow dot <procedure>|FILE.json            (definition_commands.cpp)
//   careflow definition <procedure>
//   careflow validate FILE.json [--json]
//   careflow decide MODEL.dmn|TABLE.json [--decision NAME] --input JSON [--json]   (decide.cpp)
//   careflow run --builtin [--store sqlite:PATH] [--sync input|batch] --inputs FILE|- [--final-state FILE]
//                [--journal FILE] [--as ACTOR_JSON]
//   careflow inspect --store sqlite:PATH [--json] [--as ACTOR_JSON]
//   careflow export --store sqlite:PATH --as ACTOR_JSON [--format text|jsonl]   (disclosure.cpp)
//   careflow verify --store sqlite:PATH
//   careflow backup --store sqlite:PATH --to FILE  |  careflow backup --restore FILE --store sqlite:PATH
//   careflow calendar FILE.json|NAME QUERY ARGS... [--json]   (calendar_command.cpp)
#include <careflow/careflow.hpp>
#include <careflow/sim/center.hpp>
#include <careflow/sim/staffing.hpp>

#include "commands.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <optional>
#include <unistd.h>

using namespace careflow;
using namespace careflow::cli;

namespace {

// "90s", "3m", "1.5h", "2d"; a bare number is seconds.
double seconds_of(const std::string& text) {
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        throw usage_error("'" + text + "' is not a duration (like 90s, 3m, 1.5h)");
    }
    const std::string unit = text.substr(used);
    double scale = 0;
    if (unit.empty() || unit == "s")
        scale = 1;
    else if (unit == "m" || unit == "min")
        scale = 60;
    else if (unit == "h")
        scale = 3600;
    else if (unit == "d")
        scale = 86400;
    else
        throw usage_error("'" + text + "' has an unknown unit (use s, m, h or d)");
    if (!(v >= 0) || !std::isfinite(v * scale)) throw usage_error("'" + text + "' must be a non-negative duration");
    return v * scale;
}

// A progress bar on stderr for long runs, only when stderr is a terminal.
std::function<void(double)> progress_bar() {
    if (!isatty(2)) return {};
    return [last = -1](double f) mutable {
        const int pct = static_cast<int>(f * 100);
        if (pct == last) return;
        last = pct;
        const int filled = pct / 4;
        std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(25 - filled), ' ') << "] " << pct << " %"
                  << (pct >= 100 ? "\n" : "") << std::flush;
    };
}

po::options_description hotline_options(sim::hotline_config& k, std::string& handle_dist, std::string& handle_mean,
                                        std::string& patience, std::string& ring_cycle, std::string& answer_delay,
                                        std::string& counseling_mean) {
    po::options_description o("hotline options");
    o.add_options()("arrivals-per-hour", po::value(&k.arrivals_per_hour)->default_value(60),
                    "mean calls offered per hour (0 to 100000)")("operators", po::value(&k.operators)->default_value(4),
                                                                 "operators on the line (1 to 10000)")(
        "counselors", po::value(&k.counselors)->default_value(2), "counselors taking transfers (0 to 10000)")(
        "handle-mean", po::value(&handle_mean)->default_value("5m"), "mean operator handling time (up to 1d)")(
        "handle-dist", po::value(&handle_dist)->default_value("exponential"), "exponential|lognormal|deterministic")(
        "patience-mean", po::value(&patience), "mean caller patience, up to 1d (omitted: callers never abandon)")(
        "rings", po::value(&k.rings)->default_value(3), "answer within this many rings (1 to 100)")(
        "ring-cycle", po::value(&ring_cycle)->default_value("5s"), "one ring cycle (up to 1h)")(
        "answer-delay", po::value(&answer_delay)->default_value("0s"), "a free operator's pick-up time (up to 1d)")(
        "transfer-rate", po::value(&k.transfer_rate)->default_value(0.0),
        "share of calls handed to a counselor, 0 to 1 (0: plain queueing)")(
        "counseling-mean", po::value(&counseling_mean)->default_value("30m"),
        "mean counseling time after a transfer (up to 1d)")(
        "hours", po::value(&k.hours)->default_value(24),
        "hours simulated after the warm-up (up to 87600; arrivals x hours up to 1e8)")(
        "warmup", po::value(&k.warmup_hours)->default_value(1), "warm-up hours, not counted (0 to 87600)")(
        "replications", po::value(&k.replications)->default_value(1),
        "independent replications (1 to 1000)")("seed", po::value(&k.seed)->default_value(1),
                                                "random seed")("json", "print one JSON object")("help", "this help");
    return o;
}

void finish_hotline(sim::hotline_config& k, const po::variables_map& vm, const std::string& handle_dist,
                    const std::string& handle_mean, const std::string& patience, const std::string& ring_cycle,
                    const std::string& answer_delay, const std::string& counseling_mean) {
    try {
        k.handle.shape = sim::distribution::parse(handle_dist);
    } catch (const careflow::error& e) {
        throw usage_error("--handle-dist: unknown distribution '" + handle_dist +
                          "' (exponential, lognormal, deterministic)");
    }
    if (k.handle.shape == sim::distribution::kind::empirical)
        throw usage_error("--handle-dist: empirical needs observed times; use the library API");
    k.handle.mean = seconds_of(handle_mean);
    k.patience_mean_s = vm.count("patience-mean") ? seconds_of(patience) : 0;
    if (vm.count("patience-mean") && k.patience_mean_s <= 0) throw usage_error("--patience-mean must be positive");
    k.ring_cycle_s = seconds_of(ring_cycle);
    k.answer_delay_s = seconds_of(answer_delay);
    k.counseling.mean = seconds_of(counseling_mean);
}

int simulate(const std::vector<std::string>& args) {
    if (args.empty() || (args[0] != "hotline" && args[0] != "center"))
        throw usage_error("simulate what? 'careflow simulate hotline' or 'careflow simulate center'");
    const bool center = args[0] == "center";
    sim::center_config cc;
    auto& k = cc.hotline;
    std::string handle_dist, handle_mean, patience, ring_cycle, answer_delay, counseling_mean;
    auto opts = hotline_options(k, handle_dist, handle_mean, patience, ring_cycle, answer_delay, counseling_mean);
    if (center) {
        po::options_description c("center options");
        c.add_options()("days", po::value<double>()->default_value(35),
                        "days simulated, up to 3650 (replaces --hours; no warm-up)")(
            "follow-up-rate", po::value(&cc.follow_up_rate)->default_value(0.1),
            "share of callers given follow-up callbacks (0 to 1)")("callback-agents",
                                                                   po::value(&cc.callback_agents)->default_value(3),
                                                                   "callback agents in business hours (1 to 10000)")(
            "reach-rate", po::value(&cc.reach_rate)->default_value(0.7),
            "share of dial attempts that reach the client (0 to 1)")(
            "appointments-per-day", po::value(&cc.appointments_per_day)->default_value(12),
            "appointment requests per working day (up to 10000)")(
            "confirm-mean", po::value<std::string>()->default_value("3h"),
            "mean open time before a counselor confirms (up to 30d)")(
            "cancel-rate", po::value(&cc.cancel_rate)->default_value(0.1), "share of appointments cancelled (0 to 1)")(
            "no-show-rate", po::value(&cc.no_show_rate)->default_value(0.08), "share of appointments missed (0 to 1)");
        opts.add(c);
    }
    const auto vm = parse({args.begin() + 1, args.end()}, opts);
    if (vm.count("help")) {
        std::cout << "usage: careflow simulate " << args[0] << " [options] [--json]\n" << opts;
        return 0;
    }
    finish_hotline(k, vm, handle_dist, handle_mean, patience, ring_cycle, answer_delay, counseling_mean);
    try {
        if (center) {
            const double days = vm["days"].as<double>();
            if (!(days > 0 && days <= 3650)) throw usage_error("--days must be positive and at most 3650");
            k.hours = days * 24;
            k.warmup_hours = 0;
            cc.confirm_mean_hours = seconds_of(vm["confirm-mean"].as<std::string>()) / 3600;
            const auto r = sim::simulate_center(cc, progress_bar());
            std::cout << (vm.count("json") ? r.json() + "\n" : r.table());
        } else {
            const auto r = sim::simulate_hotline(k, progress_bar());
            std::cout << (vm.count("json") ? r.json() + "\n" : r.table());
        }
    } catch (const careflow::error& e) {
        throw usage_error(e.what());
    }
    return 0;
}

int staff(const std::vector<std::string>& args) {
    double arrivals = 0, target = 0;
    std::string handle, within, patience;
    po::options_description o("staff options");
    o.add_options()("arrivals-per-hour", po::value(&arrivals)->required(), "mean calls offered per hour (0 to 100000)")(
        "handle-mean", po::value(&handle)->required(),
        "mean handling time (up to 1d)")("target", po::value(&target)->required(), "service level to reach, e.g. 0.9")(
        "within", po::value(&within)->required(), "answered within this long, e.g. 15s (up to 1d)")(
        "patience-mean", po::value(&patience), "mean caller patience (Erlang A); omitted: Erlang C")("help",
                                                                                                     "this help");
    if (std::find(args.begin(), args.end(), "--help") != args.end()) {
        std::cout
            << "usage: careflow staff --arrivals-per-hour N --handle-mean D --target S --within D [--patience-mean D]\n"
            << o;
        return 0;
    }
    const auto vm = parse(args, o);
    if (!(target > 0 && target < 1)) throw usage_error("--target is a share between 0 and 1, e.g. 0.9");
    if (!(arrivals > 0 && arrivals <= sim::limits::arrivals_per_hour))
        throw usage_error("--arrivals-per-hour must be positive and at most 100000");
    sim::queue_model m{arrivals / 3600.0, seconds_of(handle), 1, vm.count("patience-mean") ? seconds_of(patience) : 0};
    if (!(m.handle_mean_s > 0)) throw usage_error("--handle-mean must be positive");
    const double t = seconds_of(within);
    std::optional<int> n;
    try {
        n = sim::agents_needed(m, t, target);
    } catch (const careflow::error& e) {
        throw usage_error(e.what());
    }
    if (!n) throw usage_error("no staffing up to 10000 operators reaches that target");
    m.agents = *n;
    const auto f = sim::evaluate(m, t);
    std::cout << fmt::format("{} operators ({})\n", *n, m.patience_mean_s > 0 ? "Erlang A" : "Erlang C");
    std::cout << fmt::format("  service level within {}: {:.1f} %\n", within, f.service_level * 100);
    std::cout << fmt::format("  waiting at all:          {:.1f} %\n", f.p_wait * 100);
    std::cout << fmt::format("  mean wait (answered):    {:.1f} s\n", f.asa_s);
    std::cout << fmt::format("  abandonment:             {:.1f} %\n", f.abandonment * 100);
    std::cout << fmt::format("  occupancy:               {:.1f} %\n", f.occupancy * 100);
    return 0;
}

int list(const std::vector<std::string>& args) {
    if (!args.empty() && args[0] == "--help") {
        std::cout << "usage: careflow procedures\n  lists the shipped procedures\n";
        return 0;
    }
    if (!args.empty()) throw usage_error("'procedures' takes no arguments");
    for (const auto& p : shipped())
        std::cout << fmt::format("{:<18} v{}  {:>2} states  {}\n", p.name(), p.version(), p.state_count(),
                                 p.description());
    return 0;
}

const char* usage = "usage: careflow <command> [options]\n"
                    "  simulate hotline   simulate a hotline on the engine (queueing figures)\n"
                    "  simulate center    simulate a whole center: calls, callbacks, appointments\n"
                    "  staff              the fewest operators for a service level (Erlang C / A)\n"
                    "  procedures         list the shipped procedures\n"
                    "  dot <procedure|FILE>  a procedure (shipped, or a definition file) as Graphviz DOT\n"
                    "  definition <procedure>  a shipped procedure as a JSON definition file\n"
                    "  validate FILE      check a definition file: every problem with its line and column\n"
                    "  decide FILE        evaluate a decision table (DMN or careflow JSON) on JSON inputs\n"
                    "  run                drive the shipped procedures from JSON Lines inputs (durable on a store)\n"
                    "  inspect            a store's engine: cases, variables, SLA clocks, timers\n"
                    "  backup             copy a store while it is in use, or restore one from a copy\n"
                    "  export             a store's journal as one reader may see it\n"
                    "  verify             check a store's journal against its hash chain\n"
                    "  history            a client's file (cases, states, dates, people) as one reader may see it\n"
                    "  erase-client       destroy a client's personal data in a store (the rest stays)\n"
                    "  calendar           when a limit falls: open hours, working days, closes (a file or a schedule)\n"
                    "'careflow <command> --help' describes each.\n";

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.empty()) throw usage_error("no command given (try careflow --help)");
        if (args[0] == "--help" || args[0] == "help") {
            std::cout << usage;
            return 0;
        }
        const std::string command = args[0];
        args.erase(args.begin());
        if (command == "simulate") return simulate(args);
        if (command == "staff") return staff(args);
        if (command == "procedures") return list(args);
        if (command == "dot") return dot(args);
        if (command == "definition") return definition(args);
        if (command == "validate") return validate_file(args);
        if (command == "decide") return decide(args);
        if (command == "run") return run(args);
        if (command == "inspect") return inspect(args);
        if (command == "backup") return backup(args);
        if (command == "calendar") return calendar_query(args);
        if (command == "export") return export_journal(args);
        if (command == "verify") return verify(args);
        if (command == "erase-client") return erase_client(args);
        if (command == "history") return history(args);
        throw usage_error("unknown command '" + command + "' (try careflow --help)");
    } catch (const usage_error& e) {
        std::cerr << "careflow: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "careflow: " << e.what() << "\n";
        return 1;
    }
}
