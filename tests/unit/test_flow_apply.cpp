// flow::Applier, flow::Record and flow::Waiter: the generic choke points flows apply and wait
// through.
#include "flow/apply.hpp"
#include "flow/steps.hpp"
#include "flow/wait.hpp"
#include "kube/fake_transport.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <thread>

using kctl::Json;

namespace {

Json
config_map(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}, {"namespace", "ns"}}}};
}

std::vector<std::string>
names(const std::vector<Json>& objects) {
  std::vector<std::string> out;
  for (const auto& object : objects) {
    out.push_back(object["metadata"]["name"]);
  }
  return out;
}

} // namespace

TEST_SUITE("flow::apply") {
  TEST_CASE("a Record lists objects in step order however parallel steps interleave") {
    kctl::flow::Record record;
    auto applier = kctl::flow::Applier::plan_only(record);
    auto step = [&](std::string name, std::vector<std::string> objects, int delay_ms) {
      return kctl::flow::Step{
          name, name, [=, &applier](kctl::flow::StepReporter& r) -> kctl::Status {
            std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
            for (const auto& object : objects) {
              KCTL_TRY(applier.apply(config_map(object), r));
            }
            return {};
          }};
    };
    // The first parallel step is the slowest: it applies last, yet is listed first.
    std::vector<kctl::flow::Stage> stages = {
        {{step("a", {"a1"}, 0)}},
        {{step("b", {"b1", "b2"}, 60), step("c", {"c1"}, 0), step("d", {"d1", "d2"}, 20)}},
        {{step("e", {"e1"}, 0)}},
    };
    std::FILE* sink = std::tmpfile();
    kctl::flow::Progress progress(sink, kctl::flow::Live::no);
    REQUIRE(kctl::flow::run(stages, progress, "again"));
    std::fclose(sink);
    CHECK(names(record.objects()) ==
          std::vector<std::string>{"a1", "b1", "b2", "c1", "d1", "d2", "e1"});
  }

  TEST_CASE("an Applier ensures through its client, says what it did, and records it") {
    auto fake = std::make_shared<
        kctl::kube::FakeTransport>([](const kctl::kube::Request& request)
                                       -> kctl::Result<kctl::kube::Response> {
      if (request.path == "/api/v1") {
        return kctl::kube::Response{
            200,
            R"({"resources":[{"name":"configmaps","kind":"ConfigMap","namespaced":true}]})",
            {}};
      }
      if (request.verb == kctl::kube::Verb::get) {
        return kctl::kube::Response{404, R"({"kind":"Status","reason":"NotFound","code":404})", {}};
      }
      return kctl::kube::Response{200, request.body, {}};
    });
    struct Lines final : kctl::flow::StepReporter {
      void status(const std::string&) override {}
      void detail(const std::string& text) override { lines.push_back(text); }
      std::vector<std::string> lines;
    } reporter;
    kctl::flow::Record record;
    kctl::flow::Applier applier(kctl::kube::Client(fake), record);
    REQUIRE(applier.apply_all({config_map("x")}, reporter));
    auto dry = std::make_shared<kctl::kube::DryRunTransport>(fake);
    kctl::flow::Applier dry_applier(kctl::kube::Client(dry), record);
    REQUIRE(dry_applier.apply_all({config_map("y")}, reporter));
    CHECK(reporter.lines ==
          std::vector<std::string>{"ConfigMap ns/x created", "ConfigMap ns/y created (dry run)"});
    CHECK(names(record.objects()) == std::vector<std::string>{"x", "y"});
    size_t applies = 0;
    for (const auto& request : fake->requests()) {
      applies += request.verb == kctl::kube::Verb::apply ? 1 : 0;
    }
    CHECK(applies == 1); // the dry-run one was not sent
  }

  TEST_CASE("a dry-run Waiter says what it would wait for, and only for workloads") {
    struct Lines final : kctl::flow::StepReporter {
      void status(const std::string&) override {}
      void detail(const std::string& text) override { lines.push_back(text); }
      std::vector<std::string> lines;
    } reporter;
    Json deployment = {{"apiVersion", "apps/v1"},
                       {"kind", "Deployment"},
                       {"metadata", {{"name", "web"}, {"namespace", "ns"}}}};
    REQUIRE(kctl::flow::Waiter::dry_run().wait_all({config_map("c"), deployment}, reporter));
    CHECK(reporter.lines ==
          std::vector<std::string>{"would wait for Deployment ns/web to be ready"});
  }

  TEST_CASE("wait_ready reads the object first and watches from that read, not from a cache") {
    Json deployment = {{"apiVersion", "apps/v1"},
                       {"kind", "Deployment"},
                       {"metadata", {{"name", "web"}, {"namespace", "ns"}, {"generation", 2}}},
                       {"spec", {{"replicas", 1}}}};
    Json stale =
        deployment; // what a lagging watch cache could still send: ready, one generation ago
    stale["metadata"]["generation"] = 1;
    stale["status"] = {{"observedGeneration", 1},
                       {"replicas", 1},
                       {"updatedReplicas", 1},
                       {"availableReplicas", 1}};
    Json current = deployment;
    current["metadata"]["resourceVersion"] = "41";
    current["status"] = {{"observedGeneration", 1}};
    Json ready = deployment;
    ready["metadata"]["resourceVersion"] = "42";
    ready["status"] = {{"observedGeneration", 2},
                       {"replicas", 1},
                       {"updatedReplicas", 1},
                       {"availableReplicas", 1}};
    auto fake = std::make_shared<kctl::kube::FakeTransport>(
        [&](const kctl::kube::Request& request) -> kctl::Result<kctl::kube::Response> {
          if (request.path == "/apis/apps/v1") {
            return kctl::kube::Response{
                200,
                R"({"resources":[{"name":"deployments","kind":"Deployment","namespaced":true}]})",
                {}};
          }
          if (request.verb == kctl::kube::Verb::watch) {
            // Only a watch from the read's resourceVersion skips the stale state.
            bool from_read = request.path.find("resourceVersion=41") != std::string::npos;
            Json event = {{"type", from_read ? "MODIFIED" : "ADDED"},
                          {"object", from_read ? ready : stale}};
            return kctl::kube::Response{200, event.dump() + "\n", {}};
          }
          return kctl::kube::Response{200, current.dump(), {}};
        });
    struct Quiet final : kctl::flow::StepReporter {
      void status(const std::string&) override {}
      void detail(const std::string&) override {}
    } reporter;
    kctl::kube::Client client(fake);
    REQUIRE(kctl::flow::wait_ready(client, deployment, std::chrono::seconds(5), reporter));
    bool watched_from_read = false;
    for (const auto& request : fake->requests()) {
      watched_from_read |= request.verb == kctl::kube::Verb::watch &&
                           request.path.find("resourceVersion=41") != std::string::npos;
    }
    CHECK(watched_from_read);

    // Already ready when read: no watch at all.
    current = ready;
    auto before = fake->requests().size();
    REQUIRE(kctl::flow::wait_ready(client, deployment, std::chrono::seconds(5), reporter));
    for (size_t i = before; i < fake->requests().size(); ++i) {
      CHECK(fake->requests()[i].verb != kctl::kube::Verb::watch);
    }
  }
}
