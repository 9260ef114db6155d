// `explain`'s text as pure functions over a server's OpenAPI v3 documents: the TYPE[.FIELD.PATH]
// argument split as kubectl splits it, the schema document chosen from /openapi/v3's list, and
// kubectl's plaintext template (explain v2) rendered by code: the GVK found through the
// resource's paths, the schema by its x-kubernetes-group-version-kind, the field path walked
// through properties, items, additionalProperties, $ref and allOf, and the DESCRIPTION/FIELDS
// layout with kubectl's word wrap (go-wordwrap) and its cycle rule (a $ref already on the path
// is not entered again).
#pragma once

#include "util/result.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::explain {

// An OpenAPI document as parsed for explain: objects keep their keys sorted, the order in which
// Go's templates range over maps.
using Document = nlohmann::json;

struct Gvr {
  std::string group;
  std::string version;
  std::string resource;
};

// "apps/v1, Resource=deployments" ("/v1, Resource=pods" for the core group), as Go prints a GVR.
std::string gvr_text(const Gvr& gvr);

// The key of `gvr`'s group version in /openapi/v3's "paths": "api/v1" or "apis/<group>/<version>".
std::string openapi_path_key(const Gvr& gvr);

// The serverRelativeURL of `key` in the /openapi/v3 document `paths`; fails with kubectl's
// `couldn't find resource for "<gvr>"` when the server lists no such group version.
Result<std::string> schema_url(const Document& paths, const Gvr& gvr);

// The words of TYPE[.FIELD.PATH] as kubectl's JSONPath reading splits them (a trailing '.' is
// dropped): "pods.spec.containers" is {"pods", "spec", "containers"}; empty words between dots are
// skipped. Fails on an empty first word and on JSONPath's other nodes ("pods[0]").
Result<std::vector<std::string>> split_type_path(std::string_view argument);

// The field path after the type: when `argument` starts with `resource` (plural) and, for a named
// group, ".<group>" ("deployments.apps.spec"), what follows those; else every word after the
// first (kubectl's SplitAndParseResourceRequestWithMatchingPrefix).
Result<std::vector<std::string>>
field_path_after(std::string_view argument, std::string_view resource, std::string_view group);

// What rendering produced: the text (printed even when it failed: kubectl writes the header
// before it finds that a field does not exist) and, on failure, the message (without "error: ").
struct Rendered {
  std::string text;
  std::string error;
};

// kubectl's plaintext explain of `gvr` (and `field_path` in it) from the OpenAPI v3 document of
// its group version. Bounded: recursion past k_max_depth and text past k_max_text fail.
Rendered render_plaintext(const Document& document,
                          const Gvr& gvr,
                          const std::vector<std::string>& field_path,
                          bool recursive);

inline constexpr std::size_t k_max_depth = 1500;
inline constexpr std::size_t k_max_text = std::size_t{64} << 20;

// go-wordwrap's WrapString as kubectl's `wrap` calls it: breaks at white space so that lines
// stay within `limit` characters (runes) where words allow; 0 leaves the text as it is.
std::string word_wrap(std::string_view text, std::size_t limit);

// kubectl's template `indent`: `amount` spaces before the text and after each newline in it.
std::string indent(std::size_t amount, std::string_view text);

} // namespace kctl::explain
