#include "init/config_file.hpp"
#include "init/options.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <fstream>

using kctl::init::InitOptions;
using kctl::init::resolve;
using kctl::manifests::Component;

namespace {
std::string
error_of(const InitOptions& o) {
  auto r = resolve(o);
  REQUIRE_FALSE(r);
  return r.error().message;
}
bool
mentions(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}
} // namespace

TEST_SUITE("init::options") {
  TEST_CASE("defaults resolve to upstream's images and settings") {
    auto r = resolve(InitOptions{});
    REQUIRE(r);
    CHECK(r->spec.component(Component::apiserver).image ==
          "registry.k8s.io/kube-apiserver:v1.35.2");
    CHECK(r->spec.component(Component::etcd).image == "registry.k8s.io/etcd:3.6.6-0");
    CHECK(r->spec.component(Component::webhook).image ==
          "docker.io/karmada/karmada-webhook:v1.18.2");
    CHECK(r->spec.node_port == 32443);
    CHECK(r->crds == "https://github.com/karmada-io/karmada/releases/download/v1.18.2/crds.tar.gz");
    CHECK(r->karmada_data == "/etc/karmada");
    CHECK(r->wait_timeout == std::chrono::seconds(120));
  }

  TEST_CASE("registry precedence: kube registry > mirror country > private registry") {
    InitOptions o;
    o.private_image_registry = "private.io/k";
    auto r = resolve(o);
    REQUIRE(r);
    CHECK(r->spec.component(Component::apiserver).image == "private.io/k/kube-apiserver:v1.35.2");
    CHECK(r->spec.component(Component::scheduler).image ==
          "private.io/k/karmada-scheduler:v1.18.2");
    o.kube_image_mirror_country = "cn";
    CHECK(resolve(o)->spec.component(Component::apiserver).image ==
          "registry.cn-hangzhou.aliyuncs.com/google_containers/kube-apiserver:v1.35.2");
    o.kube_image_registry = "kube.io";
    CHECK(resolve(o)->spec.component(Component::etcd).image == "kube.io/etcd:3.6.6-0");
    o.component(Component::scheduler).image = "mine/s:1";
    CHECK(resolve(o)->spec.component(Component::scheduler).image == "mine/s:1");
  }

  TEST_CASE("every problem is reported at once") {
    InitOptions o;
    o.component(Component::etcd).replicas = 3; // hostPath allows one
    o.cert_external_ip = "1.2.3.4,nope";       // not an IP
    o.image_pull_policy = "Sometimes";
    o.ca_cert_file = "/etc/hostname"; // key missing
    o.component(Component::webhook).extra_args = {"v=4"};
    std::string message = error_of(o);
    CHECK(mentions(message, "--etcd-replicas must be 1"));
    CHECK(mentions(message, "\"nope\" is not an IP address"));
    CHECK(mentions(message, "--image-pull-policy"));
    CHECK(mentions(message, "--ca-cert-file and --ca-key-file go together"));
    CHECK(mentions(message, "--karmada-webhook-extra-args: \"v=4\""));
  }

  TEST_CASE("storage modes") {
    InitOptions o;
    o.etcd_storage_mode = "PVC";
    CHECK(mentions(error_of(o), "--storage-classes-name is required"));
    o.storage_classes_name = "standard";
    o.component(Component::etcd).replicas = 3;
    CHECK(resolve(o));
    o.etcd_storage_mode = "nfs";
    CHECK(mentions(error_of(o), "--etcd-storage-mode must be one of"));
  }

  TEST_CASE("extra args split on commas are joined back to their flag") {
    InitOptions o;
    o.component(Component::controller_manager).extra_args = {
        "--controllers=*", "hpaScaleTargetMarker", "--v=4"};
    auto r = resolve(o);
    REQUIRE(r);
    CHECK(r->spec.component(Component::controller_manager).extra_args ==
          std::vector<std::string>{"--controllers=*,hpaScaleTargetMarker", "--v=4"});
  }

  TEST_CASE("a missing local CRD tarball or config file is caught before anything runs") {
    InitOptions o;
    o.crds = "/nonexistent/crds.tar.gz";
    CHECK(mentions(error_of(o), "--crds /nonexistent/crds.tar.gz: no such file"));
    o.crds.clear();
    o.config_file = "/nonexistent/config.yaml";
    CHECK(mentions(error_of(o), "/nonexistent/config.yaml"));
  }

  TEST_CASE("config file values win over flags, unknown fields are errors") {
    kctl::test::TempDir dir;
    auto config = dir / "init.yaml";
    REQUIRE(kctl::fs::write_file_atomic(config, R"(apiVersion: config.karmada.io/v1alpha1
kind: KarmadaInitConfig
spec:
  karmadaDataPath: /tmp/karmada-data
  waitComponentReadyTimeout: 300
  images:
    privateRegistry:
      registry: mirror.local
  components:
    karmadaScheduler:
      replicas: 2
)"));
    InitOptions o;
    o.config_file = config.string();
    o.karmada_data = "/from/flag";
    auto r = resolve(o);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->karmada_data == "/tmp/karmada-data");
    CHECK(r->wait_timeout == std::chrono::seconds(300));
    CHECK(r->spec.component(Component::scheduler).replicas == 2);
    CHECK(r->spec.component(Component::webhook).image == "mirror.local/karmada-webhook:v1.18.2");

    REQUIRE(kctl::fs::write_file_atomic(
        config,
        "apiVersion: config.karmada.io/v1alpha1\nkind: KarmadaInitConfig\n"
        "spec:\n  karmadaDataPth: /x\n"));
    CHECK(mentions(error_of(o), "spec.karmadaDataPth: unknown field"));
    REQUIRE(kctl::fs::write_file_atomic(config, "apiVersion: v1\nkind: ConfigMap\n"));
    CHECK(mentions(error_of(o), "expected apiVersion config.karmada.io/v1alpha1"));
  }

  TEST_CASE("the host cluster comes from the flags, or from the config file's hostCluster") {
    InitOptions o;
    o.kubeconfig = "/flag/kubeconfig";
    o.context = "flag-context";
    auto from_flags = resolve(o);
    REQUIRE_MESSAGE(from_flags, (from_flags ? "" : from_flags.error().message));
    CHECK(from_flags->kubeconfig == "/flag/kubeconfig");
    CHECK(from_flags->context == "flag-context");

    kctl::test::TempDir dir;
    auto config = dir / "init.yaml";
    REQUIRE(kctl::fs::write_file_atomic(config, R"(apiVersion: config.karmada.io/v1alpha1
kind: KarmadaInitConfig
spec:
  hostCluster:
    kubeconfig: /config/kubeconfig
    context: config-context
)"));
    o.config_file = config.string();
    auto from_config = resolve(o);
    REQUIRE_MESSAGE(from_config, (from_config ? "" : from_config.error().message));
    CHECK(from_config->kubeconfig == "/config/kubeconfig");
    CHECK(from_config->context == "config-context");
  }

  TEST_CASE("config file lists stay lists: commas inside items are not separators") {
    kctl::test::TempDir dir;
    auto config = dir / "init.yaml";
    REQUIRE(kctl::fs::write_file_atomic(config, R"(apiVersion: config.karmada.io/v1alpha1
kind: KarmadaInitConfig
spec:
  certificates:
    externalIP: ["10.0.0.1", "10.0.0.2"]
    externalDNS: ["a.example.com"]
  etcd:
    local:
      nodeSelectorLabels: {zone: "a,b", disk: ssd}
)"));
    InitOptions o;
    o.config_file = config.string();
    o.cert_external_ip = "1.1.1.1";
    auto r = resolve(o);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->cert_external_ips == std::vector<std::string>{"10.0.0.1", "10.0.0.2"});
    CHECK(r->cert_external_dns == std::vector<std::string>{"a.example.com"});
    CHECK(r->spec.local_etcd.node_selector ==
          std::map<std::string, std::string>{{"disk", "ssd"}, {"zone", "a,b"}});
  }

  TEST_CASE("every wrong type in the config file is a field error, all at once, exit code 2") {
    kctl::test::TempDir dir;
    auto config = dir / "init.yaml";
    REQUIRE(kctl::fs::write_file_atomic(config, R"(apiVersion: config.karmada.io/v1alpha1
kind: KarmadaInitConfig
spec:
  waitComponentReadyTimeout: [1]
  certificates:
    externalIP: ["10.0.0.1", 7]
  etcd:
    local:
      replicas: "3"
      nodeSelectorLabels: {zone: true}
  images:
    privateRegistry: registry.example.com
  components:
    karmadaAPIServer:
      extraArgs: [{name: v, value: 4}]
      networking: {port: 1.5}
    karmadaScheduler:
      extraArgs: [{value: x}, oops]
      tolerations: {key: a}
    karmadaWebhok: {}
)"));
    InitOptions o;
    o.config_file = config.string();
    auto r = resolve(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == kctl::k_reason_usage);
    const std::string& m = r.error().message;
    CHECK(mentions(m,
                   "spec.components.karmadaAPIServer.extraArgs[0].value: expected a string, "
                   "got a number"));
    CHECK(mentions(m, "spec.waitComponentReadyTimeout: expected a duration"));
    CHECK(mentions(m, "spec.certificates.externalIP[1]: expected a string, got a number"));
    CHECK(mentions(m, "spec.etcd.local.replicas: expected an integer, got a string"));
    CHECK(mentions(m, "spec.etcd.local.nodeSelectorLabels.zone: expected a string, got a boolean"));
    CHECK(mentions(m, "spec.images.privateRegistry: expected a map, got a string"));
    CHECK(mentions(m, "spec.components.karmadaAPIServer.networking.port: expected an integer"));
    CHECK(mentions(m, "spec.components.karmadaScheduler.extraArgs[0].name: required"));
    CHECK(
        mentions(m, "spec.components.karmadaScheduler.extraArgs[1]: expected a map, got a string"));
    CHECK(mentions(m, "spec.components.karmadaScheduler.tolerations: expected a list, got a map"));
    CHECK(mentions(m, "spec.components.karmadaWebhok: unknown field"));
    CHECK(mentions(m, config.string()));
  }

  TEST_CASE("an unreadable config file is a usage error") {
    InitOptions o;
    o.config_file = "/nonexistent/config.yaml";
    auto r = resolve(o);
    REQUIRE_FALSE(r);
    CHECK(r.error().reason == kctl::k_reason_usage);
  }

  TEST_CASE("--config files: alias bombs and oversized files are refused (issue 12)") {
    kctl::test::TempDir dir;
    auto path = (dir / "config.yaml").string();
    {
      std::ofstream out(path);
      out << "apiVersion: config.karmada.io/v1alpha1\nkind: KarmadaInitConfig\n"
             "a: &a [x, x, x, x, x, x, x, x, x]\n";
      for (char level = 'b'; level <= 'i'; ++level) {
        out << level << ": &" << level << " [";
        for (int i = 0; i < 9; ++i) {
          out << (i == 0 ? "" : ", ") << "*" << static_cast<char>(level - 1);
        }
        out << "]\n";
      }
    }
    auto bomb = kctl::init::load_config_file(path);
    REQUIRE_FALSE(bomb);
    CHECK(bomb.error().message.starts_with(path + ":"));
    CHECK(bomb.error().message.find("excessive aliasing") != std::string::npos);

    std::ofstream(path) << "# " << std::string(5u << 20, 'x') << "\n";
    auto large = kctl::init::load_config_file(path);
    REQUIRE_FALSE(large);
    CHECK(large.error().message == path + ": larger than 4 MiB, the limit for a --config file");
  }
}
