#!/usr/bin/env python3
"""Times short commands (start-up scenarios) for bench/run.sh, the two tools interleaved.

    bench/spawn_time.py NAME WARMUP REPEATS OURS UPSTREAM -- ARGS...

Runs `OURS ARGS...` and `UPSTREAM ARGS...` in turn (ours, upstream, ours, ...), WARMUP times each
unrecorded, then REPEATS times each, and prints one sample line per recorded run:
NAME<TAB>tool<TAB>wall_seconds<TAB>peak_rss_kib<TAB>exit_status.

Each timed run is started with posix_spawn (vfork-style: the cost of starting it does not grow with
this process) with stdin, stdout and stderr on /dev/null, and reaped with waitpid: the wall time is
the monotonic clock around spawn and reap, with no shell and no wrapper process in between (a
shell's fork and exec, or /usr/bin/time, add about a millisecond, a third of a 3 ms start-up). The
peak RSS comes from a second run under /usr/bin/time (see peak_rss_kib).
"""
import os
import sys
import tempfile
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]
        start = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        end = time.perf_counter_ns()
    finally:
        os.close(devnull)
    return (end - start) / 1e9, os.waitstatus_to_exitcode(status)


def peak_rss_kib(argv):
    """Peak RSS of one run, from /usr/bin/time (a separate run): the wait4 of a posix_spawn child
    counts the spawning Python process's RSS too (the child runs in its memory until exec), and
    /usr/bin/time's own footprint before exec is far below the tools'."""
    with tempfile.NamedTemporaryFile(mode="r") as out:
        devnull = os.open(os.devnull, os.O_RDWR)
        try:
            actions = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]
            pid = os.posix_spawn("/usr/bin/time", ["/usr/bin/time", "-f", "%M", "-o", out.name] + argv,
                                 os.environ, file_actions=actions)
            os.waitpid(pid, 0)
        finally:
            os.close(devnull)
        return int(out.read().split()[-1])


def main():
    if len(sys.argv) < 7 or sys.argv[6] != "--":
        sys.exit(__doc__)
    name, warmup, repeats, ours, upstream = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    args = sys.argv[7:]
    tools = (("ours", [ours] + args), ("upstream", [upstream] + args))
    for _ in range(warmup):
        for _, argv in tools:
            run_once(argv)
    for _ in range(repeats):
        for tool, argv in tools:
            wall, code = run_once(argv)
            print(f"{name}\t{tool}\t{wall:.6f}\t{peak_rss_kib(argv)}\t{code}", flush=True)


if __name__ == "__main__":
    main()
