// parallel_for: every index exactly once, never more threads than asked, results by index.
#include "util/parallel.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

TEST_CASE("parallel_for runs every index once on at most max_threads threads") {
  for (std::size_t max_threads : {1U, 3U, 16U}) {
    CAPTURE(max_threads);
    constexpr std::size_t k_count = 40;
    std::vector<int> calls(k_count, 0);
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    std::mutex mutex;
    std::set<std::thread::id> threads;
    kctl::parallel_for(k_count, max_threads, [&](std::size_t i) {
      int now = ++running;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
      // Long enough that the threads overlap, so the bound is what holds them back.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      calls[i] += 1;
      --running;
    });
    for (std::size_t i = 0; i < k_count; ++i) {
      CHECK(calls[i] == 1);
    }
    CHECK(most.load() <= static_cast<int>(max_threads));
    CHECK(threads.size() <= max_threads);
    CHECK(threads.count(std::this_thread::get_id()) == 1); // the caller works too
    if (max_threads > 1) {
      CHECK(most.load() > 1);
    }
  }
}

TEST_CASE("parallel_for with nothing to do returns at once") {
  int calls = 0;
  kctl::parallel_for(0, 8, [&](std::size_t) { ++calls; });
  CHECK(calls == 0);
}
