// The object printer against kubectl's own conventions: tabwriter layout, human ages, -o name,
// json/yaml lists, JSONPath (cases from k8s.io/client-go/util/jsonpath's tests) and
// custom-columns.
#include "output/cluster_table.hpp"
#include "output/jsonpath.hpp"
#include "output/printer.hpp"
#include "output/sort.hpp"

#include <doctest/doctest.h>

#include <ctime>

using namespace kctl;
using namespace kctl::output;
using namespace std::chrono_literals;

namespace {

std::string
jsonpath(const char* text, const Json& data) {
  auto parsed = JsonPath::parse(text);
  REQUIRE(parsed);
  auto rendered = parsed->render(data);
  REQUIRE(rendered);
  return *rendered;
}

Json
cluster(const char* name, const char* ready, Json labels = Json::object()) {
  Json object =
      Json::parse(fmt::format(R"({{"apiVersion":"cluster.karmada.io/v1alpha1","kind":"Cluster",
    "metadata":{{"name":"{}","creationTimestamp":"2026-11-29T10:00:00Z"}},
    "spec":{{"syncMode":"Push","apiEndpoint":"https://{}:6443","zones":["z1","z2"]}},
    "status":{{"kubernetesVersion":"v1.35.3","conditions":[{{"type":"Ready","status":"{}"}}]}}}})",
                              name,
                              name,
                              ready));
  object["metadata"]["labels"] = std::move(labels);
  return object;
}

} // namespace

TEST_SUITE("output.printer") {

  TEST_CASE("human durations as kubectl's duration.HumanDuration") {
    CHECK(human_duration(-2s) == "<invalid>");
    CHECK(human_duration(-1s) == "0s");
    CHECK(human_duration(0s) == "0s");
    CHECK(human_duration(119s) == "119s");
    CHECK(human_duration(120s) == "2m");
    CHECK(human_duration(200s) == "3m20s");
    CHECK(human_duration(10min) == "10m");
    CHECK(human_duration(179min) == "179m");
    CHECK(human_duration(3h) == "3h");
    CHECK(human_duration(3h + 10min) == "3h10m");
    CHECK(human_duration(8h) == "8h");
    CHECK(human_duration(47h) == "47h");
    CHECK(human_duration(48h) == "2d");
    CHECK(human_duration(50h) == "2d2h");
    CHECK(human_duration(24h * 8) == "8d");
    CHECK(human_duration(24h * 365 * 2) == "2y");
    CHECK(human_duration(24h * (365 * 2 + 30)) == "2y30d");
    CHECK(human_duration(24h * 365 * 9) == "9y");
  }

  TEST_CASE("columns as kubectl's tabwriter: widest cell plus three, at least six") {
    CHECK(render_columns({{"NAME", "AGE"}, {"a", "1s"}}) == "NAME   AGE\na      1s\n");
    CHECK(render_columns({{"N", "X"}, {"longer-name", "y"}}) ==
          "N             X\nlonger-name   y\n");
    CHECK(render_columns({{"A", "B"}}) == "A     B\n");
  }

  TEST_CASE("the clusters table: CLUSTER after NAME, ADOPTION last, wide and labels") {
    // 2026-11-29T10:05:00Z: five minutes after the clusters were made.
    std::tm at{};
    at.tm_year = 2026 - 1900;
    at.tm_mon = 10;
    at.tm_mday = 29;
    at.tm_hour = 10;
    at.tm_min = 5;
    auto now = std::chrono::system_clock::from_time_t(timegm(&at));
    CHECK(age_of(cluster("m", "True"), now) == "5m");
    CHECK(age_of(Json::object(), now) == "<unknown>");
    std::vector<Row> rows;
    for (auto object :
         {cluster("member1", "True", {{"environment", "dev"}}), cluster("member2", "False")}) {
      rows.push_back(
          Row{object, output::cluster_cells(object, now), "", "cluster.cluster.karmada.io"});
    }
    TableOptions options;
    options.cluster_column = true;
    options.adoption_column = true;
    auto table = render(Format{}, output::cluster_columns(), rows, options, Shape::list);
    REQUIRE(table);
    std::string header = table->substr(0, table->find('\n'));
    CHECK(header == "NAME      CLUSTER   VERSION   MODE   READY   AGE   ADOPTION");
    CHECK(table->find("member2   Karmada   v1.35.3   Push   False") != std::string::npos);

    options.show_labels = true;
    auto wide = render(
        Format{Format::Kind::wide, {}}, output::cluster_columns(), rows, options, Shape::list);
    REQUIRE(wide);
    std::string wide_header = wide->substr(0, wide->find('\n'));
    CHECK(wide_header.find("AGE") < wide_header.find("ZONES"));
    CHECK(wide_header.find("ZONES") < wide_header.find("REGION"));
    CHECK(wide_header.find("PROVIDER") < wide_header.find("API-ENDPOINT"));
    CHECK(wide_header.find("API-ENDPOINT") < wide_header.find("PROXY-URL"));
    CHECK(wide_header.find("PROXY-URL") < wide_header.find("ADOPTION"));
    CHECK(wide_header.ends_with("LABELS"));
    CHECK(wide->find("z1,z2") != std::string::npos);
    CHECK(wide->find("environment=dev\n") != std::string::npos);
    CHECK(wide->find("<none>\n") != std::string::npos);

    options.no_headers = true;
    auto headless = render(Format{}, output::cluster_columns(), rows, options, Shape::list);
    REQUIRE(headless);
    CHECK(headless->starts_with("member1"));
  }

  TEST_CASE("member rows: CLUSTER is the member, ADOPTION by karmada.io/managed") {
    Json managed = Json::parse(
        R"({"metadata":{"name":"a","namespace":"default","labels":{"karmada.io/managed":"true"}}})");
    Json own = Json::parse(R"({"metadata":{"name":"b","namespace":"kube-system"}})");
    std::vector<Row> rows = {{managed, {"a", "Running"}, "member1", "pod"},
                             {own, {"b", "Pending"}, "member2", "pod"}};
    TableOptions options;
    options.namespace_column = true;
    options.cluster_column = true;
    options.adoption_column = true;
    auto table = render(Format{}, {{"Name", 0}, {"Status", 0}}, rows, options, Shape::list);
    REQUIRE(table);
    CHECK(*table == "NAMESPACE     NAME   CLUSTER   STATUS    ADOPTION\n"
                    "default       a      member1   Running   Y\n"
                    "kube-system   b      member2   Pending   N\n");
  }

  TEST_CASE("-o name, json and yaml") {
    Json object = cluster("member1", "True");
    object["metadata"]["managedFields"] = Json::array({Json::object()});
    std::vector<Row> rows = {{object, {}, "", "cluster.cluster.karmada.io"}};
    auto name = render(Format{Format::Kind::name, {}}, {}, rows, {}, Shape::list);
    REQUIRE(name);
    CHECK(*name == "cluster.cluster.karmada.io/member1\n");
    auto single = render(Format{Format::Kind::json, {}}, {}, rows, {}, Shape::single);
    REQUIRE(single);
    Json parsed = Json::parse(*single);
    CHECK(parsed["kind"] == "Cluster");
    CHECK_FALSE(parsed["metadata"].contains("managedFields"));
    auto list = render(Format{Format::Kind::json, {}}, {}, rows, {}, Shape::list);
    REQUIRE(list);
    CHECK(Json::parse(*list)["kind"] == "List");
    auto yaml = render(Format{Format::Kind::yaml, {}}, {}, rows, {}, Shape::list);
    REQUIRE(yaml);
    CHECK(yaml->find("kind: List") != std::string::npos);
  }

  TEST_CASE("parse_format accepts kubectl's formats and refuses others") {
    CHECK(parse_format("")->kind == Format::Kind::table);
    CHECK(parse_format("wide")->kind == Format::Kind::wide);
    CHECK(parse_format("jsonpath={.a}")->argument == "{.a}");
    CHECK(parse_format("custom-columns=A:.a")->kind == Format::Kind::custom_columns);
    auto bad = parse_format("xml");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().reason == k_reason_usage);
    CHECK_FALSE(parse_format("jsonpath="));
  }

  TEST_CASE("JSONPath: fields, wildcards, indexes, slices, filters, range") {
    Json list = Json::parse(R"({"kind":"List","items":[
      {"metadata":{"name":"member1","labels":{"app.kubernetes.io/name":"x"}},"spec":{"zones":["a","b"]},
       "status":{"conditions":[{"type":"Ready","status":"True"}]}},
      {"metadata":{"name":"member2"},"spec":{"zones":["c"]},
       "status":{"conditions":[{"type":"Ready","status":"False"}]}}]})");
    CHECK(jsonpath("{.items[*].metadata.name}", list) == "member1 member2");
    CHECK(jsonpath("{.items[0].metadata.name}", list) == "member1");
    CHECK(jsonpath("{.items[-1].metadata.name}", list) == "member2");
    CHECK(jsonpath("{.items[0:1].metadata.name}", list) == "member1");
    CHECK(jsonpath("{.items[*].spec.zones[*]}", list) == "a b c");
    CHECK(jsonpath("{$.kind}", list) == "List");
    CHECK(jsonpath("{.kind}", list) == "List");
    CHECK(jsonpath("{..name}", list) == "member1 member2");
    CHECK(jsonpath("{.items[0].metadata.labels.app\\.kubernetes\\.io/name}", list) == "x");
    CHECK(jsonpath("{.items[0].metadata['name']}", list) == "member1");
    CHECK(jsonpath("{.items[?(@.status.conditions[0].status==\"False\")].metadata.name}", list) ==
          "member2");
    CHECK(jsonpath("{.items[?(@.spec.zones[1])].metadata.name}", list) == "member1");
    CHECK(jsonpath("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", list) ==
          "member1\nmember2\n");
    CHECK(jsonpath("{range .items[*]}[{.metadata.name}, {.spec.zones[0]}] {end}", list) ==
          "[member1, a] [member2, c] ");
    CHECK(jsonpath("names: {.items[*].metadata.name}!", list) == "names: member1 member2!");
    CHECK(jsonpath("{.items[0].spec}", list) == R"({"zones":["a","b"]})");
    CHECK(jsonpath("{.missing.field}", list) == "");
    CHECK_FALSE(JsonPath::parse("{.items[*]"));
    CHECK_FALSE(JsonPath::parse("{range .items[*]}{.a}"));
    CHECK_FALSE(JsonPath::parse("{end}"));
  }

  TEST_CASE("custom-columns") {
    std::vector<Row> rows = {{cluster("member1", "True"), {}, "", "cluster.cluster.karmada.io"},
                             {cluster("member2", "True"), {}, "", "cluster.cluster.karmada.io"}};
    auto table = render(Format{Format::Kind::custom_columns,
                               "NAME:.metadata.name,ZONES:.spec.zones[*],REGION:.spec.region"},
                        {},
                        rows,
                        {},
                        Shape::list);
    REQUIRE(table);
    CHECK(*table ==
          "NAME      ZONES   REGION\nmember1   z1,z2   <none>\nmember2   z1,z2   <none>\n");
    auto relaxed =
        render(Format{Format::Kind::custom_columns, "N:{.metadata.name},M:spec.syncMode"},
               {},
               rows,
               {},
               Shape::list);
    REQUIRE(relaxed);
    CHECK(relaxed->find("member1   Push") != std::string::npos);
    auto bad = render(Format{Format::Kind::custom_columns, "NAME"}, {}, rows, {}, Shape::list);
    REQUIRE_FALSE(bad);
  }

  TEST_CASE("server-side Tables become columns and rows") {
    Json table = Json::parse(R"({"kind":"Table","columnDefinitions":[
      {"name":"Name","priority":0},{"name":"Ready","priority":0},{"name":"IP","priority":1}],
      "rows":[{"cells":["p1","1/1",null],"object":{"metadata":{"name":"p1"}}}]})");
    ServerTable parsed = from_server_table(table);
    REQUIRE(parsed.columns.size() == 3);
    CHECK(parsed.columns[2].priority == 1);
    CHECK(parsed.rows[0].cells == std::vector<std::string>{"p1", "1/1", "<none>"});
    CHECK(parsed.rows[0].object["metadata"]["name"] == "p1");
  }

  TEST_CASE("a server-side Table without row objects (includeObject=None) still prints") {
    Json table = Json::parse(R"({"kind":"Table","columnDefinitions":[
      {"name":"Name","priority":0},{"name":"Mode","priority":0}],
      "rows":[{"cells":["member1","Push"]},{"cells":["member2","Pull"],"object":null}]})");
    ServerTable parsed = from_server_table(table);
    REQUIRE(parsed.rows.size() == 2);
    CHECK(parsed.rows[1].object.is_object());
    TableOptions options;
    options.cluster_column = true;
    options.adoption_column = true;
    auto text = render(Format{}, parsed.columns, parsed.rows, options, Shape::list);
    REQUIRE(text.has_value());
    CHECK(*text == "NAME      CLUSTER   MODE   ADOPTION\n"
                   "member1   Karmada   Push   -\n"
                   "member2   Karmada   Pull   -\n");
  }

  // Issue 20: a name or cell from a hostile server must not reach the terminal as an escape.
  TEST_CASE("tables, custom-columns and -o name escape control characters as kubectl") {
    const std::string evil = "evil\x1b]0;TITLE\x07\x1b[2J";
    Json object = cluster("member1", "True", {{"note", "a\rb"}});
    object["metadata"]["name"] = evil;
    std::vector<Row> rows = {
        {object, {evil, "line one\nline two", "tab\there"}, "", "cluster.cluster.karmada.io"}};
    TableOptions options;
    options.show_labels = true;
    auto table =
        render(Format{}, {{"Name", 0}, {"Message", 0}, {"Other", 0}}, rows, options, Shape::list);
    REQUIRE(table);
    CHECK(table->find('\x1b') == std::string::npos);
    CHECK(table->find('\x07') == std::string::npos);
    CHECK(table->find('\r') == std::string::npos);
    // ESC as "^[" and CR as "\r" (kubectl's EscapeTerminal), BEL in caret notation; a cell is
    // cut at its first line break as kubectl's table printer cuts it.
    CHECK(*table == "NAME                    MESSAGE       OTHER       LABELS\n"
                    "evil^[]0;TITLE^G^[[2J   line one...   tab\\there   note=a...\n");

    auto name = render(Format{Format::Kind::name, {}}, {}, rows, {}, Shape::list);
    REQUIRE(name);
    CHECK(*name == "cluster.cluster.karmada.io/evil^[]0;TITLE^G^[[2J\n");

    auto columns = render(
        Format{Format::Kind::custom_columns, "NAME:.metadata.name"}, {}, rows, {}, Shape::list);
    REQUIRE(columns);
    CHECK(*columns == "NAME\nevil^[]0;TITLE^G^[[2J\n");

    // Structured output is escaped by its format; jsonpath prints the bytes, as kubectl does.
    auto json = render(Format{Format::Kind::json, {}}, {}, rows, {}, Shape::list);
    REQUIRE(json);
    CHECK(json->find('\x1b') == std::string::npos);
    CHECK(json->find("\\u001b") != std::string::npos);
    auto jsonpath = render(
        Format{Format::Kind::jsonpath, "{.items[0].metadata.name}"}, {}, rows, {}, Shape::list);
    REQUIRE(jsonpath);
    CHECK(*jsonpath == evil);
  }

  TEST_CASE("render_columns measures escaped cells, so escaped rows stay aligned") {
    CHECK(render_columns({{"A", "B"}, {"\x1b", "x"}, {"\x01\x02", "y"}}) ==
          "A      B\n^[     x\n^A^B   y\n");
  }

  TEST_CASE("parse_format: kubectl's template formats, --template and their errors") {
    auto go = parse_format("go-template={{.kind}}");
    REQUIRE(go);
    CHECK(go->kind == Format::Kind::go_template);
    CHECK(go->argument == "{{.kind}}");
    CHECK(go->allow_missing_keys);
    CHECK(parse_format("template={{.kind}}")->kind == Format::Kind::template_);
    CHECK(parse_format("jsonpath-as-json={.a}")->kind == Format::Kind::jsonpath_as_json);
    // -o NAME with --template; --template alone is a go-template (kubectl get).
    auto flagged = parse_format("go-template", "{{.a}}", false);
    REQUIRE(flagged);
    CHECK(flagged->kind == Format::Kind::go_template);
    CHECK(flagged->argument == "{{.a}}");
    CHECK_FALSE(flagged->allow_missing_keys);
    CHECK(parse_format("", "{{.a}}")->kind == Format::Kind::go_template);
    CHECK(parse_format("jsonpath", "{.a}")->kind == Format::Kind::jsonpath);
    CHECK(parse_format("custom-columns", "A:.a")->kind == Format::Kind::custom_columns);
    CHECK(parse_format("json", "{{.a}}")->kind == Format::Kind::json);
    // Files are read by the command: their path is kept, unchecked.
    auto file = parse_format("go-template-file=/no/such/file");
    REQUIRE(file);
    CHECK(file->from_file());
    CHECK(file->argument == "/no/such/file");
    CHECK(parse_format("templatefile=/x")->kind == Format::Kind::templatefile);
    CHECK(parse_format("jsonpath-file=/x")->kind == Format::Kind::jsonpath_file);
    CHECK(parse_format("custom-columns-file=/x")->kind == Format::Kind::custom_columns_file);
    // kubectl's words when the template is missing or wrong.
    for (const char* missing : {"go-template",
                                "go-template=",
                                "template",
                                "jsonpath",
                                "jsonpath-file",
                                "templatefile="}) {
      auto error = parse_format(missing);
      REQUIRE_FALSE(error);
      CHECK(error.error().message == "template format specified but no template given");
      CHECK(error.error().reason == k_reason_usage);
    }
    CHECK(parse_format("custom-columns").error().message ==
          "custom-columns format specified but no custom columns given");
    CHECK(parse_format("go-template={{.a").error().message ==
          "error parsing template {{.a, template: output:1: unclosed action");
    // With --template, -o must name the format alone.
    CHECK(
        parse_format("go-template={{.a}}", "{{.b}}")
            .error()
            .message.starts_with(
                "unable to match a printer suitable for the output format \"go-template={{.a}}\""));
  }

  TEST_CASE("with_template_file: the file's template, checked; custom-columns-file's two lines") {
    auto go = with_template_file(*parse_format("go-template-file=/t"), "{{.kind}}");
    REQUIRE(go);
    CHECK(go->argument == "{{.kind}}");
    CHECK_FALSE(with_template_file(*parse_format("templatefile=/t"), "{{if}}"));
    auto columns = with_template_file(*parse_format("custom-columns-file=/t"),
                                      "NAME  MODE\n.metadata.name\t{.spec.syncMode}\n");
    REQUIRE(columns);
    CHECK(columns->argument == "NAME:.metadata.name,MODE:{.spec.syncMode}");
    std::vector<Row> rows = {{cluster("member1", "True"), {}, "", "cluster.cluster.karmada.io"}};
    CHECK(*render(*columns, {}, rows, {}, Shape::list) == "NAME      MODE\nmember1   Push\n");
    CHECK(
        with_template_file(*parse_format("custom-columns-file=/t"), "A B\n.a\n").error().message ==
        "number of headers (2) and field specifications (1) don't match");
    CHECK(with_template_file(*parse_format("custom-columns-file=/t"), "A B\n")
              .error()
              .message.starts_with("invalid template, missing spec line."));
  }

  TEST_CASE("go-template renders the object, or the List of several, as kubectl does") {
    std::vector<Row> rows = {{cluster("member1", "True"), {}, "", "cluster.cluster.karmada.io"},
                             {cluster("member2", "False"), {}, "", "cluster.cluster.karmada.io"}};
    Format format =
        *parse_format("go-template={{.kind}}:{{range .items}}{{.metadata.name}},{{end}}");
    CHECK(*render(format, {}, rows, {}, Shape::list) == "List:member1,member2,");
    Format single = *parse_format("template={{.metadata.name}} {{.spec.replicas}}");
    CHECK(*render(single, {}, {rows[0]}, {}, Shape::single) == "member1 <no value>");
    single.allow_missing_keys = false;
    auto refused = render(single, {}, {rows[0]}, {}, Shape::single);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "error executing template \"{{.metadata.name}} {{.spec.replicas}}\": template: "
          "output:1:26: executing \"output\" at <.spec.replicas>: map has no entry for key "
          "\"replicas\"");
  }

  TEST_CASE("jsonpath: missing keys refused with --allow-missing-template-keys=false; as JSON") {
    std::vector<Row> rows = {{cluster("member1", "True"), {}, "", "cluster.cluster.karmada.io"}};
    Format format = *parse_format("jsonpath={.metadata.name} {.spec.replicas}");
    CHECK(*render(format, {}, rows, {}, Shape::single) == "member1 ");
    format.allow_missing_keys = false;
    auto refused = render(format, {}, rows, {}, Shape::single);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message ==
          "error executing jsonpath \"{.metadata.name} {.spec.replicas}\": Error executing "
          "template: replicas is not found");
    Format as_json = *parse_format("jsonpath-as-json={.spec.zones[*]}");
    CHECK(*render(as_json, {}, rows, {}, Shape::single) == "[\n    \"z1\",\n    \"z2\"\n]\n");
  }

  TEST_CASE("--show-kind, watch events and --show-managed-fields") {
    Json object = cluster("member1", "True");
    object["metadata"]["managedFields"] = Json::array({{{"manager", "karmadactl"}}});
    Row row{object, {"member1", "True"}, "", "cluster.cluster.karmada.io"};
    std::vector<Column> columns = {{"Name", 0}, {"Ready", 0}};
    TableOptions kind;
    kind.show_kind = true;
    CHECK(*render(Format{}, columns, {row}, kind, Shape::list) ==
          "NAME                                 READY\n"
          "cluster.cluster.karmada.io/member1   True\n");
    row.event = "ADDED";
    TableOptions events;
    events.event_column = true;
    CHECK(*render(Format{}, columns, {row}, events, Shape::list) ==
          "EVENT      NAME      READY\nADDED      member1   True\n");
    Json event = Json::parse(*render(Format{Format::Kind::json, {}}, {}, {row}, {}, Shape::single));
    CHECK(event["type"] == "ADDED");
    CHECK(event["object"]["metadata"]["name"] == "member1");
    CHECK_FALSE(event["object"]["metadata"].contains("managedFields"));
    Format managed{Format::Kind::json, {}};
    managed.show_managed_fields = true;
    row.event.clear();
    Json kept = Json::parse(*render(managed, {}, {row}, {}, Shape::single));
    CHECK(kept["metadata"]["managedFields"][0]["manager"] == "karmadactl");
  }

  TEST_CASE("sort_rows: kubectl's order of numbers, quantities, strings; missing fields first") {
    auto rows_with = [](std::vector<Json> values) {
      std::vector<Row> rows;
      for (std::size_t i = 0; i < values.size(); ++i) {
        Json object = {{"metadata", {{"name", fmt::format("o{}", i)}}}};
        if (!values[i].is_null()) {
          object["spec"] = {{"v", values[i]}};
        }
        rows.push_back(Row{object, {}, "", "k"});
      }
      return rows;
    };
    auto order = [](const std::vector<Row>& rows) {
      std::string out;
      for (const auto& row : rows) {
        out += row.object["metadata"]["name"].get<std::string>() + " ";
      }
      return out;
    };
    auto numbers = rows_with({10, 9, nullptr, 100, 2.5});
    REQUIRE(sort_rows(numbers, ".spec.v"));
    CHECK(order(numbers) == "o2 o4 o1 o0 o3 ");
    auto quantities = rows_with({"1Gi", "100m", "2", "512Mi"});
    REQUIRE(sort_rows(quantities, "{.spec.v}"));
    CHECK(order(quantities) == "o1 o2 o3 o0 ");
    auto strings = rows_with({"b", "a10", "a9", "2026-01-02T00:00:00Z"});
    REQUIRE(sort_rows(strings, "spec.v"));
    CHECK(order(strings) == "o3 o1 o2 o0 ");
    auto none = rows_with({nullptr, nullptr});
    auto missing = sort_rows(none, ".spec.v");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message ==
          "couldn't find any field with path \"{.spec.v}\" in the list of objects");
    std::vector<Row> empty;
    CHECK(sort_rows(empty, ".spec.v"));
    CHECK_FALSE(sort_rows(empty, "{.spec.v"));
    CHECK(quantity_value("1.5Ki") == doctest::Approx(1536));
    CHECK(quantity_value("1e3") == doctest::Approx(1000));
    CHECK_FALSE(quantity_value("member1"));
    CHECK_FALSE(quantity_value("1.2.3"));
    CHECK_FALSE(quantity_value(""));
  }
}
