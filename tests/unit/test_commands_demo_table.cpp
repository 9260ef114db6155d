// The demo's table of where the replicas landed (scripts/demo.sh with hack/guide/lib.sh), without
// clusters: lib.sh's row and table functions with the members' answers stubbed, laid out by the
// built binary's hidden `__columns` (get's layout). Printed once, aligned, and matching the
// patterns .ci/run checks.
#include "run_binary.hpp"
#include "util/fs.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

using kctl::test::run_karmadactl;

namespace {

const std::string k_source = KCTL_SOURCE_DIR;

// Runs `script` with bash, KCTL set to the built binary and hack/guide/lib.sh sourced.
kctl::test::RunResult
run_with_lib(const std::string& script) {
  kctl::test::TempDir dir;
  auto path = dir / "script.sh";
  std::string text = "set -euo pipefail\nKCTL='" + std::string(KCTL_BINARY) + "'\nWORK='" +
                     dir.path().string() + "'\nsource '" + k_source + "/hack/guide/lib.sh'\n" +
                     script;
  REQUIRE(kctl::fs::write_file_atomic(path, text, 0644));
  return run_karmadactl("'" + path.string() + "'", "/bin/bash");
}

std::vector<std::string>
lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

} // namespace

TEST_SUITE("commands::demo_table") {
  TEST_CASE("__columns lays out tab-separated rows as get's tables") {
    auto r = run_with_lib(
        "printf 'NAME\\tAGE\\na\\t1s\\nlonger-name\\t\\033[2J\\n' | \"$KCTL\" __columns");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == "NAME          AGE\n"
                   "a             1s\n"
                   "longer-name   ^[[2J\n");
    CHECK(r.err.empty());
  }

  TEST_CASE("the guide's four cases: one table, aligned, as .ci/run checks it") {
    // The members' answers as the guide's placements give them (guide_replicas stubbed).
    auto r = run_with_lib(R"(
guide_replicas() {
  case "$1/$2" in
    member2/nginx-names|member3/nginx-names|member1/nginx-labels|member3/nginx-labels) echo 3 ;;
    member1/nginx-weighted) echo 4 ;;
    member2/nginx-weighted) echo 2 ;;
    member1/nginx-duplicated|member2/nginx-duplicated) echo 6 ;;
    *) echo - ;;
  esac
}
rows=$WORK/landing.tsv
guide_landing_row nginx-names "by names [member2,member3], 3" >>"$rows"
guide_landing_row nginx-labels "by label environment=dev, 3" >>"$rows"
guide_landing_row nginx-weighted "Weighted 2:1 [member1,member2], 6" >>"$rows"
guide_landing_row nginx-duplicated "Duplicated [member1,member2], 6" >>"$rows"
guide_print_table "$rows"
)");
    INFO("stdout:\n", r.out, "\nstderr:\n", r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> lines = lines_of(r.out);
    REQUIRE(lines.size() == 5); // the header and four rows, once
    CHECK(lines[0].starts_with("POLICY (Deployment)"));
    // .ci/run's patterns (grep -E, line by line).
    for (const char* pattern : {R"(\(nginx-names\) +- +3 +3 *$)",
                                R"(\(nginx-labels\) +3 +- +3 *$)",
                                R"(\(nginx-weighted\) +4 +2 +- *$)",
                                R"(\(nginx-duplicated\) +6 +6 +- *$)"}) {
      std::regex re(pattern, std::regex::extended);
      int matched = 0;
      for (const auto& line : lines) {
        matched += std::regex_search(line, re) ? 1 : 0;
      }
      CHECK_MESSAGE(matched == 1, pattern);
    }
    // Aligned: each member's column starts where its header does, in every row, three spaces
    // after the longest title.
    std::size_t member1 = lines[0].find("member1");
    std::size_t member2 = lines[0].find("member2");
    std::size_t member3 = lines[0].find("member3");
    CHECK(member1 == std::string("Weighted 2:1 [member1,member2], 6 (nginx-weighted)").size() + 3);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      INFO(lines[i]);
      CHECK(lines[i][member1 - 1] == ' ');
      CHECK(lines[i][member1] != ' ');
      CHECK(lines[i][member2 - 1] == ' ');
      CHECK(lines[i][member2] != ' ');
      CHECK(lines[i][member3 - 1] == ' ');
      CHECK(lines[i][member3] != ' ');
    }
  }

  TEST_CASE("the demo prints its table once, through guide_print_table") {
    auto demo = kctl::fs::read_file(k_source + "/scripts/demo.sh");
    REQUIRE(demo);
    CHECK(demo->find("tee") == std::string::npos);
    std::size_t first = demo->find("guide_print_table");
    REQUIRE(first != std::string::npos);
    CHECK(demo->find("guide_print_table", first + 1) == std::string::npos);
  }

  TEST_CASE("the guide's labels: member3 gets environment=dev region=cn-south") {
    auto r = run_with_lib(R"(
inns() { printf '%s\n' "${*:2}"; }
KC=kc
guide_label_clusters
)");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("label clusters member1 environment=dev region=cn-north") !=
          std::string::npos);
    CHECK(r.out.find("label clusters member2 environment=staging region=cn-east") !=
          std::string::npos);
    CHECK(r.out.find("label clusters member3 environment=dev region=cn-south") !=
          std::string::npos);
    // The label policy still selects exactly the clusters labelled environment=dev.
    auto lib = kctl::fs::read_file(k_source + "/hack/guide/lib.sh");
    REQUIRE(lib);
    CHECK(lib->find("GUIDE_BY_LABEL='    clusterAffinity: {labelSelector: {matchLabels: "
                    "{environment: dev}}}'") != std::string::npos);
  }
}
