// get (and the commands that print what servers say) against the fake API server, run as the built
// binary: what a hostile or failing server can make it print (issue 20).
#include "kube_test_server.hpp"
#include "run_binary.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

using kctl::Json;
using kctl::test::run_karmadactl;

namespace {

const std::string k_clusters = "/apis/cluster.karmada.io/v1alpha1/clusters";

// A fake Karmada API server and a kubeconfig for it.
struct Karmada {
  kctl::test::FakeApiServer server;
  kctl::test::TempDir dir;
  std::string kubeconfig;

  Karmada() {
    const auto& pki = kctl::test::test_pki();
    std::string text =
        "apiVersion: v1\nkind: Config\ncurrent-context: k\nclusters:\n"
        "- name: c\n  cluster:\n    server: " +
        server.url() + "\n    certificate-authority: " + pki.ca_crt.string() +
        "\nusers:\n- name: u\n  user:\n    client-certificate: " + pki.client_crt.string() +
        "\n    client-key: " + pki.client_key.string() +
        "\ncontexts:\n- name: k\n  context: {cluster: c, user: u}\n";
    kubeconfig = (dir / "kubeconfig").string();
    REQUIRE(kctl::fs::write_file_atomic(kubeconfig, text, 0600));
  }

  void add_cluster(const std::string& name) const {
    server.seed(k_clusters + "/" + name,
                Json{{"apiVersion", "cluster.karmada.io/v1alpha1"},
                     {"kind", "Cluster"},
                     {"metadata", {{"name", name}, {"creationTimestamp", "2026-11-29T10:00:00Z"}}},
                     {"spec", {{"syncMode", "Push"}}}});
  }

  kctl::test::RunResult run(const std::string& args) const {
    return run_karmadactl(args + " --kubeconfig '" + kubeconfig + "'");
  }
};

bool
has_control(const std::string& text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\n') || u == 0x7f) {
      return true;
    }
  }
  return false;
}

const std::string k_evil = "evil\x1b]0;TITLE\x07\x1b[2J";

} // namespace

TEST_SUITE("commands::get") {
  TEST_CASE("a Cluster name with terminal escapes is printed escaped, in every human format") {
    Karmada k;
    k.add_cluster(k_evil);
    k.add_cluster("member1");
    for (const char* args :
         {"get clusters",
          "get clusters -o wide --show-labels",
          "get clusters --operation-scope karmada -L region",
          "get clusters -o name",
          "get clusters -o custom-columns=NAME:.metadata.name,MODE:.spec.syncMode",
          "get clusters -o json",
          "get clusters -o yaml"}) {
      auto r = k.run(args);
      INFO(std::string(args), "\nstdout: ", r.out, "\nstderr: ", r.err);
      CHECK(r.exit_code == 0);
      CHECK(r.out.find('\x1b') == std::string::npos);
      CHECK_FALSE(has_control(r.out));
      CHECK(r.out.find("member1") != std::string::npos);
    }
    auto table = k.run("get clusters");
    CHECK(table.out.find("evil^[]0;TITLE^G^[[2J") != std::string::npos);
  }

  TEST_CASE("an API error message with terminal escapes reaches stderr escaped") {
    Karmada k;
    k.add_cluster("member1");
    std::string message = "boom\x1b]0;TITLE\x07\x1b[2J\rgone";
    k.server.fault(Json{{"method", "GET"},
                        {"path", k_clusters},
                        {"status", 403},
                        {"reason", "Forbidden"},
                        {"message", message},
                        {"count", 100}});
    // Printed by get itself (its per-target error lines) ...
    auto get = k.run("get clusters");
    CHECK(get.exit_code == 1);
    CHECK(get.err.find('\x1b') == std::string::npos);
    CHECK_FALSE(has_control(get.err));
    CHECK(get.err.find("boom^[]0;TITLE^G^[[2J\\rgone") != std::string::npos);
    // ... and by the one handler of a command's error (cli.cpp).
    auto cordon = k.run("cordon member1");
    CHECK(cordon.exit_code == 1);
    CHECK(cordon.err.starts_with("error: "));
    CHECK(cordon.err.find('\x1b') == std::string::npos);
    CHECK_FALSE(has_control(cordon.err));
    CHECK(cordon.err.find("boom^[]0;TITLE^G^[[2J\\rgone") != std::string::npos);
  }

  TEST_CASE("a malformed -o jsonpath or custom-columns template is a usage error, nothing asked") {
    Karmada k;
    k.add_cluster("member1");
    for (const char* args : {"get clusters -o 'jsonpath={.items[*'",
                             "get clusters -o 'jsonpath={range .items[*]}{.a}'",
                             "get clusters -o 'jsonpath-as-json={end}'",
                             "get clusters -o custom-columns=NAME",
                             "get clusters -o 'custom-columns=NAME:{.a'",
                             "label clusters member1 a=b -o 'jsonpath={.a'"}) {
      auto r = k.run(args);
      INFO(std::string(args), "\nstderr: ", r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
      CHECK(r.err.starts_with("error: "));
      CHECK(r.err.find("\nerror: ") == std::string::npos); // one message
    }
    CHECK(k.server.requests().empty());
    // A good template still prints.
    auto good = k.run("get clusters -o 'jsonpath={.items[*].metadata.name}'");
    CHECK(good.exit_code == 0);
    CHECK(good.out == "member1");
  }

  TEST_CASE("every failure of get is an error line; nothing on stdout when nothing was read") {
    Karmada k;
    k.add_cluster("member1");
    // Found, and found missing: upstream's line for the server's NotFound (naming where it was
    // read), nothing on stdout.
    auto missing = k.run("get clusters nosuch -o json");
    CHECK(missing.exit_code == 1);
    CHECK(missing.out.empty());
    CHECK(missing.err ==
          "error: cluster(Karmada): clusters.cluster.karmada.io \"nosuch\" not found\n");
    // Several failures of one target: one line, as upstream joins them.
    auto two = k.run("get clusters nosuch member1 other");
    CHECK(two.exit_code == 1);
    CHECK(two.err == "error: cluster(Karmada): [clusters.cluster.karmada.io \"nosuch\" not found, "
                     "clusters.cluster.karmada.io \"other\" not found]\n");
    CHECK(two.out.find("member1") != std::string::npos); // what was found is shown
    // Several types, each with the names: every name of every type.
    auto typed = k.run("get clusters,namespaces member1 -o name");
    CHECK(typed.exit_code == 1);
    CHECK(typed.out == "cluster.cluster.karmada.io/member1\n");
    CHECK(typed.err == "error: cluster(Karmada): namespaces \"member1\" not found\n");
    auto ignored = k.run("get clusters nosuch -o json --ignore-not-found");
    CHECK(ignored.exit_code == 0);
    CHECK(ignored.out.empty());
    CHECK(ignored.err.empty());
    // An empty listing is something read: its empty List.
    auto empty = k.run("get clusters -l none=here -o json");
    CHECK(empty.exit_code == 0);
    CHECK(empty.out.find("\"kind\": \"List\"") != std::string::npos);

    // The server refuses the list: its Status, and no empty List on stdout.
    Karmada refusing;
    refusing.server.fault(Json{{"method", "GET"},
                               {"path", k_clusters},
                               {"status", 403},
                               {"reason", "Forbidden"},
                               {"message", "clusters is forbidden"},
                               {"count", 100}});
    for (const char* args : {"get clusters -o json", "get clusters -o yaml", "get clusters"}) {
      auto r = refusing.run(args);
      INFO(std::string(args), "\nstderr: ", r.err);
      CHECK(r.exit_code == 1);
      CHECK(r.out.empty());
      CHECK(r.err == "error: cluster(Karmada): clusters is forbidden\n");
    }

    // An answer that is not a list: an "error:" line, not an abort, and nothing on stdout.
    Karmada broken;
    broken.server.fault(Json{{"method", "GET"},
                             {"path", k_clusters},
                             {"status", 200},
                             {"body", Json::array()},
                             {"count", 100}});
    for (const char* args : {"get clusters -o json", "get clusters"}) {
      auto r = broken.run(args);
      INFO(std::string(args), "\nstderr: ", r.err);
      CHECK(r.exit_code == 1);
      CHECK(r.out.empty());
      CHECK(r.err.starts_with("error: "));
      CHECK(r.err.find("not") != std::string::npos);
    }
  }

  TEST_CASE("a member's failure is an error: line naming the member") {
    Karmada k;
    k.add_cluster("member1");
    k.server.fault(Json{{"method", "GET"},
                        {"path", k_clusters + "/member1/proxy"},
                        {"status", 403},
                        {"reason", "Forbidden"},
                        {"message", "no proxy for you"},
                        {"count", 100}});
    auto r = k.run("get deployments --operation-scope members -C member1 -o json");
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    REQUIRE_FALSE(r.err.empty());
    std::size_t start = 0;
    while (start < r.err.size()) {
      std::size_t end = r.err.find('\n', start);
      std::string line = r.err.substr(start, end - start);
      INFO(line);
      CHECK(line.starts_with("error: cluster(member1): "));
      start = end == std::string::npos ? r.err.size() : end + 1;
    }
  }

  TEST_CASE("names no Cluster or Namespace can have are refused before any request") {
    Karmada k;
    k.add_cluster("member1");
    const std::string long_name(300, 'a');
    for (const std::string& args :
         {std::string("label clusters 'Bad_Name!' a=b"),
          "label clusters " + long_name + " a=b",
          std::string("annotate clusters 'Bad_Name!' a=b"),
          std::string("delete clusters 'Bad_Name!'"),
          "delete cluster/" + long_name,
          std::string("taint clusters 'Bad_Name!' k=v:NoSchedule"),
          std::string("cordon 'Bad_Name!'"),
          "uncordon " + long_name,
          std::string("get clusters 'Bad_Name!'"),
          std::string("get pods -n 'Bad_NS!'"),
          std::string("get namespaces 'Bad_NS!'"),
          std::string("delete ns 'Bad_NS!'"),
          std::string("label configmaps cm a=b -n 'Bad_NS!'"),
          std::string("get deployments --operation-scope members -C 'Bad_Name!'")}) {
      auto r = k.run(args);
      INFO(std::string(args), "\nstderr: ", r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
      CHECK(r.err.starts_with("error: "));
      CHECK((r.err.find("invalid cluster name") != std::string::npos ||
             r.err.find("invalid namespace name") != std::string::npos ||
             r.err.find("for \"-n, --namespace\" flag") != std::string::npos));
    }
    CHECK(k.server.requests().empty());
    // Valid names still reach the server.
    auto ok = k.run("get clusters member1 -o name");
    CHECK(ok.exit_code == 0);
    CHECK(ok.out == "cluster.cluster.karmada.io/member1\n");
  }

  TEST_CASE("upstream's klog flags: accepted anywhere, and where log lines go is honoured") {
    Karmada k;
    k.add_cluster("member1");
    auto log_file = (k.dir / "karmadactl.log").string();
    auto r = k.run("get clusters -v 6 --logtostderr=false --log-file '" + log_file +
                   "' --vmodule=x=2 --log-flush-frequency 1s --stderrthreshold 2");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("member1") != std::string::npos);
    CHECK(r.err.empty()); // every line went to the file
    auto written = kctl::fs::read_file(log_file);
    REQUIRE(written);
    CHECK(written->find(" GET ") != std::string::npos);
    CHECK(std::filesystem::status(log_file).permissions() ==
          (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

    auto bare = k.run("get clusters -v 6 --skip-headers --alsologtostderr --one-output");
    REQUIRE_MESSAGE(bare.exit_code == 0, bare.err);
    CHECK(bare.err.starts_with("GET ")); // no "I1205 13:05:55.707332 ..." header

    auto unwritable = k.run("get clusters --logtostderr=false --log-file /nonexistent/x.log");
    CHECK(unwritable.exit_code == 2);
    CHECK(unwritable.err.find("--log-file /nonexistent/x.log") != std::string::npos);
  }

  TEST_CASE("upstream's spellings: --labels for -l; -C under the karmada scope is ignored with a "
            "warning") {
    Karmada k;
    k.add_cluster("member1");
    k.server.seed(k_clusters + "/member2",
                  Json{{"apiVersion", "cluster.karmada.io/v1alpha1"},
                       {"kind", "Cluster"},
                       {"metadata", {{"name", "member2"}, {"labels", {{"environment", "dev"}}}}}});
    auto labels = k.run("get clusters --labels environment=dev -o name");
    REQUIRE_MESSAGE(labels.exit_code == 0, labels.err);
    CHECK(labels.out == "cluster.cluster.karmada.io/member2\n");
    auto ignored = k.run("get clusters member1 -C member2 -o name");
    REQUIRE_MESSAGE(ignored.exit_code == 0, ignored.err);
    CHECK(ignored.out == "cluster.cluster.karmada.io/member1\n");
    CHECK(ignored.err.find("warning: -C/--clusters member2 is ignored") != std::string::npos);
  }

  TEST_CASE("-o go-template, template, --template and template files") {
    Karmada k;
    k.add_cluster("member1");
    k.add_cluster("member2");
    auto list = k.run("get clusters -o go-template='{{.kind}}:{{range .items}}{{.metadata.name}} "
                      "{{end}}'");
    REQUIRE_MESSAGE(list.exit_code == 0, list.err);
    CHECK(list.out == "List:member1 member2 ");
    auto single = k.run("get clusters member1 -o template='{{.metadata.name}}/{{.spec.syncMode}}'");
    REQUIRE_MESSAGE(single.exit_code == 0, single.err);
    CHECK(single.out == "member1/Push");
    auto flag = k.run("get clusters -o go-template --template '{{len .items}}'");
    CHECK(flag.out == "2");
    auto bare = k.run("get clusters member2 --template '{{.kind}}'");
    CHECK(bare.out == "Cluster");
    auto jsonpath = k.run("get clusters -o jsonpath --template '{.items[0].metadata.name}'");
    CHECK(jsonpath.out == "member1");
    kctl::test::TempDir dir;
    std::string file = (dir / "t.tmpl").string();
    REQUIRE(kctl::fs::write_file_atomic(file, "{{range .items}}{{.metadata.name}}\n{{end}}", 0600));
    for (const char* format : {"go-template-file=", "templatefile="}) {
      auto r = k.run(std::string("get clusters -o ") + format + file);
      INFO(format, r.err);
      CHECK(r.out == "member1\nmember2\n");
    }
    std::string columns = (dir / "columns").string();
    REQUIRE(
        kctl::fs::write_file_atomic(columns, "NAME MODE\n.metadata.name .spec.syncMode\n", 0600));
    auto custom = k.run("get clusters -o custom-columns-file=" + columns);
    CHECK(custom.out == "NAME      MODE\nmember1   Push\nmember2   Push\n");
    auto missing = k.run("get clusters -o go-template-file=" + (dir / "none").string());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.starts_with("error: error reading --template " + (dir / "none").string() +
                                  ", "));
    CHECK(missing.out.empty());
  }

  TEST_CASE("template errors: usage errors before any request; missing keys when refused") {
    Karmada k;
    k.add_cluster("member1");
    for (const char* args : {"get clusters -o go-template='{{.a'",
                             "get clusters -o go-template",
                             "get clusters -o go-template='{{nosuch}}'",
                             "label clusters member1 a=b -o template='{{end}}'",
                             "get clusters -o name --sort-by '{.a'"}) {
      auto r = k.run(args);
      INFO(std::string(args), "\nstderr: ", r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.out.empty());
    }
    CHECK(k.server.requests().empty());
    auto empty = k.run("get clusters -o go-template");
    CHECK(empty.err.starts_with("error: template format specified but no template given\n"));
    auto refused = k.run("get clusters member1 -o go-template='{{.metadata.uid}}' "
                         "--allow-missing-template-keys=false");
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("map has no entry for key \"uid\"") != std::string::npos);
    auto allowed = k.run("get clusters member1 -o go-template='{{.metadata.uid}}'");
    CHECK(allowed.out == "<no value>");
    auto jsonpath = k.run("get clusters member1 -o jsonpath='{.metadata.uid}' "
                          "--allow-missing-template-keys=false");
    CHECK(jsonpath.exit_code == 1);
    CHECK(jsonpath.err.find("uid is not found") != std::string::npos);
  }

  TEST_CASE("--sort-by orders rows by the field's value; tables ask for whole objects") {
    Karmada k;
    for (auto [name, id] : {std::pair{"b", 9}, std::pair{"a", 10}, std::pair{"c", 100}}) {
      k.server.seed(k_clusters + "/" + name,
                    Json{{"apiVersion", "cluster.karmada.io/v1alpha1"},
                         {"kind", "Cluster"},
                         {"metadata", {{"name", name}}},
                         {"spec", {{"id", id}}}});
    }
    auto by_id = k.run("get clusters -o name --sort-by .spec.id");
    REQUIRE_MESSAGE(by_id.exit_code == 0, by_id.err);
    CHECK(by_id.out == "cluster.cluster.karmada.io/b\ncluster.cluster.karmada.io/a\n"
                       "cluster.cluster.karmada.io/c\n");
    auto by_name = k.run("get clusters --no-headers --sort-by '{.metadata.name}' -o "
                         "custom-columns=N:.metadata.name");
    CHECK(by_name.out == "a\nb\nc\n");
    auto table = k.run("get clusters --sort-by .spec.id");
    REQUIRE_MESSAGE(table.exit_code == 0, table.err);
    CHECK(table.out.find("b ") < table.out.find("a "));
    bool whole = false;
    for (const auto& request : k.server.requests()) {
      whole = whole || request["query"].value("includeObject", "") == "Object";
    }
    CHECK_MESSAGE(whole, k.server.requests().dump());
    auto missing = k.run("get clusters -o name --sort-by .spec.nothing");
    CHECK(missing.exit_code == 1);
    CHECK(missing.err == "error: couldn't find any field with path \"{.spec.nothing}\" in the "
                         "list of objects\n");
  }

  TEST_CASE("several resource types: a table each, in upstream's order, a blank line between") {
    Karmada k;
    k.add_cluster("member1");
    k.server.seed(
        "/api/v1/namespaces/default",
        Json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "default"}}}});
    // The core group sorts before cluster.karmada.io, whatever the order asked in.
    auto tables = k.run("get clusters,namespaces");
    REQUIRE_MESSAGE(tables.exit_code == 0, tables.err);
    auto gap = tables.out.find("\n\n");
    REQUIRE_MESSAGE(gap != std::string::npos, tables.out);
    std::string first = tables.out.substr(0, gap + 1);
    std::string second = tables.out.substr(gap + 2);
    CHECK(first.starts_with("NAME "));
    CHECK(first.find("\nnamespace/default ") != std::string::npos);
    CHECK(first.find("member1") == std::string::npos);
    CHECK(second.starts_with("NAME "));
    CHECK(second.find("\ncluster.cluster.karmada.io/member1 ") != std::string::npos);
    CHECK(second.find("\n\n") == std::string::npos);
    auto bare = k.run("get clusters,namespaces --no-headers");
    REQUIRE_MESSAGE(bare.exit_code == 0, bare.err);
    CHECK(bare.out.starts_with("namespace/default "));
    CHECK(bare.out.find("\ncluster.cluster.karmada.io/member1 ") != std::string::npos);
    CHECK(bare.out.find("\n\n") == std::string::npos);
    // Other formats list every type's objects together, in the order asked.
    auto names = k.run("get clusters,namespaces -o name");
    CHECK(names.out == "cluster.cluster.karmada.io/member1\nnamespace/default\n");
  }

  TEST_CASE("--show-kind, --show-managed-fields, --output-watch-events without a watch") {
    Karmada k;
    k.server.seed(k_clusters + "/member1",
                  Json{{"apiVersion", "cluster.karmada.io/v1alpha1"},
                       {"kind", "Cluster"},
                       {"metadata",
                        {{"name", "member1"},
                         {"managedFields", Json::array({{{"manager", "karmadactl"}}})}}}});
    auto kind = k.run("get clusters --show-kind --no-headers");
    REQUIRE_MESSAGE(kind.exit_code == 0, kind.err);
    CHECK(kind.out.starts_with("cluster.cluster.karmada.io/member1 "));
    auto plain = k.run("get clusters member1 -o json");
    CHECK(plain.out.find("managedFields") == std::string::npos);
    auto managed = k.run("get clusters member1 -o json --show-managed-fields");
    CHECK(managed.out.find("managedFields") != std::string::npos);
    auto events = k.run("get clusters --output-watch-events");
    CHECK(events.exit_code == 2);
    CHECK(events.err.starts_with(
        "error: --output-watch-events option can only be used with --watch or --watch-only\n"));
  }
}
