// Ctrl-C handling: the process exits 130, as shells expect of an interrupted command, and takes the
// child processes it started (exec credential plugins) with it.
#pragma once

#include <sys/types.h>

#include <functional>

namespace kctl::interrupt {

// Installs SIGINT/SIGTERM handlers that say "interrupted" on stderr and exit 130 (SIGINT) or
// 143 (SIGTERM). Files being written are never torn: they are written to a temporary name and
// renamed only when complete. Tracked children (below) are killed first.
void install_handlers();

// What to kill of a tracked child when the command ends: the process, or its whole process group
// (a child started as the leader of its own group: a shell script and what it started).
enum class ChildScope { process, process_group };

// Runs `spawn`, which starts one child and returns its pid (or -1 when it could not), and tracks
// the child so that SIGINT or SIGTERM kill it (SIGKILL) before the command exits. A signal that
// arrives while a child is being started waits until it is tracked, so no child escapes. Returns
// what `spawn` returned.
pid_t spawn_tracked(const std::function<pid_t()>& spawn, ChildScope scope);

// Stops tracking `pid`. Call it after the child has exited and before reaping it (waitpid), so
// that its pid, once free for reuse, is never signalled.
void untrack(pid_t pid);

} // namespace kctl::interrupt
