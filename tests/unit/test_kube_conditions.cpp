#include "kube/conditions.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::kube;

TEST_SUITE("kube::conditions") {
  TEST_CASE("conditions are read in order, with type, status, reason and message") {
    Json node = Json::parse(R"({"status": {"conditions": [
      {"type": "MemoryPressure", "status": "False"},
      {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is ready"}]}})");
    auto all = conditions(node);
    REQUIRE(all.size() == 2);
    CHECK(all[1].reason == "KubeletReady");
    CHECK(condition_is_true(node, "Ready"));
    CHECK_FALSE(condition_is_true(node, "MemoryPressure"));
    CHECK(condition_status(node, "Ready") == "True");
    CHECK(condition_status(node, "DiskPressure") == "Unknown");
    CHECK(find_condition(node, "Ready")->message == "kubelet is ready");
    CHECK(conditions_text(node) ==
          "\n    MemoryPressure=False  \n    Ready=True KubeletReady kubelet is ready");
  }

  TEST_CASE("a server's odd shapes read as absent, never as an exception") {
    for (const char* text : {R"({})",
                             R"({"status": 3})",
                             R"({"status": {"conditions": {"type": "Ready"}}})",
                             R"({"status": {"conditions": [7, null, "Ready"]}})",
                             R"({"status": {"conditions": [{"type": 1, "status": true}]}})",
                             R"([1, 2])"}) {
      INFO(text);
      Json object = Json::parse(text);
      CHECK_NOTHROW(conditions(object));
      CHECK_FALSE(condition_is_true(object, "Ready"));
      CHECK(condition_status(object, "Ready") == "Unknown");
    }
    Json typed = Json::parse(R"({"status": {"conditions": [{"type": "Ready", "status": 1}]}})");
    CHECK(condition_status(typed, "Ready") == "Unknown");
  }
}
