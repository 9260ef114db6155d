// kubectl's discovery disk cache, shared with kubectl itself: the same directory
// (<cache>/discovery/<server as a file name>), the same files (servergroups.json holding an
// APIGroupList whose first group is the core group "", <group>/<version>/serverresources.json
// holding an APIResourceList), the same modes (0660 files, 0750 directories) and the same rules:
// a file older than six hours (by its mtime) is not used, and once the cache is invalidated only
// the files written since are. A missing, expired, oversized or malformed file is a miss, never
// an error: the caller reads the server instead. Writes that fail are dropped silently, so an
// unwritable home only costs requests.
#pragma once

#include "util/json.hpp"

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kctl::kube {

// client-go's TTL for discovery files (kubectl passes six hours).
inline constexpr std::chrono::seconds k_discovery_cache_ttl = std::chrono::hours(6);
// The largest cache file read: a big cluster's whole APIGroupList or one group version's
// APIResourceList is a few hundred KiB; a larger file is not one kubectl wrote and is a miss.
inline constexpr std::size_t k_max_discovery_cache_file_bytes = std::size_t{8} << 20;
// client-go's modes, so that kubectl and this program can share the files.
inline constexpr mode_t k_discovery_cache_file_mode = 0660;
inline constexpr mode_t k_discovery_cache_dir_mode = 0750;
// The environment variable that moves kubectl's cache directory.
inline constexpr std::string_view k_kube_cache_dir_env = "KUBECACHEDIR";

// kubectl's cache directory: `kube_cache_dir_env` ($KUBECACHEDIR) when set, else
// <home>/.kube/cache; empty when neither is known (no cache, rather than kubectl's relative
// ".kube/cache" in whatever the working directory is).
std::filesystem::path default_cache_dir(std::string_view kube_cache_dir_env,
                                        const std::filesystem::path& home);

// kubectl's file name for `server` (its computeDiscoverCacheDir): the first "https://", then the
// first "http://", removed, every character but ASCII letters, digits, '_', '/', '.', '(' and
// ')' replaced by '_', and the result cleaned as a relative path ("a//b/" is "a/b"). So
// "https://10.0.0.1:6443" is "10.0.0.1_6443", and a member reached through Karmada's proxy
// nests under its Karmada: "10.0.0.1_6443/apis/cluster.karmada.io/v1alpha1/clusters/m1/proxy".
// nullopt when the cleaned name is empty or climbs out with ".." (kubectl would write outside
// its discovery directory; this program keeps no cache for such a server).
std::optional<std::string> discovery_cache_dir_name(std::string_view server);

// <cache_dir>/discovery/<discovery_cache_dir_name(server)>; nullopt without a cache directory or
// a usable name.
std::optional<std::filesystem::path> discovery_cache_dir(const std::filesystem::path& cache_dir,
                                                         std::string_view server);

// What client-go makes of an aggregated discovery answer (apidiscovery.k8s.io/v2
// APIGroupDiscoveryList): the groups as an APIGroupList without stale versions (the first fresh
// version preferred), and each fresh group version's APIResourceList, subresources included as
// "<resource>/<subresource>" entries. Resources without a responseKind are left out, as
// client-go leaves them out.
struct SplitDiscovery {
  Json group_list;                                     // APIGroupList
  std::vector<std::pair<std::string, Json>> resources; // group version, APIResourceList
};
SplitDiscovery split_aggregated_discovery(const Json& aggregated);

// The core group as client-go lists it first in servergroups.json, from /api's APIVersions.
Json core_group(const Json& api_versions);

// What client-go caches from /api's APIVersions and /apis's answer (aggregated or not):
// servergroups.json's APIGroupList, core group first, and for an aggregated answer each fresh
// group version's APIResourceList.
SplitDiscovery discovery_to_cache(const Json& api_versions, const Json& apis_answer);

// The two discovery answers a servergroups.json stands for: /api's APIVersions (the core group's
// versions) and /apis's APIGroupList (every other group).
Json api_versions_of(const Json& group_list);
Json api_groups_of(const Json& group_list);

// The disk cache of one server's discovery. Safe to use from several threads.
class DiscoveryCache {
public:
  explicit DiscoveryCache(std::filesystem::path dir,
                          std::chrono::seconds ttl = k_discovery_cache_ttl);

  // servergroups.json when usable, else nullopt.
  std::optional<Json> server_groups();
  // <group_version>/serverresources.json when usable, else nullopt (also for a group version
  // that is no safe directory name).
  std::optional<Json> server_resources(std::string_view group_version);

  // Writes servergroups.json / <group_version>/serverresources.json. Empty lists are not
  // written (client-go's rule: an empty answer may be a server starting up).
  void store_server_groups(const Json& group_list);
  void store_server_resources(std::string_view group_version, const Json& resource_list);

  // From now on only files written after this call are used (client-go's Invalidate).
  void invalidate();
  // True while every file used was written by this process: a type missing from such a
  // discovery is really not served, while one missing from older files calls for invalidate()
  // and a second look (client-go's Fresh).
  bool fresh() const;

  const std::filesystem::path& dir() const { return m_dir; }

private:
  std::optional<Json> read(const std::filesystem::path& file, std::string_view list_kind);
  void write(const std::filesystem::path& file, const Json& document);

  std::filesystem::path m_dir;
  std::chrono::seconds m_ttl;
  mutable std::mutex m_mutex;
  std::set<std::filesystem::path> m_our_files;
  bool m_invalidated = false;
  bool m_fresh = true;
};

} // namespace kctl::kube
