// Exec credential plugins, driven through small shell scripts written by the tests.
#include "kube/exec_credential.hpp"
#include "kube/rest_config.hpp"
#include "testutil.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

using namespace kctl;
using namespace kctl::kube;

namespace {

std::string
rfc3339(std::chrono::system_clock::time_point when) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// Writes an executable script that logs each run to `runs`, saves its input and arguments next
// to itself, and prints an ExecCredential with `status`.
std::filesystem::path
write_plugin(const test::TempDir& dir,
             const std::string& api_version,
             const Json& status,
             const std::string& name = "plugin.sh") {
  Json credential = {{"apiVersion", api_version}, {"kind", "ExecCredential"}, {"status", status}};
  auto path = dir / name;
  std::ofstream(path) << fmt::format(R"(#!/bin/sh
echo run >> '{0}/runs'
printf '%s' "$KUBERNETES_EXEC_INFO" > '{0}/exec-info.json'
echo "$@" > '{0}/args'
echo "$PLUGIN_ENV" > '{0}/env'
cat <<'JSON'
{1}
JSON
)",
                                     dir.path().string(),
                                     credential.dump());
  ::chmod(path.c_str(), 0755);
  return path;
}

int
runs(const test::TempDir& dir) {
  auto text = fs::read_file(dir / "runs");
  if (!text) {
    return 0;
  }
  return static_cast<int>(std::count(text->begin(), text->end(), '\n'));
}

ExecConfig
config_for(const std::filesystem::path& plugin, const std::string& api_version) {
  ExecConfig config;
  config.api_version = api_version;
  config.command = plugin.string();
  config.interactive_mode = InteractiveMode::never;
  return config;
}

void
write_script(const std::filesystem::path& path, const std::string& body) {
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0755);
}

// The pid a script wrote to `path`, or 0.
pid_t
read_pid(const std::filesystem::path& path) {
  auto text = fs::read_file(path);
  return text ? static_cast<pid_t>(std::atoi(text->c_str())) : 0;
}

// Whether `pid` is gone (a zombie counts as gone) within `limit`.
bool
gone_within(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    auto stat = fs::read_file("/proc/" + std::to_string(pid) + "/stat");
    auto state = stat ? stat->rfind(") ") : std::string::npos;
    if (!stat || (state != std::string::npos && stat->at(state + 2) == 'Z')) {
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

constexpr const char* k_v1 = "client.authentication.k8s.io/v1";
constexpr const char* k_v1beta1 = "client.authentication.k8s.io/v1beta1";

} // namespace

TEST_SUITE("kube.exec") {

  TEST_CASE("a v1 token is cached until it expires") {
    test::TempDir dir;
    auto expiry = std::chrono::system_clock::now() + std::chrono::hours(1);
    auto plugin =
        write_plugin(dir, k_v1, {{"token", "tok-1"}, {"expirationTimestamp", rfc3339(expiry)}});
    ExecCredentialProvider provider(config_for(plugin, k_v1), Json::object());

    auto first = provider.credential();
    REQUIRE_MESSAGE(first.has_value(), first.error().message);
    CHECK(first->token == "tok-1");
    REQUIRE(first->expiry.has_value());
    CHECK(std::chrono::abs(*first->expiry - expiry) < std::chrono::seconds(1));
    auto second = provider.credential();
    REQUIRE(second.has_value());
    CHECK(runs(dir) == 1);

    SUBCASE("invalidate() after a rejection runs the plugin again") {
      provider.invalidate(*second);
      REQUIRE(provider.credential().has_value());
      CHECK(runs(dir) == 2);
    }
    SUBCASE("invalidating a credential that is no longer cached changes nothing") {
      ExecCredential stale = *second;
      stale.token = "older";
      provider.invalidate(stale);
      REQUIRE(provider.credential().has_value());
      CHECK(runs(dir) == 1);
    }
  }

  TEST_CASE("an expired credential is fetched again on every use") {
    test::TempDir dir;
    auto past = std::chrono::system_clock::now() - std::chrono::minutes(5);
    auto plugin =
        write_plugin(dir, k_v1, {{"token", "old"}, {"expirationTimestamp", rfc3339(past)}});
    ExecCredentialProvider provider(config_for(plugin, k_v1), Json::object());
    REQUIRE(provider.credential().has_value());
    REQUIRE(provider.credential().has_value());
    CHECK(runs(dir) == 2);
  }

  TEST_CASE("a v1beta1 plugin may return a client certificate; args and env reach it") {
    test::TempDir dir;
    auto plugin =
        write_plugin(dir, k_v1beta1, {{"clientCertificateData", "CERT"}, {"clientKeyData", "KEY"}});
    ExecConfig config = config_for(plugin, k_v1beta1);
    config.args = {"--flag", "value"};
    config.env = {{"PLUGIN_ENV", "from-kubeconfig"}};
    ExecCredentialProvider provider(config, Json::object());
    auto credential = provider.credential();
    REQUIRE_MESSAGE(credential.has_value(), credential.error().message);
    CHECK(credential->token.empty());
    CHECK(credential->client_certificate_pem == "CERT");
    CHECK(credential->client_key_pem == "KEY");
    CHECK_FALSE(credential->expiry.has_value()); // no expiry: cached for the whole run
    CHECK(*fs::read_file(dir / "args") == "--flag value\n");
    CHECK(*fs::read_file(dir / "env") == "from-kubeconfig\n");
  }

  TEST_CASE("KUBERNETES_EXEC_INFO carries the cluster only with provideClusterInfo") {
    test::TempDir dir;
    auto plugin = write_plugin(dir, k_v1, {{"token", "t"}});
    Json cluster = {{"server", "https://kube.test:6443"}, {"certificate-authority-data", "Q0E="}};

    SUBCASE("provided") {
      ExecConfig config = config_for(plugin, k_v1);
      config.cluster_info = ClusterInfo::provide;
      ExecCredentialProvider provider(config, cluster);
      REQUIRE(provider.credential().has_value());
      Json info = Json::parse(*fs::read_file(dir / "exec-info.json"));
      CHECK(info["apiVersion"] == k_v1);
      CHECK(info["kind"] == "ExecCredential");
      CHECK(info["spec"]["interactive"] == false);
      CHECK(info["spec"]["cluster"]["server"] == "https://kube.test:6443");
      CHECK(info["spec"]["cluster"]["certificate-authority-data"] == "Q0E=");
    }
    SUBCASE("omitted") {
      ExecCredentialProvider provider(config_for(plugin, k_v1), cluster);
      REQUIRE(provider.credential().has_value());
      Json info = Json::parse(*fs::read_file(dir / "exec-info.json"));
      CHECK_FALSE(info["spec"].contains("cluster"));
    }
  }

  TEST_CASE("resolve_rest_config passes the resolved cluster to the plugin") {
    test::TempDir dir;
    auto plugin = write_plugin(dir, k_v1, {{"token", "t"}});
    std::ofstream(dir / "config") << fmt::format(R"(current-context: c
clusters:
- name: c
  cluster:
    server: https://kube.test:6443
    tls-server-name: kube.internal
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {{audience: karmada}}
users:
- name: u
  user:
    exec:
      apiVersion: {}
      command: ./plugin.sh
      interactiveMode: Never
      provideClusterInfo: true
contexts:
- name: c
  context: {{cluster: c, user: u}}
)",
                                                 k_v1);
    ConnectionOptions options;
    options.kubeconfig = (dir / "config").string();
    Environment env;
    auto config = resolve_rest_config(options, env);
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    REQUIRE(config->auth.exec);
    auto credential = config->auth.exec->credential(); // ./plugin.sh relative to the kubeconfig
    REQUIRE_MESSAGE(credential.has_value(), credential.error().message);
    Json info = Json::parse(*fs::read_file(dir / "exec-info.json"));
    CHECK(info["spec"]["cluster"]["server"] == "https://kube.test:6443");
    CHECK(info["spec"]["cluster"]["tls-server-name"] == "kube.internal");
    CHECK(info["spec"]["cluster"]["config"]["audience"] == "karmada");
  }

  TEST_CASE("a missing plugin binary shows the install hint") {
    ExecConfig config;
    config.api_version = k_v1;
    config.command = "kctl-no-such-credential-plugin";
    config.install_hint = "brew install the-plugin";
    config.interactive_mode = InteractiveMode::never;
    ExecCredentialProvider provider(config, Json::object());
    auto credential = provider.credential();
    REQUIRE_FALSE(credential.has_value());
    CHECK(credential.error().message.find("executable kctl-no-such-credential-plugin not found") !=
          std::string::npos);
    CHECK(credential.error().message.find("brew install the-plugin") != std::string::npos);
  }

  TEST_CASE("plugin failures are errors") {
    test::TempDir dir;
    SUBCASE("non-zero exit") {
      auto path = dir / "fail.sh";
      std::ofstream(path) << "#!/bin/sh\nexit 3\n";
      ::chmod(path.c_str(), 0755);
      ExecCredentialProvider provider(config_for(path, k_v1), Json::object());
      auto credential = provider.credential();
      REQUIRE_FALSE(credential.has_value());
      CHECK(credential.error().message.find("exit code 3") != std::string::npos);
    }
    SUBCASE("a different apiVersion in the answer") {
      auto plugin = write_plugin(dir, k_v1beta1, {{"token", "t"}});
      ExecCredentialProvider provider(config_for(plugin, k_v1), Json::object());
      auto credential = provider.credential();
      REQUIRE_FALSE(credential.has_value());
      CHECK(credential.error().message.find("plugin returned version") != std::string::npos);
    }
    SUBCASE("interactiveMode Always without a terminal") {
      auto plugin = write_plugin(dir, k_v1, {{"token", "t"}});
      ExecConfig config = config_for(plugin, k_v1);
      config.interactive_mode = InteractiveMode::always;
      ExecCredentialProvider provider(config, Json::object());
      if (::isatty(0) == 0) {
        auto credential = provider.credential();
        REQUIRE_FALSE(credential.has_value());
        CHECK(credential.error().message.find("standard input is not a terminal") !=
              std::string::npos);
        CHECK(runs(dir) == 0);
      }
    }
  }

  TEST_CASE("a plugin printing more than k_max_exec_plugin_output_bytes is stopped") {
    test::TempDir dir;
    auto path = dir / "flood.sh";
    // Never ends by itself: only closing the pipe (SIGPIPE) stops it.
    std::ofstream(path) << "#!/bin/sh\nexec yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";
    ::chmod(path.c_str(), 0755);
    ExecCredentialProvider provider(config_for(path, k_v1), Json::object());
    auto credential = provider.credential();
    REQUIRE_FALSE(credential.has_value());
    CHECK(credential.error().message.find("its output is larger than 1 MiB, the limit") !=
          std::string::npos);
  }

  // Issue 20: a plugin that never exits hung the command, --request-timeout included.
  TEST_CASE("a plugin that runs past its limit is killed with what it started; the error says "
            "it timed out") {
    test::TempDir dir;
    SUBCASE("a plugin that never ends") {
      write_script(dir / "hang.sh",
                   "echo $$ > '" + (dir / "pid").string() + "'\nsleep 1000 &\necho $! > '" +
                       (dir / "child").string() + "'\nwait\n");
    }
    SUBCASE("a plugin that closes its output and stays") {
      write_script(dir / "hang.sh",
                   "echo $$ > '" + (dir / "pid").string() +
                       "'\nexec >&-\nsleep 1000 &\necho $! > '" + (dir / "child").string() +
                       "'\nwait\n");
    }
    ExecCredentialProvider provider(config_for(dir / "hang.sh", k_v1), Json::object());
    auto start = std::chrono::steady_clock::now();
    auto credential = provider.credential(std::chrono::milliseconds(1500));
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(credential.has_value());
    CHECK(credential.error().message == "exec plugin \"" + (dir / "hang.sh").string() +
                                            "\" timed out: it did not finish within 1.5s (the "
                                            "request timeout), and was stopped");
    CHECK(took >= std::chrono::milliseconds(1500));
    CHECK(took < std::chrono::seconds(5));
    // The plugin and the process it started (its process group) are gone.
    for (const char* name : {"pid", "child"}) {
      auto pid = read_pid(dir / name);
      REQUIRE_MESSAGE(pid > 0, name);
      CHECK_MESSAGE(gone_within(pid, std::chrono::seconds(2)), name);
    }
  }

  TEST_CASE("plugin_limit: k_exec_plugin_timeout, or a shorter request timeout") {
    CHECK(plugin_limit(std::chrono::milliseconds(0)).duration == k_exec_plugin_timeout);
    CHECK(plugin_limit(std::chrono::hours(1)).duration == k_exec_plugin_timeout);
    CHECK(plugin_limit(std::chrono::hours(1)).source == "the limit for exec plugins");
    CHECK(plugin_limit(std::chrono::seconds(5)).duration == std::chrono::seconds(5));
    CHECK(plugin_limit(std::chrono::seconds(5)).source == "the request timeout");
  }

  TEST_CASE("a plugin that exits is not waited for while a process it left holds its output") {
    test::TempDir dir;
    Json credential = {
        {"apiVersion", k_v1}, {"kind", "ExecCredential"}, {"status", {{"token", "t"}}}};
    write_script(dir / "leave.sh",
                 "sleep 1000 &\necho $! > '" + (dir / "left").string() + "'\necho '" +
                     credential.dump() + "'\n");
    ExecCredentialProvider provider(config_for(dir / "leave.sh", k_v1), Json::object());
    auto start = std::chrono::steady_clock::now();
    auto got = provider.credential();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    REQUIRE_MESSAGE(got.has_value(), got.error().message);
    CHECK(got->token == "t");
    // What a plugin leaves behind after a normal exit is its business; the test cleans up.
    pid_t left = read_pid(dir / "left");
    REQUIRE(left > 0);
    ::kill(left, SIGKILL);
  }

  // Found by tests/fuzz/fuzz_exec_credential: Json::value threw on fields of another type.
  TEST_CASE("ExecCredential fields of the wrong type are absent, not exceptions") {
    auto numbers = parse_exec_credential(
        R"({"apiVersion": 1, "kind": "ExecCredential", "status": {"token": 5}})", k_v1);
    REQUIRE_FALSE(numbers.has_value());
    CHECK(numbers.error().message.find("plugin returned version (none)") != std::string::npos);
    auto token =
        parse_exec_credential(std::string(R"({"apiVersion": ")") + k_v1 +
                                  R"(", "kind": "ExecCredential", "status": {"token": 5}})",
                              k_v1);
    REQUIRE_FALSE(token.has_value());
    CHECK(token.error().message == "exec plugin didn't return a token or cert/key pair");
  }

  TEST_CASE("an ExecCredential nested too deep is refused") {
    std::string deep = R"({"apiVersion":")" + std::string(k_v1) + R"(","x":)" +
                       std::string(2000, '[') + std::string(2000, ']') + "}";
    auto parsed = parse_exec_credential(deep, k_v1);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().message.find("nested deeper than 1000 levels") != std::string::npos);
  }

  TEST_CASE("parse_exec_credential validates the status") {
    CHECK_FALSE(parse_exec_credential("not json", k_v1).has_value());
    CHECK_FALSE(
        parse_exec_credential(
            R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})", k_v1)
            .has_value());
    auto half = parse_exec_credential(
        R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
          "status":{"clientCertificateData":"C"}})",
        k_v1);
    REQUIRE_FALSE(half.has_value());
    CHECK(half.error().message.find("both") != std::string::npos);
  }

} // TEST_SUITE
