#include "init/config_file.hpp"

#include "util/duration.hpp"
#include "util/fs.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <limits>
#include <set>

namespace kctl::init {

namespace {

using manifests::Component;

// "a string", "a number", ... for "expected X, got Y".
std::string
type_phrase(const Json& value) {
  switch (value.type()) {
  case Json::value_t::string:
    return "a string";
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned:
  case Json::value_t::number_float:
    return "a number";
  case Json::value_t::boolean:
    return "a boolean";
  case Json::value_t::array:
    return "a list";
  case Json::value_t::object:
    return "a map";
  case Json::value_t::null:
    return "null";
  default:
    return "a value";
  }
}

// The fields of one map of the document. Each accessor marks its key as known, decodes the value
// into a typed one, and on a wrong type adds a problem naming the field's path and returns
// nothing, so decoding goes on and every problem is found in one pass.
class Fields {
public:
  Fields(const Json& object, std::string path, std::vector<std::string>& problems)
      : m_object(object), m_path(std::move(path)), m_problems(problems) {}

  std::string path_of(std::string_view key) const {
    return m_path.empty() ? std::string(key) : fmt::format("{}.{}", m_path, key);
  }
  void problem(const std::string& path, const std::string& what) {
    m_problems.push_back(fmt::format("{}: {}", path, what));
  }

  // A nested map (absent, null or of the wrong type: an empty one).
  Fields object(std::string_view key) {
    const Json* value = typed(key, Json::value_t::object, "a map");
    return Fields(value != nullptr ? *value : empty_object(), path_of(key), m_problems);
  }
  // A non-empty string.
  std::optional<std::string> text(std::string_view key) {
    const Json* value = typed(key, Json::value_t::string, "a string");
    if (value == nullptr || value->get_ref<const std::string&>().empty()) {
      return std::nullopt;
    }
    return value->get<std::string>();
  }
  // A non-zero 32-bit integer.
  std::optional<std::int32_t> int32(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (!value->is_number_integer()) {
      problem(path_of(key), fmt::format("expected an integer, got {}", type_phrase(*value)));
      return std::nullopt;
    }
    bool fits = value->is_number_unsigned()
                    ? value->get<std::uint64_t>() <=
                          static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())
                    : value->get<std::int64_t>() >= std::numeric_limits<std::int32_t>::min() &&
                          value->get<std::int64_t>() <= std::numeric_limits<std::int32_t>::max();
    if (!fits) {
      problem(path_of(key), fmt::format("{} does not fit a 32-bit integer", value->dump()));
      return std::nullopt;
    }
    std::int32_t number = value->get<std::int32_t>();
    return number == 0 ? std::nullopt : std::optional(number);
  }
  // A non-zero duration: a Go duration string ("2m") or a number of seconds.
  std::optional<std::chrono::nanoseconds> duration(std::string_view key) {
    const Json* value = find(key);
    if (value == nullptr) {
      return std::nullopt;
    }
    if (value->is_number_integer()) {
      std::chrono::seconds seconds(value->get<std::int64_t>());
      return seconds.count() == 0 ? std::nullopt : std::optional<std::chrono::nanoseconds>(seconds);
    }
    if (!value->is_string()) {
      problem(path_of(key),
              fmt::format("expected a duration such as \"120s\", got {}", type_phrase(*value)));
      return std::nullopt;
    }
    auto parsed = parse_duration(value->get<std::string>());
    if (!parsed) {
      problem(path_of(key), parsed.error().message);
      return std::nullopt;
    }
    return parsed->count() == 0 ? std::nullopt : std::optional(*parsed);
  }
  // A non-empty list of strings.
  std::optional<std::vector<std::string>> strings(std::string_view key) {
    const Json* value = typed(key, Json::value_t::array, "a list of strings");
    if (value == nullptr || value->empty()) {
      return std::nullopt;
    }
    std::vector<std::string> items;
    bool ok = true;
    for (size_t i = 0; i < value->size(); ++i) {
      const Json& item = (*value)[i];
      if (!item.is_string()) {
        problem(fmt::format("{}[{}]", path_of(key), i),
                fmt::format("expected a string, got {}", type_phrase(item)));
        ok = false;
        continue;
      }
      items.push_back(item.get<std::string>());
    }
    return ok ? std::optional(std::move(items)) : std::nullopt;
  }
  // A non-empty map of strings to strings.
  std::optional<std::map<std::string, std::string>> string_map(std::string_view key) {
    const Json* value = typed(key, Json::value_t::object, "a map of strings");
    if (value == nullptr || value->empty()) {
      return std::nullopt;
    }
    std::map<std::string, std::string> items;
    bool ok = true;
    for (const auto& [name, item] : value->items()) {
      if (!item.is_string()) {
        problem(fmt::format("{}.{}", path_of(key), name),
                fmt::format("expected a string, got {}", type_phrase(item)));
        ok = false;
        continue;
      }
      items[name] = item.get<std::string>();
    }
    return ok ? std::optional(std::move(items)) : std::nullopt;
  }
  // A map or list kept as it is (Kubernetes API types such as resources and affinity).
  std::optional<Json> raw(std::string_view key, Json::value_t type) {
    const Json* value =
        typed(key, type, type == Json::value_t::object ? "a map" : std::string_view("a list"));
    return value != nullptr ? std::optional(*value) : std::nullopt;
  }
  // A list of maps.
  std::vector<Fields> objects(std::string_view key) {
    std::vector<Fields> items;
    const Json* value = typed(key, Json::value_t::array, "a list");
    if (value == nullptr) {
      return items;
    }
    for (size_t i = 0; i < value->size(); ++i) {
      std::string path = fmt::format("{}[{}]", path_of(key), i);
      if (!(*value)[i].is_object()) {
        problem(path, fmt::format("expected a map, got {}", type_phrase((*value)[i])));
        continue;
      }
      items.emplace_back((*value)[i], path, m_problems);
    }
    return items;
  }
  // Reports the keys nobody read: typos, or fields of another version.
  void finish() {
    for (const auto& [key, value] : m_object.items()) {
      if (!m_seen.contains(key)) {
        problem(path_of(key), "unknown field");
      }
    }
  }

private:
  static const Json& empty_object() {
    static const Json empty = Json::object();
    return empty;
  }
  // The value at `key`; nullptr when absent or null.
  const Json* find(std::string_view key) {
    m_seen.insert(std::string(key));
    auto found = m_object.find(key);
    return found == m_object.end() || found->is_null() ? nullptr : &*found;
  }
  const Json* typed(std::string_view key, Json::value_t type, std::string_view expected) {
    const Json* value = find(key);
    if (value != nullptr && value->type() != type) {
      problem(path_of(key), fmt::format("expected {}, got {}", expected, type_phrase(*value)));
      return nullptr;
    }
    return value;
  }

  const Json& m_object;
  std::string m_path;
  std::vector<std::string>& m_problems;
  std::set<std::string, std::less<>> m_seen;
};

// extraArgs: [{name, value}] as "--name=value".
std::optional<std::vector<std::string>>
read_extra_args(Fields& fields) {
  std::vector<Fields> entries = fields.objects("extraArgs");
  if (entries.empty()) {
    return std::nullopt;
  }
  std::vector<std::string> args;
  for (auto& entry : entries) {
    std::optional<std::string> name = entry.text("name");
    std::optional<std::string> value = entry.text("value");
    entry.finish();
    if (!name) {
      entry.problem(entry.path_of("name"), "required");
      continue;
    }
    args.push_back("--" + *name + (value ? "=" + *value : std::string()));
  }
  return args;
}

// The settings every component has. repository and tag name the image only together, as
// upstream requires.
void
read_component(Fields& fields, ComponentConfig& c) {
  std::optional<std::string> repository = fields.text("repository");
  std::optional<std::string> tag = fields.text("tag");
  if (repository && tag) {
    c.image = *repository + ":" + *tag;
  }
  c.replicas = fields.int32("replicas");
  c.priority_class = fields.text("priorityClassName");
  c.extra_args = read_extra_args(fields);
  c.resources = fields.raw("resources", Json::value_t::object);
  c.node_selector = fields.string_map("nodeSelector");
  c.tolerations = fields.raw("tolerations", Json::value_t::array);
  c.affinity = fields.raw("affinity", Json::value_t::object);
}

void
read_certificates(Fields& spec, KarmadaInitConfig& c) {
  Fields certs = spec.object("certificates");
  c.ca_cert_file = certs.text("caCertFile");
  c.ca_key_file = certs.text("caKeyFile");
  c.external_dns = certs.strings("externalDNS");
  c.external_ip = certs.strings("externalIP");
  c.validity_period = certs.duration("validityPeriod");
  certs.finish();
}

void
read_etcd_extras(Fields& local, Fields& external, KarmadaInitConfig& c) {
  c.etcd_data_path = local.text("dataPath");
  c.etcd_pvc_size = local.text("pvcSize");
  c.etcd_storage_mode = local.text("storageMode");
  c.storage_classes_name = local.text("storageClassesName");
  c.etcd_node_selector_labels = local.string_map("nodeSelectorLabels");
  c.external_etcd_endpoints = external.strings("endpoints");
  c.external_etcd_ca_file = external.text("caFile");
  c.external_etcd_cert_file = external.text("certFile");
  c.external_etcd_key_file = external.text("keyFile");
  c.external_etcd_key_prefix = external.text("keyPrefix");
}

void
read_apiserver_extras(Fields& apiserver, KarmadaInitConfig& c) {
  c.advertise_address = apiserver.text("advertiseAddress");
  Fields networking = apiserver.object("networking");
  c.namespace_name = networking.text("namespace");
  c.port = networking.int32("port");
  networking.finish();
  if (auto annotations = apiserver.string_map("serviceAnnotations")) {
    c.service_annotations = *annotations;
  }
}

void
read_host_cluster(Fields& spec, KarmadaInitConfig& c) {
  Fields host = spec.object("hostCluster");
  c.kubeconfig = host.text("kubeconfig");
  c.context = host.text("context");
  c.domain = host.text("domain");
  std::optional<std::string> endpoint = host.text("apiEndpoint");
  std::optional<Json> secret_ref = host.raw("secretRef", Json::value_t::object);
  if (endpoint || secret_ref) {
    host.problem("spec.hostCluster",
                 "apiEndpoint and secretRef are not supported; use kubeconfig and context");
  }
  host.finish();
}

void
read_images(Fields& spec, KarmadaInitConfig& c) {
  Fields images = spec.object("images");
  c.image_pull_policy = images.text("imagePullPolicy");
  c.image_pull_secrets = images.strings("imagePullSecrets");
  c.kube_image_mirror_country = images.text("kubeImageMirrorCountry");
  c.kube_image_registry = images.text("kubeImageRegistry");
  c.kube_image_tag = images.text("kubeImageTag");
  Fields registry = images.object("privateRegistry");
  c.private_registry = registry.text("registry");
  registry.finish();
  images.finish();
}

template <class T>
void
set_if(const std::optional<T>& value, T& target) {
  if (value) {
    target = *value;
  }
}

} // namespace

DecodedConfig
decode_config(const Json& document) {
  DecodedConfig out;
  KarmadaInitConfig& c = out.config;
  if (!document.is_object() ||
      document.value("apiVersion", Json()) != "config.karmada.io/v1alpha1" ||
      document.value("kind", Json()) != "KarmadaInitConfig") {
    out.problems.push_back(
        "expected apiVersion config.karmada.io/v1alpha1 and kind KarmadaInitConfig");
    return out;
  }
  Fields top(document, "", out.problems);
  top.text("apiVersion");
  top.text("kind");
  top.raw("metadata", Json::value_t::object);
  Fields spec = top.object("spec");
  read_certificates(spec, c);
  read_host_cluster(spec, c);
  read_images(spec, c);
  // Each component's map is at the path its row names ("<parent>.<key>" below spec); etcd's and
  // the API server's hold more than the common settings.
  std::map<std::string, Fields, std::less<>> parents;
  for (const auto& row : manifests::k_components) {
    std::string_view path = row.config_path;
    std::string_view parent_key = path.substr(0, path.find('.'));
    auto parent = parents.find(parent_key);
    if (parent == parents.end()) {
      parent = parents.try_emplace(std::string(parent_key), spec.object(parent_key)).first;
    }
    Fields fields = parent->second.object(path.substr(path.find('.') + 1));
    read_component(fields, c.components[static_cast<std::size_t>(row.id)]);
    if (row.id == Component::apiserver) {
      read_apiserver_extras(fields, c);
    }
    if (row.id == Component::etcd) {
      Fields external = parent->second.object("external");
      read_etcd_extras(fields, external, c);
      external.finish();
    }
    fields.finish();
  }
  for (auto& [key, parent] : parents) {
    parent.finish();
  }
  c.crds = spec.text("karmadaCRDs");
  c.data_path = spec.text("karmadaDataPath");
  c.pki_path = spec.text("karmadaPKIPath");
  c.wait_timeout = spec.duration("waitComponentReadyTimeout");
  spec.finish();
  top.finish();
  return out;
}

// A KarmadaInitConfig is a few KiB; anything near this is not one.
constexpr std::size_t k_max_init_config_file_bytes = std::size_t{4} << 20;

Result<DecodedConfig>
load_config_file(const std::string& path) {
  KCTL_TRY_ASSIGN(std::string text,
                  yaml::read_input(path, k_max_init_config_file_bytes, "a --config file"));
  KCTL_TRY_ASSIGN(Json document, yaml::parse(text, path));
  return decode_config(document);
}

void
merge_config(const KarmadaInitConfig& c, InitOptions& o) {
  set_if(c.ca_cert_file, o.ca_cert_file);
  set_if(c.ca_key_file, o.ca_key_file);
  set_if(c.validity_period, o.cert_validity_period);
  set_if(c.etcd_data_path, o.etcd_data);
  set_if(c.etcd_pvc_size, o.etcd_pvc_size);
  set_if(c.etcd_storage_mode, o.etcd_storage_mode);
  set_if(c.storage_classes_name, o.storage_classes_name);
  set_if(c.external_etcd_ca_file, o.external_etcd_ca_cert_path);
  set_if(c.external_etcd_cert_file, o.external_etcd_client_cert_path);
  set_if(c.external_etcd_key_file, o.external_etcd_client_key_path);
  set_if(c.external_etcd_key_prefix, o.external_etcd_key_prefix);
  set_if(c.kubeconfig, o.kubeconfig);
  set_if(c.context, o.context);
  set_if(c.domain, o.host_cluster_domain);
  set_if(c.image_pull_policy, o.image_pull_policy);
  set_if(c.image_pull_secrets, o.image_pull_secrets);
  set_if(c.kube_image_mirror_country, o.kube_image_mirror_country);
  set_if(c.kube_image_registry, o.kube_image_registry);
  set_if(c.kube_image_tag, o.kube_image_tag);
  set_if(c.private_registry, o.private_image_registry);
  for (const auto& row : manifests::k_components) {
    const ComponentConfig& from = c.component(row.id);
    ComponentFlags& to = o.component(row.id);
    set_if(from.image, to.image);
    set_if(from.replicas, to.replicas);
    set_if(from.priority_class, to.priority_class);
    set_if(from.extra_args, to.extra_args);
  }
  set_if(c.advertise_address, o.karmada_apiserver_advertise_address);
  set_if(c.namespace_name, o.namespace_name);
  set_if(c.port, o.port);
  set_if(c.crds, o.crds);
  set_if(c.data_path, o.karmada_data);
  set_if(c.pki_path, o.karmada_pki);
  set_if(c.wait_timeout, o.wait_component_ready_timeout);
}

} // namespace kctl::init
