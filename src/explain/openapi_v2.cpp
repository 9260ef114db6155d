#include "explain/openapi_v2.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <set>
#include <span>
#include <stdexcept>

namespace kctl::explain {

namespace {

// How kube-openapi's proto package reads a definition.
enum class V2Shape { reference, kind, map, array, primitive, arbitrary };

struct V2Node {
  V2Shape shape = V2Shape::arbitrary;
  const Document* schema = nullptr; // whose description, fields and type this node has
};

class V2Failure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

const Document*
v2_member(const Document* schema, std::string_view key) {
  if (schema == nullptr || !schema->is_object()) {
    return nullptr;
  }
  auto found = schema->find(key);
  return found == schema->end() || found->is_null() ? nullptr : &*found;
}

std::string
v2_string(const Document* value) {
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string{};
}

// The one type a definition names ("" when none).
std::string
type_of(const Document& schema) {
  const Document* type = v2_member(&schema, "type");
  if (type != nullptr && type->is_array() && type->size() == 1) {
    return v2_string(&(*type)[0]);
  }
  return v2_string(type);
}

V2Node
node_of(const Document& schema) {
  if (!v2_string(v2_member(&schema, "$ref")).empty()) {
    return {V2Shape::reference, &schema};
  }
  std::string type = type_of(schema);
  bool has_properties = v2_member(&schema, "properties") != nullptr;
  if (type.empty()) {
    return {has_properties ? V2Shape::kind : V2Shape::arbitrary, &schema};
  }
  if (type == "object") {
    return {has_properties ? V2Shape::kind : V2Shape::map, &schema};
  }
  return {type == "array" ? V2Shape::array : V2Shape::primitive, &schema};
}

std::string
description_of(const V2Node& node) {
  return v2_string(v2_member(node.schema, "description"));
}

class V2Renderer {
public:
  V2Renderer(const Document& document, bool recursive)
      : m_definitions(v2_member(&document, "definitions")), m_recursive(recursive) {}

  // The element of an array, the values of a map (a map without a schema for them holds
  // anything, described as the map is), the definition a reference names.
  V2Node sub(const V2Node& node) const {
    if (node.shape == V2Shape::map) {
      const Document* values = v2_member(node.schema, "additionalProperties");
      return values != nullptr && values->is_object() ? node_of(*values)
                                                      : V2Node{V2Shape::arbitrary, node.schema};
    }
    if (node.shape == V2Shape::array) {
      const Document* items = v2_member(node.schema, "items");
      if (items != nullptr && items->is_array() && items->size() == 1) {
        return node_of((*items)[0]);
      }
      return items != nullptr && items->is_object() ? node_of(*items) : V2Node{};
    }
    std::string ref = v2_string(v2_member(node.schema, "$ref"));
    constexpr std::string_view prefix = "#/definitions/";
    const Document* target =
        ref.starts_with(prefix)
            ? v2_member(m_definitions, std::string_view(ref).substr(prefix.size()))
            : nullptr;
    if (target == nullptr) {
      throw V2Failure(fmt::format("unknown model in reference: \"{}\"", ref));
    }
    return node_of(*target);
  }

  std::string type_name(const V2Node& node, std::size_t depth = 0) const {
    if (depth > k_max_depth) {
      throw V2Failure("the schema's references nest too deep");
    }
    switch (node.shape) {
    case V2Shape::array:
      return "[]" + type_name(sub(node), depth + 1);
    case V2Shape::map:
      return "map[string]" + type_name(sub(node), depth + 1);
    case V2Shape::kind:
      return "Object";
    case V2Shape::primitive:
      return type_of(*node.schema);
    case V2Shape::reference:
      return type_name(sub(node), depth + 1);
    case V2Shape::arbitrary:
      return "";
    }
    return "";
  }

  // kubectl's LookupSchemaForField: a primitive or arbitrary value ends the walk.
  V2Node lookup(V2Node node, std::span<const std::string> path) const {
    for (std::size_t steps = 0; steps <= k_max_depth; ++steps) {
      switch (node.shape) {
      case V2Shape::primitive:
      case V2Shape::arbitrary:
        return node;
      case V2Shape::kind: {
        if (path.empty()) {
          return node;
        }
        const Document* field = v2_member(v2_member(node.schema, "properties"), path.front());
        if (field == nullptr) {
          throw V2Failure(fmt::format("field \"{}\" does not exist", path.front()));
        }
        node = node_of(*field);
        path = path.subspan(1);
        break;
      }
      default:
        if (path.empty()) {
          return node;
        }
        node = sub(node);
      }
    }
    throw V2Failure("the schema's references nest too deep");
  }

  void write(std::size_t indent_amount, const std::string& text) {
    m_out += text.empty() ? "\n" : std::string(indent_amount, ' ') + text + "\n";
  }

  void write_wrapped(std::size_t indent_amount, const std::string& text) {
    for (const auto& line : wrap_paragraphs(text, 80 - indent_amount)) {
      write(indent_amount, line);
    }
  }

  void print_description(const V2Node& node) {
    constexpr std::size_t k_description_indent = 5;
    write(0, "DESCRIPTION:");
    m_descriptions.push_back(description_of(node));
    bool empty = true;
    for (std::size_t i = 0; i < m_descriptions.size(); ++i) {
      if (m_descriptions[i].empty()) {
        continue;
      }
      empty = false;
      if (i != 0) {
        write(0, "");
      }
      write_wrapped(k_description_indent, m_descriptions[i]);
    }
    if (empty) {
      write_wrapped(k_description_indent, "<empty>");
    }
  }

  void regular_fields(const V2Node& kind) {
    const Document* properties = v2_member(kind.schema, "properties");
    if (properties == nullptr || !properties->is_object()) {
      return;
    }
    std::set<std::string> required;
    if (const Document* names = v2_member(kind.schema, "required"); names && names->is_array()) {
      for (const auto& name : *names) {
        required.insert(v2_string(&name));
      }
    }
    for (const auto& [key, value] : properties->items()) {
      V2Node field = node_of(value);
      write(3,
            fmt::format(
                "{}\t<{}>{}", key, type_name(field), required.contains(key) ? " -required-" : ""));
      write_wrapped(5, description_of(field));
      write(0, "");
    }
  }

  void recursive_fields(const V2Node& node, std::size_t indent_amount, std::size_t depth) {
    if (depth > k_max_depth) {
      throw V2Failure("the schema nests too deep");
    }
    switch (node.shape) {
    case V2Shape::kind: {
      const Document* properties = v2_member(node.schema, "properties");
      if (properties == nullptr || !properties->is_object()) {
        return;
      }
      for (const auto& [key, value] : properties->items()) {
        V2Node field = node_of(value);
        write(indent_amount, fmt::format("{}\t<{}>", key, type_name(field)));
        recursive_fields(field, indent_amount + 3, depth + 1);
        check_size();
      }
      return;
    }
    case V2Shape::array:
    case V2Shape::map:
      recursive_fields(sub(node), indent_amount, depth + 1);
      return;
    case V2Shape::reference: {
      std::string ref = v2_string(v2_member(node.schema, "$ref"));
      if (!m_visited.insert(ref).second) {
        return; // kubectl lists a type inside itself once
      }
      recursive_fields(sub(node), indent_amount, depth + 1);
      m_visited.erase(ref);
      return;
    }
    default:
      return;
    }
  }

  // kubectl's modelPrinter: array, map and reference descriptions gathered on the way down.
  void print_model(V2Node node, const std::string& name, const Gvk& gvk) {
    std::string type;
    for (std::size_t steps = 0; steps <= k_max_depth; ++steps) {
      switch (node.shape) {
      case V2Shape::array:
      case V2Shape::map:
        m_descriptions.push_back(description_of(node));
        if (type.empty()) {
          type = type_name(node);
        }
        node = sub(node);
        continue;
      case V2Shape::reference:
        m_descriptions.push_back(description_of(node));
        node = sub(node);
        continue;
      default:
        break;
      }
      write(0, "KIND:     " + gvk.kind);
      write(0,
            fmt::format("VERSION:  {}\n",
                        gvk.group.empty() ? gvk.version : gvk.group + "/" + gvk.version));
      if (node.shape == V2Shape::kind) {
        if (!name.empty()) {
          write(0, fmt::format("RESOURCE: {} <{}>\n", name, type.empty() ? "Object" : type));
        }
        print_description(node);
        write(0, "\nFIELDS:");
        if (m_recursive) {
          recursive_fields(node, 3, 0);
        } else {
          regular_fields(node);
        }
      } else if (node.shape == V2Shape::primitive) {
        write(
            0,
            fmt::format("FIELD:    {} <{}>\n", name, type.empty() ? type_of(*node.schema) : type));
        print_description(node);
      } else {
        print_description(node);
      }
      return;
    }
    throw V2Failure("the schema's references nest too deep");
  }

  void check_size() const {
    if (m_out.size() > k_max_text) {
      throw V2Failure(
          fmt::format("the explanation is larger than {} MiB (the limit)", k_max_text >> 20));
    }
  }

  std::string take() { return std::move(m_out); }

private:
  const Document* m_definitions;
  bool m_recursive;
  std::string m_out;
  std::vector<std::string> m_descriptions;
  std::set<std::string> m_visited;
};

// The definition kubectl picks for `gvk`: the last by name whose x-kubernetes-group-version-kind
// lists it.
const Document*
definition_for(const Document& document, const Gvk& gvk) {
  const Document* definitions = v2_member(&document, "definitions");
  if (definitions == nullptr || !definitions->is_object()) {
    return nullptr;
  }
  const Document* found = nullptr;
  for (const auto& [name, schema] : definitions->items()) {
    const Document* kinds = v2_member(&schema, "x-kubernetes-group-version-kind");
    if (kinds == nullptr || !kinds->is_array()) {
      continue;
    }
    for (const auto& entry : *kinds) {
      if (v2_string(v2_member(&entry, "group")) == gvk.group &&
          v2_string(v2_member(&entry, "version")) == gvk.version &&
          v2_string(v2_member(&entry, "kind")) == gvk.kind && !gvk.kind.empty()) {
        found = &schema;
      }
    }
  }
  return found;
}

// Go's unicode.IsSpace for the bytes strings.Fields and TrimSpace see (ASCII and Latin-1's two).
bool
is_go_space_at(std::string_view text, std::size_t at, std::size_t& size) {
  size = 1;
  char c = text[at];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
    return true;
  }
  if (static_cast<unsigned char>(c) == 0xC2 && at + 1 < text.size() &&
      (static_cast<unsigned char>(text[at + 1]) == 0x85 ||
       static_cast<unsigned char>(text[at + 1]) == 0xA0)) {
    size = 2;
    return true;
  }
  return false;
}

std::vector<std::string>
go_fields(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t size = 1;
    if (is_go_space_at(text, at, size)) {
      if (!word.empty()) {
        out.push_back(std::move(word));
        word.clear();
      }
    } else {
      word += text[at];
    }
    at += size;
  }
  if (!word.empty()) {
    out.push_back(std::move(word));
  }
  return out;
}

// "1. ", "2 ", "- ", "* " at the start of a (trimmed) line.
bool
starts_bullet(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    ++i;
  }
  if (i > 0) {
    if (i < text.size() && text[i] == '.') {
      ++i;
    }
  } else if (!text.empty() && (text[0] == '-' || text[0] == '*')) {
    i = 1;
  } else {
    return false;
  }
  return i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                             text[i] == '\f' || text[i] == '\r');
}

} // namespace

std::vector<std::string>
wrap_paragraphs(const std::string& text, std::size_t width) {
  std::vector<std::string> wrapped;
  std::vector<std::string> line;
  std::size_t line_len = 0;
  std::string last_word;
  auto flush = [&] {
    if (!line.empty()) {
      last_word.clear();
      std::string joined;
      for (std::size_t i = 0; i < line.size(); ++i) {
        joined += (i ? " " : "") + line[i];
      }
      wrapped.push_back(std::move(joined));
      line.clear();
      line_len = 0;
    }
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string_view str = std::string_view(text).substr(start, end - start);
    start = end + 1;
    std::vector<std::string> words = go_fields(str);
    if (str.starts_with("    ")) {
      flush();
      wrapped.emplace_back(str);
      continue;
    }
    if (!wrapped.empty() && words.empty()) {
      flush();
      wrapped.emplace_back();
      continue;
    }
    std::size_t first = str.find_first_not_of(" \t\r\f\v");
    if (last_word.ends_with(':') || words.empty() ||
        starts_bullet(str.substr(first == std::string_view::npos ? str.size() : first))) {
      flush();
    }
    for (auto& word : words) {
      last_word = word;
      std::size_t added = line.empty() ? word.size() : line_len + 1 + word.size();
      if (added > width && !line.empty()) {
        flush();
        added = word.size();
      }
      line.push_back(word);
      line_len = added;
    }
  }
  flush();
  return wrapped;
}

Rendered
render_openapi_v2(const Document& document,
                  const Gvk& gvk,
                  const std::vector<std::string>& field_path,
                  bool recursive) {
  Rendered out;
  const Document* model = definition_for(document, gvk);
  if (model == nullptr) {
    out.error = fmt::format(
        "couldn't find resource for \"{}/{}, Kind={}\"", gvk.group, gvk.version, gvk.kind);
    return out;
  }
  try {
    V2Renderer renderer(document, recursive);
    V2Node leaf = renderer.lookup(node_of(*model), field_path);
    renderer.print_model(leaf, field_path.empty() ? "" : field_path.back(), gvk);
    out.text = renderer.take();
  } catch (const V2Failure& failure) {
    out.error = failure.what();
  }
  return out;
}

} // namespace kctl::explain
