// kubectl's grammar for label and annotation changes ("k=v", "k-"), the validation of label keys
// and values (apimachinery's qualified names), and the merge patches that apply them. Pure
// functions: no client, no printing.
#pragma once

#include "util/json.hpp"
#include "util/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

// A DNS-1123 label: at most 63 lower-case letters, digits and '-', starting and ending with a
// letter or digit (what the API server requires of a Namespace's name).
bool is_dns1123_label(std::string_view text);

// A DNS-1123 subdomain: DNS-1123 labels joined by '.', at most 253 characters.
bool is_dns1123_subdomain(std::string_view text);

// Returns nullopt when `key` is a qualified name ("[prefix/]name": a DNS-1123 subdomain prefix of
// at most 253 characters, a name of at most 63 alphanumerics, '-', '_' or '.', starting and ending
// alphanumeric), else why not, in apimachinery's words.
std::optional<std::string> qualified_name_error(std::string_view key);

// Returns nullopt when `value` is a valid label value (empty, or at most 63 characters as a name
// part), else why not.
std::optional<std::string> label_value_error(std::string_view value);

// Which metadata map a change is about; decides validation and wording.
enum class MetaField { labels, annotations };

// "labels" or "annotations".
std::string_view field_name(MetaField field);

// The changes asked for on the command line: keys to set (in the order given; a later value for
// the same key wins) and keys to remove.
struct MetaChanges {
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<std::string> remove;
};

// Whether a word is a change ("k=v", "k-") rather than a resource: kubectl's test.
bool is_meta_change(std::string_view word);

// Splits kubectl's positional words into resources (first) and changes (after); a resource after
// a change is a usage error ("all resources must be specified before label changes: x").
Result<std::pair<std::vector<std::string>, std::vector<std::string>>>
split_resources_and_changes(const std::vector<std::string>& words, MetaField field);

// Parses the changes with kubectl's rules: labels need a valid key and value and exactly one '=';
// annotations take everything after the first '=' as the value; a key both set and removed is an
// error. Errors are usage errors.
Result<MetaChanges> parse_meta_changes(const std::vector<std::string>& words, MetaField field);

// What applying changes to one object does.
struct MetaUpdate {
  Json patch; // the merge patch ({"metadata": {"labels": {...}}}); empty object: no change
  bool changed = false;
  bool only_removed = false; // every effective change removed a key (kubectl says "unlabeled")
};

// Builds the merge patch that applies `changes` to `object`'s labels or annotations. Without
// `overwrite`, setting a key that holds another value is an error ("'k' already has a value (v),
// and --overwrite is false"). Removing an absent key is no change. `resource_version`, when not
// empty, goes into the patch (optimistic concurrency, kubectl's --resource-version).
Result<MetaUpdate> meta_update(const Json& object,
                               MetaField field,
                               const MetaChanges& changes,
                               bool overwrite,
                               std::string_view resource_version = {});

// Formats labels as kubectl's LABELS column does: "k=v,k2=v2" sorted by key, "<none>" when empty.
std::string format_labels(const Json& labels);

// A parsed label selector requirement: "k=v", "k==v", "k!=v", "k", "!k", "k in (a,b)",
// "k notin (a,b)".
struct SelectorRequirement {
  enum class Op { equals, not_equals, exists, not_exists, in, not_in } op = Op::exists;
  std::string key;
  std::vector<std::string> values;
};

// Parses a label selector; a usage error when it is malformed.
Result<std::vector<SelectorRequirement>> parse_selector(std::string_view selector);

// Whether `labels` satisfy every requirement.
bool selector_matches(const std::vector<SelectorRequirement>& selector, const Json& labels);

} // namespace kctl::kube
