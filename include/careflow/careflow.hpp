/// \file careflow/careflow.hpp
/// The umbrella header: everything careflow offers.
///
/// Stages: model (describe a procedure) → program (compiled, immutable) → run.
#pragma once

#include <careflow/error.hpp>
#include <careflow/version.hpp>

#include <careflow/time/calendar.hpp>
#include <careflow/time/calendar_file.hpp>
#include <careflow/time/ticks.hpp>

#include <careflow/model/builder.hpp>
#include <careflow/model/decision.hpp>
#include <careflow/model/decision_file.hpp>
#include <careflow/model/declarations.hpp>
#include <careflow/model/definition.hpp>
#include <careflow/model/dot.hpp>
#include <careflow/model/expression.hpp>
#include <careflow/model/procedure.hpp>
#include <careflow/model/rule_text.hpp>
#include <careflow/model/validate.hpp>
#include <careflow/model/value.hpp>

#include <careflow/program/context.hpp>
#include <careflow/program/eval.hpp>
#include <careflow/program/program.hpp>

#include <careflow/procedures/procedures.hpp>

#include <careflow/runtime/engine.hpp>
#include <careflow/runtime/journal.hpp>
#include <careflow/runtime/kpi.hpp>
#include <careflow/runtime/machine.hpp>
#include <careflow/runtime/timer_queue.hpp>
#include <careflow/runtime/types.hpp>
