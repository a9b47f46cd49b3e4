// decision_table::check: the static checks. Each column's domain is cut at every bound its
// tests name; one value per piece (the bounds, and a value on each side of each) stands for
// the whole piece, so that tests agree on a piece exactly when they agree on its value.
// Two rules overlap when every column has a value both accept; a gap is a combination of
// pieces no rule accepts (searched up to a bound on the combinations).
#include <careflow/model/decision.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace careflow {

namespace {
constexpr std::size_t max_combinations = 200'000;
}

std::vector<diagnostic> decision_table::check() const {
    std::vector<diagnostic> out;
    const std::size_t n = decl_.inputs.size();
    const auto rules = static_cast<std::uint32_t>(decl_.rules.size());
    const std::string subject = "decision '" + decl_.name + "'";
    // Representatives per column; text values live in `other` or texts_.
    static const std::string other = "\x7f(any other text)";
    std::vector<std::vector<decision_value>> reps(n);
    for (std::size_t i = 0; i < n; ++i) {
        const value_type t = decl_.inputs[i].type;
        auto& col = reps[i];
        if (t == value_type::boolean) {
            col = {decision_value{cell{0}, nullptr}, decision_value{cell{1}, nullptr}};
            continue;
        }
        std::vector<cell> bounds;
        for (std::uint32_t r = 0; r < rules; ++r) {
            const entry& e = entries_[r * n + i];
            for (std::uint32_t k = 0; k < e.count; ++k) {
                const interval& iv = intervals_[e.first + k];
                if (!iv.lo.infinite) bounds.push_back(iv.lo.v);
                if (!iv.hi.infinite) bounds.push_back(iv.hi.v);
            }
        }
        if (t == value_type::text) {
            std::vector<std::size_t> seen;
            for (const cell b : bounds) {
                const auto& s = texts_[static_cast<std::size_t>(b.i)];
                if (std::none_of(seen.begin(), seen.end(), [&](std::size_t k) { return texts_[k] == s; })) {
                    seen.push_back(static_cast<std::size_t>(b.i));
                    col.push_back({cell{0}, &texts_[static_cast<std::size_t>(b.i)]});
                }
            }
            col.push_back({cell{0}, &other});
        } else if (t == value_type::real) {
            std::vector<double> xs;
            for (const cell b : bounds) xs.push_back(b.r);
            std::sort(xs.begin(), xs.end());
            xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
            std::vector<double> pts;
            if (xs.empty()) pts.push_back(0.0);
            for (std::size_t k = 0; k < xs.size(); ++k) {
                pts.push_back(xs[k]);
                if (k + 1 < xs.size()) pts.push_back(xs[k] + (xs[k + 1] - xs[k]) / 2);
            }
            if (!xs.empty()) {
                pts.push_back(xs.front() - 1);
                pts.push_back(xs.back() + 1);
            }
            for (double x : pts) {
                cell c{};
                c.r = x;
                col.push_back({c, nullptr});
            }
        } else {
            std::vector<std::int64_t> xs;
            for (const cell b : bounds)
                for (std::int64_t d : {-1, 0, 1}) xs.push_back(saturating_add(b.i, d));
            if (xs.empty()) xs.push_back(0);
            std::sort(xs.begin(), xs.end());
            xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
            for (auto x : xs) col.push_back({cell{x}, nullptr});
        }
    }
    auto describe = [&](std::size_t i, const decision_value& v) -> std::string {
        const value_type t = decl_.inputs[i].type;
        if (t == value_type::text) return v.text == &other ? std::string("any other text") : "\"" + *v.text + "\"";
        if (t == value_type::real) return fmt::format("{}", v.c.r);
        if (t == value_type::boolean) return v.c.i ? "true" : "false";
        if (t == value_type::duration) return value(to_duration(v.c.i)).to_string();
        if (t == value_type::time) return value(to_time_point(v.c.i)).to_string();
        return std::to_string(v.c.i);
    };
    // Pairs of rules that can both match.
    auto overlap = [&](std::uint32_t a, std::uint32_t b) {
        for (std::size_t i = 0; i < n; ++i) {
            const entry& x = entries_[a * n + i];
            const entry& y = entries_[b * n + i];
            if (x.any || y.any) continue;
            if (std::none_of(reps[i].begin(), reps[i].end(),
                             [&](const decision_value& v) { return test(x, i, v) && test(y, i, v); }))
                return false;
        }
        return true;
    };
    const std::size_t outs = decl_.outputs.size();
    auto same_outputs = [&](std::uint32_t a, std::uint32_t b) {
        for (std::size_t o = 0; o < outs; ++o) {
            if (decl_.outputs[o].type == value_type::text ? output_texts_[a * outs + o] != output_texts_[b * outs + o]
                                                          : outputs_[a * outs + o].i != outputs_[b * outs + o].i)
                return false;
        }
        return true;
    };
    if (decl_.policy == hit_policy::unique || decl_.policy == hit_policy::any)
        for (std::uint32_t a = 0; a < rules; ++a)
            for (std::uint32_t b = a + 1; b < rules; ++b) {
                if (!overlap(a, b)) continue;
                if (decl_.policy == hit_policy::unique)
                    out.push_back({severity::error, "careflow.decision.overlap", subject,
                                   fmt::format("rules {} and {} can both match (hit policy Unique)", a + 1, b + 1)});
                else if (!same_outputs(a, b))
                    out.push_back({severity::error, "careflow.decision.conflict", subject,
                                   fmt::format("rules {} and {} can both match with different outputs (hit policy Any)",
                                               a + 1, b + 1)});
            }
    // Gaps: every combination of representatives, while there are not too many.
    std::size_t combinations = 1;
    for (const auto& col : reps) {
        combinations *= std::max<std::size_t>(col.size(), 1);
        if (combinations > max_combinations) break;
    }
    if (combinations > max_combinations) {
        out.push_back({severity::warning, "careflow.decision.gaps_unchecked", subject,
                       fmt::format("more than {} input combinations: gaps were not searched", max_combinations)});
        return out;
    }
    std::vector<std::size_t> at(n, 0);
    std::vector<decision_value> in(n);
    for (;;) {
        for (std::size_t i = 0; i < n; ++i) in[i] = reps[i][at[i]];
        bool covered = false;
        for (std::uint32_t r = 0; r < rules && !covered; ++r) {
            covered = true;
            for (std::size_t i = 0; i < n && covered; ++i) covered = test(entries_[r * n + i], i, in[i]);
        }
        if (!covered) {
            std::string example;
            for (std::size_t i = 0; i < n; ++i)
                example += (i ? ", " : "") + decl_.inputs[i].name + " = " + describe(i, in[i]);
            out.push_back({severity::warning, "careflow.decision.gap", subject, "no rule matches " + example});
            return out;
        }
        std::size_t i = 0;
        while (i < n && ++at[i] == reps[i].size()) at[i++] = 0;
        if (i == n) break;
    }
    return out;
}

} // namespace careflow
