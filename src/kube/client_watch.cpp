// Client::watch: a resuming watch loop over Transport::stream.
#include "kube/client.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <thread>

namespace kctl::kube {

namespace {

using Clock = std::chrono::steady_clock;

// What one stream of the watch left behind.
struct StreamState {
  std::string resource_version;
  int lines = 0;  // watch events of any type, bookmarks included
  int events = 0; // those given to the handler
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

bool
is_event_type(std::string_view type) {
  return type == "ADDED" || type == "MODIFIED" || type == "DELETED" || type == "BOOKMARK" ||
         type == "ERROR";
}

// What a line that is not an event was, in words safe to print: its kind when it has a plain one.
std::string
what_was_sent(const Json& value) {
  if (!value.is_object()) {
    return fmt::format("a JSON {}", value.type_name());
  }
  auto kind = value.find("kind");
  if (kind != value.end() && kind->is_string()) {
    const auto& text = kind->get_ref<const std::string&>();
    bool plain =
        !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) != 0;
        });
    if (plain) {
      return "a " + text;
    }
  }
  return "a JSON object";
}

StreamControl
handle_line(std::string_view line, StreamState& state, const WatchHandler& on_event) {
  auto parsed = json::parse(line);
  if (!parsed) {
    state.error = Error{
        "watch: the server sent an event that is " + parsed.error().message, "InternalError", 0};
    return StreamControl::stop;
  }
  Json event = std::move(*parsed);
  auto type_field = event.is_object() ? event.find("type") : event.end();
  auto object_field = event.is_object() ? event.find("object") : event.end();
  std::string type = type_field != event.end() && type_field->is_string()
                         ? type_field->get<std::string>()
                         : std::string{};
  if (!is_event_type(type) || object_field == event.end() || !object_field->is_object()) {
    // A List, a Status or anything else where a stream of events belongs: the server (or a proxy
    // before it) does not serve watches, and asking again will not change that.
    state.error = Error{fmt::format("watch: the server sent {} where a watch event belongs (a "
                                    "JSON object with type ADDED, MODIFIED, DELETED, BOOKMARK or "
                                    "ERROR and an object); it does not serve watches",
                                    what_was_sent(event)),
                        "InternalError",
                        0};
    return StreamControl::stop;
  }
  ++state.lines;
  Json object = std::move(*object_field);
  if (type == "ERROR") {
    Error error = error_from_status(object, 500);
    if (is_expired(error)) {
      state.gone = true;
    } else {
      state.error = error;
    }
    return StreamControl::stop;
  }
  if (std::string rv = json::string_at(object, "/metadata/resourceVersion"_json_pointer);
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
  if (!item.is_object()) {
    return item;
  }
  std::string kind = json::string_or(list, "kind");
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
  Backoff backoff(options.backoff);
  // Sleeps the next backoff delay, cut short by the deadline; false when the deadline passed.
  auto pause = [&](std::string_view why) {
    auto delay = backoff.next();
    if (deadline.at) {
      delay = std::min(delay, deadline.remaining());
    }
    KLOG(4, "watch of {}: {}; reconnecting in {} ms", ref.describe(), why, delay.count());
    std::this_thread::sleep_for(delay);
    return !deadline.passed();
  };
  while (true) {
    if (deadline.passed()) {
      return WatchEnd::timed_out;
    }
    StreamState state;
    state.resource_version = resource_version;
    Request request = watch_request(ref, options, resource_version, deadline);
    auto started = Clock::now();
    auto response = m_transport->stream(
        request, [&](std::string_view line) { return handle_line(line, state, on_event); });
    auto lasted = Clock::now() - started;
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
    if (state.gone && options.on_gone == OnGone::report) {
      return std::unexpected(
          Error{fmt::format("watch of {} expired at resourceVersion {}; list again to resume",
                            ref.describe(),
                            resource_version),
                std::string(reason::expired),
                410});
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
    } else if (state.events > 0) {
      failures = 0;
    }
    // Only a stream that lasted and held events is resumed at once. Anything else (a failure, a
    // stream closed at once, an expired one, one that said nothing) waits the next backoff delay,
    // whatever it held: a server that answers every watch with one event and closes it would
    // otherwise be asked again thousands of times a second.
    bool healthy = !failure && !state.gone && state.lines > 0 && lasted >= options.healthy_stream;
    if (healthy) {
      backoff.reset();
    } else {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(lasted).count();
      std::string why =
          failure ? failure->message
                  : fmt::format("the stream ended after {} ms, {} events in it", ms, state.lines);
      if (!pause(why)) {
        return WatchEnd::timed_out;
      }
    }
    if (state.gone) {
      KLOG(4,
           "watch of {} expired at resourceVersion {}; listing again",
           ref.describe(),
           resource_version);
      ListOptions list_options{options.label_selector, combined_field_selector(ref, options), 500};
      KCTL_TRY_ASSIGN(Json current, list(ref, list_options));
      resource_version = json::string_at(current, "/metadata/resourceVersion"_json_pointer);
      for (const auto& item : json::array_or_empty(current, "items")) {
        if (on_event(WatchEvent{"ADDED", as_event_object(item, current)}) == StreamControl::stop) {
          return WatchEnd::stopped;
        }
      }
      continue;
    }
    // The server closed the stream (its timeout, or a restart): resume where it stopped.
    KLOG(5,
         "watch of {} closed by the server; resuming from resourceVersion {}",
         ref.describe(),
         resource_version);
  }
}

} // namespace kctl::kube
