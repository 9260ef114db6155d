#!/usr/bin/env python3
"""Prints what `join` made, normalised for comparing two implementations' joins of one member.

  join_objects.py MEMBER_KUBECONFIG KARMADA_KUBECONFIG CLUSTER_NAME [CLUSTER_NAMESPACE]

One JSON line per object (member side, then Karmada side): kind, namespace/name, labels,
annotations, Secret type and data keys, RBAC rules/subjects/roleRef, the Cluster's spec. Values
that differ between any two joins (tokens, UIDs, timestamps) are left out.
"""
import json
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objects import client  # noqa: E402

# Set by the server, not by join.
IGNORED_LABELS = ("kubernetes.io/metadata.name", "kubernetes.io/legacy-token-last-used")
IGNORED_ANNOTATIONS = ("kubectl.kubernetes.io/", "kubernetes.io/service-account.uid")


def get(server, tls, path):
    try:
        with urllib.request.urlopen(server + path, context=tls, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def normalise(obj):
    meta = obj["metadata"]
    out = {"kind": obj["kind"], "name": f"{meta.get('namespace', '')}/{meta['name']}"}
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k not in IGNORED_LABELS}
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items()
                   if not k.startswith(IGNORED_ANNOTATIONS)}
    if labels:
        out["labels"] = labels
    if annotations:
        out["annotations"] = annotations
    for field in ("type", "rules", "subjects", "roleRef"):
        if field in obj:
            out[field] = obj[field]
    if "data" in obj:
        out["dataKeys"] = sorted(obj["data"])
    if obj["kind"] == "Cluster":
        out["spec"] = {k: v for k, v in obj["spec"].items() if k != "taints"}
    if meta.get("ownerReferences"):
        out["owners"] = sorted(f"{o['kind']}/{o['name']}" for o in meta["ownerReferences"])
    return json.dumps(out, sort_keys=True)


def main(argv):
    member, karmada, name = argv[1], argv[2], argv[3]
    ns = argv[4] if len(argv) > 4 else "karmada-cluster"
    role = f"karmada-controller-manager:karmada-{name}"
    m_server, m_tls = client(member)
    k_server, k_tls = client(karmada)
    member_paths = [
        ("Namespace", f"/api/v1/namespaces/{ns}"),
        ("ServiceAccount", f"/api/v1/namespaces/{ns}/serviceaccounts/karmada-impersonator"),
        ("Secret", f"/api/v1/namespaces/{ns}/secrets/karmada-impersonator"),
        ("ServiceAccount", f"/api/v1/namespaces/{ns}/serviceaccounts/karmada-{name}"),
        ("Secret", f"/api/v1/namespaces/{ns}/secrets/karmada-{name}"),
        ("ClusterRole", f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{role}"),
        ("ClusterRoleBinding", f"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{role}"),
    ]
    karmada_paths = [
        ("Namespace", f"/api/v1/namespaces/{ns}"),
        ("Secret", f"/api/v1/namespaces/{ns}/secrets/{name}"),
        ("Secret", f"/api/v1/namespaces/{ns}/secrets/{name}-impersonator"),
        ("Cluster", f"/apis/cluster.karmada.io/v1alpha1/clusters/{name}"),
    ]
    for side, server, tls, paths in (("member", m_server, m_tls, member_paths),
                                     ("karmada", k_server, k_tls, karmada_paths)):
        for kind, path in paths:
            obj = get(server, tls, path)
            if obj is None:
                print(f"{side} MISSING {kind} {path}")
                continue
            obj.setdefault("kind", kind)
            print(f"{side} {normalise(obj)}")


if __name__ == "__main__":
    main(sys.argv)
