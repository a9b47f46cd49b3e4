// Durable engines: opening an engine on a store (recovering what it holds, or writing
// the engine's state into a new one), and persisting each input — the journal lines it
// made, the cases it changed, what the engine learned — as one store_write before the
// input returns. A write the store refuses leaves the engine as the store has it.
#include "binary_codec.hpp"
#include "restore.hpp"

#include "../detail/cells.hpp"

#include <careflow/error.hpp>
#include <careflow/runtime/codes.hpp>
#include <careflow/runtime/reading.hpp>
#include <careflow/store/store.hpp>

#include <sstream>

namespace careflow::detail {

namespace {

// The dictionary's entries, each opened by its kind.
constexpr char entry_program = 'P'; // a program's shape: the next program number
constexpr char entry_person = 'H';  // a person id: the next person index
constexpr char entry_ref = 'R';     // an actor ref: u32 person, u32 roles, role strings
constexpr char entry_consent = 'C'; // a consent answer: client, topic, u8 granted, at, until, u32 person
constexpr char entry_forget = 'F';  // every consent of a client withdrawn (erasure): client

constexpr std::uint8_t header_version = 1;
constexpr std::uint16_t no_number = 0xFFFF;

std::string header_of(const engine_impl& e) {
    std::string out;
    writer w(out);
    w.put(header_version), w.put(e.clock), w.put(e.next_spawn), w.put(e.queue.next_seq()), w.put(e.next_seq);
    return out;
}

// A start's variable at its declared initial value is the procedure's, not the client's:
// nothing to seal (a case started blank gets no data key until something personal is said).
bool at_initial(const program& p, const journal_entry& x, const value& v, std::string_view name) {
    if (x.kind != record_kind::start || x.result != outcome::applied) return false;
    const auto i = p.find_variable(name);
    if (!i) return false;
    const program_variable& d = p.variables()[*i];
    if (d.type == value_type::text)
        return v.type() == value_type::text && std::get<std::string>(v.get()) == d.initial_text;
    cell c{};
    return to_cell(v, d.type, d.symbols, c) && c.i == d.initial.i;
}

std::string journal_line(const journal_entry& x) {
    std::ostringstream out;
    write_journal(out, std::span<const journal_entry>(&x, 1), false);
    std::string line = out.str();
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
}

// An engine rebuilt from what a store holds; the errors of the codec become the store's.
std::unique_ptr<engine_impl> recover(const engine_impl& from, const stored_engine& st, durable_state& d) {
    auto fresh = restore_target(from);
    engine_impl& e = *fresh;
    std::vector<std::uint16_t> progs; // program number → installed index (no_number: not here)
    try {
        reader h(st.header);
        if (h.get<std::uint8_t>() != header_version)
            throw error("careflow.store.corrupt", "the stored engine header is of another version");
        e.clock = h.get<ticks>();
        e.next_spawn = h.get<std::uint64_t>();
        const auto queue_seq = h.get<std::uint64_t>();
        const auto case_seq = h.get<std::uint64_t>();
        if (h.left() != 0) throw error("careflow.store.corrupt", "the stored engine header is too long");
        d.numbers.assign(e.programs.size(), no_number);
        for (const std::string& entry : st.dictionary) {
            if (entry.empty()) throw error("careflow.store.corrupt", "an empty dictionary entry");
            reader r(std::string_view(entry).substr(1));
            switch (entry[0]) {
            case entry_program: {
                if (progs.size() == no_number) throw error("careflow.store.corrupt", "too many programs");
                // A program not installed here (or installed with another shape) matters
                // only if a live case uses it: a host may retire a procedure.
                try {
                    const auto installed_at = static_cast<std::uint16_t>(&read_shape(r, e) - e.programs.data());
                    d.numbers[installed_at] = static_cast<std::uint16_t>(progs.size());
                    progs.push_back(installed_at);
                } catch (const error& x) {
                    if (std::string_view(x.id()) != "careflow.snapshot.unknown_program") throw;
                    progs.push_back(no_number);
                    continue; // (the rest of the entry is the shape not read)
                }
                break;
            }
            case entry_person: {
                const std::size_t expected = e.people.size();
                if (e.person_of(r.str()) != expected) throw error("careflow.store.corrupt", "a person stored twice");
                break;
            }
            case entry_ref: {
                const auto person = r.get<std::uint32_t>();
                if (person >= e.people.size()) throw error("careflow.store.corrupt", "an actor ref of no person");
                std::vector<std::string> roles(r.count<std::uint32_t>(4));
                for (auto& role : roles) role = r.str();
                const auto a = e.actor_of(e.people[person], roles);
                if (e.actors[a].ref != none32) throw error("careflow.store.corrupt", "an actor ref stored twice");
                e.ref_of(a);
                break;
            }
            case entry_consent: {
                std::string client;
                consent_record c;
                if (!get_consent(r, e, e.people.size(), client, c))
                    throw error("careflow.store.corrupt", "a consent entry out of range");
                e.set_consent(client, c);
                break;
            }
            case entry_forget: e.forget_consents(r.str()); break;
            default: throw error("careflow.store.corrupt", "a dictionary entry of an unknown kind");
            }
            if (r.left() != 0) throw error("careflow.store.corrupt", "a dictionary entry is too long");
        }
        e.slots.reserve(st.cases.size());
        for (const stored_case& sc : st.cases) {
            reader r(sc.state);
            get_case(r, sc.state, e, progs, e.people.size(), client_field::trailing);
            case_data& c = e.slots.back();
            if (r.left() != 0 || c.id != sc.id)
                throw error("careflow.store.corrupt", "the row of case " + std::to_string(sc.id) + " does not hold it");
            if (!sc.personal.empty()) { // its personal values, where the store still has them
                reader p(sc.personal);
                get_personal(p, sc.personal, e, c);
                if (p.left() != 0)
                    throw error("careflow.store.corrupt",
                                "the personal values of case " + std::to_string(sc.id) + " are too long");
            }
            if (e.slots.size() > 1 && sc.order <= e.slots[e.slots.size() - 2].seq)
                throw error("careflow.store.corrupt", "two cases of the same start order");
            e.slots.back().seq = sc.order;
        }
        if (!e.slots.empty() && case_seq <= e.slots.back().seq)
            throw error("careflow.store.corrupt", "the case counter is below a stored case's start order");
        settle_arming(e, queue_seq);
        e.next_seq = case_seq;
    } catch (const error& x) {
        const std::string id = x.id();
        if (id.rfind("careflow.store.", 0) == 0) throw;
        if (id == "careflow.snapshot.unknown_program") throw error("careflow.store.program_mismatch", x.what());
        throw error("careflow.store.corrupt", x.what());
    }
    e.journal_base = static_cast<std::size_t>(st.journal_size);
    d.people = e.people.size();
    d.refs = e.refs.size();
    d.programs = static_cast<std::uint16_t>(progs.size());
    return fresh;
}

} // namespace

std::string consent_entry(const engine_impl& e, std::string_view client, const consent_record& r) {
    std::string entry(1, entry_consent);
    writer w(entry);
    put_consent(w, e, client, r);
    return entry;
}

std::string forget_entry(std::string_view client) {
    std::string entry(1, entry_forget);
    writer(entry).str(client);
    return entry;
}

void engine_impl::mark(std::uint32_t slot) {
    case_data& c = slots[slot];
    if (c.dirty) return;
    c.dirty = true;
    durable.dirty.push_back(slot);
}

void engine_impl::persist(std::size_t first_record) {
    store_write w;
    // New programs get their numbers in a copy, kept only once the store has the write.
    std::vector<std::uint16_t> numbers = durable.numbers;
    numbers.resize(programs.size(), no_number);
    std::uint16_t next_number = durable.programs;
    for (std::uint32_t slot : durable.dirty) {
        const case_data& c = slots[slot];
        if (!c.live || numbers[c.prog] != no_number) continue;
        std::string entry(1, entry_program);
        writer shape(entry);
        put_shape(shape, prog_of(c));
        w.dictionary.push_back(std::move(entry));
        numbers[c.prog] = next_number++;
    }
    for (std::size_t i = durable.people; i < people.size(); ++i) {
        std::string entry(1, entry_person);
        writer(entry).str(people[i]);
        w.dictionary.push_back(std::move(entry));
    }
    for (std::size_t i = durable.refs; i < refs.size(); ++i) {
        std::string entry(1, entry_ref);
        writer r(entry);
        const actor_identity& who = actors[refs[i]];
        r.put(who.person);
        r.put(static_cast<std::uint32_t>(who.roles.size()));
        for (const auto& role : who.roles) r.str(role);
        w.dictionary.push_back(std::move(entry));
    }
    for (std::uint32_t slot : durable.dirty) {
        const case_data& c = slots[slot];
        if (!c.live) continue;
        stored_case sc{c.id, c.seq, {}, {}, {}};
        writer out(sc.state);
        put_case(out, *this, c, numbers, 0);
        if (holds_personal(*this, c)) { // the personal values, for the store to keep sealed
            writer personal(sc.personal);
            put_personal(personal, *this, c);
            sc.owner = owner_of(c.id, c.client);
        }
        w.cases.push_back(std::move(sc));
    }
    // Consents after the people they name (a new recorder is among this write's people).
    for (auto& entry : durable.consents) w.dictionary.push_back(std::move(entry));
    w.erased = durable.erased;
    w.shred = std::move(durable.shred);
    w.journal_first = std::max(first_record, journal_base);
    for (std::size_t i = w.journal_first; i < journal_end(); ++i) {
        const record& rec = journal[i - journal_base];
        journal_entry x = entry(rec);
        std::string line = journal_line(x);
        // A line with personal values is chained with each `erased`, as it reads once its
        // client is erased; the store keeps the whole line sealed apart.
        const installed* known = rec.prog == 0xFFFF ? nullptr : &programs[rec.prog];
        const auto items = value_items(x, known);
        bool personal = false;
        for (std::size_t k = 0; k < items.size(); ++k) {
            auto& [name, v] = x.values[k];
            if (items[k] == no_index || (known && at_initial(*known->p, x, v, name))) continue;
            v = value(std::string(erased));
            personal = true;
        }
        if (personal) {
            // The whole line's values field (the 14th) is what the store keeps sealed.
            std::size_t at = 0;
            for (int tab = 0; tab < 13; ++tab) at = line.find('\t', tab == 0 ? 0 : at + 1);
            const std::size_t end = line.find('\t', at + 1);
            w.personal.push_back({i, owner_of(x.id, x.client),
                                  line.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1)});
            line = journal_line(x);
        }
        w.journal.push_back(std::move(line));
    }
    w.header = header_of(*this);
    w.keys = std::move(durable.keys);
    if (w.dictionary.empty() && w.cases.empty() && w.erased.empty() && w.journal.empty() && w.keys.empty() &&
        w.shred.empty() && w.header == durable.header)
        return settle_durable(); // the input changed nothing the store keeps
    durable.to->write(w);        // throws, having written nothing, when the store cannot take it
    durable.header = std::move(w.header);
    durable.numbers = std::move(numbers);
    durable.programs = next_number;
    durable.people = people.size();
    durable.refs = refs.size();
    settle_durable();
}

void engine_impl::settle_durable() noexcept {
    for (std::uint32_t slot : durable.dirty)
        if (slot < slots.size()) slots[slot].dirty = false;
    durable.dirty.clear();
    durable.erased.clear();
    durable.keys.clear();
    durable.shred.clear();
    durable.consents.clear();
}

result engine_impl::reload(const error& why) {
    // The engine goes back to what the store holds: the input did not happen.
    store* to = durable.to;
    durable_state d;
    auto fresh = recover(*this, to->load(), d);
    d.to = to;
    // Refs handed out since the last write keep their indexes (the next write stores them).
    for (std::size_t i = fresh->refs.size(); i < refs.size(); ++i) {
        const actor_identity& who = actors[refs[i]];
        fresh->ref_of(fresh->actor_of(people[who.person], who.roles));
    }
    fresh->durable = std::move(d);
    // An input may hold a step from the pool around its top level (the typed dispatch
    // does): the pool and its depth carry over, so the lease gives back what it took.
    fresh->steps = std::move(steps);
    fresh->depth = depth;
    *this = std::move(*fresh);
    result r;
    r.kind = outcome::error;
    r.code = codes::store_write_failed;
    r.reason = why.what();
    return r;
}

} // namespace careflow::detail

namespace careflow {

void engine::open(store& s) {
    auto& e = *impl_;
    if (e.busy) throw error(std::string(codes::reentrant_input), "open() from inside an input");
    if (e.durable.to) throw error("careflow.store.attached", "this engine is already open on a store");
    const stored_engine st = s.load();
    if (st.empty) {
        // A new store: it starts with this engine's whole state and its journal in memory.
        e.durable = {};
        e.durable.to = &s;
        e.durable.people = 1; // person 0, the engine itself, is in every engine
        for (std::uint32_t slot : e.ordered_slots()) e.mark(slot);
        for (const auto& [client, answers] : e.consents)
            for (const auto& r : answers) e.durable.consents.push_back(detail::consent_entry(e, client, r));
        try {
            e.persist(e.journal_base);
        } catch (...) {
            e.settle_durable();
            e.durable = {};
            throw;
        }
        return;
    }
    detail::durable_state d;
    auto fresh = detail::recover(e, st, d);
    d.to = &s;
    fresh->durable = std::move(d);
    impl_ = std::move(fresh);
}

bool engine::durable() const noexcept { return impl_->durable.to != nullptr; }

void engine::flush() {
    if (impl_->durable.to) impl_->durable.to->flush();
}

} // namespace careflow
