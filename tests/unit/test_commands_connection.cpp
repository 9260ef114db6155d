// Connection flags: hoisting flags written before the command name, and errors that name the role.
#include "commands/connection.hpp"

#include <doctest/doctest.h>

using namespace kctl;
using namespace kctl::cli;

using Args = std::vector<std::string>;

TEST_SUITE("commands.connection") {

  TEST_CASE("flags before the command name move behind it") {
    CHECK(hoist_connection_flags({"--kubeconfig", "/k", "join", "m1", "--cluster-kubeconfig=/m"}) ==
          Args{"join", "m1", "--cluster-kubeconfig=/m", "--kubeconfig", "/k"});
    CHECK(hoist_connection_flags({"--kubeconfig=/k", "-v", "4", "get", "clusters"}) ==
          Args{"-v", "4", "get", "clusters", "--kubeconfig=/k"});
    CHECK(hoist_connection_flags({"--karmada-context", "c", "-n", "ns", "token", "create"}) ==
          Args{"token", "create", "--karmada-context", "c", "-n", "ns"});
    // Nothing after a bare "--" moves, and hoisted flags stay in front of it.
    CHECK(hoist_connection_flags({"--kubeconfig", "/k", "apply", "--", "--kubeconfig", "x"}) ==
          Args{"apply", "--kubeconfig", "/k", "--", "--kubeconfig", "x"});
    // Without such flags the arguments are untouched.
    CHECK(hoist_connection_flags({"join", "m1", "--kubeconfig", "/k"}) ==
          Args{"join", "m1", "--kubeconfig", "/k"});
    CHECK(hoist_connection_flags({"--help"}) == Args{"--help"});
  }

  TEST_CASE("connect names the cluster whose configuration is wrong") {
    ConnectionFlags flags;
    flags.kubeconfig = "/nonexistent/kubeconfig";
    auto connection = connect(flags, ClusterRole::karmada);
    REQUIRE_FALSE(connection);
    CHECK(connection.error().message.starts_with("Karmada API server: "));
    CHECK(connection.error().message.find("/nonexistent/kubeconfig") != std::string::npos);
  }

  TEST_CASE("--request-timeout is bound for every role (issue 12)") {
    for (auto role : {ClusterRole::karmada, ClusterRole::host, ClusterRole::member}) {
      CLI::App app;
      ConnectionFlags flags;
      bind_connection_flags(app, flags, role);
      app.parse(std::vector<std::string>{"5s", "--request-timeout"}); // CLI11 takes them reversed
      CHECK(flags.request_timeout == "5s");
    }
  }
}
