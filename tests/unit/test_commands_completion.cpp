// Shell completion and man pages (issue 13): the `__complete` request, the committed scripts and
// pages are what the binary generates, the scripts in real shells, and groff renders every page.
#include "kube_test_server.hpp"
#include "run_binary.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <set>

using kctl::test::run_karmadactl;

namespace {

const std::string k_source = KCTL_SOURCE_DIR;
const std::string k_binary_dir = std::filesystem::path(KCTL_BINARY).parent_path().string();

// The candidate values (before any tab) of a `__complete` answer, and its directive.
struct Answer {
  std::vector<std::string> values;
  std::string directive;
  bool has(const std::string& value) const {
    return std::find(values.begin(), values.end(), value) != values.end();
  }
};

Answer
complete(const std::string& words) {
  auto r = run_karmadactl("__complete " + words);
  REQUIRE(r.exit_code == 0);
  Answer answer;
  size_t start = 0;
  while (start < r.out.size()) {
    size_t end = r.out.find('\n', start);
    std::string line = r.out.substr(start, end - start);
    start = end == std::string::npos ? r.out.size() : end + 1;
    if (line.starts_with(":")) {
      answer.directive = line.substr(1);
    } else {
      answer.values.push_back(line.substr(0, line.find('\t')));
    }
  }
  return answer;
}

bool
has_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs `script` with `shell` (its file as the only argument), the built binary first on PATH.
kctl::test::RunResult
run_shell(const std::string& shell, const std::string& script) {
  kctl::test::TempDir dir;
  auto path = dir / "script";
  REQUIRE(kctl::fs::write_file_atomic(path, script, 0644));
  return run_karmadactl("PATH='" + k_binary_dir + "':\"$PATH\" " + shell + " '" + path.string() +
                            "'",
                        "/usr/bin/env");
}

std::string
kubeconfig_with_contexts(const kctl::test::TempDir& dir, const std::string& server) {
  const auto& pki = kctl::test::test_pki();
  std::string text =
      "apiVersion: v1\nkind: Config\ncurrent-context: alpha\nclusters:\n"
      "- name: c\n  cluster:\n    server: " +
      server + "\n    certificate-authority: " + pki.ca_crt.string() +
      "\nusers:\n- name: u\n  user:\n    client-certificate: " + pki.client_crt.string() +
      "\n    client-key: " + pki.client_key.string() +
      "\ncontexts:\n- name: alpha\n  context: {cluster: c, user: u}\n"
      "- name: karmada-apiserver\n  context: {cluster: c, user: u}\n";
  auto path = dir / "kubeconfig";
  REQUIRE(kctl::fs::write_file_atomic(path, text));
  return path.string();
}

} // namespace

TEST_SUITE("commands::completion") {
  TEST_CASE("__complete offers subcommands, flags and fixed flag values from the "
            "command tree") {
    auto jo = complete("jo");
    CHECK(jo.values == std::vector<std::string>{"join"});
    CHECK(jo.directive == "4");
    CHECK(complete("token c").has("create"));
    CHECK(complete("config images ''").has("list"));
    auto flags = complete("init --etcd-s");
    CHECK(flags.has("--etcd-storage-mode"));
    auto modes = complete("init --etcd-storage-mode ''");
    CHECK(modes.values == std::vector<std::string>{"hostPath", "emptyDir", "PVC"});
    CHECK(complete("init --etcd-storage-mode=e").values ==
          std::vector<std::string>{"--etcd-storage-mode=emptyDir"});
    CHECK(complete("get -s ''").values == std::vector<std::string>{"karmada", "members", "all"});
    CHECK(complete("get --operation-scope m").values == std::vector<std::string>{"members"});
    CHECK(complete("version -o ''").has("yaml"));
    auto output = complete("get -o j");
    CHECK(output.has("json"));
    CHECK(output.has("jsonpath="));
    CHECK(complete("get -o jsonpath").directive == "6"); // no space after "jsonpath="
    CHECK(complete("get ''").has("clusters"));
    CHECK(complete("completion ''").values ==
          std::vector<std::string>{"bash", "zsh", "fish", "powershell"});
    // A flag whose value is a file lets the shell complete file names.
    CHECK(complete("init --crds ''").directive == "0");
    // Hidden commands are not offered.
    CHECK_FALSE(complete("__").has("__gen-docs"));
  }

  TEST_CASE("__complete lists kubeconfig contexts from the file, without the network") {
    kctl::test::TempDir dir;
    std::string kubeconfig = kubeconfig_with_contexts(dir, "https://127.0.0.1:1");
    auto karmada = complete("get clusters --kubeconfig " + kubeconfig + " --karmada-context ''");
    CHECK(karmada.values == std::vector<std::string>{"alpha", "karmada-apiserver"});
    auto member = complete("join m1 --cluster-kubeconfig=" + kubeconfig + " --cluster-context k");
    CHECK(member.values == std::vector<std::string>{"karmada-apiserver"});
    auto host = complete("init --kubeconfig " + kubeconfig + " --context=a");
    CHECK(host.values == std::vector<std::string>{"--context=alpha"});
  }

  TEST_CASE("__complete asks the Karmada API server for cluster names only when one "
            "is wanted") {
    kctl::test::FakeApiServer server;
    for (const char* name : {"member1", "member2", "other"}) {
      server.seed(std::string("/apis/cluster.karmada.io/v1alpha1/clusters/") + name,
                  kctl::Json{{"apiVersion", "cluster.karmada.io/v1alpha1"},
                             {"kind", "Cluster"},
                             {"metadata", {{"name", name}}}});
    }
    kctl::test::TempDir dir;
    std::string kubeconfig = kubeconfig_with_contexts(dir, server.url());
    CHECK(complete("cordon --kubeconfig " + kubeconfig + " mem").values ==
          std::vector<std::string>{"member1", "member2"});
    CHECK(complete("get clusters --kubeconfig " + kubeconfig + " ''").values.size() == 3);
    CHECK(complete("taint clusters --kubeconfig " + kubeconfig + " o").values ==
          std::vector<std::string>{"other"});
    CHECK(complete("get deployments -C m --kubeconfig " + kubeconfig).values.empty());
    CHECK(complete("get deployments --kubeconfig " + kubeconfig + " -C m").has("member2"));
    int asked = server.count("GET");
    CHECK(asked >= 4);
    // Flags, subcommands and fixed values never touch the network.
    complete("cordon --kubeconfig " + kubeconfig + " --");
    complete("get --kubeconfig " + kubeconfig + " -o ''");
    complete("get --kubeconfig " + kubeconfig + " ''");
    CHECK(server.count("GET") == asked);
  }

  TEST_CASE("an unreachable Karmada API server costs at most the short timeout") {
    kctl::test::TempDir dir;
    // 10.255.255.1 is not routed: the connection attempt hangs until the timeout.
    std::string kubeconfig = kubeconfig_with_contexts(dir, "https://10.255.255.1:6443");
    auto start = std::chrono::steady_clock::now();
    auto answer = complete("unjoin --kubeconfig " + kubeconfig + " ''");
    auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(answer.values.empty());
    CHECK(elapsed < std::chrono::seconds(5));
  }

  TEST_CASE("bash: the script loads and completes commands and flag values") {
    auto r = run_shell("bash",
                       "source '" + k_source +
                           "/completions/karmadactl.bash'\n"
                           "complete -p karmadactl\n"
                           "COMP_WORDS=(karmadactl jo); COMP_CWORD=1; __karmadactl_complete\n"
                           "echo \"jo: ${COMPREPLY[*]}\"\n"
                           "COMP_WORDS=(karmadactl init --etcd-storage-mode ''); COMP_CWORD=3\n"
                           "__karmadactl_complete; echo \"modes: ${COMPREPLY[*]}\"\n"
                           "COMP_WORDS=(karmadactl init --etcd-storage-mode = P); COMP_CWORD=4\n"
                           "__karmadactl_complete; echo \"equals: ${COMPREPLY[*]}\"\n"
                           "COMP_WORDS=(karmadactl token ''); COMP_CWORD=2\n"
                           "__karmadactl_complete; echo \"token: ${COMPREPLY[*]}\"\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("complete -o default -F __karmadactl_complete karmadactl") !=
          std::string::npos);
    CHECK(r.out.find("jo: join\n") != std::string::npos);
    CHECK(r.out.find("modes: hostPath emptyDir PVC\n") != std::string::npos);
    CHECK(r.out.find("equals: PVC\n") != std::string::npos);
    CHECK(r.out.find("token: create list delete\n") != std::string::npos);
  }

  TEST_CASE("zsh: the script loads and completes commands and flag values") {
    if (!has_program("zsh")) {
      MESSAGE("zsh is not installed: skipped");
      return;
    }
    auto r = run_shell("zsh",
                       "autoload -U compinit && compinit -u -D\n"
                       "source '" +
                           k_source +
                           "/completions/_karmadactl'\n"
                           "print -r -- \"registered: $_comps[karmadactl]\"\n"
                           "compadd() { while [[ $1 == -* && $1 != -- ]]; do "
                           "[[ $1 == -d || $1 == -S ]] && shift; shift; done; "
                           "[[ $1 == -- ]] && shift; print -r -- \"offered: $*\"; }\n"
                           "words=(karmadactl jo); CURRENT=2; __karmadactl_complete\n"
                           "words=(karmadactl init --etcd-storage-mode ''); CURRENT=4; "
                           "__karmadactl_complete\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("registered: __karmadactl_complete") != std::string::npos);
    CHECK(r.out.find("offered: join\n") != std::string::npos);
    CHECK(r.out.find("offered: hostPath emptyDir PVC\n") != std::string::npos);
  }

  TEST_CASE("fish: the script loads and completes commands and flag values") {
    if (!has_program("fish")) {
      MESSAGE("fish is not installed: skipped");
      return;
    }
    auto r = run_shell("fish",
                       "source '" + k_source +
                           "/completions/karmadactl.fish'\n"
                           "complete -C'karmadactl jo'\n"
                           "complete -C'karmadactl init --etcd-storage-mode '\n");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("join\t") != std::string::npos);
    CHECK(r.out.find("hostPath\n") != std::string::npos);
    CHECK(r.out.find("PVC\n") != std::string::npos);
  }
}

TEST_SUITE("commands::docs") {
  TEST_CASE("the committed completion scripts and man pages are what the binary generates") {
    kctl::test::TempDir dir;
    auto r = run_karmadactl("__gen-docs --man-dir '" + (dir / "man").string() +
                            "' --completion-dir '" + (dir / "completions").string() + "'");
    REQUIRE(r.exit_code == 0);
    for (const char* folder : {"man", "completions"}) {
      std::set<std::string> generated, committed;
      for (const auto& entry : std::filesystem::directory_iterator(dir / folder)) {
        generated.insert(entry.path().filename().string());
      }
      for (const auto& entry : std::filesystem::directory_iterator(k_source + "/" + folder)) {
        committed.insert(entry.path().filename().string());
      }
      CHECK_MESSAGE(generated == committed,
                    folder << "/ is stale: regenerate with build/karmadactl __gen-docs --man-dir "
                              "man --completion-dir completions");
      for (const auto& name : generated) {
        auto ours = kctl::fs::read_file(dir / folder / name);
        auto theirs = kctl::fs::read_file(k_source + "/" + folder + "/" + name);
        CHECK_MESSAGE((theirs && *ours == *theirs),
                      folder << "/" << name
                             << " is stale: regenerate with build/karmadactl __gen-docs "
                                "--man-dir man --completion-dir completions");
      }
    }
    auto bash = run_karmadactl("completion bash");
    CHECK(bash.out == kctl::fs::read_file(k_source + "/completions/karmadactl.bash").value_or(""));
  }

  TEST_CASE("there is a man page for every command, with synopsis, options and examples") {
    auto help = run_karmadactl("--help");
    for (const char* page : {"karmadactl.1",
                             "karmadactl-init.1",
                             "karmadactl-token-create.1",
                             "karmadactl-config-images-list.1",
                             "karmadactl-join.1",
                             "karmadactl-get.1"}) {
      auto text = kctl::fs::read_file(k_source + "/man/" + page);
      REQUIRE_MESSAGE(text, page);
      CHECK(text->find(".SH SYNOPSIS") != std::string::npos);
      CHECK(text->find(".SH OPTIONS") != std::string::npos);
      CHECK(text->find(".SH SEE ALSO") != std::string::npos);
    }
    auto init = kctl::fs::read_file(k_source + "/man/karmadactl-init.1").value_or("");
    CHECK(init.find(".SH EXAMPLES") != std::string::npos);
    CHECK(init.find("\\fB\\-\\-etcd\\-storage\\-mode\\fR=") != std::string::npos);
    CHECK(init.find("(default: hostPath)") != std::string::npos);
    auto root = kctl::fs::read_file(k_source + "/man/karmadactl.1").value_or("");
    for (const char* command : {"init", "deinit", "config", "completion", "version", "options"}) {
      CHECK(help.out.find(std::string("  ") + command) != std::string::npos);
      CHECK_MESSAGE(root.find(std::string(".B ") + command + "\n") != std::string::npos,
                    "man page lacks " << command);
      CHECK(std::filesystem::exists(k_source + "/man/karmadactl-" + command + ".1"));
    }
  }

  TEST_CASE("every man page renders with groff -ww -man without warnings") {
    if (!has_program("groff")) {
      MESSAGE("groff is not installed: skipped");
      return;
    }
    int pages = 0;
    for (const auto& entry : std::filesystem::directory_iterator(k_source + "/man")) {
      auto r = run_karmadactl("-ww -man -z '" + entry.path().string() + "'", "groff");
      CHECK_MESSAGE(r.exit_code == 0, entry.path());
      CHECK_MESSAGE(r.err.empty(), entry.path().filename() << ": " << r.err);
      ++pages;
    }
    CHECK(pages > 20);
  }
}
