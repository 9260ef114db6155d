// Several objects printed as one stream that a program can read back: the -o json|yaml|name
// output of commands that print objects one after another as they go (apply, init --dry-run,
// version, token list). yaml is one document per object, separated by "---"; json is the object
// alone, or kubectl's List of the objects when there are several; name is one "kind.group/name"
// line per object. Rendering is pure, as in printer.hpp: the caller prints the returned text.
#pragma once

#include "util/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kctl::output {

class ObjectStream {
public:
  // `format` is an -o value the command accepted: "json", "name", else yaml.
  explicit ObjectStream(std::string_view format);

  // The text to print now for `object`: a yaml document or a name line at once; json waits for
  // finish(), since one object and several are printed differently.
  std::string add(Json object);

  // The text still to print once every object was added: json's object or List ("" otherwise).
  std::string finish();

private:
  enum class Kind { yaml, json, name } m_kind;
  size_t m_count = 0;
  std::vector<Json> m_held; // json only
};

// The whole stream of one object: what a command that prints a single object prints.
std::string render_one(std::string_view format, Json object);

// kubectl's -o name of an object: "deployment.apps/web", "configmap/settings" (core group).
std::string qualified_name(const Json& object);

} // namespace kctl::output
