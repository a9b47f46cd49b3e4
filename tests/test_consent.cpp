// Consent as data: topics declared by procedures and checked by validation, a client's
// answers recorded as journaled inputs (and refused when malformed), read by expression
// and host guards, kept by both snapshot forms, replay, keyed inputs and a SQLite store,
// withdrawn by erasure, and shown in the client's file.
#include "store_fixtures.hpp"

using namespace careflow;
using namespace careflow::test;

namespace {

const actor desk{"desk-1", {"desk"}};
const actor boss{"mgr-1", {"manager"}};

// offer ─send [consent sms]─► sent; ─send [else]─► held; ─ask [host guard: consent sms]─► asked.
std::shared_ptr<const program> reminder() {
    procedure_builder b{"reminder", 1};
    b.consent("sms", "to receive text messages").consent("research.v2", "to take part in a study");
    b.event("send").event("ask").event("done");
    b.state("offer");
    b.state("sent").final();
    b.state("held").final();
    b.state("asked").final();
    b.transition("offer", "sent").on("send").when(consent("sms"));
    b.transition("offer", "held").on("send");
    b.transition("offer", "asked").on("ask").when("host: sms consent", [](const guard_context& g) {
        return g.consent("sms");
    });
    b.transition("offer", "held").on("done");
    return compile(b.build());
}

engine with_reminder(engine_options o = {}) {
    engine e(std::move(o));
    e.install(reminder());
    return e;
}

} // namespace

TEST_CASE("consent topics are declared, well formed and few; a guard may check only a declared one") {
    auto base = [] {
        procedure_builder b{"p", 1};
        b.event("go");
        b.state("a");
        b.state("b").final();
        return b;
    };
    auto ids = [](procedure_builder& b) {
        std::vector<std::string> out;
        for (const auto& d : b.validate())
            if (d.level == severity::error) out.push_back(d.id);
        return out;
    };
    {
        auto b = base();
        b.transition("a", "b").on("go").when(consent("sms"));
        CHECK(ids(b) == std::vector<std::string>{"careflow.model.unknown_consent"});
    }
    {
        auto b = base();
        b.consent("SMS").consent("ok").consent("ok").consent("");
        b.transition("a", "b").on("go");
        const auto found = ids(b);
        CHECK(std::count(found.begin(), found.end(), "careflow.model.bad_consent_topic") == 1);
        CHECK(std::count(found.begin(), found.end(), "careflow.model.duplicate_name") == 1);
        CHECK(std::count(found.begin(), found.end(), "careflow.model.empty_name") == 1);
    }
    {
        auto b = base();
        for (int i = 0; i < 65; ++i) b.consent("t" + std::to_string(i));
        b.transition("a", "b").on("go");
        CHECK(ids(b) == std::vector<std::string>{"careflow.model.too_many_consents"});
    }
    CHECK(consent_topic_ok("callback"));
    CHECK(consent_topic_ok(std::string(64, 'a')));
    CHECK_FALSE(consent_topic_ok(std::string(65, 'a')));
    CHECK_FALSE(consent_topic_ok("Call back"));
    CHECK((consent("sms") && !var("x")).to_string() == "consent('sms') && !x");
    // The compiled program lists them in order; a machine (no clients) refuses them.
    const auto p = reminder();
    CHECK(std::vector<std::string>(p->consent_topics().begin(), p->consent_topics().end()) ==
          std::vector<std::string>{"sms", "research.v2"});
    CHECK_THROWS_WITH_AS(machine{p}, doctest::Contains("consent"), careflow::error);
}

TEST_CASE("a consent is recorded with its time and who recorded it; the latest answer counts; it may lapse") {
    engine e = with_reminder();
    CHECK(e.consents("c-1").empty());
    REQUIRE(e.record_consent("c-1", "sms", true, t0, desk, t0 + hours(24)).applied());
    REQUIRE(e.record_consent("c-1", "research.v2", false, t0 + minutes(1), desk).applied());
    const auto now = e.consents("c-1");
    REQUIRE(now.size() == 2);
    CHECK(now[0].topic == "research.v2"); // by topic
    CHECK_FALSE(now[0].granted);
    CHECK(now[1] == (consent_state{"sms", true, t0, t0 + hours(24), "desk-1"}));
    CHECK(e.consented("c-1", "sms", t0 + hours(23)));
    CHECK_FALSE(e.consented("c-1", "sms", t0 + hours(24))); // lapsed at the instant
    CHECK_FALSE(e.consented("c-2", "sms", t0));
    CHECK(e.consenting_clients() == std::vector<std::string>{"c-1"});
    REQUIRE(e.record_consent("c-1", "sms", false, t0 + hours(1), boss).applied()); // withdrawn
    CHECK_FALSE(e.consented("c-1", "sms", t0 + hours(2)));
    CHECK(e.consents("c-1")[1].recorded_by == "mgr-1");

    // Each answer is a journaled input naming the client, the topic and who recorded it.
    std::vector<journal_entry> mine;
    for (const auto& x : e.journal())
        if (x.kind == record_kind::consent) mine.push_back(x);
    REQUIRE(mine.size() == 3);
    CHECK(mine[0].input());
    CHECK(mine[0].client == "c-1");
    CHECK(mine[0].event == "sms");
    CHECK(mine[0].actor == "desk-1");
    CHECK(mine[0].roles == std::vector<std::string>{"desk"});
    CHECK(mine[0].get("granted") == value(true));
    CHECK(mine[0].get("until") == value(t0 + hours(24)));
    CHECK(mine[2].get("granted") == value(false));
    CHECK(mine[2].get("until").empty());
    std::stringstream text;
    write_journal(text, mine);
    CHECK(read_journal(text) == mine);
}

TEST_CASE("a malformed consent is an error result, journaled as given, that changes nothing") {
    engine e = with_reminder();
    auto refused = [&](const result& r, std::string_view code) {
        CHECK(r.kind == outcome::error);
        CHECK(r.code == code);
    };
    refused(e.record_consent("", "sms", true, t0, desk), codes::bad_client);
    refused(e.record_consent(std::string(129, 'x'), "sms", true, t0, desk), codes::bad_client);
    refused(e.record_consent("case:1", "sms", true, t0, desk), codes::bad_client);
    refused(e.record_consent("c-1", "callback", true, t0, desk), codes::unknown_consent); // no procedure asks
    refused(e.record_consent("c-1", "sms", true, t0, desk, t0), codes::bad_consent);      // lapses at once
    refused(e.record_consent("c-1", "sms", false, t0, desk, t0 + hours(1)), codes::bad_consent);
    refused(e.record_consent("c-1", "sms", true, t0, actor{"system", {}}), codes::reserved_actor);
    refused(e.record_consent("c-1", "sms", true, time_point(boost::posix_time::not_a_date_time), desk),
            codes::bad_time);
    REQUIRE(e.record_consent("c-1", "sms", true, t0 + hours(1), desk).applied());
    refused(e.record_consent("c-1", "sms", false, t0, desk), codes::time_backwards);
    CHECK(e.consented("c-1", "sms", t0 + hours(2)));
    const auto j = e.journal();
    const auto errors = std::count_if(j.begin(), j.end(), [](const journal_entry& x) {
        return x.kind == record_kind::consent && x.result == outcome::error;
    });
    CHECK(errors == 9);
    const auto unknown =
        std::find_if(j.begin(), j.end(), [](const journal_entry& x) { return x.code == codes::unknown_consent; });
    REQUIRE(unknown != j.end());
    CHECK(unknown->event == "callback"); // the topic as given
    CHECK(unknown->get("granted") == value(true));
}

TEST_CASE("guards read the case's client's consent now: expression and host guards, options too") {
    engine e = with_reminder();
    REQUIRE(e.start("reminder", 1, {}, t0, desk, "c-1").applied());
    REQUIRE(e.start("reminder", 2, {}, t0, desk, "c-2").applied());
    REQUIRE(e.start("reminder", 3, {}, t0, desk).applied()); // no client: nobody consented
    REQUIRE(e.start("reminder", 4, {}, t0, desk, "c-1").applied());
    REQUIRE(e.record_consent("c-1", "sms", true, t0 + minutes(1), desk, t0 + hours(1)).applied());
    REQUIRE(e.record_consent("c-2", "research.v2", true, t0 + minutes(1), desk).applied());
    CHECK(e.dispatch(1, "send", t0 + minutes(2), desk).applied());
    CHECK(e.get(1).path() == "sent");
    CHECK(e.dispatch(2, "send", t0 + minutes(2), desk).applied());
    CHECK(e.get(2).path() == "held"); // consented to another topic
    CHECK(e.dispatch(3, "send", t0 + minutes(2), desk).applied());
    CHECK(e.get(3).path() == "held");
    // The host guard reads the same answer.
    const auto offered = e.options(4, desk);
    const auto ask =
        std::find_if(offered.begin(), offered.end(), [](const event_option& o) { return o.event == "ask"; });
    REQUIRE(ask != offered.end());
    CHECK(ask->kind == outcome::applied);
    // Lapsed an hour later: refused by the guard.
    const result late = e.dispatch(4, "ask", t0 + hours(1), desk);
    CHECK(late.kind == outcome::refused);
    CHECK(late.code == codes::guard_false);
    REQUIRE(e.record_consent("c-1", "sms", true, t0 + hours(2), desk).applied());
    CHECK(e.dispatch(4, "ask", t0 + hours(2), desk).applied());
    CHECK(e.get(4).path() == "asked");
}

TEST_CASE("a host guard asking for an undeclared topic is a typed error") {
    procedure_builder b{"odd", 1};
    b.event("go");
    b.state("a");
    b.state("b").final();
    b.transition("a", "b").on("go").when("asks for sms", [](const guard_context& g) { return g.consent("sms"); });
    engine e;
    e.install(compile(b.build()));
    REQUIRE(e.start("odd", 1, {}, t0, desk, "c-1").applied());
    const result r = e.dispatch(1, "go", t0, desk);
    CHECK(r.kind == outcome::error);
    CHECK(r.reason.find("careflow.runtime.unknown_consent") != std::string::npos);
    CHECK(e.get(1).path() == "a");
}

TEST_CASE("consents survive both snapshot forms, replay and a keyed re-send") {
    engine e = with_reminder();
    REQUIRE(e.record_consent("c-1", "sms", true, t0, desk, t0 + hours(5)).applied());
    REQUIRE(e.record_consent("c-2", "sms", false, t0 + minutes(1), boss).applied());
    REQUIRE(e.record_consent("c 3%", "research.v2", true, t0 + minutes(2), desk).applied()); // escaped in text
    for (const auto format : {snapshot_format::text, snapshot_format::binary}) {
        const std::string snap = e.snapshot(format);
        engine back = with_reminder();
        back.restore(snap);
        for (const char* c : {"c-1", "c-2", "c 3%"}) CHECK(back.consents(c) == e.consents(c));
        CHECK(back.snapshot(format) == snap);
    }
    // A snapshot of an engine without consents is what it was before consents existed.
    CHECK(with_reminder().snapshot(snapshot_format::text).find("consent") == std::string::npos);

    engine again = with_reminder();
    again.replay(e.journal());
    for (const char* c : {"c-1", "c-2", "c 3%"}) CHECK(again.consents(c) == e.consents(c));

    engine keyed = with_reminder();
    REQUIRE(keyed.with_key("k1").record_consent("c-1", "sms", true, t0, desk).applied());
    const result twice = keyed.with_key("k1").record_consent("c-1", "sms", true, t0 + minutes(5), desk);
    CHECK(twice.replayed);
    const result other = keyed.with_key("k1").record_consent("c-1", "sms", false, t0 + minutes(5), desk);
    CHECK(other.code == codes::key_reused);
    CHECK(keyed.consents("c-1")[0].at == t0);
}

TEST_CASE("a snapshot's consent lines are checked") {
    engine e = with_reminder();
    REQUIRE(e.record_consent("c-1", "sms", true, t0, desk).applied());
    const std::string good = e.snapshot();
    const auto line = good.find("consent c-1 sms 1");
    REQUIRE(line != std::string::npos);
    const auto end = good.find('\n', line);
    auto with = [&](const std::string& replacement) { return good.substr(0, line) + replacement + good.substr(end); };
    auto bad = [&](const std::string& text) {
        engine back = with_reminder();
        CHECK_THROWS_AS(back.restore(text), careflow::error);
    };
    const std::string at = std::to_string(to_ticks(t0));
    bad(with("consent c-1 sms 2 " + at + " - desk-1"));
    bad(with("consent c-1 sms - " + at + " - desk-1"));
    bad(with("consent c-1 SMS 1 " + at + " - desk-1"));
    bad(with("consent c-1 sms 0 " + at + " " + at + " desk-1")); // a withdrawal that lapses
    bad(with("consent c-1 sms 1 " + at + " " + at + " desk-1")); // lapses as it is given
    bad(with("consent c-1 sms 1 - - desk-1"));
    bad(with("consent c-1 sms 1 " + at + " - system"));
    bad(with("consent % sms 1 " + at + " - desk-1"));
    bad(with("consent c-1 sms 1 " + at + " -"));
    bad(with("consent c-1 sms 1 " + at + " - desk-1\nconsent c-1 sms 0 " + at + " - desk-1"));
    engine ok = with_reminder();
    ok.restore(with("consent c-1 sms 0 " + at + " - desk-1"));
    CHECK_FALSE(ok.consents("c-1")[0].granted);
}

TEST_CASE("erasing a client withdraws their consents; the journal keeps when they were given") {
    engine e = with_reminder();
    REQUIRE(e.start("reminder", 1, {}, t0, desk, "c-1").applied());
    REQUIRE(e.record_consent("c-1", "sms", true, t0, desk).applied());
    REQUIRE(e.erase_client("c-1", t0 + hours(1), boss).applied());
    CHECK(e.consents("c-1").empty());
    CHECK(e.dispatch(1, "send", t0 + hours(2), desk).applied());
    CHECK(e.get(1).path() == "held");
    const client_file f = e.client_history("c-1", boss, t0 + hours(3));
    CHECK(f.consents.empty());
    const auto given = std::find_if(f.entries.begin(), f.entries.end(),
                                    [](const journal_entry& x) { return x.kind == record_kind::consent; });
    REQUIRE(given != f.entries.end());
    CHECK(given->get("granted") == value(true));
    CHECK(given->time == to_ticks(t0));
    // A replay of the whole journal ends the same way.
    engine again = with_reminder();
    again.replay(e.journal());
    CHECK(again.consents("c-1").empty());
}

TEST_CASE("the client's file shows their consents and the entries that recorded them") {
    engine e = with_reminder();
    REQUIRE(e.start("reminder", 1, {}, t0, desk, "c-1").applied());
    REQUIRE(e.record_consent("c-1", "sms", true, t0 + minutes(1), desk).applied());
    REQUIRE(e.record_consent("c-2", "sms", true, t0 + minutes(1), desk).applied());
    const client_file f = e.client_history("c-1", boss, t0 + minutes(2));
    REQUIRE(f.consents.size() == 1);
    CHECK(f.consents[0].topic == "sms");
    const auto n = std::count_if(f.entries.begin(), f.entries.end(),
                                 [](const journal_entry& x) { return x.kind == record_kind::consent; });
    CHECK(n == 1); // c-2's is not in c-1's file
}

TEST_CASE("a durable engine keeps consents in its store: recovered, withdrawn by erasure, and in a new store") {
    scratch tmp;
    const std::string path = tmp.file("c.db");
    {
        sqlite_store s(path);
        engine e = opened(s);
        REQUIRE(e.start("hotline_call", 1, {}, t0, staff[0], "c-1").applied());
        REQUIRE(e.record_consent("c-1", "callback", true, t0, staff[0], t0 + hours(48)).applied());
        REQUIRE(e.record_consent("c-2", "referral", true, t0 + minutes(1), staff[3]).applied());
        REQUIRE(e.record_consent("c-2", "referral", false, t0 + minutes(2), staff[3]).applied());
        REQUIRE(e.record_consent("c-3", "callback", true, t0 + minutes(3), staff[2]).applied());
    }
    {
        sqlite_store s(path, {.create = false});
        engine e = opened(s);
        REQUIRE(e.consents("c-1").size() == 1);
        CHECK(e.consents("c-1")[0] == (consent_state{"callback", true, t0, t0 + hours(48), "op-1"}));
        REQUIRE(e.consents("c-2").size() == 1);
        CHECK_FALSE(e.consents("c-2")[0].granted);
        CHECK(e.consents("c-2")[0].at == t0 + minutes(2));
        CHECK(e.consents("c-3")[0].recorded_by == "c-1");
        REQUIRE(e.erase_client("c-3", t0 + hours(1), staff[3]).applied());
    }
    {
        sqlite_store s(path, {.create = false});
        engine e = opened(s);
        CHECK(e.consents("c-3").empty());
        CHECK(e.consented("c-1", "callback", t0 + hours(47)));
        // Moved into a new store, the consents come along.
        engine copy;
        setup(copy);
        copy.restore(e.snapshot(snapshot_format::binary));
        sqlite_store fresh(tmp.file("new.db"));
        copy.open(fresh);
    }
    sqlite_store s(tmp.file("new.db"), {.create = false});
    engine e = opened(s);
    CHECK(e.consents("c-1").size() == 1);
    CHECK(e.consents("c-2").size() == 1);
    CHECK(e.consents("c-3").empty());
}

TEST_CASE("first visit: the file goes to a referral only with the client's consent") {
    engine e;
    setup(e);
    struct seen : observer {
        std::vector<std::string> topics;
        void notified(const case_view& c, std::string_view topic, std::string_view, time_point) override {
            topics.push_back(std::to_string(c.id()) + ":" + std::string(topic));
        }
    } notes;
    e.add_observer(&notes);
    const actor back{"bo-1", {"back_office"}};
    const time_point appointment = at(2026, 11, 26, 15, 0);
    for (case_id id : {1, 2}) {
        const std::string client = "client-" + std::to_string(id);
        REQUIRE(e.start("first_visit", id, {{"appointment_at", appointment}}, t0, staff[3], client).applied());
    }
    REQUIRE(e.record_consent("client-1", "referral", true, t0, staff[3]).applied());
    e.advance(appointment - hours(30));
    for (case_id id : {1, 2}) {
        REQUIRE(e.get(id).path() == "screening");
        REQUIRE(e.dispatch(id, "screen", {{"risk", 1}, {"in_scope", false}}, appointment - hours(29), back).applied());
        CHECK(e.get(id).path() == "referral");
    }
    auto saw = [&](const std::string& s) {
        return std::find(notes.topics.begin(), notes.topics.end(), s) != notes.topics.end();
    };
    CHECK(saw("1:share_with_referral"));
    CHECK_FALSE(saw("1:referral_without_file"));
    CHECK(saw("2:referral_without_file"));
    CHECK_FALSE(saw("2:share_with_referral"));
}
