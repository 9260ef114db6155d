#!/usr/bin/env python3
"""Raw reads and writes against an API server, for e2e tests that must set up state the CLI under
test cannot (or must not) be trusted to set up.

  kube_raw.py KUBECONFIG get PATH            prints the JSON object at PATH (exit 3 when it is 404)
  kube_raw.py KUBECONFIG put PATH FILE       replaces the object at PATH with FILE's JSON
  kube_raw.py KUBECONFIG patch PATH JSON     merge-patches the object at PATH

PATH is the API path, e.g. /api/v1/namespaces/kube-public/configmaps/cluster-info. TLS and the
client certificate come from the kubeconfig (as objects.py).
"""
import json
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from objects import client  # noqa: E402


def request(server, tls, method, path, body=None, content_type="application/json"):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{server}{path}", data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, context=tls, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            sys.exit(3)
        sys.exit(f"{method} {path}: {e.code} {e.read().decode(errors='replace')}")


def main(argv):
    kubeconfig, verb, path = argv[1], argv[2], argv[3]
    server, tls = client(kubeconfig)
    if verb == "get":
        result = request(server, tls, "GET", path)
    elif verb == "put":
        with open(argv[4]) as f:
            result = request(server, tls, "PUT", path, json.load(f))
    elif verb == "patch":
        result = request(server, tls, "PATCH", path, json.loads(argv[4]), "application/merge-patch+json")
    else:
        sys.exit(f"unknown verb {verb}")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv)
