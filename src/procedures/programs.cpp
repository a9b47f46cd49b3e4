// The compiled forms of the shipped procedures, and installing them on an engine.
#include <careflow/model/procedure.hpp>
#include <careflow/procedures/procedures.hpp>
#include <careflow/runtime/engine.hpp>

namespace careflow::procedures {

std::shared_ptr<const program> hotline_call_program(const hotline_call_params& p) { return compile(hotline_call(p)); }
std::shared_ptr<const program> phone_callback_program(const phone_callback_params& p) {
    return compile(phone_callback(p));
}
std::shared_ptr<const program> first_visit_program(const first_visit_params& p) { return compile(first_visit(p)); }
std::shared_ptr<const program> appointment_program(const appointment_params& p) { return compile(appointment(p)); }
std::shared_ptr<const program> counseling_course_program(const counseling_course_params& p) {
    return compile(counseling_course(p));
}
std::shared_ptr<const program> complaint_program(const complaint_params& p) { return compile(complaint(p)); }

expr due_day(expr t, date_offset offset, const std::string& calendar) {
    expr d = local_day(std::move(t), calendar);
    if (offset.months != 0) d = plus_months(d, offset.months, calendar);
    if (offset.days != 0) d = plus_days(d, offset.days, calendar);
    return working_day(d, 0, calendar);
}

void install_all(engine& e, const calendar& center) {
    e.set_calendar(center_calendar_name, center);
    e.install(hotline_call_program());
    e.install(phone_callback_program());
    e.install(first_visit_program());
    e.install(appointment_program());
    e.install(counseling_course_program());
    e.install(complaint_program());
}

} // namespace careflow::procedures
