// kubectl's JSONPath templates (-o jsonpath=..., custom-columns): literal text, {.field.path},
// {.items[*].metadata.name}, [n], [a:b], [*], ['key'], .., filters [?(@.x=="y")], {range ...}{end}
// and quoted literals {"\n"}. Missing keys yield nothing (kubectl's --allow-missing-template-keys
// default) or, when refused, an error. Pure functions.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::output {

class JsonPath {
public:
  // Parses `text` (with braces: "{.metadata.name}"); a usage error when malformed.
  static Result<JsonPath> parse(std::string_view text);
  // Parses a custom-columns expression: ".metadata.name", "{.metadata.name}" or "metadata.name".
  static Result<JsonPath> parse_relaxed(std::string_view expression);

  // Renders the template against `data`: each expression's results joined by a space. A field
  // no value has yields nothing when `allow_missing_keys`, else is an error ("x is not found").
  Result<std::string> render(const Json& data, bool allow_missing_keys = true) const;

  // -o jsonpath-as-json: each expression's results as an indented JSON array on its own line.
  Result<std::string> render_json(const Json& data, bool allow_missing_keys = true) const;

  // The values of a template made of one expression (for custom-columns).
  Result<std::vector<Json>> values(const Json& data) const;

  struct Node; // the parsed template; defined in the .cpp

private:
  std::shared_ptr<const std::vector<Node>> m_nodes;
};

// A value as kubectl prints it in templates: strings as they are, everything else as JSON.
std::string text_of(const Json& value);

} // namespace kctl::output
