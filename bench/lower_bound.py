#!/usr/bin/env python3
"""The lower bound of `init` (bench/README.md, "init and its lower bound"), from one of our runs:
the critical path etcd -> karmada-apiserver -> karmada-aggregated-apiserver -> APIService Available, each
component from its pod's creation to its Ready condition (the time the component itself needs; no client can
shorten it), the APIService from the aggregated API server being Ready to Available, plus the certificates
(our init's "[certs] ... (DURATION)" step, as the time to make them). Timestamps have 1 s resolution.
    lower_bound.py PODS.json APISERVICE.json INIT_STDERR   -> prints seconds"""
import json
import re
import sys
from datetime import datetime

CRITICAL_PATH = ["etcd", "karmada-apiserver", "karmada-aggregated-apiserver"]


def ts(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").timestamp()


def condition(obj, kind):
    for c in obj.get("status", {}).get("conditions", []):
        if c.get("type") == kind and c.get("status") == "True":
            return ts(c["lastTransitionTime"])
    raise SystemExit(f"{obj['metadata']['name']}: no {kind}=True condition")


def go_duration(text):
    total = 0.0
    for value, unit in re.findall(r"([0-9.]+)(ms|s|m|h)", text):
        total += float(value) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def main():
    pods = json.load(open(sys.argv[1]))["items"]
    apiservice = json.load(open(sys.argv[2]))
    total = 0.0
    ready_at = {}
    for app in CRITICAL_PATH:
        pod = next(p for p in pods if p["metadata"].get("labels", {}).get("app") == app)
        ready_at[app] = condition(pod, "Ready")
        total += ready_at[app] - ts(pod["metadata"]["creationTimestamp"])
    total += max(0.0, condition(apiservice, "Available") - ready_at["karmada-aggregated-apiserver"])
    certs = 0.0
    for line in open(sys.argv[3]):
        m = re.match(r"\[certs\] .*\(([0-9.]+(?:ms|s|m|h)[0-9.msh]*)\)\s*$", line)
        if m:
            certs = go_duration(m.group(1))
    print(f"{total + certs:.3f}")


if __name__ == "__main__":
    main()
