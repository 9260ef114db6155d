#include "kube/labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace kctl::kube {

namespace {

bool
is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// apimachinery's qualifiedNameFmt part: ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool
is_name_part(std::string_view text) {
  if (text.empty() || !is_alnum(text.front()) || !is_alnum(text.back())) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.';
  });
}

constexpr std::string_view k_name_part_rule =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc')";

std::string_view
singular(MetaField field) {
  return field == MetaField::labels ? "label" : "annotation";
}

std::string
trim_blanks(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) {
    return {};
  }
  size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

} // namespace

bool
is_dns1123_label(std::string_view text) {
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  return !text.empty() && text.size() <= 63 && lower_alnum(text.front()) &&
         lower_alnum(text.back()) &&
         std::all_of(text.begin(), text.end(), [&](char c) { return lower_alnum(c) || c == '-'; });
}

bool
is_dns1123_subdomain(std::string_view text) {
  if (text.empty() || text.size() > 253) {
    return false;
  }
  size_t start = 0;
  while (true) {
    size_t end = text.find('.', start);
    if (!is_dns1123_label(text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start))) {
      return false;
    }
    if (end == std::string_view::npos) {
      return true;
    }
    start = end + 1;
  }
}

std::optional<std::string>
qualified_name_error(std::string_view key) {
  std::string_view name = key;
  size_t slash = key.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (name.find('/') != std::string_view::npos) {
      return fmt::format("a qualified name {} with an optional DNS subdomain prefix and '/' "
                         "(e.g. 'example.com/MyName')",
                         k_name_part_rule);
    }
    if (prefix.empty()) {
      return std::string("prefix part must be non-empty");
    }
    if (!is_dns1123_subdomain(prefix)) {
      return std::string(
          "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
          "characters, '-' or '.', and must start and end with an alphanumeric character");
    }
  }
  if (name.empty()) {
    return std::string("name part must be non-empty");
  }
  if (name.size() > 63) {
    return std::string("name part must be no more than 63 characters");
  }
  if (!is_name_part(name)) {
    return fmt::format("name part {}", k_name_part_rule);
  }
  return std::nullopt;
}

std::optional<std::string>
label_value_error(std::string_view value) {
  if (value.empty()) {
    return std::nullopt;
  }
  if (value.size() > 63) {
    return std::string("must be no more than 63 characters");
  }
  if (!is_name_part(value)) {
    return fmt::format("a valid label {}", k_name_part_rule);
  }
  return std::nullopt;
}

std::string_view
field_name(MetaField field) {
  return field == MetaField::labels ? "labels" : "annotations";
}

bool
is_meta_change(std::string_view word) {
  return (word.find('=') != std::string_view::npos && word.front() != '=') ||
         (word.size() > 1 && word.ends_with('-'));
}

Result<std::pair<std::vector<std::string>, std::vector<std::string>>>
split_resources_and_changes(const std::vector<std::string>& words, MetaField field) {
  std::vector<std::string> resources;
  std::vector<std::string> changes;
  for (const auto& word : words) {
    bool change = !word.empty() && is_meta_change(word);
    if (change) {
      changes.push_back(word);
    } else if (!changes.empty()) {
      return fail_usage(fmt::format(
          "all resources must be specified before {} changes: {}", singular(field), word));
    } else {
      resources.push_back(word);
    }
  }
  return std::pair{std::move(resources), std::move(changes)};
}

Result<MetaChanges>
parse_meta_changes(const std::vector<std::string>& words, MetaField field) {
  MetaChanges out;
  auto set = [&](std::string key, std::string value) {
    for (auto& [k, v] : out.set) {
      if (k == key) {
        v = std::move(value);
        return;
      }
    }
    out.set.emplace_back(std::move(key), std::move(value));
  };
  for (const auto& word : words) {
    size_t eq = word.find('=');
    if (eq != std::string::npos && eq != 0) {
      std::string key = word.substr(0, eq);
      std::string value = word.substr(eq + 1);
      if (field == MetaField::labels) {
        if (value.find('=') != std::string::npos) {
          return fail_usage(fmt::format("invalid label spec: {}", word));
        }
        if (auto problem = label_value_error(value)) {
          return fail_usage(fmt::format("invalid label value: \"{}\": {}", word, *problem));
        }
      }
      if (auto problem = qualified_name_error(key)) {
        return fail_usage(fmt::format("invalid {} key \"{}\": {}", singular(field), key, *problem));
      }
      set(std::move(key), std::move(value));
    } else if (word.size() > 1 && word.ends_with('-')) {
      std::string key = word.substr(0, word.size() - 1);
      if (auto problem = qualified_name_error(key)) {
        return fail_usage(fmt::format("invalid {} key \"{}\": {}", singular(field), key, *problem));
      }
      if (std::find(out.remove.begin(), out.remove.end(), key) == out.remove.end()) {
        out.remove.push_back(std::move(key));
      }
    } else {
      return fail_usage(fmt::format("invalid {} format: {}", singular(field), word));
    }
  }
  std::string both;
  for (const auto& key : out.remove) {
    if (std::any_of(
            out.set.begin(), out.set.end(), [&](const auto& kv) { return kv.first == key; })) {
      both += (both.empty() ? "" : ", ") + key;
    }
  }
  if (!both.empty()) {
    return fail_usage(
        fmt::format("can not both modify and remove the following {}(s) in the same command: {}",
                    singular(field),
                    both));
  }
  return out;
}

Result<MetaUpdate>
meta_update(const Json& object,
            MetaField field,
            const MetaChanges& changes,
            bool overwrite,
            std::string_view resource_version) {
  const Json current = object.contains("metadata") &&
                               object["metadata"].contains(std::string(field_name(field))) &&
                               object["metadata"][std::string(field_name(field))].is_object()
                           ? object["metadata"][std::string(field_name(field))]
                           : Json::object();
  Json delta = Json::object();
  bool added = false;
  bool removed = false;
  std::string conflicts;
  for (const auto& [key, value] : changes.set) {
    auto found = current.find(key);
    if (found != current.end() && found->is_string() && found->get<std::string>() == value) {
      continue;
    }
    if (found != current.end() && !overwrite) {
      conflicts += fmt::format("{}'{}' already has a value ({}), and --overwrite is false",
                               conflicts.empty() ? "" : "\n",
                               key,
                               found->is_string() ? found->get<std::string>() : found->dump());
      continue;
    }
    delta[key] = value;
    added = true;
  }
  if (!conflicts.empty()) {
    return fail(conflicts);
  }
  for (const auto& key : changes.remove) {
    if (current.contains(key)) {
      delta[key] = nullptr;
      removed = true;
    }
  }
  MetaUpdate update;
  update.changed = added || removed;
  update.only_removed = removed && !added;
  update.patch = Json::object();
  if (update.changed) {
    update.patch["metadata"][std::string(field_name(field))] = delta;
  }
  if (!resource_version.empty()) {
    update.patch["metadata"]["resourceVersion"] = std::string(resource_version);
  }
  return update;
}

std::string
format_labels(const Json& labels) {
  if (!labels.is_object() || labels.empty()) {
    return "<none>";
  }
  std::vector<std::pair<std::string, std::string>> sorted;
  for (const auto& [key, value] : labels.items()) {
    sorted.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
  }
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& [key, value] : sorted) {
    out += (out.empty() ? "" : ",") + key + "=" + value;
  }
  return out;
}

Result<std::vector<SelectorRequirement>>
parse_selector(std::string_view selector) {
  std::vector<SelectorRequirement> out;
  // Split on commas outside parentheses.
  std::vector<std::string> parts;
  int depth = 0;
  std::string current;
  for (char c : selector) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    }
    if (c == ',' && depth == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  auto bad = [&](std::string_view why) {
    return fail_usage(fmt::format("unable to parse label selector \"{}\": {}", selector, why));
  };
  for (const auto& raw : parts) {
    std::string part = trim_blanks(raw);
    if (part.empty()) {
      if (parts.size() == 1) {
        return out; // the empty selector selects everything
      }
      return bad("empty requirement");
    }
    SelectorRequirement requirement;
    auto set_in = [&](size_t at, size_t word_len, SelectorRequirement::Op op) -> Status {
      requirement.key = trim_blanks(part.substr(0, at));
      requirement.op = op;
      std::string list = trim_blanks(part.substr(at + word_len));
      if (list.size() < 2 || list.front() != '(' || list.back() != ')') {
        return bad("expected a parenthesised value list");
      }
      std::string inner = list.substr(1, list.size() - 2);
      size_t start = 0;
      while (true) {
        size_t comma = inner.find(',', start);
        requirement.values.push_back(trim_blanks(inner.substr(start, comma - start)));
        if (comma == std::string::npos) {
          break;
        }
        start = comma + 1;
      }
      return {};
    };
    if (size_t at = part.find(" notin "); at != std::string::npos) {
      KCTL_TRY(set_in(at, 7, SelectorRequirement::Op::not_in));
    } else if (size_t at2 = part.find(" in "); at2 != std::string::npos) {
      KCTL_TRY(set_in(at2, 4, SelectorRequirement::Op::in));
    } else if (size_t ne = part.find("!="); ne != std::string::npos) {
      requirement.key = trim_blanks(part.substr(0, ne));
      requirement.op = SelectorRequirement::Op::not_equals;
      requirement.values.push_back(trim_blanks(part.substr(ne + 2)));
    } else if (size_t eq2 = part.find("=="); eq2 != std::string::npos) {
      requirement.key = trim_blanks(part.substr(0, eq2));
      requirement.op = SelectorRequirement::Op::equals;
      requirement.values.push_back(trim_blanks(part.substr(eq2 + 2)));
    } else if (size_t eq = part.find('='); eq != std::string::npos) {
      requirement.key = trim_blanks(part.substr(0, eq));
      requirement.op = SelectorRequirement::Op::equals;
      requirement.values.push_back(trim_blanks(part.substr(eq + 1)));
    } else if (part.front() == '!') {
      requirement.key = trim_blanks(part.substr(1));
      requirement.op = SelectorRequirement::Op::not_exists;
    } else {
      requirement.key = part;
      requirement.op = SelectorRequirement::Op::exists;
    }
    if (auto problem = qualified_name_error(requirement.key)) {
      return bad(fmt::format("invalid key \"{}\": {}", requirement.key, *problem));
    }
    for (const auto& value : requirement.values) {
      if (auto problem = label_value_error(value)) {
        return bad(fmt::format("invalid value \"{}\": {}", value, *problem));
      }
    }
    out.push_back(std::move(requirement));
  }
  return out;
}

bool
selector_matches(const std::vector<SelectorRequirement>& selector, const Json& labels) {
  auto value_of = [&](const std::string& key) -> std::optional<std::string> {
    if (!labels.is_object() || !labels.contains(key) || !labels[key].is_string()) {
      return std::nullopt;
    }
    return labels[key].get<std::string>();
  };
  for (const auto& requirement : selector) {
    std::optional<std::string> value = value_of(requirement.key);
    auto listed = [&] {
      return value && std::find(requirement.values.begin(), requirement.values.end(), *value) !=
                          requirement.values.end();
    };
    switch (requirement.op) {
    case SelectorRequirement::Op::exists:
      if (!value) {
        return false;
      }
      break;
    case SelectorRequirement::Op::not_exists:
      if (value) {
        return false;
      }
      break;
    case SelectorRequirement::Op::equals:
    case SelectorRequirement::Op::in:
      if (!listed()) {
        return false;
      }
      break;
    case SelectorRequirement::Op::not_equals:
    case SelectorRequirement::Op::not_in:
      if (listed()) {
        return false;
      }
      break;
    }
  }
  return true;
}

} // namespace kctl::kube
