// Client::watch: a resuming watch loop over Transport::stream.
#include "kube/client.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <thread>

namespace kctl::kube {

namespace {

using Clock = std::chrono::steady_clock;

// What one stream of the watch left behind.
struct StreamState {
  std::string resource_version;
  int events = 0;
  bool stopped = false;
  bool gone = false;
  std::optional<Error> error;
};

struct Deadline {
  std::optional<Clock::time_point> at;

  bool passed() const { return at && Clock::now() >= *at; }
  std::chrono::milliseconds remaining() const {
    if (!at) {
      return std::chrono::milliseconds(0);
    }
    return std::max(std::chrono::milliseconds(1),
                    std::chrono::duration_cast<std::chrono::milliseconds>(*at - Clock::now()));
  }
};

std::string
combined_field_selector(const ResourceRef& ref, const WatchOptions& options) {
  std::string selector = options.field_selector;
  if (!ref.name.empty()) {
    selector += (selector.empty() ? "" : ",") + fmt::format("metadata.name={}", ref.name);
  }
  return selector;
}

Request
watch_request(const ResourceRef& ref,
              const WatchOptions& options,
              const std::string& resource_version,
              const Deadline& deadline) {
  ResourceRef collection = ref;
  collection.name.clear();
  collection.subresource.clear();
  Query query{{"watch", "true"}, {"allowWatchBookmarks", "true"}};
  if (!resource_version.empty()) {
    query.emplace_back("resourceVersion", resource_version);
  }
  if (!options.label_selector.empty()) {
    query.emplace_back("labelSelector", options.label_selector);
  }
  if (std::string fields = combined_field_selector(ref, options); !fields.empty()) {
    query.emplace_back("fieldSelector", fields);
  }
  Request request;
  request.verb = Verb::watch;
  request.ref = collection;
  if (deadline.at) {
    auto seconds = std::chrono::ceil<std::chrono::seconds>(deadline.remaining());
    query.emplace_back("timeoutSeconds", std::to_string(seconds.count()));
    request.timeout = deadline.remaining() + std::chrono::seconds(2);
  }
  request.path = with_query(collection.path(), query);
  return request;
}

StreamControl
handle_line(std::string_view line, StreamState& state, const WatchHandler& on_event) {
  auto parsed = json::parse(line);
  if (!parsed || !parsed->is_object()) {
    std::string problem = parsed ? std::string("not a JSON object") : parsed.error().message;
    state.error = Error{"watch: the server sent an event that is " + problem, "InternalError", 0};
    return StreamControl::stop;
  }
  Json event = std::move(*parsed);
  std::string type = event.value("type", "");
  Json object = event.value("object", Json::object());
  if (type == "ERROR") {
    Error error = error_from_status(object, 500);
    if (is_expired(error)) {
      state.gone = true;
    } else {
      state.error = error;
    }
    return StreamControl::stop;
  }
  if (std::string rv = object.value("/metadata/resourceVersion"_json_pointer, std::string{});
      !rv.empty()) {
    state.resource_version = rv;
  }
  if (type == "BOOKMARK") {
    return StreamControl::proceed;
  }
  ++state.events;
  if (on_event(WatchEvent{type, std::move(object)}) == StreamControl::stop) {
    state.stopped = true;
    return StreamControl::stop;
  }
  return StreamControl::proceed;
}

// Items of a list lack kind and apiVersion; events carry them, so relisted items get them back.
Json
as_event_object(Json item, const Json& list) {
  std::string kind = list.value("kind", "");
  if (kind.ends_with("List")) {
    kind.resize(kind.size() - 4);
  }
  if (!item.contains("kind") && !kind.empty()) {
    item["kind"] = kind;
  }
  if (!item.contains("apiVersion") && list.contains("apiVersion")) {
    item["apiVersion"] = list["apiVersion"];
  }
  return item;
}

} // namespace

Result<WatchEnd>
Client::watch(const ResourceRef& ref,
              const WatchOptions& options,
              const WatchHandler& on_event) const {
  Deadline deadline;
  if (options.timeout.count() > 0) {
    deadline.at = Clock::now() + options.timeout;
  }
  std::string resource_version = options.resource_version;
  int failures = 0;
  while (true) {
    if (deadline.passed()) {
      return WatchEnd::timed_out;
    }
    StreamState state;
    state.resource_version = resource_version;
    Request request = watch_request(ref, options, resource_version, deadline);
    auto response = m_transport->stream(
        request, [&](std::string_view line) { return handle_line(line, state, on_event); });
    resource_version = state.resource_version;
    if (state.stopped) {
      return WatchEnd::stopped;
    }
    if (state.error) {
      return std::unexpected(*state.error);
    }
    std::optional<Error> failure;
    if (!response) {
      failure = response.error();
    } else if (response->status == 410) {
      state.gone = true;
    } else if (response->status < 200 || response->status >= 300) {
      failure = error_from_response(*response);
    }
    if (state.gone) {
      if (options.on_gone == OnGone::report) {
        return std::unexpected(
            Error{fmt::format("watch of {} expired at resourceVersion {}; list again to resume",
                              ref.describe(),
                              resource_version),
                  std::string(reason::expired),
                  410});
      }
      KLOG(4,
           "watch of {} expired at resourceVersion {}; listing again",
           ref.describe(),
           resource_version);
      ListOptions list_options{options.label_selector, combined_field_selector(ref, options), 500};
      KCTL_TRY_ASSIGN(Json current, list(ref, list_options));
      resource_version = current.value("/metadata/resourceVersion"_json_pointer, std::string{});
      for (const auto& item : current.value("items", Json::array())) {
        if (on_event(WatchEvent{"ADDED", as_event_object(item, current)}) == StreamControl::stop) {
          return WatchEnd::stopped;
        }
      }
      continue;
    }
    if (failure) {
      if (deadline.passed()) {
        return WatchEnd::timed_out;
      }
      bool retryable = is_transport(*failure) || failure->http_status == 429 ||
                       (failure->http_status >= 500 && failure->http_status != 501);
      if (!retryable || ++failures > options.max_consecutive_failures) {
        return std::unexpected(failure->with_context(fmt::format("watch {}", ref.describe())));
      }
      auto delay = std::chrono::milliseconds(200) * (1 << std::min(failures, 5));
      KLOG(4,
           "watch of {} failed ({}); reconnecting in {} ms",
           ref.describe(),
           failure->message,
           delay.count());
      std::this_thread::sleep_for(delay);
      continue;
    }
    if (state.events > 0) {
      failures = 0;
    } else {
      // A server that keeps closing empty streams must not make us spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // The server closed the stream (its timeout, or a restart): resume where it stopped.
    KLOG(5,
         "watch of {} closed by the server; resuming from resourceVersion {}",
         ref.describe(),
         resource_version);
  }
}

} // namespace kctl::kube
