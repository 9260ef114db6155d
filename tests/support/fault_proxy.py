#!/usr/bin/env python3
"""A small TCP/TLS fault proxy between the CLI and a real API server, for the fault e2e tests.

  fault_proxy.py --kubeconfig ORIG --out NEW --dir DIR --mode MODE [--count N] [--status CODE]
                 [--stall-seconds T] [--path PREFIX] [--log FILE]

It writes NEW, a copy of the kubeconfig ORIG whose current cluster is this proxy (https://127.0.0.1:PORT)
with a test CA made here with the openssl CLI (in DIR); the user's credentials stay as they are. The proxy
terminates TLS with a server certificate from that CA, and connects upstream with TLS as ORIG says (its CA,
client certificate and key; Authorization headers are relayed as sent). Modes:

  pass           relay everything (the control case)
  reset          the first N connections are reset (RST) right after accept, before any TLS byte:
                 nothing reached the server, every request may be retried
  reset-request  the first N requests are read in full, then their connection is reset (RST): the
                 request may have been received, only idempotent requests may be retried
  stall          the first N requests (all of them with --count 0) are read and never answered; with
                 --stall-seconds T they are answered (passed through) after T seconds instead
  status         the first N requests are answered with --status (429 or 503) and "Retry-After: 1"

The request modes fault only requests whose path starts with --path (default "/"); each connection
carries one request (upstream is asked to close after answering), so every request is seen.
Each injected fault is appended to --log as one line ("reset", "status 429 GET /api", ...), so a test
can check that the fault really happened. Prints "PORT <n>" on stdout when listening.
"""

import argparse
import asyncio
import base64
import os
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import urllib.parse

import yaml

HEAD_LIMIT = 1 << 20  # the longest request head read before giving up on a connection


def current(config):
    context_name = config["current-context"]
    context = next(c["context"] for c in config["contexts"] if c["name"] == context_name)
    cluster = next(c for c in config["clusters"] if c["name"] == context["cluster"])
    user = next(u for u in config["users"] if u["name"] == context["user"])
    return cluster, user


def material(entry, key, base):
    """The bytes of a kubeconfig field given as KEY-data (base64) or KEY (a file path)."""
    if entry.get(key + "-data"):
        return base64.b64decode(entry[key + "-data"])
    if entry.get(key):
        path = entry[key] if os.path.isabs(entry[key]) else os.path.join(base, entry[key])
        with open(path, "rb") as f:
            return f.read()
    return None


def make_test_pki(directory):
    """A test CA and a server certificate for 127.0.0.1/localhost signed by it (openssl CLI)."""
    os.makedirs(directory, exist_ok=True)
    ca_key, ca_crt = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.crt")
    key, csr, crt = (os.path.join(directory, n) for n in ("server.key", "server.csr", "server.crt"))
    ext = os.path.join(directory, "server.ext")
    run = lambda *args: subprocess.run(args, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", ca_key, "-out", ca_crt, "-days", "2", "-subj", "/CN=fault-proxy-test-ca")
    run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", csr, "-subj", "/CN=fault-proxy")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
        "-out", crt, "-days", "2", "-extfile", ext)
    return ca_crt, crt, key


class Proxy:
    def __init__(self, args):
        self.source = args.kubeconfig
        with open(args.kubeconfig) as f:
            self.config = yaml.safe_load(f)
        base = os.path.dirname(os.path.abspath(args.kubeconfig))
        cluster, user = current(self.config)
        url = urllib.parse.urlsplit(cluster["cluster"]["server"])
        self.upstream_host, self.upstream_port = url.hostname, url.port or 443
        self.server_name = cluster["cluster"].get("tls-server-name") or self.upstream_host
        upstream = ssl.create_default_context(cadata=material(cluster["cluster"], "certificate-authority", base).decode())
        upstream.set_alpn_protocols(["http/1.1"])
        cert = material(user["user"], "client-certificate", base)
        key = material(user["user"], "client-key", base)
        if cert and key:
            tmp = tempfile.mkdtemp(dir=args.dir)
            paths = [os.path.join(tmp, "client.crt"), os.path.join(tmp, "client.key")]
            for path, data in zip(paths, (cert, key)):
                with open(path, "wb") as f:
                    f.write(data)
                os.chmod(path, 0o600)
            upstream.load_cert_chain(*paths)
        self.upstream_tls = upstream
        ca_crt, server_crt, server_key = make_test_pki(os.path.join(args.dir, "pki"))
        self.ca_crt = ca_crt
        server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.load_cert_chain(server_crt, server_key)
        server.set_alpn_protocols(["http/1.1"])
        self.server_tls = server
        self.mode, self.count, self.status = args.mode, args.count, args.status
        self.stall_seconds = args.stall_seconds
        self.path = args.path
        self.log_path = args.log
        self.faults = 0  # connections or requests affected so far

    def take_fault(self):
        """Whether the next connection/request gets the fault (the first --count; all with 0)."""
        if self.mode == "pass" or (self.count > 0 and self.faults >= self.count):
            return False
        self.faults += 1
        return True

    def log(self, line):
        if self.log_path:
            with open(self.log_path, "a") as f:
                f.write(line + "\n")

    def write_kubeconfig(self, out, port):
        config = self.config
        cluster, _ = current(config)
        entry = cluster["cluster"]
        for key in ("certificate-authority", "tls-server-name", "insecure-skip-tls-verify", "proxy-url"):
            entry.pop(key, None)
        with open(self.ca_crt, "rb") as f:
            entry["certificate-authority-data"] = base64.b64encode(f.read()).decode()
        entry["server"] = f"https://127.0.0.1:{port}"
        _, user = current(config)
        base = os.path.dirname(os.path.abspath(self.source))
        for key in ("client-certificate", "client-key"):  # inline, so NEW works from anywhere
            data = material(user["user"], key, base)
            if data is not None:
                user["user"].pop(key, None)
                user["user"][key + "-data"] = base64.b64encode(data).decode()
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            yaml.safe_dump(config, f)

    async def handle(self, reader, writer):
        try:
            if self.mode == "reset" and self.take_fault():
                self.log("reset")
                rst(writer)
                return
            await writer.start_tls(self.server_tls)
            await self.serve(reader, writer)
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()

    async def serve(self, reader, writer):
        """Reads requests one by one; faults some, and relays the first that passes (one request
        per connection: it asks upstream for "Connection: close", so every request is seen here)."""
        while True:
            request = await read_request(reader)
            if request is None:
                return
            line = request.split(b"\r\n", 1)[0].decode(errors="replace")
            what = " ".join(line.split(" ")[:2])
            path = line.split(" ")[1] if " " in line else ""
            if (self.mode in ("reset-request", "stall", "status") and path.startswith(self.path)
                    and self.take_fault()):
                if self.mode == "reset-request":
                    self.log(f"reset-request {what}")
                    rst(writer)
                    return
                if self.mode == "status":
                    self.log(f"status {self.status} {what}")
                    body = b'{"kind":"Status","apiVersion":"v1","status":"Failure","message":"fault proxy: try again later","code":%d}' % self.status
                    writer.write(b"HTTP/1.1 %d Fault\r\nRetry-After: 1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                                 % (self.status, len(body), body))
                    await writer.drain()
                    continue
                if self.stall_seconds <= 0:
                    self.log(f"stall {what}")
                    await reader.read()  # never answer; wait for the client to give up
                    return
                self.log(f"stall {self.stall_seconds}s {what}")
                await asyncio.sleep(self.stall_seconds)
            await self.relay(close_after(request), reader, writer)
            return

    async def relay(self, first, reader, writer):
        up_reader, up_writer = await asyncio.open_connection(
            self.upstream_host, self.upstream_port, ssl=self.upstream_tls, server_hostname=self.server_name)
        up_writer.write(first)

        async def pump(src, dst):
            try:
                while True:
                    data = await src.read(65536)
                    if not data:
                        break
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, ssl.SSLError, OSError):
                pass
            finally:
                if not dst.is_closing():
                    dst.close()

        # Upstream closes after its answer; that ends the client side too.
        client_side = asyncio.ensure_future(pump(reader, up_writer))
        await pump(up_reader, writer)
        client_side.cancel()


def close_after(request):
    """The request with "Connection: close" instead of any Connection header."""
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close"]) + b"\r\n\r\n" + body


def rst(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def read_request(reader):
    """One HTTP/1.1 request (head and Content-Length body) as bytes; None when the client is done."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() == b"transfer-encoding":
            raise ConnectionError("chunked request bodies are not supported by the fault proxy")
    body = await reader.readexactly(length) if length else b""
    return head + body


async def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--mode", required=True, choices=["pass", "reset", "reset-request", "stall", "status"])
    parser.add_argument("--count", type=int, default=1, help="faults to inject; 0: every one")
    parser.add_argument("--status", type=int, default=429, choices=[429, 503])
    parser.add_argument("--stall-seconds", type=float, default=0)
    parser.add_argument("--path", default="/", help="fault only requests whose path starts with this")
    parser.add_argument("--log")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    proxy = Proxy(args)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0, limit=HEAD_LIMIT)
    port = server.sockets[0].getsockname()[1]
    proxy.write_kubeconfig(args.out, port)
    print(f"PORT {port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
