// The objects a kubectl-like command acts on, named as kubectl takes them: "TYPE NAME...",
// "TYPE/NAME...", or "TYPE[,TYPE]" with -l SELECTOR or --all. Resolved through discovery and read
// from the server, with kubectl's messages for what is missing.
#pragma once

#include "kube/client.hpp"
#include "kube/resource.hpp"
#include "util/json.hpp"
#include "util/problems.hpp"
#include "util/result.hpp"

#include <string>
#include <vector>

namespace kctl::cli {

// A resource type and the names given for it (none: all, or those a selector picks).
struct TypedNames {
  std::string type;
  std::vector<std::string> names;
};

// Splits kubectl's resource words; usage errors as kubectl's ("there is no need to specify a
// resource type as a separate argument when passing arguments in resource/name form").
Result<std::vector<TypedNames>> parse_resource_words(const std::vector<std::string>& words);

// How objects without names are picked.
struct Selection {
  std::string label_selector;
  bool all = false;
  std::string namespace_name; // "" : the client's default namespace
  bool all_namespaces = false;
};

// One object found, with its resource.
struct FoundObject {
  kube::ApiResource resource;
  Json object;
};

// What was found, and one error line per object that was not (kubectl's
// `Error from server (NotFound): clusters.cluster.karmada.io "x" not found`).
struct Lookup {
  std::vector<FoundObject> objects;
  std::vector<std::string> errors;
};

// How much of each listed object is read: all of it, or its metadata only (enough for label and
// annotate; a listing then carries far fewer bytes). Objects named one by one are always whole.
enum class ObjectPart { whole, metadata };

// The checks find_objects makes before it contacts the server, as problems: the resource words,
// names together with a selector or --all, a bare type without names, selector or --all (with
// `need_names`), --all with --selector, and the selector's syntax.
void check_resource_words(const std::vector<std::string>& words,
                          const Selection& selection,
                          bool need_names,
                          Problems& problems);

// Reads the objects `words` and `selection` name. `need_names` makes a bare type without a
// selector or --all a usage error ("resource(s) were provided, but no name was specified").
Result<Lookup> find_objects(const kube::Client& client,
                            const std::vector<std::string>& words,
                            const Selection& selection,
                            bool need_names,
                            ObjectPart part = ObjectPart::whole);

// Every item of `resource` in `ns` that `options` picks, read page by page when they ask for pages.
Result<std::vector<Json>> list_items(const kube::Client& client,
                                     const kube::ApiResource& resource,
                                     const std::string& ns,
                                     const kube::ListOptions& options);

// Names a listed item's kind and apiVersion after `resource` (list items carry neither).
void set_type_of_item(Json& item, const kube::ApiResource& resource);

// Reads `name` of `resource` in `ns` into `lookup`: the object, or kubectl's error line for it
// (`Error from server (NotFound): clusters.cluster.karmada.io "x" not found`).
void add_named_object(const kube::Client& client,
                      const kube::ApiResource& resource,
                      const std::string& ns,
                      const std::string& name,
                      Lookup& lookup);

// The namespace a selection means for `resource` ("" for cluster-scoped ones and -A).
std::string namespace_for(const kube::Client& client,
                          const kube::ApiResource& resource,
                          const Selection& selection);

// kubectl's "Error from server (Reason): message" line for a server error.
std::string server_error_line(const Error& error);

} // namespace kctl::cli
