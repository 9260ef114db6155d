#include "output/printer.hpp"

#include "kube/labels.hpp"
#include "output/gotemplate.hpp"
#include "output/jsonpath.hpp"
#include "util/terminal.hpp"
#include "util/time.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace kctl::output {

namespace {

// The formats an unknown -o lists, as kubectl get lists its printers'.
constexpr std::string_view k_formats =
    "json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, "
    "jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide";

std::string
upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::toupper(c));
  });
  return out;
}

std::string
cell_text(const Json& cell) {
  if (cell.is_null()) {
    return "<none>";
  }
  if (cell.is_string()) {
    return cell.get<std::string>();
  }
  return cell.dump();
}

std::string
name_of(const Json& object) {
  return object.value("/metadata/name"_json_pointer, std::string{});
}

std::string
adoption_of(const Row& row) {
  if (row.cluster.empty()) {
    return "-";
  }
  Json labels = row.object.value("/metadata/labels"_json_pointer, Json::object());
  return labels.is_object() && labels.value("karmada.io/managed", "") == "true" ? "Y" : "N";
}

// kubectl's EVENT cells: the type padded to the longest one.
std::string
event_cell(const std::string& type) {
  return type.size() < 8 ? type + std::string(8 - type.size(), ' ') : type;
}

std::string
render_object_table(const std::vector<Column>& columns,
                    const std::vector<Row>& rows,
                    const TableOptions& options,
                    bool wide) {
  std::vector<size_t> visible;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (wide || columns[i].priority == 0) {
      visible.push_back(i);
    }
  }
  size_t name_at = 0;
  for (size_t k = 0; k < visible.size(); ++k) {
    if (upper(columns[visible[k]].name) == "NAME") {
      name_at = k;
      break;
    }
  }
  auto build = [&](auto event_text,
                   auto header_or_cell,
                   auto namespace_text,
                   auto cluster_text,
                   auto label_text,
                   auto adoption_text,
                   auto labels_text) {
    std::vector<std::string> line;
    if (options.event_column) {
      line.push_back(event_text());
    }
    if (options.namespace_column) {
      line.push_back(namespace_text());
    }
    for (size_t k = 0; k < visible.size(); ++k) {
      line.push_back(header_or_cell(visible[k]));
      if (options.cluster_column && k == name_at) {
        line.push_back(cluster_text());
      }
    }
    if (options.cluster_column && visible.empty()) {
      line.push_back(cluster_text());
    }
    if (options.adoption_column) {
      line.push_back(adoption_text());
    }
    for (const auto& key : options.label_columns) {
      line.push_back(label_text(key));
    }
    if (options.show_labels) {
      line.push_back(labels_text());
    }
    return line;
  };
  std::vector<std::vector<std::string>> lines;
  if (!options.no_headers) {
    lines.push_back(build([] { return std::string("EVENT"); },
                          [&](size_t i) { return upper(columns[i].name); },
                          [] { return std::string("NAMESPACE"); },
                          [] { return std::string("CLUSTER"); },
                          [](const std::string& key) {
                            size_t slash = key.rfind('/');
                            return upper(slash == std::string::npos ? key : key.substr(slash + 1));
                          },
                          [] { return std::string("ADOPTION"); },
                          [] { return std::string("LABELS"); }));
  }
  for (const auto& row : rows) {
    Json labels = row.object.value("/metadata/labels"_json_pointer, Json::object());
    lines.push_back(build(
        [&] { return event_cell(row.event); },
        [&](size_t i) {
          std::string cell = i < row.cells.size() ? row.cells[i] : std::string();
          // kubectl: the kind (lower-case, with its group) before the name.
          bool name_cell = !visible.empty() && i == visible[name_at];
          return options.show_kind && name_cell && !row.kind.empty() ? row.kind + "/" + cell : cell;
        },
        [&] { return row.object.value("/metadata/namespace"_json_pointer, std::string{}); },
        [&] { return row.cluster.empty() ? std::string("Karmada") : row.cluster; },
        [&](const std::string& key) {
          return labels.is_object() && labels.contains(key) && labels[key].is_string()
                     ? labels[key].get<std::string>()
                     : std::string();
        },
        [&] { return adoption_of(row); },
        [&] { return kube::format_labels(labels); }));
  }
  return render_columns(lines);
}

// A custom-columns spec, "HEADER:expression,...", as its headers and parsed expressions; a usage
// error names the part that is wrong.
Result<std::vector<std::pair<std::string, JsonPath>>>
parse_custom_columns(const std::string& spec) {
  std::vector<std::pair<std::string, JsonPath>> columns;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string part =
        spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t colon = part.find(':');
    if (colon == std::string::npos) {
      return fail_usage(fmt::format(
          "unexpected custom-columns spec: {}, expected <header>:<json-path-expr>", part));
    }
    KCTL_TRY_ASSIGN(JsonPath path, JsonPath::parse_relaxed(part.substr(colon + 1)));
    columns.emplace_back(part.substr(0, colon), std::move(path));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return columns;
}

Result<std::string>
render_custom_columns(const std::string& spec,
                      const std::vector<Row>& rows,
                      const TableOptions& options) {
  KCTL_TRY_ASSIGN(auto columns, parse_custom_columns(spec));
  std::vector<std::vector<std::string>> lines;
  if (!options.no_headers) {
    std::vector<std::string> header;
    for (const auto& [name, path] : columns) {
      header.push_back(name);
    }
    lines.push_back(std::move(header));
  }
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (const auto& [name, path] : columns) {
      KCTL_TRY_ASSIGN(std::vector<Json> values, path.values(row.object));
      std::string text;
      for (const auto& value : values) {
        // Appended piecewise: `"," + string` inlined here trips g++ 12's -Wstringop-overflow at
        // -O3.
        if (!text.empty()) {
          text += ',';
        }
        text += text_of(value);
      }
      line.push_back(values.empty() ? "<none>" : text);
    }
    lines.push_back(std::move(line));
  }
  return render_columns(lines);
}

} // namespace

bool
Format::is_go_template() const {
  return kind == Kind::go_template || kind == Kind::go_template_file || kind == Kind::template_ ||
         kind == Kind::templatefile;
}

bool
Format::is_jsonpath() const {
  return kind == Kind::jsonpath || kind == Kind::jsonpath_as_json || kind == Kind::jsonpath_file;
}

bool
Format::is_custom_columns() const {
  return kind == Kind::custom_columns || kind == Kind::custom_columns_file;
}

bool
Format::from_file() const {
  return kind == Kind::go_template_file || kind == Kind::templatefile ||
         kind == Kind::jsonpath_file || kind == Kind::custom_columns_file;
}

namespace {

struct NamedKind {
  std::string_view name;
  Format::Kind kind;
};

// The formats that take a template, by family: kubectl tries the go-template printer, then the
// jsonpath one, then custom-columns, each with its own words for a missing template.
constexpr std::array<NamedKind, 4> k_go_template_kinds = {{
    {"go-template", Format::Kind::go_template},
    {"go-template-file", Format::Kind::go_template_file},
    {"template", Format::Kind::template_},
    {"templatefile", Format::Kind::templatefile},
}};
constexpr std::array<NamedKind, 3> k_jsonpath_kinds = {{
    {"jsonpath", Format::Kind::jsonpath},
    {"jsonpath-as-json", Format::Kind::jsonpath_as_json},
    {"jsonpath-file", Format::Kind::jsonpath_file},
}};
constexpr std::array<NamedKind, 2> k_custom_columns_kinds = {{
    {"custom-columns", Format::Kind::custom_columns},
    {"custom-columns-file", Format::Kind::custom_columns_file},
}};

// The format of `output` in one family, as kubectl's template printers read it: with --template,
// -o names the format alone; without, "-o NAME=TEMPLATE". nullopt when -o is not of the family.
template <std::size_t N>
std::optional<Format>
match_family(const std::array<NamedKind, N>& family,
             std::string_view output,
             std::string_view template_argument) {
  for (const auto& [name, kind] : family) {
    if (!template_argument.empty() && output == name) {
      return Format{kind, std::string(template_argument)};
    }
    if (template_argument.empty() && output.size() > name.size() && output.starts_with(name) &&
        output[name.size()] == '=') {
      return Format{kind, std::string(output.substr(name.size() + 1))};
    }
    if (template_argument.empty() && output == name) {
      return Format{kind, {}};
    }
  }
  return std::nullopt;
}

Status
check_template(const Format& format) {
  if (format.is_go_template()) {
    auto parsed = GoTemplate::parse(format.argument);
    if (!parsed) {
      return fail_usage(
          fmt::format("error parsing template {}, {}", format.argument, parsed.error().message));
    }
  } else if (format.is_jsonpath()) {
    KCTL_TRY(JsonPath::parse(format.argument));
  } else if (format.is_custom_columns()) {
    KCTL_TRY(parse_custom_columns(format.argument));
  }
  return {};
}

// A template format, or nullopt when -o names none; a usage error for a template that is missing.
Result<std::optional<Format>>
template_format(std::string_view output, std::string_view template_argument) {
  if (auto format = match_family(k_go_template_kinds, output, template_argument)) {
    return format;
  }
  if (auto format = match_family(k_jsonpath_kinds, output, template_argument)) {
    return format;
  }
  return match_family(k_custom_columns_kinds, output, template_argument);
}

} // namespace

Result<Format>
parse_format(std::string_view output, std::string_view template_argument, bool allow_missing_keys) {
  // kubectl get: a --template without -o is a go-template.
  if (output.empty() && !template_argument.empty()) {
    output = "go-template";
  }
  KCTL_TRY_ASSIGN(std::optional<Format> templated, template_format(output, template_argument));
  Format format;
  if (templated) {
    format = std::move(*templated);
  } else if (output == "wide") {
    format.kind = Format::Kind::wide;
  } else if (output == "json") {
    format.kind = Format::Kind::json;
  } else if (output == "yaml") {
    format.kind = Format::Kind::yaml;
  } else if (output == "name") {
    format.kind = Format::Kind::name;
  } else if (!output.empty()) {
    return fail_usage(fmt::format(
        "unable to match a printer suitable for the output format \"{}\", allowed formats are: {}",
        output,
        k_formats));
  }
  format.allow_missing_keys = allow_missing_keys;
  if (format.is_custom_columns() && format.argument.empty()) {
    return fail_usage("custom-columns format specified but no custom columns given");
  }
  if ((format.is_go_template() || format.is_jsonpath()) && format.argument.empty()) {
    return fail_usage("template format specified but no template given");
  }
  // The template is parsed here, where commands check their flags, so that a malformed one is a
  // usage error found before any request (issue 20), not after the listing. A file's template
  // is checked once the command has read it.
  if (!format.from_file()) {
    KCTL_TRY(check_template(format));
  }
  return format;
}

namespace {

// A custom-columns-file as kubectl reads it: a line of headers, a line of expressions, both
// separated by white space; as the "HEADER:expression,..." spec.
Result<std::string>
custom_columns_spec(std::string_view content) {
  auto words = [](std::string_view line) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < line.size()) {
      std::size_t start = line.find_first_not_of(" \t\r", i);
      if (start == std::string_view::npos) {
        break;
      }
      std::size_t end = line.find_first_of(" \t\r", start);
      out.emplace_back(line.substr(start, end == std::string_view::npos ? end : end - start));
      i = end == std::string_view::npos ? line.size() : end;
    }
    return out;
  };
  std::size_t newline = content.find('\n');
  if (content.empty()) {
    return fail_usage("invalid template, missing header line. Expected format is one line of "
                      "space separated headers, one line of space separated column specs.");
  }
  if (newline == std::string_view::npos || newline + 1 >= content.size()) {
    return fail_usage("invalid template, missing spec line. Expected format is one line of space "
                      "separated headers, one line of space separated column specs.");
  }
  std::vector<std::string> headers = words(content.substr(0, newline));
  std::string_view rest = content.substr(newline + 1);
  std::vector<std::string> specs = words(rest.substr(0, rest.find('\n')));
  if (headers.size() != specs.size()) {
    return fail_usage(
        fmt::format("number of headers ({}) and field specifications ({}) don't match",
                    headers.size(),
                    specs.size()));
  }
  std::string spec;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    spec += fmt::format("{}{}:{}", i == 0 ? "" : ",", headers[i], specs[i]);
  }
  return spec;
}

} // namespace

Result<Format>
with_template_file(Format format, std::string content) {
  if (format.kind == Format::Kind::custom_columns_file) {
    KCTL_TRY_ASSIGN(format.argument, custom_columns_spec(content));
  } else {
    format.argument = std::move(content);
  }
  KCTL_TRY(check_template(format));
  return format;
}

std::string
human_duration(std::chrono::seconds age) {
  long long seconds = age.count();
  if (seconds < -1) {
    return "<invalid>";
  }
  if (seconds < 0) {
    return "0s";
  }
  if (seconds < 60 * 2) {
    return fmt::format("{}s", seconds);
  }
  long long minutes = seconds / 60;
  if (minutes < 10) {
    long long s = seconds % 60;
    return s == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s);
  }
  if (minutes < 60 * 3) {
    return fmt::format("{}m", minutes);
  }
  long long hours = minutes / 60;
  if (hours < 8) {
    long long m = minutes % 60;
    return m == 0 ? fmt::format("{}h", hours) : fmt::format("{}h{}m", hours, m);
  }
  if (hours < 48) {
    return fmt::format("{}h", hours);
  }
  if (hours < 24 * 8) {
    long long h = hours % 24;
    return h == 0 ? fmt::format("{}d", hours / 24) : fmt::format("{}d{}h", hours / 24, h);
  }
  if (hours < 24 * 365 * 2) {
    return fmt::format("{}d", hours / 24);
  }
  if (hours < 24 * 365 * 8) {
    long long days = (hours / 24) % 365;
    return days == 0 ? fmt::format("{}y", hours / 24 / 365)
                     : fmt::format("{}y{}d", hours / 24 / 365, days);
  }
  return fmt::format("{}y", hours / 24 / 365);
}

std::string
age_of(const Json& object, std::chrono::system_clock::time_point now) {
  std::string created = object.value("/metadata/creationTimestamp"_json_pointer, std::string{});
  auto at = parse_rfc3339(created);
  if (!at) {
    return "<unknown>";
  }
  return human_duration(-seconds_until(*at, now));
}

std::string
render_columns(const std::vector<std::vector<std::string>>& lines) {
  // Cells come from servers: each is cut at a line break and escaped (terminal::escape_cell)
  // before it is measured, so no cell can break the layout or reach the terminal as a control.
  std::vector<std::vector<std::string>> cells;
  cells.reserve(lines.size());
  std::vector<size_t> widths;
  for (const auto& line : lines) {
    std::vector<std::string>& escaped = cells.emplace_back();
    escaped.reserve(line.size());
    for (const auto& cell : line) {
      escaped.push_back(terminal::escape_cell(cell));
    }
    if (line.size() > widths.size()) {
      widths.resize(line.size(), 0);
    }
    for (size_t i = 0; i < escaped.size(); ++i) {
      widths[i] = std::max(widths[i], escaped[i].size());
    }
  }
  std::string out;
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) {
        size_t width = std::max<size_t>(widths[i] + 3, 6);
        out.append(width - line[i].size(), ' ');
      }
    }
    out += '\n';
  }
  return out;
}

Json
list_of(std::vector<Json> objects) {
  Json list = Json::object();
  list["apiVersion"] = "v1";
  list["items"] = Json::array();
  for (auto& object : objects) {
    list["items"].push_back(std::move(object));
  }
  list["kind"] = "List";
  list["metadata"] = {{"resourceVersion", ""}};
  return list;
}

namespace {

Result<std::string>
render_jsonpath(const Format& format, const Json& data) {
  KCTL_TRY_ASSIGN(JsonPath path, JsonPath::parse(format.argument));
  auto text = format.kind == Format::Kind::jsonpath_as_json
                  ? path.render_json(data, format.allow_missing_keys)
                  : path.render(data, format.allow_missing_keys);
  if (!text) {
    // kubectl's words; its dump of the whole object after them is left out.
    return failf("error executing jsonpath \"{}\": Error executing template: {}",
                 format.argument,
                 text.error().message);
  }
  return text;
}

Result<std::string>
render_go_template(const Format& format, const Json& data) {
  KCTL_TRY_ASSIGN(GoTemplate parsed, GoTemplate::parse(format.argument));
  auto text = parsed.render(data, format.allow_missing_keys);
  if (!text) {
    return failf("error executing template \"{}\": {}", format.argument, text.error().message);
  }
  return text;
}

} // namespace

Result<std::string>
render(const Format& format,
       const std::vector<Column>& columns,
       const std::vector<Row>& rows,
       const TableOptions& options,
       Shape shape) {
  // The objects themselves (copied, so only for the formats that print them), keys sorted as
  // kubectl prints them, or the watch events that carry them.
  auto data = [&] {
    std::vector<Json> objects;
    objects.reserve(rows.size());
    for (const auto& row : rows) {
      Json object = with_sorted_keys(row.object);
      // kubectl leaves managedFields out unless --show-managed-fields.
      if (!format.show_managed_fields && object.contains("metadata") &&
          object["metadata"].is_object()) {
        object["metadata"].erase("managedFields");
      }
      objects.push_back(row.event.empty()
                            ? std::move(object)
                            : Json{{"type", row.event}, {"object", std::move(object)}});
    }
    return shape == Shape::single && objects.size() == 1 ? std::move(objects.front())
                                                         : list_of(std::move(objects));
  };
  switch (format.kind) {
  case Format::Kind::table:
  case Format::Kind::wide:
    return render_object_table(columns, rows, options, format.kind == Format::Kind::wide);
  case Format::Kind::json:
    return data().dump(4) + "\n";
  case Format::Kind::yaml:
    return yaml::dump(data());
  case Format::Kind::name: {
    std::string out;
    for (const auto& row : rows) {
      out += terminal::escape_line(fmt::format("{}/{}", row.kind, name_of(row.object))) + '\n';
    }
    return out;
  }
  case Format::Kind::jsonpath:
  case Format::Kind::jsonpath_as_json:
  case Format::Kind::jsonpath_file:
    return render_jsonpath(format, data());
  case Format::Kind::go_template:
  case Format::Kind::go_template_file:
  case Format::Kind::template_:
  case Format::Kind::templatefile:
    return render_go_template(format, data());
  case Format::Kind::custom_columns:
  case Format::Kind::custom_columns_file:
    return render_custom_columns(format.argument, rows, options);
  }
  return std::string();
}

ServerTable
from_server_table(Json table) {
  ServerTable out;
  if (!table.is_object()) {
    return out;
  }
  if (auto columns = table.find("columnDefinitions");
      columns != table.end() && columns->is_array()) {
    for (const auto& column : *columns) {
      out.columns.push_back(Column{column.value("name", ""), column.value("priority", 0)});
    }
  }
  auto rows = table.find("rows");
  if (rows == table.end() || !rows->is_array()) {
    return out;
  }
  out.rows.reserve(rows->size());
  for (auto& row : *rows) {
    Row printed;
    if (auto cells = row.find("cells"); cells != row.end() && cells->is_array()) {
      printed.cells.reserve(cells->size());
      for (const auto& cell : *cells) {
        printed.cells.push_back(cell_text(cell));
      }
    }
    if (auto object = row.find("object"); object != row.end() && object->is_object()) {
      printed.object = std::move(*object);
    } else {
      printed.object = Json::object();
    }
    out.rows.push_back(std::move(printed));
  }
  return out;
}

std::vector<Column>
default_columns() {
  return {{"Name", 0}, {"Age", 0}};
}

std::vector<std::string>
default_cells(const Json& object, std::chrono::system_clock::time_point now) {
  return {name_of(object), age_of(object, now)};
}

} // namespace kctl::output
