#include "kube/client.hpp"

#include "kube/curl_transport.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace kctl::kube {

namespace {

constexpr std::string_view k_json = "application/json";
constexpr std::string_view k_metadata_list_accept =
    "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

bool
is_success(int status) {
  return status >= 200 && status < 300;
}

Result<Json>
parse_json(const std::string& body, std::string_view what) {
  auto parsed = json::parse(body);
  if (!parsed) {
    return failf("{}: the server's answer: {}", what, parsed.error().message);
  }
  return parsed;
}

// Same, leaving every "managedFields" member out while parsing.
Result<Json>
parse_json_without_managed_fields(const std::string& body, std::string_view what) {
  Json parsed = Json::parse(
      body,
      [](int, Json::parse_event_t event, Json& value) {
        return !(event == Json::parse_event_t::key && value.is_string() &&
                 value.get_ref<const std::string&>() == "managedFields");
      },
      false);
  if (parsed.is_discarded()) {
    return failf("{}: the server's answer is not JSON", what);
  }
  return parsed;
}

Request
make_request(Verb verb, const ResourceRef& ref, std::string path) {
  Request request;
  request.verb = verb;
  request.ref = ref;
  request.path = std::move(path);
  return request;
}

Request
with_body(Request request, const Json& body, std::string_view content_type) {
  request.body = body.dump();
  request.content_type = std::string(content_type);
  return request;
}

ResourceRef
collection_of(const ResourceRef& ref) {
  ResourceRef out = ref;
  out.name.clear();
  out.subresource.clear();
  return out;
}

Query
list_query(const ListOptions& options, const std::string& continue_token) {
  Query query;
  if (!options.label_selector.empty()) {
    query.emplace_back("labelSelector", options.label_selector);
  }
  if (!options.field_selector.empty()) {
    query.emplace_back("fieldSelector", options.field_selector);
  }
  if (options.page_size > 0) {
    query.emplace_back("limit", std::to_string(options.page_size));
  }
  if (!continue_token.empty()) {
    query.emplace_back("continue", continue_token);
  }
  return query;
}

std::string
continue_of(const Json& page) {
  auto token = "/metadata/continue"_json_pointer;
  return page.contains(token) && page[token].is_string() ? page[token].get<std::string>()
                                                         : std::string();
}

// A list page is an object whose metadata, if any, is an object and whose items, if any, are an
// array of objects.
Status
check_list_page(const Json& page, const ResourceRef& collection) {
  if (!page.is_object()) {
    return failf("{}: the server's answer is not a list object", collection.describe());
  }
  if (auto metadata = page.find("metadata");
      metadata != page.end() && !metadata->is_null() && !metadata->is_object()) {
    return failf("{}: the server's answer has metadata that is not an object",
                 collection.describe());
  }
  auto items = page.find("items");
  if (items == page.end() || items->is_null()) {
    return {};
  }
  if (!items->is_array() || !std::all_of(items->begin(), items->end(), [](const Json& item) {
        return item.is_object();
      })) {
    return failf("{}: the server's answer has items that are not a list of objects",
                 collection.describe());
  }
  return {};
}

// Fills the name of `ref` from the object when the caller left it out.
ResourceRef
named(const ResourceRef& ref, const Json& object) {
  if (!ref.name.empty()) {
    return ref;
  }
  return ref.with_name(object.value("/metadata/name"_json_pointer, std::string{}));
}

// A missing object comes with a NotFound Status; a bare 404 ("404 page not found") means the
// API itself is not served, which must not pass for "the object is absent".
bool
is_object_not_found(const Response& response) {
  if (response.status != 404) {
    return false;
  }
  auto body = json::parse(response.body);
  return body && body->is_object() && body->value("kind", "") == "Status" &&
         is_not_found(error_from_status(*body, 404));
}

Status
require_name(const ResourceRef& ref, std::string_view verb) {
  if (ref.name.empty()) {
    return failf("{} {}: no object name given", verb, ref.describe());
  }
  return {};
}

} // namespace

std::string_view
patch_content_type(PatchType type) {
  switch (type) {
  case PatchType::merge:
    return "application/merge-patch+json";
  case PatchType::strategic:
    return "application/strategic-merge-patch+json";
  case PatchType::json:
    return "application/json-patch+json";
  }
  return "application/merge-patch+json";
}

Client::Client(std::shared_ptr<Transport> transport, std::string default_namespace)
    : m_transport(std::move(transport)), m_default_namespace(std::move(default_namespace)),
      m_discovery(new_discovery()) {}

Result<Client>
Client::connect(const RestConfig& config, DryRun dry_run, DryRunTransport::WriteObserver on_write) {
  KCTL_TRY_ASSIGN(std::shared_ptr<CurlTransport> curl, CurlTransport::create(config));
  std::shared_ptr<Transport> transport = curl;
  if (dry_run == DryRun::client) {
    transport = std::make_shared<DryRunTransport>(std::move(transport), std::move(on_write));
  } else if (dry_run == DryRun::server) {
    transport = std::make_shared<ServerDryRunTransport>(std::move(transport));
  }
  Client client(std::move(transport), config.namespace_name);
  if (auto dir = discovery_cache_dir(config.cache_dir, config.server)) {
    client.use_discovery_cache(std::make_shared<DiscoveryCache>(*dir));
  }
  return client;
}

Result<Response>
Client::call(Request request) const {
  return m_transport->send(request);
}

Result<Json>
Client::call_json(Request request) const {
  KCTL_TRY_ASSIGN(Response response, call(std::move(request)));
  if (!is_success(response.status)) {
    return std::unexpected(error_from_response(response));
  }
  return parse_json(response.body, "decoding the response");
}

Result<std::optional<Json>>
Client::get(const ResourceRef& ref) const {
  KCTL_TRY(require_name(ref, "get"));
  KCTL_TRY_ASSIGN(Response response, call(make_request(Verb::get, ref, ref.path())));
  if (is_object_not_found(response)) {
    return std::optional<Json>{};
  }
  if (!is_success(response.status)) {
    return std::unexpected(error_from_response(response));
  }
  KCTL_TRY_ASSIGN(Json object, parse_json(response.body, ref.describe()));
  if (!object.is_object()) {
    return failf("{}: the server's answer is not an object", ref.describe());
  }
  return std::optional(std::move(object));
}

Status
Client::list_pages(const ResourceRef& ref,
                   const ListOptions& options,
                   const PageHandler& on_page) const {
  ResourceRef collection = collection_of(ref);
  std::string token;
  while (true) {
    Request request = make_request(
        Verb::list, collection, with_query(collection.path(), list_query(options, token)));
    Json page;
    if (options.metadata_only || options.drop_managed_fields) {
      if (options.metadata_only) {
        request.accept = std::string(k_metadata_list_accept);
      }
      KCTL_TRY_ASSIGN(Response response, call(std::move(request)));
      if (!is_success(response.status)) {
        return std::unexpected(error_from_response(response));
      }
      KCTL_TRY_ASSIGN(page,
                      parse_json_without_managed_fields(response.body, "decoding the response"));
    } else {
      KCTL_TRY_ASSIGN(page, call_json(std::move(request)));
    }
    // Callers read metadata and items without asking what they are: a page of another shape
    // (a hostile or broken server) is an error here, not an exception there.
    KCTL_TRY(check_list_page(page, collection));
    if (on_page(page) == StreamControl::stop) {
      return {};
    }
    token = continue_of(page);
    if (token.empty()) {
      return {};
    }
  }
}

Result<Json>
Client::list(const ResourceRef& ref, const ListOptions& options) const {
  Json aggregate;
  Json items = Json::array();
  auto collect = [&](const Json& page) {
    if (aggregate.is_null()) {
      aggregate = page;
    }
    aggregate["metadata"] = page.value("metadata", Json::object());
    for (const auto& item : page.value("items", Json::array())) {
      items.push_back(item);
    }
    return StreamControl::proceed;
  };
  Status listed = list_pages(ref, options, collect);
  if (!listed && is_expired(listed.error()) && options.page_size > 0 && !aggregate.is_null()) {
    // The continue token outlived its snapshot; list again unpaged, as client-go's pager does.
    KLOG(4, "continue token for {} expired; listing again without paging", ref.describe());
    aggregate = nullptr;
    items = Json::array();
    ListOptions unpaged = options;
    unpaged.page_size = 0;
    listed = list_pages(ref, unpaged, collect);
  }
  KCTL_TRY(listed);
  aggregate["items"] = std::move(items);
  if (aggregate["metadata"].is_object()) {
    aggregate["metadata"].erase("continue");
    aggregate["metadata"].erase("remainingItemCount");
  }
  return aggregate;
}

Result<Json>
Client::create(const ResourceRef& ref, const Json& object) const {
  ResourceRef collection = collection_of(ref);
  return call_json(with_body(
      make_request(Verb::create, named(collection, object), collection.path()), object, k_json));
}

Result<Json>
Client::create(const Json& object) const {
  KCTL_TRY_ASSIGN(ResourceRef ref, ref_for(object));
  return create(ref, object);
}

Result<Json>
Client::update(const ResourceRef& ref, const Json& object) const {
  ResourceRef target = named(ref, object);
  KCTL_TRY(require_name(target, "update"));
  return call_json(with_body(make_request(Verb::update, target, target.path()), object, k_json));
}

Result<Json>
Client::patch(const ResourceRef& ref, PatchType type, const Json& patch) const {
  KCTL_TRY(require_name(ref, "patch"));
  return call_json(
      with_body(make_request(Verb::patch, ref, ref.path()), patch, patch_content_type(type)));
}

Result<Json>
Client::apply(const ResourceRef& ref, const Json& object, const ApplyOptions& options) const {
  ResourceRef target = named(ref, object);
  KCTL_TRY(require_name(target, "apply"));
  Query query{{"fieldManager", options.field_manager}};
  if (options.force == Force::yes) {
    query.emplace_back("force", "true");
  }
  // JSON is YAML, so the object goes as it is under the apply content type.
  return call_json(with_body(make_request(Verb::apply, target, with_query(target.path(), query)),
                             object,
                             "application/apply-patch+yaml"));
}

Result<Json>
Client::apply(const Json& object, const ApplyOptions& options) const {
  KCTL_TRY_ASSIGN(ResourceRef ref, ref_for(object));
  return apply(ref, object, options);
}

Result<DeleteOutcome>
Client::remove(const ResourceRef& ref, const DeleteOptions& options) const {
  KCTL_TRY(require_name(ref, "delete"));
  Json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
  if (!options.propagation_policy.empty()) {
    body["propagationPolicy"] = options.propagation_policy;
  }
  if (options.grace_period_seconds) {
    body["gracePeriodSeconds"] = *options.grace_period_seconds;
  }
  KCTL_TRY_ASSIGN(Response response,
                  call(with_body(make_request(Verb::remove, ref, ref.path()), body, k_json)));
  if (is_success(response.status)) {
    return DeleteOutcome::deleted;
  }
  if (is_object_not_found(response)) {
    return DeleteOutcome::not_found;
  }
  return std::unexpected(error_from_response(response));
}

Result<std::string>
Client::get_raw(std::string_view path) const {
  KCTL_TRY_ASSIGN(Response response, call(make_request(Verb::raw_get, {}, std::string(path))));
  if (!is_success(response.status)) {
    return std::unexpected(error_from_response(response));
  }
  return std::move(response.body);
}

Result<Json>
Client::server_version() const {
  KCTL_TRY_ASSIGN(std::string body, get_raw("/version"));
  return parse_json(body, "/version");
}

} // namespace kctl::kube
