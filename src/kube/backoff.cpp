#include "kube/backoff.hpp"

#include <algorithm>

namespace kctl::kube {

Backoff::Backoff(BackoffPolicy policy)
    : m_policy(policy), m_random(static_cast<std::uint64_t>(
                                     std::chrono::steady_clock::now().time_since_epoch().count()) |
                                 1U) {}

std::chrono::milliseconds
Backoff::next() {
  const double max_ms = static_cast<double>(m_policy.max.count());
  double base = m_current_ms > 0 ? m_current_ms : static_cast<double>(m_policy.initial.count());
  base = std::min(base, max_ms);
  m_current_ms = std::min(base * std::max(m_policy.factor, 1.0), max_ms);
  double stretch = 0;
  if (m_policy.jitter > 0) {
    // xorshift64: enough to spread clients apart, and no lock, no global state.
    m_random ^= m_random << 13;
    m_random ^= m_random >> 7;
    m_random ^= m_random << 17;
    double unit = static_cast<double>(m_random >> 11) / static_cast<double>(1ULL << 53);
    stretch = base * m_policy.jitter * unit;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(base + stretch));
}

void
Backoff::reset() {
  m_current_ms = 0;
}

} // namespace kctl::kube
