#include "manifests/meta.hpp"

#include <algorithm>

namespace kctl::manifests {

Json
object(std::string_view api_version,
       std::string_view kind,
       std::string_view namespace_name,
       std::string_view name,
       Json labels) {
  Json metadata = {{"name", name}};
  if (!namespace_name.empty()) {
    metadata["namespace"] = namespace_name;
  }
  labels[std::string(k_managed_by_key)] = k_managed_by_value;
  metadata["labels"] = std::move(labels);
  return Json{{"apiVersion", api_version}, {"kind", kind}, {"metadata", std::move(metadata)}};
}

Json
to_json(const std::map<std::string, std::string>& map) {
  Json out = Json::object();
  for (const auto& [key, value] : map) {
    out[key] = value;
  }
  return out;
}

Json
strings(const std::vector<std::string>& values) {
  Json out = Json::array();
  for (const auto& value : values) {
    out.push_back(value);
  }
  return out;
}

Json
env_value(std::string_view name, std::string_view value) {
  return Json{{"name", name}, {"value", value}};
}

Json
env_field(std::string_view name, std::string_view field_path) {
  return Json{{"name", name},
              {"valueFrom", {{"fieldRef", {{"apiVersion", "v1"}, {"fieldPath", field_path}}}}}};
}

Json
container_port(std::string_view name, int port) {
  return Json{{"name", name}, {"containerPort", port}, {"protocol", "TCP"}};
}

Json
http_probe(std::string_view scheme, std::string_view path, int port, Json timing) {
  Json probe = {{"httpGet", {{"path", path}, {"port", port}, {"scheme", scheme}}}};
  probe.update(timing);
  return probe;
}

Json
secret_volume(std::string_view volume_name, std::string_view secret_name) {
  return Json{{"name", volume_name}, {"secret", {{"secretName", secret_name}}}};
}

Json
empty_dir_volume(std::string_view volume_name) {
  return Json{{"name", volume_name}, {"emptyDir", Json::object()}};
}

Json
host_path_volume(std::string_view volume_name, std::string_view path, std::string_view type) {
  return Json{{"name", volume_name}, {"hostPath", {{"path", path}, {"type", type}}}};
}

Json
volume_mount(std::string_view volume_name, std::string_view mount_path, bool read_only) {
  Json mount = {{"name", volume_name}, {"mountPath", mount_path}};
  if (read_only) {
    mount["readOnly"] = true;
  }
  return mount;
}

std::string_view
flag_name(std::string_view arg) {
  return arg.substr(0, arg.find('='));
}

std::vector<std::string>
merge_args(const std::vector<std::string>& defaults, const std::vector<std::string>& extra) {
  std::vector<std::string> merged;
  for (size_t i = 0; i < defaults.size(); ++i) {
    bool overridden = i > 0 && std::any_of(extra.begin(), extra.end(), [&](const std::string& e) {
                        return flag_name(e) == flag_name(defaults[i]);
                      });
    if (!overridden) {
      merged.push_back(defaults[i]);
    }
  }
  merged.insert(merged.end(), extra.begin(), extra.end());
  return merged;
}

} // namespace kctl::manifests
