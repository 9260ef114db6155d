// Go's text/template as kubectl's -o go-template runs it. The expected texts of the table were
// produced by Go's own text/template (go1.26) over the same JSON decoded as kubectl decodes it
// (integers int64, other numbers float64), with missingkey=default or missingkey=error.
#include "output/gotemplate.hpp"
#include "util/json_parse.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using kctl::Json;
using kctl::output::GoTemplate;
using kctl::output::GoTemplateLimits;

namespace {

enum class Outcome { ok, parse_error, exec_error };

struct Case {
  const char* text;
  const char* data;
  bool allow_missing_keys;
  Outcome outcome;
  const char* expected; // the output, or the whole error message
};

// clang-format off
const Case k_cases[] = {
#include "test_output_gotemplate_cases.inc"
};
// clang-format on

std::string
run_case(const Case& c) {
  auto parsed = GoTemplate::parse(c.text);
  if (!parsed) {
    return "parse: " + parsed.error().message;
  }
  auto data = kctl::json::parse(c.data);
  REQUIRE(data);
  auto rendered = parsed->render(*data, c.allow_missing_keys);
  if (!rendered) {
    return "exec: " + rendered.error().message;
  }
  return "ok: " + *rendered;
}

std::string
expected_of(const Case& c) {
  switch (c.outcome) {
  case Outcome::ok:
    return std::string("ok: ") + c.expected;
  case Outcome::parse_error:
    return std::string("parse: ") + c.expected;
  case Outcome::exec_error:
    break;
  }
  return std::string("exec: ") + c.expected;
}

std::string
render(std::string_view text, const Json& data, bool allow = true, GoTemplateLimits limits = {}) {
  auto parsed = GoTemplate::parse(text);
  REQUIRE(parsed);
  auto rendered = parsed->render(data, allow, limits);
  return rendered ? *rendered : "error: " + rendered.error().message;
}

} // namespace

TEST_CASE("gotemplate: Go's text/template facts over JSON") {
  for (const auto& c : k_cases) {
    CAPTURE(c.text);
    CAPTURE(c.data);
    CHECK(run_case(c) == expected_of(c));
  }
}

TEST_CASE("gotemplate: kubectl's exists") {
  Json data = Json::parse(R"({"m":{"a":1,"n":null,"d":{"x":[1]}},"l":[1]})");
  CHECK(render(R"({{exists .m "a"}} {{exists .m "b"}} {{exists .m "n"}})", data) ==
        "true false false");
  CHECK(render(R"({{exists .m "d" "x" 0}} {{exists .m "d" "x" 1}} {{exists .l 0}})", data) ==
        "true false true");
  CHECK(render(R"({{exists .l "a"}} {{exists .m 1}} {{exists .missing "a"}})", data) ==
        "false false false");
  CHECK(render(R"({{if exists . "m"}}has m{{end}})", data) == "has m");
}

TEST_CASE("gotemplate: kubectl's usual templates over objects and Lists") {
  Json list = Json::parse(R"({"apiVersion":"v1","kind":"List","items":[
    {"metadata":{"name":"member1","labels":{"env":"prod"}},"spec":{"syncMode":"Push"},
     "status":{"conditions":[{"type":"Ready","status":"True"}]}},
    {"metadata":{"name":"member2"},"spec":{"syncMode":"Pull"},"status":{}}]})");
  CHECK(render(R"({{range .items}}{{.metadata.name}} {{.spec.syncMode}}{{"\n"}}{{end}})", list) ==
        "member1 Push\nmember2 Pull\n");
  CHECK(render(R"({{range .items}}{{.metadata.name}}={{.metadata.labels.env}};{{end}})", list) ==
        "member1=prod;member2=<no value>;");
  CHECK(render(R"({{range .items}}{{range .status.conditions}}{{.type}}={{.status}}{{end}}{{end}})",
               list) == "Ready=True");
  CHECK(render(R"({{len .items}})", list) == "2");
  CHECK(render(R"({{(index .items 1).metadata.name}})", list) == "member2");
}

TEST_CASE("gotemplate: missing keys error when they are not allowed") {
  Json data = Json::parse(R"({"metadata":{"name":"a"}})");
  CHECK(render("{{.metadata.uid}}", data, true) == "<no value>");
  CHECK(render("{{.metadata.uid}}", data, false) ==
        "error: template: output:1:11: executing \"output\" at <.metadata.uid>: map has no entry "
        "for key \"uid\"");
  CHECK(render("{{.metadata.name}}", data, false) == "a");
  // A missing key is no error where a function asks for it.
  CHECK(render(R"({{index .metadata "uid"}})", data, false) == "<no value>");
}

TEST_CASE("gotemplate: every size is bounded") {
  Json data = Json::parse(R"({"l":[1,2,3]})");
  SUBCASE("template text") {
    auto parsed = GoTemplate::parse(std::string(kctl::output::k_max_go_template_bytes + 1, 'x'));
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find("more than the 1048576 accepted") != std::string::npos);
    CHECK(parsed.error().reason == kctl::k_reason_usage);
  }
  SUBCASE("nesting of actions and parentheses") {
    std::string deep;
    for (int i = 0; i < 101; ++i) {
      deep += "{{if 1}}";
    }
    auto parsed = GoTemplate::parse(deep);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message == "template: output:1: nesting too deep (more than 100 levels)");
    auto parens =
        GoTemplate::parse("{{" + std::string(101, '(') + "1" + std::string(101, ')') + "}}");
    REQUIRE_FALSE(parens);
    CHECK(parens.error().message.find("nesting too deep") != std::string::npos);
    std::string fine;
    for (int i = 0; i < 50; ++i) {
      fine += "{{if 1}}";
    }
    for (int i = 0; i < 50; ++i) {
      fine += "{{end}}";
    }
    CHECK(GoTemplate::parse(fine));
  }
  SUBCASE("output") {
    GoTemplateLimits limits;
    limits.output_bytes = 10;
    CHECK(render("{{range 4}}abc{{end}}", data, true, limits) ==
          "error: template: output: the output is larger than 10 bytes");
    CHECK(render("{{range 3}}abc{{end}}", data, true, limits) == "abcabcabc");
  }
  SUBCASE("range iterations") {
    GoTemplateLimits limits;
    limits.iterations = 5;
    CHECK(render("{{range 5}}{{.}}{{end}}", data, true, limits) == "01234");
    CHECK(render("{{range 6}}{{.}}{{end}}", data, true, limits) ==
          "error: template: output:1:2: executing \"output\" at <{{range 6}}>: range ran more "
          "than 5 iterations");
  }
  SUBCASE("steps, so that doubling calls end") {
    std::string text = R"({{define "t0"}}x{{end}})";
    for (int i = 1; i <= 40; ++i) {
      text += fmt::format(
          R"({{{{define "t{}"}}}}{{{{template "t{}"}}}}{{{{template "t{}"}}}}{{{{end}}}})",
          i,
          i - 1,
          i - 1);
    }
    text += R"({{template "t40"}})";
    GoTemplateLimits limits;
    limits.steps = 100'000;
    std::string out = render(text, data, true, limits);
    CHECK(out.find("the template ran more than 100000 steps") != std::string::npos);
  }
  SUBCASE("template recursion") {
    std::string out = render(R"({{define "r"}}{{template "r" .}}{{end}}{{template "r" .}})", data);
    CHECK(out.find("exceeded maximum template depth (1000)") != std::string::npos);
  }
  SUBCASE("printf widths") {
    CHECK(render(R"({{printf "%10000d" 1}})", data).size() == 10000);
    CHECK(render(R"({{printf "%10001d" 1}})", data).find("above 10000 is not supported") !=
          std::string::npos);
  }
}

TEST_CASE("gotemplate: hostile input neither crashes nor hangs") {
  // Cut at every byte, each prefix of a template that uses most of the grammar must parse or
  // fail cleanly, and render or fail cleanly.
  std::string text =
      R"({{- define "x" -}}{{.}}{{end}}{{/* c */}}{{range $i, $e := .l}}{{if and $i (gt $e 1)}})"
      R"({{printf "%05.1f|%-3s|%q" 1.5 "a" $e}}{{else if eq $e 1}}{{template "x" $e}}{{else}})"
      R"({{break}}{{end}}{{end}}{{with $v := index .m "k"}}{{$v | len}}{{end}}{{`raw`}}{{'c'}})";
  Json data = Json::parse(R"({"l":[1,2,3],"m":{"k":"value"}})");
  std::size_t parsed = 0;
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    auto tmpl = GoTemplate::parse(std::string_view(text).substr(0, cut));
    if (tmpl) {
      ++parsed;
      (void)tmpl->render(data, true);
      (void)tmpl->render(data, false);
    } else {
      CHECK(tmpl.error().message.starts_with("template: output:"));
    }
  }
  CHECK(parsed > 10);
  auto full = GoTemplate::parse(text);
  REQUIRE(full);
  // As Go's text/template prints it.
  CHECK(full->render(data, true) == R"(1001.5|a  |'\x02'001.5|a  |'\x03'5raw99)");
}
