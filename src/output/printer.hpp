// The one object printer: every command that prints Kubernetes objects goes through it, so
// -o json|yaml|name|wide|jsonpath=...|custom-columns=... and the tables look the same everywhere
// and the way kubectl prints them (upper-case headers, columns three spaces apart, <none>, ages
// such as 5d3h). Rendering is pure: it returns text and never writes.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::output {

// An -o value.
struct Format {
  enum class Kind { table, wide, json, yaml, name, jsonpath, custom_columns } kind = Kind::table;
  std::string argument; // the template of jsonpath / custom-columns

  bool is_table() const { return kind == Kind::table || kind == Kind::wide; }
};

// Parses an -o value ("" is the table); a usage error names the accepted formats.
Result<Format> parse_format(std::string_view text);

// kubectl's human duration: "45s", "3m20s", "5h10m", "3d4h", "2y30d".
std::string human_duration(std::chrono::seconds age);

// The age of an object from its metadata.creationTimestamp ("<unknown>" without one), at `now`.
std::string age_of(const Json& object, std::chrono::system_clock::time_point now);

// Lays out rows as kubectl's tabwriter does: each column as wide as its widest cell plus three
// spaces (at least six), the last column unpadded, one line per row. Each cell is shown as
// kubectl's table printer shows it: cut at its first line break (with "...") and with control
// characters escaped (terminal::escape_cell), so a name or message from a server cannot reach the
// terminal as an escape sequence. -o name escapes too; -o json|yaml need not (their formats escape)
// and -o jsonpath prints values as they are, as kubectl does: it is for scripts.
std::string render_columns(const std::vector<std::vector<std::string>>& lines);

// A table column: the server-side Table's columnDefinitions, or columns computed locally.
struct Column {
  std::string name;
  int priority = 0; // > 0: shown only with -o wide
};

// One object to print: the object itself (full, or at least its metadata), its table cells
// (aligned with the columns), the member cluster it came from ("" on the Karmada API server) and
// the kind for -o name ("cluster.cluster.karmada.io").
struct Row {
  Json object;
  std::vector<std::string> cells;
  std::string cluster;
  std::string kind;
};

// What a table shows besides the columns.
struct TableOptions {
  bool no_headers = false;
  bool show_labels = false;
  bool namespace_column = false;          // -A: NAMESPACE first
  bool cluster_column = false;            // karmadactl: CLUSTER after NAME ("Karmada" for its own)
  bool adoption_column = false;           // karmadactl: ADOPTION last ("-" / "Y" / "N")
  std::vector<std::string> label_columns; // -L key: one column per key
};

// Whether an object is a single result (kubectl prints it bare) or a list (a v1 List).
enum class Shape { single, list };

// Renders `rows` in `format`. Tables use `columns` and `options`; json/yaml print the object, or
// a "List" of the objects; name prints "<kind>/<name>"; jsonpath and custom-columns evaluate
// their template against the object or the List.
Result<std::string> render(const Format& format,
                           const std::vector<Column>& columns,
                           const std::vector<Row>& rows,
                           const TableOptions& options,
                           Shape shape);

// A List of `objects` as kubectl prints several objects in json/yaml.
Json list_of(std::vector<Json> objects);

// The columns and row cells of a server-side Table (meta.k8s.io/v1): columnDefinitions and
// rows[].cells, with rows[].object kept as the row's object.
struct ServerTable {
  std::vector<Column> columns;
  std::vector<Row> rows;
};
ServerTable from_server_table(Json table);

// The columns kubectl shows when no server-side table is available: NAME, AGE.
std::vector<Column> default_columns();
std::vector<std::string> default_cells(const Json& object,
                                       std::chrono::system_clock::time_point now);

} // namespace kctl::output
