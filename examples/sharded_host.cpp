// A multi-threaded host. careflow's engine is single-threaded with no global state, so a
// host with many threads gives each thread its own engine and partitions cases by id
// (case id % shards). Programs are immutable and shared by every engine; calendars and
// bindings are set on each; `engine_options::shard` gives each engine its own range of
// spawned ids. Each shard's journal is its own; KPIs are computed per shard and added up,
// or from the merged journals (case ids never collide across shards).
//
//   thread 0: engine 0 ◄── calls 0, 4, 8, ...
//   thread 1: engine 1 ◄── calls 1, 5, 9, ...        compile() once ──► shared program
//   thread 2: engine 2 ◄── calls 2, 6, 10, ...
//   thread 3: engine 3 ◄── calls 3, 7, 11, ...
//
// Expected output: examples/sharded_host.expected (the same whatever the thread timing).
#include <careflow/careflow.hpp>

#include <iostream>
#include <thread>
#include <vector>

using namespace careflow;
using boost::posix_time::hours;
using boost::posix_time::minutes;
using boost::posix_time::seconds;

int main() {
    constexpr int shards = 4;
    constexpr int calls = 2000;
    const auto hotline = procedures::hotline_call_program(); // shared, read-only
    const time_point day(boost::gregorian::date(2026, 11, 23), hours(1));

    std::vector<std::vector<journal_entry>> journals(shards);
    std::vector<std::thread> threads;
    for (int s = 0; s < shards; ++s) {
        threads.emplace_back([&, s] {
            engine e(engine_options{.shard = static_cast<std::uint32_t>(s)}); // owned by this thread only;
            // its shard number keeps the ids of spawned cases (callbacks) apart from other shards'
            e.set_calendar(procedures::center_calendar_name, center_calendar()); // callback dates count in it
            const actor line{"switchboard", {}};
            const actor op{"op-" + std::to_string(s), {"operator"}};
            const actor counselor{"dr-" + std::to_string(s), {"counselor"}};
            for (int id = s; id < calls; id += shards) {
                // A deterministic mix: every 7th call rings too long, every 5th is abandoned.
                const time_point t = day + seconds(30L * id);
                const long answer_after = id % 7 == 0 ? 17 : 3 + id % 10;
                e.start(hotline, static_cast<case_id>(id), {}, t, line);
                if (id % 5 == 0) {
                    e.dispatch(static_cast<case_id>(id), "hang_up", t + seconds(answer_after), line);
                    continue;
                }
                e.dispatch(static_cast<case_id>(id), "answer", t + seconds(answer_after), op);
                e.dispatch(
                    static_cast<case_id>(id), "register",
                    {{"name", "caller " + std::to_string(id)}, {"withheld", false}, {"contact", ""}, {"reason", ""}},
                    t + seconds(answer_after + 20), op);
                e.dispatch(static_cast<case_id>(id), "assess", {{"urgency", 1}}, t + seconds(answer_after + 25), op);
                e.dispatch(static_cast<case_id>(id), "hang_up", t + seconds(answer_after + 28), op);
            }
            e.advance(day + hours(24));
            journals[static_cast<std::size_t>(s)] = e.journal();
        });
    }
    for (auto& t : threads) t.join();

    std::vector<journal_entry> all;
    for (const auto& j : journals) all.insert(all.end(), j.begin(), j.end());
    const auto kpis = compute_kpis(all);
    const auto* answer = kpis.sla("hotline_call", "answer_within_rings");
    std::cout << shards << " shards, " << calls << " calls, " << all.size() << " journal entries\n";
    std::cout << "answered within three rings: " << answer->met << ", late: " << answer->late
              << ", abandoned after the breach: " << answer->missed << ", abandoned in time: " << answer->cancelled
              << "\n";
    std::cout << "attainment: " << static_cast<int>(answer->attainment() * 1000 + 0.5) / 10.0 << " %\n";
}
