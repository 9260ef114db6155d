#include "describe/writer.hpp"

#include "describe/tabwriter.hpp"
#include "output/printer.hpp"
#include "util/terminal.hpp"
#include "util/time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <limits>

namespace kctl::describe {

void
Writer::write(int level, std::string_view text) {
  for (int i = 0; i < level; ++i) {
    m_text += "  ";
  }
  m_text += text;
}

std::string
Writer::finish() const {
  // kubectl escapes what it writes (ESC, CR) before the tabwriter sees it; tabs and newlines are
  // the layout and stay.
  return tab_layout(terminal::escape(m_text));
}

namespace {

// A string field's text; a non-string value as Go's %v would print it.
std::string
value_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : go_value(value);
}

// Go's strconv.FormatFloat(v, 'g', -1, 64): the shortest digits that read back as `v`, in
// exponent form when the exponent is below -4 or at least 6 (the precision Go's %v decides by).
std::string
go_float(double value) {
  char buffer[64];
  auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  if (error != std::errc{}) {
    return "NaN";
  }
  std::string scientific(buffer, end); // "-1.2345e+06"
  auto e = scientific.find('e');
  if (e == std::string::npos) {
    return scientific; // inf, nan
  }
  int exponent = std::stoi(scientific.substr(e + 1));
  std::string mantissa = scientific.substr(0, e);
  bool negative = mantissa.starts_with('-');
  if (negative) {
    mantissa.erase(0, 1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') {
      digits += c;
    }
  }
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    // Go's %e with the shortest digits: "1e+06", "1.5e-07" (two exponent digits at least).
    out += digits.substr(0, 1);
    if (digits.size() > 1) {
      out += "." + digits.substr(1);
    }
    out += fmt::format("e{}{:02}", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out;
  }
  if (exponent < 0) {
    return out + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  }
  auto point = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= point) {
    return out + digits + std::string(point - digits.size(), '0');
  }
  return out + digits.substr(0, point) + "." + digits.substr(point);
}

bool
is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// fatih/camelcase's classes for the ASCII letters kubectl labels (other names are kept whole).
int
char_class(char c) {
  if (c >= 'a' && c <= 'z') {
    return 1;
  }
  if (c >= 'A' && c <= 'Z') {
    return 2;
  }
  return 4;
}

// Splits "apiVersion" into "api", "Version" and "HTTPServer" into "HTTP", "Server".
std::vector<std::string>
camel_case_parts(std::string_view field) {
  std::vector<std::string> runs;
  int last = 0;
  for (char c : field) {
    int now = char_class(c);
    if (now == last && !runs.empty()) {
      runs.back() += c;
    } else {
      runs.emplace_back(1, c);
    }
    last = now;
  }
  // An upper-case run's last letter starts the lower-case run after it.
  for (std::size_t i = 0; i + 1 < runs.size(); ++i) {
    if (char_class(runs[i].front()) == 2 && char_class(runs[i + 1].front()) == 1) {
      runs[i + 1].insert(runs[i + 1].begin(), runs[i].back());
      runs[i].pop_back();
    }
  }
  std::erase_if(runs, [](const std::string& run) { return run.empty(); });
  return runs;
}

std::string
to_upper_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return text;
}

std::string
title_case(std::string text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    char& c = text[i];
    if (i == 0 && c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (i > 0 && c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return text;
}

// kubectl's human age of a timestamp at `now`; "<unknown>" for none.
std::string
age_since(const Json& timestamp, std::chrono::system_clock::time_point now) {
  if (!timestamp.is_string()) {
    return "<unknown>";
  }
  auto at = parse_rfc3339(timestamp.get<std::string>());
  if (!at || at->time_since_epoch().count() <= -62135596800LL) { // Go's zero time
    return "<unknown>";
  }
  return output::human_duration(-seconds_until(*at, now));
}

} // namespace

std::vector<std::string>
keys_in_order(const Json& object) {
  std::vector<std::string> keys;
  if (object.is_object()) {
    for (const auto& [key, value] : object.items()) {
      keys.push_back(key);
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

const Json&
field_at(const Json& object, const char* pointer) {
  static const Json null;
  Json::json_pointer path(pointer);
  return object.contains(path) ? object.at(path) : null;
}

std::string
text_field(const Json& object, const char* pointer) {
  const Json& value = field_at(object, pointer);
  return value.is_string() ? value.get<std::string>() : std::string{};
}

std::vector<Json>
sorted_by_text_field(const Json& list, const char* pointer) {
  std::vector<Json> items;
  if (list.is_array()) {
    items = list.get<std::vector<Json>>();
  }
  std::stable_sort(items.begin(), items.end(), [pointer](const Json& a, const Json& b) {
    return text_field(a, pointer) < text_field(b, pointer);
  });
  return items;
}

std::int64_t
integer_field(const Json& object, const char* pointer) {
  const Json& value = field_at(object, pointer);
  return value.is_number_integer() ? value.get<std::int64_t>() : 0;
}

std::string
go_value(const Json& value) {
  switch (value.type()) {
  case Json::value_t::string:
    return value.get<std::string>();
  case Json::value_t::boolean:
    return value.get<bool>() ? "true" : "false";
  case Json::value_t::number_integer:
    return std::to_string(value.get<std::int64_t>());
  case Json::value_t::number_unsigned:
    return std::to_string(value.get<std::uint64_t>());
  case Json::value_t::number_float:
    return go_float(value.get<double>());
  case Json::value_t::array: {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) {
      out += (i ? " " : "") + go_value(value[i]);
    }
    return out + "]";
  }
  case Json::value_t::object: {
    std::string out = "map[";
    bool first = true;
    for (const auto& key : keys_in_order(value)) {
      out += (first ? "" : " ") + key + ":" + go_value(value[key]);
      first = false;
    }
    return out + "]";
  }
  default:
    return "<nil>";
  }
}

std::string
smart_label(std::string_view field) {
  if (field.empty() || !std::all_of(field.begin(), field.end(), [](char c) {
        return is_ascii_letter(c) || c == '-';
      })) {
    return std::string(field);
  }
  static const std::vector<std::string> acronyms = {"API", "URL", "UID", "OSB", "GUID"};
  std::string out;
  for (auto& part : camel_case_parts(field)) {
    std::string shown =
        std::find(acronyms.begin(), acronyms.end(), to_upper_ascii(part)) != acronyms.end()
            ? to_upper_ascii(part)
            : title_case(part);
    out += (out.empty() ? "" : " ") + shown;
  }
  return out;
}

void
write_labels(Writer& w, std::string_view title, const Json& labels) {
  w.write(0, fmt::format("{}:\t", title));
  auto keys = keys_in_order(labels);
  if (keys.empty()) {
    w.write(0, "<none>\n");
    return;
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) {
      w.write(0, "\t");
    }
    w.write(0, fmt::format("{}={}\n", keys[i], value_text(labels[keys[i]])));
  }
}

void
write_annotations(Writer& w, std::string_view title, const Json& annotations) {
  w.write(0, fmt::format("{}:\t", title));
  auto keys = keys_in_order(annotations);
  std::erase(keys, "kubectl.kubernetes.io/last-applied-configuration");
  if (keys.empty()) {
    w.write(0, "<none>\n");
    return;
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) {
      w.write(0, "\t");
    }
    std::string value = value_text(annotations[keys[i]]);
    if (value.ends_with('\n')) {
      value.pop_back();
    }
    if (value.size() + keys[i].size() + 2 > k_max_annotation_line ||
        value.find('\n') != std::string::npos) {
      w.write(0, keys[i] + ":\n");
      std::size_t start = 0;
      while (true) {
        auto end = value.find('\n', start);
        std::string line = value.substr(start, end == std::string::npos ? end : end - start);
        if (line.size() > k_max_annotation_line - 2) {
          line.resize(k_max_annotation_line - 2);
          line += "...";
        }
        w.write(0, "\t  " + line + "\n");
        if (end == std::string::npos) {
          break;
        }
        start = end + 1;
      }
    } else {
      w.write(0, fmt::format("{}: {}\n", keys[i], value));
    }
  }
}

void
write_fields(Writer& w,
             int level,
             const Json& content,
             const std::string& path,
             const std::vector<std::string>& skip) {
  for (const auto& field : keys_in_order(content)) {
    const Json& value = content[field];
    std::string here = path + "." + field;
    if (std::find(skip.begin(), skip.end(), here) != skip.end()) {
      continue;
    }
    if (value.is_object()) {
      w.write(level, smart_label(field) + ":\n");
      write_fields(w, level + 1, value, here, skip);
    } else if (value.is_array()) {
      w.write(level, smart_label(field) + ":\n");
      for (const auto& child : value) {
        if (child.is_object()) {
          write_fields(w, level + 1, child, here, skip);
        } else {
          w.write(level + 1, go_value(child) + "\n");
        }
      }
    } else {
      w.write(level, fmt::format("{}:\t{}\n", smart_label(field), go_value(value)));
    }
  }
}

void
write_events(Writer& w,
             const std::vector<Json>& events,
             std::chrono::system_clock::time_point now) {
  if (events.empty()) {
    w.write(0, "Events:\t<none>\n");
    return;
  }
  std::vector<const Json*> sorted;
  for (const auto& event : events) {
    sorted.push_back(&event);
  }
  // Oldest last-seen first; an event without lastTimestamp counts as Go's zero time.
  auto last_seen = [](const Json* event) {
    auto at = parse_rfc3339(text_field(*event, "/lastTimestamp"));
    return at ? at->time_since_epoch().count() : std::numeric_limits<std::int64_t>::min();
  };
  std::stable_sort(sorted.begin(), sorted.end(), [&](const Json* a, const Json* b) {
    return last_seen(a) < last_seen(b);
  });
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const Json* event : sorted) {
    const Json& e = *event;
    const Json& event_time = field_at(e, "/eventTime");
    std::string first = event_time.is_string() ? age_since(event_time, now)
                                               : age_since(field_at(e, "/firstTimestamp"), now);
    std::string interval = first;
    if (field_at(e, "/series").is_object()) {
      interval = fmt::format("{} (x{} over {})",
                             age_since(field_at(e, "/series/lastObservedTime"), now),
                             integer_field(e, "/series/count"),
                             first);
    } else if (integer_field(e, "/count") > 1) {
      interval = fmt::format("{} (x{} over {})",
                             age_since(field_at(e, "/lastTimestamp"), now),
                             integer_field(e, "/count"),
                             first);
    }
    std::string source = text_field(e, "/source/component");
    if (source.empty()) {
      source = text_field(e, "/reportingComponent");
    }
    std::string message = text_field(e, "/message");
    auto begin = message.find_first_not_of(" \t\n\r\v\f");
    auto end = message.find_last_not_of(" \t\n\r\v\f");
    message = begin == std::string::npos ? "" : message.substr(begin, end - begin + 1);
    std::string field_path = text_field(e, "/involvedObject/fieldPath");
    if (!field_path.empty()) {
      message = field_path + ": " + message;
    }
    w.write(1,
            fmt::format("{}\t{}\t{}\t{}\t{}\n",
                        text_field(e, "/type"),
                        text_field(e, "/reason"),
                        interval,
                        source,
                        message));
  }
}

std::string
human_age(const Json& timestamp, std::chrono::system_clock::time_point now) {
  return age_since(timestamp, now);
}

std::string
rfc1123z(std::string_view rfc3339) {
  auto at = parse_rfc3339(rfc3339);
  if (!at) {
    return "Mon, 01 Jan 0001 00:00:00 +0000";
  }
  // Go prints metav1.Time in the local zone, as kubectl does.
  std::time_t seconds = static_cast<std::time_t>(at->time_since_epoch().count());
  std::tm local{};
  localtime_r(&seconds, &local);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S %z", &local);
  return buffer;
}

void
write_timed_conditions(Writer& w,
                       const Json& conditions,
                       std::string_view time_title,
                       const char* time_field) {
  if (!conditions.is_array() || conditions.empty()) {
    return;
  }
  w.write(0, "Conditions:\n");
  w.write(1, fmt::format("Type\tStatus\t{}\tLastTransitionTime\tReason\tMessage\n", time_title));
  w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
  for (const auto& c : conditions) {
    w.write(1,
            fmt::format("{} \t{} \t{} \t{} \t{} \t{}\n",
                        text_field(c, "/type"),
                        text_field(c, "/status"),
                        rfc1123z(text_field(c, time_field)),
                        rfc1123z(text_field(c, "/lastTransitionTime")),
                        text_field(c, "/reason"),
                        text_field(c, "/message")));
  }
}

std::string
with_cluster_line(std::string_view description, std::string_view cluster) {
  constexpr std::string_view title = "Cluster:";
  std::string_view first = description.substr(0, description.find('\n'));
  std::size_t colon = first.find(':');
  std::size_t column = colon == std::string_view::npos ? std::string_view::npos
                                                       : first.find_first_not_of(' ', colon + 1);
  if (column == std::string_view::npos || column < title.size() + 2) {
    column = title.size() + 2;
  }
  return fmt::format(
      "{}{}{}\n{}", title, std::string(column - title.size(), ' '), cluster, description);
}

} // namespace kctl::describe
