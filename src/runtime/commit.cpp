// The commit stage, the one place a step becomes final: a case that reached a final state
// finishes, the timer queue is reconciled with the timer slots the step touched, the
// input record and the effects are journaled, notices are queued for observers, and the
// spawns the step asked for start (as steps of their own). `deliver` runs once the whole
// input is committed: observers, then the journal sink.
#include "engine_impl.hpp"

#include "../detail/cells.hpp"

#include <algorithm>

namespace careflow::detail {

namespace {

// The journal record of an effect, or false when the input record covers it.
bool effect_record(const effect& f, const case_data& c, const sla_clock* clocks, record& r) {
    r.time = f.time;
    r.id = c.id;
    r.prog = c.prog;
    switch (f.what) {
    case effect::kind::notify:
        r.kind = record_kind::notify;
        r.index = f.index;
        return true;
    case effect::kind::sla:
        r.kind = record_kind::sla;
        r.index = f.index;
        r.sub = static_cast<std::uint8_t>(f.sla);
        r.value = f.value;
        r.value2 = f.value2;
        r.actor = clocks[f.index].accountable;
        return true;
    case effect::kind::finish:
        r.kind = record_kind::finish;
        r.to = f.to;
        return true;
    case effect::kind::start:
    case effect::kind::transition:
    case effect::kind::fired:
    case effect::kind::refused: return false;
    }
    return false;
}

} // namespace

void engine_impl::commit(step& s) {
    if (durable.to) mark(s.slot);
    case_data& c = slots[s.slot];
    const program& p = prog_of(c);
    const bool was_final = s.undo.saved.state != no_index && p.states()[s.undo.saved.state].is_final;
    if (!was_final && p.states()[c.state].is_final) {
        finish_slas(s); // cancels the clocks still counting and every pending timer
        s.effects.push_back({effect::kind::finish, no_index, no_index, c.state, 0, {}, 0, s.now});
    }
    // Reconcile the queue with each touched timer slot's desired state.
    for (const auto& [i, before] : s.undo.timers) {
        timer_state& t = c.timers[i];
        if (t.epoch == before.epoch && t.due == before.due) continue;
        if (!t.handle.empty()) queue.cancel(t.handle);
        t.handle = {};
        if (t.due != no_time)
            t.handle = queue.arm(t.due, timer_payload{s.slot, static_cast<std::uint16_t>(i), 0, t.epoch});
    }
    if (options.journal) {
        const std::size_t n = s.effects.size();
        for (std::size_t i = 0; i <= n; ++i) {
            if (i == s.input_after && s.journal_input) journal.push_back(s.in);
            if (i == n) break;
            const effect& f = s.effects[i];
            if (f.what == effect::kind::transition || f.what == effect::kind::start) continue; // the input covers it
            record r;
            if (effect_record(f, c, c.slas.data(), r)) journal.push_back(r);
        }
    }
    if (!observers.empty())
        for (const effect& f : s.effects) notices.push_back({s.slot, f});
    if (!s.spawns.empty()) start_spawns(s);
}

void engine_impl::start_spawns(step& s) {
    // Spawns start after their parent's step, as the same actor, at the same time, each
    // with an id no case has (an id a host case took is skipped, and the record says
    // which id was given).
    std::vector<pending_spawn> todo;
    todo.swap(s.spawns);
    const case_id parent = slots[s.slot].id;
    const std::uint16_t parent_prog = slots[s.slot].prog;
    const case_id base = options.spawn_base + (static_cast<case_id>(options.shard) << 40);
    for (auto& sp : todo) {
        case_id child = base + next_spawn++;
        while (index.contains(child)) child = base + next_spawn++;
        record r;
        r.time = s.now;
        r.kind = record_kind::spawn;
        r.id = parent;
        r.other = child;
        r.prog = parent_prog;
        r.index = sp.prog;
        r.actor = s.actor;
        log(r);
        const std::string client = slots[s.slot].client; // (a copy: starting the child may move the slots)
        const result sr = start_child(sp.prog, child, sp.variables, s.now, s.actor, parent, s.spawn_depth + 1, client);
        if (sr.applied()) slots[index.find(parent)].children.push_back(child);
    }
}

void engine_impl::deliver(std::size_t first_record) {
    // Observers and the sink see the input only now that all of it is committed; the
    // engine stays busy meanwhile, so none of them can start another input.
    std::exception_ptr failure;
    if (!notices.empty()) {
        std::vector<notice> todo;
        todo.swap(notices);
        for (const notice& n : todo) {
            const case_view v = view(n.slot);
            const program& p = prog_of(slots[n.slot]);
            const effect& f = n.what;
            const auto t = to_time_point(f.time);
            for (auto* o : observers) {
                try {
                    switch (f.what) {
                    case effect::kind::start: o->started(v, t); break;
                    case effect::kind::transition:
                        o->transition(
                            v, f.event == no_index ? std::string_view() : std::string_view(p.events()[f.event].name),
                            f.from, f.to, t);
                        break;
                    case effect::kind::notify: {
                        const program_action& a = p.actions()[f.index];
                        o->notified(v, a.name, a.text, t);
                        break;
                    }
                    case effect::kind::sla: {
                        const program_sla& spec = p.slas()[f.index];
                        o->sla_changed(v, spec, f.sla, t);
                        if (f.sla == sla_event::warning) o->sla_warning(v, spec, f.fraction, t);
                        if (f.sla == sla_event::breached) o->sla_breach(v, spec, t);
                        if (f.sla == sla_event::met) o->sla_met(v, spec, t);
                        break;
                    }
                    case effect::kind::finish: o->finished(v, t); break;
                    case effect::kind::fired: o->timer_fired(v, p.timers()[f.index], t); break;
                    case effect::kind::refused:
                        o->refused(v, p.events()[f.event].name, notice_results[static_cast<std::size_t>(f.value)], t);
                        break;
                    }
                } catch (...) {
                    if (!failure) failure = std::current_exception();
                }
            }
        }
        todo.clear();
        notices.swap(todo); // keep the capacity
        notice_results.clear();
    }
    if (sink && journal_end() > first_record) {
        std::vector<journal_entry> out;
        const std::size_t from = std::max(first_record, journal_base);
        out.reserve(journal_end() - from);
        for (std::size_t i = from; i < journal_end(); ++i) out.push_back(entry(journal[i - journal_base]));
        try {
            sink->append(from, out);
        } catch (...) {
            if (!failure) failure = std::current_exception();
        }
    }
    busy = false;
    if (failure) std::rethrow_exception(failure);
}

} // namespace careflow::detail
