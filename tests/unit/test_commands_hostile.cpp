// The built binary against hostile API servers (issue 20): tests/support/fake_apiserver.py told
// to answer watches with a List, to close every watch at once, to read requests and never answer,
// or to fail every read. What is checked is what a user (or the server's operator) would see:
// how often the server is asked, the exit code, and the last line.
#include "kube_test_server.hpp"
#include "run_binary.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <string>

using kctl::Json;
using kctl::test::FakeApiServer;
using kctl::test::RunResult;
using kctl::test::TempDir;

namespace {

const std::string k_clusters_path = "/apis/cluster.karmada.io/v1alpha1/clusters";

// A kubeconfig for the fake server (the test CA, the test client certificate).
std::string
kubeconfig_for(const TempDir& dir, const FakeApiServer& server, const std::string& file) {
  const auto& pki = kctl::test::test_pki();
  std::string text = fmt::format("apiVersion: v1\nkind: Config\ncurrent-context: fake\nclusters:\n"
                                 "- name: c\n  cluster:\n    server: {}\n"
                                 "    certificate-authority: {}\n"
                                 "users:\n- name: u\n  user:\n    client-certificate: {}\n"
                                 "    client-key: {}\n"
                                 "contexts:\n- name: fake\n  context: {{cluster: c, user: u}}\n",
                                 server.url(),
                                 pki.ca_crt.string(),
                                 pki.client_crt.string(),
                                 pki.client_key.string());
  auto path = dir / file;
  REQUIRE(kctl::fs::write_file_atomic(path, text));
  return path.string();
}

void
seed_cluster(const FakeApiServer& server, const std::string& name) {
  server.seed(k_clusters_path + "/" + name,
              Json{{"apiVersion", "cluster.karmada.io/v1alpha1"},
                   {"kind", "Cluster"},
                   {"metadata", {{"name", name}}},
                   {"spec", {{"syncMode", "Push"}}}});
}

// The watch requests the server saw for the clusters collection.
int
cluster_watches(const FakeApiServer& server) {
  int count = 0;
  for (const auto& request : server.requests()) {
    if (request.value("path", "") == k_clusters_path &&
        request["query"].value("watch", "") == "true") {
      ++count;
    }
  }
  return count;
}

// Runs `args` for at most `seconds`, then interrupts it as Ctrl-C would (SIGINT; the exit code
// is the command's own).
RunResult
run_for(int seconds, const std::string& args) {
  TempDir dir;
  std::string command = fmt::format("timeout --preserve-status -s INT {} '{}' {} >'{}' 2>'{}' "
                                    "</dev/null",
                                    seconds,
                                    KCTL_BINARY,
                                    args,
                                    (dir / "out").string(),
                                    (dir / "err").string());
  int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = kctl::fs::read_file(dir / "out").value_or("");
  result.err = kctl::fs::read_file(dir / "err").value_or("");
  return result;
}

std::string
last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') {
    trimmed.pop_back();
  }
  auto newline = trimmed.rfind('\n');
  return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

} // namespace

TEST_SUITE("commands.hostile") {
  TEST_CASE("get clusters -w against a server that closes its watches at once: a few requests "
            "with a growing pause, not thousands (issue 20)") {
    FakeApiServer server;
    seed_cluster(server, "member1");
    TempDir dir;
    std::string kubeconfig = kubeconfig_for(dir, server, "karmada.config");
    constexpr int k_seconds = 5;
    // 20 in 10 s is the bound; in 5 s half of it.
    constexpr int k_most = 10;

    SUBCASE("each watch is answered with the plain List and closed") {
      server.configure({{"watch_answer", "list"}});
      auto started = std::chrono::steady_clock::now();
      RunResult r = run_for(k_seconds, "get clusters -w --kubeconfig " + kubeconfig);
      int watches = cluster_watches(server);
      CHECK_MESSAGE(watches <= k_most, watches, " watch requests in ", k_seconds, " s");
      // A List where events belong is not a watch: the command says so and stops.
      CHECK(r.exit_code == 1);
      CHECK_MESSAGE(last_line(r.err).starts_with("error: "), r.err);
      CHECK_MESSAGE(r.err.find("where a watch event belongs") != std::string::npos, r.err);
      CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(k_seconds));
    }
    SUBCASE("each watch sends the current Clusters as events and ends at once") {
      server.configure({{"watch_answer", "events_then_close"}});
      RunResult r = run_for(k_seconds, "get clusters -w --kubeconfig " + kubeconfig);
      int watches = cluster_watches(server);
      CHECK_MESSAGE(watches <= k_most, watches, " watch requests in ", k_seconds, " s");
      CHECK_MESSAGE(watches >= 2, r.err); // it did keep watching
      CHECK(r.exit_code == 130);          // until Ctrl-C
      CHECK(r.out.find("member1") != std::string::npos);
    }
  }

  TEST_CASE("deinit --dry-run that cannot read the host cluster makes no plan and says so "
            "(issue 20)") {
    FakeApiServer server;
    TempDir dir;
    std::string kubeconfig = kubeconfig_for(dir, server, "host.config");
    std::string flags = "deinit --dry-run --request-timeout=2s --kubeconfig " + kubeconfig;

    SUBCASE("TLS is accepted, the request read, and nothing ever comes back") {
      server.configure({{"silent_reads", true}});
    }
    SUBCASE("every read is answered 500") {
      server.configure({{"read_status", 500}});
    }
    SUBCASE("every read is answered 403") {
      server.configure({{"read_status", 403}});
    }
    auto started = std::chrono::steady_clock::now();
    RunResult r = kctl::test::run_karmadactl(flags);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    CHECK(r.exit_code == 1);
    std::string last = last_line(r.err);
    CHECK_MESSAGE(last.starts_with("error: "), r.err);
    CHECK_MESSAGE(last.find("deinit --dry-run could not make its plan") != std::string::npos,
                  r.err);
    CHECK_MESSAGE(r.out.empty(), r.out); // no "Nothing left of Karmada", no "Dry run: ..."
    CHECK(r.err.find("Nothing left") == std::string::npos);
  }

  TEST_CASE("unjoin --dry-run that cannot read the clusters makes no plan and says so (issue 20)") {
    FakeApiServer server;
    TempDir dir;
    std::string karmada = kubeconfig_for(dir, server, "karmada.config");
    std::string member = kubeconfig_for(dir, server, "member.config");
    server.configure({{"silent_reads", true}});
    RunResult r =
        kctl::test::run_karmadactl(fmt::format("unjoin member1 --dry-run --request-timeout=2s "
                                               "--kubeconfig {} --cluster-kubeconfig {}",
                                               karmada,
                                               member));
    CHECK(r.exit_code == 1);
    std::string last = last_line(r.err);
    CHECK_MESSAGE(last.starts_with("error: "), r.err);
    CHECK_MESSAGE(last.find("unjoin --dry-run could not make its plan") != std::string::npos,
                  r.err);
    CHECK_MESSAGE(r.out.empty(), r.out);
    CHECK(r.err.find("already gone") == std::string::npos);
    // Nothing was written: a dry run sends reads only.
    for (const auto& request : server.requests()) {
      CHECK(request.value("method", "") == "GET");
    }
  }
}
