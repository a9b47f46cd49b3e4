// Internal: the engine's long-lived state and the input pipeline every input goes through
// (see docs/architecture.md, "Run"):
//
//   admit → advance → apply → commit (journal, timers, spawns) → deliver (observers, sink)
//
// `admit` checks the input and loads its payload into a step without changing anything;
// `advance` fires the timers due before it, each as a step of its own through the same
// apply → commit; `apply` computes the step (transition, actions, SLA triggers, eventless
// steps) writing through the step's undo log; `commit` makes it final in one place; and
// `deliver`, once the whole input is committed, hands its notices to observers and its
// records to the journal sink. Files: inputs.cpp (admission and the pipeline), step.cpp
// (apply), sla.cpp (SLA clocks), timers.cpp (timers, advance, fire), commit.cpp (commit,
// spawns, deliver), actors.cpp (setup, people and actors), journal.cpp, snapshot.cpp,
// replay.cpp, api.cpp and views.cpp (the public face).
#pragma once

#include "step.hpp"

#include <careflow/runtime/engine.hpp>
#include <careflow/runtime/timer_queue.hpp>

#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>

namespace careflow::detail {

/// One case. Its variables, timer slots, SLA records and assignees live in one heap
/// block laid out for its program (`lay_out`), so a step reaches them through one
/// allocation instead of four; the spans point into that block (which a move keeps in
/// place), so a case is movable but not copyable. A case is finished exactly when its
/// leaf is final; it has a parent exactly when `parent != 0`.
struct case_data {
    case_id id = 0;
    std::uint16_t prog = 0;
    state_index state = no_index;
    bool live = false;
    bool dirty = false; ///< changed by the input in progress (a durable engine writes it)
    ticks started_at = 0;
    ticks entered_at = 0;
    std::uint64_t seq = 0; ///< start order (cases() and snapshots list cases by it)
    std::span<cell> vars;
    std::span<timer_state> timers; ///< state timers first, then one per SLA clock
    std::span<sla_clock> slas;
    std::span<std::uint32_t> assignees;
    std::unique_ptr<std::byte[]> block;
    std::vector<std::string> texts;
    case_id parent = 0;
    std::vector<case_id> children;
    std::string client; ///< the client's file the case belongs to ("" for none)

    case_data() = default;
    case_data(case_data&&) noexcept = default;
    case_data& operator=(case_data&&) noexcept = default;
    case_data(const case_data&) = delete;
    case_data& operator=(const case_data&) = delete;

    /// Allocate the parts for program `p` with their initial values: declared variable
    /// defaults, no assignees, no timers armed, every SLA clock inactive.
    void lay_out(const program& p);
};

struct stored_payload {
    std::uint32_t cells = 0;
    std::uint32_t texts = 0;
    bool variables = false; ///< initial variables (start) rather than event fields
};

/// A rejected input as the host gave it: the names it used (which may not exist) and
/// its values, so that the journal and a replay see exactly that input again.
struct given_input {
    std::string procedure; ///< start: the procedure named
    std::string event;     ///< dispatch: event; assign: duty
    std::vector<std::pair<std::string, value>> values;
};

/// A host's read rule (`engine::allow_read`) compiled for one program; its roles are
/// kept by name (the program's role table may not have them).
struct host_read_rule {
    program_read_rule rule;
    std::vector<std::string> roles;
};

/// A client's answer on one consent topic, as last recorded.
struct consent_record {
    std::uint16_t topic = 0;  ///< the engine's topic index (`engine_impl::consent_topics`)
    bool granted = false;     ///< given, or withdrawn
    ticks at = 0;             ///< when recorded
    ticks until = no_time;    ///< when a consent given lapses (no_time: it does not)
    std::uint32_t person = 0; ///< who recorded it
    friend bool operator==(const consent_record&, const consent_record&) = default;
};

/// An installed program and what the engine resolved for it.
struct installed {
    std::shared_ptr<const program> p;
    std::vector<std::uint16_t> consents;    ///< by program consent topic: the engine's topic index
    std::vector<host_read_rule> host_rules; ///< the host's read rules, beside the program's own
    std::vector<const calendar*> calendars; ///< by program calendar index (nullptr: not set)
    std::vector<const host_action*> hosts;  ///< by program host action index (nullptr: unbound)
};

/// Who acted: a person with the roles they held for that input. Assignees are people
/// (ids); records name actors, so a replay knows the roles each input was made with.
struct actor_identity {
    std::uint32_t person = none32;
    std::vector<std::string> roles;
    std::vector<std::uint64_t> masks; ///< role mask per installed program
    std::uint32_t ref = none32;       ///< its actor_ref index, once intern() handed one out
};

/// Something observers are told once the input that caused it is committed.
struct notice {
    std::uint32_t slot = none32;
    effect what;
};

/// What a durable engine (one opened on a store) keeps about the store: what of the
/// engine the store already has, and what the input in progress changed.
struct durable_state {
    store* to = nullptr;
    std::vector<std::uint16_t> numbers; ///< installed program → its number in the store (0xFFFF: none yet)
    std::uint16_t programs = 0;         ///< programs the store has
    std::size_t people = 0;             ///< people the store has (person 0 included)
    std::size_t refs = 0;               ///< actor refs the store has
    std::vector<std::uint32_t> dirty;   ///< slots the input changed
    std::vector<case_id> erased;        ///< cases the input erased
    std::vector<std::string> shred;     ///< owners whose personal data the input erased
    std::vector<std::string> consents;  ///< dictionary entries of the consents the input recorded or withdrew
    std::vector<recorded_input> keys;   ///< the keyed input in progress, once recorded
    std::string header;                 ///< the header last written
};

/// A case whose personal values a journal export showed, and which items.
struct shown_case {
    case_id id = 0;
    std::uint16_t prog = 0;
    std::vector<std::string> items;
};

/// The idempotency key of the input in progress (`engine::with_key`), if it has one.
struct input_key {
    std::string_view key; ///< empty: the input has no key
    std::uint64_t fingerprint = 0;
    case_id id = 0; ///< the case the input names (0: advance)
};

struct engine_impl {
    engine_options options;
    std::vector<installed> programs;
    std::map<std::string, calendar, std::less<>> calendars;
    std::map<std::string, host_action, std::less<>> bindings;
    std::vector<observer*> observers;
    journal_sink* sink = nullptr;

    // people and actors (never forgotten). An actor_ref indexes `refs`, dense in the order
    // intern() made them, which snapshots keep, so refs stay valid in a restored engine.
    std::vector<std::string> people; ///< person ids; people[0] is the engine itself
    std::map<std::string, std::uint32_t, std::less<>> person_index;
    std::vector<actor_identity> actors; ///< actors[0] is the engine (timers); no input can name it
    std::vector<std::uint32_t> refs;    ///< actor_ref index → actor
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> actor_index; ///< person → their actors
    static constexpr std::uint32_t system = 0;

    // cases and time
    std::vector<case_data> slots;
    std::vector<std::uint32_t> free_slots;
    id_index index;
    std::uint64_t next_seq = 0;
    timer_queue<timer_payload> queue;
    ticks clock = no_time;
    case_id next_spawn = 0; ///< the next spawn counter (ids are spawn_base + shard·2⁴⁰ + n)

    // the journal (absolute positions: journal_base + index in `journal`)
    chunked<record> journal;
    std::size_t journal_base = 0;
    chunked<stored_payload> payloads;
    chunked<cell> journal_cells;
    std::vector<std::string> journal_texts;
    std::vector<given_input> givens;

    // clients' consents (consent.cpp): the latest answer per client and topic
    std::vector<std::string> consent_topics; ///< every topic an installed program declares, interned
    std::map<std::string, std::vector<consent_record>, std::less<>> consents;

    // the input in progress: its steps (a pool by depth), notices and what failed in delivery
    std::vector<std::unique_ptr<step>> steps;
    std::size_t depth = 0;
    bool busy = false;
    std::vector<notice> notices;
    std::vector<result> notice_results;
    std::exception_ptr observer_error;

    // idempotency keys (keys.cpp)
    input_key keyed;                                      ///< the input in progress's key
    std::unordered_map<std::string, recorded_input> keys; ///< in memory (a durable engine asks its store)
    /// The input recorded under `key` (in the store, for a durable engine).
    std::optional<recorded_input> find_key(std::string_view key) const;
    /// Run `input` with key `k`: the recorded result again, a key_reused error, or the
    /// input itself, whose result `top_level` records with the key.
    template <class F>
    result with_key(const input_key& k, F&& input);
    /// Record the result of the keyed input that began at journal position `first`.
    void record_key(const result& r, std::size_t first);

    // durability (durable.cpp)
    durable_state durable;
    /// Note that the input in progress changed the case in `slot`.
    void mark(std::uint32_t slot);
    /// Write the input that began at journal position `first_record` to the store;
    /// throws careflow::error (and the engine is unchanged) when the store refuses it.
    void persist(std::size_t first_record);
    /// Forget what the input changed (it is written, or given up).
    void settle_durable() noexcept;
    /// After a refused write: become what the store holds, and say why as a result.
    result reload(const error& why);

    explicit engine_impl(engine_options o);

    // ---- setup (actors.cpp) ----
    std::uint16_t install(std::shared_ptr<const program> p);
    void resolve(installed& i);
    std::uint32_t person_of(std::string_view id);
    std::uint32_t actor_of(std::string_view id, const std::vector<std::string>& roles);
    /// The actor_ref index of actor `a`, made the first time it is asked for.
    std::uint32_t ref_of(std::uint32_t a) {
        if (actors[a].ref == none32) {
            actors[a].ref = static_cast<std::uint32_t>(refs.size());
            refs.push_back(a);
        }
        return actors[a].ref;
    }
    std::uint64_t mask_of(std::uint32_t actor, std::uint16_t prog);
    const installed* find_program(std::string_view name) const;
    const installed* find_program(std::string_view name, int version) const;
    /// The program a journal names as "name@version", or nullptr.
    const installed* find_qualified(std::string_view qualified) const;

    // ---- the pipeline (inputs.cpp) ----
    /// A step from the pool for the next nesting level; `release_step` gives it back.
    step& acquire_step() {
        if (depth == steps.size()) steps.push_back(std::make_unique<step>());
        return *steps[depth++];
    }
    void release_step() noexcept { --depth; }
    result start(std::uint16_t prog, case_id id, const payload& vars, ticks t, std::uint32_t actor,
                 std::string_view client);
    result start_by_name(std::string_view procedure, case_id id, const payload& vars, ticks t, std::uint32_t actor,
                         std::string_view client);
    /// A spawned case: started by the engine inside its parent's commit, in its client's file.
    result start_child(std::uint16_t prog, case_id id, const payload& vars, ticks t, std::uint32_t actor,
                       case_id parent, int spawn_depth, const std::string& client);
    /// Lay out `c` for program `prog` with the given initial variables (nothing else changes).
    reason load_variables(case_data& c, std::uint16_t prog, const payload& vars, std::string& why);
    /// Put an admitted case into a slot and run its first step (entries, SLA, eventless).
    result begin_case(case_data&& fresh, record& in, int spawn_depth);
    result dispatch(case_id id, std::string_view event, const payload& fields, ticks t, std::uint32_t actor);
    result dispatch(case_id id, event_index e, std::span<const value> fields, ticks t, std::uint32_t actor);
    result assign(case_id id, std::string_view duty, std::string_view person, ticks t, std::uint32_t actor);
    result advance_input(ticks t);
    bool erase(case_id id);
    /// The checks every input makes before anything changes (time, actor); reason::none
    /// when it may go on. The common case is decided inline.
    reason precheck(const record& in, ticks t, std::string& why) const {
        const bool ok = t != no_time && (clock == no_time || t >= clock) &&
                        (in.actor == none32 || in.actor == system || actors[in.actor].person != 0);
        return ok ? reason::none : refuse_input(in, t, why);
    }
    reason refuse_input(const record& in, ticks t, std::string& why) const;
    /// The checks every input on an existing case makes (precheck, then the case): the
    /// case's slot, or none32 with the reason and its message.
    std::uint32_t admit(record& in, case_id id, ticks t, reason& why, std::string& detail) const;
    std::uint32_t find_case(record& in, case_id id, reason& why, std::string& detail) const;
    /// Load the payload for event `ev` into `s`; false with the reason in `detail`.
    bool load_fields(step& s, const program_event& ev, std::span<const value* const> given, std::string& detail);
    /// Advance, apply the admitted event in `s` to its case, commit.
    result run_event(step& s, ticks t);
    /// The top-level wrapper: marks the engine busy, runs `body`, then delivers.
    template <class F>
    result top_level(F&& body);

    // ---- apply (step.cpp) ----
    cell& var(step& s, std::uint16_t i);
    std::string& text(step& s, std::uint16_t slot);
    std::uint32_t& assignee(step& s, std::uint16_t duty);
    timer_state& timer(step& s, std::uint16_t i);
    sla_clock& clock_of(step& s, std::uint16_t sla);
    void rollback(step& s);
    /// Choose and take the transition for the event in `s` (or refuse / ignore it);
    /// throws step_failure when an action fails.
    result apply_event(step& s);
    /// Who a transition is being chosen for.
    struct acting {
        std::uint32_t person = none32; ///< none32: someone the engine has never seen
        std::uint64_t mask = 0;        ///< their roles in the case's program
        bool engine = false;           ///< the engine itself: no role or assignee checks
        std::string_view name;
        bool guards = true; ///< evaluate guards (false: their answer depends on a payload not given)
    };
    /// The first candidate that passes guard, role and assignee checks, or nullptr with
    /// the refusal (code and message) for the most telling failure. Changes nothing.
    const program_transition* select(const case_data& c, const eval_context& ctx, event_index ev,
                                     std::span<const program_transition> candidates, const acting& who, reason& why,
                                     std::string& detail) const;
    /// Take a set of non-conflicting transitions as one microstep: all exits (innermost
    /// first), then all transition actions, then all entries (outermost first).
    void microstep(step& s, std::span<const program_transition* const> chosen);
    /// The active configuration: the leaves a case is in, in document order. One leaf
    /// today; parallel regions make it several (and `max_active` bounds them).
    static constexpr std::size_t max_active = 1;
    static std::span<const state_index> configuration(const case_data& c) noexcept { return {&c.state, 1}; }
    void enter(step& s, state_index st);
    void exit(step& s, state_index st);
    void run(step& s, const program_action& a);
    void settle(step& s); // eventless steps; throws step_failure on a loop
    eval_context context(const step& s) const;
    /// The step's case's consent mask (`consents_of`), looked up on the step's first context.
    std::uint64_t step_consents(const step& s) const;

    // ---- SLA clocks (sla.cpp) ----
    void apply_sla(step& s, const sla_trigger& t);
    void apply_triggers(step& s);
    void schedule_sla(step& s, std::uint16_t sla);
    void finish_slas(step& s);
    void reach_threshold(step& s, std::uint16_t sla, ticks at, event_index& send);
    ticks elapsed(const case_data& c, const sla_clock& k, std::uint16_t calendar, ticks at) const;
    /// The instant a running clock's open time reaches its goal (its deadline).
    ticks deadline(const case_data& c, const sla_clock& k, std::uint16_t calendar) const;

    // ---- timers (timers.cpp) ----
    void arm(step& s, std::uint16_t timer);
    void advance(ticks t);
    void fire(const timer_queue<timer_payload>::fired& f);
    const calendar* calendar_of(const case_data& c, std::uint16_t cal) const;
    ticks business_add(const case_data& c, std::uint16_t calendar, ticks t, ticks d) const;
    /// When a span counted from `from` in `calendar` ends (timers and SLA goals alike).
    ticks span_end(const case_data& c, const program_span& sp, std::uint16_t calendar, ticks from) const;
    ticks business_between(const case_data& c, std::uint16_t calendar, ticks a, ticks b) const;

    // ---- commit (commit.cpp) ----
    /// Make step `s` final: finish, reconcile timers with the queue, journal the input
    /// record and the effects, queue notices, then start the spawns it asked for.
    void commit(step& s);
    void start_spawns(step& s);
    /// Hand the input's notices to observers (then the records to the sink).
    void deliver(std::size_t first_record);

    // ---- journal (journal.cpp) ----
    /// Journal `in` as an error (with the input as given) and return the matching result.
    result reject(record in, reason code, std::string detail, given_input given = {});
    std::uint32_t store_payload(std::span<const cell> cells, std::span<const std::string> texts, bool variables);
    std::uint32_t store_text(std::string s);
    std::uint32_t store_given(given_input g);
    void log(const record& r) {
        if (options.journal) journal.push_back(r);
    }
    journal_entry entry(const record& r) const;
    [[nodiscard]] std::size_t journal_end() const noexcept { return journal_base + journal.size(); }

    // ---- reading personal data (reading.cpp) ----
    /// The personal items (bits of the program's `personal_items`) `actor` may read in case
    /// `c` of program `prog` now; `c` null: a case no longer held (rules without states or duty).
    std::uint64_t readable(const case_data* c, std::uint16_t prog, std::uint32_t actor);
    case_reading read(case_id id, std::span<const std::string> items, ticks t, std::uint32_t actor);
    /// With `client`: a look at that client's file (the read entries say "history").
    std::vector<journal_entry> journal_for(std::span<const journal_entry> entries, ticks t, std::uint32_t actor,
                                           std::string_view client = {});
    std::string snapshot_for(ticks t, std::uint32_t actor, snapshot_format format);
    // ---- client files (clients.cpp) ----
    result erase_client(std::string_view client, ticks t, std::uint32_t actor);
    client_file client_history(std::string_view client, std::span<const journal_entry> entries, ticks t,
                               std::uint32_t actor);
    /// Personal values of journal record `r` read `erased` from now on.
    void erase_values(const record& r);
    /// `entries` with the personal values `actor` may not read now withheld (none32: all),
    /// noting in `shown` the cases and items whose values stay.
    std::vector<journal_entry> disclose(std::span<const journal_entry> entries, std::uint32_t actor,
                                        std::vector<shown_case>& shown);
    /// For each value of `e`: its personal item in `known` (the entry's program, or null when
    /// it is not installed), `unnamed_item` for a value whose name the procedure does not
    /// declare (a rejected input's, or any of an unknown procedure: personal, since nothing
    /// tells), or no_index. Empty when no value of `e` can be personal.
    static constexpr std::uint16_t unnamed_item = 0xFFFE;
    std::vector<std::uint16_t> value_items(const journal_entry& e, const installed* known) const;
    /// Whose personal data case `id`'s entries carry: its client, or "" for none (the cases
    /// without a client share one data key).
    std::string owner_of(case_id id, const std::string& client) const;

    // ---- consent (consent.cpp) ----
    /// The engine's index of `topic`, interned (topics come from installed programs and stores).
    std::uint16_t intern_consent(std::string_view topic);
    /// The engine's index of `topic`, or 0xFFFF when no installed program declares it.
    std::uint16_t find_consent(std::string_view topic) const;
    /// Bit i: case `c`'s client has given its program's consent topic i, holding at `now`.
    std::uint64_t consents_of(const case_data& c, ticks now) const {
        const auto& map = programs[c.prog].consents;
        return map.empty() || c.client.empty() ? 0 : client_consents(c.client, map, now);
    }
    std::uint64_t client_consents(std::string_view client, std::span<const std::uint16_t> topics, ticks now) const;
    result record_consent(std::string_view client, std::string_view topic, bool granted, ticks until, ticks t,
                          std::uint32_t actor);
    /// Make `r` the client's answer on its topic (replacing the one before), noting it for the store.
    void set_consent(std::string_view client, const consent_record& r);
    /// Is an answer of `client` on engine topic `topic` recorded?
    bool has_consent(std::string_view client, std::uint16_t topic) const {
        const auto it = consents.find(client);
        return it != consents.end() && std::any_of(it->second.begin(), it->second.end(),
                                                   [&](const consent_record& r) { return r.topic == topic; });
    }
    /// `client`'s answers as they stand, by topic.
    std::vector<consent_state> consent_states(std::string_view client) const;
    /// Withdraw every consent of `client` (erasure), noting it for the store.
    void forget_consents(std::string_view client);

    // ---- reads ----
    const program& prog_of(const case_data& c) const { return *programs[c.prog].p; }
    bool finished(const case_data& c) const { return prog_of(c).states()[c.state].is_final; }
    case_view view(std::uint32_t slot) const { return case_view(this, slot); }
    /// Live slots in start order.
    std::vector<std::uint32_t> ordered_slots() const;
};

/// A step from the engine's pool for the length of a scope (an exception included).
struct step_lease {
    engine_impl& e;
    step& s;
    explicit step_lease(engine_impl& engine) : e(engine), s(engine.acquire_step()) {}
    ~step_lease() { e.release_step(); }
    step_lease(const step_lease&) = delete;
    step_lease& operator=(const step_lease&) = delete;
};

/// A result for `code` with its message.
result failed(reason code, std::string detail, outcome kind = outcome::error);

/// The record an input starts as, before admission fills in its program and states.
/// A client id: the host's pseudonym for a person, at most 128 bytes of printable text
/// (UTF-8 allowed), never beginning "case:" (a prefix kept for the engine's own use).
bool client_ok(std::string_view client) noexcept;
/// Why a client id that must name a client is refused.
inline constexpr const char* client_rule = "a client id is 1 to 128 bytes of printable text, not beginning 'case:'";

inline record input_record(record_kind kind, case_id id, ticks t, std::uint32_t actor) {
    record in;
    in.time = t;
    in.kind = kind;
    in.id = id;
    in.actor = actor;
    return in;
}

/// The store dictionary entry of client `client`'s consent answer `r` (durable.cpp).
std::string consent_entry(const engine_impl& e, std::string_view client, const consent_record& r);
/// The store dictionary entry that withdraws every consent of `client` (erasure).
std::string forget_entry(std::string_view client);

/// Why an input made from one of the engine's own callbacks is refused.
inline constexpr const char* reentrant_message = "the engine was called back from an observer or action";

template <class F>
result engine_impl::top_level(F&& body) {
    busy = true;
    const std::size_t first = journal_end();
    result r;
    try {
        r = body();
    } catch (...) {
        busy = false;
        settle_durable();
        throw;
    }
    if (!keyed.key.empty()) record_key(r, first);
    if (durable.to) {
        try {
            persist(first);
        } catch (const error& x) {
            return reload(x); // observers hear nothing of an input that did not happen
        }
    }
    if (notices.empty() && !sink)
        busy = false; // nothing to hand over: the common case costs no call
    else
        deliver(first);
    return r;
}

/// A result recorded with a key, as it is handed back when the key comes again.
result replayed_result(const recorded_input& rec);

template <class F>
result engine_impl::with_key(const input_key& k, F&& input) {
    if (k.key.empty() || busy) return input(); // no key; or a re-entrant call, refused as such
    if (auto rec = find_key(k.key)) {
        if (rec->fingerprint == k.fingerprint) return replayed_result(*rec);
        result r;
        r.code = codes::key_reused;
        r.reason = "key '" + std::string(k.key) + "' is recorded for another input (journal position " +
                   std::to_string(rec->position) + ")";
        return r;
    }
    keyed = k;
    struct clear {
        input_key& k;
        ~clear() { k = {}; }
    } done{keyed};
    return input();
}

} // namespace careflow::detail
