// Business calendars: weekly opening hours, holidays, make-up days and a zone's changes;
// open time added and counted by prefix sums over local days.
#include "local_days.hpp"
#include "zone.hpp"

#include <careflow/error.hpp>
#include <careflow/time/calendar.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>

#include <algorithm>
#include <iterator>

namespace careflow {
using detail::day_number;
using detail::floor_div;
using detail::weekday_of;
namespace {

std::vector<std::pair<ticks, ticks>> checked(std::vector<opening> in) {
    std::vector<std::pair<ticks, ticks>> out;
    for (const auto& o : in) {
        if (o.begin.is_special() || o.end.is_special())
            throw error("careflow.calendar.bad_hours", "opening hours must be finite durations");
        const ticks b = to_ticks(o.begin), e = to_ticks(o.end);
        if (b < 0 || e > ticks_per_day || b >= e)
            throw error("careflow.calendar.bad_hours", "opening " + boost::posix_time::to_simple_string(o.begin) + "-" +
                                                           boost::posix_time::to_simple_string(o.end) +
                                                           " is not a non-empty span within one day");
        out.emplace_back(b, e);
    }
    std::sort(out.begin(), out.end());
    for (std::size_t i = 1; i < out.size(); ++i)
        if (out[i].first < out[i - 1].second) throw error("careflow.calendar.bad_hours", "opening hours overlap");
    return out;
}

ticks total_of(const std::vector<std::pair<ticks, ticks>>& hours) {
    ticks t = 0;
    for (const auto& [b, e] : hours) t += e - b;
    return t;
}

} // namespace

calendar::calendar() {
    for (auto& w : week_) w = {{0, ticks_per_day}};
    reindex();
}

calendar calendar::always_open(duration utc_offset) {
    calendar c;
    c.offset_ = to_ticks(utc_offset);
    return c;
}

calendar calendar::always_open(std::string_view zone) {
    calendar c;
    c.set_zone(zone);
    return c;
}

calendar calendar::business(duration utc_offset) {
    calendar c;
    c.always_ = false;
    c.offset_ = to_ticks(utc_offset);
    for (auto& w : c.week_) w.clear();
    c.reindex();
    return c;
}

calendar calendar::business(std::string_view zone) {
    calendar c = business(duration(0, 0, 0));
    c.set_zone(zone);
    return c;
}

void calendar::set_zone(std::string_view zone) {
    zone_ = detail::load_zone(zone);
    offset_ = 0;
    reindex();
}

void calendar::leave_24x7() {
    // A 24×7 calendar given hours or exceptions becomes a business calendar open all day on
    // every day not told otherwise (its weekly hours already say so), whatever is set
    // first: the result never depends on the order of the calls.
    always_ = false;
}

calendar& calendar::hours(boost::gregorian::greg_weekday day, std::vector<opening> intervals) {
    auto checked_hours = checked(std::move(intervals)); // a bad interval changes nothing
    leave_24x7();
    week_[day.as_number()] = std::move(checked_hours);
    reindex();
    return *this;
}

calendar& calendar::weekdays(const std::vector<opening>& intervals) {
    for (int d = 1; d <= 5; ++d) hours(boost::gregorian::greg_weekday(static_cast<unsigned short>(d)), intervals);
    return *this;
}

calendar& calendar::holiday(boost::gregorian::date day) { return working_day(day, {}); }

calendar& calendar::working_day(boost::gregorian::date day, std::vector<opening> intervals) {
    return set_days({{day, std::move(intervals)}});
}

calendar& calendar::set_days(std::vector<std::pair<boost::gregorian::date, std::vector<opening>>> days) {
    std::vector<exception_day> fresh;
    fresh.reserve(days.size());
    for (auto& [day, intervals] : days) { // every entry checked before anything changes
        const std::int64_t n = day_number(day);
        auto hours = checked(std::move(intervals));
        const ticks total = total_of(hours);
        fresh.push_back({n, std::move(hours), total});
    }
    if (fresh.empty()) return *this;
    leave_24x7();
    // After the dates already set, sorted by date (stable: later entries stay later), then
    // the last entry of each date kept.
    exceptions_.insert(exceptions_.end(), std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
    std::stable_sort(exceptions_.begin(), exceptions_.end(),
                     [](const auto& a, const auto& b) { return a.day < b.day; });
    auto kept = exceptions_.begin();
    for (auto it = exceptions_.begin(); it != exceptions_.end(); ++it) {
        if (std::next(it) != exceptions_.end() && std::next(it)->day == it->day) continue;
        if (kept != it) *kept = std::move(*it);
        ++kept;
    }
    exceptions_.erase(kept, exceptions_.end());
    reindex();
    return *this;
}

void calendar::reindex() {
    for (int d = 0; d < 7; ++d) week_open_[static_cast<std::size_t>(d)] = total_of(week_[static_cast<std::size_t>(d)]);
    head_time_[0] = 0;
    head_days_[0] = 0;
    for (std::size_t j = 0; j < 7; ++j) {
        const ticks open = week_open_[(4 + j) % 7]; // day 0 of every 7-day block is a Thursday
        head_time_[j + 1] = head_time_[j] + open;
        head_days_[j + 1] = head_days_[j] + (open > 0 ? 1 : 0);
    }
    week_time_ = head_time_[7];
    week_days_ = head_days_[7];
    exception_time_.assign(1, 0);
    exception_days_.assign(1, 0);
    for (const auto& e : exceptions_) {
        const ticks weekly = week_open_[static_cast<std::size_t>(weekday_of(e.day))];
        exception_time_.push_back(exception_time_.back() + e.total - weekly);
        exception_days_.push_back(exception_days_.back() + (e.total > 0 ? 1 : 0) - (weekly > 0 ? 1 : 0));
    }
    // The days a zone's offset changes: each opening mapped to instants (RFC 5545 rule),
    // kept as offsets from the day's start, overlaps merged, clipped to the day.
    shifted_.clear();
    shifted_time_.assign(1, 0);
    shifted_days_.assign(1, 0);
    if (!zone_) return;
    for (const auto& ch : zone_->changes) {
        const std::int64_t day = day_of(ch.at); // day_of reads only the zone, not shifted_
        if (!shifted_.empty() && shifted_.back().day >= day) continue;
        const ticks begin = start_of(day), length = start_of(day + 1) - begin;
        const intervals& wall = wall_hours(day);
        intervals spans, mapped;
        for (const auto& [b, e] : wall) {
            const ticks mb = std::clamp(from_local(day * ticks_per_day + b) - begin, ticks{0}, length);
            const ticks me = std::clamp(from_local(day * ticks_per_day + e) - begin, mb, length);
            if (me > mb) spans.emplace_back(mb, me);
        }
        // A skipped wall time maps past later ones: sort, then merge what overlaps.
        std::sort(spans.begin(), spans.end());
        for (const auto& [mb, me] : spans) {
            if (!mapped.empty() && mb <= mapped.back().second)
                mapped.back().second = std::max(mapped.back().second, me);
            else
                mapped.emplace_back(mb, me);
        }
        if (mapped == wall && length == ticks_per_day) continue;
        const ticks wall_total = total_of(wall), total = total_of(mapped);
        shifted_.push_back({day, std::move(mapped), total});
        shifted_time_.push_back(shifted_time_.back() + total - wall_total);
        shifted_days_.push_back(shifted_days_.back() + (total > 0 ? 1 : 0) - (wall_total > 0 ? 1 : 0));
    }
}

ticks calendar::from_local(ticks local) const noexcept { return zone_ ? zone_->to_utc(local) : local - offset_; }

ticks calendar::to_local(ticks t) const noexcept { return t + (zone_ ? zone_->offset_at(t) : offset_); }

ticks calendar::start_of(std::int64_t day) const noexcept { return from_local(day * ticks_per_day); }

std::int64_t calendar::day_of(ticks t) const noexcept {
    std::int64_t day = floor_div(to_local(t), ticks_per_day);
    if (!zone_) return day;
    while (start_of(day) > t) --day; // a repeated midnight belongs to its first occurrence
    while (start_of(day + 1) <= t) ++day;
    return day;
}

std::size_t calendar::days_before(const day_list& list, std::int64_t day) noexcept {
    return static_cast<std::size_t>(std::lower_bound(list.begin(), list.end(), day,
                                                     [](const exception_day& e, std::int64_t d) { return e.day < d; }) -
                                    list.begin());
}

const calendar::intervals& calendar::wall_hours(std::int64_t day) const noexcept {
    const std::size_t i = exceptions_before(day);
    if (i < exceptions_.size() && exceptions_[i].day == day) return exceptions_[i].open;
    return week_[static_cast<std::size_t>(weekday_of(day))];
}

const calendar::intervals& calendar::day_hours(std::int64_t day) const noexcept {
    if (!shifted_.empty()) {
        const std::size_t i = days_before(shifted_, day);
        if (i < shifted_.size() && shifted_[i].day == day) return shifted_[i].open;
    }
    return wall_hours(day);
}

ticks calendar::day_total(std::int64_t day) const noexcept { return total_of(day_hours(day)); }

// Weekly amount for the whole weeks and the head of the last one, plus the exceptions'
// and the zone's corrections before `day`. One shape for open time and working-day counts.
template <class T>
static T cumulative(std::int64_t day, T per_week, const std::array<T, 8>& head, T corrections) noexcept {
    const std::int64_t weeks = floor_div(day, 7);
    const auto rest = static_cast<std::size_t>(day - weeks * 7);
    return weeks * per_week + head[rest] + corrections;
}

ticks calendar::cum_time(std::int64_t day) const noexcept {
    ticks corrections = exception_time_[exceptions_before(day)];
    if (!shifted_.empty()) corrections += shifted_time_[days_before(shifted_, day)];
    return cumulative(day, week_time_, head_time_, corrections);
}

std::int64_t calendar::cum_days(std::int64_t day) const noexcept {
    std::int64_t corrections = exception_days_[exceptions_before(day)];
    if (!shifted_.empty()) corrections += shifted_days_[days_before(shifted_, day)];
    return cumulative(day, week_days_, head_days_, corrections);
}

ticks calendar::within(const intervals& hours, ticks tod) noexcept {
    ticks t = 0;
    for (const auto& [b, e] : hours) {
        if (tod <= b) break;
        t += std::min(tod, e) - b;
    }
    return t;
}

ticks calendar::at_moment(const intervals& hours, ticks moment) noexcept {
    // The earliest time of day at which `moment` open time has passed.
    for (const auto& [b, e] : hours) {
        if (moment <= e - b) return b + moment;
        moment -= e - b;
    }
    return hours.empty() ? 0 : hours.back().second;
}

ticks calendar::open_before(ticks t) const noexcept {
    const std::int64_t day = day_of(t);
    return cum_time(day) + within(day_hours(day), t - start_of(day));
}

template <class Pred>
std::int64_t calendar::first_day(std::int64_t from, Pred pred) const noexcept {
    // Exponential then binary search for the first day >= from where pred holds (pred is
    // monotone). Gives up after ~2,800 years: the calendar never gets there.
    if (pred(from)) return from;
    std::int64_t lo = from, step = 1;
    constexpr std::int64_t limit = std::int64_t{1} << 20;
    while (!pred(from + step)) {
        lo = from + step;
        if (step >= limit) return none_day;
        step *= 2;
    }
    std::int64_t hi = from + step; // pred(lo) false, pred(hi) true
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (pred(mid) ? hi : lo) = mid;
    }
    return hi;
}

std::int64_t calendar::working_day_from(std::int64_t day, int n) const noexcept {
    if (n >= 0) {
        // Working days up to and including the target: one more than before `day` (n = 0),
        // or n more than up to and including `day`.
        const std::int64_t wanted = n == 0 ? cum_days(day) + 1 : cum_days(day + 1) + n;
        return first_day(day, [&](std::int64_t d) { return cum_days(d + 1) >= wanted; });
    }
    // The |n|-th working day before `day`: the first day whose working days up to and
    // including it reach the count before `day` less |n| - 1, searched from far enough back.
    const std::int64_t target = cum_days(day) + n + 1;
    constexpr std::int64_t limit = std::int64_t{1} << 20;
    std::int64_t lo = day - 1;
    for (std::int64_t step = 1; cum_days(lo + 1) >= target; step *= 2) {
        if (step > limit) return none_day;
        lo = day - 1 - step;
    }
    return first_day(lo, [&](std::int64_t d) { return cum_days(d + 1) >= target; });
}

ticks calendar::close_of_day(std::int64_t day) const noexcept { return start_of(day) + day_hours(day).back().second; }

bool calendar::is_open(ticks t) const noexcept {
    if (always_) return true;
    const std::int64_t day = day_of(t);
    const ticks tod = t - start_of(day);
    for (const auto& [b, e] : day_hours(day))
        if (tod >= b && tod < e) return true;
    return false;
}

ticks calendar::next_open(ticks t) const noexcept {
    if (always_) return t;
    const std::int64_t day = day_of(t);
    const ticks start = start_of(day), tod = t - start;
    for (const auto& [b, e] : day_hours(day)) {
        if (tod < e) return tod >= b ? t : start + b;
    }
    const std::int64_t next = working_day_from(day, 1);
    if (next == none_day) return never;
    return start_of(next) + day_hours(next).front().first;
}

ticks calendar::add(ticks t, ticks business) const noexcept {
    if (always_) return t + business;
    if (business <= 0) return t;
    const ticks target = open_before(t) + business;
    const std::int64_t day = first_day(day_of(t), [&](std::int64_t d) { return cum_time(d + 1) >= target; });
    if (day == none_day) return never;
    return start_of(day) + at_moment(day_hours(day), target - cum_time(day));
}

ticks calendar::add_working_days(ticks t, int n) const noexcept {
    std::int64_t day = day_of(t);
    ticks moment = 0;
    if (day_total(day) > 0) {
        if (n == 0) return t;
        moment = within(day_hours(day), t - start_of(day));
    } else {
        // From a closed day, counting starts at the next working day's opening.
        day = working_day_from(day, 1);
        if (day == none_day) return never;
    }
    const std::int64_t target = working_day_from(day, n);
    if (target == none_day) return never;
    const auto& hours = day_hours(target);
    return start_of(target) + at_moment(hours, std::min(moment, total_of(hours)));
}

ticks calendar::close_of_working_day(ticks t, int n) const noexcept {
    std::int64_t day = day_of(t);
    const auto& today = day_hours(day);
    if (today.empty() || t - start_of(day) >= today.back().second) {
        // Closed all day, or already closed for the day: count from the next working day.
        day = working_day_from(day, 1);
        if (day == none_day) return never;
    }
    const std::int64_t target = working_day_from(day, n);
    if (target == none_day) return never;
    return close_of_day(target);
}

ticks calendar::between(ticks a, ticks b) const noexcept {
    if (always_) return b - a;
    return open_before(b) - open_before(a);
}

ticks calendar::instant(time_point t) {
    if (t.is_special()) throw error("careflow.calendar.bad_time", "calendar arithmetic needs a finite instant");
    return to_ticks(t);
}

time_point calendar::next_open(time_point t) const {
    const ticks r = next_open(instant(t));
    return r == never ? time_point(boost::posix_time::pos_infin) : to_time_point(r);
}

time_point calendar::add(time_point t, duration business) const {
    if (business.is_special() || business.is_negative())
        throw error("careflow.calendar.bad_duration", "add() needs a finite, non-negative business duration");
    const ticks r = add(instant(t), to_ticks(business));
    return r == never ? time_point(boost::posix_time::pos_infin) : to_time_point(r);
}

time_point calendar::add_working_days(time_point t, int n) const {
    if (n < 0) throw error("careflow.calendar.bad_duration", "add_working_days() needs n >= 0");
    const ticks r = add_working_days(instant(t), n);
    return r == never ? time_point(boost::posix_time::pos_infin) : to_time_point(r);
}

time_point calendar::close_of_working_day(time_point t, int n) const {
    if (n < 0) throw error("careflow.calendar.bad_duration", "close_of_working_day() needs n >= 0");
    const ticks r = close_of_working_day(instant(t), n);
    return r == never ? time_point(boost::posix_time::pos_infin) : to_time_point(r);
}

bool calendar::is_working_day(boost::gregorian::date local) const { return day_total(day_number(local)) > 0; }

calendar center_hours() {
    using boost::posix_time::hours;
    return calendar::business("Asia/Shanghai").weekdays({{hours(9), hours(12)}, {hours(13), hours(18)}});
}

} // namespace careflow
