// The one object printer: every command that prints Kubernetes objects goes through it, so
// -o json|yaml|name|wide|jsonpath=...|go-template=...|custom-columns=... (and their -file forms)
// and the tables look the same everywhere
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

// An -o value, with --template and --allow-missing-template-keys.
struct Format {
  enum class Kind {
    table,
    wide,
    json,
    yaml,
    name,
    jsonpath,
    jsonpath_as_json,
    jsonpath_file,
    custom_columns,
    custom_columns_file,
    go_template,
    go_template_file,
    template_, // kubectl's -o template: go-template by another name
    templatefile,
  } kind = Kind::table;
  // The template of jsonpath, custom-columns and go-template; for the *-file kinds the file's path
  // until the command reads it (with_template_file).
  std::string argument;
  // Whether a key a jsonpath or go-template names may be missing (kubectl's default) or is an
  // error.
  bool allow_missing_keys = true;
  // --show-managed-fields: objects keep metadata.managedFields (kubectl drops them otherwise).
  bool show_managed_fields = false;

  bool is_table() const { return kind == Kind::table || kind == Kind::wide; }
  bool is_go_template() const;
  bool is_jsonpath() const;
  bool is_custom_columns() const;
  bool from_file() const;
};

// Parses an -o value ("" is the table) with kubectl's --template (the template when -o names a
// template format without "=...", and go-template when -o is not given) and
// --allow-missing-template-keys; a usage error in kubectl's words. The template is checked,
// except for the *-file kinds, which the command reads first (with_template_file).
Result<Format> parse_format(std::string_view output,
                            std::string_view template_argument = {},
                            bool allow_missing_keys = true);

// The format of a *-file kind with the file's `content` as its template, checked.
Result<Format> with_template_file(Format format, std::string content);

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
  // --output-watch-events: the watch event's type (ADDED, MODIFIED, DELETED); the row prints as
  // that event (an EVENT column, or {"type":...,"object":...}).
  std::string event = {};
};

// What a table shows besides the columns.
struct TableOptions {
  bool no_headers = false;
  bool show_labels = false;
  bool namespace_column = false;          // -A: NAMESPACE first
  bool cluster_column = false;            // karmadactl: CLUSTER after NAME ("Karmada" for its own)
  bool adoption_column = false;           // karmadactl: ADOPTION last ("-" / "Y" / "N")
  std::vector<std::string> label_columns; // -L key: one column per key
  bool show_kind = false;                 // NAME as kind.group/name (--show-kind, several types)
  bool event_column = false;              // --output-watch-events: EVENT first
};

// Whether an object is a single result (kubectl prints it bare) or a list (a v1 List).
enum class Shape { single, list };

// Renders `rows` in `format`. Tables use `columns` and `options`; json/yaml print the object, or
// a "List" of the objects; name prints "<kind>/<name>"; jsonpath, go-template and custom-columns
// evaluate their template against the object or the List (custom-columns: each object).
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
