// The command line as users and scripts meet it: exit codes, streams, flag spellings, plugin name.
#include "commands/flags.hpp"
#include "run_binary.hpp"
#include "util/json.hpp"
#include "util/yaml.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using kctl::test::run_karmadactl;

TEST_SUITE("commands::cli") {
  TEST_CASE("no arguments prints grouped help on stdout and exits 0") {
    auto r = run_karmadactl("");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("karmadactl controls a Kubernetes Cluster Federation.") != std::string::npos);
    CHECK(r.out.find("Other Commands:") != std::string::npos);
    CHECK(r.out.find("version") != std::string::npos);
    CHECK(r.err.empty());
  }

  TEST_CASE("an unknown command is an error whatever flags follow it, as with cobra") {
    for (const char* args :
         {"frobnicate", "frobnicate --help", "-v 3 frobnicate -h", "frobnicate x -o yaml"}) {
      auto r = run_karmadactl(args);
      INFO("karmadactl ", args);
      CHECK(r.exit_code == 1);
      CHECK(r.out.empty());
      CHECK(r.err == "error: unknown command \"frobnicate\" for \"karmadactl\"\n"
                     "Run 'karmadactl --help' for usage.\n");
    }
    // A known command's value that looks like a command name is no command.
    CHECK(run_karmadactl("-v 3 version -o json").exit_code == 0);
  }

  TEST_CASE("help [COMMAND...] prints the same help as --help; an unknown topic exits 1") {
    auto root = run_karmadactl("help");
    CHECK(root.exit_code == 0);
    CHECK(root.out == run_karmadactl("--help").out);
    auto nested = run_karmadactl("help token create");
    CHECK(nested.exit_code == 0);
    CHECK(nested.out == run_karmadactl("token create --help").out);
    CHECK(nested.out.find("--print-register-command") != std::string::npos);
    auto unknown = run_karmadactl("help nosuch");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err == "Unknown help topic [`nosuch`]\n");
    CHECK(unknown.out == root.out);
  }

  TEST_CASE("usage errors exit 2 with error: on stderr and a pointer to help") {
    auto bad_value = run_karmadactl("version -o xml");
    CHECK(bad_value.exit_code == 2);
    CHECK(bad_value.err.find("See 'karmadactl version --help' for usage.") != std::string::npos);
  }

  TEST_CASE("version prints upstream's text form and structured forms") {
    auto text = run_karmadactl("version");
    CHECK(text.exit_code == 0);
    CHECK(text.out.starts_with("karmadactl version: version.Info{GitVersion:\"v"));
    CHECK(text.out.find("Platform:\"linux/") != std::string::npos);

    auto json = run_karmadactl("version -o json");
    REQUIRE(json.exit_code == 0);
    auto parsed = kctl::Json::parse(json.out);
    for (const char* key : {"gitVersion", "gitCommit", "buildDate", "compiler", "platform"}) {
      CHECK(parsed.contains(key));
    }
    CHECK(parsed["karmadaVersion"] == "v1.18.2");

    auto yaml = run_karmadactl("version --output=yaml");
    REQUIRE(yaml.exit_code == 0);
    auto from_yaml = kctl::yaml::parse(yaml.out, "stdout");
    REQUIRE(from_yaml);
    CHECK(*from_yaml == parsed);
  }

  TEST_CASE("a repeated flag takes its last value, as with upstream") {
    auto r = run_karmadactl("version -o json -o yaml");
    CHECK(r.exit_code == 0);
    CHECK(r.out.starts_with("gitVersion: "));
  }

  TEST_CASE("-v and --v take a level") {
    auto r = run_karmadactl("--v=4 version -o json");
    CHECK(r.exit_code == 0);
    CHECK(run_karmadactl("version -v 2").exit_code == 0);
    CHECK(run_karmadactl("-v x version").exit_code == 2);
  }

  TEST_CASE("options lists the global flags") {
    auto r = run_karmadactl("options");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("The following options can be passed to any command:") != std::string::npos);
    CHECK(r.out.find("\n    -v, --v=0:\n\tnumber for the log level verbosity\n") !=
          std::string::npos);
    CHECK(r.out.find("--help") == std::string::npos);
  }

  TEST_CASE("invoked as kubectl-karmada it speaks as the kubectl plugin") {
    kctl::test::TempDir dir;
    auto link = dir / "kubectl-karmada";
    std::filesystem::create_symlink(std::filesystem::absolute(KCTL_BINARY), link);
    auto r = run_karmadactl("version --help", link.string());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("kubectl karmada version -o json") != std::string::npos);
    CHECK(r.out.find("karmadactl version") == std::string::npos);
    auto bad = run_karmadactl("nope", link.string());
    CHECK(bad.err == "error: unknown command \"nope\" for \"kubectl karmada\"\n"
                     "Run 'kubectl karmada --help' for usage.\n");
    auto bad_value = run_karmadactl("version -o xml", link.string());
    CHECK(bad_value.err.find("See 'kubectl karmada version --help'") != std::string::npos);
  }

  TEST_CASE("flag names may use _ for -, values and arguments after -- are untouched") {
    std::vector<std::string> args = {
        "--karmada_data=/a_b", "--cert_external_ip", "x_y", "-n", "--", "--keep_me"};
    auto normalized = kctl::cli::normalize_flag_names(args);
    CHECK(normalized ==
          std::vector<std::string>{
              "--karmada-data=/a_b", "--cert-external-ip", "x_y", "-n", "--", "--keep_me"});
  }

  TEST_CASE("a shorthand with = takes what follows as its value, as pflag's -v=10") {
    std::vector<std::string> args = {"-v=10", "-o=yaml", "-n=", "-x", "--", "-v=3"};
    CHECK(kctl::cli::normalize_flag_names(args) ==
          std::vector<std::string>{"-v", "10", "-o", "yaml", "-n", "", "-x", "--", "-v=3"});
    auto r = run_karmadactl("version -v=7 -o=json");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("\"gitVersion\"") != std::string::npos);
    CHECK(run_karmadactl("-v=x version").exit_code == 2);
  }
}

TEST_SUITE("commands::help") {
  TEST_CASE("root help lists the commands in kubectl's groups") {
    auto r = run_karmadactl("--help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.starts_with("karmadactl controls a Kubernetes Cluster Federation.\n\n"));
    // Upstream lists explain first.
    CHECK(r.out.find("Basic Commands:\n  explain ") != std::string::npos);
    CHECK(r.out.find("\nCluster Registration Commands:\n  init ") != std::string::npos);
    CHECK(r.out.find("\nUsage:\n  karmadactl [command] [options]\n") != std::string::npos);
    CHECK(r.out.find("Use \"karmadactl <command> --help\" for more information about a given "
                     "command.\n") != std::string::npos);
    CHECK(r.out.find("[OPTIONS]") == std::string::npos);
    CHECK(run_karmadactl("").out == r.out);
  }

  TEST_CASE("every command's help has kubectl's shape") {
    for (const char* command : {"init",
                                "deinit",
                                "register",
                                "unregister",
                                "join",
                                "unjoin",
                                "apply",
                                "get",
                                "token create",
                                "config images list",
                                "delete",
                                "version"}) {
      auto r = run_karmadactl(std::string(command) + " --help");
      INFO(command, "\n", r.out);
      CHECK(r.exit_code == 0);
      CHECK(r.out.find("Examples:\n  ") != std::string::npos);
      CHECK(r.out.find("\nOptions:\n    -") != std::string::npos);
      CHECK(r.out.find("\nUsage:\n  karmadactl " + std::string(command)) != std::string::npos);
      CHECK(r.out.find(" [options]\n\nUse \"karmadactl options\" for a list of global "
                       "command-line options") != std::string::npos);
      // Not CLI11's layout: no "TEXT" columns, no "[OPTIONS]".
      CHECK(r.out.find(" TEXT") == std::string::npos);
      CHECK(r.out.find("[OPTIONS]") == std::string::npos);
    }
  }

  TEST_CASE("a flag is listed as kubectl lists it: name=default, then the text after a tab") {
    auto r = run_karmadactl("register --help");
    CHECK(r.out.find("\n    -n, --namespace='karmada-system':\n\t") != std::string::npos);
    CHECK(r.out.find("\n    --dry-run=false:\n\t") != std::string::npos);
    auto token = run_karmadactl("token --help");
    CHECK(token.out.find("Available Commands:\n  create ") != std::string::npos);
    CHECK(token.out.find("Use \"karmadactl token <command> --help\"") != std::string::npos);
  }
}
