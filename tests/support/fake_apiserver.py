#!/usr/bin/env python3
"""A tiny HTTPS Kubernetes API server for the kube client tests.

It keeps objects of any group/version/resource in memory, lists them with limit/continue,
streams watches, records every request, and can be told to fail on purpose. Control endpoints
under /_test/ are not recorded and need no credentials:

  GET  /_test/requests         every recorded request as JSON
  POST /_test/faults           {"method"?, "path", "status", "headers"?, "body"?, "count"?}
  POST /_test/config           {"tokens": [...], "watch_disconnect_after": n,
                                "watch_disconnect_mode": "abrupt"|"clean", "compacted_rv": n,
                                "reset_connections": n (the next n connections are reset, RST,
                                right after accept: before the TLS handshake),
                                "watch_answer": "list" (a watch is answered with the plain List
                                of what matches, and closed) | "events_then_close" (each watch
                                gets the matching objects as ADDED events and ends at once) |
                                "" (a real watch stream), "silent_reads": true (GET and list
                                requests are read and never answered; the connection stays
                                open), "read_status": n (GET and list requests are answered
                                with a Status of code n, 500 or 403 say)}
  POST /_test/seed             {"path": "/api/v1/namespaces/x/configmaps/y", "object": {...}}

Usage: fake_apiserver.py --cert C --key K [--client-ca CA] [--require-client-cert]
Prints "PORT <n>" on stdout when it is listening.
"""

import argparse
import json
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Condition()
STATE = {
    "objects": {},  # key (prefix, ns, resource, name) -> object
    "rv": 100,
    "events": [],  # (rv, prefix, ns, resource, type, object)
    "requests": [],
    "faults": [],
    "config": {},
}

DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"]},
    "/api/v1": {
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            {"name": "configmaps", "namespaced": True, "kind": "ConfigMap"},
            {"name": "secrets", "namespaced": True, "kind": "Secret"},
            {"name": "namespaces", "namespaced": False, "kind": "Namespace"},
            {"name": "namespaces/status", "namespaced": False, "kind": "Namespace"},
            {"name": "serviceaccounts", "namespaced": True, "kind": "ServiceAccount"},
        ],
    },
    "/apis": {
        "kind": "APIGroupList",
        "groups": [
            {
                "name": "apps",
                "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
                "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"},
            },
            {
                "name": "cluster.karmada.io",
                "versions": [{"groupVersion": "cluster.karmada.io/v1alpha1", "version": "v1alpha1"}],
                "preferredVersion": {"groupVersion": "cluster.karmada.io/v1alpha1", "version": "v1alpha1"},
            },
        ],
    },
    "/apis/apps/v1": {
        "kind": "APIResourceList",
        "groupVersion": "apps/v1",
        "resources": [
            {"name": "deployments", "namespaced": True, "kind": "Deployment"},
            {"name": "deployments/status", "namespaced": True, "kind": "Deployment"},
        ],
    },
    "/apis/cluster.karmada.io/v1alpha1": {
        "kind": "APIResourceList",
        "groupVersion": "cluster.karmada.io/v1alpha1",
        "resources": [
            {"name": "clusters", "singularName": "cluster", "namespaced": False, "kind": "Cluster", "verbs": ["get", "list", "watch"]},
            {"name": "clusters/status", "namespaced": False, "kind": "Cluster"},
            {"name": "clusters/proxy", "namespaced": False, "kind": "ClusterProxyOptions"},
        ],
    },
}


def parse_path(path):
    """Splits an API path into (prefix, namespace, resource, name) or None."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api":
        prefix, rest = "/api/" + parts[1], parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        prefix, rest = "/apis/%s/%s" % (parts[1], parts[2]), parts[3:]
    else:
        return None
    ns = None
    if len(rest) >= 3 and rest[0] == "namespaces":
        ns, rest = rest[1], rest[2:]
    if not rest:
        return None
    name = urllib.parse.unquote(rest[1]) if len(rest) > 1 else None
    return prefix, ns, rest[0], name


def qualified(prefix, resource):
    group = prefix.split("/")[2] if prefix.startswith("/apis/") else ""
    return resource + ("." + group if group else "")


def status(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}


def merge(target, patch):
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    out = dict(target)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge(out.get(key), value)
    return out


def labels_match(obj, selector):
    if not selector:
        return True
    labels = obj.get("metadata", {}).get("labels", {}) or {}
    for term in selector.split(","):
        if "=" in term:
            key, value = term.split("=", 1)
            if labels.get(key.rstrip("=")) != value:
                return False
        elif term and term not in labels:
            return False
    return True


def fields_match(obj, selector):
    if not selector:
        return True
    for term in selector.split(","):
        key, _, value = term.partition("=")
        if key == "metadata.name" and obj.get("metadata", {}).get("name") != value:
            return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # -- plumbing ---------------------------------------------------------------------------
    def send_json(self, code, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode() if length else ""

    def client_cn(self):
        try:
            cert = self.connection.getpeercert()
        except Exception:
            return None
        if not cert:
            return None
        for rdn in cert.get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    return value
        return None

    # -- dispatch ---------------------------------------------------------------------------
    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def dispatch(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        body = self.read_body()
        if url.path.startswith("/_test/"):
            return self.control(method, url.path, body)
        with LOCK:
            STATE["requests"].append({
                "method": method, "path": url.path, "query": query,
                "authorization": self.headers.get("Authorization"),
                "content_type": self.headers.get("Content-Type"),
                "user_agent": self.headers.get("User-Agent"),
                "host": self.headers.get("Host"),
                "body": body, "client_cn": self.client_cn(),
                "peer_port": self.client_address[1],
            })
            fault = self.take_fault(method, url.path)
            tokens = STATE["config"].get("tokens")
            silent_reads = STATE["config"].get("silent_reads", False)
            read_status = STATE["config"].get("read_status", 0)
        if fault:
            return self.send_fault(fault)
        if method == "GET" and silent_reads:
            # Accepted, TLS done, request read: and never a byte back, until the client gives up.
            self.close_connection = True
            try:
                self.rfile.read(1)
            except OSError:
                pass
            return
        if method == "GET" and read_status:
            reason = {403: "Forbidden", 500: "InternalError"}.get(read_status, "")
            return self.send_json(read_status, status(read_status, reason, "reads fail (fake)"))
        if tokens is not None:
            auth = self.headers.get("Authorization") or ""
            if not any(auth == "Bearer " + t for t in tokens):
                return self.send_json(401, status(401, "Unauthorized", "Unauthorized"))
        try:
            self.serve_api(method, url.path, query, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def take_fault(self, method, path):
        for fault in STATE["faults"]:
            if fault.get("count", 1) <= 0:
                continue
            if fault.get("method", method) != method or not path.startswith(fault["path"]):
                continue
            fault["count"] = fault.get("count", 1) - 1
            return fault
        return None

    def send_fault(self, fault):
        body = fault.get("body")
        if body is None:
            body = status(fault["status"], fault.get("reason", ""), fault.get("message", "fault"))
        self.send_json(fault["status"], body, fault.get("headers"))

    def control(self, method, path, body):
        data = json.loads(body) if body else {}
        with LOCK:
            if path == "/_test/requests":
                return self.send_json(200, STATE["requests"])
            if path == "/_test/faults":
                STATE["faults"].append(data)
            elif path == "/_test/config":
                STATE["config"].update(data)
            elif path == "/_test/seed":
                self.store(parse_path(data["path"]), data["object"], "ADDED")
            LOCK.notify_all()
        self.send_json(200, {"ok": True})

    # -- the API ----------------------------------------------------------------------------
    def store(self, key, obj, event_type):
        STATE["rv"] += 1
        obj = json.loads(json.dumps(obj))
        meta = obj.setdefault("metadata", {})
        meta["resourceVersion"] = str(STATE["rv"])
        if key[1] is not None:
            meta["namespace"] = key[1]
        if event_type == "DELETED":
            STATE["objects"].pop(key, None)
        else:
            STATE["objects"][key] = obj
        STATE["events"].append((STATE["rv"], key, event_type, obj))
        LOCK.notify_all()
        return obj

    def serve_api(self, method, path, query, body):
        if method == "GET" and path in DISCOVERY:
            return self.send_json(200, DISCOVERY[path])
        if method == "GET" and path == "/version":
            return self.send_json(200, {"major": "1", "minor": "31", "gitVersion": "v1.31.0"})
        if method == "GET" and path in ("/readyz", "/healthz", "/livez"):
            data = b"ok"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        parsed = parse_path(path)
        if parsed is None:
            return self.send_json(404, status(404, "NotFound", "the server could not find the requested resource"))
        prefix, ns, resource, name = parsed
        if name is None:
            if method == "GET" and query.get("watch") in ("true", "1"):
                return self.watch(parsed, query)
            if method == "GET":
                return self.list(parsed, query)
            if method == "POST":
                return self.create(parsed, body)
            return self.send_json(405, status(405, "MethodNotAllowed", "method not allowed"))
        key = (prefix, ns, resource, name)
        with LOCK:
            current = STATE["objects"].get(key)
            missing = status(404, "NotFound", '%s "%s" not found' % (qualified(prefix, resource), name))
            if method == "GET":
                return self.send_json(200, current) if current else self.send_json(404, missing)
            if method == "PUT":
                if not current:
                    return self.send_json(404, missing)
                return self.send_json(200, self.store(key, json.loads(body), "MODIFIED"))
            if method == "PATCH":
                ctype = self.headers.get("Content-Type", "")
                patch = json.loads(body)
                if ctype.startswith("application/apply-patch"):
                    merged = merge(current or {}, patch)
                    return self.send_json(200 if current else 201,
                                          self.store(key, merged, "MODIFIED" if current else "ADDED"))
                if not current:
                    return self.send_json(404, missing)
                return self.send_json(200, self.store(key, merge(current, patch), "MODIFIED"))
            if method == "DELETE":
                if not current:
                    return self.send_json(404, missing)
                self.store(key, current, "DELETED")
                return self.send_json(200, {"kind": "Status", "apiVersion": "v1", "status": "Success"})

    def create(self, parsed, body):
        prefix, ns, resource, _ = parsed
        obj = json.loads(body)
        name = obj.get("metadata", {}).get("name")
        key = (prefix, ns, resource, name)
        with LOCK:
            if key in STATE["objects"]:
                return self.send_json(409, status(
                    409, "AlreadyExists", '%s "%s" already exists' % (qualified(prefix, resource), name)))
            self.send_json(201, self.store(key, obj, "ADDED"))

    def matching(self, parsed, query):
        prefix, ns, resource, _ = parsed
        out = []
        for key in sorted(STATE["objects"]):
            if key[0] == prefix and key[2] == resource and (ns is None or key[1] == ns):
                obj = STATE["objects"][key]
                if labels_match(obj, query.get("labelSelector")) and fields_match(obj, query.get("fieldSelector")):
                    out.append(obj)
        return out

    def list(self, parsed, query):
        with LOCK:
            items = self.matching(parsed, query)
            rv = str(STATE["rv"])
        start = int(query.get("continue") or 0)
        limit = int(query.get("limit") or 0)
        page = items[start:start + limit] if limit else items[start:]
        meta = {"resourceVersion": rv}
        if limit and start + limit < len(items):
            meta["continue"] = str(start + limit)
        self.send_json(200, {"kind": "List", "apiVersion": "v1", "metadata": meta, "items": page})

    def write_chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def watch(self, parsed, query):
        prefix, ns, resource, _ = parsed
        with LOCK:
            answer = STATE["config"].get("watch_answer", "")
        if answer == "list":
            # What a server or proxy that does not serve watches sends: the List, then it closes.
            self.close_connection = True
            return self.list(parsed, {k: v for k, v in query.items() if k == "labelSelector"})
        if answer == "events_then_close":
            with LOCK:
                objects = self.matching(parsed, query)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.close_connection = True
            for obj in objects:
                self.write_chunk(json.dumps({"type": "ADDED", "object": obj}).encode() + b"\n")
            self.write_chunk(b"")
            return
        since = query.get("resourceVersion")
        timeout = float(query.get("timeoutSeconds") or 30)
        deadline = time.time() + timeout
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True
        sent = 0
        with LOCK:
            config = STATE["config"]
            if since and int(since) < int(config.get("compacted_rv", 0)):
                event = {"type": "ERROR", "object": status(410, "Expired", "too old resource version: %s" % since)}
                self.write_chunk(json.dumps(event).encode() + b"\n")
                self.write_chunk(b"")
                return
            if not since or since == "0":
                pending = [(int(o["metadata"]["resourceVersion"]), "ADDED", o) for o in self.matching(parsed, query)]
                position = len(STATE["events"])
            else:
                pending = []
                position = 0
                while position < len(STATE["events"]) and STATE["events"][position][0] <= int(since):
                    position += 1
        while True:
            with LOCK:
                for rv, key, kind, obj in STATE["events"][position:]:
                    if key[0] == prefix and key[2] == resource and (ns is None or key[1] == ns):
                        if labels_match(obj, query.get("labelSelector")) and fields_match(obj, query.get("fieldSelector")):
                            pending.append((rv, kind, obj))
                position = len(STATE["events"])
                limit = config.get("watch_disconnect_after", 0)
            for rv, kind, obj in pending:
                self.write_chunk(json.dumps({"type": kind, "object": obj}).encode() + b"\n")
                sent += 1
                if limit and sent >= limit:
                    with LOCK:
                        config["watch_disconnect_after"] = 0
                    if config.get("watch_disconnect_mode", "abrupt") == "abrupt":
                        self.connection.shutdown(socket.SHUT_RDWR)
                    else:
                        self.write_chunk(b"")
                    return
            pending = []
            with LOCK:
                if len(STATE["events"]) == position:
                    remaining = deadline - time.time()
                    if remaining <= 0:
                        break
                    LOCK.wait(min(remaining, 0.5))
        self.write_chunk(b"")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, context):
        super().__init__(address, Handler)
        self.context = context

    def finish_request(self, request, client_address):
        # The TLS handshake runs in the connection's thread, so a bad client stalls no one.
        with LOCK:
            reset = STATE["config"].get("reset_connections", 0)
            if reset > 0:
                STATE["config"]["reset_connections"] = reset - 1
        if reset > 0:
            request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            request.close()
            return
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            Handler(tls, client_address, self)
        except (ssl.SSLError, OSError):
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--client-ca")
    parser.add_argument("--require-client-cert", action="store_true")
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    if args.client_ca:
        context.load_verify_locations(args.client_ca)
        context.verify_mode = ssl.CERT_REQUIRED if args.require_client_cert else ssl.CERT_OPTIONAL
    server = Server(("127.0.0.1", 0), context)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
