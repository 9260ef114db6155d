// The generic Kubernetes client.
//
// Design:
// - One Client addresses any resource through ResourceRef{group, version, resource, namespace,
//   name, subresource}; there are no per-kind methods. Discovery (kind -> resource, namespaced)
//   is fetched lazily from /api and /apis/<group>/<version> and cached per Client (copies share
//   the cache), and on disk in kubectl's discovery cache when one is attached (connect() attaches
//   the one of the config's cache directory; kube/discovery_cache.hpp).
// - Below it sits a Transport: CurlTransport for a real apiserver (TLS from memory, auth
//   including exec plugins, a pool of handles that keep connections alive so threads can run
//   requests in parallel, retries with backoff),
//   DryRunTransport wrapping it when --dry-run is set (reads go through, writes are recorded and
//   answered locally), FakeTransport in tests. Dry-run is chosen once, in connect(); nothing
//   below asks "is this a dry run?", and a flow above asks the client (dry_run()), never a flag.
// - Errors are kctl::Error with `reason` and `http_status` taken from the server's Status;
//   not-found is a value: get() returns nullopt and remove() returns DeleteOutcome::not_found.
// - A Client is cheap to copy and safe to use from several threads at once.
#pragma once

#include "kube/api_error.hpp"
#include "kube/backoff.hpp"
#include "kube/discovery_cache.hpp"
#include "kube/dry_run_transport.hpp"
#include "kube/resource.hpp"
#include "kube/rest_config.hpp"
#include "kube/transport.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kctl::kube {

// Whether writes reach the server; chosen once when the client is made. client: writes are
// answered locally (DryRunTransport); server: writes are sent with dryRun=All, so the server
// validates and admits them and stores nothing (ServerDryRunTransport).
enum class DryRun { no, client, server };

// Content types of PATCH.
enum class PatchType { merge, strategic, json };

// Whether server-side apply takes over fields owned by other managers.
enum class Force { no, yes };

// What happened to a delete request.
enum class DeleteOutcome { deleted, not_found };

// How a watch ended without error.
enum class WatchEnd { stopped, timed_out };

// What a watch does when the server says its resourceVersion is too old (410 Gone).
enum class OnGone { report, relist };

// Filters and paging of list().
struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  std::int64_t page_size = 500; // 0: one unpaged request
  // Items as PartialObjectMetadata (apiVersion meta.k8s.io/v1: kind, apiVersion and metadata,
  // without managedFields), for callers that act on names, labels or annotations only.
  bool metadata_only = false;
  // Whole items without metadata.managedFields, dropped while the response is parsed (often most
  // of an object's bytes), for callers that read other fields.
  bool drop_managed_fields = false;
};

// Server-side apply settings.
struct ApplyOptions {
  std::string field_manager = "karmadactl";
  Force force = Force::no;
};

// DeleteOptions sent with remove().
struct DeleteOptions {
  std::string propagation_policy; // "", "Foreground", "Background" or "Orphan"
  std::optional<std::int64_t> grace_period_seconds;
};

// One watch event; BOOKMARKs are consumed by the client and never reach the handler.
struct WatchEvent {
  std::string type; // ADDED, MODIFIED, DELETED
  Json object;
};

// Watch settings.
struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;         // "": the server first sends the current objects as ADDED
  std::chrono::milliseconds timeout{0}; // 0: until the handler stops
  OnGone on_gone = OnGone::report;
  int max_consecutive_failures = 5; // reconnects without progress before giving up
  // The pause before each reconnect that does not follow a healthy stream (see
  // k_watch_healthy_stream); tests shorten it.
  BackoffPolicy backoff = k_watch_backoff;
  std::chrono::milliseconds healthy_stream = k_watch_healthy_stream;
};

// Returns proceed to keep watching or stop to end the watch.
using WatchHandler = std::function<StreamControl(const WatchEvent& event)>;
// Receives each page of a list; returns stop to end early.
using PageHandler = std::function<StreamControl(const Json& page)>;

class Client {
public:
  // Makes a client over `transport`; `default_namespace` is what namespaced helpers use when an
  // object names none.
  explicit Client(std::shared_ptr<Transport> transport, std::string default_namespace = "default");

  // Makes a client for `config` over libcurl, wrapped in a DryRunTransport when `dry_run` is
  // client (with `on_write` told about each suppressed write) or a ServerDryRunTransport when it
  // is server. Fails on an unusable server URL.
  static Result<Client> connect(const RestConfig& config,
                                DryRun dry_run = DryRun::no,
                                DryRunTransport::WriteObserver on_write = {});

  // Returns the object at `ref`, nullopt when it does not exist (404 with a NotFound Status), or
  // the server's error (a bare 404 means the API is not served and is an error).
  Result<std::optional<Json>> get(const ResourceRef& ref) const;

  // Returns a List object ("kind": "<Kind>List") holding the items of every page of `ref`.
  Result<Json> list(const ResourceRef& ref, const ListOptions& options = {}) const;

  // Calls `on_page` with each page of `ref` in order; returns early when it says stop. An
  // expired continue token is an "Expired" error (list() then starts over unpaged).
  Status
  list_pages(const ResourceRef& ref, const ListOptions& options, const PageHandler& on_page) const;

  // POSTs `object` to the collection of `ref` (its name is ignored) and returns the stored
  // object. AlreadyExists is an error with reason "AlreadyExists".
  Result<Json> create(const ResourceRef& ref, const Json& object) const;
  // Same, with the ref found by discovery from the object's apiVersion, kind and namespace.
  Result<Json> create(const Json& object) const;

  // PUTs `object` to `ref` (named by `ref.name`, else by the object's metadata.name).
  Result<Json> update(const ResourceRef& ref, const Json& object) const;

  // PATCHes `ref` with `patch` of content type `type`; returns the patched object.
  Result<Json> patch(const ResourceRef& ref, PatchType type, const Json& patch) const;

  // Server-side apply of `object` to `ref` (application/apply-patch+yaml) with the field manager
  // and force of `options`; returns the resulting object.
  Result<Json>
  apply(const ResourceRef& ref, const Json& object, const ApplyOptions& options = {}) const;
  // Same, with the ref found by discovery from the object.
  Result<Json> apply(const Json& object, const ApplyOptions& options = {}) const;

  // DELETEs `ref`; a missing object is DeleteOutcome::not_found, not an error.
  Result<DeleteOutcome> remove(const ResourceRef& ref, const DeleteOptions& options = {}) const;

  // Watches the collection of `ref` (or one object, when `ref.name` is set, through a
  // metadata.name field selector), calling `on_event` for each event. Reconnects from the last
  // resourceVersion seen when the server closes the stream: at once after a healthy stream,
  // else after a growing pause (options.backoff); on 410 Gone reports an "Expired" error or,
  // with OnGone::relist, lists again and delivers the current objects as ADDED. A line that is
  // not a watch event (a JSON object with type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR and an
  // object) ends the watch with an error. Returns timed_out when `options.timeout` passes first.
  Result<WatchEnd>
  watch(const ResourceRef& ref, const WatchOptions& options, const WatchHandler& on_event) const;

  // Returns what discovery says about `kind` in `api_version` ("apps/v1"); the error has reason
  // NotFound when the server does not serve it.
  Result<ApiResource> resolve_kind(std::string_view api_version, std::string_view kind) const;

  // Returns the ref of `object` from its apiVersion, kind, metadata.namespace (or the default
  // namespace, for namespaced kinds) and metadata.name.
  Result<ResourceRef> ref_for(const Json& object) const;

  // Returns the discovery document at `path`: "/api" (APIVersions), "/api/<version>" or
  // "/apis/<group>/<version>" (APIResourceList), "/apis" (aggregated discovery where the server
  // serves it, else APIGroupList). With a disk cache attached, a usable cache file answers
  // instead of the server, "/apis" then as an APIGroupList, and what the server answers is
  // written to the cache.
  Result<Json> discovery_document(std::string_view path) const;

  // Attaches kubectl's discovery disk cache (shared by this client's copies).
  void use_discovery_cache(std::shared_ptr<DiscoveryCache> cache);
  // The attached disk cache, or null.
  std::shared_ptr<DiscoveryCache> discovery_cache() const;
  // False when discovery answered from cache files written before this process (or before the
  // last invalidation): a type it does not know may be new, so callers invalidate and look
  // again. Always true without a disk cache.
  bool discovery_fresh() const;
  // Forgets the discovery read so far: the next reads go to the server (and refill the cache).
  void invalidate_discovery() const;

  // Returns the preferred version of API `group` from /apis ("" → "v1").
  Result<std::string> preferred_version(std::string_view group) const;

  // GETs an arbitrary path ("/readyz", "/version?timeout=5s") and returns the body; non-2xx
  // statuses are errors that carry the status.
  Result<std::string> get_raw(std::string_view path) const;

  // Returns the parsed /version document.
  Result<Json> server_version() const;

  // Returns the namespace used for namespaced objects that name none.
  const std::string& default_namespace() const { return m_default_namespace; }

  // True when this client's writes are a dry run (recorded, not sent).
  bool dry_run() const { return m_transport && m_transport->is_dry_run(); }

  // Returns the transport (for tests and for printing dry-run records).
  const std::shared_ptr<Transport>& transport() const { return m_transport; }

  struct Discovery; // cached discovery documents; defined in the .cpp

private:
  Result<Response> call(Request request) const;
  Result<Json> call_json(Request request) const;
  Result<std::vector<ApiResource>> resources_of(const std::string& group_version) const;
  Result<ApiResource> find_kind(std::string_view api_version, std::string_view kind) const;
  Result<Json> fetch_discovery(std::string_view path) const;
  Result<Json> cached_api_versions(DiscoveryCache& cache) const;
  Result<Json> cached_api_groups(DiscoveryCache& cache) const;
  Result<Json> cached_resources(DiscoveryCache& cache, const std::string& group_version) const;
  static std::shared_ptr<Discovery> new_discovery();

  std::shared_ptr<Transport> m_transport;
  std::string m_default_namespace;
  std::shared_ptr<Discovery> m_discovery;
};

// Returns the Content-Type of patch `type`.
std::string_view patch_content_type(PatchType type);

} // namespace kctl::kube
