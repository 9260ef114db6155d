// Runs independent pieces of work on a few threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace kctl {

// Calls `work(i)` for every i in [0, count) on at most `max_threads` threads (the calling thread is
// one of them) and returns when all are done. `work` must not throw, and must write only to what
// belongs to its own i; results are then read in index order, whatever order they finished in.
template <typename Work>
void
parallel_for(std::size_t count, std::size_t max_threads, const Work& work) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      work(i);
    }
  };
  std::size_t helpers = std::min(max_threads, count);
  helpers = helpers > 0 ? helpers - 1 : 0;
  std::vector<std::jthread> threads;
  threads.reserve(helpers);
  for (std::size_t t = 0; t < helpers; ++t) {
    threads.emplace_back(worker);
  }
  worker();
}

} // namespace kctl
