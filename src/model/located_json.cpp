// JSON with positions: nlohmann's SAX parser reads through an iterator that counts the
// bytes it has consumed; each SAX event records where its value began.
#include "located_json.hpp"

#include <iterator>
#include <vector>

namespace careflow::detail {

text_position position_of(std::string_view text, std::size_t offset) noexcept {
    text_position p{1, 1};
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++p.column;
        }
    }
    return p;
}

std::string pointer_append(const std::string& pointer, std::string_view segment) {
    std::string out = pointer;
    out += '/';
    for (char c : segment) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

namespace {

// An input iterator over the text that publishes how many bytes the parser has taken.
struct counting_iterator {
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    const char* p = nullptr;
    const char* base = nullptr;
    std::size_t* consumed = nullptr;

    reference operator*() const { return *p; }
    counting_iterator& operator++() {
        ++p;
        *consumed = static_cast<std::size_t>(p - base);
        return *this;
    }
    counting_iterator operator++(int) {
        counting_iterator old = *this;
        ++*this;
        return old;
    }
    friend bool operator==(const counting_iterator& a, const counting_iterator& b) { return a.p == b.p; }
};

class located_sax {
public:
    using json = nlohmann::json;
    located_sax(std::string_view text, const std::size_t& consumed, located_json& out)
        : text_(text), consumed_(consumed), out_(out) {}

    bool null() { return value(nullptr); }
    bool boolean(bool b) { return value(b); }
    bool number_integer(json::number_integer_t i) { return value(i); }
    bool number_unsigned(json::number_unsigned_t u) { return value(u); }
    bool number_float(json::number_float_t f, const std::string&) { return value(f); }
    bool string(std::string& s) { return value(std::move(s)); }
    bool binary(json::binary_t& b) { return value(std::move(b)); }

    bool start_object(std::size_t) {
        json* at = place(json::object());
        stack_.push_back({at, pointer_, {}, 0});
        mark();
        return true;
    }
    bool key(std::string& k) {
        frame& f = stack_.back();
        f.key = k;
        const std::string member = pointer_append(f.pointer, k);
        if (f.container->contains(k)) out_.duplicate_keys.push_back(member);
        out_.keys[member] = start();
        mark();
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) {
        json* at = place(json::array());
        stack_.push_back({at, pointer_, {}, 0});
        mark();
        return true;
    }
    bool end_array() { return close(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
        error_ = json_syntax_problem{ex.what(), position == 0 ? 0 : position - 1};
        return false;
    }

    std::optional<json_syntax_problem> error_;

private:
    struct frame {
        json* container;
        std::string pointer;
        std::string key;
        std::size_t index;
    };

    // Where the value now beginning starts: past the separators after the last event.
    std::size_t start() const {
        std::size_t i = last_;
        while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r' ||
                                    text_[i] == ':' || text_[i] == ','))
            ++i;
        return i;
    }
    void mark() { last_ = consumed_; }

    // Put a new value in its parent (or as the document); sets pointer_ to its pointer.
    json* place(json v) {
        const std::size_t at = start();
        json* slot = nullptr;
        if (stack_.empty()) {
            pointer_.clear();
            out_.doc = std::move(v);
            slot = &out_.doc;
        } else {
            frame& f = stack_.back();
            if (f.container->is_object()) {
                pointer_ = pointer_append(f.pointer, f.key);
                slot = &((*f.container)[f.key] = std::move(v));
            } else {
                pointer_ = pointer_append(f.pointer, std::to_string(f.index++));
                f.container->push_back(std::move(v));
                slot = &f.container->back();
            }
        }
        out_.values[pointer_] = at;
        return slot;
    }
    bool value(json v) {
        place(std::move(v));
        mark();
        return true;
    }
    bool close() {
        stack_.pop_back();
        mark();
        return true;
    }

    std::string_view text_;
    const std::size_t& consumed_;
    located_json& out_;
    std::vector<frame> stack_;
    std::string pointer_;
    std::size_t last_ = 0;
};

} // namespace

std::optional<json_syntax_problem> parse_located(std::string_view text, located_json& out) {
    std::size_t consumed = 0;
    located_sax sax(text, consumed, out);
    const counting_iterator first{text.data(), text.data(), &consumed};
    const counting_iterator last{text.data() + text.size(), text.data(), &consumed};
    bool ok = false;
    try {
        ok = nlohmann::json::sax_parse(first, last, &sax);
    } catch (const nlohmann::json::exception& ex) {
        return json_syntax_problem{ex.what(), consumed};
    }
    if (sax.error_) return sax.error_;
    if (!ok) return json_syntax_problem{"not JSON", consumed};
    return std::nullopt;
}

} // namespace careflow::detail
