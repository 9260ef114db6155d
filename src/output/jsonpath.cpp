#include "output/jsonpath.hpp"

#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <functional>

namespace kctl::output {

namespace {

struct Step {
  enum class Kind { root, current, field, recursive, wildcard, index, slice, filter } kind;
  std::string name;
  long first = 0;
  long last = 0;
  bool has_first = false;
  bool has_last = false;
  // filter: lhs op rhs
  std::vector<Step> lhs;
  std::string op; // "" (exists), ==, !=, <, <=, >, >=
  Json literal;
  std::vector<Step> rhs; // a path instead of a literal, when not empty
};

using Path = std::vector<Step>;

Result<Path> parse_path(std::string_view text);

// The index of the bracket closing the one at `open`, skipping quoted text and nested brackets.
size_t
matching(std::string_view text, size_t open, char open_char, char close_char) {
  int depth = 0;
  char quote = 0;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == open_char) {
      ++depth;
    } else if (c == close_char && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

std::string
trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    return {};
  }
  size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string
unquote(std::string_view quoted) {
  std::string out;
  for (size_t i = 1; i + 1 < quoted.size(); ++i) {
    char c = quoted[i];
    if (c == '\\' && i + 2 < quoted.size()) {
      char next = quoted[++i];
      switch (next) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      default:
        out += next;
      }
      continue;
    }
    out += c;
  }
  return out;
}

std::optional<long>
to_long(std::string_view text) {
  std::string trimmed = trim(text);
  long value = 0;
  auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
  if (error != std::errc() || end != trimmed.data() + trimmed.size() || trimmed.empty()) {
    return std::nullopt;
  }
  return value;
}

Result<Json>
parse_literal(std::string_view text) {
  std::string t = trim(text);
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) {
    return Json(unquote(t));
  }
  auto parsed = json::parse(t);
  if (!parsed) {
    return failf("unrecognized literal {}: {}", t, parsed.error().message);
  }
  return parsed;
}

Result<Step>
parse_filter(std::string_view inner) {
  // inner is "(@.a.b == 'x')"
  std::string body = trim(inner);
  if (body.size() < 2 || body.front() != '(' || body.back() != ')') {
    return failf("invalid filter [?{}]", inner);
  }
  body = trim(body.substr(1, body.size() - 2));
  Step step{Step::Kind::filter, {}, 0, 0, false, false, {}, {}, {}, {}};
  static const char* ops[] = {"==", "!=", "<=", ">=", "<", ">"};
  size_t at = std::string::npos;
  std::string op;
  for (const char* candidate : ops) {
    // first operator outside quotes
    char quote = 0;
    for (size_t i = 0; i < body.size(); ++i) {
      if (quote != 0) {
        if (body[i] == quote) {
          quote = 0;
        }
        continue;
      }
      if (body[i] == '"' || body[i] == '\'') {
        quote = body[i];
        continue;
      }
      if (body.compare(i, std::string_view(candidate).size(), candidate) == 0) {
        at = i;
        op = candidate;
        break;
      }
    }
    if (at != std::string::npos) {
      break;
    }
  }
  std::string lhs = at == std::string::npos ? body : trim(body.substr(0, at));
  KCTL_TRY_ASSIGN(step.lhs, parse_path(lhs));
  step.op = op;
  if (at != std::string::npos) {
    std::string rhs = trim(body.substr(at + op.size()));
    if (!rhs.empty() && (rhs.front() == '@' || rhs.front() == '$')) {
      KCTL_TRY_ASSIGN(step.rhs, parse_path(rhs));
    } else {
      KCTL_TRY_ASSIGN(step.literal, parse_literal(rhs));
    }
  }
  return step;
}

Result<Step>
parse_bracket(std::string_view inner) {
  std::string content = trim(inner);
  Step step{Step::Kind::wildcard, {}, 0, 0, false, false, {}, {}, {}, {}};
  if (content == "*") {
    return step;
  }
  if (!content.empty() && content.front() == '?') {
    return parse_filter(content.substr(1));
  }
  if (!content.empty() && (content.front() == '\'' || content.front() == '"')) {
    step.kind = Step::Kind::field;
    step.name = unquote(content);
    return step;
  }
  if (size_t colon = content.find(':'); colon != std::string::npos) {
    step.kind = Step::Kind::slice;
    std::string first = trim(content.substr(0, colon));
    std::string last = content.substr(colon + 1);
    if (size_t second = last.find(':'); second != std::string::npos) {
      last = last.substr(0, second); // a step is accepted and ignored
    }
    last = trim(last);
    if (!first.empty()) {
      auto value = to_long(first);
      if (!value) {
        return failf("invalid array index {}", first);
      }
      step.first = *value;
      step.has_first = true;
    }
    if (!last.empty()) {
      auto value = to_long(last);
      if (!value) {
        return failf("invalid array index {}", last);
      }
      step.last = *value;
      step.has_last = true;
    }
    return step;
  }
  auto index = to_long(content);
  if (!index) {
    return failf("invalid array index {}", content);
  }
  step.kind = Step::Kind::index;
  step.first = *index;
  return step;
}

Result<Path>
parse_path(std::string_view text) {
  Path path;
  size_t i = 0;
  if (i < text.size() && text[i] == '$') {
    path.push_back(Step{Step::Kind::root, {}, 0, 0, false, false, {}, {}, {}, {}});
    ++i;
  } else if (i < text.size() && text[i] == '@') {
    path.push_back(Step{Step::Kind::current, {}, 0, 0, false, false, {}, {}, {}, {}});
    ++i;
  }
  while (i < text.size()) {
    char c = text[i];
    if (c == '.') {
      bool recursive = i + 1 < text.size() && text[i + 1] == '.';
      i += recursive ? 2 : 1;
      std::string name;
      while (i < text.size() && text[i] != '.' && text[i] != '[') {
        if (text[i] == '\\' && i + 1 < text.size()) {
          ++i;
        }
        name += text[i++];
      }
      if (name.empty() && !recursive) {
        continue; // "{.}" is the current object
      }
      Step step{recursive ? Step::Kind::recursive : Step::Kind::field,
                name,
                0,
                0,
                false,
                false,
                {},
                {},
                {},
                {}};
      if (name == "*") {
        step.kind = Step::Kind::wildcard;
      }
      path.push_back(std::move(step));
    } else if (c == '[') {
      size_t close = matching(text, i, '[', ']');
      if (close == std::string_view::npos) {
        return failf("unterminated array notation in \"{}\"", text);
      }
      KCTL_TRY_ASSIGN(Step step, parse_bracket(text.substr(i + 1, close - i - 1)));
      path.push_back(std::move(step));
      i = close + 1;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else {
      return failf("unrecognized character '{}' in \"{}\"", c, text);
    }
  }
  return path;
}

void
collect_recursive(const Json& value, const std::string& name, std::vector<Json>& out) {
  if (value.is_object()) {
    if (auto found = value.find(name); found != value.end()) {
      out.push_back(*found);
    }
    for (const auto& [key, child] : value.items()) {
      collect_recursive(child, name, out);
    }
  } else if (value.is_array()) {
    for (const auto& child : value) {
      collect_recursive(child, name, out);
    }
  }
}

// `missing_key`, when given, receives the first field no value has (kubectl's
// --allow-missing-template-keys=false) and the evaluation stops there.
std::vector<Json> evaluate(const Path& path,
                           const Json& root,
                           const Json& current,
                           std::string* missing_key = nullptr);

bool
compare(const Json& left, const std::string& op, const Json& right) {
  if (left.is_number() && right.is_number()) {
    double a = left.get<double>();
    double b = right.get<double>();
    if (op == "==") {
      return a == b;
    }
    if (op == "!=") {
      return a != b;
    }
    if (op == "<") {
      return a < b;
    }
    if (op == "<=") {
      return a <= b;
    }
    if (op == ">") {
      return a > b;
    }
    return a >= b;
  }
  if (op == "==") {
    return left == right;
  }
  if (op == "!=") {
    return left != right;
  }
  if (left.is_string() && right.is_string()) {
    const auto& a = left.get_ref<const std::string&>();
    const auto& b = right.get_ref<const std::string&>();
    if (op == "<") {
      return a < b;
    }
    if (op == "<=") {
      return a <= b;
    }
    if (op == ">") {
      return a > b;
    }
    return a >= b;
  }
  return false;
}

bool
filter_holds(const Step& step, const Json& root, const Json& element) {
  std::vector<Json> left = evaluate(step.lhs, root, element);
  if (step.op.empty()) {
    return !left.empty();
  }
  Json right = step.literal;
  if (!step.rhs.empty()) {
    std::vector<Json> values = evaluate(step.rhs, root, element);
    if (values.empty()) {
      return false;
    }
    right = values.front();
  }
  for (const auto& value : left) {
    if (compare(value, step.op, right)) {
      return true;
    }
  }
  return false;
}

std::vector<Json>
evaluate(const Path& path, const Json& root, const Json& current, std::string* missing_key) {
  std::vector<Json> values = {current};
  for (const auto& step : path) {
    std::vector<Json> next;
    for (const auto& value : values) {
      switch (step.kind) {
      case Step::Kind::root:
        next.push_back(root);
        break;
      case Step::Kind::current:
        next.push_back(value);
        break;
      case Step::Kind::field:
        if (value.is_object()) {
          if (auto found = value.find(step.name); found != value.end()) {
            next.push_back(*found);
          }
        }
        break;
      case Step::Kind::recursive:
        collect_recursive(value, step.name, next);
        break;
      case Step::Kind::wildcard:
        if (value.is_object() || value.is_array()) {
          for (const auto& child : value) {
            next.push_back(child);
          }
        }
        break;
      case Step::Kind::index:
        if (value.is_array()) {
          long size = static_cast<long>(value.size());
          long at = step.first < 0 ? size + step.first : step.first;
          if (at >= 0 && at < size) {
            next.push_back(value[static_cast<size_t>(at)]);
          }
        }
        break;
      case Step::Kind::slice:
        if (value.is_array()) {
          long size = static_cast<long>(value.size());
          long first = step.has_first ? step.first : 0;
          long last = step.has_last ? step.last : size;
          first = first < 0 ? std::max(0L, size + first) : std::min(first, size);
          last = last < 0 ? std::max(0L, size + last) : std::min(last, size);
          for (long at = first; at < last; ++at) {
            next.push_back(value[static_cast<size_t>(at)]);
          }
        }
        break;
      case Step::Kind::filter:
        if (value.is_array()) {
          for (const auto& element : value) {
            if (filter_holds(step, root, element)) {
              next.push_back(element);
            }
          }
        }
        break;
      }
    }
    // As client-go's evalField: a field none of several values has is "not found".
    if (missing_key != nullptr && step.kind == Step::Kind::field && next.empty() &&
        !values.empty()) {
      *missing_key = step.name;
      return {};
    }
    values = std::move(next);
  }
  return values;
}

} // namespace

struct JsonPath::Node {
  enum class Kind { text, path, range } kind = Kind::text;
  std::string text;
  Path path;
  std::vector<Node> children;
};

namespace {

using Node = JsonPath::Node;

Result<std::vector<Node>>
parse_template(std::string_view text) {
  std::vector<Node> top;
  // Open ranges, innermost last: their paths and the children read so far.
  std::vector<std::vector<Node>> open_children;
  std::vector<Path> open_paths;
  auto add = [&](Node node) {
    if (open_children.empty()) {
      top.push_back(std::move(node));
    } else {
      open_children.back().push_back(std::move(node));
    }
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open != i) {
      size_t end = open == std::string_view::npos ? text.size() : open;
      add(Node{Node::Kind::text, std::string(text.substr(i, end - i)), {}, {}});
      if (open == std::string_view::npos) {
        break;
      }
    }
    size_t close = matching(text, open, '{', '}');
    if (close == std::string_view::npos) {
      return fail_usage(fmt::format("error parsing jsonpath {}: unclosed action", text));
    }
    std::string action = trim(text.substr(open + 1, close - open - 1));
    i = close + 1;
    if (action.starts_with("range ") || action == "range") {
      auto path = parse_path(trim(action.substr(5)));
      if (!path) {
        return fail_usage(fmt::format("error parsing jsonpath {}: {}", text, path.error().message));
      }
      open_paths.push_back(std::move(*path));
      open_children.emplace_back();
    } else if (action == "end") {
      if (open_children.empty()) {
        return fail_usage(
            fmt::format("error parsing jsonpath {}: not in range, nothing to end", text));
      }
      Node range{
          Node::Kind::range, {}, std::move(open_paths.back()), std::move(open_children.back())};
      open_paths.pop_back();
      open_children.pop_back();
      add(std::move(range));
    } else if (!action.empty() && (action.front() == '"' || action.front() == '\'')) {
      add(Node{Node::Kind::text, unquote(action), {}, {}});
    } else {
      auto path = parse_path(action);
      if (!path) {
        return fail_usage(fmt::format("error parsing jsonpath {}: {}", text, path.error().message));
      }
      add(Node{Node::Kind::path, {}, std::move(*path), {}});
    }
  }
  if (!open_children.empty()) {
    return fail_usage(fmt::format("error parsing jsonpath {}: unclosed range", text));
  }
  return top;
}

// The results of each path of the template, in order (a range's children once per element), as
// client-go's FindResults lists them; text is a result of its own. Stops at a missing key when
// `missing_key` is given.
void
collect_results(const std::vector<Node>& nodes,
                const Json& root,
                const Json& current,
                std::string* missing_key,
                std::vector<std::vector<Json>>& out) {
  for (const auto& node : nodes) {
    if (missing_key != nullptr && !missing_key->empty()) {
      return;
    }
    switch (node.kind) {
    case Node::Kind::text:
      out.push_back({Json(node.text)});
      break;
    case Node::Kind::path:
      out.push_back(evaluate(node.path, root, current, missing_key));
      break;
    case Node::Kind::range:
      for (const auto& value : evaluate(node.path, root, current, missing_key)) {
        collect_results(node.children, root, value, missing_key, out);
      }
      break;
    }
  }
}

Result<std::vector<std::vector<Json>>>
results_of(const std::vector<Node>& nodes, const Json& data, bool allow_missing_keys) {
  std::string missing;
  std::vector<std::vector<Json>> results;
  collect_results(nodes, data, data, allow_missing_keys ? nullptr : &missing, results);
  if (!missing.empty()) {
    return failf("{} is not found", missing);
  }
  return results;
}

} // namespace

std::string
text_of(const Json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.dump();
}

Result<JsonPath>
JsonPath::parse(std::string_view text) {
  KCTL_TRY_ASSIGN(std::vector<Node> nodes, parse_template(text));
  JsonPath out;
  out.m_nodes = std::make_shared<const std::vector<Node>>(std::move(nodes));
  return out;
}

Result<JsonPath>
JsonPath::parse_relaxed(std::string_view expression) {
  std::string text = trim(expression);
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    return parse(text);
  }
  if (!text.empty() && text.front() != '.' && text.front() != '$' && text.front() != '@') {
    text = "." + text;
  }
  return parse("{" + text + "}");
}

Result<std::string>
JsonPath::render(const Json& data, bool allow_missing_keys) const {
  KCTL_TRY_ASSIGN(auto results, results_of(*m_nodes, data, allow_missing_keys));
  std::string out;
  for (const auto& values : results) {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) {
        out += ' ';
      }
      out += text_of(values[i]);
    }
  }
  return out;
}

Result<std::string>
JsonPath::render_json(const Json& data, bool allow_missing_keys) const {
  KCTL_TRY_ASSIGN(auto results, results_of(*m_nodes, data, allow_missing_keys));
  std::string out;
  for (auto& values : results) {
    Json array = Json::array();
    for (auto& value : values) {
      array.push_back(std::move(value));
    }
    out += array.dump(4) + "\n";
  }
  return out;
}

Result<std::vector<Json>>
JsonPath::values(const Json& data) const {
  std::vector<Json> out;
  for (const auto& node : *m_nodes) {
    if (node.kind == Node::Kind::path) {
      for (auto& value : evaluate(node.path, data, data)) {
        out.push_back(std::move(value));
      }
    }
  }
  return out;
}

} // namespace kctl::output
