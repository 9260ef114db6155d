// The shared flag sets parsed as a user types them: what each spelling of --dry-run means, and
// bad selection values reported with the other flag problems instead of stopping the parse.
#include "commands/flag_sets.hpp"
#include "commands/flags.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace kctl;
using namespace kctl::cli;

namespace {

struct Parsed {
  Selection selection;
  DryRunFlag dry_run;
  Problems problems;
};

// Parses `args` (after the command name) with the selection flags and --dry-run in `style`.
void
parse(Parsed& p, DryRunStyle style, std::vector<std::string> args, SelectionFlags which = {}) {
  CLI::App app("test");
  bind_selection(app, p.selection, which);
  bind_dry_run(app, p.dry_run, style);
  defer_value_errors(app, p.problems);
  std::reverse(args.begin(), args.end()); // CLI11 takes them last first
  app.parse(args);
}

kube::DryRun
strategy_of(std::vector<std::string> args) {
  Parsed p;
  parse(p, DryRunStyle::strategy, std::move(args));
  CHECK(p.problems.empty());
  return p.dry_run.mode();
}

kube::DryRun
boolean_of(std::vector<std::string> args) {
  Parsed p;
  parse(p, DryRunStyle::boolean, std::move(args));
  CHECK(p.problems.empty());
  return p.dry_run.mode();
}

} // namespace

TEST_SUITE("commands::flag_sets") {
  TEST_CASE("kubectl's --dry-run strategy: none by default, a bare flag is client") {
    CHECK(strategy_of({}) == kube::DryRun::no);
    CHECK(strategy_of({"--dry-run"}) == kube::DryRun::client);
    CHECK(strategy_of({"--dry-run=client"}) == kube::DryRun::client);
    CHECK(strategy_of({"--dry-run=server"}) == kube::DryRun::server);
    CHECK(strategy_of({"--dry-run=none"}) == kube::DryRun::no);

    Parsed p;
    parse(p, DryRunStyle::strategy, {"--dry-run=server"});
    CHECK(p.dry_run.suffix() == " (server dry run)");
    CHECK(p.dry_run.requested());
  }

  TEST_CASE("upstream's boolean --dry-run: bare or true is a client dry run, false is none") {
    CHECK(boolean_of({}) == kube::DryRun::no);
    CHECK(boolean_of({"--dry-run"}) == kube::DryRun::client);
    CHECK(boolean_of({"--dry-run=true"}) == kube::DryRun::client);
    CHECK(boolean_of({"--dry-run=false"}) == kube::DryRun::no);

    Parsed p;
    parse(p, DryRunStyle::boolean, {"--dry-run"});
    CHECK(p.dry_run.suffix() == " (dry run)");
  }

  TEST_CASE("bad values are problems naming the flag as kubectl does, all of them at once") {
    Parsed p;
    parse(p, DryRunStyle::strategy, {"--dry-run=maybe", "-l", "a b", "-n", "Bad_NS!"});
    std::string all = p.problems.error("bad flags").message;
    CHECK(all.find("invalid argument \"maybe\" for \"--dry-run\" flag: must be one of none, "
                   "client, server") != std::string::npos);
    CHECK(all.find("invalid argument \"a b\" for \"-l, --selector\" flag: unable to parse") !=
          std::string::npos);
    CHECK(all.find("invalid argument \"Bad_NS!\" for \"-n, --namespace\" flag") !=
          std::string::npos);
    CHECK_FALSE(p.dry_run.requested()); // a rejected value falls back to the default

    Parsed b;
    parse(b, DryRunStyle::boolean, {"--dry-run=client"});
    CHECK(b.problems.error("bad flags").message.find("must be one of true, false") !=
          std::string::npos);
  }

  TEST_CASE("selection flags land in one Selection; a command without namespaces has none") {
    Parsed p;
    parse(p, DryRunStyle::strategy, {"-l", "env in (dev,prod)", "--all", "-A", "-n", "web"});
    CHECK(p.problems.empty());
    CHECK(p.selection.label_selector == "env in (dev,prod)");
    CHECK(p.selection.all);
    CHECK(p.selection.all_namespaces);
    CHECK(p.selection.namespace_name == "web");

    Parsed clusters;
    CHECK_THROWS_AS(
        parse(clusters, DryRunStyle::boolean, {"-n", "web"}, {.all = true, .namespaces = false}),
        CLI::ExtrasError);
  }
}
