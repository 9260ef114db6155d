#include "util/yaml.hpp"

#include "util/fs.hpp"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <utility>

namespace kctl::yaml {

namespace {

bool
is_null_word(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool
is_bool_word(const std::string& s, bool& value) {
  static const char* const trues[] = {"true", "True", "TRUE"};
  static const char* const falses[] = {"false", "False", "FALSE"};
  for (const char* t : trues) {
    if (s == t) {
      value = true;
      return true;
    }
  }
  for (const char* f : falses) {
    if (s == f) {
      value = false;
      return true;
    }
  }
  return false;
}

const std::regex&
int_pattern() {
  static const std::regex pattern(R"([-+]?(0|[1-9][0-9]*))");
  return pattern;
}

// What YAML 1.1 readers (Go's yaml.v2, which kubectl's printers use) take as a timestamp or a
// sexagesimal number rather than a string: written so, a string must be quoted.
const std::regex&
yaml11_timestamp_pattern() {
  static const std::regex pattern(
      R"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?)"
      R"(([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?)");
  return pattern;
}

const std::regex&
yaml11_sexagesimal_pattern() {
  static const std::regex pattern(R"([-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)");
  return pattern;
}

const std::regex&
float_pattern() {
  static const std::regex pattern(
      R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  return pattern;
}

Json
plain_scalar(const std::string& s) {
  bool flag = false;
  if (is_null_word(s)) {
    return nullptr;
  }
  if (is_bool_word(s, flag)) {
    return flag;
  }
  if (std::regex_match(s, int_pattern())) {
    try {
      if (s.front() == '-') {
        return std::stoll(s);
      }
      return static_cast<std::uint64_t>(std::stoull(s[0] == '+' ? s.substr(1) : s));
    } catch (const std::out_of_range&) {
      return s;
    }
  }
  if (std::regex_match(s, float_pattern()) && s.find_first_of("0123456789") != std::string::npos) {
    try {
      return std::stod(s);
    } catch (const std::out_of_range&) {
      return s; // beyond a double (1e999): go-yaml keeps such a scalar as a string too
                // (fuzz_manifests)
    }
  }
  return s;
}

// Kubernetes decodes YAML with go-yaml, which refuses "excessive aliasing": past 100 aliased
// nodes and 1,000 nodes in all, the share of nodes decoded through aliases may be at most 99%
// up to 400,000 nodes, falling linearly to 10% at 4,000,000 ("billion laughs" documents are
// refused long before they expand). The same rule applies here, plus a nesting limit.
constexpr std::uint64_t k_alias_min_aliases = 100;
constexpr std::uint64_t k_alias_min_nodes = 1000;
constexpr double k_alias_ratio_range_low = 400000;
constexpr double k_alias_ratio_range_high = 4000000;
// Deeper than any Kubernetes object; also stops a self-referencing alias (&a [*a]).
constexpr int k_max_yaml_depth = 1000;

double
allowed_alias_ratio(std::uint64_t nodes) {
  auto count = static_cast<double>(nodes);
  if (count <= k_alias_ratio_range_low) {
    return 0.99;
  }
  if (count >= k_alias_ratio_range_high) {
    return 0.10;
  }
  return 0.99 - 0.89 * ((count - k_alias_ratio_range_low) /
                        (k_alias_ratio_range_high - k_alias_ratio_range_low));
}

// Converts one document, counting nodes as go-yaml does. An alias is the very node it names
// (yaml-cpp shares it), so a node met a second time (same position and type) is an alias.
class Decoder {
public:
  explicit Decoder(std::string_view source) : m_source(source) {}

  Result<Json> to_json(const YAML::Node& node) { return convert(node, 0); }

private:
  std::unexpected<Error> refuse(const YAML::Node& node, std::string_view problem) const {
    return failf("{}:{}:{}: {}", m_source, node.Mark().line + 1, node.Mark().column + 1, problem);
  }

  Status count(const YAML::Node& node, int depth, bool& alias) {
    if (depth > k_max_yaml_depth) {
      return refuse(node,
                    fmt::format("the document nests deeper than {} levels", k_max_yaml_depth));
    }
    const YAML::Mark mark = node.Mark();
    alias = mark.pos >= 0 && !m_seen.insert({mark.pos, static_cast<int>(node.Type())}).second;
    ++m_nodes;
    if (m_alias_depth > 0 || alias) {
      ++m_aliased;
    }
    if (m_aliased > k_alias_min_aliases && m_nodes > k_alias_min_nodes &&
        static_cast<double>(m_aliased) / static_cast<double>(m_nodes) >
            allowed_alias_ratio(m_nodes)) {
      return refuse(node,
                    fmt::format("the document contains excessive aliasing ({} of {} nodes "
                                "expanded from aliases); Kubernetes refuses it too",
                                m_aliased,
                                m_nodes));
    }
    return {};
  }

  Result<Json> convert(const YAML::Node& node, int depth) {
    bool alias = false;
    KCTL_TRY(count(node, depth, alias));
    if (alias) {
      ++m_alias_depth;
    }
    Result<Json> out = convert_children(node, depth);
    if (alias) {
      --m_alias_depth;
    }
    return out;
  }

  Result<Json> convert_children(const YAML::Node& node, int depth) {
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted and block scalars "!" and plain ones "?"; only plain ones are typed.
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
        return node.Scalar();
      }
      return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const auto& item : node) {
        KCTL_TRY_ASSIGN(Json value, convert(item, depth + 1));
        array.push_back(std::move(value));
      }
      return array;
    }
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          return refuse(entry.first, "mapping keys must be scalars");
        }
        KCTL_TRY_ASSIGN(Json value, convert(entry.second, depth + 1));
        object[entry.first.Scalar()] = std::move(value);
      }
      return object;
    }
    }
    return nullptr;
  }

  std::string_view m_source;
  std::set<std::pair<int, int>> m_seen;
  std::uint64_t m_nodes = 0;
  std::uint64_t m_aliased = 0;
  int m_alias_depth = 0;
};

Result<Json>
to_json(const YAML::Node& node, std::string_view source) {
  return Decoder(source).to_json(node);
}

std::unexpected<Error>
parse_error(const YAML::Exception& e, std::string_view source) {
  return failf("{}:{}:{}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg);
}

// yaml-cpp writes a literal block as "|" (clip chomping, no indentation indicator), which reads
// back as exactly the text only when it ends in a single newline and its first line does not start
// with a space; anything else multi-line is double-quoted with escapes (found by
// tests/fuzz/fuzz_yaml: "a\n b" came back as "a\n b\n").
bool
literal_block_keeps(const std::string& s) {
  if (s.find('\n') == std::string::npos || s.back() != '\n' || s.ends_with("\n\n") ||
      s.front() == ' ' || s.front() == '\n') {
    return false;
  }
  // A block holds printable text only (a reader turns "\r\n" into "\n"; control bytes are not
  // YAML).
  return std::ranges::none_of(s, [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f;
  });
}

bool
needs_quotes(const std::string& s) {
  // Control bytes (a trailing "\r" among them) would be written bare and read back otherwise
  // (found by fuzz_yaml); double quotes escape them.
  if (std::ranges::any_of(s, [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7f;
      })) {
    return true;
  }
  // A bare "---" or "..." starts or ends a document (found by fuzz_yaml).
  if (s.starts_with("---") || s.starts_with("...")) {
    return true;
  }
  bool ignored = false;
  if (is_null_word(s) || is_bool_word(s, ignored) || std::regex_match(s, int_pattern()) ||
      std::regex_match(s, float_pattern())) {
    return true;
  }
  if (!s.empty() &&
      (std::isdigit(static_cast<unsigned char>(s[0])) != 0 || s[0] == '-' || s[0] == '+') &&
      (std::regex_match(s, yaml11_timestamp_pattern()) ||
       std::regex_match(s, yaml11_sexagesimal_pattern()))) {
    return true;
  }
  // YAML 1.1 readers (Go's yaml.v2 among them) also take these as booleans.
  static const char* const yaml11_words[] = {"y",
                                             "Y",
                                             "yes",
                                             "Yes",
                                             "YES",
                                             "n",
                                             "N",
                                             "no",
                                             "No",
                                             "NO",
                                             "on",
                                             "On",
                                             "ON",
                                             "off",
                                             "Off",
                                             "OFF"};
  for (const char* word : yaml11_words) {
    if (s == word) {
      return true;
    }
  }
  return false;
}

// Keys up to this many bytes are printed as simple keys: even with every byte escaped as \xNN
// (four characters) and quoted, they stay within YAML's 1024-character limit for simple keys.
constexpr std::size_t k_max_short_key_bytes = 250;

void
emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
  case Json::value_t::object:
    if (value.empty()) {
      out << YAML::Flow << YAML::BeginMap
          << YAML::EndMap; // "{}": block style would read back as null
      break;
    }
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.items()) {
      // Keys follow the string rules, never as a block (a bare "--- x" key would start a document;
      // found by fuzz_yaml).
      out << YAML::Key;
      // A simple key may be at most 1024 characters as printed (escapes included), or readers
      // refuse it; longer ones are written as explicit "? key" entries (found by fuzz_yaml).
      if (key.size() > k_max_short_key_bytes) {
        out << YAML::LongKey;
      }
      if (needs_quotes(key) || key.find('\n') != std::string::npos) {
        out << YAML::DoubleQuoted;
      }
      out << key << YAML::Value;
      emit(out, item);
    }
    out << YAML::EndMap;
    break;
  case Json::value_t::array:
    if (value.empty()) {
      out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      break;
    }
    out << YAML::BeginSeq;
    for (const auto& item : value) {
      emit(out, item);
    }
    out << YAML::EndSeq;
    break;
  case Json::value_t::string: {
    const auto& s = value.get_ref<const std::string&>();
    if (literal_block_keeps(s)) {
      out << YAML::Literal << s;
    } else if (needs_quotes(s)) {
      out << YAML::DoubleQuoted << s;
    } else {
      out << s;
    }
    break;
  }
  case Json::value_t::boolean:
    out << (value.get<bool>() ? "true" : "false");
    break;
  case Json::value_t::null:
  case Json::value_t::discarded:
    out << YAML::Null;
    break;
  default:
    out << value.dump();
    break;
  }
}

} // namespace

namespace {

// The offset of the first byte that is not part of valid UTF-8, if any. Strings that are not UTF-8
// cannot become JSON (Json::dump throws; found by tests/fuzz/fuzz_yaml); go-yaml refuses them too.
std::optional<std::size_t>
invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || (length == 2 && byte < 0xC2) ||
        (byte == 0xF4 && length == 4 && i + 1 < text.size() &&
         static_cast<unsigned char>(text[i + 1]) > 0x8F) ||
        byte > 0xF4 || i + length > text.size()) {
      return i;
    }
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return i;
      }
    }
    if (length == 3) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      if ((byte == 0xE0 && next < 0xA0) || (byte == 0xED && next > 0x9F)) {
        return i; // overlong, or a UTF-16 surrogate
      }
    }
    if (length == 4 && byte == 0xF0 && static_cast<unsigned char>(text[i + 1]) < 0x90) {
      return i; // overlong
    }
    i += length;
  }
  return std::nullopt;
}

Status
check_utf8(std::string_view text, std::string_view source) {
  if (auto at = invalid_utf8_at(text)) {
    return failf("{}: not UTF-8 text (invalid byte at offset {})", source, *at);
  }
  // NUL is no YAML character, and leading NULs make yaml-cpp read the text as UTF-16 or UTF-32
  // (its encoding guess), whose decoding then yields bytes that are not UTF-8 (found by fuzz_yaml).
  if (auto at = text.find('\0'); at != std::string_view::npos) {
    return failf("{}: not YAML text (a NUL byte at offset {})", source, at);
  }
  return {};
}

} // namespace

Result<Json>
parse(std::string_view text, std::string_view source) {
  KCTL_TRY(check_utf8(text, source));
  try {
    return to_json(YAML::Load(std::string(text)), source);
  } catch (const YAML::Exception& e) {
    return parse_error(e, source);
  }
}

namespace {

// yaml-cpp 0.7's LoadAll never returns on some malformed streams (found by tests/fuzz/fuzz_yaml:
// ",\"kind\": ..." yields empty documents at the same position, forever). This first pass over
// the parser's events stops at the first document that does not start after the previous one.
class ProgressCheck : public YAML::EventHandler {
public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (m_documents > 0 && mark.pos <= m_last_start) {
      m_stuck = mark;
    }
    m_last_start = mark.pos;
    ++m_documents;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnAlias(const YAML::Mark& /*mark*/, YAML::anchor_t /*anchor*/) override {}
  void OnScalar(const YAML::Mark& /*mark*/,
                const std::string& /*tag*/,
                YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {}
  void OnSequenceStart(const YAML::Mark& /*mark*/,
                       const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/,
                       YAML::EmitterStyle::value /*style*/) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& /*mark*/,
                  const std::string& /*tag*/,
                  YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {}
  void OnMapEnd() override {}

  const std::optional<YAML::Mark>& stuck() const { return m_stuck; }

private:
  int m_last_start = 0;
  std::size_t m_documents = 0;
  std::optional<YAML::Mark> m_stuck;
};

// Fails where the stream stops making progress; YAML errors are thrown as by LoadAll.
Status
check_progress(const std::string& text, std::string_view source) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  ProgressCheck check;
  while (parser.HandleNextDocument(check)) {
    if (const auto& mark = check.stuck()) {
      return failf("{}:{}:{}: not a YAML document (the parser cannot get past it)",
                   source,
                   mark->line + 1,
                   mark->column + 1);
    }
  }
  return {};
}

} // namespace

Result<std::vector<Json>>
parse_all(std::string_view text, std::string_view source) {
  std::vector<Json> documents;
  KCTL_TRY(check_utf8(text, source));
  std::string owned(text);
  try {
    KCTL_TRY(check_progress(owned, source));
    for (const auto& node : YAML::LoadAll(owned)) {
      if (node.IsNull()) {
        continue;
      }
      KCTL_TRY_ASSIGN(Json document, to_json(node, source));
      documents.push_back(std::move(document));
    }
  } catch (const YAML::Exception& e) {
    return parse_error(e, source);
  }
  return documents;
}

Result<std::string>
read_input(const std::filesystem::path& path, std::size_t max_bytes, std::string_view what) {
  return fs::read_file(path, max_bytes, what);
}

std::string
dump(const Json& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  out.SetSeqFormat(YAML::Block);
  out.SetMapFormat(YAML::Block);
  emit(out, value);
  std::string text = out.c_str();
  if (!text.empty() && text.back() != '\n') {
    text += '\n';
  }
  return text;
}

} // namespace kctl::yaml
