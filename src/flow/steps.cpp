#include "flow/steps.hpp"

#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

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

Progress::Progress(std::FILE* out, Live live) : m_out(out), m_live(live) {}

void
Progress::clear_live_line() {
  if (m_live_line_shown) {
    std::fputs("\r\033[K", m_out);
    m_live_line_shown = false;
  }
}

void
Progress::started(const Step& step) {
  status(step, step.summary);
}

void
Progress::status(const Step& step, const std::string& text) {
  if (m_live == Live::no) {
    return;
  }
  std::lock_guard lock(m_mutex);
  clear_live_line();
  fmt::print(m_out, "[{}] {}", step.name, text);
  std::fflush(m_out);
  m_live_line_shown = true;
}

void
Progress::detail(const Step& step, const std::string& text) {
  std::lock_guard lock(m_mutex);
  clear_live_line();
  fmt::print(m_out, "[{}] {}\n", step.name, text);
  std::fflush(m_out);
}

void
Progress::finished(const Step& step, std::chrono::milliseconds took) {
  std::lock_guard lock(m_mutex);
  clear_live_line();
  fmt::print(m_out, "[{}] {} ({})\n", step.name, step.summary, format_took(took));
  std::fflush(m_out);
}

void
Progress::failed(const Step& step, std::chrono::milliseconds took) {
  std::lock_guard lock(m_mutex);
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
