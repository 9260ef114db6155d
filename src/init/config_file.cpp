#include "init/config_file.hpp"

#include "util/duration.hpp"
#include "util/fs.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <set>

namespace kctl::init {

namespace {

// "a,b,c": the form of upstream's comma-separated flags, which file lists override.
std::string
join_with_commas(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) {
    joined += (joined.empty() ? "" : ",") + item;
  }
  return joined;
}

// Reads values out of one JSON object, remembering which keys were understood.
class Reader {
public:
  Reader(const Json& object, std::string path) : m_object(object), m_path(std::move(path)) {}

  // Overrides `target` with a non-empty string at `key`.
  Status text(const char* key, std::string& target) {
    KCTL_TRY_ASSIGN(const Json* value, take(key, Json::value_t::string));
    if (value != nullptr && !value->get_ref<const std::string&>().empty()) {
      target = value->get<std::string>();
    }
    return {};
  }
  // Overrides `target` with a non-zero integer at `key`.
  Status number(const char* key, std::int32_t& target) {
    KCTL_TRY_ASSIGN(const Json* value, take(key, Json::value_t::number_integer));
    if (value != nullptr && value->get<std::int64_t>() != 0) {
      target = value->get<std::int32_t>();
    }
    return {};
  }
  // Overrides `target` with a duration given as a Go duration string or a number of seconds.
  Status duration(const char* key, std::chrono::nanoseconds& target) {
    if (!m_object.contains(key)) {
      return {};
    }
    m_seen.insert(key);
    const Json& value = m_object.at(key);
    if (value.is_number_integer()) {
      if (value.get<std::int64_t>() != 0) {
        target = std::chrono::seconds(value.get<std::int64_t>());
      }
      return {};
    }
    if (!value.is_string()) {
      return failf("{}.{}: expected a duration such as \"120s\"", m_path, key);
    }
    KCTL_TRY_ASSIGN(target,
                    with_context(parse_duration(value.get<std::string>()), m_path + "." + key));
    return {};
  }
  // A nested object (absent: an empty one).
  Result<Reader> child(const char* key) {
    KCTL_TRY_ASSIGN(const Json* value, take(key, Json::value_t::object));
    static const Json empty = Json::object();
    return Reader(value != nullptr ? *value : empty, m_path + "." + key);
  }
  // Any JSON value of the given kind, unchanged.
  Result<const Json*> raw(const char* key, Json::value_t type) { return take(key, type); }

  Status strings(const char* key, std::vector<std::string>& target) {
    KCTL_TRY_ASSIGN(const Json* value, take(key, Json::value_t::array));
    if (value == nullptr || value->empty()) {
      return {};
    }
    target.clear();
    for (const auto& item : *value) {
      if (!item.is_string()) {
        return failf("{}.{}: expected a list of strings", m_path, key);
      }
      target.push_back(item.get<std::string>());
    }
    return {};
  }
  // Fails on keys nobody read: they are typos or fields of another version.
  Status finish() const {
    for (const auto& [key, value] : m_object.items()) {
      if (!m_seen.contains(key)) {
        return failf("{}.{}: unknown field", m_path, key);
      }
    }
    return {};
  }
  const std::string& path() const { return m_path; }

private:
  Result<const Json*> take(const char* key, Json::value_t type) {
    if (!m_object.contains(key) || m_object.at(key).is_null()) {
      m_seen.insert(key);
      return nullptr;
    }
    m_seen.insert(key);
    const Json& value = m_object.at(key);
    bool matches = value.type() == type ||
                   (type == Json::value_t::number_integer && value.is_number_unsigned());
    if (!matches) {
      return failf(
          "{}.{}: expected {}, found {}", m_path, key, Json(type).type_name(), value.type_name());
    }
    return &value;
  }

  const Json& m_object;
  std::string m_path;
  std::set<std::string> m_seen;
};

Status
read_extra_args(Reader& r, std::vector<std::string>& target) {
  KCTL_TRY_ASSIGN(const Json* list, r.raw("extraArgs", Json::value_t::array));
  if (list == nullptr || list->empty()) {
    return {};
  }
  target.clear();
  for (const auto& item : *list) {
    if (!item.is_object() || !item.contains("name")) {
      return failf("{}.extraArgs: each entry needs a name (and a value)", r.path());
    }
    std::string arg = "--" + item.at("name").get<std::string>();
    if (item.contains("value")) {
      arg += "=" + item.at("value").get<std::string>();
    }
    target.push_back(arg);
  }
  return {};
}

Status
read_scheduling(Reader& r, manifests::ComponentSpec& target) {
  KCTL_TRY_ASSIGN(const Json* resources, r.raw("resources", Json::value_t::object));
  KCTL_TRY_ASSIGN(const Json* node_selector, r.raw("nodeSelector", Json::value_t::object));
  KCTL_TRY_ASSIGN(const Json* tolerations, r.raw("tolerations", Json::value_t::array));
  KCTL_TRY_ASSIGN(const Json* affinity, r.raw("affinity", Json::value_t::object));
  if (resources != nullptr) {
    target.resources = *resources;
  }
  if (node_selector != nullptr) {
    for (const auto& [key, value] : node_selector->items()) {
      target.node_selector[key] = value.get<std::string>();
    }
  }
  if (tolerations != nullptr) {
    target.tolerations = *tolerations;
  }
  if (affinity != nullptr) {
    target.affinity = *affinity;
  }
  return {};
}

// repository+tag together name the image, as upstream requires both.
Status
read_image(Reader& r, std::string& image) {
  std::string repository;
  std::string tag;
  KCTL_TRY(r.text("repository", repository));
  KCTL_TRY(r.text("tag", tag));
  if (!repository.empty() && !tag.empty()) {
    image = repository + ":" + tag;
  }
  return {};
}

Status
read_component(Reader& parent,
               const char* key,
               ComponentFlags& flags,
               manifests::ComponentSpec& scheduling,
               manifests::InitSpec& spec,
               InitOptions& o) {
  KCTL_TRY_ASSIGN(Reader r, parent.child(key));
  KCTL_TRY(read_image(r, flags.image));
  KCTL_TRY(r.number("replicas", flags.replicas));
  KCTL_TRY(r.text("priorityClassName", flags.priority_class));
  KCTL_TRY(read_extra_args(r, flags.extra_args));
  KCTL_TRY(read_scheduling(r, scheduling));
  if (std::string_view(key) == "karmadaAPIServer") {
    KCTL_TRY(r.text("advertiseAddress", o.karmada_apiserver_advertise_address));
    KCTL_TRY_ASSIGN(Reader networking, r.child("networking"));
    KCTL_TRY(networking.text("namespace", o.namespace_name));
    KCTL_TRY(networking.number("port", o.port));
    KCTL_TRY(networking.finish());
    KCTL_TRY_ASSIGN(const Json* annotations, r.raw("serviceAnnotations", Json::value_t::object));
    if (annotations != nullptr) {
      for (const auto& [name, value] : annotations->items()) {
        spec.apiserver_service_annotations[name] = value.get<std::string>();
      }
    }
  }
  return r.finish();
}

Status
read_etcd(Reader& spec_reader, InitOptions& o, manifests::InitSpec& scheduling) {
  KCTL_TRY_ASSIGN(Reader etcd, spec_reader.child("etcd"));
  KCTL_TRY_ASSIGN(Reader local, etcd.child("local"));
  KCTL_TRY(read_image(local, o.etcd_image));
  KCTL_TRY(local.number("replicas", o.etcd_replicas));
  KCTL_TRY(local.text("dataPath", o.etcd_data));
  KCTL_TRY(local.text("pvcSize", o.etcd_pvc_size));
  KCTL_TRY(local.text("storageMode", o.etcd_storage_mode));
  KCTL_TRY(local.text("storageClassesName", o.storage_classes_name));
  KCTL_TRY(local.text("priorityClassName", o.etcd_priority_class));
  KCTL_TRY(read_extra_args(local, o.etcd_extra_args));
  KCTL_TRY_ASSIGN(const Json* selector, local.raw("nodeSelectorLabels", Json::value_t::object));
  if (selector != nullptr && !selector->empty()) {
    std::string text;
    for (const auto& [key, value] : selector->items()) {
      text += (text.empty() ? "" : ",") + key + "=" + value.get<std::string>();
    }
    o.etcd_node_selector_labels = text;
  }
  KCTL_TRY(read_scheduling(local, scheduling.etcd));
  KCTL_TRY(local.finish());
  KCTL_TRY_ASSIGN(Reader external, etcd.child("external"));
  std::vector<std::string> endpoints;
  KCTL_TRY(external.strings("endpoints", endpoints));
  if (!endpoints.empty()) {
    o.external_etcd_servers = join_with_commas(endpoints);
  }
  KCTL_TRY(external.text("caFile", o.external_etcd_ca_cert_path));
  KCTL_TRY(external.text("certFile", o.external_etcd_client_cert_path));
  KCTL_TRY(external.text("keyFile", o.external_etcd_client_key_path));
  KCTL_TRY(external.text("keyPrefix", o.external_etcd_key_prefix));
  KCTL_TRY(external.finish());
  return etcd.finish();
}

Status
read_certificates(Reader& spec_reader, InitOptions& o) {
  KCTL_TRY_ASSIGN(Reader certs, spec_reader.child("certificates"));
  KCTL_TRY(certs.text("caCertFile", o.ca_cert_file));
  KCTL_TRY(certs.text("caKeyFile", o.ca_key_file));
  std::vector<std::string> list;
  KCTL_TRY(certs.strings("externalDNS", list));
  if (!list.empty()) {
    o.cert_external_dns = join_with_commas(list);
  }
  list.clear();
  KCTL_TRY(certs.strings("externalIP", list));
  if (!list.empty()) {
    o.cert_external_ip = join_with_commas(list);
  }
  KCTL_TRY(certs.duration("validityPeriod", o.cert_validity_period));
  return certs.finish();
}

Status
read_images(Reader& spec_reader, InitOptions& o) {
  KCTL_TRY_ASSIGN(Reader images, spec_reader.child("images"));
  KCTL_TRY(images.text("imagePullPolicy", o.image_pull_policy));
  KCTL_TRY(images.strings("imagePullSecrets", o.image_pull_secrets));
  KCTL_TRY(images.text("kubeImageMirrorCountry", o.kube_image_mirror_country));
  KCTL_TRY(images.text("kubeImageRegistry", o.kube_image_registry));
  KCTL_TRY(images.text("kubeImageTag", o.kube_image_tag));
  KCTL_TRY_ASSIGN(Reader private_registry, images.child("privateRegistry"));
  KCTL_TRY(private_registry.text("registry", o.private_image_registry));
  KCTL_TRY(private_registry.finish());
  return images.finish();
}

Status
read_host_cluster(Reader& spec_reader, InitOptions& o) {
  KCTL_TRY_ASSIGN(Reader host, spec_reader.child("hostCluster"));
  KCTL_TRY(host.text("kubeconfig", o.kubeconfig));
  KCTL_TRY(host.text("context", o.context));
  KCTL_TRY(host.text("domain", o.host_cluster_domain));
  std::string unused;
  KCTL_TRY(host.text("apiEndpoint", unused));
  KCTL_TRY_ASSIGN(const Json* secret_ref, host.raw("secretRef", Json::value_t::object));
  if (!unused.empty() || secret_ref != nullptr) {
    return failf("{}: apiEndpoint and secretRef are not supported; use kubeconfig and context",
                 host.path());
  }
  return host.finish();
}

} // namespace

Status
apply_config(const Json& document,
             const std::string& source,
             InitOptions& o,
             manifests::InitSpec& scheduling) {
  if (!document.is_object()) {
    return failf("{}: expected a KarmadaInitConfig object", source);
  }
  if (document.value("apiVersion", "") != "config.karmada.io/v1alpha1" ||
      document.value("kind", "") != "KarmadaInitConfig") {
    return failf("{}: expected apiVersion config.karmada.io/v1alpha1 and kind KarmadaInitConfig",
                 source);
  }
  Reader top(document, source);
  std::string ignored;
  KCTL_TRY(top.text("apiVersion", ignored));
  KCTL_TRY(top.text("kind", ignored));
  KCTL_TRY_ASSIGN(const Json* metadata, top.raw("metadata", Json::value_t::object));
  (void)metadata;
  KCTL_TRY_ASSIGN(Reader spec, top.child("spec"));
  KCTL_TRY(read_certificates(spec, o));
  KCTL_TRY(read_etcd(spec, o, scheduling));
  KCTL_TRY(read_host_cluster(spec, o));
  KCTL_TRY(read_images(spec, o));
  KCTL_TRY_ASSIGN(Reader components, spec.child("components"));
  KCTL_TRY(read_component(
      components, "karmadaAPIServer", o.apiserver, scheduling.apiserver, scheduling, o));
  KCTL_TRY(read_component(components,
                          "karmadaAggregatedAPIServer",
                          o.aggregated_apiserver,
                          scheduling.aggregated_apiserver,
                          scheduling,
                          o));
  KCTL_TRY(read_component(components,
                          "kubeControllerManager",
                          o.kube_controller_manager,
                          scheduling.kube_controller_manager,
                          scheduling,
                          o));
  KCTL_TRY(read_component(components,
                          "karmadaControllerManager",
                          o.controller_manager,
                          scheduling.controller_manager,
                          scheduling,
                          o));
  KCTL_TRY(read_component(
      components, "karmadaScheduler", o.scheduler, scheduling.scheduler, scheduling, o));
  KCTL_TRY(
      read_component(components, "karmadaWebhook", o.webhook, scheduling.webhook, scheduling, o));
  KCTL_TRY(components.finish());
  KCTL_TRY(spec.text("karmadaCRDs", o.crds));
  KCTL_TRY(spec.text("karmadaDataPath", o.karmada_data));
  KCTL_TRY(spec.text("karmadaPKIPath", o.karmada_pki));
  KCTL_TRY(spec.duration("waitComponentReadyTimeout", o.wait_component_ready_timeout));
  KCTL_TRY(spec.finish());
  return top.finish();
}

Status
apply_config_file(const std::string& path, InitOptions& o, manifests::InitSpec& scheduling) {
  KCTL_TRY_ASSIGN(std::string text, fs::read_file(path));
  KCTL_TRY_ASSIGN(Json document, yaml::parse(text, path));
  return apply_config(document, path, o, scheduling);
}

void
copy_scheduling_settings(const manifests::InitSpec& from, manifests::InitSpec& to) {
  auto copy = [](const manifests::ComponentSpec& a, manifests::ComponentSpec& b) {
    b.resources = a.resources;
    b.node_selector = a.node_selector;
    b.tolerations = a.tolerations;
    b.affinity = a.affinity;
  };
  copy(from.etcd, to.etcd);
  copy(from.apiserver, to.apiserver);
  copy(from.aggregated_apiserver, to.aggregated_apiserver);
  copy(from.kube_controller_manager, to.kube_controller_manager);
  copy(from.controller_manager, to.controller_manager);
  copy(from.scheduler, to.scheduler);
  copy(from.webhook, to.webhook);
  to.apiserver_service_annotations = from.apiserver_service_annotations;
}

} // namespace kctl::init
