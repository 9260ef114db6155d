// Parsing JSON that comes from outside (API responses, watch events, exec-plugin output, JSON
// literals in templates). nlohmann's own parser has no nesting limit, and much of the code that
// walks a Json (printing, YAML output, comparisons) recurses, so an answer like "[[[[..." a few
// megabytes deep could exhaust the stack; this parser refuses it instead.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <string_view>

namespace kctl::json {

// Deeper than any Kubernetes object, and the same limit as for YAML documents.
inline constexpr std::size_t k_max_json_depth = 1000;

// Parses one JSON value (surrounding whitespace allowed, nothing else after it). Fails with "not
// JSON (invalid at byte <n> of <size>)" (never quoting the text, which may hold a secret) and with
// "JSON nested deeper than 1000 levels (the limit)" past `max_depth` nested arrays and objects,
// stopping there without reading the rest. Callers prefix what was parsed. Members named
// `drop_member` (at any depth; e.g. "managedFields", which nothing here reads and which is most of
// a large list's bytes) are skipped without being stored.
Result<Json> parse(std::string_view text,
                   std::size_t max_depth = k_max_json_depth,
                   std::string_view drop_member = {});

// Reading members of outside JSON without exceptions: Json::value() throws when the member has
// another type (or the value is no object), so a server answering {"kind": 404} must go through
// these. Each returns `fallback` unless the member exists with the expected type.
std::string string_or(const Json& object, std::string_view key, std::string_view fallback = {});
std::string
string_at(const Json& value, const Json::json_pointer& pointer, std::string_view fallback = {});
// The member when it is an object (an array), else an empty one.
Json object_or_empty(const Json& object, std::string_view key);
Json array_or_empty(const Json& object, std::string_view key);

} // namespace kctl::json
