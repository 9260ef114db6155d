// What init applies (init::init_objects, which the flow's steps apply as they are), compared byte
// for byte with tests/golden/init/*.yaml.
// Regenerate after an intended change with: UPDATE_GOLDEN=1 ./karmadactl_unittest
// -ts='init::golden'
#include "init/objects.hpp"
#include "init/options.hpp"
#include "manifests/host.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"
#include "util/yaml.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <string>

namespace {

using kctl::manifests::Component;

// Stand-ins for the PEM files, so the Secrets render the same every time.
kctl::init::PkiFiles
fake_pki() {
  kctl::init::PkiFiles pki;
  for (const char* base : {"ca",
                           "etcd-ca",
                           "etcd-server",
                           "etcd-client",
                           "karmada",
                           "apiserver",
                           "front-proxy-ca",
                           "front-proxy-client"}) {
    pki[std::string(base) + ".crt"] =
        "-----BEGIN CERTIFICATE-----\n" + std::string(base) + "\n-----END CERTIFICATE-----\n";
    pki[std::string(base) + ".key"] =
        "-----BEGIN PRIVATE KEY-----\n" + std::string(base) + "\n-----END PRIVATE KEY-----\n";
  }
  pki["ca.crt"] = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
  return pki;
}

// Everything init applies (CRDs aside: they come from the tarball), in the order it applies it,
// each step's list under a comment naming the step.
std::string
render(const kctl::manifests::InitSpec& spec) {
  std::string out;
  kctl::init::ObjectInputs inputs{fake_pki(), "https://172.18.0.2:32443", {}};
  for (const auto& step : kctl::init::init_objects(spec, inputs)) {
    for (const auto& object : step.objects) {
      out += "--- # step " + step.step + "\n" + kctl::yaml::dump(object);
    }
  }
  return out;
}

void
check_golden(const std::string& name, const kctl::manifests::InitSpec& spec) {
  std::string path = std::string(KCTL_GOLDEN_DIR) + "/init/" + name + ".yaml";
  std::string rendered = render(spec);
  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    REQUIRE(kctl::fs::write_file_atomic(path, rendered, kctl::fs::k_public_file));
  }
  auto expected = kctl::fs::read_file(path);
  REQUIRE_MESSAGE(expected, "missing golden file " << path << "; run with UPDATE_GOLDEN=1");
  CHECK(rendered == *expected);
}

kctl::manifests::InitSpec
resolved(kctl::init::InitOptions options) {
  auto r = kctl::init::resolve(std::move(options));
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  return r->spec;
}

} // namespace

TEST_SUITE("init::golden") {
  TEST_CASE("defaults: hostPath etcd, release images") {
    check_golden("defaults", resolved({}));
  }

  TEST_CASE("a Deployment whose container has no readiness probe counts as available only "
            "after minReadySeconds (a crash-looping component is never ready)") {
    // Without a readiness probe a pod is Ready the moment its process starts: a re-run of init
    // that gave the scheduler a bad flag reported success while the new pod crash-looped.
    kctl::manifests::InitSpec spec = resolved({});
    kctl::init::ObjectInputs inputs{fake_pki(), "https://172.18.0.2:32443", {}};
    std::map<std::string, int> min_ready;
    for (const auto& step : kctl::init::init_objects(spec, inputs)) {
      for (const auto& object : step.objects) {
        if (object.value("kind", "") != "Deployment") {
          continue;
        }
        std::string name = object["metadata"]["name"].get<std::string>();
        const auto& container = object["spec"]["template"]["spec"]["containers"][0];
        int seconds = object["spec"].value("minReadySeconds", 0);
        min_ready[name] = seconds;
        if (container.contains("readinessProbe")) {
          CHECK_MESSAGE(seconds == 0, name, ": a real readiness probe needs no extra wait");
        } else {
          CHECK_MESSAGE(seconds == kctl::manifests::k_min_ready_seconds_without_probe, name);
        }
      }
    }
    CHECK(kctl::manifests::k_min_ready_seconds_without_probe >= 3);
    CHECK(kctl::manifests::k_min_ready_seconds_without_probe <= 5); // it delays init
    CHECK(min_ready["karmada-scheduler"] > 0);
    CHECK(min_ready["karmada-controller-manager"] > 0);
    CHECK(min_ready["kube-controller-manager"] > 0);
    CHECK(min_ready["karmada-apiserver"] == 0);
    CHECK(min_ready["karmada-webhook"] == 0);
    CHECK(min_ready["karmada-aggregated-apiserver"] == 0);
  }

  TEST_CASE("PVC etcd with three members, private registry, extra args") {
    kctl::init::InitOptions o;
    o.etcd_storage_mode = "PVC";
    o.storage_classes_name = "fast";
    o.component(Component::etcd).replicas = 3;
    o.private_image_registry = "registry.example.com/karmada";
    o.namespace_name = "karmada-prod";
    o.host_cluster_domain = "corp.local";
    o.image_pull_secrets = {"pull-secret"};
    o.component(Component::apiserver).replicas = 2;
    o.component(Component::apiserver).extra_args = {"--v=4", "--audit-log-path=-"};
    o.component(Component::scheduler).extra_args = {"--enable-scheduler-estimator=false"};
    check_golden("pvc-private-registry", resolved(o));
  }

  TEST_CASE("external etcd with scheduling settings from a config file") {
    kctl::init::InitOptions o;
    kctl::test::TempDir dir;
    std::string pem = (dir / "etcd.pem").string();
    REQUIRE(kctl::fs::write_file_atomic(pem, "pem"));
    std::string text = R"(apiVersion: config.karmada.io/v1alpha1
kind: KarmadaInitConfig
spec:
  etcd:
    external:
      endpoints: ["https://10.0.0.5:2379", "https://10.0.0.6:2379"]
      caFile: /dev/null
      certFile: /dev/null
      keyFile: /dev/null
      keyPrefix: /karmada
  components:
    karmadaAPIServer:
      serviceAnnotations:
        service.beta.kubernetes.io/aws-load-balancer-internal: "true"
      resources:
        requests: {cpu: 500m, memory: 1Gi}
      nodeSelector: {node-role.kubernetes.io/control-plane: ""}
      tolerations:
        - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
    karmadaControllerManager:
      extraArgs:
        - {name: controllers, value: "*,hpaScaleTargetMarker"}
)";
    for (size_t at = text.find("/dev/null"); at != std::string::npos; at = text.find("/dev/null")) {
      text.replace(at, 9, pem);
    }
    REQUIRE(kctl::fs::write_file_atomic(dir / "config.yaml", text));
    o.config_file = (dir / "config.yaml").string();
    check_golden("external-etcd-config", resolved(o));
  }
}
