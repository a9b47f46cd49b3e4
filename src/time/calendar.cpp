// Business calendars: weekly opening hours, holidays, make-up days; open time added and counted by prefix sums.
#include <careflow/error.hpp>
#include <careflow/time/calendar.hpp>

#include <boost/date_time/posix_time/posix_time.hpp>

#include <algorithm>

namespace careflow {
namespace {

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) noexcept { return a - floor_div(a, b) * b; }
// 1970-01-01 was a Thursday; weekday 0 is Sunday.
constexpr int weekday_of(std::int64_t day) noexcept { return static_cast<int>(floor_mod(day + 4, 7)); }

std::int64_t day_number(boost::gregorian::date d) { return (d - boost::gregorian::date(1970, 1, 1)).days(); }

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

calendar calendar::always_open(duration utc_offset) {
    calendar c;
    c.offset_ = to_ticks(utc_offset);
    return c;
}

calendar calendar::business(duration utc_offset) {
    calendar c;
    c.always_ = false;
    c.offset_ = to_ticks(utc_offset);
    c.reindex();
    return c;
}

void calendar::leave_24x7() {
    // A 24×7 calendar given hours or exceptions becomes a business calendar open all day on
    // every day not told otherwise, whatever is set first (the result never depends on the
    // order of the calls).
    if (!always_) return;
    always_ = false;
    for (auto& w : week_) w = {{0, ticks_per_day}};
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
    if (day.is_special()) throw error("careflow.calendar.bad_date", "a calendar date must be a real date");
    auto hours = checked(std::move(intervals)); // a bad interval changes nothing
    leave_24x7();
    const std::int64_t n = day_number(day);
    auto it = std::lower_bound(exceptions_.begin(), exceptions_.end(), n,
                               [](const exception_day& e, std::int64_t d) { return e.day < d; });
    const ticks total = total_of(hours);
    if (it != exceptions_.end() && it->day == n)
        *it = {n, std::move(hours), total};
    else
        exceptions_.insert(it, {n, std::move(hours), total});
    reindex();
    return *this;
}

void calendar::reindex() {
    for (int d = 0; d < 7; ++d) week_open_[static_cast<std::size_t>(d)] = total_of(week_[static_cast<std::size_t>(d)]);
    week_time_ = 0;
    week_days_ = 0;
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
}

const calendar::intervals& calendar::day_hours(std::int64_t day) const noexcept {
    const std::size_t i = exceptions_before(day);
    if (i < exceptions_.size() && exceptions_[i].day == day) return exceptions_[i].open;
    return week_[static_cast<std::size_t>(weekday_of(day))];
}

ticks calendar::day_total(std::int64_t day) const noexcept { return total_of(day_hours(day)); }

// Weekly amount for the whole weeks and the head of the last one, plus the exceptions'
// corrections before `day`. One shape for open time and for working-day counts.
template <class T>
static T cumulative(std::int64_t day, T per_week, const std::array<T, 8>& head, const std::vector<T>& corrections,
                    std::size_t exceptions_before) noexcept {
    const std::int64_t weeks = floor_div(day, 7);
    const auto rest = static_cast<std::size_t>(day - weeks * 7);
    return weeks * per_week + head[rest] + corrections[exceptions_before];
}

std::size_t calendar::exceptions_before(std::int64_t day) const noexcept {
    return static_cast<std::size_t>(std::lower_bound(exceptions_.begin(), exceptions_.end(), day,
                                                     [](const exception_day& e, std::int64_t d) { return e.day < d; }) -
                                    exceptions_.begin());
}

ticks calendar::cum_time(std::int64_t day) const noexcept {
    return cumulative(day, week_time_, head_time_, exception_time_, exceptions_before(day));
}

std::int64_t calendar::cum_days(std::int64_t day) const noexcept {
    return cumulative(day, week_days_, head_days_, exception_days_, exceptions_before(day));
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

ticks calendar::open_before(ticks local) const noexcept {
    const std::int64_t day = floor_div(local, ticks_per_day);
    return cum_time(day) + within(day_hours(day), local - day * ticks_per_day);
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
        if (step >= limit) return std::numeric_limits<std::int64_t>::max();
        step *= 2;
    }
    std::int64_t hi = from + step; // pred(lo) false, pred(hi) true
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (pred(mid) ? hi : lo) = mid;
    }
    return hi;
}

bool calendar::is_open(ticks t) const noexcept {
    if (always_) return true;
    const ticks local = t + offset_;
    const std::int64_t day = floor_div(local, ticks_per_day);
    const ticks tod = local - day * ticks_per_day;
    for (const auto& [b, e] : day_hours(day))
        if (tod >= b && tod < e) return true;
    return false;
}

ticks calendar::next_open(ticks t) const noexcept {
    if (always_) return t;
    const ticks local = t + offset_;
    const std::int64_t day = floor_div(local, ticks_per_day);
    const ticks tod = local - day * ticks_per_day;
    for (const auto& [b, e] : day_hours(day)) {
        if (tod < e) return (tod >= b ? local : day * ticks_per_day + b) - offset_;
    }
    const std::int64_t after = cum_days(day + 1);
    const std::int64_t next = first_day(day + 1, [&](std::int64_t d) { return cum_days(d + 1) > after; });
    if (next == std::numeric_limits<std::int64_t>::max()) return never;
    return next * ticks_per_day + day_hours(next).front().first - offset_;
}

ticks calendar::add(ticks t, ticks business) const noexcept {
    if (always_) return t + business;
    if (business <= 0) return t;
    const ticks local = t + offset_;
    const ticks target = open_before(local) + business;
    const std::int64_t start = floor_div(local, ticks_per_day);
    const std::int64_t day = first_day(start, [&](std::int64_t d) { return cum_time(d + 1) >= target; });
    if (day == std::numeric_limits<std::int64_t>::max()) return never;
    return day * ticks_per_day + at_moment(day_hours(day), target - cum_time(day)) - offset_;
}

ticks calendar::add_working_days(ticks t, int n) const noexcept {
    if (always_) return t + static_cast<ticks>(n) * ticks_per_day;
    const ticks local = t + offset_;
    std::int64_t day = floor_div(local, ticks_per_day);
    ticks moment = 0;
    if (day_total(day) > 0) {
        if (n == 0) return t;
        moment = within(day_hours(day), local - day * ticks_per_day);
    } else {
        // From a closed day, counting starts at the next working day's opening.
        const std::int64_t after = cum_days(day + 1);
        day = first_day(day + 1, [&](std::int64_t d) { return cum_days(d + 1) > after; });
        if (day == std::numeric_limits<std::int64_t>::max()) return never;
    }
    const std::int64_t wanted = cum_days(day) + n + 1; // working days up to and including the target
    const std::int64_t target = first_day(day, [&](std::int64_t d) { return cum_days(d + 1) >= wanted; });
    if (target == std::numeric_limits<std::int64_t>::max()) return never;
    const auto& hours = day_hours(target);
    return target * ticks_per_day + at_moment(hours, std::min(moment, total_of(hours))) - offset_;
}

ticks calendar::close_of_working_day(ticks t, int n) const noexcept {
    const ticks local = t + offset_;
    std::int64_t day = floor_div(local, ticks_per_day);
    if (always_) return (day + 1 + n) * ticks_per_day - offset_;
    const auto& today = day_hours(day);
    if (today.empty() || local - day * ticks_per_day >= today.back().second) {
        // Closed all day, or already closed for the day: count from the next working day.
        const std::int64_t after = cum_days(day + 1);
        day = first_day(day + 1, [&](std::int64_t d) { return cum_days(d + 1) > after; });
        if (day == std::numeric_limits<std::int64_t>::max()) return never;
    }
    const std::int64_t wanted = cum_days(day) + n + 1;
    const std::int64_t target = first_day(day, [&](std::int64_t d) { return cum_days(d + 1) >= wanted; });
    if (target == std::numeric_limits<std::int64_t>::max()) return never;
    return target * ticks_per_day + day_hours(target).back().second - offset_;
}

ticks calendar::between(ticks a, ticks b) const noexcept {
    if (always_) return b - a;
    return open_before(b + offset_) - open_before(a + offset_);
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

bool calendar::is_working_day(boost::gregorian::date local) const {
    if (always_) return true;
    return day_total(day_number(local)) > 0;
}

calendar center_calendar() {
    using boost::posix_time::hours;
    return calendar::business(hours(8)).weekdays({{hours(9), hours(12)}, {hours(13), hours(18)}});
}

} // namespace careflow
