#include "commands/init_flags.hpp"

#include "commands/flags.hpp"

#include <fmt/format.h>

namespace kctl::cli {

namespace {

using manifests::Component;

std::string
flag(const manifests::ComponentInfo& row, const char* suffix) {
  return fmt::format("--{}-{}", row.flag_prefix, suffix);
}

void
bind_replicas(CLI::App& c,
              const manifests::ComponentInfo& row,
              init::ComponentFlags& flags,
              const char* group) {
  c.add_option(flag(row, "replicas"), flags.replicas, fmt::format("{} replicas", row.display))
      ->capture_default_str()
      ->group(group);
}

// --<prefix>-priority-class and -extra-args of `row`.
void
bind_priority_class_and_extra_args(CLI::App& c,
                                   const manifests::ComponentInfo& row,
                                   init::ComponentFlags& flags,
                                   const char* group) {
  c.add_option(flag(row, "priority-class"),
               flags.priority_class,
               fmt::format("{} priority class", row.display))
      ->capture_default_str()
      ->group(group);
  c.add_option(flag(row, "extra-args"),
               flags.extra_args,
               fmt::format("Extra {} arguments (--name=value)", row.display))
      ->delimiter(',')
      ->group(group);
}

} // namespace

void
bind_image_flags(CLI::App& c, init::InitOptions& o) {
  const char* group = "Images";
  c.add_option(
       "--private-image-registry",
       o.private_image_registry,
       "Private image registry to pull every image from (e.g. registry.example.com/karmada)")
      ->group(group);
  c.add_option("--kube-image-registry",
               o.kube_image_registry,
               "Registry of the Kubernetes images (kube-apiserver, kube-controller-manager, etcd)")
      ->group(group);
  c.add_option("--kube-image-mirror-country",
               o.kube_image_mirror_country,
               "Country code of a Kubernetes image mirror: cn or global")
      ->group(group);
  c.add_option("--kube-image-tag", o.kube_image_tag, "Tag of the Kubernetes images")
      ->capture_default_str()
      ->group(group);
  for (const auto& row : manifests::k_components) {
    std::string default_image =
        row.image_source == manifests::ImageSource::kube
            ? fmt::format("<kube registry>/{}:{}",
                          row.image_name,
                          row.image_tag != nullptr ? row.image_tag : "<kube image tag>")
            : std::string("the release image");
    c.add_option(flag(row, "image"),
                 o.component(row.id).image,
                 fmt::format("{} image (default: {})", row.display, default_image))
        ->group(group);
    if (row.id == Component::etcd) {
      c.add_option("--etcd-init-image", o.etcd_init_image, "Accepted for compatibility; unused")
          ->group("");
    }
  }
  c.add_option("--config",
               o.config_file,
               "KarmadaInitConfig file (config.karmada.io/v1alpha1); its values win over flags")
      ->group(group);
}

namespace {

// The images' pull policy and pull secrets (the images themselves: bind_image_flags).
void
bind_pull_flags(CLI::App& c, init::InitOptions& o) {
  const char* images = "Images";
  c.add_option("--image-pull-policy",
               o.image_pull_policy,
               "Pull policy of the images: Always, Never or IfNotPresent")
      ->capture_default_str()
      ->group(images);
  c.add_option(
       "--image-pull-secrets", o.image_pull_secrets, "Image pull secrets added to every pod")
      ->delimiter(',')
      ->group(images);
}

// The certificates init issues, or the CA it is given.
void
bind_certificate_flags(CLI::App& c, init::InitOptions& o) {
  const char* certs = "Certificates";
  c.add_option("--cert-external-ip",
               o.cert_external_ip,
               "Extra IPs in the Karmada certificates, comma-separated")
      ->group(certs);
  c.add_option("--cert-external-dns",
               o.cert_external_dns,
               "Extra DNS names in the Karmada certificates, comma-separated")
      ->group(certs);
  add_duration_flag(
      c, "--cert-validity-period", o.cert_validity_period, "Validity of the leaf certificates")
      ->group(certs);
  c.add_option(
       "--ca-cert-file", o.ca_cert_file, "Use this CA certificate instead of generating one")
      ->group(certs);
  c.add_option("--ca-key-file", o.ca_key_file, "Key of --ca-cert-file")->group(certs);
  c.add_flag(
       "--force-new-ca",
       o.force_new_ca,
       "Replace an existing CA in --karmada-pki that cannot be reused (unreadable, wrong key, "
       "expiring); member clusters must then be registered again")
      ->group(certs);
}

// Where in the host cluster the control plane goes (its connection flags: init.cpp).
void
bind_host_cluster_flags(CLI::App& c, init::InitOptions& o) {
  const char* host = "Host cluster";
  c.add_option("-n,--namespace", o.namespace_name, "Namespace of the control plane")
      ->capture_default_str()
      ->group(host);
  c.add_option("--host-cluster-domain", o.host_cluster_domain, "Cluster domain of the host cluster")
      ->capture_default_str()
      ->group(host);
  c.add_option("--storage-classes-name", o.storage_classes_name, "Storage class of the etcd PVCs")
      ->group(host);
}

// The etcd init runs (--etcd-storage-mode and its settings).
void
bind_local_etcd_flags(CLI::App& c, init::InitOptions& o) {
  const char* etcd = "Local etcd";
  c.add_option(
       "--etcd-storage-mode", o.etcd_storage_mode, "etcd data storage: hostPath, emptyDir or PVC")
      ->capture_default_str()
      ->group(etcd);
  const manifests::ComponentInfo& etcd_row = manifests::info(Component::etcd);
  bind_replicas(c, etcd_row, o.component(Component::etcd), etcd);
  c.add_option("--etcd-data", o.etcd_data, "etcd data directory on the node (hostPath mode)")
      ->capture_default_str()
      ->group(etcd);
  c.add_option("--etcd-node-selector-labels",
               o.etcd_node_selector_labels,
               "Node labels for etcd, e.g. a=b,c=d")
      ->group(etcd);
  c.add_option("--etcd-pvc-size", o.etcd_pvc_size, "Size of each etcd PVC")
      ->capture_default_str()
      ->group(etcd);
  bind_priority_class_and_extra_args(c, etcd_row, o.component(Component::etcd), etcd);
}

// An etcd init does not run.
void
bind_external_etcd_flags(CLI::App& c, init::InitOptions& o) {
  const char* external = "External etcd";
  c.add_option(
       "--external-etcd-servers", o.external_etcd_servers, "External etcd URLs, comma-separated")
      ->group(external);
  c.add_option(
       "--external-etcd-ca-cert-path", o.external_etcd_ca_cert_path, "CA of the external etcd")
      ->group(external);
  c.add_option(
       "--external-etcd-client-cert-path", o.external_etcd_client_cert_path, "Client certificate")
      ->group(external);
  c.add_option("--external-etcd-client-key-path", o.external_etcd_client_key_path, "Client key")
      ->group(external);
  c.add_option(
       "--external-etcd-key-prefix", o.external_etcd_key_prefix, "Key prefix in the external etcd")
      ->group(external);
}

// The Karmada API server's address and files, the wait, and each component's replicas,
// priority class and extra arguments.
void
bind_karmada_flags(CLI::App& c, init::InitOptions& o) {
  const char* karmada = "Karmada";
  c.add_option("--crds",
               o.crds,
               "CRD tarball: a local path or an http(s) URL (default: the release tarball)")
      ->group(karmada);
  c.add_option(
       "--karmada-apiserver-advertise-address",
       o.karmada_apiserver_advertise_address,
       "IP at which clients reach the Karmada API server (default: the control-plane node's IP)")
      ->group(karmada);
  c.add_option("-p,--port", o.port, "NodePort of the Karmada API server")
      ->capture_default_str()
      ->group(karmada);
  c.add_option("-d,--karmada-data", o.karmada_data, "Local directory for Karmada files")
      ->capture_default_str()
      ->group(karmada);
  c.add_option("--karmada-pki", o.karmada_pki, "Local directory for Karmada certificates")
      ->capture_default_str()
      ->group(karmada);
  add_duration_flag(c,
                    "--wait-component-ready-timeout",
                    o.wait_component_ready_timeout,
                    "How long to wait for each component (seconds, or a duration such as 5m)",
                    BareNumber::seconds)
      ->group(karmada);
  for (const auto& row : manifests::k_components) {
    if (row.id != Component::etcd) {
      bind_replicas(c, row, o.component(row.id), karmada);
      bind_priority_class_and_extra_args(c, row, o.component(row.id), karmada);
    }
  }
}

} // namespace

void
bind_init_flags(CLI::App& c, init::InitOptions& o) {
  bind_pull_flags(c, o);
  bind_certificate_flags(c, o);
  bind_host_cluster_flags(c, o);
  bind_local_etcd_flags(c, o);
  bind_external_etcd_flags(c, o);
  bind_karmada_flags(c, o);
}

} // namespace kctl::cli
