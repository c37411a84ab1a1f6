"""A real webhook receiver on loopback for the black-box tests: it records
every request and answers as the test scripts it, and it verifies Standard
Webhooks signatures with Python's own hmac module (an implementation
independent of shipline's)."""

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time
from collections import deque


def expected_signature(secret, msg_id, timestamp, body):
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signature_valid(secret, request, tolerance=300):
    """True when one of the request's webhook-signature entries is the HMAC of
    its id, timestamp and body under secret, and the timestamp is within
    tolerance seconds of now."""
    headers = request["headers"]
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature", "").split()
    if not msg_id or not timestamp or not signatures:
        return False
    if abs(time.time() - int(timestamp)) > tolerance:
        return False
    want = expected_signature(secret, msg_id, timestamp, request["raw"])
    return any(hmac.compare_digest(want, s) for s in signatures)


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 that keeps every request. Answers come from
    `script` (a queue of status codes or (status, headers, body) tuples) and
    then from `default`."""

    def __init__(self, port=0):
        self.requests = []
        self.cond = threading.Condition()
        self.script = deque()
        self.default = (200, {}, b'{"ok":true}')
        self._port = port
        self.server = None
        self.thread = None

    @property
    def port(self):
        return self.server.server_address[1] if self.server else self._port

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with receiver.cond:
                    answer = receiver.script.popleft() if receiver.script else receiver.default
                    entry = {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "raw": raw,
                        "at": time.time(),
                    }
                    try:
                        entry["json"] = json.loads(raw)
                    except ValueError:
                        entry["json"] = None
                    receiver.requests.append(entry)
                    receiver.cond.notify_all()
                if isinstance(answer, int):
                    answer = (answer, {}, b"")
                status, headers, body = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self.server.daemon_threads = True
        self._port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def count(self):
        with self.cond:
            return len(self.requests)

    def wait_for(self, n, timeout=30.0):
        """Waits until at least n requests arrived; returns a copy of the list."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.requests) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            return list(self.requests)


def free_port_number():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
