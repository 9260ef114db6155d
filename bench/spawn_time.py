#!/usr/bin/env python3
"""Times short commands (start-up scenarios) for bench/run.sh, the two tools interleaved.

    bench/spawn_time.py NAME WARMUP REPEATS OURS UPSTREAM -- ARGS...

Runs `OURS ARGS...` and `UPSTREAM ARGS...` in turn (ours, upstream, ours, ...), WARMUP times each
unrecorded, then REPEATS times each, and prints one sample line per recorded run:
NAME<TAB>tool<TAB>wall_seconds<TAB>peak_rss_kib<TAB>exit_status.

Each run is started with posix_spawn (vfork-style: the cost of starting it does not grow with this
process) with stdin, stdout and stderr on /dev/null, and reaped with wait4, which gives both the
wall time (monotonic clock around spawn and reap) and the peak RSS (ru_maxrss) of that same run, with
no wrapper process in between. A shell's fork and exec, or /usr/bin/time, add about a millisecond,
which is a third of a 3 ms start-up.
"""
import os
import sys
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]
        start = time.perf_counter_ns()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        end = time.perf_counter_ns()
    finally:
        os.close(devnull)
    return (end - start) / 1e9, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


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
            wall, rss, code = run_once(argv)
            print(f"{name}\t{tool}\t{wall:.6f}\t{rss}\t{code}", flush=True)


if __name__ == "__main__":
    main()
