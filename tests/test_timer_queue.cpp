// The timer queue: order, cancellation, handle safety, recycling.
#include "fixtures.hpp"

#include <careflow/runtime/timer_queue.hpp>

#include <algorithm>
#include <random>
#include <set>

using namespace careflow;

TEST_CASE("timers fire by due time, then by arming order") {
    timer_queue<int> q;
    q.arm(30, 1);
    q.arm(10, 2);
    q.arm(30, 3);
    q.arm(10, 4);
    q.arm(20, 5);
    std::vector<int> order;
    timer_queue<int>::fired f{};
    while (q.pop_due(100, f)) order.push_back(f.payload);
    CHECK(order == std::vector<int>{2, 4, 5, 1, 3});
}

TEST_CASE("nothing fires before its due time") {
    timer_queue<int> q;
    q.arm(50, 1);
    timer_queue<int>::fired f{};
    CHECK_FALSE(q.pop_due(49, f));
    CHECK(q.size() == 1);
    CHECK(q.next_due() == 50);
    CHECK(q.pop_due(50, f));
    CHECK(f.payload == 1);
    CHECK(q.empty());
    CHECK(q.next_due() == std::numeric_limits<ticks>::max());
}

TEST_CASE("cancel removes a pending timer; a stale handle cancels nothing") {
    timer_queue<int> q;
    const auto a = q.arm(10, 1);
    const auto b = q.arm(20, 2);
    CHECK(q.pending(a));
    CHECK(q.cancel(a));
    CHECK_FALSE(q.pending(a));
    CHECK_FALSE(q.cancel(a));   // twice
    const auto c = q.arm(5, 3); // reuses a's slot with a new generation
    CHECK(c.slot == a.slot);
    CHECK_FALSE(q.cancel(a)); // stale: must not cancel c
    CHECK(q.pending(c));
    CHECK(q.due(c) == 5);
    CHECK(q.payload(b) == 2);
    timer_queue<int>::fired f{};
    REQUIRE(q.pop_due(100, f));
    CHECK(f.payload == 3);
    CHECK_FALSE(q.cancel(c)); // fired
    CHECK(q.cancel(b));
    CHECK(q.empty());
    CHECK_FALSE(q.cancel(timer_handle{}));
}

TEST_CASE("random arms and cancels keep exact (due, seq) order") {
    timer_queue<std::uint64_t> q;
    std::mt19937_64 rng(3);
    std::set<std::pair<ticks, std::uint64_t>> model; // (due, seq)
    std::vector<std::pair<timer_handle, std::pair<ticks, std::uint64_t>>> live;
    for (int i = 0; i < 20000; ++i) {
        if (live.empty() || rng() % 3 != 0) {
            const ticks due = static_cast<ticks>(rng() % 1000);
            const std::uint64_t seq = q.next_seq();
            live.push_back({q.arm(due, seq), {due, seq}});
            model.insert({due, seq});
        } else {
            const std::size_t k = rng() % live.size();
            REQUIRE(q.cancel(live[k].first));
            model.erase(live[k].second);
            live[k] = live.back();
            live.pop_back();
        }
    }
    REQUIRE(q.size() == model.size());
    timer_queue<std::uint64_t>::fired f{};
    for (const auto& [due, seq] : model) {
        REQUIRE(q.pop_due(std::numeric_limits<ticks>::max(), f));
        REQUIRE(f.due == due);
        REQUIRE(f.seq == seq);
        REQUIRE(f.payload == seq);
    }
    CHECK(q.empty());
}

TEST_CASE("an explicit sequence restores arming order and advances the counter") {
    timer_queue<int> q;
    q.arm_with_seq(10, 7, 1);
    q.arm_with_seq(10, 3, 2);
    CHECK(q.next_seq() == 8);
    timer_queue<int>::fired f{};
    REQUIRE(q.pop_due(10, f));
    CHECK(f.payload == 2);
    std::size_t seen = 0;
    q.for_each([&](ticks due, std::uint64_t seq, int p) {
        CHECK(due == 10);
        CHECK(seq == 7);
        CHECK(p == 1);
        ++seen;
    });
    CHECK(seen == 1);
}

TEST_CASE("mass cancellation: cancelled timers never fire; their slots are reused safely") {
    timer_queue<int> q;
    std::vector<timer_handle> handles;
    for (int i = 0; i < 20'000; ++i) handles.push_back(q.arm(static_cast<ticks>((i * 7919) % 5000), i));
    // Cancel nine in ten.
    for (int i = 0; i < 20'000; ++i)
        if (i % 10 != 0) CHECK(q.cancel(handles[static_cast<std::size_t>(i)]));
    CHECK(q.size() == 2000);
    // Re-arm into the freed slots: the old handles stay dead, the new timers are live.
    std::vector<timer_handle> again;
    for (int i = 0; i < 1000; ++i) again.push_back(q.arm(6000 + i, 100'000 + i));
    for (int i = 0; i < 20'000; ++i)
        if (i % 10 != 0) CHECK_FALSE(q.pending(handles[static_cast<std::size_t>(i)]));
    CHECK(q.cancel(again[500]));
    CHECK(q.size() == 2999);
    timer_queue<int>::fired f{};
    ticks last_due = -1;
    std::uint64_t last_seq = 0;
    std::size_t n = 0;
    while (q.pop_due(1'000'000, f)) {
        CHECK((f.due > last_due || (f.due == last_due && f.seq > last_seq)));
        CHECK((f.payload % 10 == 0 || f.payload >= 100'000)); // never a cancelled one
        CHECK(f.payload != 100'500);
        last_due = f.due;
        last_seq = f.seq;
        ++n;
    }
    CHECK(n == 2999);
    CHECK(q.empty());
    CHECK(q.next_due() == std::numeric_limits<ticks>::max());
}

TEST_CASE("cancelling the earliest timer moves next_due to the next live one") {
    timer_queue<int> q;
    const auto a = q.arm(10, 1);
    const auto b = q.arm(20, 2);
    q.arm(30, 3);
    CHECK(q.next_due() == 10);
    q.cancel(a);
    CHECK(q.next_due() == 20);
    q.cancel(b);
    CHECK(q.next_due() == 30);
    timer_queue<int>::fired f{};
    CHECK_FALSE(q.pop_due(29, f));
    CHECK(q.pop_due(30, f));
    CHECK(f.payload == 3);
}
