#include "explain/explain.hpp"

#include "describe/writer.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>

namespace kctl::explain {

namespace {

using FieldWords = std::span<const std::string>;
using History = std::set<std::string>;

// A failure while rendering (a template's `fail`, a bound reached); caught in render_plaintext.
class RenderFailure : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Go templates' truth: false, 0, nil, and empty strings, arrays and maps are false.
bool
truthy(const Document* value) {
  if (value == nullptr || value->is_null()) {
    return false;
  }
  if (value->is_boolean()) {
    return value->get<bool>();
  }
  if (value->is_number()) {
    return value->get<double>() != 0;
  }
  if (value->is_string()) {
    return !value->get_ref<const std::string&>().empty();
  }
  return !value->empty();
}

// `.key` of a schema: the member when `schema` is an object holding it.
const Document*
schema_member(const Document* schema, std::string_view key) {
  if (schema == nullptr || !schema->is_object()) {
    return nullptr;
  }
  auto found = schema->find(key);
  return found == schema->end() ? nullptr : &*found;
}

// A value as Go's fmt %v prints what encoding/json decoded: numbers are float64 ("1e+06").
std::string
go_print(const Document& value) {
  switch (value.type()) {
  case Document::value_t::string:
    return value.get<std::string>();
  case Document::value_t::null:
    return "<nil>";
  case Document::value_t::boolean:
    return value.get<bool>() ? "true" : "false";
  case Document::value_t::array: {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      out += (i ? " " : "") + go_print(value[i]);
    }
    return out + "]";
  }
  case Document::value_t::object: {
    std::string out = "map[";
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      out += (first ? "" : " ") + key + ":" + go_print(item);
      first = false;
    }
    return out + "]";
  }
  default:
    return describe::go_value(Json(value.get<double>()));
  }
}

// A value printed by a template action: an absent one is "<no value>".
std::string
template_print(const Document* value) {
  return value == nullptr || value->is_null() ? "<no value>" : go_print(*value);
}

std::string
string_or_empty(const Document* value) {
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string{};
}

// Decodes the %XX escapes of a URL fragment; nullopt when one is malformed (url.Parse fails).
std::optional<std::string>
unescape_fragment(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      return std::nullopt;
    }
    out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
    i += 2;
  }
  return out;
}

// The template's `resolveRef`: the object a fragment-only reference ("#/components/schemas/X")
// points to in `document`, else nullptr.
const Document*
resolve_ref(const Document* ref, const Document& document) {
  std::string text = string_or_empty(ref);
  if (text.size() < 2 || text.front() != '#') {
    return nullptr;
  }
  std::optional<std::string> fragment = unescape_fragment(std::string_view(text).substr(1));
  if (!fragment) {
    return nullptr;
  }
  const Document* current = &document;
  std::size_t start = 0;
  while (start <= fragment->size()) {
    std::size_t end = fragment->find('/', start);
    if (end == std::string::npos) {
      end = fragment->size();
    }
    std::string_view key = std::string_view(*fragment).substr(start, end - start);
    if (!key.empty()) {
      const Document* next = schema_member(current, key);
      if (next == nullptr || !next->is_object()) {
        return nullptr;
      }
      current = next;
    }
    start = end + 1;
  }
  return current;
}

// The `additionalProperties` schema of a map (a boolean one is no schema).
const Document*
map_values(const Document* schema) {
  const Document* values = schema_member(schema, "additionalProperties");
  return truthy(values) && !values->is_boolean() ? values : nullptr;
}

// The elements of an array member (`range` over it); none otherwise.
std::span<const Document>
array_items(const Document* schema, std::string_view key) {
  const Document* list = schema_member(schema, key);
  if (list == nullptr || !list->is_array() || list->empty()) {
    return {};
  }
  const auto& items = list->get_ref<const Document::array_t&>();
  return {items.data(), items.size()};
}

std::string
last_after(std::string_view text, char separator) {
  std::size_t found = text.rfind(separator);
  return std::string(found == std::string_view::npos ? text : text.substr(found + 1));
}

class Renderer {
public:
  Renderer(const Document& document, bool recursive)
      : m_document(document), m_recursive(recursive) {}

  // The template "output": follows `path` and prints what it ends on; "" when a field is missing.
  std::string output(const Document* schema, const History& history, FieldWords path);

private:
  // Counts one level of recursion for as long as it lives.
  class Depth {
  public:
    explicit Depth(std::size_t& depth) : m_depth(depth) {
      if (++m_depth > k_max_depth) {
        throw RenderFailure(
            fmt::format("the schema nests deeper than {} levels (the limit)", k_max_depth));
      }
    }
    ~Depth() { --m_depth; }
    Depth(const Depth&) = delete;
    Depth& operator=(const Depth&) = delete;

  private:
    std::size_t& m_depth;
  };

  const Document* resolved_or(const Document* ref, const Document* schema) const {
    const Document* resolved = resolve_ref(ref, m_document);
    return truthy(resolved) ? resolved : schema;
  }

  void check_size(const std::string& text) const {
    if (text.size() > k_max_text) {
      throw RenderFailure(
          fmt::format("the explanation is larger than {} MiB (the limit)", k_max_text >> 20));
    }
  }

  std::string description(const Document* schema);
  std::string type_guess(const Document* schema);
  std::string field_list(const Document* schema, std::size_t level, const History& history);
  std::string field_detail(const std::string& name, const Document* schema, std::size_t level);

  const Document& m_document;
  bool m_recursive;
  std::size_t m_depth = 0;
};

// The template "extractEnum": a field's enum values, all of them one a line (the long view of a
// FIELD) or the first `limit` after "enum: " on a line of their own (a FIELDS entry).
enum class EnumView { entry, field };

std::string
enum_text(const Document* schema, EnumView view, std::size_t indent_amount) {
  constexpr std::size_t k_entry_limit = 4;
  std::span<const Document> values = array_items(schema, "enum");
  if (values.empty()) {
    return "";
  }
  std::string out = view == EnumView::entry ? "\n" + std::string(indent_amount, ' ') + "enum: "
                                            : std::string("ENUM:");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (view == EnumView::entry && i >= k_entry_limit) {
      out += ", ....";
      break;
    }
    if (view == EnumView::field) {
      out += "\n    ";
    } else if (i > 0) {
      out += ", ";
    }
    const Document& value = values[i];
    out +=
        value.is_string() && value.get_ref<const std::string&>().empty() ? "\"\"" : go_print(value);
  }
  return out;
}

std::string
Renderer::description(const Document* schema) {
  Depth depth(m_depth);
  const Document* resolved = resolved_or(schema_member(schema, "$ref"), schema);
  if (!truthy(resolved)) {
    return "";
  }
  std::string out;
  if (const Document* text = schema_member(resolved, "description"); truthy(text)) {
    out += go_print(*text) + "\n";
  }
  for (const Document& part : array_items(resolved, "allOf")) {
    out += description(&part);
  }
  if (const Document* items = schema_member(resolved, "items"); truthy(items)) {
    out += description(items);
  }
  if (const Document* values = map_values(resolved)) {
    out += description(values);
  }
  check_size(out);
  return out;
}

std::string
Renderer::type_guess(const Document* schema) {
  Depth depth(m_depth);
  if (!truthy(schema)) {
    throw RenderFailure("expected schema argument to subtemplate 'typeguess'");
  }
  if (const Document* items = schema_member(schema, "items"); truthy(items)) {
    return "[]" + type_guess(items);
  }
  if (const Document* values = map_values(schema)) {
    return "map[string]" + type_guess(values);
  }
  std::span<const Document> all_of = array_items(schema, "allOf");
  if (all_of.size() == 1 && !truthy(schema_member(schema, "properties"))) {
    return type_guess(all_of.data());
  }
  const Document* type = schema_member(schema, "type");
  if (const Document* ref = schema_member(schema, "$ref"); truthy(ref)) {
    const Document* target = resolve_ref(ref, m_document);
    const Document* target_type = schema_member(target, "type");
    if (!truthy(target) || !truthy(target_type) ||
        (target_type->is_string() && target_type->get<std::string>() == "object")) {
      std::string name = last_after(last_after(go_print(*ref), '/'), '.');
      return name.empty() ? "Object" : name;
    }
    return go_print(*target_type);
  }
  if (type != nullptr && type->is_string() && type->get<std::string>() == "object") {
    return "Object";
  }
  return truthy(type) ? go_print(*type) : "Object";
}

std::string
Renderer::field_detail(const std::string& name, const Document* schema, std::size_t level) {
  std::size_t indent_amount = level * 2;
  const Document* field = schema_member(schema_member(schema, "properties"), name);
  std::string out = indent(indent_amount, name) + "\t<" + type_guess(field) + ">";
  for (const Document& required : array_items(schema, "required")) {
    if (required.is_string() && required.get_ref<const std::string&>() == name) {
      out += " -required-";
      break;
    }
  }
  out += enum_text(field, EnumView::entry, indent_amount) + "\n";
  if (!m_recursive) {
    const Document* text = schema_member(field, "description");
    // Go converts 78 - indent to uint: past level 39 the limit is huge (no wrapping).
    std::size_t limit = indent_amount <= 78 ? 78 - indent_amount : 0;
    out += indent(indent_amount + 2,
                  word_wrap(truthy(text) ? go_print(*text) : "<no description>", limit)) +
           "\n\n";
  }
  return out;
}

std::string
Renderer::field_list(const Document* schema, std::size_t level, const History& history) {
  Depth depth(m_depth);
  const Document* ref = schema_member(schema, "$ref");
  std::string ref_text = truthy(ref) ? go_print(*ref) : "";
  if (!ref_text.empty() && history.contains(ref_text)) {
    return ""; // a cycle: this type is being listed already
  }
  History next = history;
  next.insert(ref_text);
  const Document* resolved = resolved_or(ref, schema);
  std::string out;
  if (const Document* properties = schema_member(resolved, "properties");
      properties != nullptr && properties->is_object()) {
    for (const auto& [name, field] : properties->items()) {
      out += field_detail(name, resolved, level);
      if (m_recursive) {
        out += field_list(&field, level + 1, next);
      }
      check_size(out);
    }
  }
  for (const Document& part : array_items(resolved, "allOf")) {
    out += field_list(&part, level, next);
  }
  if (const Document* items = schema_member(resolved, "items"); truthy(items)) {
    out += field_list(items, level, next);
  }
  if (const Document* values = map_values(resolved)) {
    out += field_list(values, level, next);
  }
  check_size(out);
  return out;
}

std::string
Renderer::output(const Document* schema, const History& history, FieldWords path) {
  Depth depth(m_depth);
  const Document* ref = schema_member(schema, "$ref");
  std::string ref_text = truthy(ref) ? go_print(*ref) : "";
  History next = history;
  next.insert(ref_text);
  const Document* resolved = resolved_or(ref, schema);
  if (path.empty()) {
    std::string text = description(resolved);
    std::string out =
        "DESCRIPTION:\n" + indent(4, word_wrap(text.empty() ? "<empty>" : text, 76)) + "\n";
    std::string fields = field_list(resolved, 1, {});
    if (!fields.empty()) {
      out += "FIELDS:\n" + fields;
    }
    return out;
  }
  if (!ref_text.empty() && history.contains(ref_text)) {
    return ""; // a cycle
  }
  const Document* field = schema_member(schema_member(resolved, "properties"), path.front());
  if (truthy(field)) {
    std::string out;
    if (path.size() == 1) {
      out = fmt::format("FIELD: {} <{}>\n{}\n\n",
                        path.front(),
                        type_guess(field),
                        enum_text(field, EnumView::field, 0));
    }
    return out + output(field, {}, path.subspan(1));
  }
  if (const Document* items = schema_member(resolved, "items"); truthy(items)) {
    return output(items, next, path);
  }
  if (const Document* values = map_values(resolved)) {
    return output(values, next, path);
  }
  for (const Document& part : array_items(resolved, "allOf")) {
    std::string out = output(&part, next, path);
    if (!out.empty()) {
      return out;
    }
  }
  return "";
}

// The GVK the resource's paths name (x-kubernetes-group-version-kind of an operation), as the
// template finds it: the last path that has one wins.
const Document*
find_gvk(const Document& document, const Gvr& gvr) {
  std::string prefix = gvr.group.empty() ? "/api" : "/apis/" + gvr.group;
  std::string base = prefix + "/" + gvr.version;
  std::array<std::string, 4> search = {
      base + "/" + gvr.resource,
      base + "/" + gvr.resource + "/{name}",
      base + "/namespaces/{namespace}/" + gvr.resource,
      base + "/namespaces/{namespace}/" + gvr.resource + "/{name}",
  };
  const Document* paths = schema_member(&document, "paths");
  const Document* gvk = nullptr;
  for (const auto& path : search) {
    const Document* element = schema_member(paths, path);
    if (!truthy(element)) {
      continue;
    }
    for (std::string_view method : {"get", "post", "put", "patch", "delete"}) {
      const Document* operation = schema_member(element, method);
      if (!truthy(operation)) {
        continue;
      }
      gvk = schema_member(operation, "x-kubernetes-group-version-kind");
      if (truthy(gvk)) {
        break;
      }
    }
  }
  return gvk;
}

bool
lists_gvk(const Document& schema, const Document& gvk) {
  for (const Document& item : array_items(&schema, "x-kubernetes-group-version-kind")) {
    if (item == gvk) {
      return true;
    }
  }
  return false;
}

// Go's range over a string: the runes, an invalid byte as U+FFFD.
struct Rune {
  char32_t value;
  std::size_t size;
};

Rune
decode_rune(std::string_view text, std::size_t at) {
  constexpr Rune k_invalid = {0xFFFD, 1};
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) {
    return {lead, 1};
  }
  std::size_t size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
  if (size == 0 || lead > 0xF4 || at + size > text.size()) {
    return k_invalid;
  }
  auto value = static_cast<char32_t>(lead & (0x7F >> size));
  for (std::size_t i = 1; i < size; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      return k_invalid;
    }
    value = static_cast<char32_t>((value << 6) | (byte(at + i) & 0x3Fu));
  }
  bool overlong = (size == 3 && value < 0x800) || (size == 4 && value < 0x10000);
  if (overlong || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return k_invalid;
  }
  return {value, size};
}

// unicode.IsSpace, without the no-break space go-wordwrap keeps inside words.
bool
breaks_words(char32_t c) {
  switch (c) {
  case '\t':
  case '\n':
  case '\v':
  case '\f':
  case '\r':
  case ' ':
  case 0x85:
  case 0x1680:
  case 0x2028:
  case 0x2029:
  case 0x202F:
  case 0x205F:
  case 0x3000:
    return true;
  default:
    return c >= 0x2000 && c <= 0x200A;
  }
}

// The bytes of a rune as Go's WriteRune writes them (U+FFFD for an invalid byte).
std::string_view
rune_bytes(std::string_view text, std::size_t at, const Rune& rune) {
  static constexpr std::string_view k_replacement = "\xEF\xBF\xBD";
  if (rune.value == 0xFFFD && rune.size == 1) {
    return k_replacement;
  }
  return text.substr(at, rune.size);
}

} // namespace

std::string
gvr_text(const Gvr& gvr) {
  return fmt::format("{}/{}, Resource={}", gvr.group, gvr.version, gvr.resource);
}

std::string
openapi_path_key(const Gvr& gvr) {
  return gvr.group.empty() ? "api/" + gvr.version : "apis/" + gvr.group + "/" + gvr.version;
}

Result<std::string>
schema_url(const Document& paths, const Gvr& gvr) {
  const Document* entry = schema_member(schema_member(&paths, "paths"), openapi_path_key(gvr));
  if (entry == nullptr) {
    return failf("couldn't find resource for \"{}\"", gvr_text(gvr));
  }
  std::string url = string_or_empty(schema_member(entry, "serverRelativeURL"));
  if (url.empty() || url.front() != '/') {
    return failf("the server's OpenAPI v3 list gives no serverRelativeURL for {}",
                 openapi_path_key(gvr));
  }
  return url;
}

Result<std::vector<std::string>>
split_type_path(std::string_view argument) {
  if (argument.ends_with('.')) {
    argument.remove_suffix(1);
  }
  std::vector<std::string> words;
  std::size_t start = 0;
  while (true) {
    std::size_t end = argument.find('.', start);
    std::string_view word =
        argument.substr(start, end == std::string_view::npos ? end : end - start);
    if ((word.empty() && words.empty()) ||
        word.find_first_of(" ,[]$@{}") != std::string_view::npos) {
      return fail("invalid jsonpath syntax, first node must be field node");
    }
    if (!word.empty()) { // kubectl reads "pods..spec" as pods.spec
      words.emplace_back(word);
    }
    if (end == std::string_view::npos) {
      return words;
    }
    start = end + 1;
  }
}

Result<std::vector<std::string>>
field_path_after(std::string_view argument, std::string_view resource, std::string_view group) {
  std::string group_resource(resource);
  if (!group.empty()) {
    group_resource += "." + std::string(group);
  }
  if (argument.starts_with(group_resource)) {
    std::string_view rest = argument.substr(group_resource.size());
    if (rest.empty() || rest == ".") {
      return std::vector<std::string>{};
    }
    // kubectl reads the rest as ".<fields>" and drops its first node; without the leading
    // '.' ("podsx") that node is the first word.
    KCTL_TRY_ASSIGN(auto words, split_type_path(rest.front() == '.' ? rest.substr(1) : rest));
    if (rest.front() != '.') {
      words.erase(words.begin());
    }
    return words;
  }
  KCTL_TRY_ASSIGN(auto words, split_type_path(argument));
  words.erase(words.begin());
  return words;
}

Rendered
render_plaintext(const Document& document,
                 const Gvr& gvr,
                 const std::vector<std::string>& field_path,
                 bool recursive) {
  Rendered out;
  const Document* gvk = find_gvk(document, gvr);
  if (!truthy(gvk)) {
    out.error = fmt::format("GVR ({}) not found in OpenAPI schema", gvr_text(gvr));
    return out;
  }
  if (const Document* group = schema_member(gvk, "group"); truthy(group)) {
    out.text += "GROUP:      " + go_print(*group) + "\n";
  }
  out.text += "KIND:       " + template_print(schema_member(gvk, "kind")) + "\n";
  out.text += "VERSION:    " + template_print(schema_member(gvk, "version")) + "\n\n";
  const Document* schemas = schema_member(schema_member(&document, "components"), "schemas");
  try {
    Renderer renderer(document, recursive);
    if (schemas != nullptr && schemas->is_object()) {
      for (const auto& [name, schema] : schemas->items()) {
        if (!lists_gvk(schema, *gvk)) {
          continue;
        }
        std::string text = renderer.output(&schema, {}, field_path);
        if (text.empty()) {
          out.error = fmt::format("field \"{}\" does not exist", field_path.back());
          return out;
        }
        out.text += text + "\n";
        return out;
      }
    }
  } catch (const RenderFailure& failure) {
    out.error = failure.what();
    return out;
  }
  out.error = fmt::format("GVK {} not found in OpenAPI schema", go_print(*gvk));
  return out;
}

std::string
word_wrap(std::string_view text, std::size_t limit) {
  if (limit == 0) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size());
  std::string word;
  std::string spaces;
  std::size_t current = 0;
  std::size_t word_len = 0;
  std::size_t space_len = 0;
  auto flush = [&] {
    out += spaces;
    out += word;
    spaces.clear();
    word.clear();
    space_len = 0;
    word_len = 0;
  };
  for (std::size_t at = 0; at < text.size();) {
    Rune rune = decode_rune(text, at);
    std::string_view bytes = rune_bytes(text, at, rune);
    at += rune.size;
    if (rune.value == '\n') {
      if (word.empty()) {
        if (current + space_len <= limit) {
          out += spaces;
        }
        spaces.clear();
        space_len = 0;
      } else {
        flush();
      }
      out += '\n';
      current = 0;
    } else if (breaks_words(rune.value)) {
      if (spaces.empty() || !word.empty()) {
        current += space_len + word_len;
        flush();
      }
      spaces += bytes;
      ++space_len;
    } else {
      word += bytes;
      ++word_len;
      if (current + word_len + space_len > limit && word_len < limit) {
        out += '\n';
        current = 0;
        spaces.clear();
        space_len = 0;
      }
    }
  }
  if (word.empty()) {
    if (current + space_len <= limit) {
      out += spaces;
    }
  } else {
    flush();
  }
  return out;
}

std::string
indent(std::size_t amount, std::string_view text) {
  std::string pad(amount, ' ');
  std::string out = pad;
  for (char c : text) {
    out += c;
    if (c == '\n') {
      out += pad;
    }
  }
  return out;
}

} // namespace kctl::explain
