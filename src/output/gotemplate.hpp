// Go's text/template, as kubectl's -o go-template (and -o template) runs it: over the object as
// generic JSON, integers as int64 and other numbers as float64 (apimachinery's JSON decoding),
// with Go's builtin functions and kubectl's two extra ones, `base64decode` and `exists`
// (cli-runtime's printers/template.go). Actions, trim markers, comments, variables, pipelines,
// if/else if/else, range (arrays, maps in key order, integers; break, continue, else),
// with/else with, define/template/block. Not supported: methods (JSON has none) and `call`.
// Parsing and rendering are pure; every size is bounded (see the k_max_* constants).
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace kctl::output {

// The largest template accepted (kubectl's templates are one line or a small file).
inline constexpr std::size_t k_max_go_template_bytes = 1024 * 1024;
// How deeply actions (if/range/with/define) and parentheses may nest.
inline constexpr std::size_t k_max_go_template_nesting = 100;
// The largest text one rendering may produce.
inline constexpr std::size_t k_max_go_template_output = 64 * 1024 * 1024;
// How many {{template}} calls may be active at once (Go allows 100000; recursion this deep is a
// runaway template, not a listing).
inline constexpr std::size_t k_max_go_template_calls = 1000;
// How many range iterations one rendering may run in all (a range over an integer is not bounded
// by the data).
inline constexpr std::size_t k_max_go_template_iterations = 10'000'000;
// How many actions and nodes one rendering may evaluate in all, so that templates calling each
// other twice over (2^n calls) end with an error instead of running for ever.
inline constexpr std::size_t k_max_go_template_steps = 50'000'000;
// The widest field printf pads to (a "%999999999d" would otherwise allocate gigabytes).
inline constexpr std::size_t k_max_go_template_width = 10'000;

// The bounds of one rendering; the defaults are the constants above (the fuzz target lowers them).
struct GoTemplateLimits {
  std::size_t output_bytes = k_max_go_template_output;
  std::size_t iterations = k_max_go_template_iterations;
  std::size_t steps = k_max_go_template_steps;
};

class GoTemplate {
public:
  // Parses `text`; a usage error in Go's words ("template: output:1: unexpected {{end}}").
  static Result<GoTemplate> parse(std::string_view text);

  // Runs the template over `data`. A missing map key prints "<no value>" when
  // `allow_missing_keys` (kubectl's default), else is an error: `map has no entry for key "x"`.
  Result<std::string>
  render(const Json& data, bool allow_missing_keys, const GoTemplateLimits& limits = {}) const;

  struct Tree; // the parsed template; defined in the .cpp

private:
  std::shared_ptr<const Tree> m_tree;
};

} // namespace kctl::output
