#include "flow/apply.hpp"
#include "flow/steps.hpp"
#include "flow/wait.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

using kctl::Json;

namespace {

// Runs one step that shows `status` and then takes `duration`, with `progress`; returns what
// was printed.
std::string
run_slow_step(kctl::flow::Live live,
              kctl::flow::Heartbeat heartbeat,
              std::chrono::milliseconds duration) {
  std::FILE* sink = std::tmpfile();
  {
    kctl::flow::Progress progress(sink, live, heartbeat);
    std::vector<kctl::flow::Stage> stages = {
        {{{"wait", "Wait for it", [duration](kctl::flow::StepReporter& reporter) -> kctl::Status {
             reporter.status("waiting for Deployment ns/x: 0/1 ready");
             std::this_thread::sleep_for(duration);
             return {};
           }}}}};
    REQUIRE(kctl::flow::run(stages, progress, "run it again"));
  }
  std::rewind(sink);
  std::string printed;
  char buffer[4096];
  for (size_t read; (read = std::fread(buffer, 1, sizeof buffer, sink)) > 0;) {
    printed.append(buffer, read);
  }
  std::fclose(sink);
  return printed;
}

size_t
count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

} // namespace

TEST_SUITE("flow") {
  TEST_CASE("is_subset ignores server-added fields but not changed ones") {
    Json desired = {
        {"spec",
         {{"replicas", 1}, {"template", {{"containers", Json::array({{{"name", "a"}}})}}}}}};
    Json actual = {
        {"metadata", {{"uid", "x"}}},
        {"spec",
         {{"replicas", 1},
          {"strategy", "Rolling"},
          {"template",
           {{"containers", Json::array({{{"name", "a"}, {"imagePullPolicy", "Always"}}})}}}}}};
    CHECK(kctl::flow::is_subset(desired, actual));
    actual["spec"]["replicas"] = 2;
    CHECK_FALSE(kctl::flow::is_subset(desired, actual));
    actual["spec"]["replicas"] = 1;
    actual["spec"]["template"]["containers"].push_back({{"name", "b"}});
    CHECK_FALSE(kctl::flow::is_subset(desired, actual));
    CHECK(kctl::flow::is_subset(Json{{"emptyDir", Json::object()}}, Json::object()));
  }

  TEST_CASE("readiness of workloads and API services") {
    Json deployment = {{"kind", "Deployment"},
                       {"metadata", {{"generation", 2}}},
                       {"spec", {{"replicas", 2}}},
                       {"status",
                        {{"observedGeneration", 2},
                         {"replicas", 2},
                         {"updatedReplicas", 2},
                         {"availableReplicas", 1}}}};
    auto reason = kctl::flow::not_ready_reason(deployment);
    REQUIRE(reason);
    CHECK(*reason == "1/2 updated replicas available");
    deployment["status"]["availableReplicas"] = 2;
    CHECK_FALSE(kctl::flow::not_ready_reason(deployment));
    // A rollout whose new pod never comes up while the old one still serves is not ready.
    deployment["status"]["replicas"] = 3;
    CHECK(*kctl::flow::not_ready_reason(deployment) == "1 old replicas are pending termination");
    deployment["status"]["replicas"] = 2;
    deployment["metadata"]["generation"] = 3;
    CHECK(kctl::flow::not_ready_reason(deployment));

    Json statefulset = {{"kind", "StatefulSet"},
                        {"metadata", {{"generation", 1}}},
                        {"spec", {{"replicas", 1}}},
                        {"status",
                         {{"observedGeneration", 1},
                          {"readyReplicas", 1},
                          {"currentRevision", "a"},
                          {"updateRevision", "b"}}}};
    CHECK(kctl::flow::not_ready_reason(statefulset));
    statefulset["status"]["currentRevision"] = "b";
    CHECK_FALSE(kctl::flow::not_ready_reason(statefulset));

    Json apiservice = {
        {"kind", "APIService"},
        {"status", {{"conditions", Json::array({{{"type", "Available"}, {"status", "False"}}})}}}};
    CHECK(kctl::flow::not_ready_reason(apiservice));
    apiservice["status"]["conditions"][0]["status"] = "True";
    CHECK_FALSE(kctl::flow::not_ready_reason(apiservice));
  }

  TEST_CASE("a Deployment with minReadySeconds is ready only once its updated pods stayed up "
            "that long (init flake: a crashing scheduler looked ready)") {
    // What the Deployment controller reports while init re-runs with a scheduler that crashes a
    // moment after it starts: the new pod is Ready at once (no readiness probe), but available
    // only after minReadySeconds without a restart, which a crash-looping pod never reaches.
    Json deployment = {{"kind", "Deployment"},
                       {"metadata", {{"generation", 3}}},
                       {"spec", {{"replicas", 1}, {"minReadySeconds", 5}}},
                       {"status",
                        {{"observedGeneration", 3},
                         {"replicas", 2},
                         {"updatedReplicas", 1},
                         {"readyReplicas", 2},
                         {"availableReplicas", 1}}}};
    // The new pod just started (Ready), the old one still serves.
    CHECK(*kctl::flow::not_ready_reason(deployment) == "1 old replicas are pending termination");
    // The old pod is gone (or a rollout with maxUnavailable): the new one is Ready, not yet
    // available.
    deployment["status"] = {{"observedGeneration", 3},
                            {"replicas", 1},
                            {"updatedReplicas", 1},
                            {"readyReplicas", 1},
                            {"availableReplicas", 0}};
    auto waiting = kctl::flow::not_ready_reason(deployment);
    REQUIRE(waiting);
    CHECK(*waiting == "0/1 updated replicas available (1 Ready, to stay up 5s first)");
    // It crashed: not Ready, not available.
    deployment["status"]["readyReplicas"] = 0;
    CHECK(*kctl::flow::not_ready_reason(deployment) == "0/1 updated replicas available");
    // It stayed up for minReadySeconds.
    deployment["status"]["readyReplicas"] = 1;
    deployment["status"]["availableReplicas"] = 1;
    CHECK_FALSE(kctl::flow::not_ready_reason(deployment));
    // A status from before the controller saw the new spec says nothing about the new pods.
    deployment["metadata"]["generation"] = 4;
    CHECK(kctl::flow::not_ready_reason(deployment));
  }

  TEST_CASE("the runner runs stages in order, a stage's steps together, and explains a failure") {
    std::atomic<int> counter{0};
    std::vector<std::string> order;
    std::mutex mutex;
    auto step = [&](std::string name, bool ok) {
      return kctl::flow::Step{
          name, "do " + name, [&, name, ok](kctl::flow::StepReporter&) -> kctl::Status {
            std::lock_guard lock(mutex);
            order.push_back(name);
            ++counter;
            if (!ok) {
              return kctl::fail("boom");
            }
            return {};
          }};
    };
    std::FILE* sink = std::tmpfile();
    kctl::flow::Progress progress(sink, kctl::flow::Live::no);
    std::vector<kctl::flow::Stage> stages = {
        {{step("a", true)}}, {{step("b", true), step("c", false)}}, {{step("d", true)}}};
    auto result = kctl::flow::run(stages, progress, "run it again");
    REQUIRE_FALSE(result);
    CHECK(counter == 3); // d never ran
    CHECK(order.front() == "a");
    const std::string& message = result.error().message;
    CHECK(message.find("step \"c\" failed: boom") != std::string::npos);
    CHECK(message.find("completed steps: a, b") != std::string::npos);
    CHECK(message.find("to continue: run it again") != std::string::npos);
    std::rewind(sink);
    char buffer[4096] = {};
    size_t read = std::fread(buffer, 1, sizeof(buffer) - 1, sink);
    std::string printed(buffer, read);
    CHECK(printed.find("[a] do a (") != std::string::npos);
    CHECK(printed.find("[c] do c: FAILED") != std::string::npos);
    std::fclose(sink);
  }
  TEST_CASE("the test-only kill point SIGKILLs the process right after the named step") {
    // In a child process: the flow a, b, c with the kill point at b. The steps append their names
    // to a file, so the parent sees what ran before the kill.
    std::FILE* trace = std::tmpfile();
    REQUIRE(trace != nullptr);
    auto step = [trace](std::string name) {
      return kctl::flow::Step{name, "do " + name, [trace, name](kctl::flow::StepReporter&) {
                                std::fputs((name + "\n").c_str(), trace);
                                std::fflush(trace);
                                return kctl::Status{};
                              }};
    };
    std::vector<kctl::flow::Stage> stages = {{{step("a")}}, {{step("b")}}, {{step("c")}}};
    auto run_child = [&](const char* kill_after) {
      std::fflush(nullptr);
      pid_t pid = ::fork();
      if (pid == 0) {
        ::setenv(kctl::flow::k_test_kill_after_step_env.data(), kill_after, 1);
        std::FILE* sink = std::tmpfile();
        kctl::flow::Progress progress(sink, kctl::flow::Live::no);
        auto result = kctl::flow::run(stages, progress, "again");
        ::_exit(result ? 0 : 1);
      }
      int wait_status = 0;
      ::waitpid(pid, &wait_status, 0);
      return wait_status;
    };
    auto traced = [trace] {
      std::rewind(trace);
      char buffer[256] = {};
      size_t read = std::fread(buffer, 1, sizeof(buffer) - 1, trace);
      return std::string(buffer, read);
    };
    int killed = run_child("b");
    REQUIRE(WIFSIGNALED(killed));
    CHECK(WTERMSIG(killed) == SIGKILL);
    CHECK(traced() == "a\nb\n"); // c never ran

    // A name that is no step of the flow changes nothing.
    REQUIRE(::ftruncate(::fileno(trace), 0) == 0);
    std::rewind(trace);
    int finished = run_child("no-such-step");
    REQUIRE(WIFEXITED(finished));
    CHECK(WEXITSTATUS(finished) == 0);
    CHECK(traced() == "a\nb\nc\n");
    std::fclose(trace);
  }

  TEST_CASE("a long wait is never silent: logs get a still-running line, a terminal the time") {
    using namespace std::chrono_literals;
    // Not a terminal: the step's status after log_interval without output (20x margin).
    std::string log = run_slow_step(kctl::flow::Live::no, {10ms, 50ms}, 1000ms);
    CHECK(log.find("[wait] still running (0s): waiting for Deployment ns/x: 0/1 ready\n") !=
          std::string::npos);
    CHECK(log.find("[wait] Wait for it (") != std::string::npos);
    CHECK(log.find("\033[K") == std::string::npos); // no terminal control in logs

    // A step shorter than log_interval prints no such line.
    std::string quick = run_slow_step(kctl::flow::Live::no, {10ms, 10s}, 50ms);
    CHECK(quick.find("still running") == std::string::npos);

    // A terminal: the status line is redrawn with the elapsed time while the step runs (about 50
    // redraws expected; 5 asked for).
    std::string live = run_slow_step(kctl::flow::Live::yes, {20ms, 30s}, 1000ms);
    CHECK(count(live, "\r\033[K[wait] waiting for Deployment ns/x: 0/1 ready (0s)") >= 5);
    CHECK(live.find("\r\033[K[wait] Wait for it (") != std::string::npos); // the line is cleared
    CHECK(live.ends_with("\n"));
  }
}
