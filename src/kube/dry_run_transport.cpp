#include "kube/dry_run_transport.hpp"

#include "kube/api_error.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

namespace kctl::kube {

namespace {

std::string
qualified_resource(const ResourceRef& ref) {
  return ref.group.empty() ? ref.resource : fmt::format("{}.{}", ref.resource, ref.group);
}

Response
json_response(int status, const Json& body) {
  return Response{status, body.dump(), {{"content-type", "application/json"}}};
}

Response
status_response(int code, std::string_view why, const std::string& message) {
  return json_response(code, make_status(code, why, message));
}

Response
not_found(const ResourceRef& ref) {
  return status_response(404,
                         reason::not_found,
                         fmt::format("{} \"{}\" not found", qualified_resource(ref), ref.name));
}

// The object path of a single-object request (no subresource), or "" for anything else.
std::string
object_key(const ResourceRef& ref) {
  if (ref.resource.empty() || ref.name.empty() || !ref.subresource.empty()) {
    return {};
  }
  return ref.path();
}

Json
parse_body(const std::string& body) {
  auto parsed = json::parse(body);
  return parsed ? std::move(*parsed) : Json(body);
}

// Applies `patch` of `content_type` to `target`, or returns nullopt when it does not apply.
std::optional<Json>
apply_patch(Json target, const Json& patch, const std::string& content_type) {
  try {
    if (content_type == "application/json-patch+json") {
      return target.patch(patch);
    }
    // Strategic merge needs the schema's merge keys; a JSON merge patch gives the same result
    // for maps and replaces lists, which is close enough for a preview.
    target.merge_patch(patch);
    return target;
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

} // namespace

std::string
describe_write(const RecordedWrite& write) {
  return fmt::format("[dry-run] would {} {}", write_word(write.verb), write.ref.describe());
}

DryRunTransport::DryRunTransport(std::shared_ptr<Transport> inner, WriteObserver on_write)
    : m_inner(std::move(inner)), m_on_write(std::move(on_write)) {}

Result<Response>
DryRunTransport::send(const Request& request) {
  if (is_write(request.verb)) {
    RecordedWrite record{request.verb, request.ref, request.body, request.content_type};
    auto answer = answer_write(request, record);
    {
      std::lock_guard lock(m_mutex);
      m_writes.push_back(record);
    }
    KLOG(2, "{}", describe_write(record));
    if (m_on_write) {
      m_on_write(record);
    }
    return answer;
  }
  if (request.verb == Verb::get) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_overlay.find(object_key(request.ref)); it != m_overlay.end()) {
      return it->second ? json_response(200, *it->second) : not_found(request.ref);
    }
  }
  // A read that fails is an error, in a dry run as in a real one: a plan made without the
  // cluster's answers would claim things (nothing to delete, everything to create) nobody checked.
  return m_inner->send(request);
}

Result<Response>
DryRunTransport::stream(const Request& request, const LineHandler& on_line) {
  return m_inner->stream(request, on_line);
}

std::vector<RecordedWrite>
DryRunTransport::writes() const {
  std::lock_guard lock(m_mutex);
  return m_writes;
}

Result<std::optional<Json>>
DryRunTransport::current(const ResourceRef& ref) {
  std::string key = object_key(ref);
  {
    std::lock_guard lock(m_mutex);
    if (auto it = m_overlay.find(key); it != m_overlay.end()) {
      return it->second;
    }
  }
  Request read{Verb::get, ref, ref.path(), {}, {}, "application/json", {}};
  // A read that fails fails the write it was for: "would create" is no answer when nobody could
  // say whether the object exists.
  KCTL_TRY_ASSIGN(Response response, m_inner->send(read));
  if (response.status == 404) {
    return std::optional<Json>{};
  }
  if (response.status < 200 || response.status >= 300) {
    return std::unexpected(error_from_response(response));
  }
  return std::optional(parse_body(response.body));
}

Result<Response>
DryRunTransport::answer_write(const Request& request, RecordedWrite& record) {
  Json body = parse_body(request.body);
  if (record.ref.name.empty() && body.is_object()) {
    record.ref.name = body.value("/metadata/name"_json_pointer, std::string{});
  }
  std::string key = object_key(record.ref);
  KCTL_TRY_ASSIGN(std::optional<Json> existing,
                  key.empty() ? Result<std::optional<Json>>(std::nullopt) : current(record.ref));
  auto remember = [&](std::optional<Json> state) {
    if (!key.empty()) {
      std::lock_guard lock(m_mutex);
      m_overlay[key] = std::move(state);
    }
  };
  if (body.is_object() && !record.ref.namespace_name.empty() && request.verb != Verb::patch) {
    body["metadata"]["namespace"] = record.ref.namespace_name;
  }
  switch (request.verb) {
  case Verb::create:
    if (existing) {
      return status_response(
          409,
          reason::already_exists,
          fmt::format("{} \"{}\" already exists", qualified_resource(record.ref), record.ref.name));
    }
    remember(body);
    return json_response(201, body);
  case Verb::update:
    if (!existing) {
      return not_found(record.ref);
    }
    remember(body);
    return json_response(200, body);
  case Verb::patch:
  case Verb::apply: {
    if (!existing) {
      if (request.verb == Verb::patch) {
        return not_found(record.ref);
      }
      remember(body);
      return json_response(201, body);
    }
    std::optional<Json> patched = apply_patch(*existing, body, request.content_type);
    if (!patched) {
      return json_response(200, body);
    }
    remember(*patched);
    return json_response(200, *patched);
  }
  case Verb::remove:
    if (!existing && !key.empty()) {
      return not_found(record.ref);
    }
    remember(std::nullopt);
    return json_response(200, make_status(200, "", ""));
  case Verb::get:
  case Verb::list:
  case Verb::watch:
  case Verb::raw_get:
    break;
  }
  return status_response(405, reason::method_not_allowed, "not a write");
}

ServerDryRunTransport::ServerDryRunTransport(std::shared_ptr<Transport> inner)
    : m_inner(std::move(inner)) {}

Result<Response>
ServerDryRunTransport::send(const Request& request) {
  if (!is_write(request.verb)) {
    return m_inner->send(request);
  }
  if (request.ref.group == k_unsafe_dry_run_group) {
    return failf("--dry-run=server is not sent to {} {}: Karmada's aggregated API server stores "
                 "writes made with dryRun=All (a dry-run delete of a Cluster deletes it); use "
                 "--dry-run=client",
                 request.ref.resource,
                 request.ref.name);
  }
  Request dry = request;
  dry.path += dry.path.find('?') == std::string::npos ? "?dryRun=All" : "&dryRun=All";
  return m_inner->send(dry);
}

Result<Response>
ServerDryRunTransport::stream(const Request& request, const LineHandler& on_line) {
  return m_inner->stream(request, on_line);
}

} // namespace kctl::kube
