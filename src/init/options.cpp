#include "init/options.hpp"

#include "init/config_file.hpp"
#include "util/build_info.hpp"
#include "util/problems.hpp"
#include "util/strings.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>

#include <filesystem>
#include <regex>

namespace kctl::init {

namespace {

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
  for (const auto& item : strings::split_list(text)) {
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

// The image of `row`: the flag's (or file's) value, else the row's default image: a Kubernetes
// image from the kube registry, or a Karmada release image from the private registry if one is set.
std::string
image_of(const InitOptions& o, const manifests::ComponentInfo& row, const std::string& image) {
  if (!image.empty()) {
    return image;
  }
  if (row.image_source == manifests::ImageSource::kube) {
    return fmt::format("{}/{}:{}",
                       kube_registry(o),
                       row.image_name,
                       row.image_tag != nullptr ? row.image_tag : o.kube_image_tag);
  }
  std::string registry =
      o.private_image_registry.empty() ? "docker.io/karmada" : o.private_image_registry;
  return fmt::format("{}/{}:{}",
                     registry,
                     row.image_name,
                     row.image_tag != nullptr ? row.image_tag : build_info::k_karmada_version);
}

// Every component's settings from its flags (and file values), checked, plus the scheduling
// settings only the file gives.
void
resolve_components(const InitOptions& o,
                   const KarmadaInitConfig& config,
                   manifests::InitSpec& spec,
                   Problems& problems) {
  for (const auto& row : manifests::k_components) {
    const ComponentFlags& flags = o.component(row.id);
    manifests::ComponentSpec& c = spec.component(row.id);
    c.image = image_of(o, row, flags.image);
    c.replicas = flags.replicas;
    c.priority_class = flags.priority_class;
    c.extra_args = rejoin_extra_args(flags.extra_args);
    check_extra_args(fmt::format("{}-extra-args", row.flag_prefix), c.extra_args, problems);
    if (c.replicas < 1) {
      problems.add("--{}-replicas must be at least 1, not {}", row.flag_prefix, c.replicas);
    }
    const ComponentConfig& file = config.component(row.id);
    if (file.resources) {
      c.resources = *file.resources;
    }
    if (file.node_selector) {
      c.node_selector = *file.node_selector;
    }
    if (file.tolerations) {
      c.tolerations = *file.tolerations;
    }
    if (file.affinity) {
      c.affinity = *file.affinity;
    }
  }
  spec.apiserver_service_annotations = config.service_annotations;
}

void
resolve_etcd(const InitOptions& o,
             const KarmadaInitConfig& config,
             manifests::InitSpec& spec,
             Problems& problems) {
  spec.external_etcd.servers =
      config.external_etcd_endpoints.value_or(strings::split_list(o.external_etcd_servers));
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
  if (config.etcd_node_selector_labels) {
    spec.local_etcd.node_selector = *config.etcd_node_selector_labels;
  } else if (auto selector = parse_selector(o.etcd_node_selector_labels); selector) {
    spec.local_etcd.node_selector = *selector;
  } else {
    problems.add("--etcd-node-selector-labels: {}", selector.error().message);
  }
  if (o.etcd_storage_mode == "hostPath") {
    spec.local_etcd.storage_mode = manifests::EtcdStorageMode::host_path;
    if (o.etcd_data.empty()) {
      problems.add("--etcd-data is required when --etcd-storage-mode is hostPath");
    }
    if (o.component(manifests::Component::etcd).replicas != 1) {
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
  if (path.empty()) {
    return;
  }
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) {
    problems.add("{} {}: no such file; give the path of an existing file", flag, path);
  } else if (std::filesystem::is_directory(status)) {
    problems.add("{} {}: is a directory; give the path of a file", flag, path);
  } else if (!std::filesystem::is_regular_file(status)) {
    problems.add("{} {}: is not a readable file", flag, path);
  }
}

// An image tag as registries accept it: a word character, then up to 127 of [A-Za-z0-9_.-].
bool
is_image_tag(const std::string& tag) {
  static const std::regex k_tag("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  return std::regex_match(tag, k_tag);
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
  if (o.kube_image_tag.empty()) {
    problems.add("--kube-image-tag must not be empty: kube-apiserver and kube-controller-manager "
                 "need a tag such as {}",
                 InitOptions{}.kube_image_tag);
  } else if (!is_image_tag(o.kube_image_tag)) {
    problems.add("--kube-image-tag \"{}\" is not an image tag (letters, digits, '_', '.' and '-', "
                 "at most 128, such as {})",
                 o.kube_image_tag,
                 InitOptions{}.kube_image_tag);
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

std::array<ComponentFlags, manifests::k_component_count>
default_component_flags() {
  std::array<ComponentFlags, manifests::k_component_count> flags;
  for (const auto& row : manifests::k_components) {
    ComponentFlags& f = flags[static_cast<std::size_t>(row.id)];
    f.replicas = row.default_replicas;
    f.priority_class = row.default_priority_class;
  }
  return flags;
}

namespace {

// Resolves `o` into what init runs with, adding every problem to `problems`.
ResolvedInit
resolve_into(InitOptions o, Problems& problems) {
  KarmadaInitConfig config;
  if (!o.config_file.empty()) {
    auto loaded = load_config_file(o.config_file);
    if (!loaded) {
      problems.add("--config: {}", loaded.error().message);
      return {};
    }
    for (const auto& problem : loaded->problems) {
      problems.add_line(fmt::format("--config {}: {}", o.config_file, problem));
    }
    config = std::move(loaded->config);
    merge_config(config, o);
  }
  if (o.crds.empty()) {
    o.crds = default_crds_url(build_info::k_karmada_version);
  }
  ResolvedInit r;
  r.kubeconfig = o.kubeconfig;
  r.context = o.context;
  r.cert_external_ips = config.external_ip.value_or(strings::split_list(o.cert_external_ip));
  r.cert_external_dns = config.external_dns.value_or(strings::split_list(o.cert_external_dns));
  r.cert_validity_period = o.cert_validity_period;
  r.ca_cert_file = o.ca_cert_file;
  r.ca_key_file = o.ca_key_file;
  r.force_new_ca = o.force_new_ca;
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
  resolve_components(o, config, spec, problems);
  resolve_etcd(o, config, spec, problems);
  check_general(o, r, problems);
  return r;
}

} // namespace

Problems
check(const InitOptions& options) {
  Problems problems;
  resolve_into(options, problems);
  return problems;
}

Result<ResolvedInit>
resolve(InitOptions options) {
  Problems problems;
  ResolvedInit resolved = resolve_into(std::move(options), problems);
  if (!problems.empty()) {
    return std::unexpected(problems.error("invalid init options"));
  }
  return resolved;
}

} // namespace kctl::init
