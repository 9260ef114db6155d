#include "init/options.hpp"

#include "init/config_file.hpp"
#include "util/build_info.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <filesystem>
#include <regex>

namespace kctl::init {

namespace {

// Collects every validation problem so the user fixes them in one go.
class Problems {
public:
  template <class... Args> void add(fmt::format_string<Args...> format, Args&&... args) {
    m_lines.push_back(fmt::format(format, std::forward<Args>(args)...));
  }
  bool empty() const { return m_lines.empty(); }
  Error error() const {
    std::string text = "invalid init options:";
    for (const auto& line : m_lines) {
      text += "\n  - " + line;
    }
    return Error{text, "Invalid", 0};
  }

private:
  std::vector<std::string> m_lines;
};

std::vector<std::string>
split_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    std::string item =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!item.empty()) {
      items.push_back(item);
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return items;
}

bool
is_ip(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// Upstream lets a repeated flag's values be split on commas ("--x-extra-args=--a=1,2" keeps "1,2"):
// a token that does not start with "--" continues the previous argument.
std::vector<std::string>
rejoin_extra_args(const std::vector<std::string>& raw) {
  std::vector<std::string> args;
  for (const auto& token : raw) {
    if (!token.starts_with("--") && !args.empty()) {
      args.back() += "," + token;
    } else {
      args.push_back(token);
    }
  }
  return args;
}

void
check_extra_args(const std::string& flag,
                 const std::vector<std::string>& args,
                 Problems& problems) {
  static const std::regex pattern(R"(^--[a-zA-Z][a-zA-Z0-9_-]*(=.*)?$)");
  for (const auto& arg : args) {
    if (!std::regex_match(arg, pattern)) {
      problems.add("--{}: \"{}\" is not of the form --name or --name=value", flag, arg);
    }
  }
}

Result<std::map<std::string, std::string>>
parse_selector(const std::string& text) {
  std::map<std::string, std::string> labels;
  for (const auto& item : split_list(text)) {
    size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return failf("\"{}\" is not of the form key=value", item);
    }
    labels[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return labels;
}

std::string
kube_registry(const InitOptions& o) {
  if (!o.kube_image_registry.empty()) {
    return o.kube_image_registry;
  }
  if (o.kube_image_mirror_country == "cn") {
    return "registry.cn-hangzhou.aliyuncs.com/google_containers";
  }
  if (!o.private_image_registry.empty()) {
    return o.private_image_registry;
  }
  return "registry.k8s.io";
}

// A karmada image: the flag's value, or the release image from the private registry if one is set.
std::string
karmada_image(const InitOptions& o, const std::string& flag_value, std::string_view name) {
  if (!flag_value.empty()) {
    return flag_value;
  }
  std::string registry =
      o.private_image_registry.empty() ? "docker.io/karmada" : o.private_image_registry;
  return fmt::format("{}/{}:{}", registry, name, build_info::k_karmada_version);
}

manifests::ComponentSpec
component(const ComponentFlags& flags, std::string image) {
  manifests::ComponentSpec spec;
  spec.image = std::move(image);
  spec.replicas = flags.replicas;
  spec.priority_class = flags.priority_class;
  spec.extra_args = rejoin_extra_args(flags.extra_args);
  return spec;
}

void
resolve_components(const InitOptions& o, manifests::InitSpec& spec) {
  std::string kube = kube_registry(o);
  auto kube_image = [&](const std::string& flag, std::string_view name) {
    return flag.empty() ? fmt::format("{}/{}:{}", kube, name, o.kube_image_tag) : flag;
  };
  spec.apiserver = component(o.apiserver, kube_image(o.apiserver.image, "kube-apiserver"));
  spec.kube_controller_manager =
      component(o.kube_controller_manager,
                kube_image(o.kube_controller_manager.image, "kube-controller-manager"));
  spec.aggregated_apiserver =
      component(o.aggregated_apiserver,
                karmada_image(o, o.aggregated_apiserver.image, "karmada-aggregated-apiserver"));
  spec.controller_manager =
      component(o.controller_manager,
                karmada_image(o, o.controller_manager.image, "karmada-controller-manager"));
  spec.scheduler = component(o.scheduler, karmada_image(o, o.scheduler.image, "karmada-scheduler"));
  spec.webhook = component(o.webhook, karmada_image(o, o.webhook.image, "karmada-webhook"));
  ComponentFlags etcd_flags{
      o.etcd_image, o.etcd_replicas, o.etcd_priority_class, o.etcd_extra_args};
  spec.etcd = component(etcd_flags,
                        o.etcd_image.empty() ? fmt::format("{}/etcd:3.6.6-0", kube) : o.etcd_image);
}

void
check_components(const InitOptions& o, const manifests::InitSpec& spec, Problems& problems) {
  const std::pair<const char*, const manifests::ComponentSpec*> components[] = {
      {"karmada-apiserver", &spec.apiserver},
      {"karmada-aggregated-apiserver", &spec.aggregated_apiserver},
      {"karmada-kube-controller-manager", &spec.kube_controller_manager},
      {"karmada-controller-manager", &spec.controller_manager},
      {"karmada-scheduler", &spec.scheduler},
      {"karmada-webhook", &spec.webhook},
      {"etcd", &spec.etcd},
  };
  for (const auto& [name, c] : components) {
    check_extra_args(fmt::format("{}-extra-args", name), c->extra_args, problems);
    if (c->replicas < 1) {
      problems.add("--{}-replicas must be at least 1, not {}", name, c->replicas);
    }
  }
  (void)o;
}

void
resolve_etcd(const InitOptions& o, manifests::InitSpec& spec, Problems& problems) {
  spec.external_etcd.servers = split_list(o.external_etcd_servers);
  spec.external_etcd.ca_file = o.external_etcd_ca_cert_path;
  spec.external_etcd.cert_file = o.external_etcd_client_cert_path;
  spec.external_etcd.key_file = o.external_etcd_client_key_path;
  spec.external_etcd.key_prefix = o.external_etcd_key_prefix;
  if (spec.external_etcd_mode()) {
    if (o.external_etcd_ca_cert_path.empty()) {
      problems.add("--external-etcd-ca-cert-path is required with --external-etcd-servers");
    }
    if (o.external_etcd_client_cert_path.empty() != o.external_etcd_client_key_path.empty()) {
      problems.add(
          "--external-etcd-client-cert-path and --external-etcd-client-key-path go together");
    }
    return;
  }
  spec.local_etcd.data_path = o.etcd_data;
  spec.local_etcd.pvc_size = o.etcd_pvc_size;
  spec.local_etcd.storage_class = o.storage_classes_name;
  if (auto selector = parse_selector(o.etcd_node_selector_labels); selector) {
    spec.local_etcd.node_selector = *selector;
  } else {
    problems.add("--etcd-node-selector-labels: {}", selector.error().message);
  }
  if (o.etcd_storage_mode == "hostPath") {
    spec.local_etcd.storage_mode = manifests::EtcdStorageMode::host_path;
    if (o.etcd_data.empty()) {
      problems.add("--etcd-data is required when --etcd-storage-mode is hostPath");
    }
    if (o.etcd_replicas != 1) {
      problems.add(
          "--etcd-replicas must be 1 when --etcd-storage-mode is hostPath (one data directory on "
          "one node); use PVC for more replicas");
    }
  } else if (o.etcd_storage_mode == "emptyDir") {
    spec.local_etcd.storage_mode = manifests::EtcdStorageMode::empty_dir;
  } else if (o.etcd_storage_mode == "PVC") {
    spec.local_etcd.storage_mode = manifests::EtcdStorageMode::pvc;
    if (o.storage_classes_name.empty()) {
      problems.add("--storage-classes-name is required when --etcd-storage-mode is PVC");
    }
  } else {
    problems.add("--etcd-storage-mode must be one of hostPath, emptyDir, PVC, not \"{}\"",
                 o.etcd_storage_mode);
  }
}

void
check_file(const std::string& flag, const std::string& path, Problems& problems) {
  std::error_code ec;
  if (!path.empty() && !std::filesystem::is_regular_file(path, ec)) {
    problems.add("{}: {} is not a readable file", flag, path);
  }
}

void
check_general(const InitOptions& o, const ResolvedInit& r, Problems& problems) {
  static const std::regex dns_label(R"(^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$)");
  if (!std::regex_match(o.namespace_name, dns_label)) {
    problems.add(
        "--namespace \"{}\" is not a valid namespace name (lower-case letters, digits and '-')",
        o.namespace_name);
  }
  if (o.image_pull_policy != "Always" && o.image_pull_policy != "Never" &&
      o.image_pull_policy != "IfNotPresent") {
    problems.add("--image-pull-policy must be one of Always, Never, IfNotPresent, not \"{}\"",
                 o.image_pull_policy);
  }
  if (o.kube_image_mirror_country != "" && o.kube_image_mirror_country != "cn" &&
      o.kube_image_mirror_country != "global") {
    problems.add("--kube-image-mirror-country must be cn or global, not \"{}\"",
                 o.kube_image_mirror_country);
  }
  for (const auto& ip : r.cert_external_ips) {
    if (!is_ip(ip)) {
      problems.add("--cert-external-ip: \"{}\" is not an IP address", ip);
    }
  }
  if (!o.karmada_apiserver_advertise_address.empty() &&
      !is_ip(o.karmada_apiserver_advertise_address)) {
    problems.add("--karmada-apiserver-advertise-address: \"{}\" is not an IP address",
                 o.karmada_apiserver_advertise_address);
  }
  if (o.ca_cert_file.empty() != o.ca_key_file.empty()) {
    problems.add("--ca-cert-file and --ca-key-file go together: give both or neither");
  }
  check_file("--ca-cert-file", o.ca_cert_file, problems);
  check_file("--ca-key-file", o.ca_key_file, problems);
  check_file("--external-etcd-ca-cert-path", o.external_etcd_ca_cert_path, problems);
  check_file("--external-etcd-client-cert-path", o.external_etcd_client_cert_path, problems);
  check_file("--external-etcd-client-key-path", o.external_etcd_client_key_path, problems);
  if (!o.crds.starts_with("http")) {
    check_file("--crds", o.crds, problems);
  }
  if (o.port < 1 || o.port > 65535) {
    problems.add("--port must be a port number, not {}", o.port);
  }
  if (o.wait_component_ready_timeout.count() < 0) {
    problems.add("--wait-component-ready-timeout must not be negative");
  }
  if (o.cert_validity_period.count() <= 0) {
    problems.add("--cert-validity-period must be positive");
  }
  if (o.karmada_data.empty() || o.karmada_pki.empty()) {
    problems.add("--karmada-data and --karmada-pki must not be empty");
  }
}

} // namespace

std::string
default_crds_url(std::string_view karmada_version) {
  return fmt::format("https://github.com/karmada-io/karmada/releases/download/{}/crds.tar.gz",
                     karmada_version);
}

Result<ResolvedInit>
resolve(InitOptions o) {
  manifests::InitSpec config_overrides;
  if (!o.config_file.empty()) {
    KCTL_TRY(apply_config_file(o.config_file, o, config_overrides));
  }
  if (o.crds.empty()) {
    o.crds = default_crds_url(build_info::k_karmada_version);
  }
  Problems problems;
  ResolvedInit r;
  r.cert_external_ips = split_list(o.cert_external_ip);
  r.cert_external_dns = split_list(o.cert_external_dns);
  r.cert_validity_period = o.cert_validity_period;
  r.ca_cert_file = o.ca_cert_file;
  r.ca_key_file = o.ca_key_file;
  r.crds = o.crds;
  r.karmada_data = o.karmada_data;
  r.karmada_pki = o.karmada_pki;
  r.advertise_address = o.karmada_apiserver_advertise_address;
  r.wait_timeout = o.wait_component_ready_timeout;

  manifests::InitSpec& spec = r.spec;
  spec.namespace_name = o.namespace_name;
  spec.cluster_domain = o.host_cluster_domain;
  spec.node_port = o.port;
  spec.image_pull_policy = o.image_pull_policy;
  spec.image_pull_secrets = o.image_pull_secrets;
  resolve_components(o, spec);
  copy_scheduling_settings(config_overrides, spec);
  resolve_etcd(o, spec, problems);
  check_components(o, spec, problems);
  check_general(o, r, problems);
  if (!problems.empty()) {
    return std::unexpected(problems.error());
  }
  return r;
}

} // namespace kctl::init
