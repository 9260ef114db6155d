#include "util/yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <regex>

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
    return std::stod(s);
  }
  return s;
}

Result<Json>
to_json(const YAML::Node& node, std::string_view source) {
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
      KCTL_TRY_ASSIGN(Json value, to_json(item, source));
      array.push_back(std::move(value));
    }
    return array;
  }
  case YAML::NodeType::Map: {
    Json object = Json::object();
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) {
        return failf("{}:{}:{}: mapping keys must be scalars",
                     source,
                     entry.first.Mark().line + 1,
                     entry.first.Mark().column + 1);
      }
      KCTL_TRY_ASSIGN(Json value, to_json(entry.second, source));
      object[entry.first.Scalar()] = std::move(value);
    }
    return object;
  }
  }
  return nullptr;
}

std::unexpected<Error>
parse_error(const YAML::Exception& e, std::string_view source) {
  return failf("{}:{}:{}: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg);
}

bool
needs_quotes(const std::string& s) {
  bool ignored = false;
  if (is_null_word(s) || is_bool_word(s, ignored) || std::regex_match(s, int_pattern()) ||
      std::regex_match(s, float_pattern())) {
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
      out << YAML::Key << key << YAML::Value;
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
    if (s.find('\n') != std::string::npos) {
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

Result<Json>
parse(std::string_view text, std::string_view source) {
  try {
    return to_json(YAML::Load(std::string(text)), source);
  } catch (const YAML::Exception& e) {
    return parse_error(e, source);
  }
}

Result<std::vector<Json>>
parse_all(std::string_view text, std::string_view source) {
  std::vector<Json> documents;
  try {
    for (const auto& node : YAML::LoadAll(std::string(text))) {
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
