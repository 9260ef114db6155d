// Usage errors of every command, as users meet them: exit code 2, every problem in one "error:"
// message naming the flag, the value and what is accepted, and nothing contacted. The kubeconfig
// points at a tripwire: a listening socket nobody may connect to.
#include "run_binary.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

using kctl::test::run_karmadactl;

namespace {

// A TCP port that listens but is never served: a command that connects to it shows up in
// connections().
class Tripwire {
public:
  Tripwire() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(m_fd, 16) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    m_port = ntohs(address.sin_port);
  }
  ~Tripwire() { ::close(m_fd); }
  Tripwire(const Tripwire&) = delete;
  Tripwire& operator=(const Tripwire&) = delete;

  int port() const { return m_port; }
  // The connections made since the last call.
  int connections() {
    int count = 0;
    for (int fd; (fd = ::accept(m_fd, nullptr, nullptr)) >= 0; ++count) {
      ::close(fd);
    }
    return count;
  }

private:
  int m_fd = -1;
  int m_port = 0;
};

// A kubeconfig whose server is the tripwire.
struct Setup {
  Tripwire tripwire;
  kctl::test::TempDir dir;
  std::string kubeconfig;

  Setup() {
    kubeconfig = (dir / "kubeconfig").string();
    std::string text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                       "    server: https://127.0.0.1:" +
                       std::to_string(tripwire.port()) +
                       "\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n"
                       "current-context: c\nusers:\n- name: u\n  user: {token: abc}\n";
    REQUIRE(kctl::fs::write_file_atomic(kubeconfig, text, 0600));
  }

  // Runs `args` with --kubeconfig (and --cluster-kubeconfig where `member`) and checks a usage
  // error: exit 2, nothing on stdout, one "error:" message with each of `expected`, a pointer to
  // the help, and no connection to the cluster.
  void expect_usage(const std::string& args, const std::vector<std::string>& expected) {
    auto r = run_karmadactl(args);
    INFO("karmadactl ", args, "\nstderr: ", r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with("error: "));
    CHECK(r.err.find("\nerror: ", 1) == std::string::npos); // one message
    CHECK(r.err.find("--help' for usage.") != std::string::npos);
    for (const auto& text : expected) {
      CHECK_MESSAGE(r.err.find(text) != std::string::npos, text);
    }
    if (expected.size() > 1) {
      CHECK(r.err.find("options:\n  - ") != std::string::npos);
    }
    CHECK(tripwire.connections() == 0);
  }
};

} // namespace

TEST_SUITE("commands::usage") {
  TEST_CASE("the tripwire sees a command that does connect") {
    Setup s;
    auto r = run_karmadactl("token list --request-timeout 1s --kubeconfig " + s.kubeconfig);
    CHECK(r.exit_code == 1);
    CHECK(s.tripwire.connections() >= 1);
  }

  TEST_CASE("parse errors in kubectl's words, listed with bad values") {
    Setup s;
    s.expect_usage("init --port abc --foo --bar=1 --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"abc\" for \"-p, --port\" flag: a whole number is expected",
                    "unknown flag: --foo",
                    "unknown flag: --bar"});
    s.expect_usage("init --port", {"flag needs an argument: --port"});
    s.expect_usage("token frobnicate", {"unknown command \"frobnicate\" for \"karmadactl token\""});
    s.expect_usage(
        "version -o xml",
        {"invalid argument \"xml\" for \"-o, --output\" flag: must be one of json, yaml"});
    s.expect_usage("completion tcsh",
                   {"invalid argument \"tcsh\" for \"shell\" flag: must be one "
                    "of bash, zsh, fish, powershell"});
    s.expect_usage("unjoin m1 --wait soon --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"soon\" for \"--wait\" flag: a duration is expected"});
  }

  TEST_CASE("init: bad values and -o without --dry-run, all at once") {
    Setup s;
    s.expect_usage("init --port 0 --karmada-apiserver-replicas -1 -o yaml --kube-image-tag '' "
                   "--kubeconfig " +
                       s.kubeconfig,
                   {"--port must be a port number, not 0",
                    "--karmada-apiserver-replicas must be at least 1, not -1",
                    "-o/--output yaml prints the manifests of a plan: use it with --dry-run",
                    "--kube-image-tag must not be empty"});
    s.expect_usage("init --kubeconfig " + s.dir.path().string() + " --crds /nonexistent.tgz",
                   {"--kubeconfig " + s.dir.path().string() + ": is a directory",
                    "--crds /nonexistent.tgz: no such file"});
  }

  TEST_CASE("config images list: an empty --kube-image-tag is refused") {
    Setup s;
    s.expect_usage("config images list --kube-image-tag '' --kube-image-mirror-country mars",
                   {"--kube-image-tag must not be empty",
                    "--kube-image-mirror-country must be cn or global, not \"mars\""});
  }

  TEST_CASE("get") {
    Setup s;
    s.expect_usage("get clusters -s everywhere -o xml --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"everywhere\" for \"-s/--operation-scope\" flag: must be "
                    "one of karmada, members, all",
                    "xml"});
    s.expect_usage("get clusters -C m1 -l 'a b' --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"a b\" for \"-l, --selector\" flag: unable to parse"});
    // Templates are parsed with the flags (issue 20): one usage error, no request.
    s.expect_usage("get clusters -o 'jsonpath={.items[*' --request-timeout 2s --kubeconfig " +
                       s.kubeconfig,
                   {"error parsing jsonpath {.items[*"});
    s.expect_usage("get clusters -o custom-columns=NAME --request-timeout 2s --kubeconfig " +
                       s.kubeconfig,
                   {"unexpected custom-columns spec: NAME"});
    // Names no Namespace or Cluster can have.
    s.expect_usage("get pods -n 'Bad_NS!' --request-timeout 2s --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"Bad_NS!\" for \"-n, --namespace\" flag"});
    s.expect_usage("get clusters 'Bad_Name!' --request-timeout 2s --kubeconfig " + s.kubeconfig,
                   {"invalid cluster name \"Bad_Name!\""});
  }

  TEST_CASE("describe and api-resources: --cluster") {
    Setup s;
    // describe takes several members; each name is checked.
    s.expect_usage("describe deploy web -s members -C member1,Bad_Name --kubeconfig " +
                       s.kubeconfig,
                   {"Bad_Name"});
    s.expect_usage("describe deploy web -s members -C member1,,member2 --kubeconfig " +
                       s.kubeconfig,
                   {"--cluster"});
    // api-resources reads one member: a list is not a name.
    s.expect_usage("api-resources -s members --cluster member1,member2 --kubeconfig " +
                       s.kubeconfig,
                   {"member1,member2"});
  }

  TEST_CASE("apply") {
    Setup s;
    s.expect_usage("apply -f /nonexistent.yaml --dry-run=maybe --kubeconfig " + s.kubeconfig,
                   {"-f/--filename /nonexistent.yaml: no such file or directory",
                    "invalid argument \"maybe\" for \"--dry-run\" flag: must be one of none, "
                    "client, server"});
    s.expect_usage("apply --all-clusters -C m1 --kubeconfig " + s.kubeconfig,
                   {"must specify -f/--filename",
                    "--all-clusters and -C/--cluster m1 cannot be used together"});
  }

  TEST_CASE("join and unjoin") {
    Setup s;
    s.expect_usage("join Bad_Name --karmada-as admin --request-timeout later --kubeconfig " +
                       s.kubeconfig + " --cluster-kubeconfig " + s.kubeconfig,
                   {"invalid cluster name \"Bad_Name\"",
                    "--karmada-as, --karmada-as-group and --karmada-as-uid are not supported",
                    "invalid argument \"later\" for \"--request-timeout\" flag"});
    s.expect_usage("join m1 --cluster-kubeconfig /nonexistent --kubeconfig " + s.kubeconfig,
                   {"--cluster-kubeconfig /nonexistent: no such file"});
    // A missing argument is reported by the parser (CLI11 checks it before the command's checks).
    s.expect_usage("join --kubeconfig " + s.kubeconfig, {"CLUSTER_NAME is required"});
    s.expect_usage("unjoin m1 --wait 0s --cluster-context c --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"0s\" for \"--wait\" flag: must be positive",
                    "--cluster-context c needs --cluster-kubeconfig"});
  }

  TEST_CASE("register and unregister") {
    Setup s;
    s.expect_usage("register 127.0.0.1:1 --token nope --discovery-token-ca-cert-hash md5:x "
                   "--karmada-agent-replicas -1 --cert-expiration-seconds 10 --kubeconfig " +
                       s.kubeconfig,
                   {"the token does not have the form",
                    "--discovery-token-ca-cert-hash",
                    "invalid argument \"-1\" for \"--karmada-agent-replicas\" flag: must not be "
                    "negative",
                    "invalid argument \"10\" for \"--cert-expiration-seconds\" flag: must be at "
                    "least 600"});
    s.expect_usage("unregister --wait 0s --karmada-context k --cluster-kubeconfig " + s.kubeconfig,
                   {"give the name of the cluster to unregister",
                    "invalid argument \"0s\" for \"--wait\" flag: must be positive",
                    "--karmada-context k needs --karmada-config"});
  }

  TEST_CASE("token create, list and delete") {
    Setup s;
    s.expect_usage("token create --ttl -1s --usages frobbing --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"-1s\" for \"--ttl\" flag: must not be negative",
                    "invalid bootstrap token usage \"frobbing\""});
    s.expect_usage("token list -o xml --request-timeout x --kubeconfig " + s.kubeconfig,
                   {"invalid argument \"xml\" for \"-o, --output\" flag",
                    "invalid argument \"x\" for \"--request-timeout\" flag"});
    s.expect_usage("token delete NOPE! also-bad --kubeconfig " + s.kubeconfig,
                   {"\"NOPE!\" is neither a token id", "\"also-b...\" is neither"});
  }

  TEST_CASE("label, annotate and taint") {
    Setup s;
    s.expect_usage("label clusters --all -l a=b --dry-run=maybe --kubeconfig " + s.kubeconfig,
                   {"cannot set --all and --selector at the same time",
                    "at least one label update is required",
                    "invalid argument \"maybe\" for \"--dry-run\" flag"});
    s.expect_usage("annotate clusters m1 --all a=b --kubeconfig " + s.kubeconfig,
                   {"names cannot be provided when a selector is specified or --all is given"});
    s.expect_usage("label clusters 'Bad_Name!' " + std::string(300, 'a') +
                       " a=b --request-timeout 2s --kubeconfig " + s.kubeconfig,
                   {"invalid cluster name \"Bad_Name!\"",
                    "invalid cluster name \"" + std::string(300, 'a') + "\""});
    s.expect_usage("taint clusters 'Bad_Name!' k=v:NoSchedule --request-timeout 2s --kubeconfig " +
                       s.kubeconfig,
                   {"invalid cluster name \"Bad_Name!\""});
    s.expect_usage("taint nodes n1 --all -l a=b --kubeconfig " + s.kubeconfig,
                   {"invalid resource type nodes, only \"clusters\" is supported",
                    "cannot set --all and --selector at the same time",
                    "at least one taint update is required"});
  }

  TEST_CASE("cordon, delete and deinit") {
    Setup s;
    s.expect_usage("cordon 'Bad_Name!' --request-timeout 2s --kubeconfig " + s.kubeconfig,
                   {"invalid cluster name \"Bad_Name!\""});
    s.expect_usage("delete clusters 'Bad_Name!' --request-timeout 2s --kubeconfig " + s.kubeconfig,
                   {"invalid cluster name \"Bad_Name!\""});
    s.expect_usage("cordon a b --request-timeout x --kubeconfig " + s.kubeconfig,
                   {"cordon takes exactly one cluster name (got 2)",
                    "invalid argument \"x\" for \"--request-timeout\" flag"});
    s.expect_usage("delete clusters m1 --all --cascade sideways --grace-period -5 --kubeconfig " +
                       s.kubeconfig,
                   {"invalid argument \"sideways\" for \"--cascade\" flag: must be one of "
                    "background, foreground, orphan",
                    "invalid argument \"-5\" for \"--grace-period\" flag",
                    "names cannot be provided when a selector is specified or --all is given"});
    s.expect_usage("deinit -n '' --karmada-kubeconfig " + s.dir.path().string() + " --kubeconfig " +
                       s.kubeconfig,
                   {"-n/--namespace must not be empty",
                    "--karmada-kubeconfig " + s.dir.path().string() + ": is a directory"});
  }
}
