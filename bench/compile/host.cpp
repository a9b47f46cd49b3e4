// The minimal host translation unit: what a host includes to run cases of a shipped
// procedure (the engine and that procedure's header), and a use of it. bench/run times
// compiling this against plain.cpp.
#include <careflow/procedures/hotline_call.hpp>
#include <careflow/runtime/engine.hpp>

careflow::result answer_first_call(careflow::engine& e, careflow::time_point now) {
    const careflow::actor op{"op-7", {"operator"}};
    e.start(careflow::procedures::hotline_call_program(), 1, {}, now, op);
    return e.dispatch(1, "answer", now, op);
}
