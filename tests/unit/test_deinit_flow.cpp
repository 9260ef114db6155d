// deinit's stages against an in-memory host cluster: what a full run deletes (init's labelled
// objects, the etcd node label; the namespace and PVCs only when asked), that a second run and a
// dry run delete nothing, and that a failure at each step names the step and the steps done.
#include "deinit/flow.hpp"
#include "flow/steps.hpp"
#include "memory_server.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using kctl::Json;
using kctl::kube::Client;
using kctl::kube::ResourceRef;
using kctl::kube::Verb;
namespace deinit = kctl::deinit;
namespace test = kctl::test;

const ResourceRef k_apiserver =
    kctl::kube::apps("deployments").in("karmada-system").with_name("karmada-apiserver");
const ResourceRef k_etcd = kctl::kube::apps("statefulsets").in("karmada-system").with_name("etcd");
const ResourceRef k_service = kctl::kube::core("services").in("karmada-system").with_name("etcd");
const ResourceRef k_certs =
    kctl::kube::core("secrets").in("karmada-system").with_name("karmada-cert");
const ResourceRef k_pvc =
    kctl::kube::core("persistentvolumeclaims").in("karmada-system").with_name("etcd-data");
const ResourceRef k_users_secret =
    kctl::kube::core("secrets").in("karmada-system").with_name("not-inits");
const ResourceRef k_namespace = kctl::kube::core("namespaces").with_name("karmada-system");
const ResourceRef k_node = kctl::kube::core("nodes").with_name("node1");

Json
object(const ResourceRef& ref, Json labels) {
  return {{"metadata",
           {{"name", ref.name}, {"namespace", ref.namespace_name}, {"labels", std::move(labels)}}}};
}

// A host cluster after init: its labelled objects, a Secret of someone else's, and a node that
// carries the etcd label beside one of its own.
struct Host {
  test::MemoryServer server;
  std::shared_ptr<kctl::kube::FakeTransport> transport =
      std::make_shared<kctl::kube::FakeTransport>(server.handler());

  Host() {
    Json owned = {{"karmada.io/bootstrapping", "app-defaults"}};
    for (const auto& ref : {k_apiserver, k_etcd, k_service, k_certs, k_pvc}) {
      server.put(ref.path(), object(ref, owned));
    }
    server.put(k_users_secret.path(), object(k_users_secret, Json::object()));
    server.put(k_namespace.path(), object(k_namespace, Json::object()));
    server.put(k_node.path(),
               object(k_node, {{"karmada.io/etcd", ""}, {"kubernetes.io/hostname", "node1"}}));
  }

  bool has(const ResourceRef& ref) const { return server.has(ref.path()); }

  // Forbids `verb` on every object of `resource` ("deployments").
  void refuse(Verb verb, std::string resource) {
    server.refuse = [verb, resource](const kctl::kube::Request& request) {
      return request.verb == verb && request.ref.resource == resource;
    };
  }

  test::FlowOutcome run(deinit::DeinitSpec spec, bool dry_run = false) {
    Client host = dry_run ? Client(std::make_shared<kctl::kube::DryRunTransport>(transport))
                          : Client(transport);
    deinit::DeinitRun run{std::move(spec), host};
    return test::run_flow([&run](kctl::flow::Progress& progress) {
      return kctl::flow::run(deinit::deinit_stages(run), progress, "run it again");
    });
  }
};

deinit::DeinitSpec
purging() {
  deinit::DeinitSpec spec;
  spec.purge_namespace = true;
  spec.purge_etcd_pvcs = true;
  return spec;
}

} // namespace

TEST_SUITE("deinit flow") {
  TEST_CASE("a full run deletes init's labelled objects and the etcd node label, nothing else") {
    Host h;
    auto outcome = h.run({});
    INFO(outcome.progress);
    REQUIRE(outcome.status);
    CHECK_FALSE(h.has(k_apiserver));
    CHECK_FALSE(h.has(k_etcd));
    CHECK_FALSE(h.has(k_service));
    CHECK_FALSE(h.has(k_certs));
    CHECK(h.has(k_pvc)); // without --purge-etcd-pvcs
    CHECK(h.has(k_users_secret));
    CHECK(h.has(k_namespace)); // without --purge-namespace
    CHECK(
        test::contains(outcome.progress, "Deployment karmada-system/karmada-apiserver deleted\n"));
    CHECK(test::contains(outcome.progress, "removed label karmada.io/etcd from node node1"));
  }

  TEST_CASE("the node keeps its other labels") {
    Host h;
    REQUIRE(h.run({}).status);
    auto node = Client(h.transport).get(k_node);
    REQUIRE(node);
    REQUIRE(*node);
    Json labels = (*node)->value("/metadata/labels"_json_pointer, Json::object());
    CHECK_FALSE(labels.contains("karmada.io/etcd"));
    CHECK(labels.contains("kubernetes.io/hostname"));
  }

  TEST_CASE("with the purge flags the PVCs and the namespace go too") {
    Host h;
    auto outcome = h.run(purging());
    INFO(outcome.progress);
    REQUIRE(outcome.status);
    CHECK_FALSE(h.has(k_pvc));
    CHECK_FALSE(h.has(k_namespace));
    CHECK(test::contains(outcome.progress, "Namespace karmada-system deleted\n"));
  }

  TEST_CASE("a second run deletes nothing and succeeds") {
    Host h;
    REQUIRE(h.run(purging()).status);
    std::size_t writes = test::writes(*h.transport);
    auto second = h.run(purging());
    INFO(second.progress);
    REQUIRE(second.status);
    // Only the namespace's delete is sent again (answered 404, which is success).
    CHECK(test::writes(*h.transport) - writes == 1);
    CHECK(test::contains(second.progress, "nothing with the label karmada.io/bootstrapping"));
    CHECK(test::contains(second.progress, "already gone: Namespace karmada-system"));
  }

  TEST_CASE("a dry run sends no write and says what it would delete") {
    Host h;
    auto outcome = h.run(purging(), true);
    INFO(outcome.progress);
    REQUIRE(outcome.status);
    CHECK(test::writes(*h.transport) == 0);
    CHECK(h.has(k_apiserver));
    CHECK(h.has(k_namespace));
    CHECK(test::contains(outcome.progress,
                         "Deployment karmada-system/karmada-apiserver deleted (dry run)"));
    CHECK(test::contains(outcome.progress, "would remove label karmada.io/etcd from node node1"));
  }

  TEST_CASE("with the namespace gone only the etcd node labels are left to remove") {
    Host h;
    // A named spec: g++ 12 at -O3 takes a `{}` temporary here for maybe-uninitialized.
    deinit::DeinitSpec spec;
    deinit::DeinitRun run{spec, Client(h.transport)};
    auto stages = deinit::leftover_stages(run);
    REQUIRE(stages.size() == 1);
    REQUIRE(stages.front().steps.size() == 1);
    CHECK(stages.front().steps.front().name == "etcd-nodes");
  }

  TEST_CASE("a failure at each step names it and the steps already done") {
    struct Case {
      const char* step;
      Verb verb;
      const char* resource;
      const char* done;
    };
    for (const Case& k : {
             Case{"delete", Verb::list, "deployments", "etcd-nodes"},
             Case{"etcd-nodes", Verb::patch, "nodes", "delete"},
             Case{"namespace", Verb::remove, "namespaces", "delete, etcd-nodes"},
         }) {
      CAPTURE(k.step);
      Host h;
      h.refuse(k.verb, k.resource);
      auto outcome = h.run(purging());
      REQUIRE_FALSE(outcome.status);
      const std::string& message = outcome.status.error().message;
      INFO(message);
      CHECK(test::contains(message, std::string("step \"") + k.step + "\" failed"));
      CHECK(test::contains(message, std::string("completed steps: ") + k.done + "\n"));
    }
  }
}
