// Kubeconfig loading, merging and selection, as kubectl does it.
#include "kube/rest_config.hpp"
#include "testutil.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace kctl;
using namespace kctl::kube;

namespace {

std::filesystem::path
write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

// An environment with nothing set, so the real $HOME and $KUBECONFIG never leak into a test.
Environment
empty_env(const test::TempDir& dir) {
  Environment env;
  env.home = dir / "home";
  env.service_account_dir = dir / "no-service-account";
  return env;
}

std::string
data_file(const std::string& name) {
  return (std::filesystem::path(KCTL_TEST_DATA_DIR) / "kube" / name).string();
}

const char* const k_first = R"(apiVersion: v1
kind: Config
current-context: one
clusters:
- name: shared
  cluster:
    server: https://first.example.test:6443
- name: only-first
  cluster:
    server: https://only-first.example.test
users:
- name: alice
  user:
    token: first-token
contexts:
- name: one
  context: {cluster: shared, user: alice, namespace: first-ns}
)";

const char* const k_second = R"(apiVersion: v1
kind: Config
current-context: two
clusters:
- name: shared
  cluster:
    server: https://second.example.test:6443
- name: only-second
  cluster:
    server: https://only-second.example.test:8443
users:
- name: alice
  user:
    token: second-token
- name: bob
  user:
    token: bob-token
contexts:
- name: one
  context: {cluster: only-second, user: bob}
- name: two
  context: {cluster: only-second, user: bob}
)";

} // namespace

TEST_SUITE("kube.kubeconfig") {

  TEST_CASE("a KUBECONFIG list merges with the first file winning per name") {
    test::TempDir dir;
    auto first = write(dir / "a" / "config", k_first);
    auto second = write(dir / "b" / "config", k_second);
    Environment env = empty_env(dir);
    env.kubeconfig_env =
        (dir / "missing.yaml").string() + ":" + first.string() + "::" + second.string();

    SUBCASE("current-context and the stanzas come from the first file that sets them") {
      auto config = resolve_rest_config({}, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->context_name == "one");
      CHECK(config->server == "https://first.example.test:6443");
      CHECK(config->auth.token == "first-token");
      CHECK(config->namespace_name == "first-ns");
    }
    SUBCASE("names defined only in a later file are visible") {
      ConnectionOptions options;
      options.context = "two";
      auto config = resolve_rest_config(options, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://only-second.example.test:8443");
      CHECK(config->auth.token == "bob-token");
      CHECK(config->namespace_name == "default");
    }
    SUBCASE("--cluster and --user override the context's choice") {
      ConnectionOptions options;
      options.cluster = "only-first";
      options.user = "bob";
      auto config = resolve_rest_config(options, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://only-first.example.test");
      CHECK(config->auth.token == "bob-token");
    }
  }

  TEST_CASE("current-context comes from the first file that sets one, even if it is not first") {
    test::TempDir dir;
    auto first = write(dir / "first", R"(apiVersion: v1
clusters:
- name: c
  cluster: {server: "https://no-context.example.test"}
)");
    auto second = write(dir / "second", k_second);
    Environment env = empty_env(dir);
    env.kubeconfig_env = first.string() + ":" + second.string();
    auto config = resolve_rest_config({}, env);
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    CHECK(config->context_name == "two");
    CHECK(config->server == "https://only-second.example.test:8443");
  }

  TEST_CASE("--kubeconfig reads exactly one file and ignores KUBECONFIG") {
    test::TempDir dir;
    auto first = write(dir / "first", k_first);
    auto second = write(dir / "second", k_second);
    Environment env = empty_env(dir);
    env.kubeconfig_env = first.string();
    ConnectionOptions options;
    options.kubeconfig = second.string();
    auto config = resolve_rest_config(options, env);
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    CHECK(config->context_name == "two");

    SUBCASE("a context only in the other file is not found, and the error lists what exists") {
      options.context = "missing";
      auto failed = resolve_rest_config(options, env);
      REQUIRE_FALSE(failed.has_value());
      CHECK(failed.error().message.find("context \"missing\" not found") != std::string::npos);
      CHECK(failed.error().message.find("one, two") != std::string::npos);
      CHECK(failed.error().message.find(second.string()) != std::string::npos);
    }
    SUBCASE("a missing explicit file is an error naming it") {
      options.kubeconfig = (dir / "nope").string();
      auto failed = resolve_rest_config(options, env);
      REQUIRE_FALSE(failed.has_value());
      CHECK(failed.error().message.find((dir / "nope").string()) != std::string::npos);
      CHECK(failed.error().message.find("--kubeconfig") != std::string::npos);
    }
  }

  TEST_CASE("~/.kube/config is used when KUBECONFIG is not set") {
    test::TempDir dir;
    Environment env = empty_env(dir);
    write(env.home / ".kube" / "config", k_first);
    auto config = resolve_rest_config({}, env);
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    CHECK(config->server == "https://first.example.test:6443");
  }

  TEST_CASE("flags override the kubeconfig") {
    ConnectionOptions options;
    options.kubeconfig = data_file("two-contexts.kubeconfig");
    test::TempDir dir;
    Environment env = empty_env(dir);

    SUBCASE("the file alone") {
      auto config = resolve_rest_config(options, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://dev.example.test:6443");
      CHECK(config->tls.ca_pem ==
            "-----BEGIN CERTIFICATE-----\ndev-ca\n-----END CERTIFICATE-----\n");
      CHECK(config->tls.server_name == "kubernetes.default");
      CHECK(config->tls.verification == TlsVerification::verify);
      CHECK(config->namespace_name == "dev-ns");
      CHECK(config->timeout.count() == 0);
    }
    SUBCASE("-s, --token, -n, --request-timeout, --tls-server-name") {
      options.server = "https://override.example.test:7443/";
      options.token = "flag-token";
      options.namespace_name = "flag-ns";
      options.request_timeout = "1m30s";
      options.tls_server_name = "other.name";
      auto config = resolve_rest_config(options, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://override.example.test:7443");
      CHECK(config->auth.token == "flag-token");
      CHECK(config->namespace_name == "flag-ns");
      CHECK(config->timeout == std::chrono::seconds(90));
      CHECK(config->tls.server_name == "other.name");
    }
    SUBCASE("a bare --request-timeout number means seconds") {
      options.request_timeout = "5";
      auto config = resolve_rest_config(options, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->timeout == std::chrono::seconds(5));
    }
    SUBCASE("a bad --request-timeout is an error naming the flag") {
      options.request_timeout = "soon";
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("--request-timeout") != std::string::npos);
    }
    SUBCASE("--insecure-skip-tls-verify drops the kubeconfig CA") {
      options.tls_verification = TlsVerification::skip;
      auto config = resolve_rest_config(options, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->tls.verification == TlsVerification::skip);
      CHECK(config->tls.ca_pem.empty());
    }
    SUBCASE("the other context: basic auth, proxy-url and disable-compression") {
      options.context = "prod";
      auto config = resolve_rest_config(options, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->auth.username == "admin");
      CHECK(config->auth.password == "secret");
      CHECK(config->proxy_url == "socks5://proxy.example.test:1080");
      CHECK(config->compression == Compression::disabled);
      CHECK(config->tls.ca_pem.empty());
    }
  }

  TEST_CASE("-s and --token work without any kubeconfig") {
    test::TempDir dir;
    ConnectionOptions options;
    options.server = "kube.example.test:6443";
    options.token = "t";
    auto config = resolve_rest_config(options, empty_env(dir));
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    CHECK(config->server == "https://kube.example.test:6443");
    CHECK(config->auth.token == "t");
  }

  TEST_CASE("relative paths resolve against the kubeconfig that names them") {
    test::TempDir dir;
    write(dir / "cfg" / "pki" / "ca.crt", "CA PEM");
    write(dir / "cfg" / "pki" / "client.crt", "CERT PEM");
    write(dir / "cfg" / "pki" / "client.key", "KEY PEM");
    write(dir / "cfg" / "token", "file-token\n");
    auto path = write(dir / "cfg" / "config", R"(apiVersion: v1
current-context: c
clusters:
- name: c
  cluster: {server: "https://10.1.2.3:6443", certificate-authority: pki/ca.crt}
users:
- name: u
  user: {client-certificate: pki/client.crt, client-key: pki/client.key, tokenFile: token}
contexts:
- name: c
  context: {cluster: c, user: u}
)");
    Environment env = empty_env(dir);
    env.kubeconfig_env = path.string();
    auto config = resolve_rest_config({}, env);
    REQUIRE_MESSAGE(config.has_value(), config.error().message);
    CHECK(config->tls.ca_pem == "CA PEM");
    CHECK(config->tls.client_certificate_pem == "CERT PEM");
    CHECK(config->tls.client_key_pem == "KEY PEM");
    CHECK(config->auth.token_file == dir / "cfg" / "token");
  }

  TEST_CASE("in-cluster configuration is the fallback when no kubeconfig exists") {
    test::TempDir dir;
    Environment env = empty_env(dir);
    env.service_account_dir = dir / "sa";
    write(env.service_account_dir / "token", "sa-token");
    write(env.service_account_dir / "ca.crt", "SA CA");
    write(env.service_account_dir / "namespace", "karmada-system\n");
    env.service_host = "10.96.0.1";
    env.service_port = "443";

    SUBCASE("service account token, CA and namespace") {
      auto config = resolve_rest_config({}, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://10.96.0.1:443");
      CHECK(config->auth.token_file == env.service_account_dir / "token");
      CHECK(config->tls.ca_pem == "SA CA");
      CHECK(config->namespace_name == "karmada-system");
    }
    SUBCASE("an IPv6 service host is bracketed") {
      env.service_host = "fd00::1";
      auto config = resolve_rest_config({}, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://[fd00::1]:443");
    }
    SUBCASE("a KUBECONFIG whose files are all missing still falls back") {
      env.kubeconfig_env = (dir / "missing").string();
      auto config = resolve_rest_config({}, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://10.96.0.1:443");
    }
    SUBCASE("a kubeconfig, when present, wins") {
      write(env.home / ".kube" / "config", k_first);
      auto config = resolve_rest_config({}, env);
      REQUIRE_MESSAGE(config.has_value(), config.error().message);
      CHECK(config->server == "https://first.example.test:6443");
    }
    SUBCASE("a missing token file is named") {
      std::filesystem::remove(env.service_account_dir / "token");
      auto config = resolve_rest_config({}, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find((env.service_account_dir / "token").string()) !=
            std::string::npos);
    }
  }

  TEST_CASE("with nothing configured the error says what was tried and what to pass") {
    test::TempDir dir;
    auto config = resolve_rest_config({}, empty_env(dir));
    REQUIRE_FALSE(config.has_value());
    const std::string& message = config.error().message;
    CHECK(message.find("missing or incomplete configuration info") != std::string::npos);
    CHECK(message.find("$KUBECONFIG (not set)") != std::string::npos);
    CHECK(message.find((dir / "home" / ".kube" / "config").string()) != std::string::npos);
    CHECK(message.find("KUBERNETES_SERVICE_HOST") != std::string::npos);
    CHECK(message.find("pass --kubeconfig") != std::string::npos);
    CHECK(config.error().reason == "Configuration");
  }

  TEST_CASE("bad kubeconfigs give errors that name the file") {
    test::TempDir dir;
    Environment env = empty_env(dir);
    ConnectionOptions options;

    SUBCASE("malformed YAML names the file and the line") {
      options.kubeconfig = data_file("malformed.kubeconfig");
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find(data_file("malformed.kubeconfig") + ":") !=
            std::string::npos);
    }
    SUBCASE("a referenced certificate file that is missing is named") {
      options.kubeconfig = write(dir / "config", R"(current-context: c
clusters:
- name: c
  cluster: {server: "https://x.test", certificate-authority: does-not-exist.crt}
contexts:
- name: c
  context: {cluster: c}
)")
                               .string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find((dir / "does-not-exist.crt").string()) !=
            std::string::npos);
      CHECK(config.error().message.find("certificate-authority") != std::string::npos);
    }
    SUBCASE("bad base64 in a -data field names the file and the entry") {
      options.kubeconfig = write(dir / "config", R"(users:
- name: u
  user: {client-key-data: "!!!not base64!!!"}
)")
                               .string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("users[u].user.client-key-data") != std::string::npos);
      CHECK(config.error().message.find((dir / "config").string()) != std::string::npos);
    }
    SUBCASE("a list where a mapping belongs") {
      options.kubeconfig = write(dir / "config", "clusters: {a: b}\n").string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("clusters: expected a list") != std::string::npos);
    }
    SUBCASE("auth-provider is refused with a pointer to exec plugins") {
      options.kubeconfig = write(dir / "config", R"(current-context: c
clusters:
- name: c
  cluster: {server: "https://x.test"}
users:
- name: u
  user:
    auth-provider: {name: oidc, config: {idp-issuer-url: "https://issuer"}}
contexts:
- name: c
  context: {cluster: c, user: u}
)")
                               .string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("auth-provider \"oidc\" is not supported") !=
            std::string::npos);
      CHECK(config.error().message.find("exec") != std::string::npos);
    }
    SUBCASE("insecure-skip-tls-verify together with a CA is refused") {
      options.kubeconfig = write(dir / "config", R"(current-context: c
clusters:
- name: c
  cluster: {server: "https://x.test", insecure-skip-tls-verify: true, certificate-authority-data: Q0E=}
contexts:
- name: c
  context: {cluster: c}
)")
                               .string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("insecure") != std::string::npos);
    }
    SUBCASE("a client certificate without a key is refused") {
      options.kubeconfig = write(dir / "config", R"(current-context: c
clusters:
- name: c
  cluster: {server: "https://x.test"}
users:
- name: u
  user: {client-certificate-data: Q0VSVA==}
contexts:
- name: c
  context: {cluster: c, user: u}
)")
                               .string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("client key") != std::string::npos);
    }
    SUBCASE("a context naming an unknown cluster") {
      options.kubeconfig = write(dir / "config", R"(current-context: c
contexts:
- name: c
  context: {cluster: nowhere}
)")
                               .string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("cluster \"nowhere\" of context \"c\" not found") !=
            std::string::npos);
    }
    SUBCASE("no current context and no --context") {
      options.kubeconfig = write(dir / "config", R"(clusters:
- name: c
  cluster: {server: "https://x.test"}
contexts:
- name: c
  context: {cluster: c}
)")
                               .string();
      auto config = resolve_rest_config(options, env);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message.find("current-context is not set") != std::string::npos);
      CHECK(config.error().message.find("--context") != std::string::npos);
    }
  }

  TEST_CASE("exec stanzas are parsed with client-go's rules") {
    test::TempDir dir;
    SUBCASE("all fields") {
      auto parsed = parse_kubeconfig(R"(users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/plugin
      args: [get-token, --cluster=x]
      env: [{name: FOO, value: bar}]
      installHint: install it
      provideClusterInfo: true
      interactiveMode: Never
)",
                                     dir / "config");
      REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
      const ExecConfig& exec = *parsed->users.at("u").exec;
      CHECK(exec.command == "./bin/plugin");
      CHECK(exec.args == std::vector<std::string>{"get-token", "--cluster=x"});
      REQUIRE(exec.env.size() == 1);
      CHECK(exec.env[0].first == "FOO");
      CHECK(exec.install_hint == "install it");
      CHECK(exec.cluster_info == ClusterInfo::provide);
      CHECK(exec.interactive_mode == InteractiveMode::never);
      CHECK(exec.base_dir == dir.path());
    }
    SUBCASE("v1 requires interactiveMode") {
      auto parsed = parse_kubeconfig(R"(users:
- name: u
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: x}
)",
                                     dir / "config");
      REQUIRE_FALSE(parsed.has_value());
      CHECK(parsed.error().message.find("interactiveMode must be specified") != std::string::npos);
    }
    SUBCASE("v1beta1 defaults to IfAvailable") {
      auto parsed = parse_kubeconfig(R"(users:
- name: u
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: x}
)",
                                     dir / "config");
      REQUIRE_MESSAGE(parsed.has_value(), parsed.error().message);
      CHECK(parsed->users.at("u").exec->interactive_mode == InteractiveMode::if_available);
    }
  }

  // Issue 20: a token and a password were accepted, the password silently ignored.
  TEST_CASE("a user with a token and a username or password is refused, as client-go refuses it") {
    test::TempDir dir;
    auto resolve = [&](const std::string& user_fields) {
      auto path = write(dir / "config",
                        "current-context: c\nclusters:\n- name: k\n  cluster: {server: "
                        "https://k.example.test}\nusers:\n- name: carol\n  user:\n" +
                            user_fields +
                            "- name: other\n  user: {token: t, username: u, password: p}\n"
                            "contexts:\n- name: c\n  context: {cluster: k, user: carol}\n");
      write(dir / "token", "file-token\n");
      ConnectionOptions options;
      options.kubeconfig = path.string();
      return resolve_rest_config(options, empty_env(dir));
    };
    auto refused = [&](const std::string& user_fields, const std::string& found) {
      auto config = resolve(user_fields);
      REQUIRE_FALSE(config.has_value());
      CHECK(config.error().message ==
            "user \"carol\" in " + (dir / "config").string() +
                ": more than one authentication method found for carol; found " + found +
                ", only one is allowed (keep the " + found.substr(1, found.find(' ') - 1) +
                " or the username and password)");
    };
    refused("    token: t\n    username: admin\n    password: secret\n", "[token basicAuth]");
    refused("    token: t\n    password: secret\n", "[token basicAuth]");
    refused("    token: t\n    username: admin\n", "[token basicAuth]");
    refused("    tokenFile: token\n    username: admin\n    password: secret\n",
            "[tokenFile basicAuth]");
    // One method each (the other user's conflict does not matter: it is not used). A token with
    // a token file is one method (the token is used); a client certificate goes with any; an
    // exec plugin is used only when neither a token nor basic auth is set, as in client-go.
    for (const char* fields : {"    token: t\n    tokenFile: token\n",
                               "    username: admin\n    password: secret\n",
                               "    token: t\n    client-certificate-data: Y2VydA==\n"
                               "    client-key-data: a2V5\n",
                               "    token: t\n    exec: {apiVersion: "
                               "client.authentication.k8s.io/v1beta1, command: x}\n"}) {
      auto config = resolve(fields);
      CHECK_MESSAGE(config.has_value(), fields);
    }
  }

  TEST_CASE("split_kubeconfig_env drops empty entries and repeats") {
    auto paths = split_kubeconfig_env("/a::/b:/a:");
    REQUIRE(paths.size() == 2);
    CHECK(paths[0] == "/a");
    CHECK(paths[1] == "/b");
  }

  TEST_CASE("a kubeconfig with alias bombs or over the size limit is refused (issue 12)") {
    test::TempDir dir;
    auto path = dir / "config";
    SUBCASE("billion laughs") {
      std::string text = "a: &a [x, x, x, x, x, x, x, x, x]\n";
      for (char level = 'b'; level <= 'i'; ++level) {
        text += std::string(1, level) + ": &" + level + " [";
        for (int i = 0; i < 9; ++i) {
          text += std::string(i == 0 ? "" : ", ") + "*" + static_cast<char>(level - 1);
        }
        text += "]\n";
      }
      std::ofstream(path) << text;
      auto config = load_kubeconfig_file(path);
      REQUIRE_FALSE(config);
      CHECK_MESSAGE(config.error().message.starts_with(path.string() + ":"),
                    config.error().message);
      CHECK(config.error().message.find("excessive aliasing") != std::string::npos);
    }
    SUBCASE("too large") {
      std::ofstream(path) << "# " << std::string(k_max_kubeconfig_bytes, 'x') << "\n";
      auto config = load_kubeconfig_file(path);
      REQUIRE_FALSE(config);
      CHECK(config.error().message ==
            path.string() + ": larger than 16 MiB, the limit for a kubeconfig");
    }
  }

} // TEST_SUITE
