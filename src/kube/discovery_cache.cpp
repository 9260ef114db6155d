#include "kube/discovery_cache.hpp"

#include "kube/resource.hpp"
#include "util/fs.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <cctype>

namespace kctl::kube {

namespace {

constexpr std::string_view k_groups_file = "servergroups.json";
constexpr std::string_view k_resources_file = "serverresources.json";

// The length of the UTF-8 sequence starting at `text[at]`, or 0 when it is not a valid one. Go's
// regexp replaces a whole character by one '_' but each invalid byte by its own.
std::size_t
utf8_sequence_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  std::size_t length = lead >= 0xF0 && lead <= 0xF4   ? 4
                       : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xC2 && lead <= 0xDF ? 2
                                                      : 0;
  if (length == 0 || at + length > text.size()) {
    return 0;
  }
  // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
  unsigned char low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
  unsigned char high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
  if (byte(at + 1) < low || byte(at + 1) > high) {
    return 0;
  }
  for (std::size_t i = at + 2; i < at + length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) {
      return 0;
    }
  }
  return length;
}

// kubectl's pattern [^(\w/.)] keeps ASCII word characters, '/', '.', '(' and ')'.
bool
kept_in_dir_name(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '/' || c == '.' ||
         c == '(' || c == ')';
}

void
erase_first(std::string& text, std::string_view what) {
  if (auto at = text.find(what); at != std::string::npos) {
    text.erase(at, what.size());
  }
}

std::string
replace_unsafe_characters(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      out += kept_in_dir_name(text[i]) ? text[i] : '_';
      ++i;
      continue;
    }
    out += '_';
    i += std::max<std::size_t>(1, utf8_sequence_length(text, i));
  }
  return out;
}

// Go's filepath.Clean of a path relative to the discovery directory; nullopt when ".." climbs
// out of it.
std::optional<std::string>
clean_relative(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    std::string_view part = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (parts.empty()) {
        return std::nullopt;
      }
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) {
      out += '/';
    }
    out += part;
  }
  return out;
}

// Whether `group_version` ("v1", "apps/v1") may name directories under the cache: a typed name
// or a server's answer must not reach outside it.
bool
safe_group_version(std::string_view group_version) {
  auto safe_part = [](std::string_view part) {
    return !part.empty() && part != "." && part != ".." &&
           std::all_of(part.begin(), part.end(), [](char c) {
             return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' ||
                    c == '_';
           });
  };
  std::size_t slash = group_version.find('/');
  if (slash == std::string_view::npos) {
    return safe_part(group_version);
  }
  return safe_part(group_version.substr(0, slash)) && safe_part(group_version.substr(slash + 1));
}

// --- the shape checks that make a malformed file a miss instead of an exception later ---

bool
is_string_array(const Json& value) {
  return value.is_array() &&
         std::all_of(value.begin(), value.end(), [](const Json& v) { return v.is_string(); });
}

// True when `key` is absent or null in `object`, or holds a value `ok` accepts.
template <typename Check>
bool
absent_or(const Json& object, const char* key, Check ok) {
  auto found = object.find(key);
  return found == object.end() || found->is_null() || ok(*found);
}

bool
is_group_version_entry(const Json& entry) {
  return entry.is_object() && absent_or(entry, "groupVersion", std::mem_fn(&Json::is_string)) &&
         absent_or(entry, "version", std::mem_fn(&Json::is_string));
}

bool
is_api_group(const Json& group) {
  return group.is_object() && absent_or(group, "name", std::mem_fn(&Json::is_string)) &&
         absent_or(group,
                   "versions",
                   [](const Json& versions) {
                     return versions.is_array() &&
                            std::all_of(versions.begin(), versions.end(), is_group_version_entry);
                   }) &&
         absent_or(group, "preferredVersion", is_group_version_entry);
}

bool
is_api_resource(const Json& resource) {
  auto is_string = std::mem_fn(&Json::is_string);
  return resource.is_object() && resource.contains("name") && resource["name"].is_string() &&
         absent_or(resource, "singularName", is_string) &&
         absent_or(resource, "namespaced", std::mem_fn(&Json::is_boolean)) &&
         absent_or(resource, "group", is_string) && absent_or(resource, "version", is_string) &&
         absent_or(resource, "kind", is_string) && absent_or(resource, "verbs", is_string_array) &&
         absent_or(resource, "shortNames", is_string_array) &&
         absent_or(resource, "categories", is_string_array);
}

bool
is_list_of(const Json& document, const char* list_key, bool (*item_ok)(const Json&)) {
  if (!document.is_object()) {
    return false;
  }
  auto items = document.find(list_key);
  return items != document.end() && items->is_array() &&
         std::all_of(items->begin(), items->end(), item_ok);
}

bool
well_formed(const Json& document, std::string_view list_kind) {
  if (!absent_or(document, "kind", [&](const Json& kind) { return kind == list_kind; })) {
    return false;
  }
  return list_kind == "APIGroupList" ? is_list_of(document, "groups", is_api_group)
                                     : is_list_of(document, "resources", is_api_resource);
}

// --- aggregated discovery, converted as client-go converts it ---

Json
group_version_entry(const std::string& group, const std::string& version) {
  return {{"groupVersion", kube::group_version(group, version)}, {"version", version}};
}

// An APIResource's fields in client-go's order; group and version only when the response kind
// names them (client-go omits empty ones).
Json
api_resource(const std::string& name,
             const std::string& singular,
             bool namespaced,
             const Json& response_kind,
             const Json& verbs) {
  Json out = {{"name", name}, {"singularName", singular}, {"namespaced", namespaced}};
  for (const char* key : {"group", "version"}) {
    if (std::string value = json::string_or(response_kind, key); !value.empty()) {
      out[key] = value;
    }
  }
  out["kind"] = json::string_or(response_kind, "kind");
  out["verbs"] = is_string_array(verbs) ? verbs : Json::array();
  return out;
}

bool
names_a_kind(const Json& response_kind) {
  return response_kind.is_object() && (!json::string_or(response_kind, "kind").empty() ||
                                       !json::string_or(response_kind, "group").empty() ||
                                       !json::string_or(response_kind, "version").empty());
}

// One aggregated resource and its subresources as APIResourceList entries.
void
add_aggregated_resource(const Json& item, Json& resources) {
  if (!item.is_object()) {
    return;
  }
  std::string name = json::string_or(item, "resource");
  std::string singular = json::string_or(item, "singularResource");
  bool namespaced = json::string_or(item, "scope") == "Namespaced";
  Json response_kind = json::object_or_empty(item, "responseKind");
  if (names_a_kind(response_kind)) {
    Json resource = api_resource(
        name, singular, namespaced, response_kind, json::array_or_empty(item, "verbs"));
    for (const char* key : {"shortNames", "categories"}) {
      Json values = json::array_or_empty(item, key);
      if (!values.empty() && is_string_array(values)) {
        resource[key] = values;
      }
    }
    resources.push_back(std::move(resource));
  }
  for (const auto& sub : json::array_or_empty(item, "subresources")) {
    Json sub_kind = sub.is_object() ? json::object_or_empty(sub, "responseKind") : Json::object();
    if (!names_a_kind(sub_kind)) {
      continue;
    }
    resources.push_back(api_resource(name + "/" + json::string_or(sub, "subresource"),
                                     singular,
                                     namespaced,
                                     sub_kind,
                                     json::array_or_empty(sub, "verbs")));
  }
}

Json
resource_list(const std::string& group_version, Json resources) {
  return {{"kind", "APIResourceList"},
          {"apiVersion", "v1"},
          {"groupVersion", group_version},
          {"resources", std::move(resources)}};
}

Json
make_group_list(Json groups) {
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

// The first group of a servergroups.json when it is the core group.
const Json*
core_group_of(const Json& list) {
  auto groups = list.find("groups");
  if (groups == list.end() || !groups->is_array() || groups->empty() ||
      !json::string_or(groups->front(), "name").empty()) {
    return nullptr;
  }
  return &groups->front();
}

bool
expired(const std::filesystem::path& file, std::chrono::seconds ttl) {
  std::error_code error;
  auto modified = std::filesystem::last_write_time(file, error);
  return error || std::filesystem::file_time_type::clock::now() > modified + ttl;
}

} // namespace

std::filesystem::path
default_cache_dir(std::string_view kube_cache_dir_env, const std::filesystem::path& home) {
  if (!kube_cache_dir_env.empty()) {
    return std::filesystem::path(kube_cache_dir_env);
  }
  if (home.empty()) {
    return {};
  }
  return home / ".kube" / "cache";
}

std::optional<std::string>
discovery_cache_dir_name(std::string_view server) {
  std::string host(server);
  erase_first(host, "https://");
  erase_first(host, "http://");
  std::optional<std::string> name = clean_relative(replace_unsafe_characters(host));
  if (!name || name->empty()) {
    return std::nullopt;
  }
  return name;
}

std::optional<std::filesystem::path>
discovery_cache_dir(const std::filesystem::path& cache_dir, std::string_view server) {
  if (cache_dir.empty()) {
    return std::nullopt;
  }
  std::optional<std::string> name = discovery_cache_dir_name(server);
  if (!name) {
    return std::nullopt;
  }
  return cache_dir / "discovery" / *name;
}

SplitDiscovery
split_aggregated_discovery(const Json& aggregated) {
  SplitDiscovery out{make_group_list(Json::array()), {}};
  for (const auto& item : json::array_or_empty(aggregated, "items")) {
    if (!item.is_object()) {
      continue;
    }
    std::string group = json::string_at(item, "/metadata/name"_json_pointer);
    Json entry = {{"name", group}, {"versions", Json::array()}};
    Json preferred;
    for (const auto& version_entry : json::array_or_empty(item, "versions")) {
      std::string version = json::string_or(version_entry, "version");
      if (version.empty() || json::string_or(version_entry, "freshness") == "Stale") {
        continue; // a stale version is a failed one for client-go: neither listed nor cached
      }
      Json listed = group_version_entry(group, version);
      entry["versions"].push_back(listed);
      if (preferred.is_null()) {
        preferred = listed;
      }
      Json resources = Json::array();
      for (const auto& resource : json::array_or_empty(version_entry, "resources")) {
        add_aggregated_resource(resource, resources);
      }
      std::string group_version = listed["groupVersion"].get<std::string>();
      out.resources.emplace_back(group_version, resource_list(group_version, std::move(resources)));
    }
    entry["preferredVersion"] =
        preferred.is_null() ? Json{{"groupVersion", ""}, {"version", ""}} : preferred;
    out.group_list["groups"].push_back(std::move(entry));
  }
  return out;
}

Json
core_group(const Json& api_versions) {
  Json entry = {{"name", ""}, {"versions", Json::array()}};
  for (const auto& version : json::array_or_empty(api_versions, "versions")) {
    if (version.is_string()) {
      entry["versions"].push_back(group_version_entry("", version.get<std::string>()));
    }
  }
  entry["preferredVersion"] = entry["versions"].empty()
                                  ? Json{{"groupVersion", ""}, {"version", ""}}
                                  : entry["versions"].front();
  return entry;
}

SplitDiscovery
discovery_to_cache(const Json& api_versions, const Json& apis_answer) {
  SplitDiscovery out;
  if (json::string_or(apis_answer, "kind") == "APIGroupDiscoveryList") {
    out = split_aggregated_discovery(apis_answer);
  } else {
    out.group_list = make_group_list(Json::array());
    for (const auto& group : json::array_or_empty(apis_answer, "groups")) {
      if (is_api_group(group)) {
        out.group_list["groups"].push_back(group);
      }
    }
  }
  out.group_list["groups"].insert(out.group_list["groups"].begin(), core_group(api_versions));
  return out;
}

Json
api_versions_of(const Json& group_list) {
  Json versions = Json::array();
  if (const Json* core = core_group_of(group_list)) {
    for (const auto& entry : json::array_or_empty(*core, "versions")) {
      versions.push_back(json::string_or(entry, "version"));
    }
  }
  return {{"kind", "APIVersions"}, {"versions", std::move(versions)}};
}

Json
api_groups_of(const Json& group_list) {
  Json groups = Json::array();
  for (const auto& group : json::array_or_empty(group_list, "groups")) {
    if (!json::string_or(group, "name").empty()) {
      groups.push_back(group);
    }
  }
  return make_group_list(std::move(groups));
}

DiscoveryCache::DiscoveryCache(std::filesystem::path dir, std::chrono::seconds ttl)
    : m_dir(std::move(dir)), m_ttl(ttl) {}

std::optional<Json>
DiscoveryCache::server_groups() {
  return read(m_dir / k_groups_file, "APIGroupList");
}

std::optional<Json>
DiscoveryCache::server_resources(std::string_view group_version) {
  if (!safe_group_version(group_version)) {
    return std::nullopt;
  }
  return read(m_dir / std::string(group_version) / k_resources_file, "APIResourceList");
}

void
DiscoveryCache::store_server_groups(const Json& list) {
  if (!json::array_or_empty(list, "groups").empty()) {
    write(m_dir / k_groups_file, list);
  }
}

void
DiscoveryCache::store_server_resources(std::string_view group_version, const Json& list) {
  Json resources = json::array_or_empty(list, "resources");
  if (safe_group_version(group_version) && !resources.empty()) {
    // client-go writes the list it decoded, so kind and apiVersion are always there (a server's
    // own answer may leave apiVersion out, which kubectl's decoder does not accept).
    write(m_dir / std::string(group_version) / k_resources_file,
          resource_list(std::string(group_version), std::move(resources)));
  }
}

void
DiscoveryCache::invalidate() {
  std::lock_guard lock(m_mutex);
  m_our_files.clear();
  m_invalidated = true;
  m_fresh = true;
}

bool
DiscoveryCache::fresh() const {
  std::lock_guard lock(m_mutex);
  return m_fresh;
}

std::optional<Json>
DiscoveryCache::read(const std::filesystem::path& file, std::string_view list_kind) {
  bool ours = false;
  {
    std::lock_guard lock(m_mutex);
    ours = m_our_files.contains(file);
    if (m_invalidated && !ours) {
      return std::nullopt;
    }
  }
  if (expired(file, m_ttl)) {
    return std::nullopt;
  }
  auto text = fs::read_file(file, k_max_discovery_cache_file_bytes, "a discovery cache file");
  if (!text) {
    KLOG(6, "discovery cache: {}", text.error().message);
    return std::nullopt;
  }
  auto document = json::parse(*text);
  if (!document || !well_formed(*document, list_kind)) {
    KLOG(6, "discovery cache: {} is no {}, ignored", file.string(), list_kind);
    return std::nullopt;
  }
  KLOG(8, "discovery cache: using {}", file.string());
  std::lock_guard lock(m_mutex);
  m_fresh = m_fresh && ours;
  return std::move(*document);
}

void
DiscoveryCache::write(const std::filesystem::path& file, const Json& document) {
  Status written = fs::ensure_dir(file.parent_path(), k_discovery_cache_dir_mode);
  if (written) {
    written = fs::write_file_atomic(file,
                                    document.dump(-1, ' ', false, Json::error_handler_t::replace),
                                    k_discovery_cache_file_mode,
                                    fs::Durability::unsynced);
  }
  if (!written) {
    KLOG(6, "discovery cache: {}", written.error().message);
    return;
  }
  std::lock_guard lock(m_mutex);
  m_our_files.insert(file);
}

} // namespace kctl::kube
