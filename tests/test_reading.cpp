// Personal data and read rules: declaring them (builder, validation, compile), the reader
// view (`engine::read`: shown, withheld, refused, journaled, replayed) and the journal as a
// reader may see it (`engine::journal_for`).
#include "fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {

// intake (contact + clinical) → talking → closed; a nurse duty; a reader role.
procedure_builder intake_model() {
    procedure_builder b{"intake", 1};
    b.variable("name", value_type::text)
        .variable("phone", value_type::text)
        .variable("notes", value_type::text)
        .variable("visits", value_type::integer, 0)
        .event("take", {{"name", value_type::text, {}, sensitivity::contact},
                        {"phone", value_type::text, {}, sensitivity::contact},
                        {"notes", value_type::text, {}, sensitivity::clinical},
                        {"count", value_type::integer, {}}})
        .event("close")
        .duty("nurse");
    b.personal("name", sensitivity::contact).personal("phone").personal("notes", sensitivity::clinical);
    b.state("waiting");
    b.state("talking");
    b.state("closed").final();
    b.transition("waiting", "talking")
        .on("take")
        .then(assign("nurse", actor_id()))
        .then(set("name", field("name")))
        .then(set("phone", field("phone")))
        .then(set("notes", field("notes")))
        .then(set("visits", field("count")));
    b.transition("talking", "closed").on("close");
    b.may_read({"name", "phone", "take.name", "take.phone"}).by_role("desk").in("waiting").in("talking");
    b.may_read(sensitivity::clinical).by_assignee("nurse");
    b.may_read(sensitivity::clinical).by_role("manager");
    return b;
}

struct intake_fixture {
    engine e;
    const actor desk{"desk-1", {"desk"}};
    const actor nurse{"nurse-1", {"nurse"}};
    const actor other_nurse{"nurse-2", {"nurse"}};
    const actor manager{"mgr", {"manager"}};
    const actor stranger{"anyone", {}};
    time_point t0 = at(2026, 3, 2, 9, 0);
    intake_fixture() {
        e.install(compile(intake_model().build()));
        REQUIRE(e.start("intake", 1, {}, t0, desk).applied());
        REQUIRE(
            e.dispatch(1, "take",
                       {{"name", "Zhang Sanfeng"}, {"phone", "139-0000-1111"}, {"notes", "sleepless"}, {"count", 2}},
                       t0 + minutes(1), nurse)
                .applied());
    }
};

std::vector<std::string> names(const case_reading& r) {
    std::vector<std::string> out;
    for (const auto& [n, v] : r.values) out.push_back(n);
    return out;
}

} // namespace

TEST_CASE("personal variables and fields are declared, validated and compiled into items and rules") {
    const procedure p = intake_model().build();
    CHECK(p.find_variable("name")->personal == sensitivity::contact);
    CHECK(p.find_variable("phone")->personal == sensitivity::contact); // personal() defaults to contact
    CHECK(p.find_variable("notes")->personal == sensitivity::clinical);
    CHECK(p.find_variable("visits")->personal == sensitivity::none);
    CHECK(p.read_rules().size() == 3);
    const auto prog = compile(p);
    REQUIRE(prog->personal_items().size() == 6); // three variables, then three fields
    CHECK(prog->personal_items()[0].name == "name");
    CHECK(prog->personal_items()[3].name == "take.name");
    CHECK(prog->personal_items()[5].level == sensitivity::clinical);
    CHECK(prog->item_of(*prog->find_variable("visits")) == no_index);
    CHECK(prog->item_of(*prog->find_variable("notes")) == 2);
    CHECK(prog->item_of(*prog->find_event("take"), 2) == 5);
    CHECK(prog->item_of(*prog->find_event("take"), 3) == no_index);
    CHECK(prog->find_item("take.phone") == 4);
    CHECK(prog->find_item("visits") == no_index);
    CHECK(prog->find_role("desk").has_value()); // roles only rules name join the role table
    const auto waiting = *prog->find_state("waiting");
    const auto closed = *prog->find_state("closed");
    const auto desk = prog->role_mask(std::vector<std::string>{"desk"});
    const auto none = [](std::uint16_t) { return false; };
    const auto nurse = [](std::uint16_t) { return true; };
    CHECK(prog->readable(waiting, desk, none) == 0b11011);
    CHECK(prog->readable(closed, desk, none) == 0);
    CHECK(prog->readable(closed, 0, nurse) == 0b111111);
    CHECK(prog->readable(no_index, 0, none) == 0); // a case no longer held: only role rules for every state
    CHECK(prog->readable(no_index, prog->role_mask(std::vector<std::string>{"manager"}), none) == 0b111111);
    CHECK(to_string(sensitivity::clinical) == "clinical");
}

TEST_CASE("bad read rules and personal data flowing into plain variables are errors") {
    {
        auto b = intake_model();
        CHECK_THROWS_WITH_AS(b.personal("nope"), doctest::Contains("no such variable"), error);
    }
    {
        auto b = intake_model();
        b.may_read({"notes"});
        CHECK(find_id(b.validate(), "careflow.model.bad_read_rule").message.find("names no reader") !=
              std::string::npos);
    }
    {
        auto b = intake_model();
        b.may_read(std::vector<std::string>{}).by_role("x");
        CHECK(find_id(b.validate(), "careflow.model.bad_read_rule").message.find("no item") != std::string::npos);
    }
    {
        auto b = intake_model();
        b.may_read({"visits", "take.nothing", "nothing"}).by_role("x");
        const auto ds = b.validate();
        CHECK(std::count_if(ds.begin(), ds.end(),
                            [](const diagnostic& d) { return d.id == "careflow.model.unknown_item"; }) == 3);
    }
    {
        auto b = intake_model();
        b.may_read({"notes"}).by_assignee("janitor").in("nowhere");
        const auto ds = b.validate();
        CHECK(has_id(ds, "careflow.model.unknown_duty"));
        CHECK(has_id(ds, "careflow.model.unknown_state"));
        CHECK_THROWS_AS((void)b.build(), error);
    }
    {
        auto b = intake_model();
        b.variable("copy", value_type::text);
        b.internal("talking").on("take").then(set("copy", field("notes")));
        const auto d = find_id(b.validate(), "careflow.model.personal_flow");
        CHECK(d.message.find("'copy'") != std::string::npos);
        CHECK(d.message.find("clinical") != std::string::npos);
    }
    {
        auto b = intake_model();
        b.variable("copy", value_type::text);
        b.personal("copy", sensitivity::contact);
        b.edit("closed").on_entry(set("copy", var("notes"))); // clinical into contact
        CHECK(has_id(b.validate(), "careflow.model.personal_flow"));
    }
    {
        auto b = intake_model();
        b.internal("talking").on("take").then(assign("nurse", field("name")));
        CHECK(find_id(b.validate(), "careflow.model.personal_flow").message.find("assignees are staff") !=
              std::string::npos);
    }
    {
        auto b = intake_model(); // a plain expression of a personal variable into a personal one is fine
        b.variable("label", value_type::text);
        b.personal("label", sensitivity::clinical);
        b.edit("closed").on_entry(set("label", var("notes")));
        CHECK_FALSE(has_errors(b.validate()));
    }
}

TEST_CASE("more than 64 personal items do not compile") {
    procedure_builder b{"wide", 1};
    for (int i = 0; i < 65; ++i) {
        b.variable("v" + std::to_string(i), value_type::text);
        b.personal("v" + std::to_string(i));
    }
    b.state("a").final();
    CHECK_THROWS_WITH_AS((void)compile(b.build()), doctest::Contains("more than 64 personal"), error);
}

TEST_CASE("a reader sees what the rules let them see now, and every read is journaled") {
    intake_fixture f;
    const auto t = f.t0 + minutes(2);

    // The nurse who took the call (the duty's assignee): everything.
    const auto by_nurse = f.e.read(1, f.nurse, t);
    CHECK(by_nurse.outcome.applied());
    CHECK(by_nurse.state == "talking");
    CHECK(by_nurse.procedure == "intake@1");
    CHECK(names(by_nurse) == std::vector<std::string>{"name", "phone", "notes", "visits"});
    CHECK(by_nurse.get("notes") == value("sleepless"));
    CHECK(by_nurse.withheld.empty());

    // Another nurse holds the role but not the duty: nothing personal; the rest is shown.
    const auto by_other = f.e.read(1, f.other_nurse, t);
    CHECK(by_other.outcome.applied()); // nothing was asked for by name
    CHECK(names(by_other) == std::vector<std::string>{"visits"});
    CHECK(by_other.withheld == std::vector<std::string>{"name", "phone", "notes"});
    CHECK(by_other.get("visits") == value(std::int64_t{2}));
    CHECK_THROWS_WITH_AS((void)by_other.get("notes"), doctest::Contains("'notes'"), error);
    try {
        (void)by_other.get("name");
        FAIL("no refusal");
    } catch (const error& x) {
        CHECK(x.id() == codes::access_denied);
    }
    CHECK_THROWS_WITH_AS((void)by_other.get("nothing"), doctest::Contains("no variable 'nothing'"), error);

    // The desk: contact details while waiting or talking, not the notes.
    const auto by_desk = f.e.read(1, f.desk, t);
    CHECK(names(by_desk) == std::vector<std::string>{"name", "phone", "visits"});
    CHECK(by_desk.get("phone") == value("139-0000-1111"));

    // Asking for a withheld item by name is a refusal naming it; what may be read is shown.
    const std::vector<std::string> ask{"phone", "notes"};
    const auto asked = f.e.read(1, f.desk, t, ask);
    CHECK(asked.outcome.kind == outcome::refused);
    CHECK(asked.outcome.code == codes::access_denied);
    CHECK(asked.outcome.reason.find("'notes'") != std::string::npos);
    CHECK(names(asked) == std::vector<std::string>{"phone"});

    // After the close the desk's rule no longer applies; the manager's does.
    REQUIRE(f.e.dispatch(1, "close", t + minutes(1), f.nurse).applied());
    CHECK(names(f.e.read(1, f.desk, t + minutes(2))) == std::vector<std::string>{"visits"});
    CHECK(f.e.read(1, f.manager, t + minutes(2)).get("name") == value("Zhang Sanfeng"));
    CHECK(names(f.e.read(1, f.stranger, t + minutes(3))) == std::vector<std::string>{"visits"});

    // The audit trail: one read entry per read, naming reader, roles, case and items.
    std::vector<journal_entry> reads;
    for (const auto& e : f.e.journal())
        if (e.kind == record_kind::read) reads.push_back(e);
    REQUIRE(reads.size() == 7);
    CHECK(reads[0].actor == "nurse-1");
    CHECK(reads[0].roles == std::vector<std::string>{"nurse"});
    CHECK(reads[0].id == 1);
    CHECK(reads[0].from == "talking");
    CHECK(reads[0].values == std::vector<std::pair<std::string, value>>{
                                 {"name", value(true)}, {"phone", value(true)}, {"notes", value(true)}});
    CHECK(reads[1].values.empty()); // nothing personal shown, nothing asked for
    CHECK(reads[3].result == outcome::refused);
    CHECK(reads[3].code == codes::access_denied);
    CHECK(reads[3].detail == "may not read 'notes'");
    CHECK(reads[3].values ==
          std::vector<std::pair<std::string, value>>{{"phone", value(true)}, {"notes", value(false)}});
    CHECK(reads[5].actor == "mgr");

    // The journal (reads included) writes, reads back and replays onto a fresh engine.
    std::stringstream text;
    write_journal(text, f.e.journal());
    const auto back = read_journal(text);
    CHECK(back == f.e.journal());
    engine again;
    again.install(compile(intake_model().build()));
    CHECK(again.replay(back) == 10);
    CHECK(again.snapshot() == f.e.snapshot());
}

TEST_CASE("a read that cannot be made shows nothing and is journaled as an error") {
    intake_fixture f;
    const auto t = f.t0 + minutes(2);
    const auto unknown = f.e.read(9, f.manager, t);
    CHECK(unknown.outcome.code == codes::unknown_case);
    CHECK(unknown.values.empty());
    const std::vector<std::string> ask{"nothing"};
    CHECK(f.e.read(1, f.manager, t, ask).outcome.code == codes::unknown_variable);
    CHECK(f.e.read(1, f.manager, f.t0, ask).outcome.code == codes::time_backwards);
    CHECK(f.e.read(1, actor{"system", {}}, t).outcome.code == codes::reserved_actor);
    CHECK(f.e.read(1, f.manager, time_point(boost::posix_time::not_a_date_time)).outcome.code == codes::bad_time);
    const auto j = f.e.journal();
    CHECK(std::count_if(j.begin(), j.end(), [](const journal_entry& e) {
              return e.kind == record_kind::read && e.result == outcome::error;
          }) == 5);
}

TEST_CASE("a read advances the clock first: the state it shows is the one at that instant") {
    procedure_builder b = intake_model();
    b.edit("talking").after(minutes(10), "close");
    engine e;
    e.install(compile(b.build()));
    const actor desk{"desk-1", {"desk"}};
    const actor nurse{"nurse-1", {"nurse"}};
    const auto t0 = at(2026, 3, 2, 9, 0);
    REQUIRE(e.start("intake", 1, {}, t0, desk).applied());
    REQUIRE(e.dispatch(1, "take", {{"name", "A"}, {"phone", "B"}, {"notes", "C"}, {"count", 1}}, t0, nurse).applied());
    CHECK(e.read(1, desk, t0 + minutes(9)).shows("phone"));
    const auto later = e.read(1, desk, t0 + minutes(11));
    CHECK(later.state == "closed");
    CHECK(later.finished);
    CHECK_FALSE(later.shows("phone"));
}

TEST_CASE("the journal as a reader may see it: personal values withheld, exports journaled") {
    intake_fixture f;
    const auto t = f.t0 + minutes(5);
    const auto as_stranger = f.e.journal_for(f.stranger, t);
    std::stringstream text;
    write_journal(text, as_stranger);
    CHECK(text.str().find("Zhang") == std::string::npos);
    CHECK(text.str().find("139-0000") == std::string::npos);
    CHECK(text.str().find("sleepless") == std::string::npos);
    const auto& take = as_stranger[1];
    REQUIRE(take.event == "take");
    CHECK(take.get("name") == value(std::string(withheld)));
    CHECK(take.get("count") == value(std::int64_t{2})); // not personal: shown

    const auto as_desk = f.e.journal_for(f.desk, t);
    CHECK(as_desk[1].get("phone") == value("139-0000-1111"));
    CHECK(as_desk[1].get("notes") == value(std::string(withheld)));

    const auto as_nurse = f.e.journal_for(f.nurse, t);
    CHECK(as_nurse[1].get("notes") == value("sleepless"));

    // Each export is an input; one that showed personal values names the case and items.
    const auto j = f.e.journal();
    std::vector<journal_entry> exports;
    for (const auto& e : j)
        if (e.kind == record_kind::read && e.event == "export") exports.push_back(e);
    REQUIRE(exports.size() == 3);
    CHECK(exports[0].id == 0); // the stranger saw nothing personal
    CHECK(exports[0].values.empty());
    CHECK(exports[1].actor == "desk-1");
    CHECK(exports[1].id == 1);
    CHECK(exports[1].values ==
          std::vector<std::pair<std::string, value>>{{"take.name", value(true)}, {"take.phone", value(true)}});
    CHECK(exports[2].values.size() == 3);

    // Entries of a procedure the engine does not know show no values at all.
    journal_entry foreign;
    foreign.kind = record_kind::start;
    foreign.procedure = "elsewhere@3";
    foreign.id = 77;
    foreign.values = {{"anything", value("Li Si")}};
    const auto shown = f.e.journal_for(f.manager, t, std::span<const journal_entry>(&foreign, 1));
    CHECK(shown[0].get("anything") == value(std::string(withheld)));

    // Exports replay (as the clock moves they made) onto a fresh engine.
    engine again;
    again.install(compile(intake_model().build()));
    (void)again.replay(f.e.journal());
    CHECK(again.snapshot() == f.e.snapshot());
}

TEST_CASE("an invalid payload's error does not quote a personal value") {
    intake_fixture f;
    REQUIRE(f.e.start("intake", 2, {}, f.t0 + minutes(2), f.desk).applied());
    const auto r =
        f.e.dispatch(2, "take", {{"name", std::int64_t{1234567}}, {"phone", "x"}, {"notes", "y"}, {"count", 1}},
                     f.t0 + minutes(3), f.desk);
    CHECK(r.code == codes::bad_payload);
    CHECK(r.reason.find("1234567") == std::string::npos);
    CHECK(r.reason.find("a value of type integer") != std::string::npos);
    const auto bad_start = f.e.start("intake", 3, {{"notes", std::int64_t{7654321}}}, f.t0 + minutes(3), f.desk);
    CHECK(bad_start.code == codes::bad_payload);
    CHECK(bad_start.reason.find("7654321") == std::string::npos);
    // A plain field's value may be quoted.
    const auto plain = f.e.dispatch(2, "take", {{"name", "a"}, {"phone", "x"}, {"notes", "y"}, {"count", "many"}},
                                    f.t0 + minutes(4), f.desk);
    CHECK(plain.reason.find("many") != std::string::npos);
}

TEST_CASE("a host adds its own read rules to an installed procedure; bad ones add nothing") {
    intake_fixture f;
    const auto t = f.t0 + minutes(2);
    const actor auditor{"aud-1", {"auditor"}}; // a role the procedure never names
    CHECK(f.e.read(1, auditor, t).withheld == std::vector<std::string>{"name", "phone", "notes"});
    f.e.allow_read("intake", read_rule{.items = {"notes"}, .roles = {"auditor"}});
    const auto seen = f.e.read(1, auditor, t);
    CHECK(seen.shows("notes"));
    CHECK(seen.withheld == std::vector<std::string>{"name", "phone"});
    CHECK(f.e.read(1, f.stranger, t).withheld.size() == 3); // nobody else gained anything

    // By state and by duty, like a procedure's own.
    f.e.allow_read("intake", read_rule{.up_to = sensitivity::contact, .duty = "nurse", .states = {"closed"}});
    CHECK_FALSE(f.e.read(1, f.other_nurse, t).shows("name"));

    for (const read_rule& bad :
         {read_rule{.items = {"visits"}, .roles = {"x"}}, read_rule{.items = {"nope"}, .roles = {"x"}},
          read_rule{.items = {"notes"}}, read_rule{.roles = {"x"}}, read_rule{.items = {"notes"}, .duty = "janitor"},
          read_rule{.items = {"notes"}, .roles = {"x"}, .states = {"nowhere"}}}) {
        CHECK_THROWS_AS(f.e.allow_read("intake", bad), error);
    }
    CHECK_THROWS_WITH_AS(f.e.allow_read("elsewhere", read_rule{.items = {"notes"}, .roles = {"x"}}),
                         doctest::Contains("no procedure 'elsewhere'"), error);
    CHECK(f.e.read(1, actor{"x-1", {"x"}}, t).withheld.size() == 3); // none of the bad rules was added

    // The rules belong to the engine's installed programs: a restored snapshot keeps them.
    const std::string snap = f.e.snapshot();
    f.e.restore(snap);
    CHECK(f.e.read(1, auditor, t + minutes(1)).shows("notes"));
}
