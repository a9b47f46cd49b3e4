// Decision table evaluation: a 20-rule hotline triage table (hit policy First, three
// inputs: urgency, age, channel) through decision_table::match, against the same rules
// hand-written as an if-chain (the floor). Target: the table within 5x of the chain.
#include <careflow/careflow.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <random>
#include <string>
#include <vector>

using namespace careflow;

namespace {

constexpr std::size_t cases = 4096;

// Rule k (k = 0..18) matches urgency in a band, an age band and a channel; rule 19 is the
// catch-all. The same rules as data and as code.
struct rule_spec {
    int lo, hi;         // urgency [lo..hi]
    int age_lo, age_hi; // age [age_lo..age_hi)
    int channel;        // 0 phone, 1 chat, 2 sms, -1 any
};

std::vector<rule_spec> specs() {
    std::vector<rule_spec> out;
    for (int k = 0; k < 19; ++k)
        out.push_back({5 - k / 4, 5 - k / 4, (k % 4) * 20, (k % 4) * 20 + 20, k % 3 == 2 ? -1 : k % 3});
    return out;
}

const std::array<std::string, 3> channels{"phone", "chat", "sms"};

struct data {
    decision_table table;
    std::vector<rule_spec> rules = specs();
    std::vector<std::array<decision_value, 3>> inputs;
    std::vector<std::array<int, 3>> raw;
    data() : table(make()) {
        std::mt19937_64 rng(42);
        for (std::size_t i = 0; i < cases; ++i) {
            const int urgency = static_cast<int>(rng() % 6), age = static_cast<int>(rng() % 90),
                      channel = static_cast<int>(rng() % 3);
            raw.push_back({urgency, age, channel});
            std::array<decision_value, 3> in{};
            in[0].c.i = urgency;
            in[1].c.i = age;
            in[2].text = &channels[static_cast<std::size_t>(channel)];
            inputs.push_back(in);
        }
    }
    static decision_table make() {
        decision_table_decl t{.name = "triage", .policy = hit_policy::first};
        t.inputs = {{"urgency", value_type::integer}, {"age", value_type::integer}, {"channel", value_type::text}};
        t.outputs = {{"lane", value_type::integer}};
        int k = 0;
        for (const auto& r : specs())
            t.rules.push_back({{"[" + std::to_string(r.lo) + ".." + std::to_string(r.hi) + "]",
                                "[" + std::to_string(r.age_lo) + ".." + std::to_string(r.age_hi) + ")",
                                r.channel < 0 ? "-" : "\"" + channels[static_cast<std::size_t>(r.channel)] + "\""},
                               {std::to_string(k++)}});
        t.rules.push_back({{"-", "-", "-"}, {"19"}});
        return decision_table::compile(t);
    }
};

const data& shared() {
    static const data d;
    return d;
}

void careflow_table(benchmark::State& state) {
    const auto& d = shared();
    std::array<std::uint32_t, 1> hit{};
    std::size_t sum = 0, i = 0;
    for (auto _ : state) {
        if (d.table.match(d.inputs[i], hit) != 0) sum += hit[0];
        i = (i + 1) % cases;
    }
    benchmark::DoNotOptimize(sum);
}

// The if-chain a programmer would write; the channel compared as text, as the table does.
__attribute__((noinline)) int chain(int urgency, int age, const std::string& channel) {
    const auto& rs = shared().rules;
    for (int k = 0; k < 19; ++k) {
        const rule_spec& r = rs[static_cast<std::size_t>(k)];
        if (urgency >= r.lo && urgency <= r.hi && age >= r.age_lo && age < r.age_hi &&
            (r.channel < 0 || channel == channels[static_cast<std::size_t>(r.channel)]))
            return k;
    }
    return 19;
}

void hand_written(benchmark::State& state) {
    const auto& d = shared();
    std::size_t sum = 0, i = 0;
    for (auto _ : state) {
        const auto& r = d.raw[i];
        sum += static_cast<std::size_t>(chain(r[0], r[1], channels[static_cast<std::size_t>(r[2])]));
        i = (i + 1) % cases;
    }
    benchmark::DoNotOptimize(sum);
}

// Both agree on every case before anything is timed.
bool agree() {
    const auto& d = shared();
    std::array<std::uint32_t, 1> hit{};
    for (std::size_t i = 0; i < cases; ++i) {
        const auto& r = d.raw[i];
        if (d.table.match(d.inputs[i], hit) != 1 ||
            static_cast<int>(hit[0]) != chain(r[0], r[1], channels[static_cast<std::size_t>(r[2])]))
            return false;
    }
    return true;
}

} // namespace

BENCHMARK(careflow_table);
BENCHMARK(hand_written);

int main(int argc, char** argv) {
    if (!agree()) {
        std::fprintf(stderr, "the table and the if-chain disagree\n");
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
