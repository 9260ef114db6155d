// The pieces kubectl's describers are made of, as pure functions over JSON objects: an indented,
// tab-aligned text (kubectl's PrefixWriter over Go's tabwriter), the Labels and Annotations
// blocks, Go's %v of a value, the labels kubectl makes of field names, the generic
// field-by-field listing and the Events table.
#pragma once

#include "util/json.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::describe {

// Text at indentation levels (two spaces each), cells separated by tabs; finish() lays the
// columns out as kubectl does and makes the text safe for a terminal.
class Writer {
public:
  // Appends `text` (which may hold tabs and newlines) after `level` indentations.
  void write(int level, std::string_view text);
  std::string finish() const;

private:
  std::string m_text;
};

// The keys of a JSON object in Go's sort.Strings order (none for anything else).
std::vector<std::string> keys_in_order(const Json& object);

// The value at a JSON pointer ("/metadata/name"), null when absent.
const Json& field_at(const Json& object, const char* pointer);

// The string at a JSON pointer, "" when absent or not a string.
std::string text_field(const Json& object, const char* pointer);

// The items of `list` (none when it is not an array) in the order of their text at `pointer`,
// equal ones as they came (kubectl's sort.Slice on that field, made stable).
std::vector<Json> sorted_by_text_field(const Json& list, const char* pointer);

// The integer at a JSON pointer, 0 when absent or not an integer.
std::int64_t integer_field(const Json& object, const char* pointer);

// Annotations longer than this (key and value) are printed on lines of their own, each cut here.
inline constexpr std::size_t k_max_annotation_line = 140;

// "Labels:\tk=v" and one "\tk2=v2" line per further label, sorted; "<none>" when empty.
// `title` may carry leading spaces ("  Labels" inside a pod template).
void write_labels(Writer& w, std::string_view title, const Json& labels);

// The same for annotations, without kubectl.kubernetes.io/last-applied-configuration, long or
// multi-line values on lines of their own.
void write_annotations(Writer& w, std::string_view title, const Json& annotations);

// Go's fmt %v of a JSON value as the API machinery decodes it: integers as integers, other
// numbers as Go's shortest %g ("1e+06", "0.5"), null as "<nil>", arrays "[a b]", objects
// "map[k:v]".
std::string go_value(const Json& value);

// kubectl's label for a field name: "creationTimestamp" is "Creation Timestamp", "apiVersion" is
// "API Version"; names with characters other than letters and '-' are kept as they are.
std::string smart_label(std::string_view field);

// Every field of `content` in key order, nested maps and lists indented, as kubectl's generic
// describer prints an object; `skip` names paths left out (".metadata.managedFields").
void write_fields(Writer& w,
                  int level,
                  const Json& content,
                  const std::string& path,
                  const std::vector<std::string>& skip);

// kubectl's Events section for `events` (items of an EventList), oldest last-seen first; ages
// are counted to `now`.
void
write_events(Writer& w, const std::vector<Json>& events, std::chrono::system_clock::time_point now);

// kubectl's human age of an RFC 3339 `timestamp` at `now` ("5m", "2d3h"); "<unknown>" for none.
std::string human_age(const Json& timestamp, std::chrono::system_clock::time_point now);

// kubectl's six-column Conditions block of a Node or a PersistentVolumeClaim: type, status, the
// time at `time_field` titled `time_title`, the last transition, reason and message; nothing
// without conditions.
void write_timed_conditions(Writer& w,
                            const Json& conditions,
                            std::string_view time_title,
                            const char* time_field);

// `description` with a first line "Cluster:" naming the member it was read from, its value in the
// column of the description's first value (ours: when one describe reads several members).
std::string with_cluster_line(std::string_view description, std::string_view cluster);

// A timestamp as Go's RFC1123Z ("Sun, 06 Dec 2026 01:46:20 +0000"); an unreadable one as Go's
// zero time.
std::string rfc1123z(std::string_view rfc3339);

} // namespace kctl::describe
