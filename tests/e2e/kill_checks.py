#!/usr/bin/env python3
"""Convergence checks for the kill-at-every-step e2e tests, read straight from an API server.

  kill_checks.py csrs KUBECONFIG                 one line per CSR: "<name> <Pending|Approved|Issued|Denied|Failed>"
  kill_checks.py tokens KUBECONFIG               one line per bootstrap token Secret: "<name> <description>"
  kill_checks.py secret-sha KUBECONFIG NS NAME   sha256 of the Secret's data (sorted keys), or "absent"
  kill_checks.py cluster-ids KUBECONFIG          one line per Cluster: "<name> <spec.id>"
  kill_checks.py summary KUBECONFIG ID           "<Clusters with spec.id ID> <CSRs not signed> <bootstrap token Secrets>"
  kill_checks.py owned KUBECONFIG NS             "<kind>/<name>" of every object with the label
                                                 karmada.io/bootstrapping in NS (and cluster-scoped)
"""
import base64
import hashlib
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objects import client, list_items  # noqa: E402


def get(server, tls, path):
    try:
        with urllib.request.urlopen(server + path, context=tls, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        raise


def csr_state(item):
    types = {c.get("type") for c in item.get("status", {}).get("conditions", [])}
    for bad in ("Denied", "Failed"):
        if bad in types:
            return bad
    if item.get("status", {}).get("certificate"):
        return "Issued"
    return "Approved" if "Approved" in types else "Pending"


def main(argv):
    what, kubeconfig = argv[1], argv[2]
    server, tls = client(kubeconfig)
    if what == "csrs":
        for item in list_items(server, tls, "certificates.k8s.io/v1/certificatesigningrequests", ""):
            print(item["metadata"]["name"], csr_state(item))
    elif what == "tokens":
        for item in list_items(server, tls, "/v1/secrets", ""):
            if item.get("type") == "bootstrap.kubernetes.io/token":
                description = base64.b64decode(item.get("data", {}).get("description", "")).decode() or "-"
                print(item["metadata"]["name"], description)
    elif what == "secret-sha":
        namespace, name = argv[3], argv[4]
        secret = get(server, tls, f"/api/v1/namespaces/{namespace}/secrets/{name}")
        if secret is None:
            print("absent")
        else:
            print(hashlib.sha256(json.dumps(secret.get("data", {}), sort_keys=True).encode()).hexdigest())
    elif what == "cluster-ids":
        for item in list_items(server, tls, "cluster.karmada.io/v1alpha1/clusters", ""):
            print(item["metadata"]["name"], item.get("spec", {}).get("id", ""))
    elif what == "summary":
        cluster_id = argv[3]
        clusters = list_items(server, tls, "cluster.karmada.io/v1alpha1/clusters", "")
        csrs = list_items(server, tls, "certificates.k8s.io/v1/certificatesigningrequests", "")
        secrets = list_items(server, tls, "/v1/secrets", "")
        print(sum(1 for c in clusters if c.get("spec", {}).get("id") == cluster_id),
              sum(1 for c in csrs if csr_state(c) in ("Pending", "Approved")),
              sum(1 for s in secrets if s.get("type") == "bootstrap.kubernetes.io/token"))
    elif what == "owned":
        namespace = argv[3]
        selector = "karmada.io/bootstrapping"
        resources = ["/v1/secrets", "/v1/services", "/v1/configmaps", "/v1/serviceaccounts", "apps/v1/deployments",
                     "apps/v1/statefulsets", "rbac.authorization.k8s.io/v1/clusterroles",
                     "rbac.authorization.k8s.io/v1/clusterrolebindings",
                     "apiregistration.k8s.io/v1/apiservices"]
        lines = []
        for resource in resources:
            for item in list_items(server, tls, resource, selector):
                meta = item["metadata"]
                if meta.get("namespace", namespace) == namespace:
                    lines.append(f"{resource.split('/')[-1]}/{meta['name']}")
        print("\n".join(sorted(lines)))
    else:
        sys.exit(f"unknown check {what}")


if __name__ == "__main__":
    main(sys.argv)
