#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace kctl::json {

namespace {

// Builds the document from nlohmann's SAX events, as its own DOM parser does, and stops the parse
// (by returning false) at the first array or object nested deeper than the limit.
class DepthLimitedBuilder {
public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  DepthLimitedBuilder(Json& root, std::size_t max_depth, std::string_view drop_member)
      : m_root(root), m_max_depth(max_depth), m_drop_member(drop_member) {}

  bool null() { return scalar(Json(nullptr)); }
  bool boolean(bool value) { return scalar(Json(value)); }
  bool number_integer(number_integer_t value) { return scalar(Json(value)); }
  bool number_unsigned(number_unsigned_t value) { return scalar(Json(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) { return scalar(Json(value)); }
  bool string(string_t& value) { return scalar(Json(std::move(value))); }
  bool binary(binary_t& value) { return scalar(Json::binary(std::move(value))); }

  bool start_object(std::size_t /*size*/) { return open(Json::object()); }
  bool key(string_t& name) {
    if (m_skipping) {
      return true;
    }
    if (!m_drop_member.empty() && name == m_drop_member) {
      m_skipping = true; // the member's value is read and thrown away, never stored
      return true;
    }
    m_member = &(*m_open.back())[name];
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t /*size*/) { return open(Json::array()); }
  bool end_array() { return close(); }

  // nlohmann's message quotes the text it read last, which may be part of a secret (a token in a
  // plugin's output); only the position is kept.
  bool parse_error(std::size_t position,
                   const std::string& /*last_token*/,
                   const Json::exception& /*error*/) {
    m_error_position = position;
    return false;
  }

  bool too_deep() const { return m_too_deep; }
  std::size_t error_position() const { return m_error_position; }

private:
  // Places `value` where the parse is (the root, the next array element or the member whose key
  // came last) and returns where it now lives.
  Json* add(Json value) {
    if (m_open.empty()) {
      m_root = std::move(value);
      return &m_root;
    }
    Json& parent = *m_open.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    *m_member = std::move(value);
    return m_member;
  }

  bool scalar(Json value) {
    if (m_skipping) {
      m_skipping = m_skip_depth > 0; // a dropped member that is a scalar ends here
      return true;
    }
    return add(std::move(value)) != nullptr;
  }

  bool open(Json container) {
    if (m_open.size() + m_skip_depth >= m_max_depth) {
      m_too_deep = true;
      return false;
    }
    if (m_skipping) {
      ++m_skip_depth;
      return true;
    }
    m_open.push_back(add(std::move(container)));
    return true;
  }

  bool close() {
    if (m_skipping) {
      m_skipping = --m_skip_depth > 0;
      return true;
    }
    m_open.pop_back();
    return true;
  }

  Json& m_root;
  std::size_t m_max_depth;
  std::string_view m_drop_member;
  // Inside the value of a dropped member: how deep in it the parse is.
  bool m_skipping = false;
  std::size_t m_skip_depth = 0;
  // The arrays and objects being filled, outermost first. A pointer stays valid while its
  // container is open: only the innermost open container grows.
  std::vector<Json*> m_open;
  Json* m_member = nullptr;
  bool m_too_deep = false;
  std::size_t m_error_position = 0;
};

} // namespace

Result<Json>
parse(std::string_view text, std::size_t max_depth, std::string_view drop_member) {
  Json root;
  DepthLimitedBuilder builder(root, max_depth, drop_member);
  bool ok = Json::sax_parse(text.begin(), text.end(), &builder);
  if (builder.too_deep()) {
    return failf("JSON nested deeper than {} levels (the limit)", max_depth);
  }
  if (!ok) {
    return failf("not JSON (invalid at byte {} of {})", builder.error_position(), text.size());
  }
  return root;
}

std::string
string_or(const Json& object, std::string_view key, std::string_view fallback) {
  if (object.is_object()) {
    if (auto it = object.find(key); it != object.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  return std::string(fallback);
}

std::string
string_at(const Json& value, const Json::json_pointer& pointer, std::string_view fallback) {
  // contains() is false, not an error, when a step of the pointer is missing or of another type
  // (an array index that is not a number included).
  if (value.contains(pointer)) {
    if (const Json& found = value.at(pointer); found.is_string()) {
      return found.get<std::string>();
    }
  }
  return std::string(fallback);
}

Json
object_or_empty(const Json& object, std::string_view key) {
  if (object.is_object()) {
    if (auto it = object.find(key); it != object.end() && it->is_object()) {
      return *it;
    }
  }
  return Json::object();
}

Json
array_or_empty(const Json& object, std::string_view key) {
  if (object.is_object()) {
    if (auto it = object.find(key); it != object.end() && it->is_array()) {
      return *it;
    }
  }
  return Json::array();
}

} // namespace kctl::json
