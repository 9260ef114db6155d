#include "flow/files.hpp"
#include "init/certs.hpp"
#include "pki/certificate.hpp"
#include "pki/files.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace {

class Silent final : public kctl::flow::StepReporter {
public:
  void status(const std::string&) override {}
  void detail(const std::string& text) override { lines.push_back(text); }
  std::vector<std::string> lines;
};

kctl::init::ResolvedInit
resolved_with_dirs(const kctl::test::TempDir& dir) {
  kctl::init::InitOptions o;
  o.karmada_data = (dir / "data").string();
  o.karmada_pki = (dir / "data/pki").string();
  o.cert_external_ip = "10.1.2.3";
  o.cert_external_dns = "karmada.example.com";
  auto r = kctl::init::resolve(o);
  REQUIRE(r);
  return *r;
}

bool
contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

TEST_SUITE("init::certs") {
  TEST_CASE("upstream's certificate list with the control-plane names") {
    kctl::test::TempDir dir;
    auto init = resolved_with_dirs(dir);
    auto specs = kctl::init::cert_specs(init, {"172.18.0.2"});
    std::vector<std::string> names;
    for (const auto& spec : specs) {
      names.push_back(spec.name);
    }
    CHECK(names == std::vector<std::string>{"ca",
                                            "karmada",
                                            "apiserver",
                                            "front-proxy-ca",
                                            "front-proxy-client",
                                            "etcd-ca",
                                            "etcd-server",
                                            "etcd-client"});
    const auto& karmada = specs[1];
    CHECK(karmada.common_name == "system:admin");
    CHECK(karmada.organizations == std::vector<std::string>{"system:masters"});
    CHECK(contains(karmada.alt_names.dns_names,
                   "karmada-apiserver.karmada-system.svc.cluster.local"));
    CHECK(contains(karmada.alt_names.dns_names, "*.karmada-system.svc"));
    CHECK(contains(karmada.alt_names.dns_names, "karmada.example.com"));
    CHECK(contains(karmada.alt_names.ip_addresses, "10.1.2.3"));
    CHECK(contains(karmada.alt_names.ip_addresses, "172.18.0.2"));
    CHECK(contains(specs[6].alt_names.dns_names, "etcd-0.etcd.karmada-system.svc.cluster.local"));
  }

  TEST_CASE(
      "a second run keeps every valid certificate; a changed SAN reissues only what it must") {
    kctl::test::TempDir dir;
    auto init = resolved_with_dirs(dir);
    kctl::flow::LocalFiles files(kctl::flow::LocalFiles::Mode::write);
    Silent first;
    auto pems = kctl::init::ensure_certificates(init, {"172.18.0.2"}, files, first);
    REQUIRE_MESSAGE(pems, (pems ? "" : pems.error().message));
    CHECK(pems->size() == 16);
    CHECK(first.lines.size() == 8); // eight issued

    Silent second;
    auto again = kctl::init::ensure_certificates(init, {"172.18.0.2"}, files, second);
    REQUIRE(again);
    CHECK(*again == *pems);
    CHECK(second.lines.empty());

    // A new API server address: the leaves with that SAN are reissued under the same CA.
    Silent third;
    auto moved = kctl::init::ensure_certificates(init, {"172.18.0.9"}, files, third);
    REQUIRE(moved);
    CHECK(moved->at("ca.crt") == pems->at("ca.crt"));
    CHECK(moved->at("etcd-server.crt") == pems->at("etcd-server.crt"));
    CHECK(moved->at("karmada.crt") != pems->at("karmada.crt"));
    CHECK(moved->at("apiserver.crt") != pems->at("apiserver.crt"));
    auto pair = kctl::pki::read_cert_key_pair(init.karmada_pki, "karmada");
    REQUIRE(pair);
    CHECK(contains(kctl::pki::inspect(pair->cert).alt_names.ip_addresses, "172.18.0.9"));
  }

  TEST_CASE("a replaced CA reissues everything it signed") {
    kctl::test::TempDir dir;
    auto init = resolved_with_dirs(dir);
    kctl::flow::LocalFiles files(kctl::flow::LocalFiles::Mode::write);
    Silent quiet;
    auto pems = kctl::init::ensure_certificates(init, {}, files, quiet);
    REQUIRE(pems);
    std::filesystem::remove(dir / "data/pki/ca.key");
    Silent refused;
    auto stopped = kctl::init::ensure_certificates(init, {}, files, refused);
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error().message.find("--force-new-ca") != std::string::npos);
    init.force_new_ca = true;
    Silent again;
    auto reissued = kctl::init::ensure_certificates(init, {}, files, again);
    REQUIRE(reissued);
    CHECK(std::any_of(again.lines.begin(), again.lines.end(), [](const std::string& line) {
      return line.find("member cluster must be registered again") != std::string::npos;
    }));
    CHECK(reissued->at("ca.crt") != pems->at("ca.crt"));
    CHECK(reissued->at("karmada.crt") != pems->at("karmada.crt"));
    CHECK(reissued->at("front-proxy-ca.crt") == pems->at("front-proxy-ca.crt"));
  }

  TEST_CASE("an existing CA that cannot be reused stops init, even in a dry run (issue 12)") {
    kctl::test::TempDir dir;
    auto init = resolved_with_dirs(dir);
    kctl::flow::LocalFiles files(kctl::flow::LocalFiles::Mode::write);
    Silent quiet;
    auto pems = kctl::init::ensure_certificates(init, {}, files, quiet);
    REQUIRE(pems);
    auto ca_key = dir / "data/pki/ca.key";
    std::string before_key = *kctl::fs::read_file(ca_key);
    std::string before_crt = *kctl::fs::read_file(dir / "data/pki/ca.crt");

    SUBCASE("an unreadable key") {
      std::filesystem::remove(ca_key);
      std::filesystem::create_directory(ca_key); // exists, cannot be read as a file
    }
    SUBCASE("a key that does not match") {
      std::filesystem::copy_file(
          dir / "data/pki/etcd-ca.key", ca_key, std::filesystem::copy_options::overwrite_existing);
    }
    for (auto mode : {kctl::flow::LocalFiles::Mode::dry_run, kctl::flow::LocalFiles::Mode::write}) {
      kctl::flow::LocalFiles run(mode);
      Silent lines;
      auto result = kctl::init::ensure_certificates(init, {}, run, lines);
      REQUIRE_FALSE(result);
      CHECK_MESSAGE(result.error().message.starts_with("the existing CA ca cannot be reused: "),
                    result.error().message);
      CHECK(result.error().message.find("--force-new-ca") != std::string::npos);
    }
    CHECK(*kctl::fs::read_file(dir / "data/pki/ca.crt") == before_crt);
    (void)before_key;
  }

  TEST_CASE("dry run writes no file") {
    kctl::test::TempDir dir;
    auto init = resolved_with_dirs(dir);
    kctl::flow::LocalFiles files(kctl::flow::LocalFiles::Mode::dry_run);
    Silent quiet;
    auto pems = kctl::init::ensure_certificates(init, {}, files, quiet);
    REQUIRE(pems);
    CHECK(pems->contains("ca.key"));
    CHECK_FALSE(std::filesystem::exists(dir / "data"));
  }
}
