// Client files in the engine: a client id on start (checked, journaled, inherited by
// spawned cases, kept by both snapshot forms and replay, part of a keyed input), the
// client's history as a journaled read under the read rules, and erasure of a client's
// personal data from the cases held and the journal in memory.
#include "fixtures.hpp"

#include <careflow/runtime/kpi.hpp>

#include <sstream>

using namespace careflow;
using namespace careflow::test;

namespace {

// intake (name, notes) → referred (spawns a follow-up with the name) → closed.
std::shared_ptr<const program> intake() {
    procedure_builder b{"intake", 1};
    b.variable("name", value_type::text)
        .variable("notes", value_type::text)
        .variable("visits", value_type::integer, 0)
        .event("take", {{"name", value_type::text, {}, sensitivity::contact},
                        {"notes", value_type::text, {}, sensitivity::clinical},
                        {"count", value_type::integer, {}}})
        .event("refer")
        .event("close")
        .duty("nurse");
    b.personal("name", sensitivity::contact).personal("notes", sensitivity::clinical);
    b.state("waiting");
    b.state("talking");
    b.state("closed").final();
    b.transition("waiting", "talking")
        .on("take")
        .then(assign("nurse", actor_id()))
        .then(set("name", field("name")))
        .then(set("notes", field("notes")))
        .then(set("visits", field("count")));
    b.internal("talking").on("refer").then(spawn("followup", {{"name", var("name")}}));
    b.transition("talking", "closed").on("close");
    b.may_read(sensitivity::contact).by_role("desk");
    b.may_read(sensitivity::clinical).by_assignee("nurse");
    b.may_read(sensitivity::clinical).by_role("manager");
    b.may_read(sensitivity::contact).by_role("manager");
    return compile(b.build());
}

std::shared_ptr<const program> followup() {
    procedure_builder b{"followup", 1};
    b.variable("name", value_type::text).event("done");
    b.personal("name", sensitivity::contact);
    b.state("open");
    b.state("done").final();
    b.transition("open", "done").on("done");
    b.may_read(sensitivity::contact).by_role("manager");
    return compile(b.build());
}

const actor desk{"desk-1", {"desk"}};
const actor nurse{"nurse-1", {"nurse"}};
const actor manager{"mgr", {"manager"}};
const actor stranger{"anyone", {}};
const time_point t0 = at(2026, 3, 2, 9, 0);

struct clinic {
    engine e;
    clinic() {
        e.install(intake());
        e.install(followup());
    }
    // A case of `client` taken with `name` and `notes`, then referred.
    void take(case_id id, const std::string& client, const std::string& name, const std::string& notes, time_point at) {
        REQUIRE(e.start("intake", id, {}, at, desk, client).applied());
        REQUIRE(
            e.dispatch(id, "take", {{"name", name}, {"notes", notes}, {"count", 1}}, at + minutes(1), nurse).applied());
        REQUIRE(e.dispatch(id, "refer", at + minutes(2), nurse).applied());
    }
};

std::string text_of(std::span<const journal_entry> entries) {
    std::ostringstream out;
    write_journal(out, entries);
    return out.str();
}

} // namespace

TEST_CASE("a client id on start links the case and its spawns, and is journaled") {
    clinic c;
    c.take(1, "C-100", "Li Lei", "sleepless", t0);
    c.take(2, "C-200", "Han Meimei", "anxious", t0 + hours(1));
    REQUIRE(c.e.start("intake", 3, {}, t0 + hours(2), desk).applied()); // no client
    CHECK(c.e.get(1).client() == "C-100");
    CHECK(c.e.get(3).client().empty());
    const auto mine = c.e.cases_of("C-100");
    REQUIRE(mine.size() == 2); // the case and the follow-up it spawned
    CHECK(mine[0] == 1);
    CHECK(c.e.get(mine[1]).prog().name() == "followup");
    CHECK(c.e.get(mine[1]).client() == "C-100");
    CHECK(c.e.cases_of("C-300").empty());
    CHECK(c.e.cases_of("").empty());
    // The start entries carry the client, in memory and in text.
    const auto journal = c.e.journal();
    int starts = 0;
    for (const auto& x : journal)
        if (x.kind == record_kind::start && x.client == "C-100") ++starts;
    CHECK(starts == 2);
    std::istringstream in(text_of(journal));
    CHECK(read_journal(in) == journal);
    // Replayed, the clients come back.
    clinic again;
    CHECK(again.e.replay(journal) > 0);
    CHECK(again.e.cases_of("C-100") == mine);
    CHECK(again.e.snapshot() == c.e.snapshot());
}

TEST_CASE("a bad client id is an error result that starts nothing") {
    clinic c;
    for (const std::string& bad :
         {std::string(129, 'x'), std::string("tab\there"), std::string("case:7"), std::string("bell\x07")}) {
        const result r = c.e.start("intake", 9, {}, t0, desk, bad);
        CHECK(r.code == codes::bad_client);
        CHECK_FALSE(c.e.contains(9));
    }
    CHECK(c.e.start("intake", 9, {}, t0, desk, std::string(128, 'x')).applied());
    CHECK(c.e.start("intake", 10, {}, t0, desk, "客户-甲").applied()); // UTF-8 is printable text
    // A rejected start keeps its client in the journal, so a replay makes the same input.
    std::istringstream in(text_of(c.e.journal()));
    const auto back = read_journal(in);
    CHECK(back[0].client == std::string(129, 'x'));
    clinic again;
    again.e.replay(back);
    CHECK(again.e.snapshot() == c.e.snapshot());
}

TEST_CASE("both snapshot forms keep each case's client; a journal line's client field is checked") {
    clinic c;
    c.take(1, "C-100", "Li Lei", "sleepless", t0);
    REQUIRE(c.e.start("intake", 3, {}, t0 + hours(1), desk, "with space, comma;=%").applied());
    for (const std::string& snap : {c.e.snapshot(), c.e.snapshot(snapshot_format::binary)}) {
        clinic back;
        back.e.restore(snap);
        CHECK(back.e.cases_of("C-100") == c.e.cases_of("C-100"));
        CHECK(back.e.get(3).client() == "with space, comma;=%");
        CHECK(back.e.snapshot() == c.e.snapshot());
    }
    std::string line = text_of(c.e.journal());
    const auto at = line.find("\tc:C-100");
    REQUIRE(at != std::string::npos);
    line.replace(at, 8, "\tq:C-100");
    std::istringstream in(line);
    CHECK_THROWS_WITH_AS(read_journal(in), doctest::Contains("unknown flags 'q:C-100'"), error);
}

TEST_CASE("a keyed start with another client is another input") {
    clinic c;
    CHECK(c.e.with_key("k1").start("intake", 1, {}, t0, desk, "C-1").applied());
    CHECK(c.e.with_key("k1").start("intake", 1, {}, t0, desk, "C-1").replayed);
    CHECK(c.e.with_key("k1").start("intake", 1, {}, t0, desk, "C-2").code == codes::key_reused);
}

TEST_CASE("a client's history: the client's cases and entries, under the read rules, journaled") {
    clinic c;
    c.take(1, "C-100", "Li Lei", "sleepless", t0);
    c.take(2, "C-200", "Han Meimei", "anxious", t0 + hours(1));
    REQUIRE(c.e.dispatch(1, "close", t0 + hours(3), nurse).applied());
    const time_point now = t0 + hours(4);

    const client_file f = c.e.client_history("C-100", manager, now);
    CHECK(f.client == "C-100");
    REQUIRE(f.cases.size() == 2);
    CHECK(f.cases[0].id == 1);
    CHECK(f.cases[0].procedure == "intake@1");
    CHECK(f.cases[0].state == "closed");
    CHECK(f.cases[0].held);
    CHECK(f.cases[0].started == t0);
    CHECK(f.cases[0].assignees == std::vector<std::pair<std::string, std::string>>{{"nurse", "nurse-1"}});
    CHECK(f.cases[1].parent == 1);
    CHECK(f.cases[1].state == "open");
    const std::string seen = text_of(f.entries);
    CHECK(seen.find("Li Lei") != std::string::npos);
    CHECK(seen.find("sleepless") != std::string::npos);
    CHECK(seen.find("Han Meimei") == std::string::npos); // another client's
    for (const auto& x : f.entries) CHECK((x.id == 1 || x.id == f.cases[1].id));

    // A stranger sees the same cases and dates, no personal value.
    const client_file g = c.e.client_history("C-100", stranger, now);
    CHECK(g.cases.size() == 2);
    const std::string hidden = text_of(g.entries);
    CHECK(hidden.find("Li Lei") == std::string::npos);
    CHECK(hidden.find("sleepless") == std::string::npos);
    CHECK(hidden.find(std::string(withheld)) != std::string::npos);

    // Each look is journaled, naming the reader and the client.
    int manager_reads = 0, stranger_reads = 0;
    for (const auto& x : c.e.journal()) {
        if (x.kind != record_kind::read || x.event != "history") continue;
        CHECK(x.client == "C-100");
        manager_reads += x.actor == "mgr";
        stranger_reads += x.actor == "anyone";
    }
    CHECK(manager_reads == 2);  // one per case whose personal values were shown
    CHECK(stranger_reads == 1); // the look itself
    CHECK_THROWS_WITH_AS((void)c.e.client_history("", manager, now), doctest::Contains("client id"), error);
    CHECK(c.e.client_history("C-999", manager, now).cases.empty());
    // The looks replay (they move the clock).
    clinic again;
    again.e.replay(c.e.journal());
    CHECK(again.e.snapshot() == c.e.snapshot());
}

TEST_CASE("erasing a client: personal values gone from the cases held and the journal, the rest unchanged") {
    clinic c;
    c.take(1, "C-100", "Li Lei", "sleepless", t0);
    c.take(2, "C-200", "Han Meimei", "anxious", t0 + hours(1));
    REQUIRE(c.e.dispatch(1, "close", t0 + hours(3), nurse).applied());
    const auto kpis_before = compute_kpis(c.e.journal());
    const time_point now = t0 + hours(5);

    const result refused = c.e.erase_client("C-100", now, nurse);
    CHECK(refused.kind == outcome::refused);
    CHECK(refused.code == codes::access_denied);
    CHECK(c.e.get(1).get<std::string>("name") == "Li Lei");
    CHECK(c.e.erase_client("case:1", now, manager).code == codes::bad_client);

    REQUIRE(c.e.erase_client("C-100", now, manager).applied());
    const case_id child = c.e.cases_of("C-100")[1];
    CHECK(c.e.get(1).get<std::string>("name").empty());
    CHECK(c.e.get(1).get<std::string>("notes").empty());
    CHECK(c.e.get(1).get<std::int64_t>("visits") == 1); // not personal
    CHECK(c.e.get(child).get<std::string>("name").empty());
    CHECK(c.e.get(2).get<std::string>("name") == "Han Meimei");
    const std::string all = text_of(c.e.journal());
    CHECK(all.find("Li Lei") == std::string::npos);
    CHECK(all.find("sleepless") == std::string::npos);
    CHECK(all.find("Han Meimei") != std::string::npos);
    CHECK(all.find(std::string(erased)) != std::string::npos);
    // KPIs read times, states and clocks only: the same.
    const auto after = c.e.journal();
    std::vector<journal_entry> without_erasure(after.begin(), after.end() - 1);
    CHECK(compute_kpis(without_erasure) == kpis_before);
    CHECK(after.back().kind == record_kind::erase);
    CHECK(after.back().event == "client");
    CHECK(after.back().client == "C-100");
    // The journal replays to the same engine, erasure included.
    clinic again;
    again.e.replay(after);
    CHECK(again.e.snapshot() == c.e.snapshot());
}

TEST_CASE("a snapshot handed to a reader holds only what the reader may read, and is journaled") {
    clinic c;
    c.take(1, "C-100", "Li-Lei-7", "sleepless", t0); // no spaces: the text form escapes them
    const time_point now = t0 + hours(1);
    for (const auto format : {snapshot_format::text, snapshot_format::binary}) {
        const std::string for_stranger = c.e.snapshot_for(stranger, now, format);
        CHECK(for_stranger.find("Li-Lei-7") == std::string::npos);
        CHECK(for_stranger.find("sleepless") == std::string::npos);
        const std::string for_desk = c.e.snapshot_for(desk, now, format); // contact, not clinical
        CHECK(for_desk.find("Li-Lei-7") != std::string::npos);
        CHECK(for_desk.find("sleepless") == std::string::npos);
        const std::string for_manager = c.e.snapshot_for(manager, now, format);
        CHECK(for_manager == c.e.snapshot(format));
        // Restored, a stranger's copy is a working engine with the values blank.
        clinic copy;
        copy.e.restore(for_stranger);
        CHECK(copy.e.get(1).get<std::string>("name").empty());
        CHECK(copy.e.get(1).get<std::int64_t>("visits") == 1);
        CHECK(copy.e.get(1).path() == "talking");
    }
    int shown = 0, looks = 0;
    for (const auto& x : c.e.journal()) {
        if (x.kind != record_kind::read || x.event != "snapshot") continue;
        if (x.id == 0)
            ++looks; // a snapshot that showed nothing personal
        else
            ++shown;
    }
    CHECK(looks == 2); // the stranger's, text and binary
    CHECK(shown == 6); // the desk's (the intake) and the manager's (the intake and its follow-up), twice each
    CHECK_THROWS_WITH_AS((void)c.e.snapshot_for(manager, t0, snapshot_format::text),
                         doctest::Contains("time went backwards"), error);
    clinic again;
    again.e.replay(c.e.journal());
    CHECK(again.e.snapshot() == c.e.snapshot());
}
