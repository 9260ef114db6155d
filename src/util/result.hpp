// Error model: library code returns Result<T>; only main turns an error into an exit code.
#pragma once

#include <fmt/format.h>

#include <expected>
#include <string>
#include <utility>

namespace kctl {

// An error with a human message. The kube layer also fills `reason` (the Kubernetes Status reason,
// e.g. "NotFound", "AlreadyExists", "Conflict", or "Transport" for connection failures) and
// `http_status` so callers can branch on the kind of failure without parsing text.
struct Error {
  std::string message;
  std::string reason;
  int http_status = 0;

  // Returns a copy whose message is prefixed with `context` ("context: message").
  Error with_context(std::string_view context) const;
};

template <class T> using Result = std::expected<T, Error>;
using Status = Result<void>;

// Makes an error result from a plain message.
inline std::unexpected<Error>
fail(std::string message) {
  return std::unexpected<Error>(Error{std::move(message), {}, 0});
}

// Makes an error result from a fmt format string.
template <class... Args>
std::unexpected<Error>
failf(fmt::format_string<Args...> format, Args&&... args) {
  return fail(fmt::format(format, std::forward<Args>(args)...));
}

// The reason of errors in what the user typed (flags, arguments, --config); the CLI exits 2.
inline constexpr std::string_view k_reason_usage = "Usage";

// Makes a usage error: bad flag values, bad combinations, bad arguments (exit code 2).
inline std::unexpected<Error>
fail_usage(std::string message) {
  return std::unexpected<Error>(Error{std::move(message), std::string(k_reason_usage), 0});
}

// Adds `context` to the error of `result`, if any, and returns it.
template <class T>
Result<T>
with_context(Result<T> result, std::string_view context) {
  if (!result) {
    return std::unexpected<Error>(result.error().with_context(context));
  }
  return result;
}

} // namespace kctl

// Propagates an error from an expression returning Result<void>.
#define KCTL_TRY(expr)                                                                             \
  do {                                                                                             \
    if (auto kctl_try_result_ = (expr); !kctl_try_result_) {                                       \
      return std::unexpected<::kctl::Error>(std::move(kctl_try_result_).error());                  \
    }                                                                                              \
  } while (false)

#define KCTL_CONCAT_INNER_(a, b) a##b
#define KCTL_CONCAT_(a, b) KCTL_CONCAT_INNER_(a, b)

// Declares `var` from an expression returning Result<T>, or propagates its error.
#define KCTL_TRY_ASSIGN(var, expr) KCTL_TRY_ASSIGN_IMPL_(KCTL_CONCAT_(kctl_r_, __LINE__), var, expr)
#define KCTL_TRY_ASSIGN_IMPL_(tmp, var, expr)                                                      \
  auto tmp = (expr);                                                                               \
  if (!tmp) {                                                                                      \
    return std::unexpected<::kctl::Error>(std::move(tmp).error());                                 \
  }                                                                                                \
  var = std::move(*tmp)
