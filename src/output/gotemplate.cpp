#include "output/gotemplate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <vector>

// The parsed template. A named namespace, not an anonymous one: GoTemplate::Tree (declared in the
// header) holds these types, and a unity build would reject anonymous ones there.
namespace kctl::output::go_template {

// The name kubectl's printer gives its template ("template: output:1: ...").
constexpr std::string_view k_template_name = "output";

struct Pipe;

// An operand: what a command is made of.
struct Arg {
  enum class Kind { field, variable, dot, nil, boolean, number, string, identifier, pipe, chain };
  Kind kind = Kind::dot;
  std::string name;                // variable ("$x"), function, or a string constant's value
  std::vector<std::string> fields; // .a.b of a field, a variable or a chain
  Json constant;                   // boolean and number constants
  bool go_int = false;             // an untyped integer constant, which Go makes an `int`
  std::shared_ptr<Pipe> pipe;      // a parenthesised pipeline; the operand of a chain
  std::size_t pos = 0;             // where errors point: the last field of a chain, as Go does
  std::string source;              // as written, for "at <...>" in errors
};

struct Command {
  std::vector<Arg> args;
  std::size_t pos = 0;
  std::string source;
};

struct Pipe {
  std::vector<std::string> decl; // $x := ..., or $i, $e := ... in a range
  bool assign = false;           // $x = ... rather than :=
  std::vector<Command> commands;
  std::size_t pos = 0;
  std::string source;
};

struct Node;
using List = std::vector<Node>;

struct Node {
  enum class Kind { text, action, if_, range, with, template_call, break_, continue_ };
  Kind kind = Kind::text;
  std::string text; // text, or the called template's name
  std::optional<Pipe> pipe;
  List list;
  List else_list;
  std::size_t pos = 0;
  std::string source; // as written, for errors
};

} // namespace kctl::output::go_template

namespace kctl::output {

struct GoTemplate::Tree {
  std::string text; // the template, for error positions
  std::map<std::string, go_template::List, std::less<>> templates; // "output" and each define
};

namespace {

using go_template::Arg;
using go_template::Command;
using go_template::k_template_name;
using go_template::List;
using go_template::Node;
using go_template::Pipe;

// ---------------------------------------------------------------------------------------------
// Lexing: the template as a flat list of items, as Go's lexer produces them.

enum class ItemType {
  text,
  left_delim,
  right_delim,
  space,
  field,
  variable,
  identifier,
  keyword,
  dot,
  string,
  raw_string,
  char_constant,
  number,
  boolean,
  nil,
  left_paren,
  right_paren,
  pipe,
  character, // any other printable character (a comma), rejected by the parser where wrong
  declare,
  assign,
  eof,
};

struct Item {
  ItemType type = ItemType::eof;
  std::string value;
  std::size_t pos = 0;
};

bool
is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool
is_alphanumeric(char c) {
  // Bytes of multi-byte UTF-8 letters count too: Go's identifiers may be any Unicode letter.
  return c == '_' || std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool
is_keyword(std::string_view word) {
  static constexpr std::array<std::string_view, 10> keywords = {
      "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"};
  return std::find(keywords.begin(), keywords.end(), word) != keywords.end();
}

// The 1-based line of byte `pos` of `text`.
std::size_t
line_of(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
}

Error
parse_error(std::string_view text, std::size_t pos, std::string_view message) {
  return Error{fmt::format("template: {}:{}: {}", k_template_name, line_of(text, pos), message),
               std::string(k_reason_usage),
               0};
}

class Lexer {
public:
  explicit Lexer(std::string_view text) : m_text(text) {}

  Result<std::vector<Item>> run() {
    while (m_pos < m_text.size()) {
      KCTL_TRY(lex_text());
    }
    m_items.push_back({ItemType::eof, "", m_text.size()});
    return std::move(m_items);
  }

private:
  std::unexpected<Error> fail_at(std::size_t pos, std::string_view message) const {
    return std::unexpected(parse_error(m_text, pos, message));
  }

  bool at(std::size_t pos, std::string_view prefix) const {
    return m_text.substr(std::min(pos, m_text.size())).starts_with(prefix);
  }

  // " -}}" (a space, then the marker) at `pos`.
  bool right_trim_at(std::size_t pos) const {
    return pos + 1 < m_text.size() && is_space(m_text[pos]) && m_text[pos + 1] == '-' &&
           at(pos + 2, "}}");
  }

  void skip_leading_space() {
    while (m_pos < m_text.size() && is_space(m_text[m_pos])) {
      ++m_pos;
    }
  }

  Status lex_text() {
    std::size_t open = m_text.find("{{", m_pos);
    std::size_t end = open == std::string_view::npos ? m_text.size() : open;
    bool trim_left = open != std::string_view::npos && open + 3 < m_text.size() &&
                     m_text[open + 2] == '-' && is_space(m_text[open + 3]);
    std::string_view text = m_text.substr(m_pos, end - m_pos);
    if (trim_left) {
      while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
      }
    }
    if (!text.empty()) {
      m_items.push_back({ItemType::text, std::string(text), m_pos});
    }
    if (open == std::string_view::npos) {
      m_pos = m_text.size();
      return {};
    }
    m_pos = open + 2 + (trim_left ? 2 : 0);
    if (at(m_pos, "/*")) {
      return lex_comment(open);
    }
    m_items.push_back({ItemType::left_delim, "{{", open});
    return lex_action();
  }

  Status lex_comment(std::size_t open) {
    std::size_t close = m_text.find("*/", m_pos + 2);
    if (close == std::string_view::npos) {
      return fail_at(open, "unclosed comment");
    }
    m_pos = close + 2;
    if (right_trim_at(m_pos)) {
      m_pos += 4;
      skip_leading_space();
      return {};
    }
    if (!at(m_pos, "}}")) {
      return fail_at(open, "comment ends before closing delimiter");
    }
    m_pos += 2;
    return {};
  }

  Status lex_action() {
    int parens = 0;
    while (true) {
      if (m_pos >= m_text.size()) {
        return fail_at(m_pos, "unclosed action");
      }
      bool trim = right_trim_at(m_pos);
      if (trim || at(m_pos, "}}")) {
        if (parens > 0) {
          return fail_at(m_pos, "unclosed left paren");
        }
        m_items.push_back({ItemType::right_delim, "}}", m_pos});
        m_pos += trim ? 4 : 2;
        if (trim) {
          skip_leading_space();
        }
        return {};
      }
      KCTL_TRY(lex_token(parens));
    }
  }

  Status lex_token(int& parens) {
    std::size_t start = m_pos;
    char c = m_text[m_pos];
    char next = m_pos + 1 < m_text.size() ? m_text[m_pos + 1] : '\0';
    if (is_space(c)) {
      while (m_pos < m_text.size() && is_space(m_text[m_pos]) && !right_trim_at(m_pos)) {
        ++m_pos;
      }
      return emit(ItemType::space, start);
    }
    switch (c) {
    case '=':
      ++m_pos;
      return emit(ItemType::assign, start);
    case ':':
      if (next != '=') {
        return fail_at(start, "expected :=");
      }
      m_pos += 2;
      return emit(ItemType::declare, start);
    case '|':
      ++m_pos;
      return emit(ItemType::pipe, start);
    case '"':
      return lex_quote(start);
    case '`':
      return lex_raw_quote(start);
    case '\'':
      return lex_char(start);
    case '$':
      ++m_pos;
      return lex_word(start, ItemType::variable);
    case '(':
      ++m_pos;
      ++parens;
      if (static_cast<std::size_t>(parens) > k_max_go_template_nesting) {
        return fail_at(
            start,
            fmt::format("nesting too deep (more than {} levels)", k_max_go_template_nesting));
      }
      return emit(ItemType::left_paren, start);
    case ')':
      ++m_pos;
      if (--parens < 0) {
        return fail_at(start, "unexpected right paren");
      }
      return emit(ItemType::right_paren, start);
    case '.':
      if (std::isdigit(static_cast<unsigned char>(next)) != 0) {
        return lex_number(start);
      }
      ++m_pos;
      if (!is_alphanumeric(next)) {
        return emit(ItemType::dot, start);
      }
      return lex_word(start, ItemType::field);
    default:
      break;
    }
    if (c == '+' || c == '-' || std::isdigit(static_cast<unsigned char>(c)) != 0) {
      return lex_number(start);
    }
    if (is_alphanumeric(c)) {
      return lex_word(start, ItemType::identifier);
    }
    if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) {
      ++m_pos;
      return emit(ItemType::character, start);
    }
    return fail_at(
        start,
        fmt::format("unrecognized character in action: U+{:04X}", static_cast<unsigned char>(c)));
  }

  Status emit(ItemType type, std::size_t start) {
    m_items.push_back({type, std::string(m_text.substr(start, m_pos - start)), start});
    return {};
  }

  // A field, variable or identifier must end where an operand may end.
  bool at_terminator() const {
    if (m_pos >= m_text.size()) {
      return true;
    }
    char c = m_text[m_pos];
    return is_space(c) || c == '.' || c == ',' || c == '|' || c == ':' || c == ')' || c == '(' ||
           c == '=' || at(m_pos, "}}");
  }

  Status lex_word(std::size_t start, ItemType type) {
    while (m_pos < m_text.size() && is_alphanumeric(m_text[m_pos])) {
      ++m_pos;
    }
    if (!at_terminator()) {
      return fail_at(start,
                     fmt::format("bad character U+{:04X} '{}'",
                                 static_cast<unsigned char>(m_text[m_pos]),
                                 m_text[m_pos]));
    }
    std::string word(m_text.substr(start, m_pos - start));
    if (type == ItemType::identifier) {
      if (word == "true" || word == "false") {
        type = ItemType::boolean;
      } else if (word == "nil") {
        type = ItemType::nil;
      } else if (is_keyword(word)) {
        type = ItemType::keyword;
      }
    }
    m_items.push_back({type, std::move(word), start});
    return {};
  }

  // Accepts characters of `digits` (and '_' separators); whether there was any.
  bool accept_run(std::string_view digits) {
    std::size_t from = m_pos;
    while (m_pos < m_text.size() &&
           (digits.find(m_text[m_pos]) != std::string_view::npos || m_text[m_pos] == '_')) {
      ++m_pos;
    }
    return m_pos > from;
  }

  bool accept_one(std::string_view chars) {
    if (m_pos < m_text.size() && chars.find(m_text[m_pos]) != std::string_view::npos) {
      ++m_pos;
      return true;
    }
    return false;
  }

  // A number as Go's lexer scans it: a sign, a 0x/0o/0b prefix, digits of that base, a fraction,
  // an exponent, an imaginary 'i'; a letter right after it is bad syntax. Its value is read by
  // the parser.
  Status lex_number(std::size_t start) {
    accept_one("+-");
    std::string_view digits = "0123456789";
    std::string_view exponent = "eE";
    if (accept_one("0")) {
      if (accept_one("xX")) {
        digits = "0123456789abcdefABCDEF";
        exponent = "pP";
      } else if (accept_one("oO")) {
        digits = "01234567";
      } else if (accept_one("bB")) {
        digits = "01";
      }
    }
    accept_run(digits);
    if (accept_one(".")) {
      accept_run(digits);
    }
    if (!exponent.empty() && accept_one(exponent)) {
      accept_one("+-");
      accept_run("0123456789");
    }
    accept_one("i");
    if (m_pos < m_text.size() && is_alphanumeric(m_text[m_pos])) {
      while (m_pos < m_text.size() && is_alphanumeric(m_text[m_pos])) {
        ++m_pos;
      }
      return fail_at(start,
                     fmt::format("bad number syntax: \"{}\"", m_text.substr(start, m_pos - start)));
    }
    return emit(ItemType::number, start);
  }

  Status lex_quote(std::size_t start) {
    ++m_pos;
    while (true) {
      if (m_pos >= m_text.size() || m_text[m_pos] == '\n') {
        return fail_at(start, "unterminated quoted string");
      }
      char c = m_text[m_pos++];
      if (c == '\\' && m_pos < m_text.size() && m_text[m_pos] != '\n') {
        ++m_pos;
      } else if (c == '"') {
        return emit(ItemType::string, start);
      }
    }
  }

  Status lex_raw_quote(std::size_t start) {
    std::size_t close = m_text.find('`', m_pos + 1);
    if (close == std::string_view::npos) {
      return fail_at(start, "unterminated raw quoted string");
    }
    m_pos = close + 1;
    return emit(ItemType::raw_string, start);
  }

  Status lex_char(std::size_t start) {
    ++m_pos;
    while (true) {
      if (m_pos >= m_text.size() || m_text[m_pos] == '\n') {
        return fail_at(start, "unterminated character constant");
      }
      char c = m_text[m_pos++];
      if (c == '\\' && m_pos < m_text.size() && m_text[m_pos] != '\n') {
        ++m_pos;
      } else if (c == '\'') {
        return emit(ItemType::char_constant, start);
      }
    }
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
  std::vector<Item> m_items;
};

// ---------------------------------------------------------------------------------------------
// Go's quoted strings and character constants.

void
append_utf8(std::string& out, std::uint32_t rune) {
  if (rune > 0x10FFFF || (rune >= 0xD800 && rune <= 0xDFFF)) {
    rune = 0xFFFD;
  }
  if (rune < 0x80) {
    out += static_cast<char>(rune);
  } else if (rune < 0x800) {
    out += static_cast<char>(0xC0 | (rune >> 6));
    out += static_cast<char>(0x80 | (rune & 0x3F));
  } else if (rune < 0x10000) {
    out += static_cast<char>(0xE0 | (rune >> 12));
    out += static_cast<char>(0x80 | ((rune >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (rune & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (rune >> 18));
    out += static_cast<char>(0x80 | ((rune >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((rune >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (rune & 0x3F));
  }
}

// Decodes one UTF-8 rune at `i` (advanced past it); an invalid byte is U+FFFD of length 1.
std::uint32_t
decode_utf8(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead < 0x80         ? 1
                       : (lead >> 5) == 6  ? 2
                       : (lead >> 4) == 14 ? 3
                       : (lead >> 3) == 30 ? 4
                                           : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return lead < 0x80 ? lead : 0xFFFD;
  }
  std::uint32_t rune = length == 1 ? lead : static_cast<std::uint32_t>(lead) & (0x7Fu >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    rune = (rune << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  return rune;
}

// The value of a Go escape sequence starting after the backslash at `i`; advances `i`.
std::optional<std::uint32_t>
unescape_one(std::string_view body, std::size_t& i, char quote, bool& is_byte) {
  auto hex_digits = [&](std::size_t count) -> std::optional<std::uint32_t> {
    if (i + count > body.size()) {
      return std::nullopt;
    }
    std::uint32_t value = 0;
    auto [end, error] = std::from_chars(body.data() + i, body.data() + i + count, value, 16);
    if (error != std::errc() || end != body.data() + i + count) {
      return std::nullopt;
    }
    i += count;
    return value;
  };
  is_byte = false;
  char c = body[i++];
  switch (c) {
  case 'a':
    return 7;
  case 'b':
    return 8;
  case 'f':
    return 12;
  case 'n':
    return 10;
  case 'r':
    return 13;
  case 't':
    return 9;
  case 'v':
    return 11;
  case '\\':
    return '\\';
  case 'x':
    is_byte = true;
    return hex_digits(2);
  case 'u':
    return hex_digits(4);
  case 'U':
    return hex_digits(8);
  default:
    break;
  }
  if (c == quote) {
    return static_cast<std::uint32_t>(c);
  }
  if (c >= '0' && c <= '7' && i + 2 <= body.size()) {
    std::uint32_t value = 0;
    auto [end, error] = std::from_chars(body.data() + i - 1, body.data() + i + 2, value, 8);
    if (error == std::errc() && end == body.data() + i + 2 && value < 256) {
      i += 2;
      is_byte = true;
      return value;
    }
  }
  return std::nullopt;
}

// The text of a "..." or `...` literal, as Go's strconv.Unquote reads it.
std::optional<std::string>
unquote_string(std::string_view literal) {
  std::string_view body = literal.substr(1, literal.size() - 2);
  if (literal.front() == '`') {
    std::string out;
    for (char c : body) {
      if (c != '\r') { // Go drops carriage returns from raw strings
        out += c;
      }
    }
    return out;
  }
  std::string out;
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] != '\\') {
      out += body[i++];
      continue;
    }
    ++i;
    bool is_byte = false;
    auto value = unescape_one(body, i, '"', is_byte);
    if (!value) {
      return std::nullopt;
    }
    if (is_byte) {
      out += static_cast<char>(*value);
    } else {
      append_utf8(out, *value);
    }
  }
  return out;
}

// The rune of a 'x' constant.
std::optional<std::int64_t>
unquote_char(std::string_view literal) {
  std::string_view body = literal.substr(1, literal.size() - 2);
  if (body.empty()) {
    return std::nullopt;
  }
  std::size_t i = 0;
  std::uint32_t rune = 0;
  if (body[0] == '\\') {
    i = 1;
    bool is_byte = false;
    auto value = unescape_one(body, i, '\'', is_byte);
    if (!value) {
      return std::nullopt;
    }
    rune = *value;
  } else {
    rune = decode_utf8(body, i);
  }
  if (i != body.size()) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(rune);
}

// A number constant as Go's parser reads it: integers (decimal, 0x, 0o, 0b, a leading-0 octal,
// with '_' separators) are `int`, anything with a '.', an exponent or beyond int64 a float64.
std::optional<Json>
number_constant(std::string_view text, bool& go_int) {
  std::string digits;
  for (char c : text) {
    if (c != '_') {
      digits += c;
    }
  }
  bool negative = !digits.empty() && digits[0] == '-';
  std::string_view body = digits;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    body.remove_prefix(1);
  }
  int base = 10;
  if (body.size() > 1 && body[0] == '0') {
    char prefix = static_cast<char>(std::tolower(static_cast<unsigned char>(body[1])));
    base = prefix == 'x' ? 16 : prefix == 'o' ? 8 : prefix == 'b' ? 2 : 8;
    body.remove_prefix(prefix == 'x' || prefix == 'o' || prefix == 'b' ? 2 : 1);
  }
  bool has_float_mark = base == 10 && body.find_first_of(".eE") != std::string_view::npos;
  std::uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), magnitude, base);
  if (!has_float_mark && !body.empty() && error == std::errc() &&
      end == body.data() + body.size()) {
    if (magnitude <=
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0)) {
      go_int = true;
      return Json(negative ? static_cast<std::int64_t>(0 - magnitude)
                           : static_cast<std::int64_t>(magnitude));
    }
  }
  if (base != 10 && !(base == 8 && text.find_first_of(".eE") != std::string_view::npos)) {
    return std::nullopt;
  }
  std::string_view float_text = digits;
  if (!float_text.empty() && float_text[0] == '+') {
    float_text.remove_prefix(1);
  }
  double value = 0;
  auto [fend, ferror] =
      std::from_chars(float_text.data(), float_text.data() + float_text.size(), value);
  if (ferror != std::errc() || fend != float_text.data() + float_text.size()) {
    return std::nullopt;
  }
  go_int = false;
  return Json(value);
}

// ---------------------------------------------------------------------------------------------
// Parsing: items into trees, with Go's checks (functions and variables known, break only in a
// range, pipeline stages executable).

std::string go_quote(std::string_view text, char quote);

bool
is_builtin_function(std::string_view name) {
  static constexpr std::array<std::string_view, 20> functions = {
      "and", "or", "not", "len", "index", "slice", "print", "printf",   "println", "eq",
      "ne",  "lt", "le",  "gt",  "ge",    "html",  "js",    "urlquery", "exists",  "base64decode"};
  return std::find(functions.begin(), functions.end(), name) != functions.end();
}

// How Go's parser names an unexpected item: keywords in <>, text quoted and cut at 10 chars.
std::string
describe(const Item& item) {
  switch (item.type) {
  case ItemType::eof:
    return "EOF";
  case ItemType::keyword:
    return fmt::format("<{}>", item.value);
  case ItemType::left_delim:
  case ItemType::right_delim:
  case ItemType::space:
    return fmt::format("\"{}\"", item.value == "\n" ? "\\n" : item.value);
  default:
    break;
  }
  if (item.value.size() > 10) {
    return fmt::format("\"{}\"...", item.value.substr(0, 10));
  }
  return fmt::format("\"{}\"", item.value);
}

class Parser {
public:
  Parser(std::string_view text, std::vector<Item> items, GoTemplate::Tree& tree)
      : m_text(text), m_items(std::move(items)), m_tree(tree) {}

  Status run() {
    List root;
    while (peek().type != ItemType::eof) {
      if (peek().type == ItemType::left_delim) {
        std::size_t mark = m_at;
        next();
        if (next_non_space().type == ItemType::keyword && current().value == "define") {
          KCTL_TRY(parse_define());
          continue;
        }
        m_at = mark;
      }
      KCTL_TRY_ASSIGN(std::optional<Node> node, text_or_action());
      if (!node) {
        return fail(fmt::format("unexpected {}", m_end_or_else));
      }
      root.push_back(std::move(*node));
    }
    return add_template(std::string(k_template_name), std::move(root));
  }

private:
  const Item& peek() const { return m_items[std::min(m_at, m_items.size() - 1)]; }
  const Item& current() const { return m_items[std::min(m_at - 1, m_items.size() - 1)]; }
  const Item& next() {
    const Item& item = peek();
    if (m_at < m_items.size()) {
      ++m_at;
    }
    return item;
  }
  const Item& next_non_space() {
    while (peek().type == ItemType::space) {
      next();
    }
    return next();
  }
  const Item& peek_non_space() {
    while (peek().type == ItemType::space) {
      next();
    }
    return peek();
  }

  std::unexpected<Error> fail(std::string_view message) const {
    return std::unexpected(parse_error(m_text, current().pos, message));
  }

  std::unexpected<Error> unexpected(const Item& item, std::string_view context) const {
    return fail(fmt::format("unexpected {} in {}", describe(item), context));
  }

  Status expect(ItemType type, std::string_view context) {
    const Item& item = next_non_space();
    if (item.type != type) {
      return unexpected(item, context);
    }
    return {};
  }

  Status enter() {
    if (++m_depth > k_max_go_template_nesting) {
      return fail(fmt::format("nesting too deep (more than {} levels)", k_max_go_template_nesting));
    }
    return {};
  }

  Status add_template(std::string name, List list) {
    auto existing = m_tree.templates.find(name);
    if (existing != m_tree.templates.end() && !existing->second.empty() && !list.empty()) {
      return fail(fmt::format("template: multiple definition of template \"{}\"", name));
    }
    if (existing == m_tree.templates.end() || existing->second.empty()) {
      m_tree.templates[name] = std::move(list);
    }
    return {};
  }

  Result<std::string> template_name(std::string_view context) {
    const Item& item = next_non_space();
    if (item.type != ItemType::string && item.type != ItemType::raw_string) {
      return unexpected(item, context);
    }
    auto name = unquote_string(item.value);
    if (!name) {
      return fail(fmt::format("invalid syntax: {}", item.value));
    }
    return *name;
  }

  // The body of a define or block: its own variables ($ only), ended by {{end}}.
  Result<List> parse_body(std::string_view context) {
    std::vector<std::string> saved_vars = std::exchange(m_vars, {"$"});
    int saved_range_depth = std::exchange(m_range_depth, 0);
    KCTL_TRY(enter());
    KCTL_TRY_ASSIGN(auto listed, item_list());
    --m_depth;
    m_vars = std::move(saved_vars);
    m_range_depth = saved_range_depth;
    if (listed.second != "{{end}}") {
      return fail(fmt::format("unexpected {} in {}", listed.second, context));
    }
    return std::move(listed.first);
  }

  Status parse_define() {
    KCTL_TRY_ASSIGN(std::string name, template_name("define clause"));
    KCTL_TRY(expect(ItemType::right_delim, "define clause"));
    KCTL_TRY_ASSIGN(List body, parse_body("define clause"));
    return add_template(std::move(name), std::move(body));
  }

  // Nodes until {{end}} or {{else}}; the list and which of the two ("{{end}}", "{{else}}").
  Result<std::pair<List, std::string>> item_list() {
    List list;
    while (peek_non_space().type != ItemType::eof) {
      KCTL_TRY_ASSIGN(std::optional<Node> node, text_or_action());
      if (!node) {
        return std::pair{std::move(list), m_end_or_else};
      }
      list.push_back(std::move(*node));
    }
    return fail("unexpected EOF");
  }

  // A node; nullopt for {{end}} and {{else}} (which one: m_end_or_else).
  Result<std::optional<Node>> text_or_action() {
    const Item& item = next_non_space();
    if (item.type == ItemType::text) {
      Node node;
      node.kind = Node::Kind::text;
      node.text = item.value;
      node.pos = item.pos;
      return std::optional(std::move(node));
    }
    if (item.type == ItemType::left_delim) {
      return action();
    }
    return unexpected(item, "input");
  }

  Result<std::optional<Node>> action() {
    const Item& item = next_non_space();
    std::size_t pos = item.pos;
    if (item.type == ItemType::keyword) {
      const std::string& word = item.value;
      if (word == "end" || word == "else") {
        return end_or_else(word);
      }
      if (word == "if" || word == "range" || word == "with") {
        return control(word);
      }
      if (word == "template" || word == "block") {
        return template_call(word);
      }
      if (word == "break" || word == "continue") {
        return loop_control(word, pos);
      }
    }
    --m_at;
    Node node;
    node.kind = Node::Kind::action;
    node.pos = pos;
    KCTL_TRY_ASSIGN(node.pipe, pipeline("command", ItemType::right_delim));
    node.source = "{{" + node.pipe->source + "}}";
    return std::optional(std::move(node));
  }

  Result<std::optional<Node>> end_or_else(const std::string& word) {
    if (word == "else") {
      // "{{else if ...}}" and "{{else with ...}}" leave the if/with for the enclosing control.
      const Item& following = peek_non_space();
      if (following.type == ItemType::keyword &&
          (following.value == "if" || following.value == "with")) {
        m_end_or_else = "{{else}}";
        m_else_chain = true;
        return std::optional<Node>{};
      }
    }
    KCTL_TRY(expect(ItemType::right_delim, word));
    m_end_or_else = "{{" + word + "}}";
    m_else_chain = false;
    return std::optional<Node>{};
  }

  Result<std::optional<Node>> loop_control(const std::string& word, std::size_t pos) {
    KCTL_TRY(expect(ItemType::right_delim, word));
    if (m_range_depth == 0) {
      return fail(fmt::format("{{{{{}}}}} outside {{{{range}}}}", word));
    }
    Node node;
    node.kind = word == "break" ? Node::Kind::break_ : Node::Kind::continue_;
    node.pos = pos;
    return std::optional(std::move(node));
  }

  Result<std::optional<Node>> template_call(const std::string& word) {
    std::string context = word == "block" ? "block clause" : "template clause";
    Node node;
    node.kind = Node::Kind::template_call;
    KCTL_TRY_ASSIGN(node.text, template_name(context));
    node.pos = current().pos; // Go points at the name
    if (word == "block") {
      KCTL_TRY_ASSIGN(node.pipe, pipeline(context, ItemType::right_delim));
      KCTL_TRY_ASSIGN(List body, parse_body(context));
      KCTL_TRY(add_template(node.text, std::move(body)));
    } else if (next_non_space().type != ItemType::right_delim) {
      --m_at;
      KCTL_TRY_ASSIGN(node.pipe, pipeline(context, ItemType::right_delim));
    }
    node.source = fmt::format("{{{{template \"{}\"{}}}}}",
                              node.text,
                              node.pipe ? " " + node.pipe->source : std::string());
    return std::optional(std::move(node));
  }

  // if, range and with: a pipeline, a list, maybe an else list, {{end}}; variables declared in
  // them end with them.
  Result<std::optional<Node>> control(const std::string& word) {
    std::size_t vars = m_vars.size();
    KCTL_TRY(enter());
    Node node;
    node.kind = word == "if"      ? Node::Kind::if_
                : word == "range" ? Node::Kind::range
                                  : Node::Kind::with;
    node.pos = current().pos;
    KCTL_TRY_ASSIGN(node.pipe, pipeline(word, ItemType::right_delim));
    node.source = fmt::format("{{{{{} {}}}}}", word, node.pipe->source);
    m_range_depth += word == "range" ? 1 : 0;
    KCTL_TRY_ASSIGN(auto listed, item_list());
    m_range_depth -= word == "range" ? 1 : 0;
    node.list = std::move(listed.first);
    if (listed.second == "{{else}}") {
      KCTL_TRY(else_part(word, node));
    }
    m_vars.resize(vars);
    --m_depth;
    return std::optional(std::move(node));
  }

  Status else_part(const std::string& word, Node& node) {
    if (m_else_chain) {
      m_else_chain = false;
      const Item& chained = next_non_space();
      if (chained.value != word || word == "range") {
        return unexpected(chained, "input");
      }
      KCTL_TRY_ASSIGN(std::optional<Node> inner, control(word));
      node.else_list.push_back(std::move(*inner));
      return {};
    }
    KCTL_TRY_ASSIGN(auto listed, item_list());
    if (listed.second != "{{end}}") {
      return fail(fmt::format("expected end; found {}", listed.second));
    }
    node.else_list = std::move(listed.first);
    return {};
  }

  // Declarations ("$x :=", "$x =", "$i, $e :=" in a range), then commands separated by '|'.
  Status declarations(const std::string& context, Pipe& pipe) {
    while (peek_non_space().type == ItemType::variable) {
      std::size_t mark = m_at;
      const Item& variable = next();
      const Item& after = peek_non_space();
      if (after.type == ItemType::assign || after.type == ItemType::declare) {
        pipe.assign = after.type == ItemType::assign;
        next();
        pipe.decl.push_back(variable.value);
        m_vars.push_back(variable.value);
        return {};
      }
      if (after.type == ItemType::character && after.value == ",") {
        next();
        pipe.decl.push_back(variable.value);
        m_vars.push_back(variable.value);
        if (context == "range" && pipe.decl.size() < 2) {
          ItemType following = peek_non_space().type;
          if (following == ItemType::variable || following == ItemType::right_delim ||
              following == ItemType::right_paren) {
            continue;
          }
          return fail("range can only initialize variables");
        }
        return fail(fmt::format("too many declarations in {}", context));
      }
      m_at = mark;
      return {};
    }
    return {};
  }

  Result<Pipe> pipeline(const std::string& context, ItemType end) {
    Pipe pipe;
    pipe.pos = peek_non_space().pos;
    KCTL_TRY(declarations(context, pipe));
    std::size_t source_start = peek_non_space().pos;
    while (true) {
      const Item& item = next_non_space();
      if (item.type == end) {
        pipe.source = fmt::format("{}{}",
                                  pipe.decl.empty() ? "" : declared_text(pipe),
                                  trim_source(source_start, item.pos));
        KCTL_TRY(check_pipeline(pipe, context));
        return pipe;
      }
      switch (item.type) {
      case ItemType::boolean:
      case ItemType::char_constant:
      case ItemType::dot:
      case ItemType::field:
      case ItemType::identifier:
      case ItemType::number:
      case ItemType::nil:
      case ItemType::raw_string:
      case ItemType::string:
      case ItemType::variable:
      case ItemType::left_paren: {
        --m_at;
        KCTL_TRY_ASSIGN(Command command, parse_command());
        pipe.commands.push_back(std::move(command));
        break;
      }
      default:
        return unexpected(item, context);
      }
    }
  }

  static std::string declared_text(const Pipe& pipe) {
    std::string text;
    for (const auto& name : pipe.decl) {
      text += (text.empty() ? "" : ", ") + name;
    }
    return text + (pipe.assign ? " = " : " := ");
  }

  std::string trim_source(std::size_t from, std::size_t to) const {
    std::string_view text = m_text.substr(from, to > from ? to - from : 0);
    while (!text.empty() && is_space(text.back())) {
      text.remove_suffix(1);
    }
    return std::string(text);
  }

  Status check_pipeline(const Pipe& pipe, const std::string& context) const {
    if (pipe.commands.empty()) {
      return fail(fmt::format("missing value for {}", context));
    }
    for (std::size_t i = 1; i < pipe.commands.size(); ++i) {
      Arg::Kind kind = pipe.commands[i].args.front().kind;
      if (kind == Arg::Kind::boolean || kind == Arg::Kind::dot || kind == Arg::Kind::nil ||
          kind == Arg::Kind::number || kind == Arg::Kind::string) {
        return fail(fmt::format("non executable command in pipeline stage {}", i + 1));
      }
    }
    return {};
  }

  Result<Command> parse_command() {
    Command command;
    command.pos = peek_non_space().pos;
    while (true) {
      peek_non_space();
      KCTL_TRY_ASSIGN(std::optional<Arg> arg, operand());
      if (arg) {
        command.args.push_back(std::move(*arg));
      }
      const Item& item = next();
      if (item.type == ItemType::space) {
        continue;
      }
      if (item.type == ItemType::right_delim || item.type == ItemType::right_paren) {
        --m_at;
      } else if (item.type != ItemType::pipe) {
        return unexpected(item, "operand");
      }
      break;
    }
    if (command.args.empty()) {
      return fail("empty command");
    }
    command.source =
        trim_source(command.pos, current().type == ItemType::pipe ? current().pos : peek().pos);
    return command;
  }

  // A term followed by .field.chain, merged into the term where Go merges it.
  Result<std::optional<Arg>> operand() {
    std::size_t start = peek().pos;
    KCTL_TRY_ASSIGN(std::optional<Arg> arg, term());
    if (!arg || peek().type != ItemType::field) {
      return arg;
    }
    std::vector<std::string> fields;
    std::size_t last = start;
    while (peek().type == ItemType::field) {
      last = peek().pos;
      fields.push_back(next().value.substr(1));
    }
    std::string source = trim_source(start, peek().pos);
    switch (arg->kind) {
    case Arg::Kind::field:
    case Arg::Kind::variable:
      arg->fields.insert(arg->fields.end(), fields.begin(), fields.end());
      arg->pos = last;
      arg->source = source;
      return arg;
    case Arg::Kind::boolean:
    case Arg::Kind::string:
    case Arg::Kind::number:
    case Arg::Kind::nil:
    case Arg::Kind::dot:
      return fail(fmt::format("unexpected . after term {}", go_quote(arg->source, '"')));
    default:
      break;
    }
    Arg chain;
    chain.kind = Arg::Kind::chain;
    chain.fields = std::move(fields);
    chain.pipe = std::make_shared<Pipe>();
    Command inner;
    inner.args.push_back(std::move(*arg));
    inner.source = inner.args.front().source;
    chain.pipe->commands.push_back(std::move(inner));
    chain.pos = last;
    chain.source = source;
    return std::optional(std::move(chain));
  }

  Result<std::optional<Arg>> term() {
    const Item& item = next_non_space();
    Arg arg;
    arg.pos = item.pos;
    arg.source = item.value;
    switch (item.type) {
    case ItemType::identifier:
      if (!is_builtin_function(item.value)) {
        return fail(fmt::format("function \"{}\" not defined", item.value));
      }
      arg.kind = Arg::Kind::identifier;
      arg.name = item.value;
      return std::optional(std::move(arg));
    case ItemType::dot:
      arg.kind = Arg::Kind::dot;
      return std::optional(std::move(arg));
    case ItemType::nil:
      arg.kind = Arg::Kind::nil;
      return std::optional(std::move(arg));
    case ItemType::variable:
      if (std::find(m_vars.begin(), m_vars.end(), item.value) == m_vars.end()) {
        return fail(fmt::format("undefined variable \"{}\"", item.value));
      }
      arg.kind = Arg::Kind::variable;
      arg.name = item.value;
      return std::optional(std::move(arg));
    case ItemType::field:
      arg.kind = Arg::Kind::field;
      arg.fields.push_back(item.value.substr(1));
      return std::optional(std::move(arg));
    case ItemType::boolean:
      arg.kind = Arg::Kind::boolean;
      arg.constant = item.value == "true";
      return std::optional(std::move(arg));
    case ItemType::char_constant:
    case ItemType::number:
      return number_term(item, std::move(arg));
    case ItemType::left_paren:
      return paren_term(item);
    case ItemType::string:
    case ItemType::raw_string: {
      auto text = unquote_string(item.value);
      if (!text) {
        return fail(fmt::format("invalid syntax: {}", item.value));
      }
      arg.kind = Arg::Kind::string;
      arg.constant = *text;
      arg.name = std::move(*text);
      return std::optional(std::move(arg));
    }
    default:
      --m_at;
      return std::optional<Arg>{};
    }
  }

  Result<std::optional<Arg>> number_term(const Item& item, Arg arg) {
    arg.kind = Arg::Kind::number;
    if (item.type == ItemType::char_constant) {
      auto rune = unquote_char(item.value);
      if (!rune) {
        return fail(fmt::format("malformed character constant: {}", item.value));
      }
      arg.constant = *rune;
      arg.go_int = true;
      return std::optional(std::move(arg));
    }
    auto value = number_constant(item.value, arg.go_int);
    if (!value) {
      return fail(fmt::format("illegal number syntax: \"{}\"", item.value));
    }
    arg.constant = std::move(*value);
    return std::optional(std::move(arg));
  }

  Result<std::optional<Arg>> paren_term(const Item& item) {
    std::size_t start = item.pos;
    KCTL_TRY(enter());
    Arg arg;
    arg.kind = Arg::Kind::pipe;
    arg.pos = start;
    KCTL_TRY_ASSIGN(Pipe inner, pipeline("parenthesized pipeline", ItemType::right_paren));
    --m_depth;
    arg.pipe = std::make_shared<Pipe>(std::move(inner));
    arg.source = trim_source(start, current().pos + 1);
    return std::optional(std::move(arg));
  }

  std::string_view m_text;
  std::vector<Item> m_items;
  GoTemplate::Tree& m_tree;
  std::size_t m_at = 0;
  std::vector<std::string> m_vars = {"$"};
  int m_range_depth = 0;
  std::size_t m_depth = 0;
  std::string m_end_or_else;
  bool m_else_chain = false;
};

// ---------------------------------------------------------------------------------------------
// Values: the JSON data as Go's interface{} values (kubectl decodes integers as int64 and other
// numbers as float64), plus Go's "invalid" value (a missing key) and the constants' `int`.

struct Value {
  std::shared_ptr<const Json> owner; // set when the value was computed, not found in the data
  const Json* json = nullptr;        // nullptr: Go's invalid value, printed "<no value>"
  bool go_int = false;               // an `int` (constants, len, indexes) rather than an int64
  bool boxed = false;                // an element of a map or array: an interface{} (errors say so)

  bool valid() const { return json != nullptr; }
  bool is_nil() const { return json != nullptr && json->is_null(); }
};

const Json&
null_json() {
  static const Json null;
  return null;
}

Value
missing_value() {
  return {};
}

Value
element_value(const Json& json) {
  return {nullptr, &json, false, true};
}

Value
owned_value(Json json, bool go_int = false) {
  auto owner = std::make_shared<const Json>(std::move(json));
  const Json* raw = owner.get();
  return {std::move(owner), raw, go_int, false};
}

// What evalPipeline does to each command's result: an interface{} is opened, so a JSON null
// becomes the invalid value and a boxed value plain.
Value
unboxed(Value value) {
  if (value.is_nil()) {
    return missing_value();
  }
  value.boxed = false;
  return value;
}

enum class Kind { invalid, nil, boolean, integer, floating, string, array, object };

// Integers beyond int64 are float64 in kubectl's decoding.
bool
fits_int64(const Json& json) {
  return json.is_number_integer() &&
         (!json.is_number_unsigned() ||
          json.get<std::uint64_t>() <=
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
}

Kind
kind_of(const Value& value) {
  if (!value.valid()) {
    return Kind::invalid;
  }
  const Json& json = *value.json;
  switch (json.type()) {
  case Json::value_t::null:
    return Kind::nil;
  case Json::value_t::boolean:
    return Kind::boolean;
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned:
    return fits_int64(json) ? Kind::integer : Kind::floating;
  case Json::value_t::number_float:
    return Kind::floating;
  case Json::value_t::string:
    return Kind::string;
  case Json::value_t::array:
    return Kind::array;
  default:
    return Kind::object;
  }
}

std::int64_t
int_of(const Value& value) {
  return value.json->get<std::int64_t>();
}

double
float_of(const Value& value) {
  return value.json->get<double>();
}

// Go's name of a value's type, as its errors and %T print it.
std::string
type_name(const Value& value) {
  if (value.boxed) {
    return "interface {}";
  }
  switch (kind_of(value)) {
  case Kind::invalid:
  case Kind::nil:
    return "<nil>";
  case Kind::boolean:
    return "bool";
  case Kind::integer:
    return value.go_int ? "int" : "int64";
  case Kind::floating:
    return "float64";
  case Kind::string:
    return "string";
  case Kind::array:
    return "[]interface {}";
  case Kind::object:
    break;
  }
  return "map[string]interface {}";
}

// Go's truth: false, 0, nil, empty strings, arrays and maps are false.
bool
truth(const Value& value) {
  switch (kind_of(value)) {
  case Kind::invalid:
  case Kind::nil:
    return false;
  case Kind::boolean:
    return value.json->get<bool>();
  case Kind::integer:
    return int_of(value) != 0;
  case Kind::floating:
    return float_of(value) != 0;
  case Kind::string:
    return !value.json->get_ref<const std::string&>().empty();
  default:
    return !value.json->empty();
  }
}

// A map's keys in Go's order (sorted), as range and printing visit them.
std::vector<const std::string*>
sorted_keys(const Json& object) {
  std::vector<const std::string*> keys;
  keys.reserve(object.size());
  for (const auto& [key, element] : object.items()) {
    keys.push_back(&key);
  }
  std::sort(keys.begin(), keys.end(), [](const auto* a, const auto* b) { return *a < *b; });
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Printing as Go's fmt does.

// A float64 as Go's %v (and %g without a precision) prints it: the shortest digits that read
// back the same, with an exponent when it is below -4 or at least 6 ("1e+06", "1.5", "1e-05").
std::string
go_shortest_float(double value) {
  std::array<char, 64> buffer{};
  auto [end, error] = std::to_chars(
      buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
  std::string_view text(buffer.data(),
                        error == std::errc() ? static_cast<std::size_t>(end - buffer.data()) : 0);
  std::string sign;
  if (text.starts_with('-')) {
    sign = "-";
    text.remove_prefix(1);
  }
  std::size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') {
      digits += c;
    }
  }
  int exponent = 0;
  std::string_view exponent_text = text.substr(e + 1);
  if (exponent_text.starts_with('+')) {
    exponent_text.remove_prefix(1);
  }
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  if (exponent < -4 || exponent >= 6) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) {
      mantissa += "." + digits.substr(1);
    }
    return fmt::format(
        "{}{}e{}{:02}", sign, mantissa, exponent < 0 ? '-' : '+', std::abs(exponent));
  }
  if (exponent < 0) {
    return sign + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  }
  auto point = static_cast<std::size_t>(exponent + 1);
  if (digits.size() <= point) {
    return sign + digits + std::string(point - digits.size(), '0');
  }
  return sign + digits.substr(0, point) + "." + digits.substr(point);
}

void format_plain(const Value& value, std::string& out);

// %v of a value inside a composite: nil is "<nil>" there.
void
format_element(const Json& json, std::string& out) {
  format_plain(element_value(json), out);
}

// Go's %v: strings as they are, map[k:v ...] in key order, [a b] for arrays.
void
format_plain(const Value& value, std::string& out) {
  switch (kind_of(value)) {
  case Kind::invalid:
  case Kind::nil:
    out += "<nil>";
    return;
  case Kind::boolean:
    out += value.json->get<bool>() ? "true" : "false";
    return;
  case Kind::integer:
    out += std::to_string(int_of(value));
    return;
  case Kind::floating:
    out += go_shortest_float(float_of(value));
    return;
  case Kind::string:
    out += value.json->get_ref<const std::string&>();
    return;
  case Kind::array: {
    out += '[';
    bool first = true;
    for (const auto& element : *value.json) {
      out += first ? "" : " ";
      first = false;
      format_element(element, out);
    }
    out += ']';
    return;
  }
  case Kind::object:
    break;
  }
  out += "map[";
  bool first = true;
  for (const std::string* key : sorted_keys(*value.json)) {
    out += first ? "" : " ";
    first = false;
    out += *key + ':';
    format_element((*value.json)[*key], out);
  }
  out += ']';
}

std::string
plain(const Value& value) {
  std::string out;
  format_plain(value, out);
  return out;
}

// A printf directive: %[flags][width][.precision]verb.
struct Spec {
  bool minus = false;
  bool plus = false;
  bool sharp = false;
  bool space = false;
  bool zero = false;
  std::optional<std::size_t> width;
  std::optional<std::size_t> precision;
  char verb = 'v';
};

std::size_t
rune_count(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Pads `text` to the width: spaces on the left (right with '-'), or zeros after the sign.
void
pad(const Spec& spec, std::string text, bool numeric, std::string& out) {
  std::size_t length = rune_count(text);
  std::size_t width = spec.width.value_or(0);
  if (length >= width) {
    out += text;
    return;
  }
  std::size_t fill = width - length;
  if (spec.minus) {
    out += text + std::string(fill, ' ');
  } else if (spec.zero && numeric) {
    std::size_t sign = !text.empty() && (text[0] == '-' || text[0] == '+' || text[0] == ' ');
    out += text.substr(0, sign) + std::string(fill, '0') + text.substr(sign);
  } else {
    out += std::string(fill, ' ') + text;
  }
}

// Go's strconv.Quote: printable UTF-8 kept, the rest escaped.
std::string
go_quote(std::string_view text, char quote) {
  std::string out(1, quote);
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::uint32_t rune = decode_utf8(text, i);
    bool invalid = rune == 0xFFFD && i - start == 1;
    switch (rune) {
    case '\a':
      out += "\\a";
      continue;
    case '\b':
      out += "\\b";
      continue;
    case '\f':
      out += "\\f";
      continue;
    case '\n':
      out += "\\n";
      continue;
    case '\r':
      out += "\\r";
      continue;
    case '\t':
      out += "\\t";
      continue;
    case '\v':
      out += "\\v";
      continue;
    case '\\':
      out += "\\\\";
      continue;
    default:
      break;
    }
    if (rune == static_cast<std::uint32_t>(quote)) {
      out += '\\';
      out += quote;
    } else if (invalid || rune < 0x20 || rune == 0x7f) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[start]));
    } else if ((rune >= 0x80 && rune < 0xA0) || rune == 0xAD) {
      out += fmt::format("\\u{:04x}", rune);
    } else {
      out += text.substr(start, i - start);
    }
  }
  out += quote;
  return out;
}

std::string
bad_verb(const Spec& spec, const Value& value) {
  if (kind_of(value) == Kind::invalid || kind_of(value) == Kind::nil) {
    return fmt::format("%!{}(<nil>)", spec.verb);
  }
  Value bare = value;
  bare.boxed = false;
  return fmt::format("%!{}({}={})", spec.verb, type_name(bare), plain(value));
}

std::string
with_sign(const Spec& spec, std::string digits, bool negative) {
  if (negative) {
    return "-" + digits;
  }
  return (spec.plus ? "+" : spec.space ? " " : "") + digits;
}

std::optional<std::string>
format_integer(const Spec& spec, std::int64_t value) {
  bool negative = value < 0;
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string digits;
  switch (spec.verb) {
  case 'v':
  case 'd':
    digits = fmt::format("{}", magnitude);
    break;
  case 'b':
    digits = fmt::format("{:b}", magnitude);
    break;
  case 'o':
  case 'O':
    digits = fmt::format("{:o}", magnitude);
    break;
  case 'x':
    digits = fmt::format("{:x}", magnitude);
    break;
  case 'X':
    digits = fmt::format("{:X}", magnitude);
    break;
  case 'c': {
    std::string text;
    append_utf8(text, static_cast<std::uint32_t>(value));
    return text;
  }
  case 'q': {
    std::string text;
    append_utf8(text, static_cast<std::uint32_t>(value));
    return go_quote(text, '\'');
  }
  case 'U':
    return fmt::format("U+{:04X}", magnitude);
  default:
    return std::nullopt;
  }
  if (spec.precision && digits.size() < *spec.precision) {
    digits.insert(0, *spec.precision - digits.size(), '0');
  }
  if (spec.verb == 'O' || (spec.sharp && spec.verb == 'o')) {
    digits.insert(0, spec.verb == 'O' ? "0o" : "0");
  } else if (spec.sharp && (spec.verb == 'x' || spec.verb == 'X')) {
    digits.insert(0, spec.verb == 'x' ? "0x" : "0X");
  } else if (spec.sharp && spec.verb == 'b') {
    digits.insert(0, "0b");
  }
  return with_sign(spec, std::move(digits), negative);
}

std::optional<std::string>
format_float(const Spec& spec, double value) {
  bool negative = std::signbit(value);
  double magnitude = std::fabs(value);
  std::string digits;
  switch (spec.verb) {
  case 'v':
  case 'g':
  case 'G':
    digits = spec.precision
                 ? fmt::format("{:.{}g}", magnitude, std::max<std::size_t>(*spec.precision, 1))
                 : go_shortest_float(magnitude);
    break;
  case 'e':
  case 'E':
    digits = fmt::format("{:.{}e}", magnitude, spec.precision.value_or(6));
    break;
  case 'f':
  case 'F':
    digits = fmt::format("{:.{}f}", magnitude, spec.precision.value_or(6));
    break;
  default:
    return std::nullopt;
  }
  if (spec.verb == 'G' || spec.verb == 'E') {
    std::transform(digits.begin(), digits.end(), digits.begin(), [](unsigned char c) {
      return static_cast<char>(std::toupper(c));
    });
  }
  return with_sign(spec, std::move(digits), negative);
}

std::optional<std::string>
format_string(const Spec& spec, const std::string& value) {
  std::string text = value;
  if (spec.precision && (spec.verb == 's' || spec.verb == 'v' || spec.verb == 'q')) {
    std::size_t i = 0;
    for (std::size_t runes = 0; i < text.size() && runes < *spec.precision; ++runes) {
      decode_utf8(text, i);
    }
    text.resize(i);
  }
  switch (spec.verb) {
  case 'v':
  case 's':
    return text;
  case 'q':
    return go_quote(text, '"');
  case 'x':
  case 'X': {
    std::string out;
    for (char c : text) {
      auto byte = static_cast<unsigned char>(c);
      out += spec.verb == 'x' ? fmt::format("{:02x}", byte) : fmt::format("{:02X}", byte);
    }
    return out;
  }
  default:
    return std::nullopt;
  }
}

void format_verb(const Spec& spec, const Value& value, std::string& out);

// Composites print their elements with the same directive, as Go's fmt does.
void
format_composite(const Spec& spec, const Value& value, std::string& out) {
  const Json& json = *value.json;
  if (json.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& element : json) {
      out += first ? "" : " ";
      first = false;
      Value inner = element_value(element);
      inner.boxed = false;
      format_verb(spec, inner, out);
    }
    out += ']';
    return;
  }
  out += "map[";
  bool first = true;
  for (const std::string* key : sorted_keys(json)) {
    out += first ? "" : " ";
    first = false;
    Json key_json = *key;
    format_verb(spec, {nullptr, &key_json, false, false}, out);
    out += ':';
    Value inner = element_value(json[*key]);
    inner.boxed = false;
    format_verb(spec, inner, out);
  }
  out += ']';
}

void
format_verb(const Spec& spec, const Value& value, std::string& out) {
  if (spec.verb == 'T') {
    Value bare = value;
    bare.boxed = false;
    pad(spec, type_name(bare), false, out);
    return;
  }
  std::optional<std::string> text;
  bool numeric = false;
  switch (kind_of(value)) {
  case Kind::invalid:
  case Kind::nil:
    text = spec.verb == 'v' ? std::optional<std::string>("<nil>") : std::nullopt;
    break;
  case Kind::boolean:
    if (spec.verb == 'v' || spec.verb == 't') {
      text = value.json->get<bool>() ? "true" : "false";
    }
    break;
  case Kind::integer:
    text = format_integer(spec, int_of(value));
    numeric = true;
    break;
  case Kind::floating:
    text = format_float(spec, float_of(value));
    numeric = true;
    break;
  case Kind::string:
    text = format_string(spec, value.json->get_ref<const std::string&>());
    break;
  case Kind::array:
  case Kind::object:
    format_composite(spec, value, out);
    return;
  }
  if (!text) {
    out += bad_verb(spec, value);
    return;
  }
  pad(spec, std::move(*text), numeric, out);
}

// Reads a number of a directive (a width or precision), bounded by k_max_go_template_width.
Result<std::size_t>
directive_number(std::string_view format, std::size_t& i) {
  std::size_t value = 0;
  while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])) != 0) {
    value = value * 10 + static_cast<std::size_t>(format[i++] - '0');
    if (value > k_max_go_template_width) {
      return failf("printf: a width or precision above {} is not supported",
                   k_max_go_template_width);
    }
  }
  return value;
}

// Go's fmt.Sprintf with the verbs templates use: %v %s %d %q %x %X %o %b %c %U %e %f %g %t %T
// %%, flags "-+# 0", widths and precisions; a wrong or missing argument prints Go's %!verb(...).
Result<std::string>
go_sprintf(std::string_view format, const std::vector<Value>& args) {
  std::string out;
  std::size_t next_arg = 0;
  for (std::size_t i = 0; i < format.size();) {
    char c = format[i++];
    if (c != '%') {
      out += c;
      continue;
    }
    Spec spec;
    for (; i < format.size(); ++i) {
      char flag = format[i];
      if (flag == '-') {
        spec.minus = true;
      } else if (flag == '+') {
        spec.plus = true;
      } else if (flag == '#') {
        spec.sharp = true;
      } else if (flag == ' ') {
        spec.space = true;
      } else if (flag == '0') {
        spec.zero = true;
      } else {
        break;
      }
    }
    if (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])) != 0) {
      KCTL_TRY_ASSIGN(spec.width, directive_number(format, i));
    }
    if (i < format.size() && format[i] == '.') {
      ++i;
      KCTL_TRY_ASSIGN(spec.precision, directive_number(format, i));
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    std::size_t verb_start = i;
    std::uint32_t verb = decode_utf8(format, i);
    if (verb == '%') {
      out += '%';
      continue;
    }
    spec.verb = verb < 0x80 ? static_cast<char>(verb) : '?';
    if (next_arg >= args.size()) {
      out += "%!" + std::string(format.substr(verb_start, i - verb_start)) + "(MISSING)";
      continue;
    }
    format_verb(spec, args[next_arg++], out);
  }
  if (next_arg < args.size()) {
    out += "%!(EXTRA ";
    for (std::size_t k = next_arg; k < args.size(); ++k) {
      Value bare = args[k];
      bare.boxed = false;
      out += fmt::format("{}{}={}", k == next_arg ? "" : ", ", type_name(bare), plain(args[k]));
    }
    out += ')';
  }
  return out;
}

// fmt.Sprint: operands separated by a space when neither side is a string.
std::string
go_sprint(const std::vector<Value>& args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bool is_string = kind_of(args[i]) == Kind::string;
    if (i > 0 && !is_string && kind_of(args[i - 1]) != Kind::string) {
      out += ' ';
    }
    format_plain(args[i], out);
  }
  return out;
}

// fmt.Sprintln: every operand separated by a space, and a newline.
std::string
go_sprintln(const std::vector<Value>& args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    out += i == 0 ? "" : " ";
    format_plain(args[i], out);
  }
  return out + "\n";
}

// ---------------------------------------------------------------------------------------------
// The builtin functions.

// Go's basic kinds, as eq and lt compare them.
enum class Basic { invalid, boolean, integer, floating, string };

Basic
basic_of(const Value& value) {
  switch (kind_of(value)) {
  case Kind::boolean:
    return Basic::boolean;
  case Kind::integer:
    return Basic::integer;
  case Kind::floating:
    return Basic::floating;
  case Kind::string:
    return Basic::string;
  default:
    return Basic::invalid;
  }
}

std::string
bare_type(Value value) {
  value.boxed = false;
  return type_name(value);
}

Result<bool>
go_eq(const std::vector<Value>& args) {
  if (args.size() < 2) {
    return fail("missing argument for comparison");
  }
  const Value& first = args[0];
  Basic k1 = basic_of(first);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value& other = args[i];
    Basic k2 = basic_of(other);
    bool equal = false;
    bool first_nil = !first.valid() || first.is_nil();
    bool other_nil = !other.valid() || other.is_nil();
    if (k1 != k2) {
      if (!first_nil && !other_nil) {
        return failf(
            "incompatible types for comparison: {} and {}", bare_type(first), bare_type(other));
      }
    } else if (k1 == Basic::invalid) {
      if (!first_nil && !other_nil) {
        Spec spec;
        spec.verb = 's';
        std::string shown;
        format_verb(spec, other, shown);
        return failf("non-comparable type {}: {}", shown, bare_type(other));
      }
      equal = first_nil == other_nil;
    } else {
      equal = *first.json == *other.json ||
              (k1 == Basic::integer && int_of(first) == int_of(other)) ||
              (k1 == Basic::floating && float_of(first) == float_of(other));
    }
    if (equal) {
      return true;
    }
  }
  return false;
}

Result<bool>
go_lt(const Value& a, const Value& b) {
  Basic k1 = basic_of(a);
  Basic k2 = basic_of(b);
  if (k1 == Basic::invalid || k2 == Basic::invalid) {
    return fail("invalid type for comparison");
  }
  if (k1 != k2) {
    return failf("incompatible types for comparison: {} and {}", bare_type(a), bare_type(b));
  }
  switch (k1) {
  case Basic::integer:
    return int_of(a) < int_of(b);
  case Basic::floating:
    return float_of(a) < float_of(b);
  case Basic::string:
    return a.json->get_ref<const std::string&>() < b.json->get_ref<const std::string&>();
  default:
    break;
  }
  return fail("invalid type for comparison");
}

Result<bool>
go_le(const Value& a, const Value& b) {
  KCTL_TRY_ASSIGN(bool less, go_lt(a, b));
  if (less) {
    return true;
  }
  return go_eq({a, b});
}

// An index argument: an integer within [0, limit) (or [0, limit] for slices).
Result<std::int64_t>
index_argument(const Value& index, std::size_t limit, bool inclusive) {
  if (!index.valid() || index.is_nil()) {
    return fail("cannot index slice/array with nil");
  }
  if (kind_of(index) != Kind::integer) {
    return failf("cannot index slice/array with type {}", bare_type(index));
  }
  std::int64_t x = int_of(index);
  auto size = static_cast<std::int64_t>(limit);
  if (x < 0 || (inclusive ? x > size : x >= size)) {
    return failf("index out of range: {}", x);
  }
  return x;
}

Value
element_of(const Value& parent, const Json& element) {
  return {parent.owner, &element, false, true};
}

Result<Value>
go_index(const std::vector<Value>& args) {
  Value item = args[0];
  if (!item.valid() || item.is_nil()) {
    return fail("index of untyped nil");
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value& index = args[i];
    switch (kind_of(item)) {
    case Kind::nil:
      return fail("index of nil pointer");
    case Kind::array: {
      KCTL_TRY_ASSIGN(std::int64_t at, index_argument(index, item.json->size(), false));
      item = element_of(item, (*item.json)[static_cast<std::size_t>(at)]);
      break;
    }
    case Kind::string: {
      const auto& text = item.json->get_ref<const std::string&>();
      KCTL_TRY_ASSIGN(std::int64_t at, index_argument(index, text.size(), false));
      item = owned_value(static_cast<unsigned char>(text[static_cast<std::size_t>(at)]), true);
      break;
    }
    case Kind::object: {
      if (!index.valid() || index.is_nil()) {
        return fail("value is nil; should be of type string");
      }
      if (kind_of(index) != Kind::string) {
        return failf("value has type {}; should be string", bare_type(index));
      }
      auto found = item.json->find(index.json->get_ref<const std::string&>());
      item = found == item.json->end() ? element_of(item, null_json()) : element_of(item, *found);
      break;
    }
    default:
      return failf("can't index item of type {}", bare_type(item));
    }
  }
  return item;
}

Result<Value>
go_slice(const std::vector<Value>& args) {
  const Value& item = args[0];
  if (!item.valid()) {
    return fail("slice of untyped nil");
  }
  if (args.size() > 4) {
    return failf("too many slice indexes: {}", args.size() - 1);
  }
  Kind kind = kind_of(item);
  if (kind == Kind::string && args.size() == 4) {
    return fail("cannot 3-index slice a string");
  }
  if (kind != Kind::string && kind != Kind::array) {
    return failf("can't slice item of type {}", bare_type(item));
  }
  std::size_t size =
      kind == Kind::string ? item.json->get_ref<const std::string&>().size() : item.json->size();
  std::array<std::int64_t, 3> bounds = {0, static_cast<std::int64_t>(size), 0};
  for (std::size_t i = 1; i < args.size(); ++i) {
    KCTL_TRY_ASSIGN(bounds[i - 1], index_argument(args[i], size, true));
  }
  if (bounds[0] > bounds[1]) {
    return failf("invalid slice index: {} > {}", bounds[0], bounds[1]);
  }
  if (args.size() == 4 && bounds[1] > bounds[2]) {
    return failf("invalid slice index: {} > {}", bounds[1], bounds[2]);
  }
  auto from = static_cast<std::size_t>(bounds[0]);
  auto to = static_cast<std::size_t>(bounds[1]);
  if (kind == Kind::string) {
    return owned_value(item.json->get_ref<const std::string&>().substr(from, to - from));
  }
  Json out = Json::array();
  for (std::size_t i = from; i < to; ++i) {
    out.push_back((*item.json)[i]);
  }
  return owned_value(std::move(out));
}

Result<Value>
go_len(const Value& item) {
  switch (kind_of(item)) {
  case Kind::invalid:
  case Kind::nil:
    return fail("len of nil pointer");
  case Kind::string:
    return owned_value(item.json->get_ref<const std::string&>().size(), true);
  case Kind::array:
  case Kind::object:
    return owned_value(item.json->size(), true);
  default:
    return failf("len of type {}", bare_type(item));
  }
}

// kubectl's `exists`: whether each index in turn finds an element, the last one not nil.
bool
go_exists(const std::vector<Value>& args) {
  Value item = args[0];
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value& index = args[i];
    Kind kind = kind_of(item);
    if (kind == Kind::invalid || kind == Kind::nil) {
      return false;
    }
    if (kind == Kind::array || kind == Kind::string) {
      std::size_t size =
          kind == Kind::array ? item.json->size() : item.json->get_ref<const std::string&>().size();
      if (kind_of(index) != Kind::integer || int_of(index) < 0 ||
          static_cast<std::uint64_t>(int_of(index)) >= size) {
        return false;
      }
      item = kind == Kind::array
                 ? element_of(item, (*item.json)[static_cast<std::size_t>(int_of(index))])
                 : owned_value(0, true); // a byte of a string: present, never nil
    } else if (kind == Kind::object) {
      if (kind_of(index) != Kind::string) {
        return false;
      }
      auto found = item.json->find(index.json->get_ref<const std::string&>());
      item = found == item.json->end() ? element_of(item, null_json()) : element_of(item, *found);
    } else {
      return false;
    }
  }
  return kind_of(item) != Kind::invalid && kind_of(item) != Kind::nil;
}

// The text html/js/urlquery escape: one string argument as it is, else fmt.Sprint of them all
// (a missing value shown as "<no value>").
std::string
escaper_text(const std::vector<Value>& args) {
  if (args.size() == 1 && kind_of(args[0]) == Kind::string) {
    return args[0].json->get<std::string>();
  }
  std::vector<Value> shown;
  shown.reserve(args.size());
  for (const auto& arg : args) {
    shown.push_back(!arg.valid() || arg.is_nil() ? owned_value("<no value>") : arg);
  }
  return go_sprint(shown);
}

std::string
html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '\0':
      out += "\xEF\xBF\xBD";
      break;
    case '"':
      out += "&#34;";
      break;
    case '\'':
      out += "&#39;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

// JavaScript-safe text, as Go's JSEscapeString (non-ASCII is kept).
std::string
js_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '\\':
      out += "\\\\";
      break;
    case '\'':
      out += "\\'";
      break;
    case '"':
      out += "\\\"";
      break;
    case '<':
      out += "\\u003C";
      break;
    case '>':
      out += "\\u003E";
      break;
    case '&':
      out += "\\u0026";
      break;
    case '=':
      out += "\\u003D";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u00{:02X}", static_cast<unsigned char>(c));
      } else {
        out += c;
      }
    }
  }
  return out;
}

// URL query escaping, as Go's url.QueryEscape: space as '+', unreserved kept, the rest %XX.
std::string
query_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

// Go's base64.StdEncoding.DecodeString: padding required, only CR and LF skipped; the error
// names the byte Go names: where a quantum cut short begins, a misplaced '=', or what follows
// the padding.
Result<std::string>
go_base64_decode(std::string_view text) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string clean;
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' && text[i] != '\n') {
      clean += text[i];
      offsets.push_back(i);
    }
  }
  auto bad = [&](std::size_t at) {
    return failf("base64 decode failed: illegal base64 data at input byte {}",
                 at < offsets.size() ? offsets[at] : text.size());
  };
  std::string out;
  for (std::size_t i = 0; i < clean.size(); i += 4) {
    std::uint32_t group = 0;
    std::size_t symbols = 0;
    for (std::size_t k = 0; k < 4 && symbols == k; ++k) {
      if (i + k >= clean.size()) {
        return bad(i);
      }
      char c = clean[i + k];
      if (c == '=') {
        if (k < 2) {
          return bad(i + k);
        }
        if (k == 2 && i + 3 >= clean.size()) {
          return bad(clean.size());
        }
        if (k == 2 && clean[i + 3] != '=') {
          return bad(i + 2);
        }
        if (i + 4 < clean.size()) {
          return bad(i + 4);
        }
        continue;
      }
      std::size_t value = alphabet.find(c);
      if (value == std::string_view::npos) {
        return bad(i + k);
      }
      group |= static_cast<std::uint32_t>(value) << (18 - 6 * k);
      ++symbols;
    }
    out += static_cast<char>((group >> 16) & 0xFF);
    if (symbols > 2) {
      out += static_cast<char>((group >> 8) & 0xFF);
    }
    if (symbols > 3) {
      out += static_cast<char>(group & 0xFF);
    }
  }
  return out;
}

// A string parameter's value, as Go checks an argument against a `string` parameter.
Result<std::string>
string_argument(const Value& value) {
  if (!value.valid()) {
    return fail("invalid value; expected string");
  }
  if (kind_of(value) != Kind::string) {
    return failf("wrong type for value; expected string; got {}",
                 value.is_nil() ? std::string("interface {}") : bare_type(value));
  }
  return value.json->get<std::string>();
}

// How many arguments each function takes: at least `min`, at most `max` (variadic: no max).
struct Arity {
  std::string_view name;
  std::size_t min;
  bool variadic;
};

constexpr std::array<Arity, 20> k_arities = {
    {{"and", 1, true},     {"or", 1, true},       {"not", 1, false},   {"len", 1, false},
     {"index", 1, true},   {"slice", 1, true},    {"print", 0, true},  {"printf", 1, true},
     {"println", 0, true}, {"eq", 1, true},       {"ne", 2, false},    {"lt", 2, false},
     {"le", 2, false},     {"gt", 2, false},      {"ge", 2, false},    {"html", 0, true},
     {"js", 0, true},      {"urlquery", 0, true}, {"exists", 1, true}, {"base64decode", 1, false}}};

Status
check_arity(std::string_view name, std::size_t count) {
  for (const auto& arity : k_arities) {
    if (arity.name != name) {
      continue;
    }
    if (arity.variadic && count < arity.min) {
      return failf("wrong number of args for {}: want at least {} got {}", name, arity.min, count);
    }
    if (!arity.variadic && count != arity.min) {
      return failf("wrong number of args for {}: want {} got {}", name, arity.min, count);
    }
    return {};
  }
  return failf("\"{}\" is not a defined function", name);
}

Value
bool_value(bool value) {
  return owned_value(value);
}

// The functions that return an error of their own ("error calling NAME: ...").
Result<Value>
call_failing(std::string_view name, const std::vector<Value>& args) {
  if (name == "index") {
    return go_index(args);
  }
  if (name == "slice") {
    return go_slice(args);
  }
  if (name == "len") {
    return go_len(args[0]);
  }
  if (name == "eq") {
    KCTL_TRY_ASSIGN(bool equal, go_eq(args));
    return bool_value(equal);
  }
  if (name == "ne") {
    KCTL_TRY_ASSIGN(bool equal, go_eq(args));
    return bool_value(!equal);
  }
  if (name == "lt" || name == "ge") {
    KCTL_TRY_ASSIGN(bool less, go_lt(args[0], args[1]));
    return bool_value(name == "lt" ? less : !less);
  }
  if (name == "le" || name == "gt") {
    KCTL_TRY_ASSIGN(bool less_or_equal, go_le(args[0], args[1]));
    return bool_value(name == "le" ? less_or_equal : !less_or_equal);
  }
  KCTL_TRY_ASSIGN(std::string text, string_argument(args[0]));
  KCTL_TRY_ASSIGN(std::string decoded, go_base64_decode(text));
  return owned_value(std::move(decoded));
}

// ---------------------------------------------------------------------------------------------
// Execution.

enum class Flow { normal, break_loop, continue_loop };

class Exec {
public:
  Exec(const GoTemplate::Tree& tree, bool allow_missing_keys, const GoTemplateLimits& limits)
      : m_tree(tree), m_allow_missing(allow_missing_keys), m_limits(limits) {}

  Result<std::string> run(const Json& data) {
    Value dot{nullptr, &data, false, false};
    m_vars = {{"$", dot}};
    auto root = m_tree.templates.find(k_template_name);
    if (root != m_tree.templates.end()) {
      KCTL_TRY(walk_list(dot, root->second));
    }
    return std::move(m_out);
  }

private:
  // Go's execution error: "template: output:1:2: executing "output" at <.x>: message".
  std::unexpected<Error>
  fail_at(std::size_t pos, std::string_view source, std::string_view message) const {
    std::string_view text = m_tree.text;
    std::size_t line_start = text.rfind('\n', pos == 0 ? 0 : pos - 1);
    std::size_t column =
        line_start == std::string_view::npos || pos == 0 ? pos : pos - line_start - 1;
    return failf("template: {}:{}:{}: executing \"{}\" at <{}>: {}",
                 k_template_name,
                 line_of(text, pos),
                 column,
                 m_template,
                 source,
                 message);
  }

  Status step(std::size_t pos, std::string_view source) {
    if (++m_steps > m_limits.steps) {
      return fail_at(
          pos, source, fmt::format("the template ran more than {} steps", m_limits.steps));
    }
    return {};
  }

  Status write(std::string_view text) {
    if (m_out.size() + text.size() > m_limits.output_bytes) {
      return failf("template: {}: the output is larger than {} bytes",
                   k_template_name,
                   m_limits.output_bytes);
    }
    m_out += text;
    return {};
  }

  Result<Flow> walk_list(const Value& dot, const List& list) {
    for (const auto& node : list) {
      KCTL_TRY_ASSIGN(Flow flow, walk(dot, node));
      if (flow != Flow::normal) {
        return flow;
      }
    }
    return Flow::normal;
  }

  Result<Flow> walk(const Value& dot, const Node& node) {
    KCTL_TRY(step(node.pos, node.source));
    switch (node.kind) {
    case Node::Kind::text:
      KCTL_TRY(write(node.text));
      return Flow::normal;
    case Node::Kind::action: {
      std::size_t mark = m_vars.size();
      KCTL_TRY_ASSIGN(Value value, eval_pipeline(dot, *node.pipe));
      if (node.pipe->decl.empty()) {
        m_vars.resize(mark);
        KCTL_TRY(write(value.valid() ? plain(value) : "<no value>"));
      }
      return Flow::normal;
    }
    case Node::Kind::if_:
    case Node::Kind::with:
      return walk_if_with(dot, node);
    case Node::Kind::range:
      return walk_range(dot, node);
    case Node::Kind::template_call:
      KCTL_TRY(walk_template(dot, node));
      return Flow::normal;
    case Node::Kind::break_:
      return Flow::break_loop;
    case Node::Kind::continue_:
      return Flow::continue_loop;
    }
    return Flow::normal;
  }

  Result<Flow> walk_if_with(const Value& dot, const Node& node) {
    std::size_t mark = m_vars.size();
    KCTL_TRY_ASSIGN(Value value, eval_pipeline(dot, *node.pipe));
    bool with = node.kind == Node::Kind::with;
    Result<Flow> flow =
        truth(value) ? walk_list(with ? value : dot, node.list) : walk_list(dot, node.else_list);
    m_vars.resize(mark);
    return flow;
  }

  // One range iteration: the variables set as Go sets them, the body walked with `element`.
  Result<Flow> iterate(const Node& node, const Value& index, const Value& element) {
    if (++m_iterations > m_limits.iterations) {
      return fail_at(node.pos,
                     node.source,
                     fmt::format("range ran more than {} iterations", m_limits.iterations));
    }
    const auto& decl = node.pipe->decl;
    if (node.pipe->assign) {
      if (!decl.empty()) {
        KCTL_TRY(set_var(node, decl[0], decl.size() > 1 ? index : element));
      }
      if (decl.size() > 1) {
        KCTL_TRY(set_var(node, decl[1], element));
      }
    } else {
      if (!decl.empty()) {
        m_vars[m_vars.size() - 1].second = element;
      }
      if (decl.size() > 1) {
        m_vars[m_vars.size() - 2].second = index;
      }
    }
    std::size_t mark = m_vars.size();
    Result<Flow> flow = walk_list(element, node.list);
    m_vars.resize(mark);
    return flow;
  }

  Result<Flow> walk_range(const Value& dot, const Node& node) {
    std::size_t mark = m_vars.size();
    KCTL_TRY_ASSIGN(Value value, eval_pipeline(dot, *node.pipe));
    KCTL_TRY_ASSIGN(bool ran, range_over(node, value));
    Result<Flow> flow = Flow::normal;
    if (!ran) {
      flow = walk_list(dot, node.else_list);
    }
    m_vars.resize(mark);
    if (!flow) {
      return flow;
    }
    return Flow::normal;
  }

  // Runs the iterations over `value`; whether there were any.
  Result<bool> range_over(const Node& node, const Value& value) {
    auto run = [&](const Value& index, const Value& element) -> Result<bool> {
      KCTL_TRY_ASSIGN(Flow flow, iterate(node, index, element));
      return flow == Flow::break_loop;
    };
    const Command& last = node.pipe->commands.back();
    switch (kind_of(value)) {
    case Kind::invalid:
    case Kind::nil:
      return false;
    case Kind::integer: {
      if (node.pipe->decl.size() > 1) {
        return fail_at(
            last.pos,
            last.source,
            fmt::format("can't use {} to iterate over more than one variable", plain(value)));
      }
      std::int64_t count = int_of(value);
      for (std::int64_t i = 0; i < count; ++i) {
        KCTL_TRY_ASSIGN(bool stop, run(missing_value(), owned_value(i, value.go_int)));
        if (stop) {
          break;
        }
      }
      return count > 0;
    }
    case Kind::array:
      for (std::size_t i = 0; i < value.json->size(); ++i) {
        KCTL_TRY_ASSIGN(bool stop, run(owned_value(i, true), element_of(value, (*value.json)[i])));
        if (stop) {
          break;
        }
      }
      return !value.json->empty();
    case Kind::object:
      for (const std::string* key : sorted_keys(*value.json)) {
        KCTL_TRY_ASSIGN(bool stop, run(owned_value(*key), element_of(value, (*value.json)[*key])));
        if (stop) {
          break;
        }
      }
      return !value.json->empty();
    default:
      break;
    }
    return fail_at(last.pos, last.source, fmt::format("range can't iterate over {}", plain(value)));
  }

  Status walk_template(const Value& dot, const Node& node) {
    auto called = m_tree.templates.find(node.text);
    if (called == m_tree.templates.end()) {
      return fail_at(node.pos, node.source, fmt::format("template \"{}\" not defined", node.text));
    }
    if (m_calls >= k_max_go_template_calls) {
      return fail_at(node.pos,
                     node.source,
                     fmt::format("exceeded maximum template depth ({})", k_max_go_template_calls));
    }
    Value argument = missing_value();
    if (node.pipe) {
      KCTL_TRY_ASSIGN(argument, eval_pipeline(dot, *node.pipe));
    }
    // No dynamic scoping: the called template sees only $, its argument.
    std::vector<std::pair<std::string, Value>> saved = std::exchange(m_vars, {{"$", argument}});
    std::string saved_name = std::exchange(m_template, called->first);
    ++m_calls;
    Result<Flow> flow = walk_list(argument, called->second);
    --m_calls;
    m_template = std::move(saved_name);
    m_vars = std::move(saved);
    if (!flow) {
      return std::unexpected(flow.error());
    }
    return {};
  }

  Status set_var(const Node& node, const std::string& name, const Value& value) {
    for (auto it = m_vars.rbegin(); it != m_vars.rend(); ++it) {
      if (it->first == name) {
        it->second = value;
        return {};
      }
    }
    return fail_at(node.pos, node.source, fmt::format("undefined variable: {}", name));
  }

  Value variable(const std::string& name) const {
    for (auto it = m_vars.rbegin(); it != m_vars.rend(); ++it) {
      if (it->first == name) {
        return it->second;
      }
    }
    return missing_value(); // the parser saw every variable declared
  }

  Result<Value> eval_pipeline(const Value& dot, const Pipe& pipe) {
    std::optional<Value> value;
    for (const auto& command : pipe.commands) {
      KCTL_TRY_ASSIGN(Value result, eval_command(dot, command, value));
      value = unboxed(std::move(result));
    }
    Value result = value.value_or(missing_value());
    for (const auto& name : pipe.decl) {
      if (pipe.assign) {
        Node where; // Go points at the last command
        where.pos = pipe.commands.back().pos;
        where.source = pipe.commands.back().source;
        KCTL_TRY(set_var(where, name, result));
      } else {
        m_vars.emplace_back(name, result);
      }
    }
    return result;
  }

  Status not_a_function(const Command& command, const std::optional<Value>& final) const {
    if (command.args.size() > 1 || final) {
      const Arg& first = command.args.front();
      return fail_at(first.pos,
                     first.source,
                     fmt::format("can't give argument to non-function {}", first.source));
    }
    return {};
  }

  Result<Value>
  eval_command(const Value& dot, const Command& command, const std::optional<Value>& final) {
    const Arg& first = command.args.front();
    KCTL_TRY(step(first.pos, first.source));
    bool has_args = command.args.size() > 1 || final.has_value();
    switch (first.kind) {
    case Arg::Kind::field:
      return eval_fields(dot, first, has_args);
    case Arg::Kind::chain: {
      KCTL_TRY_ASSIGN(Value receiver, eval_arg(dot, first.pipe->commands.front().args.front()));
      return field_chain(receiver, first, has_args);
    }
    case Arg::Kind::identifier:
      return eval_function(dot, command, final);
    case Arg::Kind::pipe:
      KCTL_TRY(not_a_function(command, final));
      return eval_pipeline(dot, *first.pipe);
    case Arg::Kind::variable:
      if (first.fields.empty()) {
        KCTL_TRY(not_a_function(command, final));
      }
      return field_chain(variable(first.name), first, has_args);
    case Arg::Kind::nil:
      KCTL_TRY(not_a_function(command, final));
      return fail_at(first.pos, first.source, "nil is not a command");
    default:
      KCTL_TRY(not_a_function(command, final));
      return eval_arg(dot, first);
    }
  }

  Result<Value> eval_fields(const Value& dot, const Arg& arg, bool has_args) {
    return field_chain(dot, arg, has_args);
  }

  Result<Value> field_chain(Value receiver, const Arg& arg, bool has_args) {
    for (std::size_t i = 0; i < arg.fields.size(); ++i) {
      KCTL_TRY_ASSIGN(
          receiver,
          eval_field(receiver, arg, arg.fields[i], has_args && i + 1 == arg.fields.size()));
    }
    return receiver;
  }

  Result<Value>
  eval_field(const Value& receiver, const Arg& arg, const std::string& name, bool has_args) {
    if (!receiver.valid()) {
      if (!m_allow_missing) {
        return fail_at(arg.pos, arg.source, fmt::format("nil data; no entry for key \"{}\"", name));
      }
      return missing_value();
    }
    if (receiver.is_nil()) {
      return fail_at(
          arg.pos, arg.source, fmt::format("nil pointer evaluating interface {{}}.{}", name));
    }
    if (receiver.json->is_object()) {
      if (has_args) {
        return fail_at(
            arg.pos, arg.source, fmt::format("{} is not a method but has arguments", name));
      }
      auto found = receiver.json->find(name);
      if (found != receiver.json->end()) {
        return element_of(receiver, *found);
      }
      if (!m_allow_missing) {
        return fail_at(arg.pos, arg.source, fmt::format("map has no entry for key \"{}\"", name));
      }
      return missing_value();
    }
    return fail_at(arg.pos,
                   arg.source,
                   fmt::format("can't evaluate field {} in type {}", name, type_name(receiver)));
  }

  Result<Value> eval_arg(const Value& dot, const Arg& arg) {
    switch (arg.kind) {
    case Arg::Kind::dot:
      return dot;
    case Arg::Kind::nil:
      return Value{nullptr, &null_json(), false, false};
    case Arg::Kind::field:
      return eval_fields(dot, arg, false);
    case Arg::Kind::variable:
      return field_chain(variable(arg.name), arg, false);
    case Arg::Kind::pipe:
      return eval_pipeline(dot, *arg.pipe);
    case Arg::Kind::identifier: {
      Command call;
      call.args.push_back(arg);
      call.pos = arg.pos;
      call.source = arg.source;
      return eval_function(dot, call, std::nullopt);
    }
    case Arg::Kind::chain: {
      KCTL_TRY_ASSIGN(Value receiver, eval_arg(dot, arg.pipe->commands.front().args.front()));
      return field_chain(receiver, arg, false);
    }
    default:
      return Value{nullptr, &arg.constant, arg.go_int, false};
    }
  }

  // and/or: arguments evaluated until one decides, that one the result.
  Result<Value>
  and_or(const Value& dot, const Command& command, const std::optional<Value>& final) {
    bool is_or = command.args.front().name == "or";
    Value value = missing_value();
    for (std::size_t i = 1; i < command.args.size(); ++i) {
      KCTL_TRY_ASSIGN(value, eval_arg(dot, command.args[i]));
      if (truth(value) == is_or) {
        return value;
      }
    }
    return final ? *final : value;
  }

  Result<Value>
  eval_function(const Value& dot, const Command& command, const std::optional<Value>& final) {
    const std::string& name = command.args.front().name;
    std::size_t count = command.args.size() - 1 + (final ? 1 : 0);
    if (auto arity = check_arity(name, count); !arity) {
      const Arg& function = command.args.front();
      return fail_at(function.pos, function.source, arity.error().message);
    }
    if (name == "and" || name == "or") {
      return and_or(dot, command, final);
    }
    std::vector<Value> args;
    args.reserve(count);
    for (std::size_t i = 1; i < command.args.size(); ++i) {
      KCTL_TRY_ASSIGN(Value value, eval_arg(dot, command.args[i]));
      args.push_back(std::move(value));
    }
    if (final) {
      args.push_back(*final);
    }
    return call(name, command, args);
  }

  Result<Value>
  call(const std::string& name, const Command& command, const std::vector<Value>& args) {
    if (name == "not") {
      return bool_value(!truth(args[0]));
    }
    if (name == "print") {
      return owned_value(go_sprint(args));
    }
    if (name == "println") {
      return owned_value(go_sprintln(args));
    }
    if (name == "printf" || name == "base64decode") {
      auto text = string_argument(args[0]);
      if (!text) {
        const Arg& where = command.args.size() > 1 ? command.args[1] : command.args.front();
        bool constant = where.kind == Arg::Kind::number || where.kind == Arg::Kind::boolean;
        // Go checks a constant against the parameter before evaluating it, in other words.
        return fail_at(where.pos,
                       where.source,
                       constant ? fmt::format("expected string; found {}", where.source)
                                : text.error().message);
      }
      if (name == "printf") {
        auto printed = go_sprintf(*text, {args.begin() + 1, args.end()});
        if (!printed) {
          return fail_at(command.pos, command.source, printed.error().message);
        }
        return owned_value(std::move(*printed));
      }
    }
    if (name == "html" || name == "js" || name == "urlquery") {
      std::string text = escaper_text(args);
      return owned_value(name == "html" ? html_escape(text)
                         : name == "js" ? js_escape(text)
                                        : query_escape(text));
    }
    if (name == "exists") {
      return bool_value(go_exists(args));
    }
    auto result = call_failing(name, args);
    if (!result) {
      return fail_at(command.pos,
                     command.source,
                     fmt::format("error calling {}: {}", name, result.error().message));
    }
    return result;
  }

  const GoTemplate::Tree& m_tree;
  bool m_allow_missing;
  GoTemplateLimits m_limits;
  std::string m_out;
  std::vector<std::pair<std::string, Value>> m_vars;
  std::string m_template = std::string(k_template_name);
  std::size_t m_steps = 0;
  std::size_t m_iterations = 0;
  std::size_t m_calls = 0;
};

} // namespace

Result<GoTemplate>
GoTemplate::parse(std::string_view text) {
  if (text.size() > k_max_go_template_bytes) {
    return fail_usage(fmt::format("template: {}: the template is {} bytes, more than the {} "
                                  "accepted",
                                  k_template_name,
                                  text.size(),
                                  k_max_go_template_bytes));
  }
  auto tree = std::make_shared<Tree>();
  tree->text = std::string(text);
  KCTL_TRY_ASSIGN(std::vector<Item> items, Lexer(tree->text).run());
  KCTL_TRY(Parser(tree->text, std::move(items), *tree).run());
  GoTemplate out;
  out.m_tree = std::move(tree);
  return out;
}

} // namespace kctl::output

namespace kctl::output {

Result<std::string>
GoTemplate::render(const Json& data,
                   bool allow_missing_keys,
                   const GoTemplateLimits& limits) const {
  return Exec(*m_tree, allow_missing_keys, limits).run(data);
}

} // namespace kctl::output
