#include "commands/targets.hpp"

#include "commands/checks.hpp"
#include "kube/api_error.hpp"
#include "kube/labels.hpp"
#include "kube/resource_names.hpp"
#include "util/terminal.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace kctl::cli {

Result<std::vector<TypedNames>>
parse_resource_words(const std::vector<std::string>& words) {
  std::vector<TypedNames> out;
  if (words.empty()) {
    return out;
  }
  bool slash_form = words.front().find('/') != std::string::npos;
  if (slash_form) {
    for (const auto& word : words) {
      size_t slash = word.find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == word.size()) {
        return fail_usage(fmt::format(
            "arguments in resource/name form must have a single resource and name: {}", word));
      }
      std::string type = word.substr(0, slash);
      std::string name = word.substr(slash + 1);
      if (!out.empty() && out.back().type == type) {
        out.back().names.push_back(name);
      } else {
        out.push_back({type, {name}});
      }
    }
    return out;
  }
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i].find('/') != std::string::npos) {
      return fail_usage(
          "there is no need to specify a resource type as a separate argument when passing "
          "arguments in resource/name form (e.g. 'karmadactl get resource/<resource_name>' "
          "instead of 'karmadactl get resource resource/<resource_name>'");
    }
  }
  const std::string& types = words.front();
  size_t start = 0;
  while (true) {
    size_t comma = types.find(',', start);
    std::string type = types.substr(start, comma == std::string::npos ? comma : comma - start);
    if (!type.empty()) {
      out.push_back({type, std::vector<std::string>(words.begin() + 1, words.end())});
    }
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  // "TYPE1,TYPE2 NAME...": every name of every type, as kubectl's builder takes it.
  return out;
}

std::string
namespace_for(const kube::Client& client,
              const kube::ApiResource& resource,
              const Selection& selection) {
  if (!resource.namespaced || selection.all_namespaces) {
    return {};
  }
  return selection.namespace_name.empty() ? client.default_namespace() : selection.namespace_name;
}

std::string
server_error_line(const Error& error) {
  // A server's words: escaped, so they cannot drive the terminal they are printed on (issue 20).
  if (error.reason.empty() || error.reason == kube::reason::transport) {
    return terminal::escape(error.message);
  }
  return terminal::escape(fmt::format("Error from server ({}): {}", error.reason, error.message));
}

void
check_resource_words(const std::vector<std::string>& words,
                     const Selection& selection,
                     bool need_names,
                     Problems& problems) {
  if (selection.all && !selection.label_selector.empty()) {
    problems.add("cannot set --all and --selector at the same time");
  }
  auto typed = problems.take(parse_resource_words(words));
  if (!typed) {
    return;
  }
  if (typed->empty()) {
    problems.add("You must provide one or more resources by argument or filename.");
    return;
  }
  bool any_names = std::any_of(
      typed->begin(), typed->end(), [](const TypedNames& entry) { return !entry.names.empty(); });
  if (any_names && (selection.all || !selection.label_selector.empty())) {
    problems.add("names cannot be provided when a selector is specified or --all is given");
  }
  if (need_names && !any_names && !selection.all && selection.label_selector.empty()) {
    problems.add("resource(s) were provided, but no name was specified");
  }
  // Names no object can have (the only rules certain for every server: Karmada's Clusters and
  // Namespaces; other kinds' names are the server's to judge).
  for (const auto& entry : *typed) {
    if (names_karmada_clusters(entry.type)) {
      check_cluster_names("", entry.names, problems);
    } else if (names_namespaces(entry.type)) {
      for (const auto& name : entry.names) {
        check_namespace_name(name, problems);
      }
    }
  }
}

Result<std::vector<Json>>
list_items(const kube::Client& client,
           const kube::ApiResource& resource,
           const std::string& ns,
           const kube::ListOptions& options) {
  KCTL_TRY_ASSIGN(Json list, client.list(resource.ref(ns), options));
  std::vector<Json> items;
  for (auto& item : list["items"]) {
    items.push_back(std::move(item));
  }
  return items;
}

void
set_type_of_item(Json& item, const kube::ApiResource& resource) {
  item["kind"] = resource.kind;
  item["apiVersion"] = resource.group_version();
}

void
add_named_object(const kube::Client& client,
                 const kube::ApiResource& resource,
                 const std::string& ns,
                 const std::string& name,
                 Lookup& lookup) {
  auto object = client.get(resource.ref(ns, name));
  if (!object) {
    lookup.errors.push_back(server_error_line(object.error()));
  } else if (!*object) {
    lookup.errors.push_back(fmt::format("Error from server (NotFound): {} \"{}\" not found",
                                        kube::resource_with_group(resource),
                                        name));
  } else {
    lookup.objects.push_back({resource, std::move(**object)});
  }
}

Result<Lookup>
find_objects(const kube::Client& client,
             const std::vector<std::string>& words,
             const Selection& selection,
             bool need_names,
             ObjectPart part) {
  KCTL_TRY_ASSIGN(std::vector<TypedNames> typed, parse_resource_words(words));
  if (typed.empty()) {
    return fail_usage("You must provide one or more resources by argument or filename.");
  }
  bool any_names = false;
  for (const auto& entry : typed) {
    any_names = any_names || !entry.names.empty();
  }
  if (any_names && (selection.all || !selection.label_selector.empty())) {
    return fail_usage("names cannot be provided when a selector is specified or --all is given");
  }
  if (need_names && !any_names && !selection.all && selection.label_selector.empty()) {
    return fail_usage("resource(s) were provided, but no name was specified");
  }
  Lookup lookup;
  for (const auto& entry : typed) {
    KCTL_TRY_ASSIGN(kube::ApiResource resource, kube::resolve_resource(client, entry.type));
    std::string ns = namespace_for(client, resource, selection);
    if (entry.names.empty()) {
      kube::ListOptions options;
      options.label_selector = selection.label_selector;
      options.metadata_only = part == ObjectPart::metadata;
      KCTL_TRY_ASSIGN(std::vector<Json> items, list_items(client, resource, ns, options));
      for (auto& item : items) {
        // PartialObjectMetadata items name their own kind; the object's is the resource's.
        if (!item.contains("kind") || part == ObjectPart::metadata) {
          set_type_of_item(item, resource);
        }
        lookup.objects.push_back({resource, std::move(item)});
      }
      continue;
    }
    for (const auto& name : entry.names) {
      add_named_object(client, resource, ns, name, lookup);
    }
  }
  return lookup;
}

} // namespace kctl::cli
