#include "output/printer.hpp"

#include "kube/labels.hpp"
#include "output/jsonpath.hpp"
#include "util/terminal.hpp"
#include "util/time.hpp"
#include "util/yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace kctl::output {

namespace {

constexpr std::string_view k_formats =
    "json, yaml, name, wide, jsonpath=..., jsonpath-as-json=..., custom-columns=...";

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
  auto build = [&](auto header_or_cell,
                   auto namespace_text,
                   auto cluster_text,
                   auto label_text,
                   auto adoption_text,
                   auto labels_text) {
    std::vector<std::string> line;
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
    for (const auto& key : options.label_columns) {
      line.push_back(label_text(key));
    }
    if (options.adoption_column) {
      line.push_back(adoption_text());
    }
    if (options.show_labels) {
      line.push_back(labels_text());
    }
    return line;
  };
  std::vector<std::vector<std::string>> lines;
  if (!options.no_headers) {
    lines.push_back(build([&](size_t i) { return upper(columns[i].name); },
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
    lines.push_back(
        build([&](size_t i) { return i < row.cells.size() ? row.cells[i] : std::string(); },
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

Result<Format>
parse_format(std::string_view text) {
  Format format;
  auto with_argument = [&](std::string_view prefix, Format::Kind kind) -> std::optional<Format> {
    if (text.starts_with(prefix)) {
      Format out;
      out.kind = kind;
      out.argument = std::string(text.substr(prefix.size()));
      return out;
    }
    return std::nullopt;
  };
  if (text.empty()) {
    return format;
  }
  if (text == "wide") {
    format.kind = Format::Kind::wide;
  } else if (text == "json") {
    format.kind = Format::Kind::json;
  } else if (text == "yaml") {
    format.kind = Format::Kind::yaml;
  } else if (text == "name") {
    format.kind = Format::Kind::name;
  } else if (auto jsonpath = with_argument("jsonpath=", Format::Kind::jsonpath)) {
    format = *jsonpath;
  } else if (auto as_json = with_argument("jsonpath-as-json=", Format::Kind::jsonpath)) {
    format = *as_json;
  } else if (auto columns = with_argument("custom-columns=", Format::Kind::custom_columns)) {
    format = *columns;
  } else {
    return fail_usage(fmt::format(
        "unable to match a printer suitable for the output format \"{}\", allowed formats are: {}",
        text,
        k_formats));
  }
  if ((format.kind == Format::Kind::jsonpath || format.kind == Format::Kind::custom_columns) &&
      format.argument.empty()) {
    return fail_usage(fmt::format("{} format specified but no template given", text));
  }
  // The template is parsed here, where commands check their flags, so that a malformed one is a
  // usage error found before any request (issue 20), not after the listing.
  if (format.kind == Format::Kind::jsonpath) {
    KCTL_TRY(JsonPath::parse(format.argument));
  } else if (format.kind == Format::Kind::custom_columns) {
    KCTL_TRY(parse_custom_columns(format.argument));
  }
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

Result<std::string>
render(const Format& format,
       const std::vector<Column>& columns,
       const std::vector<Row>& rows,
       const TableOptions& options,
       Shape shape) {
  // The objects themselves (copied, so only for the formats that print them).
  auto data = [&] {
    std::vector<Json> objects;
    objects.reserve(rows.size());
    for (const auto& row : rows) {
      objects.push_back(row.object);
      // kubectl leaves managedFields out unless --show-managed-fields.
      if (objects.back().contains("metadata") && objects.back()["metadata"].is_object()) {
        objects.back()["metadata"].erase("managedFields");
      }
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
  case Format::Kind::jsonpath: {
    KCTL_TRY_ASSIGN(JsonPath path, JsonPath::parse(format.argument));
    return path.render(data());
  }
  case Format::Kind::custom_columns:
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
