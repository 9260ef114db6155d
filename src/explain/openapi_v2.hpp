// `explain -o plaintext-openapiv2`: kubectl's first explain (its OpenAPI v2 printers) as pure
// functions over a server's /openapi/v2 document: the models as kube-openapi's proto package reads
// definitions (Kind, Map, Array, Primitive, Reference, Arbitrary), the schema by its
// x-kubernetes-group-version-kind, the field lookup, and the KIND/VERSION/DESCRIPTION/FIELDS
// layout with that printer's own line wrapping (80 columns, paragraphs, bullets kept).
#pragma once

#include "explain/explain.hpp"

#include <string>
#include <vector>

namespace kctl::explain {

struct Gvk {
  std::string group;
  std::string version;
  std::string kind;
};

// The v2 explain of `gvk` (and `field_path` in it) from the /openapi/v2 `document`; nothing is
// printed when it fails (kubectl looks the field up before printing).
Rendered render_openapi_v2(const Document& document,
                           const Gvk& gvk,
                           const std::vector<std::string>& field_path,
                           bool recursive);

// kubectl's Formatter wrapping: `text` in lines of at most `width` bytes where words allow, lines
// indented by four spaces kept as they are, blank lines and bullets ("- ", "1. ") starting lines.
std::vector<std::string> wrap_paragraphs(const std::string& text, std::size_t width);

} // namespace kctl::explain
