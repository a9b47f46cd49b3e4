/// \file careflow/runtime/engine.hpp
/// The RUN stage: an engine holds any number of cases of any number of compiled
/// programs, drives them with events and the host's clock, fires timers, keeps SLA
/// clocks, journals everything and snapshots itself.
///
/// The host owns time: every call that can change state takes `now`, and time given to
/// one engine must never go backwards (such a call is an error result). The engine is
/// single-threaded with no hidden threads and no global state: a multi-threaded host
/// runs one engine per shard (cases partitioned by id) or serialises access to one.
#pragma once

#include <careflow/error.hpp>
#include <careflow/program/program.hpp>
#include <careflow/runtime/codes.hpp>
#include <careflow/runtime/journal.hpp>
#include <careflow/runtime/reading.hpp>
#include <careflow/runtime/types.hpp>
#include <careflow/time/calendar.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace careflow {

namespace detail {
struct engine_impl;
struct step;
} // namespace detail
class engine;
class store;

/// Read access to one case. Valid until the engine changes that case's existence
/// (erase, restore); cheap to copy.
class case_view {
public:
    [[nodiscard]] case_id id() const;
    [[nodiscard]] const program& prog() const;
    /// The current leaf state.
    [[nodiscard]] state_index state() const;
    /// Dotted path of the current leaf, e.g. "call.talking.transfer.counseling".
    [[nodiscard]] const std::string& path() const;
    /// Is the case in `state` or one of its descendants?
    [[nodiscard]] bool in(std::string_view state) const;
    [[nodiscard]] bool finished() const;
    [[nodiscard]] time_point started_at() const;
    /// When the current leaf was entered.
    [[nodiscard]] time_point entered_at() const;
    /// A variable's value; throws `careflow::error` ("careflow.runtime.unknown_variable").
    [[nodiscard]] value variable(std::string_view name) const;
    /// The person assigned to `duty`, or empty; throws for an undeclared duty.
    [[nodiscard]] std::string_view assignee(std::string_view duty) const;
    /// A variable as a C++ type: `bool`, `std::int64_t` (or any integer type), `double`,
    /// `std::string`, `time_point`, `duration`, or `symbol`; throws `careflow::error`
    /// ("careflow.runtime.wrong_type") when the variable holds another type.
    template <class T>
    [[nodiscard]] T get(std::string_view name) const;
    /// An SLA clock's raw record (ticks); throws ("careflow.runtime.unknown_sla") for an
    /// undeclared clock. `report` gives the same clock in the API's time types.
    [[nodiscard]] const sla_clock& sla(std::string_view name) const;
    /// An SLA clock in the API's time types, with its elapsed time at the engine's clock
    /// and the person accountable for it by name.
    [[nodiscard]] sla_report report(std::string_view sla) const;
    /// The person accountable for an SLA clock when it stopped or breached, or empty.
    [[nodiscard]] std::string_view accountable(std::string_view sla) const;
    /// Pending state timers: (timer name, due instant), soonest first.
    [[nodiscard]] std::vector<std::pair<std::string, time_point>> pending_timers() const;
    /// The client whose file the case belongs to (`engine::start`), or empty.
    [[nodiscard]] const std::string& client() const;
    /// The case that spawned this one, if any.
    [[nodiscard]] std::optional<case_id> parent() const;
    /// Cases this one spawned, in spawn order.
    [[nodiscard]] std::vector<case_id> children() const;

private:
    friend class engine;
    friend struct detail::engine_impl;
    case_view(const detail::engine_impl* e, std::uint32_t slot) : e_(e), slot_(slot) {}
    const detail::engine_impl* e_;
    std::uint32_t slot_;
};

/// What an SLA clock reports to observers.
enum class sla_event : std::uint8_t { started, paused, resumed, warning, breached, met, stopped_late, cancelled };
[[nodiscard]] std::string_view to_string(sla_event e) noexcept;

/// Host callbacks for what the engine does. Override what you need. They run once the
/// whole input that caused them has been committed (its timer fires, its step, the
/// cases it spawned), in journal order; the case_view shows the case after that input.
/// An observer must not call the engine back: such a call is an error result
/// (`reentrant_input`); collect what to do and do it after the call returns. An
/// exception from an observer does not stop the others: every observer still hears
/// every notice, and the first exception is rethrown from the input call afterwards,
/// when the engine's state is complete and equals its journal.
class observer {
public:
    virtual ~observer() = default;
    virtual void started(const case_view&, time_point) {}
    virtual void transition(const case_view&, std::string_view /*event*/, state_index /*from*/, state_index /*to*/,
                            time_point) {}
    virtual void refused(const case_view&, std::string_view /*event*/, const result&, time_point) {}
    virtual void timer_fired(const case_view&, const program_timer&, time_point) {}
    virtual void sla_warning(const case_view&, const program_sla&, double /*fraction*/, time_point) {}
    virtual void sla_breach(const case_view&, const program_sla&, time_point) {}
    virtual void sla_met(const case_view&, const program_sla&, time_point) {}
    /// Every SLA change, including the three above.
    virtual void sla_changed(const case_view&, const program_sla&, sla_event, time_point) {}
    virtual void notified(const case_view&, std::string_view /*topic*/, std::string_view /*message*/, time_point) {}
    virtual void finished(const case_view&, time_point) {}
};

/// Receives the journal as it is written: once per input, after the input is committed,
/// with the records that input produced (the input's own record, the timers it fired,
/// SLA changes, spawns, …) and the journal position of the first of them. Every record
/// is handed over exactly once, in order. An exception from `append` is rethrown from
/// the input call after observers ran (the input stays committed in memory).
class journal_sink {
public:
    virtual ~journal_sink() = default;
    virtual void append(std::size_t first_position, std::span<const journal_entry> records) = 0;
};

/// What one event would do for one actor on a case now (`engine::options`).
struct event_option {
    std::string event;
    outcome kind = outcome::applied; ///< applied: it would be taken; refused: why not in `code`/`reason`
    std::string_view code;           ///< the refusal's id (codes.hpp), empty when it would be taken
    std::string reason;              ///< the refusal's message
    /// The event carries a payload its guards may read: they were not evaluated, and the
    /// answer holds for the role and assignee checks only.
    bool needs_payload = false;
};

/// What a host action may read and change. Changes roll back if the step fails.
class action_context {
public:
    [[nodiscard]] case_id id() const;
    [[nodiscard]] const program& prog() const;
    [[nodiscard]] time_point now() const;
    [[nodiscard]] std::string_view actor_id() const;
    /// The current state's path (during entry actions: the state being entered).
    [[nodiscard]] const std::string& path() const;
    [[nodiscard]] value variable(std::string_view name) const;
    /// Set a variable; throws `careflow::error` for an unknown name or a wrong type
    /// (which fails the step and rolls it back).
    void set(std::string_view name, const value& v);
    /// A field of the triggering event's payload; throws if there is none.
    [[nodiscard]] value field(std::string_view name) const;

private:
    friend struct detail::engine_impl;
    action_context(detail::engine_impl* e, detail::step* s) : e_(e), s_(s) {}
    detail::engine_impl* e_;
    detail::step* s_;
};

/// An actor interned by `engine::intern`, for the typed inputs. Valid for the engine that
/// made it and for any engine restored from its snapshots (snapshots keep every ref, in
/// the order `intern` made them); a ref the engine never made is an `unknown_actor` error.
struct actor_ref {
    std::uint32_t index = 0xFFFFFFFF;
};

/// The two encodings of `engine::snapshot`.
enum class snapshot_format : std::uint8_t {
    text,  ///< `careflow-snapshot 2`: a line per record, every name spelled out
    binary ///< `careflow-binary-snapshot 1`: little-endian fixed-width records by index
};

/// Engine settings.
struct engine_options {
    bool journal = true;                   ///< keep the journal (KPIs, replay)
    int eventless_limit = 64;              ///< eventless steps per input before it is an error (a loop)
    case_id spawn_base = case_id{1} << 62; ///< the first id given to spawned cases
    /// This engine's shard (0 to 4,095): spawned ids are `spawn_base + shard·2⁴⁰ + n`, so
    /// engines of different shards never spawn the same id. An id a host case already has
    /// is skipped (the next free one is taken, and the spawn record names it).
    std::uint32_t shard = 0;
    int spawn_depth_limit = 16; ///< spawns of spawns of … before the step fails (`spawn_failed`)
    /// The roles that may erase a client's personal data (`engine::erase_client`).
    std::vector<std::string> erasure_roles = {"manager"};
};

/// An input with the host's idempotency key (`engine::with_key`): the same calls as the
/// engine's own. The first input made with a key is applied and its result recorded with
/// the key (in the store, in the same transaction, for a durable engine); an input whose
/// key is already recorded returns the recorded result with `replayed` set and changes
/// nothing — not the cases, not the journal. A recorded key made by a different input
/// (another operation, case, procedure, event, duty, person, value or actor; the time is
/// not compared, a re-sent input may carry a later one) is an error result
/// (`careflow.runtime.key_reused`) that changes nothing. An empty key is no key. This is
/// how a host that crashed between "the store committed" and "I saw the answer" re-sends
/// safely. A host that has its own identity for a request (the raw request without its
/// time, say) may give it as `request` to `with_key`: inputs are then the same exactly
/// when their keys' requests are. Use the object at once: it refers to the engine, the
/// key and the request it was made with.
class keyed_input {
public:
    result start(const std::shared_ptr<const program>& p, case_id id, const payload& variables, time_point now,
                 const actor& who, std::string_view client = {});
    result start(std::string_view procedure, case_id id, const payload& variables, time_point now, const actor& who,
                 std::string_view client = {});
    result dispatch(case_id id, std::string_view event, const payload& fields, time_point now, const actor& who);
    result dispatch(case_id id, std::string_view event, time_point now, const actor& who);
    result assign(case_id id, std::string_view duty, std::string_view person, time_point now, const actor& who);
    result advance(time_point now);
    result record_consent(std::string_view client, std::string_view topic, bool granted, time_point now,
                          const actor& who, time_point until = time_point(boost::posix_time::not_a_date_time));

private:
    friend class engine;
    keyed_input(engine& e, std::string_view key, std::string_view request) : e_(e), key_(key), request_(request) {}
    engine& e_;
    std::string_view key_;
    std::string_view request_;
};

/// Runs cases.
class engine {
public:
    explicit engine(engine_options options = {});
    ~engine();
    engine(engine&&) noexcept;
    engine& operator=(engine&&) noexcept;
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    /// Make a program available (for start by name and for spawn). Idempotent.
    void install(std::shared_ptr<const program> p);
    /// The program `start` by name would use for `procedure` (the latest version installed
    /// under that name), or nullptr when none is.
    [[nodiscard]] std::shared_ptr<const program> find_program(std::string_view procedure) const;
    /// Define the calendar a program's timers and SLA clocks name.
    void set_calendar(std::string name, calendar c);
    /// Bind (or rebind) a host action by name, overriding the procedure's default.
    void bind(std::string name, host_action fn);
    /// Observers are called in the order added; the engine does not own them.
    void add_observer(observer* o);
    void remove_observer(observer* o);

    /// Start a case in its initial state (entry actions, timers, SLA clocks, eventless steps).
    /// `client` links the case into a client's file (`cases_of`, `client_history`): the
    /// host's own pseudonymous id for the person served (never a name or phone number), at
    /// most 128 bytes of printable text, or empty for none; cases the case spawns inherit
    /// it. A bad id is an error result (`careflow.runtime.bad_client`).
    result start(const std::shared_ptr<const program>& p, case_id id, const payload& variables, time_point now,
                 const actor& who, std::string_view client = {});
    result start(std::string_view procedure, case_id id, const payload& variables, time_point now, const actor& who,
                 std::string_view client = {});
    /// Advance to `now`, then apply `event` to the case.
    result dispatch(case_id id, std::string_view event, const payload& fields, time_point now, const actor& who);
    result dispatch(case_id id, std::string_view event, time_point now, const actor& who);
    /// Intern an actor once (its id and roles) for the typed `dispatch`.
    [[nodiscard]] actor_ref intern(const actor& who);
    /// The typed fast path: the same input as dispatch by name, journaled the same way, with
    /// the event pre-resolved (`program::find_event`), the payload fields given in declared
    /// order, and an interned actor — no name lookups, no allocation once warm. A bad index,
    /// field count or actor_ref is an error result (`unknown_event`, `bad_payload`,
    /// `unknown_actor`).
    result dispatch(case_id id, event_index event, std::span<const value> fields, time_point now, actor_ref who);
    result dispatch(case_id id, event_index event, time_point now, actor_ref who) {
        return dispatch(id, event, std::span<const value>(), now, who);
    }
    /// The events `who` could apply to case `id` in its current state, each with the
    /// refusal it would get (guards, roles, assignee), without dispatching anything.
    /// Events with no transition from the current state are not listed; a finished case
    /// lists none. Throws `careflow::error` ("careflow.runtime.unknown_case").
    [[nodiscard]] std::vector<event_option> options(case_id id, const actor& who) const;
    /// Add a read rule of the host's own to every version of `procedure` installed now, on
    /// top of the procedure's rules (a center's policy for shipped procedures: "supervisors
    /// read complaints' files"). Written as a procedure writes one (`read_rule`); roles are
    /// matched by name. Throws `careflow::error` and adds nothing for a rule with no item or
    /// no reader (`careflow.model.bad_read_rule`), an item that is not personal
    /// (`unknown_item`), an unknown duty or state (`unknown_duty`, `unknown_state`), or no
    /// such procedure installed (`careflow.runtime.unknown_program`). A version installed
    /// later does not have it: allow it again. Not part of snapshots or stores: a host
    /// sets its rules at start-up, like its calendars and bindings.
    void allow_read(std::string_view procedure, const read_rule& rule);
    /// Case `id` as `reader` may see it now (runtime/reading.hpp): advances to `now` like
    /// any input, then shows the variables that are not personal and the personal ones a
    /// read rule lets this reader read in the case's current state. With `items`, only
    /// those variables (minimum necessary): one the reader may not read makes the read
    /// `refused` (`careflow.access.denied`); without, everything the reader may read, and
    /// the rest listed as withheld. The read is journaled (a `read` entry naming the
    /// reader, the case and each personal item shown or refused) and, on a durable
    /// engine, stored before it returns. Variables read through `get`/`case_view` are the
    /// host's own, unjournaled: show people only what `read` returns.
    [[nodiscard]] case_reading read(case_id id, const actor& reader, time_point now,
                                    std::span<const std::string> items = {});
    /// `entries` (by default this engine's journal in memory) as `reader` may see them
    /// now: each personal value (a case's personal variables at start, personal payload
    /// fields) is shown only when the reader may read that item of that case — judged by
    /// the case's current state and assignees; for a case no longer held, by the rules
    /// that name neither a state nor a duty — and is otherwise `withheld`; an entry whose
    /// procedure or event the engine does not know shows no values at all. Every case
    /// whose personal values were shown gets a `read` entry (event "export"), journaled
    /// like `read`'s. Advances to `now` first.
    [[nodiscard]] std::vector<journal_entry> journal_for(const actor& reader, time_point now,
                                                         std::span<const journal_entry> entries);
    [[nodiscard]] std::vector<journal_entry> journal_for(const actor& reader, time_point now);
    /// `entries` with every personal value `withheld` (and no values at all for an entry
    /// of a procedure or event the engine does not know): what may be written where no
    /// reader is named. Reads nothing, so journals nothing.
    [[nodiscard]] std::vector<journal_entry> withhold(std::span<const journal_entry> entries) const;
    /// The file of `client` as `reader` may see it (runtime/reading.hpp): every case linked
    /// to the client in `entries` (by default the journal in memory; a durable host passes
    /// its store's journal) and among the cases held, with states, dates and responsible
    /// people, and the cases' entries as `journal_for` would show them. Journaled: a `read`
    /// entry (event "history", naming the client) for each case whose personal values were
    /// shown, or one for the look itself. Throws `careflow::error`
    /// (`careflow.runtime.bad_client` for an empty or malformed id; a refused input's code).
    [[nodiscard]] client_file client_history(std::string_view client, const actor& reader, time_point now,
                                             std::span<const journal_entry> entries);
    [[nodiscard]] client_file client_history(std::string_view client, const actor& reader, time_point now);
    /// Erase `client`'s personal data (PIPL Art. 47, GDPR Art. 17): the personal variables of
    /// the client's cases held go back to their initial values, the personal values of their
    /// entries in the journal in memory read `erased`, and a durable engine's store
    /// destroys the client's data key and every row sealed under it in the same transaction
    /// (crypto-shredding), then checkpoints so nothing stays in its write-ahead log. Times,
    /// states, SLA outcomes and who acted stay, so KPIs and the audit trail do not change; the
    /// stored journal's hash chain is untouched. Only an actor holding one of
    /// `engine_options::erasure_roles` may erase (`refused`, `careflow.access.denied`
    /// otherwise); journaled as an `erase` input with event "client".
    result erase_client(std::string_view client, time_point now, const actor& who);
    /// Record `client`'s answer on consent `topic`: given (`granted`), until `until` when it
    /// lapses (not_a_date_time: it does not), or withdrawn. The topic must be one an
    /// installed procedure declares (`procedure_builder::consent`); guards check it with
    /// `consent("topic")` from the next step on, in every case of the client. The latest
    /// answer on a topic replaces the one before; the journal keeps each (a `consent`
    /// input naming the client, the topic and who recorded it), a durable engine's store
    /// keeps the answers, and snapshots carry them. Errors: `careflow.runtime.bad_client`,
    /// `careflow.runtime.unknown_consent` (a topic no procedure declares),
    /// `careflow.runtime.bad_consent` (an `until` not after `now`, or one on a withdrawal),
    /// and the checks of every input (time, actor). Erasing the client withdraws them all.
    result record_consent(std::string_view client, std::string_view topic, bool granted, time_point now,
                          const actor& who, time_point until = time_point(boost::posix_time::not_a_date_time));
    /// `client`'s consents as they stand, by topic (withdrawn ones included, with their
    /// time). A host query, not journaled.
    [[nodiscard]] std::vector<consent_state> consents(std::string_view client) const;
    /// The clients with an answer on some consent topic, in order.
    [[nodiscard]] std::vector<std::string> consenting_clients() const;
    /// Does `client`'s consent on `topic` hold at `at` (what `consent("topic")` reads)?
    [[nodiscard]] bool consented(std::string_view client, std::string_view topic, time_point at) const;
    /// Assign `person` to `duty` (an explicit, journaled change). Ignored on a finished case.
    result assign(case_id id, std::string_view duty, std::string_view person, time_point now, const actor& who);
    /// Fire every timer due at or before `now`, in (due time, arming order).
    result advance(time_point now);
    /// The next input made through the returned object carries `key`, the host's
    /// idempotency key (see `keyed_input`): `e.with_key("k2").dispatch(17, "answer", now, op)`.
    /// With `request`, the input is identified by that text instead of by its content.
    [[nodiscard]] keyed_input with_key(std::string_view key, std::string_view request = {}) {
        return keyed_input(*this, key, request);
    }
    /// The input recorded under `key`, or nothing. A durable engine asks its store (which
    /// keeps every key; a store that cannot answer throws its `careflow.store.*` error, here
    /// and from a keyed input, with nothing changed); an engine in memory keeps the keys of
    /// its own life in memory (they are not part of snapshots, and `restore` forgets them:
    /// they named inputs of the state it replaces).
    [[nodiscard]] std::optional<recorded_input> recorded(std::string_view key) const;

    [[nodiscard]] bool contains(case_id id) const;
    /// Throws `careflow::error` ("careflow.runtime.unknown_case").
    [[nodiscard]] case_view get(case_id id) const;
    [[nodiscard]] std::size_t size() const;
    /// Every case id, in start order.
    [[nodiscard]] std::vector<case_id> cases() const;
    /// The cases the engine holds of `client` (given at `start`, or inherited), in start
    /// order. A host query, not journaled and showing nothing personal; a person's look at
    /// a client's file goes through `client_history`.
    [[nodiscard]] std::vector<case_id> cases_of(std::string_view client) const;
    /// Forget a finished case (journaled as an input; its earlier entries stay). False if
    /// unknown or not finished.
    bool erase(case_id id);
    /// The engine's clock: the latest time given to it.
    [[nodiscard]] time_point now() const;
    [[nodiscard]] std::size_t pending_timers() const;

    /// The journal from position `from` (positions count every entry ever written, so
    /// they stay valid across `clear_journal`), as self-contained entries.
    [[nodiscard]] std::vector<journal_entry> journal(std::size_t from = 0) const;
    /// The position after the last entry written (the number ever written).
    [[nodiscard]] std::size_t journal_size() const;
    /// The position of the first entry still held in memory.
    [[nodiscard]] std::size_t journal_begin() const;
    /// Drop the in-memory journal (a host that has written it out); positions go on.
    void clear_journal();
    /// Hand every committed record to `sink` (nullptr: none); the engine does not own it.
    void set_journal_sink(journal_sink* sink);

    /// Make this engine durable on `s` (which it does not own and which must outlive it).
    /// A store that holds an engine replaces this one's state with it — cases, variables,
    /// assignees, clocks, pending timers with their arming order, links, actor refs, the
    /// clock; the journal stays in the store, and positions go on from its end — without
    /// re-running anything; the programs, calendars and bindings must be installed first.
    /// A new store is given this engine's whole state. From then on every input is written
    /// to `s` before it returns (docs/store.md); an input the store cannot take returns
    /// an error result (`careflow.store.write_failed`) and the engine is what the store
    /// holds. Throws `careflow::error` (`careflow.store.*`) when the store cannot be read.
    void open(store& s);
    /// Opened on a store?
    [[nodiscard]] bool durable() const noexcept;
    /// Make every input so far durable (a store in batch mode commits its batch).
    void flush();
    /// The entries held in memory that concern case `id` (its inputs, timer fires, SLA
    /// changes, notifications, spawns and finish), in order. Scans the journal.
    [[nodiscard]] std::vector<journal_entry> history(case_id id) const;

    /// The whole engine state (cases, variables, assignees, SLA clocks, pending timers with
    /// their due times and arming order, links, the clock, the actor_refs handed out) in a
    /// stable, versioned format: text by default (names, diffable, tolerant of definitions
    /// that add variables or clocks), or binary (indexes, two to three times faster to
    /// restore, for the same program definitions only). `restore` reads either.
    [[nodiscard]] std::string snapshot(snapshot_format format = snapshot_format::text) const;
    /// A snapshot to hand to `reader` (a caseload copied out for review, a test
    /// environment): `snapshot(format)` with each personal variable the reader may not read
    /// now written at its initial value, so neither the snapshot nor an engine restored from
    /// it holds it. An input: advances to `now`, and journals a `read` entry (event
    /// "snapshot") for each case whose personal values it shows, or one for the snapshot
    /// itself. Throws `careflow::error` for a refused input (time going backwards, ...).
    [[nodiscard]] std::string snapshot_for(const actor& reader, time_point now,
                                           snapshot_format format = snapshot_format::text);
    /// Replace this engine's state with a snapshot. Programs, calendars and bindings must
    /// already be installed. Entry actions are not re-run. On any problem throws
    /// `careflow::error` ("careflow.snapshot.*") and leaves the engine as it was.
    void restore(std::string_view snapshot);
    /// Feed the inputs among `entries` (start, dispatch, assign, advance, erase) back in
    /// order. Returns how many inputs were replayed; throws `careflow::error`
    /// ("careflow.replay.diverged") if an input's outcome, code or resulting state differs
    /// from the recorded one. Inputs refused as `unknown_actor` or `reentrant_input`
    /// changed nothing and are skipped. Across an erasure (`erase_client` among the
    /// entries) the erased client's personal values are gone from their entries: their
    /// rejected inputs (which changed nothing) are skipped, their other inputs are replayed
    /// with what is left and not checked — a step that depended on an erased value may go
    /// another way — so only a journal without erasures replays exactly.
    std::size_t replay(std::span<const journal_entry> entries);

private:
    friend class keyed_input;
    std::unique_ptr<detail::engine_impl> impl_;
};

template <class T>
T case_view::get(std::string_view name) const {
    const value v = variable(name);
    using U = std::remove_cvref_t<T>;
    const auto wrong = [&](std::string_view want) {
        return error(codes::wrong_type, "variable '" + std::string(name) + "' is " +
                                            std::string(v.type() ? to_string(*v.type()) : "empty") + ", not " +
                                            std::string(want));
    };
    if constexpr (std::is_same_v<U, bool>) {
        if (v.type() != value_type::boolean) throw wrong("boolean");
        return std::get<bool>(v.get());
    } else if constexpr (std::is_integral_v<U>) {
        if (v.type() != value_type::integer) throw wrong("integer");
        return static_cast<U>(std::get<std::int64_t>(v.get()));
    } else if constexpr (std::is_floating_point_v<U>) {
        if (v.type() != value_type::real) throw wrong("real");
        return static_cast<U>(std::get<double>(v.get()));
    } else if constexpr (std::is_same_v<U, std::string>) {
        if (v.type() != value_type::text) throw wrong("text");
        return std::get<std::string>(v.get());
    } else if constexpr (std::is_same_v<U, time_point>) {
        if (v.type() != value_type::time) throw wrong("time");
        return std::get<time_point>(v.get());
    } else if constexpr (std::is_same_v<U, duration>) {
        if (v.type() != value_type::duration) throw wrong("duration");
        return std::get<duration>(v.get());
    } else if constexpr (std::is_same_v<U, symbol>) {
        if (v.type() != value_type::enumeration) throw wrong("enumeration");
        return std::get<symbol>(v.get());
    } else {
        static_assert(sizeof(U) == 0, "case_view::get<T>: T is not a careflow value type");
    }
}

} // namespace careflow
