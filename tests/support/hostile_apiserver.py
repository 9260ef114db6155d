#!/usr/bin/env python3
"""A hostile "Karmada API server" for register's discovery (issue 20).

It stands where the Karmada API server should be and tries to get the bootstrap token: it serves
TLS with a certificate from its own CA (made here with the openssl CLI, so from another CA than
the real control plane's), answers kube-public/cluster-info to anyone, with a kubeconfig whose CA
bundle is its own CA (after the CAs given with --extra-ca, e.g. the real control plane's CA, so
that a pin of that CA matches the bundle), and with a JWS for the token id that is
  none   missing (only a signature for another token id),
  wrong  made with another secret,
  valid  made with --token-secret (a server that knows the token but not the pinned CA's key).
Every other request gets 200 and an empty list when it carries an Authorization header (as if
the token were accepted) and 403 otherwise.

It appends one JSON line per request to --log: {"method", "path", "headers": {name: value}}.
A client that keeps the token to itself leaves no "Authorization" header in that log.

Usage: hostile_apiserver.py --log FILE --token-id ID [--jws none|wrong|valid]
                            [--token-secret S] [--extra-ca PEM]...
Prints "PORT <n>" on stdout when it is listening.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CLUSTER_INFO_PATH = "/api/v1/namespaces/kube-public/configmaps/cluster-info"
LOG_LOCK = threading.Lock()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def detached_jws(content, token_id, secret):
    """A detached HS256 JWS as the bootstrap signer writes it: "<header>..<signature>"."""
    header = b64url(json.dumps({"alg": "HS256", "kid": token_id}, separators=(",", ":")).encode())
    signing_input = (header + "." + b64url(content.encode())).encode()
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return header + ".." + b64url(signature)


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def make_pki(directory):
    """Its own CA and a server certificate for localhost and 127.0.0.1."""
    ca_key, ca_crt = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.crt")
    key, csr, crt = (os.path.join(directory, n) for n in ("server.key", "server.csr", "server.crt"))
    ext = os.path.join(directory, "server.ext")
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *curve, "-keyout", ca_key, "-out", ca_crt, "-subj",
            "/CN=hostile-ca", "-days", "2")
    openssl("req", *curve, "-keyout", key, "-out", csr, "-subj", "/CN=hostile-apiserver")
    with open(ext, "w") as out:
        out.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
            "-out", crt, "-days", "2", "-extfile", ext)
    return ca_crt, crt, key


def cluster_info(args, port, own_ca_pem):
    bundle = "".join(open(path).read() for path in args.extra_ca) + own_ca_pem
    kubeconfig = (
        "apiVersion: v1\nkind: Config\nclusters:\n- name: \"\"\n  cluster:\n"
        "    server: https://localhost:%d\n    certificate-authority-data: %s\n"
        "contexts: []\nusers: []\n" % (port, base64.b64encode(bundle.encode()).decode()))
    data = {"kubeconfig": kubeconfig,
            # A signature for another token id, as a real cluster-info often has.
            "jws-kubeconfig-zzzzzz": detached_jws(kubeconfig, "zzzzzz", "0123456789abcdef")}
    if args.jws == "wrong":
        data["jws-kubeconfig-" + args.token_id] = detached_jws(
            kubeconfig, args.token_id, "notthetokensecret")
    elif args.jws == "valid":
        data["jws-kubeconfig-" + args.token_id] = detached_jws(
            kubeconfig, args.token_id, args.token_secret)
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cluster-info", "namespace": "kube-public",
                         "resourceVersion": "1"},
            "data": data}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        entry = {"method": self.command, "path": path,
                 "headers": {name: value for name, value in self.headers.items()}}
        with LOG_LOCK, open(self.server.log_path, "a") as log:
            log.write(json.dumps(entry) + "\n")
        if self.command == "GET" and path == CLUSTER_INFO_PATH:
            return self.send_json(200, self.server.cluster_info)
        if self.headers.get("Authorization"):
            return self.send_json(200, {"kind": "List", "apiVersion": "v1",
                                        "metadata": {"resourceVersion": "1"}, "items": []})
        return self.send_json(403, {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                    "reason": "Forbidden", "code": 403,
                                    "message": "forbidden: User \"system:anonymous\""})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, context, log_path):
        super().__init__(address, Handler)
        self.context = context
        self.log_path = log_path
        self.cluster_info = None

    def finish_request(self, request, client_address):
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that refuses this server's certificate
        try:
            Handler(tls, client_address, self)
        except (ssl.SSLError, OSError):
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--token-id", required=True)
    parser.add_argument("--jws", choices=["none", "wrong", "valid"], default="none")
    parser.add_argument("--token-secret", default="")
    parser.add_argument("--extra-ca", action="append", default=[])
    args = parser.parse_args()
    if args.jws == "valid" and not args.token_secret:
        parser.error("--jws valid needs --token-secret")
    directory = tempfile.mkdtemp(prefix="kctl-hostile-")
    try:
        ca_crt, crt, key = make_pki(directory)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(crt, key)
        server = Server(("127.0.0.1", 0), context, args.log)
        server.cluster_info = cluster_info(args, server.server_address[1], open(ca_crt).read())
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
