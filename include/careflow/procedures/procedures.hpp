/// \file careflow/procedures/procedures.hpp
/// The six procedures careflow ships, distilled from the seed documents (PROCEDURES.md).
#pragma once

#include <careflow/procedures/appointment.hpp>
#include <careflow/procedures/common.hpp>
#include <careflow/procedures/complaint.hpp>
#include <careflow/procedures/counseling_course.hpp>
#include <careflow/procedures/first_visit.hpp>
#include <careflow/procedures/hotline_call.hpp>
#include <careflow/procedures/phone_callback.hpp>
