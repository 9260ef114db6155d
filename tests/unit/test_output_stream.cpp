// Objects printed one after another must read back as one stream: yaml documents separated by
// "---", json one object or kubectl's List, -o name one line each.
#include "output/stream.hpp"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

using kctl::Json;
using kctl::output::ObjectStream;

namespace {

Json
config_map(const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}};
}

// Every object through a stream of `format`, as a command prints them.
std::string
print_all(const std::string& format, const std::vector<Json>& objects) {
  ObjectStream stream(format);
  std::string out;
  for (const auto& object : objects) {
    out += stream.add(object);
  }
  return out + stream.finish();
}

const std::vector<Json> k_three = {config_map("a"), config_map("b"), config_map("c")};

} // namespace

TEST_SUITE("output::stream") {
  TEST_CASE("yaml: one document per object, separated by ---") {
    std::string out = print_all("yaml", k_three);
    std::vector<YAML::Node> documents = YAML::LoadAll(out);
    REQUIRE(documents.size() == 3);
    CHECK(documents[0]["metadata"]["name"].as<std::string>() == "a");
    CHECK(documents[2]["metadata"]["name"].as<std::string>() == "c");
    CHECK(!out.starts_with("---")); // kubectl's separator goes between documents only
  }

  TEST_CASE("json: one object alone, several as kubectl's List") {
    Json list = Json::parse(print_all("json", k_three));
    CHECK(list["apiVersion"] == "v1");
    CHECK(list["kind"] == "List");
    CHECK(list["metadata"] == Json{{"resourceVersion", ""}});
    REQUIRE(list["items"].size() == 3);
    CHECK(list["items"][1]["metadata"]["name"] == "b");

    Json single = Json::parse(print_all("json", {config_map("a")}));
    CHECK(single["kind"] == "ConfigMap");
    CHECK(kctl::output::render_one("json", config_map("a")) == single.dump(4) + "\n");
    CHECK(print_all("json", {}).empty());
  }

  TEST_CASE("name: kind.group/name lines, the core group without a dot") {
    Json deployment = {
        {"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}};
    CHECK(print_all("name", {config_map("a"), deployment}) == "configmap/a\ndeployment.apps/web\n");
  }
}
