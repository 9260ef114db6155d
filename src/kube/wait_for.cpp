#include "kube/wait_for.hpp"

namespace kctl::kube {

Result<std::variant<Json, WaitTimeout>>
wait_for_object(const Client& client,
                const ResourceRef& ref,
                std::chrono::nanoseconds timeout,
                const ObjectCheck& check,
                const std::function<void(const std::string&)>& on_waiting) {
  WaitTimeout waiting;
  auto note = [&](std::string reason) {
    if (reason != waiting.last_reason && on_waiting) {
      on_waiting(reason);
    }
    waiting.last_reason = std::move(reason);
  };
  KCTL_TRY_ASSIGN(std::optional<Json> current, client.get(ref));
  KCTL_TRY_ASSIGN(std::optional<std::string> reason, check(current));
  if (!reason) {
    return current.value_or(Json::object());
  }
  note(std::move(*reason));
  waiting.last = std::move(current);

  WatchOptions options;
  options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  options.on_gone = OnGone::relist;
  if (waiting.last) {
    options.resource_version = waiting.last->value("/metadata/resourceVersion"_json_pointer, "");
  }
  std::optional<Json> done;
  std::optional<Error> failed;
  KCTL_TRY(client.watch(ref, options, [&](const WatchEvent& event) {
    std::optional<Json> seen;
    if (event.type != "DELETED") {
      seen = event.object;
    }
    auto verdict = check(seen);
    if (!verdict) {
      failed = verdict.error();
      return StreamControl::stop;
    }
    if (!*verdict) {
      done = std::move(seen).value_or(Json::object());
      return StreamControl::stop;
    }
    note(std::move(**verdict));
    waiting.last = std::move(seen);
    return StreamControl::proceed;
  }));
  if (failed) {
    return std::unexpected(*failed);
  }
  if (done) {
    return std::move(*done);
  }
  return waiting;
}

Result<bool>
wait_deleted(const Client& client, const ResourceRef& ref, std::chrono::nanoseconds timeout) {
  auto gone = [](const std::optional<Json>& seen) -> Result<std::optional<std::string>> {
    return seen ? std::optional<std::string>("it still exists") : std::nullopt;
  };
  KCTL_TRY_ASSIGN(auto outcome, wait_for_object(client, ref, timeout, gone));
  return std::holds_alternative<Json>(outcome);
}

} // namespace kctl::kube
