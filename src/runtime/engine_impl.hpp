// Internal: the engine's state and step machinery (see docs/architecture.md, "Run").
#pragma once

#include <careflow/runtime/engine.hpp>
#include <careflow/runtime/timer_queue.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <unordered_map>

namespace careflow::detail {

inline constexpr std::uint32_t none32 = 0xFFFFFFFF;

/// Stable refusal and error codes (the strings are in engine.cpp).
enum class reason : std::uint8_t {
    none,
    guard_false,
    role_missing,
    not_assignee,
    unknown_case,
    unknown_event,
    bad_payload,
    time_backwards,
    duplicate_case,
    unknown_program,
    unknown_calendar,
    action_failed,
    unbound_action,
    eventless_loop,
    spawn_failed,
    unknown_duty,
    unknown_variable,
    unknown_actor
};
std::string_view code_of(reason r) noexcept;

/// What a queued timer means.
struct timer_payload {
    std::uint32_t slot = 0;  ///< case slot
    std::uint16_t index = 0; ///< timer slot within the case
    std::uint16_t pad = 0;
    std::uint32_t epoch = 0; ///< which arming of that slot
};

/// The desired state of one timer slot of a case: state timers first, then one per SLA clock.
struct timer_state {
    ticks due = no_time; ///< no_time: not armed
    std::uint32_t fires = 0;
    std::uint32_t epoch = 0;
    timer_handle handle;
};

/// One case. Its variables, timer slots, SLA records and assignees live in one heap
/// block laid out for its program (`lay_out`), so a step reaches them through one
/// allocation instead of four; the spans point into that block (which a move keeps in
/// place), so a case is movable but not copyable.
struct case_data {
    case_id id = 0;
    std::uint16_t prog = 0;
    state_index state = no_index;
    bool finished = false;
    bool live = false;
    bool has_parent = false;
    ticks started_at = 0;
    ticks entered_at = 0;
    std::span<cell> vars;
    std::span<timer_state> timers; ///< state timers first, then one per SLA clock
    std::span<sla_clock> slas;
    std::span<std::uint32_t> assignees;
    std::unique_ptr<std::byte[]> block;
    std::vector<std::string> texts;
    case_id parent = 0;
    std::vector<case_id> children;

    case_data() = default;
    case_data(case_data&&) noexcept = default;
    case_data& operator=(case_data&&) noexcept = default;
    case_data(const case_data&) = delete;
    case_data& operator=(const case_data&) = delete;

    /// Allocate the parts for program `p` with their initial values: declared variable
    /// defaults, no assignees, no timers armed, every SLA clock inactive.
    void lay_out(const program& p);
};

/// Case id → slot: open addressing with linear probing over a power-of-two table of
/// (id, slot) pairs, so a lookup is usually one cache line (std::unordered_map's node
/// chasing was a quarter of the engine's time over 100k interleaved cases; separate key
/// and slot arrays cost a second miss).
class id_index {
public:
    [[nodiscard]] std::uint32_t find(case_id id) const noexcept {
        if (table_.empty()) return none32;
        for (std::size_t i = home(id);; i = (i + 1) & mask_) {
            const entry& e = table_[i];
            if (e.slot == empty_slot) return none32;
            if (e.slot != tombstone && e.key == id) return e.slot;
        }
    }
    [[nodiscard]] bool contains(case_id id) const noexcept { return find(id) != none32; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    void insert(case_id id, std::uint32_t slot) {
        if ((used_ + 1) * 2 > table_.size()) grow();
        std::size_t i = home(id);
        while (table_[i].slot != empty_slot && table_[i].slot != tombstone) i = (i + 1) & mask_;
        if (table_[i].slot == empty_slot) ++used_;
        table_[i] = {id, slot};
        ++size_;
    }
    bool erase(case_id id) noexcept {
        if (table_.empty()) return false;
        for (std::size_t i = home(id);; i = (i + 1) & mask_) {
            entry& e = table_[i];
            if (e.slot == empty_slot) return false;
            if (e.slot != tombstone && e.key == id) {
                e.slot = tombstone;
                --size_;
                return true;
            }
        }
    }

private:
    struct entry {
        case_id key = 0;
        std::uint32_t slot = none32;
    };
    static constexpr std::uint32_t empty_slot = none32;
    static constexpr std::uint32_t tombstone = none32 - 1;
    [[nodiscard]] std::size_t home(case_id id) const noexcept {
        std::uint64_t x = id + 0x9E3779B97F4A7C15ull; // splitmix64 finaliser: sequential ids spread
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        return static_cast<std::size_t>(x ^ (x >> 31)) & mask_;
    }
    void grow() {
        std::vector<entry> old;
        old.swap(table_);
        const std::size_t n = std::max<std::size_t>(16, size_ * 4);
        std::size_t cap = 16;
        while (cap < n) cap *= 2;
        table_.assign(cap, entry{});
        mask_ = cap - 1;
        size_ = used_ = 0;
        for (const entry& e : old)
            if (e.slot != empty_slot && e.slot != tombstone) insert(e.key, e.slot);
    }
    std::vector<entry> table_;
    std::size_t mask_ = 0;
    std::size_t size_ = 0; ///< live entries
    std::size_t used_ = 0; ///< live entries and tombstones
};

/// An append-only sequence in fixed-size blocks: growing never moves what is stored (a
/// journal of millions of records would otherwise be copied at every doubling, and need
/// twice its size while it is).
template <class T, std::size_t Block = 4096>
class chunked {
public:
    void push_back(const T& v) {
        if (size_ == blocks_.size() * Block) blocks_.push_back(std::unique_ptr<T[]>(new T[Block]));
        blocks_[size_ / Block][size_ % Block] = v;
        ++size_;
    }
    [[nodiscard]] const T& operator[](std::size_t i) const noexcept { return blocks_[i / Block][i % Block]; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    void clear() noexcept {
        blocks_.clear();
        size_ = 0;
    }

private:
    std::vector<std::unique_ptr<T[]>> blocks_;
    std::size_t size_ = 0;
};

/// A compact journal record; converted to `journal_entry` on demand.
struct record {
    ticks time = 0;
    case_id id = 0;
    case_id other = 0;
    std::int64_t value = 0;       ///< sla: elapsed
    std::int64_t value2 = 0;      ///< sla: goal; sla warning: fraction × 1e6
    std::uint32_t actor = none32; ///< actor identity; sla records: the accountable person
    std::uint32_t payload = 0;    ///< 1 + index into payloads, or 0
    std::uint32_t text = 0;       ///< 1 + index into texts, or 0
    std::uint16_t prog = 0xFFFF;
    std::uint16_t index = 0xFFFF; ///< event / sla / duty / topic
    state_index from = no_index, to = no_index;
    record_kind kind{};
    outcome result = outcome::applied;
    reason code = reason::none;
    std::uint8_t sub = 0; ///< sla: sla_event
};

struct stored_payload {
    std::uint32_t cells = 0;
    std::uint32_t texts = 0;
    bool variables = false; ///< initial variables (start) rather than event fields
};

/// One effect of a step, committed in order (journal, then observers).
struct effect {
    enum class kind : std::uint8_t { start, transition, notify, sla, finish } what{};
    event_index event = no_index;
    state_index from = no_index, to = no_index;
    std::uint16_t index = 0; ///< notify: action index; sla: clock; timer: program timer
    sla_event sla{};
    double fraction = 0;
    ticks time = 0;
};

/// A spawn waiting for its parent's step to commit.
struct pending_spawn {
    std::uint16_t prog = 0;
    payload variables;
};

/// An installed program and what the engine resolved for it.
struct installed {
    std::shared_ptr<const program> p;
    std::vector<const calendar*> calendars; ///< by program calendar index (nullptr: not set)
    std::vector<const host_action*> hosts;  ///< by program host action index (nullptr: unbound)
};

/// Who acted: a person with the roles they held for that input. Assignees are people
/// (ids); records name actors, so a replay knows the roles each input was made with.
struct actor_identity {
    std::uint32_t person = none32;
    std::vector<std::string> roles;
    std::vector<std::uint64_t> masks; ///< role mask per installed program
};

struct engine_impl {
    engine_options options;
    std::vector<installed> programs;
    std::map<std::string, calendar, std::less<>> calendars;
    std::map<std::string, host_action, std::less<>> bindings;
    std::vector<observer*> observers;

    std::vector<std::string> people; ///< person ids
    std::map<std::string, std::uint32_t, std::less<>> person_index;
    std::vector<actor_identity> actors;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> actor_index; ///< person → their actor identities

    std::vector<case_data> slots;
    std::vector<std::uint32_t> free_slots;
    id_index index;
    std::vector<case_id> order;
    timer_queue<timer_payload> queue;
    ticks clock = no_time;
    case_id next_spawn = 0;

    chunked<record> journal;
    chunked<stored_payload> payloads;
    chunked<cell> journal_cells;
    std::vector<std::string> journal_texts;

    // ---- the step in progress ----
    std::uint32_t cur = none32; ///< case slot
    ticks now = 0;
    std::uint32_t who = none32;    ///< acting actor identity
    std::uint32_t system = none32; ///< the `system` actor (timers), interned once
    event_index event = no_index;
    std::vector<cell> fields;
    std::vector<std::string> field_texts;
    std::vector<cell> held_fields; ///< the payload held aside while timers fire
    std::vector<std::string> held_field_texts;
    std::vector<effect> effects;
    std::vector<pending_spawn> spawns;
    std::vector<sla_trigger> triggers;
    // The undo log of the step in progress: an old value is recorded on the first write,
    // so a step costs nothing to begin and rollback restores only what changed. Vectors
    // (and the strings in undo_texts) keep their capacity: no allocation once warm.
    struct scalars {
        state_index state = no_index;
        bool finished = false;
        ticks entered_at = 0;
    } saved;
    std::vector<std::pair<std::uint16_t, cell>> undo_vars;
    std::vector<std::pair<std::uint16_t, std::string>> undo_texts;
    std::size_t undo_text_count = 0;
    std::vector<std::pair<std::uint16_t, std::uint32_t>> undo_assignees;
    std::vector<std::pair<std::uint16_t, timer_state>> undo_timers; ///< first touch only
    std::vector<std::pair<std::uint16_t, sla_clock>> undo_slas;     ///< first touch only
    const std::string* current_path = nullptr;

    explicit engine_impl(engine_options o);

    // setup
    std::uint16_t install(std::shared_ptr<const program> p);
    void resolve(installed& i);
    std::uint32_t person_of(std::string_view id);
    std::uint32_t actor_of(std::string_view id, const std::vector<std::string>& roles);
    std::uint64_t mask_of(std::uint32_t actor, std::uint16_t prog);
    [[nodiscard]] std::uint32_t person_acting() const { return who == none32 ? none32 : actors[who].person; }
    const installed* find_program(std::string_view name) const;

    // inputs
    result start(std::uint16_t prog, case_id id, const payload& vars, ticks t, std::uint32_t actor, case_id parent);
    result dispatch(case_id id, std::string_view event, const payload& fields, ticks t, std::uint32_t actor,
                    record_kind kind);
    result dispatch(case_id id, event_index e, std::span<const value> fields, ticks t, std::uint32_t actor);
    /// The checks every input on an existing case makes (time, case); the case's slot, or
    /// none32 with the rejection in `rejected`.
    std::uint32_t admit(record& in, case_id id, ticks t, result& rejected);
    /// Size the payload buffers for event `ev`; then `load_field` stores field `i` (false:
    /// the value does not fit, and `bad_field` is the rejection to return).
    void prepare_fields(const program_event& ev);
    bool load_field(const field_decl& d, const value& v, std::size_t i, std::size_t& text);
    result bad_field(const record& in, const field_decl& d, const value& v);
    /// Advance to `t`, then apply the resolved event in `in` (payload in `fields`) to `slot`.
    result run_input(record& in, std::uint32_t slot, ticks t);

    result assign(case_id id, std::string_view duty, std::string_view person, ticks t, std::uint32_t actor);
    result advance(ticks t, bool journaled);

    // the step
    void begin(std::uint32_t slot, ticks t, std::uint32_t actor, event_index e);
    // Write access to the current case's parts, logging the old value for rollback.
    cell& var(std::uint16_t i);
    std::string& text(std::uint16_t slot);
    std::uint32_t& assignee(std::uint16_t duty);
    timer_state& timer(std::uint16_t i);
    sla_clock& clock_of(std::uint16_t sla);
    void rollback();
    void commit(const record& input);
    result apply(event_index e, record_kind kind, std::uint32_t payload_ref);
    void take(const program_transition& t);
    void enter(state_index s);
    void exit(state_index s);
    void run(const program_action& a);
    void settle(); // eventless steps; throws step_failure on a loop
    void arm(std::uint16_t timer);
    void apply_sla(const sla_trigger& t);
    void apply_triggers();
    void schedule_sla(std::uint16_t sla);
    void finish_slas();
    void fire(const timer_queue<timer_payload>::fired& f);
    eval_context context() const;
    ticks business_add(std::uint16_t calendar, ticks t, ticks d) const;
    /// When a span counted from `from` in `calendar` ends (timers and SLA goals alike).
    ticks span_end(const program_span& s, std::uint16_t calendar, ticks from) const;
    ticks business_between(std::uint16_t calendar, ticks a, ticks b) const;
    ticks elapsed(const sla_clock& c, std::uint16_t calendar, ticks at) const;

    // journal
    /// An input record for `kind` on case `id` at `t` by `actor`.
    static record input(record_kind kind, case_id id, ticks t, std::uint32_t actor);
    /// Journal `in` as an error and return the matching result.
    result reject(record in, reason code, std::string detail);
    std::uint32_t store_payload(std::span<const cell> cells, std::span<const std::string> texts, bool variables);
    std::uint32_t store_text(std::string s);
    void log(const record& r);
    journal_entry entry(const record& r) const;

    // reads
    case_data& at(std::uint32_t slot) { return slots[slot]; }
    const case_data& at(std::uint32_t slot) const { return slots[slot]; }
    const program& prog_of(const case_data& c) const { return *programs[c.prog].p; }
    case_view view(std::uint32_t slot) const { return case_view(this, slot); }
    void notify_observers(const record& input, const result& r);
};

/// Thrown inside a step to fail it (caught by the step, which rolls back).
struct step_failure {
    reason code;
    std::string detail;
};

} // namespace careflow::detail
