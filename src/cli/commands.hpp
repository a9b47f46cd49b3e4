// What the CLI's commands share: the usage error (a one-line message and exit 2), option
// parsing, and the commands each file defines.
#pragma once

#include <careflow/model/procedure.hpp>

#include <boost/program_options.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace careflow::cli {

namespace po = boost::program_options;

/// A command line or input the command cannot take: "careflow: <message>" and exit 2.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The six shipped procedures with their default parameters.
std::vector<procedure> shipped(); // definition_commands.cpp

inline po::variables_map parse(const std::vector<std::string>& args, const po::options_description& opts,
                               const po::positional_options_description* positional = nullptr) {
    po::variables_map vm;
    try {
        auto parser = po::command_line_parser(args).options(opts);
        if (positional) parser.positional(*positional);
        po::store(parser.run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw usage_error(e.what());
    }
    return vm;
}

/// The file of a store named `sqlite:PATH` (the only kind this build has).
inline std::string sqlite_path(const std::string& spec) {
    if (spec.rfind("sqlite:", 0) != 0 || spec.size() == 7)
        throw usage_error("--store: '" + spec + "' is not a store this build opens (use sqlite:PATH)");
    return spec.substr(7);
}

int run(const std::vector<std::string>& args);            // run.cpp
int dot(const std::vector<std::string>& args);            // definition_commands.cpp
int definition(const std::vector<std::string>& args);     // definition_commands.cpp
int validate_file(const std::vector<std::string>& args);  // definition_commands.cpp
int decide(const std::vector<std::string>& args);         // decide.cpp
int inspect(const std::vector<std::string>& args);        // store_commands.cpp
int backup(const std::vector<std::string>& args);         // store_commands.cpp
int verify(const std::vector<std::string>& args);         // store_commands.cpp
int calendar_query(const std::vector<std::string>& args); // calendar_command.cpp
int export_journal(const std::vector<std::string>& args); // disclosure.cpp
int erase_client(const std::vector<std::string>& args);   // client_commands.cpp
int history(const std::vector<std::string>& args);        // client_commands.cpp

} // namespace careflow::cli
