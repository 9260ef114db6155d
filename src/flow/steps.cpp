#include "flow/steps.hpp"

#include "util/terminal.hpp"

#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <future>

namespace kctl::flow {

namespace {

std::string
format_took(std::chrono::milliseconds took) {
  if (took < std::chrono::seconds(1)) {
    return fmt::format("{}ms", took.count());
  }
  return fmt::format("{:.1f}s", static_cast<double>(took.count()) / 1000.0);
}

class StepOutput final : public StepReporter {
public:
  StepOutput(Progress& progress, const Step& step, std::size_t position)
      : m_progress(progress), m_step(step), m_position(position) {}
  void status(const std::string& text) override { m_progress.status(m_step, text); }
  void detail(const std::string& text) override { m_progress.detail(m_step, text); }
  std::size_t position() const override { return m_position; }

private:
  Progress& m_progress;
  const Step& m_step;
  std::size_t m_position;
};

// The test-only kill point (k_test_kill_after_step_env): SIGKILL, so no destructor, atexit handler
// or signal handler runs, exactly as when the process is killed from outside.
void
kill_if_test_asks(const Step& step) {
  const char* wanted = std::getenv(k_test_kill_after_step_env.data());
  if (wanted == nullptr || step.name != wanted) {
    return;
  }
  fmt::print(stderr,
             "[{}] {}: killing this process (SIGKILL) after this step\n",
             step.name,
             k_test_kill_after_step_env);
  std::fflush(stderr);
  ::kill(::getpid(), SIGKILL);
}

// Elapsed time as people read it: "7s", "1m30s".
std::string
format_elapsed(std::chrono::steady_clock::duration elapsed) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
  if (seconds < 60) {
    return fmt::format("{}s", seconds);
  }
  return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
}

struct Outcome {
  const Step* step;
  Status status;
};

Outcome
run_step(const Step& step, std::size_t position, Progress& progress) {
  auto start = std::chrono::steady_clock::now();
  progress.started(step);
  StepOutput output(progress, step, position);
  Status status = step.run(output);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (status) {
    progress.finished(step, took);
    kill_if_test_asks(step);
  } else {
    progress.failed(step, took);
  }
  return Outcome{&step, std::move(status)};
}

} // namespace

Progress::Progress(std::FILE* out, Live live, Heartbeat heartbeat)
    : m_out(out), m_live(live), m_heartbeat(heartbeat) {
  m_ticker = std::thread([this] {
    auto tick = m_live == Live::yes ? m_heartbeat.refresh
                                    : std::min(m_heartbeat.refresh, m_heartbeat.log_interval);
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, tick, [this] { return m_stopping; })) {
      beat();
    }
  });
}

Progress::~Progress() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_ticker.join();
  // The stream is touched only if a status line is still shown (callers may have closed it).
  std::lock_guard lock(m_mutex);
  if (m_live_line_shown) {
    clear_live_line();
    std::fflush(m_out);
  }
}

Progress::Running*
Progress::running(const Step& step) {
  for (auto& entry : m_running) {
    if (entry.step == &step) {
      return &entry;
    }
  }
  return nullptr;
}

void
Progress::forget(const Step& step) {
  std::erase_if(m_running, [&](const Running& entry) { return entry.step == &step; });
  if (m_shown == &step) {
    m_shown = m_running.empty() ? nullptr : m_running.back().step;
  }
}

// Called by the ticker with the mutex held.
void
Progress::beat() {
  auto now = std::chrono::steady_clock::now();
  if (m_live == Live::yes) {
    if (Running* shown = m_shown != nullptr ? running(*m_shown) : nullptr) {
      draw_live_line(*shown);
    }
    return;
  }
  for (auto& entry : m_running) {
    if (now - entry.last_output >= m_heartbeat.log_interval) {
      fmt::print(m_out,
                 "[{}] still running ({}): {}\n",
                 entry.step->name,
                 format_elapsed(now - entry.since),
                 entry.status);
      std::fflush(m_out);
      entry.last_output = now;
    }
  }
}

void
Progress::clear_live_line() {
  if (m_live_line_shown) {
    std::fputs("\r\033[K", m_out);
    m_live_line_shown = false;
  }
}

void
Progress::draw_live_line(const Running& entry) {
  clear_live_line();
  fmt::print(m_out,
             "[{}] {} ({})",
             entry.step->name,
             entry.status,
             format_elapsed(std::chrono::steady_clock::now() - entry.since));
  std::fflush(m_out);
  m_live_line_shown = true;
}

void
Progress::started(const Step& step) {
  {
    std::lock_guard lock(m_mutex);
    auto now = std::chrono::steady_clock::now();
    forget(step);
    m_running.push_back(Running{&step, now, step.summary, now});
  }
  status(step, step.summary);
}

void
Progress::status(const Step& step, const std::string& text) {
  std::lock_guard lock(m_mutex);
  Running* entry = running(step);
  if (entry == nullptr) {
    auto now = std::chrono::steady_clock::now();
    m_running.push_back(Running{&step, now, text, now});
    entry = &m_running.back();
  }
  // Statuses and details quote servers (conditions, events, pod states): escaped, and a status
  // stays on its one line (issue 20).
  entry->status = terminal::escape_line(text);
  m_shown = &step;
  if (m_live == Live::yes) {
    draw_live_line(*entry);
  }
}

void
Progress::detail(const Step& step, const std::string& text) {
  std::lock_guard lock(m_mutex);
  clear_live_line();
  fmt::print(m_out, "[{}] {}\n", step.name, terminal::escape(text));
  std::fflush(m_out);
  if (Running* entry = running(step)) {
    entry->last_output = std::chrono::steady_clock::now();
  }
}

void
Progress::finished(const Step& step, std::chrono::milliseconds took) {
  std::lock_guard lock(m_mutex);
  forget(step);
  clear_live_line();
  fmt::print(m_out, "[{}] {} ({})\n", step.name, step.summary, format_took(took));
  std::fflush(m_out);
}

void
Progress::ended(const Step& step) {
  std::lock_guard lock(m_mutex);
  forget(step);
  clear_live_line();
  std::fflush(m_out);
}

void
Progress::failed(const Step& step, std::chrono::milliseconds took) {
  std::lock_guard lock(m_mutex);
  forget(step);
  clear_live_line();
  fmt::print(m_out, "[{}] {}: FAILED ({})\n", step.name, step.summary, format_took(took));
  std::fflush(m_out);
}

Live
live_output_for(std::FILE* stream) {
  const char* term = std::getenv("TERM");
  bool dumb = term == nullptr || std::string_view(term) == "dumb";
  return ::isatty(::fileno(stream)) != 0 && !dumb && std::getenv("NO_COLOR") == nullptr ? Live::yes
                                                                                        : Live::no;
}

Status
run_check(const Step& step, Progress& progress) {
  return run_step(step, 0, progress).status;
}

Status
run(const std::vector<Stage>& stages, Progress& progress, const std::string& rerun_hint) {
  std::vector<std::string> done;
  std::size_t first_position = 0;
  for (const Stage& stage : stages) {
    std::vector<Outcome> outcomes;
    if (stage.steps.size() == 1) {
      outcomes.push_back(run_step(stage.steps.front(), first_position, progress));
    } else {
      std::vector<std::future<Outcome>> running;
      for (std::size_t i = 0; i < stage.steps.size(); ++i) {
        const Step& step = stage.steps[i];
        std::size_t position = first_position + i;
        running.push_back(std::async(std::launch::async, [&step, position, &progress] {
          return run_step(step, position, progress);
        }));
      }
      for (auto& future : running) {
        outcomes.push_back(future.get());
      }
    }
    first_position += stage.steps.size();
    std::string failures;
    for (const Outcome& outcome : outcomes) {
      if (outcome.status) {
        done.push_back(outcome.step->name);
      } else {
        failures += fmt::format("{}step \"{}\" failed: {}",
                                failures.empty() ? "" : "\n",
                                outcome.step->name,
                                outcome.status.error().message);
      }
    }
    if (!failures.empty()) {
      std::string done_list;
      for (const auto& name : done) {
        done_list += (done_list.empty() ? "" : ", ") + name;
      }
      return failf("{}\ncompleted steps: {}\nto continue: {}",
                   failures,
                   done_list.empty() ? "none" : done_list,
                   rerun_hint);
    }
  }
  return {};
}

} // namespace kctl::flow
