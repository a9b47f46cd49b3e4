// Fuzz target: DMN documents (careflow/model/decision_file.hpp). read_dmn may only throw
// careflow::error; every table it returns compiles, its static checks run, and it decides
// on typed inputs; its careflow JSON form reads back to the same text.
#include "fuzz_setup.hpp"

#include <careflow/model/decision_file.hpp>

#include <string_view>

using namespace careflow;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    decision_model model;
    try {
        model = read_dmn(text);
    } catch (const careflow::error&) {
        return 0;
    }
    for (const auto& t : model.tables) {
        const std::string json = to_decision_json(t);
        fuzz::require(to_decision_json(read_decision_json(json)) == json, "table -> JSON -> table -> JSON differs");
        decision_table d = [&] {
            try {
                return decision_table::compile(t);
            } catch (const careflow::error&) {
                fuzz::broken("read_dmn returned a table that does not compile");
            }
        }();
        (void)d.check();
        payload in;
        for (const auto& col : t.inputs) {
            switch (col.type) {
            case value_type::boolean: in.set(col.name, true); break;
            case value_type::integer: in.set(col.name, std::int64_t{3}); break;
            case value_type::real: in.set(col.name, 2.5); break;
            case value_type::text: in.set(col.name, "high"); break;
            case value_type::time: in.set(col.name, time_point(boost::gregorian::date(2026, 1, 1))); break;
            case value_type::duration: in.set(col.name, boost::posix_time::minutes(15)); break;
            case value_type::enumeration: break;
            }
        }
        try {
            const auto r = d.decide(in);
            fuzz::require(r.ok || !r.error.empty(), "a failed decision without its error");
        } catch (const careflow::error&) {
            // two inputs of one name: the payload names one twice
        }
    }
    return 0;
}
