// read_dmn: DMN 1.x decision tables read with expat, namespace-aware. Only what careflow
// runs is taken; any other element of a decision table is refused by name and line.
#include <careflow/error.hpp>
#include <careflow/model/decision_file.hpp>

#include <expat.h>
#include <fmt/format.h>

#include <memory>
#include <optional>

namespace careflow {

namespace {

bool dmn_namespace(std::string_view uri) {
    return uri.rfind("http://www.omg.org/spec/DMN/", 0) == 0 || uri.rfind("https://www.omg.org/spec/DMN/", 0) == 0;
}

std::optional<value_type> type_of(std::string_view ref) {
    if (ref.rfind("feel:", 0) == 0) ref.remove_prefix(5);
    if (ref == "string") return value_type::text;
    if (ref == "number" || ref == "double") return value_type::real;
    if (ref == "integer" || ref == "long" || ref == "int") return value_type::integer;
    if (ref == "boolean") return value_type::boolean;
    if (ref == "dayTimeDuration" || ref == "days and time duration" || ref == "duration") return value_type::duration;
    if (ref == "dateTime" || ref == "date and time") return value_type::time;
    return std::nullopt;
}

bool plain_name(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
    return true;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Split a DMN list of values ("a","b") at top-level commas.
std::vector<std::string> values_of(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    char quote = 0;
    for (char c : s) {
        if (quote) {
            cur += c;
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '"') quote = c;
        if (c == ',') {
            out.push_back(trim(cur));
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!trim(cur).empty()) out.push_back(trim(cur));
    return out;
}

class dmn_reader {
public:
    explicit dmn_reader(XML_Parser p) : parser_(p) {}

    decision_model model;
    std::optional<error> failure;

    void start(const XML_Char* qname, const XML_Char** attrs) {
        if (failure) return;
        std::string_view name(qname);
        const auto space = name.rfind(' ');
        const std::string_view uri = space == std::string_view::npos ? std::string_view() : name.substr(0, space);
        const std::string local(space == std::string_view::npos ? name : name.substr(space + 1));
        auto attr = [&](const char* key) -> std::string {
            for (int i = 0; attrs[i]; i += 2)
                if (std::string_view(attrs[i]) == key) return attrs[i + 1];
            return {};
        };
        path_.push_back(local);
        const std::size_t depth = path_.size();
        if (skip_ != 0) return;
        if (depth == 1) {
            if (local != "definitions" || !dmn_namespace(uri))
                fail("careflow.dmn.not_dmn",
                     "the document is not DMN: its root is <" + local + ">, not a DMN <definitions>");
            return;
        }
        if (!dmn_namespace(uri) || local == "extensionElements" || local == "description") {
            skip_ = depth; // vendor extensions and descriptions are not decision logic
            return;
        }
        if (depth == 2) {
            if (local == "decision") {
                decision_ = attr("name").empty() ? attr("id") : attr("name");
                decision_id_ = attr("id");
                in_table_ = false;
            } else {
                skip_ = depth; // input data, knowledge sources, diagrams: not evaluated here
            }
            return;
        }
        if (depth == 3 && path_[1] == "decision") {
            if (local == "decisionTable") {
                table_.emplace();
                table_->name = decision_;
                in_table_ = true;
                const std::string hp = attr("hitPolicy");
                const std::string agg = attr("aggregation");
                table_->policy = hp.empty() || hp == "UNIQUE" ? hit_policy::unique
                                 : hp == "ANY"                ? hit_policy::any
                                 : hp == "FIRST"              ? hit_policy::first
                                 : hp == "PRIORITY"           ? hit_policy::priority
                                 : hp == "COLLECT"            ? hit_policy::collect
                                 : hp == "RULE ORDER"         ? hit_policy::rule_order
                                 : hp == "OUTPUT ORDER"       ? hit_policy::output_order
                                                        : (unsupported("hitPolicy=\"" + hp + "\""), hit_policy::unique);
                table_->collect = agg.empty()      ? aggregation::none
                                  : agg == "SUM"   ? aggregation::sum
                                  : agg == "COUNT" ? aggregation::count
                                  : agg == "MIN"   ? aggregation::min
                                  : agg == "MAX"   ? aggregation::max
                                                   : (unsupported("aggregation=\"" + agg + "\""), aggregation::none);
            } else if (local == "literalExpression" || local == "context" || local == "invocation" ||
                       local == "relation" || local == "list" || local == "functionDefinition" ||
                       local == "conditional" || local == "filter" || local == "iterator") {
                model.unsupported.emplace_back(decision_, "a <" + local + "> (DMN boxed expression)");
                skip_ = depth;
            } else {
                skip_ = depth; // requirements, variable, question: not evaluated
            }
            return;
        }
        if (!in_table_) return;
        // Inside a decision table.
        const std::string& parent = path_[depth - 2];
        if (parent == "decisionTable") {
            if (local == "input") {
                table_->inputs.push_back({});
                input_label_ = attr("label");
            } else if (local == "output") {
                const auto t = type_of(attr("typeRef"));
                const std::string n = attr("name").empty() ? attr("label") : attr("name");
                if (!t) unsupported("output '" + n + "' typeRef=\"" + attr("typeRef") + "\"");
                table_->outputs.push_back({n, t.value_or(value_type::text), {}});
            } else if (local == "rule") {
                table_->rules.push_back({});
            } else if (local == "annotation") {
                skip_ = depth; // DMN 1.3 rule annotation column: comments
            } else {
                unsupported("<" + local + "> in a decision table");
            }
        } else if (parent == "input") {
            if (local == "inputExpression") {
                const auto t = type_of(attr("typeRef"));
                if (!t) unsupported("input '" + input_label_ + "' typeRef=\"" + attr("typeRef") + "\"");
                table_->inputs.back().type = t.value_or(value_type::text);
            } else if (local == "inputValues") {
                skip_ = depth; // the allowed values: the rules already say what is tested
            } else {
                unsupported("<" + local + "> in an input");
            }
        } else if (parent == "output") {
            if (local != "outputValues" && local != "defaultOutputEntry") unsupported("<" + local + "> in an output");
            if (local == "defaultOutputEntry") unsupported("<defaultOutputEntry>");
        } else if (parent == "rule") {
            if (local != "inputEntry" && local != "outputEntry" && local != "annotationEntry")
                unsupported("<" + local + "> in a rule");
            if (local == "annotationEntry") skip_ = depth;
        } else if (local == "text") {
            text_.clear();
            collecting_ = true;
        } else {
            unsupported("<" + local + "> in a <" + parent + ">");
        }
    }

    void end() {
        if (failure) return;
        const std::size_t depth = path_.size();
        const std::string local = path_.back();
        if (skip_ == depth) skip_ = 0;
        if (skip_ == 0 && in_table_ && local == "text" && collecting_) {
            collecting_ = false;
            const std::string owner = path_[depth - 2];
            const std::string t = trim(text_);
            if (owner == "inputExpression") {
                if (!plain_name(t)) unsupported("input expression '" + t + "' (FEEL beyond a plain input name)");
                table_->inputs.back().name = t;
            } else if (owner == "outputValues") {
                table_->outputs.back().values = values_of(t);
            } else if (owner == "inputEntry") {
                table_->rules.back().inputs.push_back(t.empty() ? "-" : t);
            } else if (owner == "outputEntry") {
                table_->rules.back().outputs.push_back(t);
            }
        }
        if (local == "decisionTable" && depth == 3 && in_table_ && table_) {
            try {
                (void)decision_table::compile(*table_); // refuse what would not run, now
            } catch (const error& e) {
                failure.emplace(e.id(), fmt::format("decision '{}': {}", decision_, e.what()));
                XML_StopParser(parser_, XML_FALSE);
            }
            model.tables.push_back(std::move(*table_));
            table_.reset();
            in_table_ = false;
        }
        path_.pop_back();
    }

    void characters(const XML_Char* s, int len) {
        if (collecting_ && skip_ == 0) text_.append(s, static_cast<std::size_t>(len));
    }

private:
    void fail(const char* id, const std::string& message) {
        if (failure) return;
        failure.emplace(id, fmt::format("{}:{}: {}", XML_GetCurrentLineNumber(parser_),
                                        XML_GetCurrentColumnNumber(parser_) + 1, message));
        XML_StopParser(parser_, XML_FALSE);
    }
    void unsupported(const std::string& what) {
        fail("careflow.dmn.unsupported", "decision '" + decision_ + "': " + what + " is not supported");
    }

    XML_Parser parser_;
    std::vector<std::string> path_;
    std::size_t skip_ = 0; // depth of an element whose subtree is skipped
    std::string decision_, decision_id_, input_label_, text_;
    bool in_table_ = false, collecting_ = false;
    std::optional<decision_table_decl> table_;
};

} // namespace

decision_model read_dmn(std::string_view xml) {
    const std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> parser(
        XML_ParserCreateNS(nullptr, ' '), XML_ParserFree);
    if (!parser) throw error("careflow.dmn.syntax", "out of memory");
    dmn_reader reader(parser.get());
    XML_SetUserData(parser.get(), &reader);
    XML_SetElementHandler(
        parser.get(),
        [](void* r, const XML_Char* name, const XML_Char** attrs) { static_cast<dmn_reader*>(r)->start(name, attrs); },
        [](void* r, const XML_Char*) { static_cast<dmn_reader*>(r)->end(); });
    XML_SetCharacterDataHandler(
        parser.get(), [](void* r, const XML_Char* s, int len) { static_cast<dmn_reader*>(r)->characters(s, len); });
    if (xml.size() > static_cast<std::size_t>(INT32_MAX))
        throw error("careflow.dmn.syntax", "the document is too large");
    const auto status = XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    if (reader.failure) throw *reader.failure;
    if (status != XML_STATUS_OK)
        throw error("careflow.dmn.syntax", fmt::format("{}:{}: {}", XML_GetCurrentLineNumber(parser.get()),
                                                       XML_GetCurrentColumnNumber(parser.get()) + 1,
                                                       XML_ErrorString(XML_GetErrorCode(parser.get()))));
    return std::move(reader.model);
}

} // namespace careflow
