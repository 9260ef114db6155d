// Exponential backoff between reconnects (watches): a server that fails or closes at once must
// not be asked again at once, and again, thousands of times a second.
#pragma once

#include <chrono>
#include <cstdint>

namespace kctl::kube {

// The watch's reconnect delays: the first is `initial`, each next one `factor` times the last, at
// most `max`; each is stretched by a random part of up to `jitter` of itself, so that many
// clients that lost the same server do not come back in step.
struct BackoffPolicy {
  std::chrono::milliseconds initial;
  std::chrono::milliseconds max;
  double factor;
  double jitter; // 0.2: up to 20% longer
};

inline constexpr std::chrono::milliseconds k_watch_backoff_initial{500};
inline constexpr std::chrono::milliseconds k_watch_backoff_max{30'000};
inline constexpr double k_watch_backoff_factor = 2.0;
inline constexpr double k_watch_backoff_jitter = 0.2;
inline constexpr BackoffPolicy k_watch_backoff{
    k_watch_backoff_initial, k_watch_backoff_max, k_watch_backoff_factor, k_watch_backoff_jitter};

// A watch stream counts as healthy, and is resumed without a pause, only when it lasted at least
// this long and held at least one event; any other end (an error, a stream closed at once, one
// that said nothing) is retried after the next backoff delay, whatever the stream held.
inline constexpr std::chrono::seconds k_watch_healthy_stream{5};

// The delays of one sequence of retries. Not thread-safe: one per loop.
class Backoff {
public:
  explicit Backoff(BackoffPolicy policy = k_watch_backoff);

  // Returns the delay before the next attempt and grows the next one.
  std::chrono::milliseconds next();
  // Starts over at `initial` (after a healthy stream).
  void reset();

private:
  BackoffPolicy m_policy;
  double m_current_ms = 0; // the next delay before jitter; 0: `initial`
  std::uint64_t m_random;  // state of a small xorshift generator for the jitter
};

} // namespace kctl::kube
