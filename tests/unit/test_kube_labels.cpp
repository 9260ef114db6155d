// kubectl's label/annotate grammar and label validation, with cases taken from kubectl's
// label_test.go / annotate_test.go and apimachinery's validation tests.
#include "kube/labels.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::kube;

TEST_SUITE("kube.labels") {

  TEST_CASE("qualified names (label keys)") {
    for (const char* good : {"simple",
                             "now-with-dashes",
                             "1-starts-with-num",
                             "1234",
                             "simple/simple",
                             "now-with-dashes/simple",
                             "now-with-dashes/now-with-dashes",
                             "now.with.dots/now-with-dashes",
                             "now-with.dashes-and.dots/now-with-dashes",
                             "1-num.2-num/3-num",
                             "1234/5678",
                             "1.2.3.4/5678",
                             "Uppercase_Is_OK_123",
                             "example.com/Uppercase_Is_OK_123",
                             "requests.storage-foo",
                             "environment",
                             "cluster.karmada.io/unschedulable"}) {
      CAPTURE(good);
      CHECK_FALSE(qualified_name_error(good));
    }
    std::string long_name(64, 'a');
    std::string long_prefix(254, 'a');
    for (std::string bad : {std::string(""),
                            std::string("nospecialchars%^=@"),
                            std::string("cantendwithadash-"),
                            std::string("-cantstartwithadash-"),
                            std::string("only/one/slash"),
                            std::string("Example.com/abc"),
                            std::string("example_com/abc"),
                            std::string("example.com/"),
                            std::string("/simple"),
                            std::string("bad key"),
                            long_name,
                            long_prefix + "/a"}) {
      CAPTURE(bad);
      CHECK(qualified_name_error(bad));
    }
  }

  TEST_CASE("label values") {
    for (const char* good : {"",
                             "simple",
                             "now-with-dashes",
                             "1-starts-with-num",
                             "end-with-num-1",
                             "1234",
                             "Uppercase_Is_OK_123",
                             "dev",
                             "cn-north"}) {
      CAPTURE(good);
      CHECK_FALSE(label_value_error(good));
    }
    for (std::string bad : {std::string("nospecialchars%^=@"),
                            std::string("Tama-nui-te-rā.is.Māori.sun"),
                            std::string("\\backslashes\\are\\bad"),
                            std::string("-starts-with-dash"),
                            std::string("ends-with-dash-"),
                            std::string(".starts.with.dot"),
                            std::string("ends.with.dot."),
                            std::string(64, 'a')}) {
      CAPTURE(bad);
      CHECK(label_value_error(bad));
    }
  }

  TEST_CASE("kubectl's parseLabels cases") {
    auto ok = parse_meta_changes({"a=b", "c=d"}, MetaField::labels);
    REQUIRE(ok);
    CHECK(ok->set == std::vector<std::pair<std::string, std::string>>{{"a", "b"}, {"c", "d"}});
    CHECK(ok->remove.empty());

    auto none = parse_meta_changes({}, MetaField::labels);
    REQUIRE(none);
    CHECK(none->set.empty());

    auto remove = parse_meta_changes({"a=b", "c=d", "e-"}, MetaField::labels);
    REQUIRE(remove);
    CHECK(remove->remove == std::vector<std::string>{"e"});

    // modify and remove the same key
    auto both = parse_meta_changes({"a=b", "c=d", "a-"}, MetaField::labels);
    REQUIRE_FALSE(both);
    CHECK(both.error().reason == k_reason_usage);
    CHECK(both.error().message.find("can not both modify and remove") != std::string::npos);

    CHECK_FALSE(parse_meta_changes({"ab", "c=d"}, MetaField::labels)); // no '='
    CHECK_FALSE(parse_meta_changes({"a=b=c"}, MetaField::labels));     // two '='
    CHECK_FALSE(parse_meta_changes({"a=" + std::string(64, 'x')}, MetaField::labels));
    CHECK_FALSE(parse_meta_changes({"a=%^$"}, MetaField::labels)); // bad value
    CHECK_FALSE(parse_meta_changes({"=b"}, MetaField::labels));    // no key
    CHECK_FALSE(parse_meta_changes({"-"}, MetaField::labels));

    // a repeated key takes the last value
    auto repeated = parse_meta_changes({"a=b", "a=c"}, MetaField::labels);
    REQUIRE(repeated);
    CHECK(repeated->set == std::vector<std::pair<std::string, std::string>>{{"a", "c"}});
  }

  TEST_CASE("annotations take any value after the first '='") {
    auto parsed = parse_meta_changes({"description=my frontend", "json={\"a\":1}", "x=a=b", "y-"},
                                     MetaField::annotations);
    REQUIRE(parsed);
    CHECK(parsed->set[0].second == "my frontend");
    CHECK(parsed->set[1].second == "{\"a\":1}");
    CHECK(parsed->set[2].second == "a=b");
    CHECK(parsed->remove == std::vector<std::string>{"y"});
    auto both = parse_meta_changes({"a=b", "a-"}, MetaField::annotations);
    REQUIRE_FALSE(both);
    CHECK(both.error().message ==
          "can not both modify and remove the following annotation(s) in the same command: a");
  }

  TEST_CASE("resources come before changes (kubectl's GetResourcesAndPairs)") {
    auto split =
        split_resources_and_changes({"clusters", "member1", "a=b", "c-"}, MetaField::labels);
    REQUIRE(split);
    CHECK(split->first == std::vector<std::string>{"clusters", "member1"});
    CHECK(split->second == std::vector<std::string>{"a=b", "c-"});
    auto late = split_resources_and_changes({"clusters", "a=b", "member1"}, MetaField::labels);
    REQUIRE_FALSE(late);
    CHECK(late.error().message == "all resources must be specified before label changes: member1");
    // "pods=bar" and "pods-" are changes, so no resources remain
    auto only = split_resources_and_changes({"pods=bar"}, MetaField::labels);
    REQUIRE(only);
    CHECK(only->first.empty());
    CHECK_FALSE(is_meta_change("-"));
    CHECK_FALSE(is_meta_change("=x"));
  }

  TEST_CASE("the merge patch and the overwrite rule") {
    Json object = {{"metadata", {{"name", "member1"}, {"labels", {{"a", "1"}, {"b", "2"}}}}}};
    MetaChanges changes{{{"a", "1"}, {"c", "3"}}, {"b", "missing"}};
    auto update = meta_update(object, MetaField::labels, changes, false);
    REQUIRE(update);
    CHECK(update->changed);
    CHECK_FALSE(update->only_removed);
    CHECK(update->patch == Json::parse(R"({"metadata":{"labels":{"c":"3","b":null}}})"));

    auto conflict = meta_update(object, MetaField::labels, MetaChanges{{{"a", "9"}}, {}}, false);
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error().message == "'a' already has a value (1), and --overwrite is false");
    auto overwritten = meta_update(object, MetaField::labels, MetaChanges{{{"a", "9"}}, {}}, true);
    REQUIRE(overwritten);
    CHECK(overwritten->patch == Json::parse(R"({"metadata":{"labels":{"a":"9"}}})"));

    auto same = meta_update(object, MetaField::labels, MetaChanges{{{"a", "1"}}, {}}, false);
    REQUIRE(same);
    CHECK_FALSE(same->changed);
    CHECK(same->patch.empty());

    auto removed = meta_update(object, MetaField::labels, MetaChanges{{}, {"a"}}, false);
    REQUIRE(removed);
    CHECK(removed->only_removed);

    auto versioned =
        meta_update(object, MetaField::annotations, MetaChanges{{{"d", "x"}}, {}}, false, "42");
    REQUIRE(versioned);
    CHECK(versioned->patch ==
          Json::parse(R"({"metadata":{"annotations":{"d":"x"},"resourceVersion":"42"}})"));
  }

  TEST_CASE("LABELS column and selectors") {
    CHECK(format_labels(Json::parse(R"({"region":"cn-north","environment":"dev"})")) ==
          "environment=dev,region=cn-north");
    CHECK(format_labels(Json::object()) == "<none>");
    Json labels = {{"environment", "dev"}, {"region", "cn-north"}};
    auto check = [&](const char* selector) {
      auto parsed = parse_selector(selector);
      REQUIRE(parsed);
      return selector_matches(*parsed, labels);
    };
    CHECK(check("environment=dev"));
    CHECK(check("environment==dev,region"));
    CHECK_FALSE(check("environment=staging"));
    CHECK(check("environment!=staging"));
    CHECK(check("environment in (dev, staging)"));
    CHECK_FALSE(check("environment notin (dev)"));
    CHECK(check("!zone"));
    CHECK_FALSE(check("zone"));
    CHECK(check(""));
    CHECK_FALSE(parse_selector("a=b=c"));
  }
}
