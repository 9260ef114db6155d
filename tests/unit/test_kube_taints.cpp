// kubectl taint's grammar and list arithmetic, with cases from kubectl's taint_test.go.
#include "kube/taints.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::kube;

TEST_SUITE("kube.taints") {

  TEST_CASE("parse_taint: key, key:effect, key=value:effect") {
    auto full = parse_taint("foo=bar:NoSchedule");
    REQUIRE(full);
    CHECK(*full == Taint{"foo", "bar", "NoSchedule"});
    auto no_value = parse_taint("cluster.karmada.io/unschedulable:NoSchedule");
    REQUIRE(no_value);
    CHECK(*no_value == Taint{"cluster.karmada.io/unschedulable", "", "NoSchedule"});
    auto key_only = parse_taint("foo");
    REQUIRE(key_only);
    CHECK(key_only->effect.empty());
    for (const char* effect : {"NoSchedule", "PreferNoSchedule", "NoExecute"}) {
      CHECK(parse_taint(std::string("k=v:") + effect));
    }
  }

  TEST_CASE("parse_taint rejects what kubectl rejects") {
    auto bad_effect = parse_taint("foo=bar:NoExcute");
    REQUIRE_FALSE(bad_effect);
    CHECK(bad_effect.error().message == "invalid taint effect: NoExcute, unsupported taint effect");
    CHECK(bad_effect.error().reason == k_reason_usage);
    CHECK_FALSE(parse_taint("foo=bar=baz:NoSchedule")); // two '='
    CHECK_FALSE(parse_taint("foo:bar:NoSchedule"));     // two ':'
    CHECK_FALSE(parse_taint("foo=bar"));                // key "foo=bar" is not a name
    CHECK_FALSE(parse_taint("foo=b@r:NoSchedule"));     // bad value
    CHECK_FALSE(parse_taint("-foo:NoSchedule"));        // bad key
    CHECK_FALSE(parse_taint(std::string(64, 'a') + ":NoSchedule"));
  }

  TEST_CASE("parse_taint_changes: additions need an effect, no duplicates, no add+remove") {
    auto changes = parse_taint_changes({"foo=bar:NoSchedule", "baz-", "qux:NoExecute-"});
    REQUIRE(changes);
    CHECK(changes->add.size() == 1);
    CHECK(changes->remove == std::vector<Taint>{{"baz", "", ""}, {"qux", "", "NoExecute"}});
    CHECK_FALSE(parse_taint_changes({"foo"})); // no effect
    CHECK_FALSE(parse_taint_changes({"foo=bar"}));
    auto duplicate = parse_taint_changes({"foo=bar:NoSchedule", "foo=baz:NoSchedule"});
    REQUIRE_FALSE(duplicate);
    CHECK(duplicate.error().message.starts_with("duplicated taints with the same key and effect"));
    // same key, different effects is fine
    CHECK(parse_taint_changes({"foo=bar:NoSchedule", "foo=bar:NoExecute"}));
    auto conflict = parse_taint_changes({"foo=bar:NoSchedule", "foo-"});
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error().message ==
          "can not both modify and remove the following taint(s) in the same command: foo=");
    CHECK(parse_taint_changes({"foo=bar:NoSchedule", "foo:NoExecute-"}));
    auto empty = parse_taint_changes({});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "at least one taint update is required");
  }

  TEST_CASE("apply_taints: tainted, untainted, modified and the overwrite rule") {
    std::vector<Taint> current = {{"a", "1", "NoSchedule"}};
    auto added = apply_taints(current, {{{"b", "", "NoExecute"}}, {}}, false, "cluster/m1");
    REQUIRE(added);
    CHECK(added->outcome == TaintOutcome::tainted);
    CHECK(added->taints.size() == 2);
    CHECK(added->changed);

    auto exists = apply_taints(current, {{{"a", "2", "NoSchedule"}}, {}}, false, "cluster/m1");
    REQUIRE_FALSE(exists);
    CHECK(exists.error().message ==
          "cluster/m1 already has a taint(s) with same effect(s) and --overwrite is false");
    auto overwritten = apply_taints(current, {{{"a", "2", "NoSchedule"}}, {}}, true, "cluster/m1");
    REQUIRE(overwritten);
    CHECK(overwritten->outcome == TaintOutcome::modified);
    CHECK(overwritten->taints == std::vector<Taint>{{"a", "2", "NoSchedule"}});

    auto removed = apply_taints(current, {{}, {{"a", "", ""}}}, false, "cluster/m1");
    REQUIRE(removed);
    CHECK(removed->outcome == TaintOutcome::untainted);
    CHECK(removed->taints.empty());

    auto missing = apply_taints(current, {{}, {{"zz", "", "NoSchedule"}}}, false, "cluster/m1");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "taint \"zz:NoSchedule\" not found");

    auto both = apply_taints(
        current, {{{"b", "", "NoSchedule"}}, {{"a", "", "NoSchedule"}}}, false, "cluster/m1");
    REQUIRE(both);
    CHECK(both->outcome == TaintOutcome::modified);
  }

  TEST_CASE("JSON keeps timeAdded of taints that stay") {
    Json previous =
        Json::parse(R"([{"key":"a","effect":"NoSchedule","timeAdded":"2026-01-01T00:00:00Z"}])");
    auto taints = taints_from_json(previous);
    taints.push_back({"b", "x", "NoExecute"});
    Json out = taints_to_json(taints, previous);
    CHECK(out[0]["timeAdded"] == "2026-01-01T00:00:00Z");
    CHECK(out[1] == Json::parse(R"({"key":"b","value":"x","effect":"NoExecute"})"));
  }
}

TEST_CASE("taints with fields of another type read as empty, not as exceptions") {
  Json weird = Json::parse(R"([{"key": 1, "value": ["v"], "effect": "NoSchedule"}, 7])");
  std::vector<Taint> taints = taints_from_json(weird);
  REQUIRE(taints.size() == 2);
  CHECK(taints[0] == Taint{"", "", "NoSchedule"});
  CHECK(taints[1] == Taint{});
  CHECK(taints_to_json(taints, weird).size() == 2);
}
