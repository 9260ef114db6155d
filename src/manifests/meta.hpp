// Small builders for the parts every Kubernetes object repeats, so manifests read as data.
#pragma once

#include "util/json.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::manifests {

// Label every object this tool creates carries, next to upstream's own ownership labels.
inline constexpr std::string_view k_managed_by_key = "app.kubernetes.io/managed-by";
inline constexpr std::string_view k_managed_by_value = "karmadactl";
// Upstream's ownership label; `deinit` selects on its key.
inline constexpr std::string_view k_bootstrapping_key = "karmada.io/bootstrapping";

// Returns {apiVersion, kind, metadata{name[, namespace], labels}}; `labels` gain the managed-by
// label.
Json object(std::string_view api_version,
            std::string_view kind,
            std::string_view namespace_name,
            std::string_view name,
            Json labels = Json::object());

// Converts a string map to a JSON object.
Json to_json(const std::map<std::string, std::string>& map);

// A JSON array of strings.
Json strings(const std::vector<std::string>& values);

// `{name, value}` env var, or one read from the pod's field `field_path`.
Json env_value(std::string_view name, std::string_view value);
Json env_field(std::string_view name, std::string_view field_path);

// `{name, containerPort, protocol: TCP}`.
Json container_port(std::string_view name, int port);

// An HTTP(S) GET probe on `port` at `path`.
Json http_probe(std::string_view scheme, std::string_view path, int port, Json timing);

// Volume from a Secret; `items` maps keys to file names when not empty.
Json secret_volume(std::string_view volume_name, std::string_view secret_name);
Json empty_dir_volume(std::string_view volume_name);
Json host_path_volume(std::string_view volume_name, std::string_view path, std::string_view type);
Json volume_mount(std::string_view volume_name, std::string_view mount_path, bool read_only);

// Merges `extra` ("--flag=value") over `defaults` (argv[0] first): an extra flag replaces the
// default with the same name; new flags are appended in the order given.
std::vector<std::string> merge_args(const std::vector<std::string>& defaults,
                                    const std::vector<std::string>& extra);

// "--flag=value" -> "--flag".
std::string_view flag_name(std::string_view arg);

} // namespace kctl::manifests
