// Multi-step flows (init, deinit, ...) as data: an ordered list of stages, each a set of steps
// that may run in parallel. One runner prints progress, times each step, and on failure says
// which step failed, what was already done and how to continue.
#pragma once

#include "util/result.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace kctl::flow {

// What a running step can tell the user.
class StepReporter {
public:
  virtual ~StepReporter() = default;
  // Replaces the step's live status ("waiting for Deployment karmada-system/x: 0/1 ready").
  virtual void status(const std::string& text) = 0;
  // Adds a line under the step (an object created, a file written).
  virtual void detail(const std::string& text) = 0;
  // The step's position in its flow (stages in order, a stage's steps in order, from 0): what a
  // Record orders by. Reporters outside a flow are at 0.
  virtual std::size_t position() const { return 0; }
};

struct Step {
  std::string name;    // short, stable: "certs", "etcd"
  std::string summary; // what it does: "Generate the certificates"
  std::function<Status(StepReporter&)> run;
};

// Steps of one stage run concurrently; stages run in order.
struct Stage {
  std::vector<Step> steps;
};

// A stage of one step that runs `body(run, reporter)`: how a flow lists its steps over its run
// state (`run` must outlive the stage).
template <typename Run, typename Body>
Stage
one_step(Run& run, std::string name, std::string summary, Body body) {
  return Stage{{Step{std::move(name), std::move(summary), [&run, body](StepReporter& reporter) {
                       return body(run, reporter);
                     }}}};
}

enum class Live { yes, no };

// How often Progress shows that a running step is alive (see Progress).
struct Heartbeat {
  // Live mode: the status line is redrawn with the elapsed time this often.
  std::chrono::milliseconds refresh{1000};
  // Not live (a log): a "still running" line when a step has printed nothing for this long.
  std::chrono::milliseconds log_interval{30000};
};

// Prints progress to `out` (stderr): one line per finished step with its duration and, when
// `live` is yes (a terminal), a status line redrawn in place while steps run. Nothing waits in
// silence: while a step runs, a heartbeat thread redraws the live line with the time elapsed every
// `heartbeat.refresh` (so a terminal never looks stuck), or, not live, prints
// "[step] still running (1m30s): <its status>" when the step has printed nothing for
// `heartbeat.log_interval` (so logs show life). Every wait of every flow goes through here.
class Progress {
public:
  Progress(std::FILE* out, Live live, Heartbeat heartbeat = {});
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void started(const Step& step);
  void status(const Step& step, const std::string& text);
  void detail(const Step& step, const std::string& text);
  void finished(const Step& step, std::chrono::milliseconds took);
  void failed(const Step& step, std::chrono::milliseconds took);
  // Ends a step without a line of its own (a wait whose outcome the caller prints).
  void ended(const Step& step);

private:
  // A step between started() and finished()/failed().
  struct Running {
    const Step* step;
    std::chrono::steady_clock::time_point since;
    std::string status;
    std::chrono::steady_clock::time_point last_output;
  };
  void clear_live_line();
  void draw_live_line(const Running& running);
  Running* running(const Step& step);
  void forget(const Step& step);
  void beat();
  std::FILE* m_out;
  Live m_live;
  Heartbeat m_heartbeat;
  std::mutex m_mutex;
  bool m_live_line_shown = false;
  std::vector<Running> m_running;
  const Step* m_shown = nullptr; // whose status the live line shows
  bool m_stopping = false;
  std::condition_variable m_wake;
  std::thread m_ticker;
};

// Whether stdout/stderr is a terminal and colour-free live output is wanted (NO_COLOR respected).
Live live_output_for(std::FILE* stream);

// TEST-ONLY fault injection, used by the kill-at-every-step end-to-end tests
// (tests/e2e/karmadactl_kill_*.sh, docs/faults.md): when this environment variable names a step,
// the process kills itself with SIGKILL right after that step succeeds, as a crash or an OOM kill
// would. Nothing else reads it; it has no flag, and its name says what it does so it is not set by
// accident.
inline constexpr std::string_view k_test_kill_after_step_env = "KARMADACTL_TEST_KILL_AFTER_STEP";

// Runs one step on its own, before a flow (its checks): shown as a step, but its error is returned
// as it is, since a refusal before anything was written is not a step to re-run.
Status run_check(const Step& step, Progress& progress);

// Runs `stages` in order; the first failure stops the flow (steps of the same stage finish first)
// and returns an error naming the failed step, the steps done and how to continue.
Status run(const std::vector<Stage>& stages, Progress& progress, const std::string& rerun_hint);

} // namespace kctl::flow
