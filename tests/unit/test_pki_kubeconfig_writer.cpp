#include "pki/kubeconfig_writer.hpp"
#include "test_pki_support.hpp"
#include "testutil.hpp"
#include "util/encoding.hpp"
#include "util/fs.hpp"
#include "util/yaml.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

using kctl::test::pki::must;
using namespace kctl::pki;

namespace {

const std::string k_ca_pem = "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n";

Kubeconfig
admin_kubeconfig() {
  return single_kubeconfig({"karmada-apiserver", "https://10.0.0.1:32443", k_ca_pem, {}, false},
                           {"karmada-admin", "CERT\n", "KEY\n", {}},
                           "karmada-apiserver");
}

} // namespace

TEST_SUITE("pki kubeconfig writer") {

  TEST_CASE("the rendered kubeconfig parses back with the expected fields") {
    kctl::Json doc =
        must(kctl::yaml::parse(render_kubeconfig(admin_kubeconfig()), "karmada-apiserver.config"));
    CHECK(doc["apiVersion"] == "v1");
    CHECK(doc["kind"] == "Config");
    CHECK(doc["current-context"] == "karmada-apiserver");
    REQUIRE(doc["clusters"].size() == 1);
    CHECK(doc["clusters"][0]["name"] == "karmada-apiserver");
    CHECK(doc["clusters"][0]["cluster"]["server"] == "https://10.0.0.1:32443");
    CHECK(must(kctl::encoding::base64_decode(
              doc["clusters"][0]["cluster"]["certificate-authority-data"].get<std::string>())) ==
          k_ca_pem);
    CHECK(
        doc["contexts"][0] ==
        kctl::Json::parse(
            R"({"context":{"cluster":"karmada-apiserver","user":"karmada-admin"},"name":"karmada-apiserver"})"));
    CHECK(doc["users"][0]["name"] == "karmada-admin");
    CHECK(must(kctl::encoding::base64_decode(
              doc["users"][0]["user"]["client-certificate-data"].get<std::string>())) == "CERT\n");
    CHECK(must(kctl::encoding::base64_decode(
              doc["users"][0]["user"]["client-key-data"].get<std::string>())) == "KEY\n");
    CHECK(doc["users"][0]["user"].size() == 2);
  }

  TEST_CASE("field order follows clientcmd.Write") {
    kctl::Json doc = kubeconfig_to_json(admin_kubeconfig());
    std::vector<std::string> keys;
    for (const auto& item : doc.items()) {
      keys.push_back(item.key());
    }
    CHECK(keys == std::vector<std::string>{"apiVersion",
                                           "clusters",
                                           "contexts",
                                           "current-context",
                                           "kind",
                                           "preferences",
                                           "users"});
  }

  TEST_CASE(
      "token users, namespaces and the nameless cluster-info cluster survive the round trip") {
    Kubeconfig config =
        single_kubeconfig({"", "https://[fd00::1]:5443", k_ca_pem, "karmada-apiserver", false},
                          {"bootstrap", {}, {}, "abcdef.0123456789abcdef"},
                          "bootstrap");
    config.contexts[0].namespace_name = "karmada-system";
    kctl::Json doc = must(kctl::yaml::parse(render_kubeconfig(config), "cluster-info"));
    CHECK(doc["clusters"][0]["name"] == "");
    CHECK(doc["clusters"][0]["cluster"]["tls-server-name"] == "karmada-apiserver");
    CHECK(doc["users"][0]["user"] == kctl::Json{{"token", "abcdef.0123456789abcdef"}});
    CHECK(doc["contexts"][0]["context"]["namespace"] == "karmada-system");
    CHECK(doc["contexts"][0]["context"]["cluster"] == "");
  }

  TEST_CASE("the kubeconfig file is written 0600") {
    kctl::test::TempDir tmp;
    REQUIRE(write_kubeconfig(tmp / "karmada" / "karmada-apiserver.config", admin_kubeconfig()));
    struct stat st {};
    REQUIRE(::stat((tmp / "karmada" / "karmada-apiserver.config").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    std::string text = must(kctl::fs::read_file(tmp / "karmada" / "karmada-apiserver.config"));
    CHECK(must(kctl::yaml::parse(text, "file"))["current-context"] == "karmada-apiserver");
  }

  TEST_CASE("dangling references are refused before anything is written") {
    kctl::test::TempDir tmp;
    Kubeconfig config = admin_kubeconfig();
    config.contexts[0].user = "nobody";
    auto written = write_kubeconfig(tmp / "k.config", config);
    REQUIRE_FALSE(written);
    CHECK(written.error().message ==
          "cannot write kubeconfig " + (tmp / "k.config").string() +
              ": context \"karmada-apiserver\" names unknown user \"nobody\"");
    CHECK_FALSE(std::filesystem::exists(tmp / "k.config"));
    config = admin_kubeconfig();
    config.current_context = "other";
    CHECK_FALSE(write_kubeconfig(tmp / "k.config", config));
  }

} // TEST_SUITE
