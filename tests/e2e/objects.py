#!/usr/bin/env python3
"""Lists objects of an API server as "<resource> <namespace>/<name>" lines, sorted.

  objects.py KUBECONFIG [-l SELECTOR] RESOURCE...   RESOURCE = <group>/<version>/<plural> ("/v1/secrets" for core)

A test helper for the e2e scripts: it talks to the server directly (TLS from the kubeconfig), so
what it reports does not depend on the CLI under test.
"""
import base64
import json
import os
import ssl
import sys
import tempfile
import urllib.parse
import urllib.request

import yaml


def client(kubeconfig_path):
    with open(kubeconfig_path) as f:
        config = yaml.safe_load(f)
    context_name = config["current-context"]
    context = next(c["context"] for c in config["contexts"] if c["name"] == context_name)
    cluster = next(c["cluster"] for c in config["clusters"] if c["name"] == context["cluster"])
    user = next(u["user"] for u in config["users"] if u["name"] == context["user"])
    tls = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
    tmp = tempfile.mkdtemp()
    cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
    with open(cert, "wb") as f:
        f.write(base64.b64decode(user["client-certificate-data"]))
    with open(key, "wb") as f:
        f.write(base64.b64decode(user["client-key-data"]))
    tls.load_cert_chain(cert, key)
    return cluster["server"], tls


def list_items(server, tls, resource, selector):
    group, version, plural = resource.split("/")
    base = f"/api/{version}" if group == "" else f"/apis/{group}/{version}"
    query = {"labelSelector": selector} if selector else {}
    url = f"{server}{base}/{plural}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, context=tls, timeout=30) as response:
            return json.load(response)["items"]
    except urllib.error.HTTPError as e:
        if e.code == 404:  # the API is not served (e.g. no such CRD yet)
            return []
        raise


def main(argv):
    kubeconfig, rest = argv[1], argv[2:]
    selector = ""
    if rest[:1] == ["-l"]:
        selector, rest = rest[1], rest[2:]
    server, tls = client(kubeconfig)
    lines = []
    for resource in rest:
        plural = resource.split("/")[2]
        for item in list_items(server, tls, resource, selector):
            meta = item["metadata"]
            lines.append(f"{plural} {meta.get('namespace', '')}/{meta['name']}")
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main(sys.argv)
