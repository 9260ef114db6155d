// init's stages against a FakeTransport host and Karmada API server: what the steps apply, in what
// order, and that it is exactly init::init_objects() (what the golden files pin).
#include "flow/steps.hpp"
#include "init/flow.hpp"
#include "kube/dry_run_transport.hpp"
#include "kube/fake_transport.hpp"
#include "responses.hpp"
#include "testutil.hpp"
#include "util/yaml.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

namespace {

using kctl::test::json_response;

using kctl::Json;
using kctl::Result;
using kctl::kube::FakeTransport;
using kctl::kube::Request;
using kctl::kube::Response;
using kctl::kube::Verb;

// Every kind init applies, served under every group version (the client only asks for the ones
// objects name).
Json
discovery() {
  Json resources = Json::array();
  for (const auto& [resource, kind, namespaced] :
       std::vector<std::tuple<const char*, const char*, bool>>{
           {"namespaces", "Namespace", false},
           {"nodes", "Node", false},
           {"secrets", "Secret", true},
           {"services", "Service", true},
           {"configmaps", "ConfigMap", true},
           {"deployments", "Deployment", true},
           {"statefulsets", "StatefulSet", true},
           {"apiservices", "APIService", false},
           {"mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false},
           {"validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false},
           {"clusterroles", "ClusterRole", false},
           {"clusterrolebindings", "ClusterRoleBinding", false},
           {"roles", "Role", true},
           {"rolebindings", "RoleBinding", true},
           {"customresourcedefinitions", "CustomResourceDefinition", false},
       }) {
    resources.push_back({{"name", resource}, {"kind", kind}, {"namespaced", namespaced}});
  }
  return Json{{"resources", resources}};
}

// A cluster where nothing exists yet: one Ready control-plane node, no Services; every object is
// NotFound, every apply succeeds.
FakeTransport::Handler
empty_cluster() {
  return [](const Request& request) -> Result<Response> {
    if (request.path == "/version") {
      return json_response(200, {{"gitVersion", "v1.35.2"}});
    }
    if (request.path == "/api/v1" || request.path.starts_with("/apis/")) {
      if (request.verb == Verb::raw_get || request.ref.resource.empty()) {
        return json_response(200, discovery());
      }
    }
    if (request.verb == Verb::list) {
      Json items = Json::array();
      if (request.ref.resource == "nodes" && request.path.find("karmada.io") == std::string::npos) {
        items.push_back({{"metadata", {{"name", "node-1"}}},
                         {"status",
                          {{"addresses", {{{"type", "InternalIP"}, {"address", "10.0.0.1"}}}},
                           {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}});
      }
      return json_response(200, {{"kind", "List"}, {"metadata", Json::object()}, {"items", items}});
    }
    if (request.verb == Verb::get) {
      return json_response(404,
                           {{"kind", "Status"},
                            {"apiVersion", "v1"},
                            {"status", "Failure"},
                            {"reason", "NotFound"},
                            {"code", 404}});
    }
    if (request.verb == Verb::apply || request.verb == Verb::patch) {
      return Response{200, request.body.empty() ? "{}" : request.body, {}};
    }
    return json_response(404, {{"kind", "Status"}, {"reason", "NotFound"}, {"code", 404}});
  };
}

// "<Kind> <namespace>/<name>" of each server-side apply sent, in order.
std::vector<std::string>
applied(const FakeTransport& fake) {
  std::vector<std::string> out;
  for (const auto& request : fake.requests()) {
    if (request.verb == Verb::apply) {
      Json object = Json::parse(request.body);
      out.push_back(kctl::flow::describe(object));
    }
  }
  return out;
}

kctl::init::PkiFiles
fake_pki() {
  kctl::init::PkiFiles pki;
  for (const char* name : {"ca", "etcd-ca", "etcd-server", "etcd-client", "karmada", "apiserver"}) {
    pki[std::string(name) + ".crt"] = std::string("cert of ") + name;
    pki[std::string(name) + ".key"] = std::string("key of ") + name;
  }
  return pki;
}

const char* k_crd = R"(apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: things.example.karmada.io
spec:
  group: example.karmada.io
)";

} // namespace

TEST_SUITE("init::flow") {
  TEST_CASE("init's steps apply exactly init_objects(), each step's objects in order") {
    kctl::test::TempDir dir;
    kctl::init::InitOptions options;
    options.karmada_data = (dir / "data").string();
    options.karmada_pki = (dir / "data/pki").string();
    auto resolved = kctl::init::resolve(options);
    REQUIRE_MESSAGE(resolved, (resolved ? "" : resolved.error().message));

    auto host_fake = std::make_shared<FakeTransport>(empty_cluster());
    auto karmada_fake = std::make_shared<FakeTransport>(empty_cluster());
    kctl::init::InitRun run(*resolved, kctl::kube::Client(host_fake));
    kctl::kube::Client karmada(karmada_fake);
    run.connect = [karmada](const kctl::kube::RestConfig&) -> Result<kctl::kube::Client> {
      return karmada;
    };
    // The certificates and CRDs are prepared (their steps have their own tests).
    run.pki = fake_pki();
    run.crds = kctl::init::CrdBundle{{{"crds/bases/things.yaml", k_crd}}, {}};
    std::mutex mutex;
    std::vector<std::string> waited;
    auto recording_waiter = [&](const char* cluster) {
      return kctl::flow::Waiter([&, cluster](const Json& object, kctl::flow::StepReporter&) {
        std::lock_guard lock(mutex);
        waited.push_back(std::string(cluster) + " " + kctl::flow::describe(object));
        return kctl::Status{};
      });
    };
    run.host_wait = recording_waiter("host");

    std::vector<kctl::flow::Stage> stages = kctl::init::init_stages(run);
    REQUIRE(stages.size() > 2);
    CHECK(stages[1].steps[0].name == "certs");
    stages.erase(stages.begin() + 1); // certs and crds: done above
    // The kubeconfig step connects to the Karmada API server and sets its waiter; record it too.
    for (auto& stage : stages) {
      for (auto& step : stage.steps) {
        if (step.name == "kubeconfig") {
          auto write = step.run;
          step.run = [&, write](kctl::flow::StepReporter& r) -> kctl::Status {
            KCTL_TRY(write(r));
            run.karmada_wait = recording_waiter("karmada");
            return {};
          };
        }
      }
    }
    std::FILE* sink = std::tmpfile();
    kctl::flow::Progress progress(sink, kctl::flow::Live::no);
    auto result = kctl::flow::run(stages, progress, "again");
    std::fclose(sink);
    REQUIRE_MESSAGE(result, (result ? "" : result.error().message));

    // The plan is init_objects(), in step order, however the parallel steps interleaved.
    Json crd = *kctl::yaml::parse(k_crd, "crd");
    auto expected_steps = kctl::init::init_objects(
        run.init.spec, kctl::init::ObjectInputs{run.pki, "https://10.0.0.1:32443", {crd}});
    std::vector<Json> expected;
    for (const auto& step : expected_steps) {
      expected.insert(expected.end(), step.objects.begin(), step.objects.end());
    }
    std::vector<Json> plan = run.plan.objects();
    REQUIRE(plan.size() == expected.size());
    for (size_t i = 0; i < plan.size(); ++i) {
      CHECK_MESSAGE(plan[i] == expected[i],
                    i << ": " << kctl::flow::describe(plan[i]) << " vs "
                      << kctl::flow::describe(expected[i]));
    }

    // Each cluster received its steps' objects; each step's in its order.
    std::vector<std::string> host_applied = applied(*host_fake);
    std::vector<std::string> karmada_applied = applied(*karmada_fake);
    size_t host_total = 0;
    size_t karmada_total = 0;
    for (const auto& step : expected_steps) {
      const auto& sent = step.target == kctl::init::Target::host ? host_applied : karmada_applied;
      (step.target == kctl::init::Target::host ? host_total : karmada_total) += step.objects.size();
      auto at = sent.begin();
      for (const auto& object : step.objects) {
        at = std::find(at, sent.end(), kctl::flow::describe(object));
        CHECK_MESSAGE(at != sent.end(),
                      "step " << step.step << ": " << kctl::flow::describe(object)
                              << " not applied after the step's previous object");
      }
    }
    CHECK(host_applied.size() == host_total);
    CHECK(karmada_applied.size() == karmada_total);
    // The steps before the parallel ones ran one at a time: their order is exact.
    std::vector<std::string> first(host_applied.begin(), host_applied.begin() + 4);
    CHECK(first ==
          std::vector<std::string>{"Namespace karmada-system",
                                   "Secret karmada-system/karmada-aggregated-apiserver-config",
                                   "Secret karmada-system/karmada-controller-manager-config",
                                   "Secret karmada-system/kube-controller-manager-config"});
    CHECK(std::find(host_applied.begin(), host_applied.end(), "StatefulSet karmada-system/etcd") <
          std::find(host_applied.begin(),
                    host_applied.end(),
                    "Deployment karmada-system/karmada-apiserver"));
    CHECK(karmada_applied.front() == "Namespace karmada-system");
    CHECK(karmada_applied.at(1) == "CustomResourceDefinition things.example.karmada.io");

    // hostPath etcd: the only node was labelled for it.
    bool labelled = false;
    for (const auto& request : host_fake->requests()) {
      labelled |= request.verb == Verb::patch && request.path == "/api/v1/nodes/node-1" &&
                  request.body.find("karmada.io/etcd") != std::string::npos;
    }
    CHECK(labelled);

    // Every workload and the APIService were waited for, where they run.
    std::sort(waited.begin(), waited.end());
    CHECK(waited == std::vector<std::string>{
                        "host Deployment karmada-system/karmada-aggregated-apiserver",
                        "host Deployment karmada-system/karmada-apiserver",
                        "host Deployment karmada-system/karmada-controller-manager",
                        "host Deployment karmada-system/karmada-scheduler",
                        "host Deployment karmada-system/karmada-webhook",
                        "host Deployment karmada-system/kube-controller-manager",
                        "host StatefulSet karmada-system/etcd",
                        "karmada APIService v1alpha1.cluster.karmada.io",
                    });
  }

  TEST_CASE("init --dry-run plans Karmada's objects as new only when its API server cannot be "
            "reached, and says so (issue 20)") {
    kctl::test::TempDir dir;
    kctl::init::InitOptions options;
    options.karmada_data = (dir / "data").string();
    options.karmada_pki = (dir / "data/pki").string();
    auto resolved = kctl::init::resolve(options);
    REQUIRE_MESSAGE(resolved, (resolved ? "" : resolved.error().message));
    kctl::init::InitRun run(*resolved,
                            kctl::kube::Client(std::make_shared<kctl::kube::DryRunTransport>(
                                std::make_shared<FakeTransport>(empty_cluster()))));
    run.pki = fake_pki();
    run.karmada_server = "https://10.0.0.1:32443";
    kctl::kube::FakeTransport::Handler karmada_answers;
    std::string expected;
    SUBCASE("nothing listens there yet (before a first init)") {
      karmada_answers = [](const Request&) -> Result<Response> {
        return std::unexpected(kctl::Error{"connection refused", "Transport", 0});
      };
    }
    SUBCASE("it answers, with an error: no plan") {
      karmada_answers = [](const Request&) -> Result<Response> {
        return json_response(500, {{"kind", "Status"}, {"reason", "InternalError"}, {"code", 500}});
      };
      expected = "cannot read the Karmada API server at https://10.0.0.1:32443";
    }
    auto karmada_fake = std::make_shared<FakeTransport>(karmada_answers);
    run.connect = [karmada_fake](const kctl::kube::RestConfig&) -> Result<kctl::kube::Client> {
      return kctl::kube::Client(karmada_fake);
    };
    std::vector<kctl::flow::Step> kubeconfig;
    for (auto& stage : kctl::init::init_stages(run)) {
      for (auto& step : stage.steps) {
        if (step.name == "kubeconfig") {
          kubeconfig.push_back(step);
        }
      }
    }
    REQUIRE(kubeconfig.size() == 1);
    std::FILE* sink = std::tmpfile();
    kctl::flow::Progress progress(sink, kctl::flow::Live::no);
    auto result = kctl::flow::run({kctl::flow::Stage{kubeconfig}}, progress, "again");
    std::fclose(sink);
    if (expected.empty()) {
      REQUIRE_MESSAGE(result, (result ? "" : result.error().message));
      CHECK(run.karmada_unread == "connection refused");
    } else {
      REQUIRE_FALSE(result);
      CHECK_MESSAGE(result.error().message.find(expected) != std::string::npos,
                    result.error().message);
      CHECK(run.karmada_unread.empty());
    }
  }
}
