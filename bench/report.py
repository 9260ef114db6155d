#!/usr/bin/env python3
"""Turns bench/run.sh's samples into bench/results/latest.md and latest.json (called by run.sh)."""
import argparse
import json
import statistics

# scenario -> (label, wall-time goal, RSS goal), each goal a maximum ratio ours/upstream (None: no goal).
SCENARIOS = [
    ("version", "start-up: `version`", 0.05, 0.2),
    ("help", "start-up: `--help`", 0.05, 0.2),
    ("init_help", "start-up: `init --help`", 0.05, 0.2),
    ("complete", "start-up: completion `__complete init --kube`", 0.05, 0.2),
    ("token_create", "`token create`", None, None),
    ("get_clusters", "`get clusters` (2,000 clusters)", 0.3, 0.2),
    ("label_clusters", "`label clusters -l bench=yes k=v --overwrite` (2,000 clusters)", 0.3, 0.2),
    ("api_resources", "`api-resources` (discovery read from the server, cache refilled)", None, None),
    ("api_resources_cached", "`api-resources --cached` (kubectl's discovery cache, fresh)", None, None),
    ("join", "`join member1` (push mode)", 0.5, None),
    ("register", "`register` of member3 (pull mode) until the Cluster is Ready", 0.5, None),
    ("get_pods", "`get pods -A --operation-scope members -C member1,member2` (50 pods each)", None, None),
    ("describe_member_deployment", "`describe deployment bench-web -s members -C member1` (its ReplicaSet and events)",
     None, None),
    ("init", "`init` until the aggregated APIService is Available (fresh clusters per run)", 0.4, None),
    ("version_portable", "start-up: `version`, portable build (`scripts/build-portable.sh`)", 0.05, 0.2),
]
# init: ours against the control plane's own readiness path (bench/lower_bound.py), goal ≤ 1.15×.
LOWER_BOUND_GOAL = 1.15
BINARY_GOAL = 0.05
PORTABLE_BINARY_GOAL = 0.1


def stats(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def verdict(ratio, goal):
    if goal is None:
        return "no goal"
    return ("meets" if ratio <= goal else "misses") + f" (goal ≤ {goal}×)"


def fmt_ms(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.2f} s"


def fmt_mib(kib):
    return f"{kib / 1024:.1f} MiB"


def main():
    p = argparse.ArgumentParser()
    for a in ("samples", "sizes", "skipped", "nproc", "cpu", "memory", "kernel", "date", "ours", "ours-version",
              "upstream", "upstream-version", "quick", "notes", "load", "md", "json"):
        p.add_argument("--" + a, required=True)
    a = p.parse_args()

    samples = {}
    failures = {}
    with open(a.samples) as f:
        for line in f:
            name, tool, wall, rss, rc = line.rstrip("\n").split("\t")
            if rc != "0":
                failures.setdefault(name, {}).setdefault(tool, 0)
                failures[name][tool] += 1
            samples.setdefault(name, {}).setdefault(tool, {"wall": [], "rss": []})
            samples[name][tool]["wall"].append(float(wall))
            if rss:
                samples[name][tool]["rss"].append(int(rss))
    sizes = {}
    with open(a.sizes) as f:
        for line in f:
            name, tool, size = line.split()
            sizes[(name, tool)] = int(size)
    skipped = {}
    with open(a.skipped) as f:
        for line in f:
            name, reason = line.rstrip("\n").split("\t", 1)
            skipped[name] = reason

    machine = {"nproc": int(a.nproc), "cpu": a.cpu, "memory": a.memory, "kernel": a.kernel, "date": a.date,
               "load_average": a.load, "notes": a.notes}
    out = {"machine": machine, "quick": a.quick == "1",
           "ours": {"path": a.ours, "version": a.ours_version},
           "upstream": {"path": a.upstream, "version": a.upstream_version},
           "scenarios": {}, "skipped": {}}
    rows = []
    for name, label, wall_goal, rss_goal in SCENARIOS:
        if name not in samples or not all(t in samples[name] for t in ("ours", "upstream")):
            out["skipped"][name] = skipped.get(name, "not measured")
            rows.append(f"| {label} | skipped: {out['skipped'][name]} | | | | |")
            continue
        o, u = samples[name]["ours"], samples[name]["upstream"]
        ow, uw, orss, urss = stats(o["wall"]), stats(u["wall"]), stats(o["rss"]), stats(u["rss"])
        wr, rr = ow["median"] / uw["median"], orss["median"] / urss["median"]
        out["scenarios"][name] = {
            "label": label,
            "ours": {"wall_seconds": ow, "peak_rss_kib": orss},
            "upstream": {"wall_seconds": uw, "peak_rss_kib": urss},
            "ratio": {"wall": round(wr, 4), "peak_rss": round(rr, 4)},
            "goal": {"wall": wall_goal, "peak_rss": rss_goal},
            "meets": {"wall": None if wall_goal is None else wr <= wall_goal,
                      "peak_rss": None if rss_goal is None else rr <= rss_goal},
            "failed_runs": failures.get(name, {}),
        }
        fail_note = ""
        if name in failures:
            fail_note = " (failed runs: " + ", ".join(f"{t} {n}" for t, n in failures[name].items()) + ")"
        rows.append(
            f"| {label}{fail_note} | wall | {fmt_ms(ow['median'])} ({fmt_ms(ow['min'])}–{fmt_ms(ow['max'])}) | "
            f"{fmt_ms(uw['median'])} ({fmt_ms(uw['min'])}–{fmt_ms(uw['max'])}) | **{wr:.3f}** | {verdict(wr, wall_goal)} |")
        rows.append(
            f"| | peak RSS | {fmt_mib(orss['median'])} ({fmt_mib(orss['min'])}–{fmt_mib(orss['max'])}) | "
            f"{fmt_mib(urss['median'])} ({fmt_mib(urss['min'])}–{fmt_mib(urss['max'])}) | **{rr:.3f}** | "
            f"{verdict(rr, rss_goal)} |")
        if name == "init" and "lower_bound" in samples[name]:
            lb = stats(samples[name]["lower_bound"]["wall"])
            lr = ow["median"] / lb["median"]
            out["scenarios"][name]["lower_bound"] = {"wall_seconds": lb, "ratio_ours": round(lr, 4),
                                                     "goal": LOWER_BOUND_GOAL, "meets": lr <= LOWER_BOUND_GOAL}
            rows.append(
                f"| `init`: ours against the lower bound (control plane's own readiness path, after our runs) | wall | "
                f"{fmt_ms(ow['median'])} | lower bound {fmt_ms(lb['median'])} ({fmt_ms(lb['min'])}–{fmt_ms(lb['max'])}) | "
                f"**{lr:.3f}** | {verdict(lr, LOWER_BOUND_GOAL)} |")
    for name, label, goal in (("binary_size", "binary size, stripped", BINARY_GOAL),
                              ("portable_binary", "portable binary size, stripped (`scripts/build-portable.sh`: "
                               "only glibc at run time, libcurl loaded when needed)", PORTABLE_BINARY_GOAL)):
        if (name, "ours") in sizes and (name, "upstream") in sizes:
            add_binary_size(out, rows, name, label, goal, sizes[(name, "ours")], sizes[(name, "upstream")])
        else:
            out["skipped"][name] = skipped.get(name, "not selected")
    write(a, out, rows)


def add_binary_size(out, rows, name, label, goal, ours, upstream):
    br = ours / upstream
    out["scenarios"][name] = {
        "label": label, "ours": {"bytes": ours}, "upstream": {"bytes": upstream},
        "ratio": {"size": round(br, 4)}, "goal": {"size": goal}, "meets": {"size": br <= goal}}
    rows.append(f"| {label} | bytes | {ours / 1e6:.2f} MB | {upstream / 1e6:.2f} MB | **{br:.3f}** | "
                f"{verdict(br, goal)} |")


def write(a, out, rows):
    md = [
        "# Benchmark: our karmadactl against upstream karmadactl",
        "",
        f"Generated by `bench/run.sh` on {a.date}" + (" — **quick smoke run, do not read the figures**" if a.quick == "1" else "") + ".",
        "",
        f"- machine: {a.nproc} CPUs (`nproc`), {a.cpu}, {a.memory} memory, {a.kernel}; load average {a.load}"
        + (f"; {a.notes}" if a.notes else ""),
        f"- ours: `{a.ours}` ({a.ours_version})",
        f"- upstream: `{a.upstream}` ({a.upstream_version})",
        "- the tools run interleaved (ours, upstream, ours, ...) after warm-up runs; figures are median (min–max);"
        " ratio = ours / upstream of the medians; the ratios are what to read",
        "",
        "| scenario | measure | ours | upstream | ours / upstream | goal |",
        "|---|---|---|---|---|---|",
    ] + rows + [""]
    n = {k: v["ours"]["wall_seconds"]["n"] for k, v in out["scenarios"].items() if "wall_seconds" in v["ours"]}
    md.append("Runs per tool: " + ", ".join(f"{k} {v}" for k, v in n.items()) + ".")
    if out["skipped"]:
        md.append("")
        md.append("Not measured in this run: " + "; ".join(f"{k} ({v})" for k, v in out["skipped"].items()) + ".")
    md.append("")
    with open(a.md, "w") as f:
        f.write("\n".join(md))
    with open(a.json, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
