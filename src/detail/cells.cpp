// The value ↔ cell codec (see cells.hpp).
#include "cells.hpp"

#include <careflow/program/context.hpp>

#include <algorithm>

namespace careflow::detail {

bool to_cell(const value& v, value_type t, const std::vector<std::string>& symbols, cell& out) {
    const auto vt = v.type();
    if (!vt || !assignable(t, *vt)) return false;
    const auto& s = v.get();
    switch (*vt) {
    case value_type::boolean: out.i = std::get<bool>(s) ? 1 : 0; return true;
    case value_type::integer:
        if (t == value_type::real)
            out.r = static_cast<double>(std::get<std::int64_t>(s));
        else
            out.i = std::get<std::int64_t>(s);
        return true;
    case value_type::real: out.r = std::get<double>(s); return true;
    case value_type::text: return false; // text lives outside cells
    case value_type::time: {
        const auto& tp = std::get<time_point>(s);
        if (tp.is_special()) return false;
        out.i = to_ticks(tp);
        return true;
    }
    case value_type::duration: {
        const auto& d = std::get<duration>(s);
        if (d.is_special()) return false;
        out.i = to_ticks(d);
        return true;
    }
    case value_type::enumeration: {
        const auto& name = std::get<symbol>(s).name;
        auto it = std::find(symbols.begin(), symbols.end(), name);
        if (it == symbols.end()) return false;
        out.i = it - symbols.begin();
        return true;
    }
    }
    return false;
}

bool write_slot(const value& v, value_type t, const std::vector<std::string>& symbols, cell& c, std::string* text) {
    if (t == value_type::text) {
        if (v.type() != value_type::text || !text) return false;
        *text = std::get<std::string>(v.get());
        return true;
    }
    return to_cell(v, t, symbols, c);
}

value read_variable(const program_variable& v, std::span<const cell> vars, std::span<const std::string> texts,
                    std::size_t i) {
    if (v.type == value_type::text) return value(texts[v.text_slot]);
    return cell_value(vars[i], v.type, v.symbols);
}

std::size_t text_slot_of(std::span<const field_decl> decl, std::size_t i) {
    std::size_t n = 0;
    for (std::size_t k = 0; k < i; ++k)
        if (decl[k].type == value_type::text) ++n;
    return n;
}

value read_field(std::span<const field_decl> decl, std::size_t i, std::span<const cell> fields,
                 std::span<const std::string> texts) {
    const field_decl& f = decl[i];
    if (f.type == value_type::text) return value(texts[text_slot_of(decl, i)]);
    return cell_value(fields[i], f.type, f.symbols);
}

} // namespace careflow::detail
