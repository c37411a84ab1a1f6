"""Fixtures for the black-box tests: the real shipline binary over loopback,
a real SMTP server (aiosmtpd) and a local Stripe-style payment server.

Every wait is bounded; no test asserts a duration.
"""

import copy
import email
import email.policy
import http.client
import http.server
import json
import os
import signal
import socket
import sqlite3
import struct
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

SHIPLINE_BIN = os.environ.get(
    "SHIPLINE_BIN", str(Path(__file__).resolve().parents[2] / "build" / "shipline"))
# With a PostgreSQL URL here (e.g. postgres://postgres@127.0.0.1:PORT/shipline),
# every data folder gets a fresh, empty schema of that database (a database of
# its own as far as shipline can tell, and much faster to create) and shipline
# runs on it with --database: the whole suite then tests the PostgreSQL store.
TEST_DATABASE_URL = os.environ.get("SHIPLINE_TEST_DATABASE_URL", "")
# The master key of the test nodes on PostgreSQL (32 bytes, base64): not a secret.
TEST_MASTER_KEY = "c2hpcGxpbmUtdGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGU="
HEALTH_TIMEOUT = 20.0
HTTP_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0

_DEFAULT = object()


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout, interval=0.05):
    """Polls predicate until it returns a truthy value or timeout seconds pass.
    Returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def run_cli(*args, env=None, timeout=30):
    """Runs the shipline binary with args; returns the CompletedProcess."""
    return subprocess.run(
        [SHIPLINE_BIN, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env if env is not None else os.environ.copy(),
        timeout=timeout,
    )


def _require_binary():
    if not (os.path.isfile(SHIPLINE_BIN) and os.access(SHIPLINE_BIN, os.X_OK)):
        pytest.fail(f"shipline binary not found at {SHIPLINE_BIN} (set SHIPLINE_BIN)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): the test is about the SQLite data folder; "
        "skipped when SHIPLINE_TEST_DATABASE_URL runs the suite on PostgreSQL")


def pytest_collection_modifyitems(config, items):
    if not TEST_DATABASE_URL:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "SQLite only"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


_PG_DATABASES = {}  # data folder -> database URL, so a restarted folder keeps its data
_PG_COUNTER = [0]


def _psql(url, sql):
    subprocess.run(["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)


def create_test_database():
    """A fresh, empty schema in the SHIPLINE_TEST_DATABASE_URL database; the URL
    that makes it the only schema a connection sees."""
    _PG_COUNTER[0] += 1
    name = f"bb_{os.getpid()}_{_PG_COUNTER[0]}_{int(time.time() * 1000) % 100000000}"
    _psql(TEST_DATABASE_URL, f"CREATE SCHEMA {name}")
    return TEST_DATABASE_URL + "?options=" + urllib.parse.quote(f"-csearch_path={name}")


def drop_test_database(url):
    name = urllib.parse.unquote(url).rsplit("search_path=", 1)[1]
    try:
        _psql(TEST_DATABASE_URL, f"DROP SCHEMA IF EXISTS {name} CASCADE")
    except (subprocess.SubprocessError, OSError):
        pass  # the throwaway cluster goes anyway


def database_for(data_dir):
    """The PostgreSQL database of a data folder (created on first use), or None on SQLite."""
    if not TEST_DATABASE_URL:
        return None
    key = str(Path(data_dir).resolve())
    if key not in _PG_DATABASES:
        _PG_DATABASES[key] = create_test_database()
    return _PG_DATABASES[key]


class Response:
    """What request() returns; also unpacks as (status, headers, body)."""

    def __init__(self, status, headers, body, raw):
        self.status = status
        self.headers = headers
        self.body = body
        self.raw = raw

    def __iter__(self):
        return iter((self.status, self.headers, self.body))

    def __repr__(self):
        return f"Response({self.status}, {self.body!r})"


class Shipline:
    """One shipline server process on a fixed loopback port and data folder.

    start() can be called again after stop()/kill9() on the same folder."""

    def __init__(self, data_dir, extra_args=(), env=None, use_env_config=False, port=None,
                 database=None):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # On PostgreSQL: the folder's database, or one given to share it between nodes.
        self.database = database or database_for(self.data_dir)
        self.port = port or free_port()
        self._port_chosen_here = port is None
        self.extra_args = list(extra_args)
        self.env = dict(env or {})
        self.use_env_config = use_env_config
        self.proc = None
        self.starts = 0
        self.stdout_path = None
        self.stderr_path = None
        self.stdout_paths = []
        self.stderr_paths = []
        self._key = None
        self.key_name = "blackbox"
        self.tenant = "main"

    # -- process ---------------------------------------------------------
    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def db_path(self):
        return self.data_dir / "shipline.db"

    @property
    def mail_dir(self):
        return self.data_dir / "mail"

    def execute_sql(self, sql):
        """Runs one statement on this server's own database, behind its back:
        for tests that damage stored data (SQLite or PostgreSQL alike)."""
        if self.database:
            _psql(self.database, sql)
            return
        db = sqlite3.connect(self.db_path, timeout=30)
        try:
            db.execute(sql)
            db.commit()
        finally:
            db.close()

    def database_args(self):
        """--database URL on PostgreSQL; nothing on SQLite."""
        return ["--database", self.database] if self.database else []

    def metrics_args(self):
        """--metrics-listen off unless the test names a metrics address: the
        default port (9464) would be shared by servers running side by side."""
        if "--metrics-listen" in self.extra_args or self.use_env_config:
            return []
        return ["--metrics-listen", "off"]

    def command(self):
        if self.use_env_config:
            return [SHIPLINE_BIN, "serve", *self.extra_args]
        return [SHIPLINE_BIN, "serve", "--listen", f"127.0.0.1:{self.port}",
                "--data", str(self.data_dir), *self.database_args(), *self.metrics_args(),
                *self.extra_args]

    def process_env(self):
        env = os.environ.copy()
        # Never let the caller's environment configure the server under test.
        for name in list(env):
            if name.startswith("SHIPLINE_") and name != "SHIPLINE_BIN":
                del env[name]
        if self.use_env_config:
            env["SHIPLINE_LISTEN"] = f"127.0.0.1:{self.port}"
            env["SHIPLINE_DATA"] = str(self.data_dir)
            env["SHIPLINE_METRICS_LISTEN"] = "off"
            if self.database:
                env["SHIPLINE_DATABASE"] = self.database
        if self.database:
            # Nodes on one database share their master key (there is no
            # default on PostgreSQL); a test may set SHIPLINE_MASTER_KEY_FILE.
            env["SHIPLINE_MASTER_KEY"] = TEST_MASTER_KEY
            # A node killed with -9 keeps the email and broker consumers until
            # its lease runs out (60 s by default): tests restart in seconds.
            env["SHIPLINE_CONSUMER_LEASE_MS"] = "5000"
        env.update(self.env)
        return env

    def start(self):
        _require_binary()
        assert self.proc is None or self.proc.poll() is not None, "already running"
        # A port picked free can be taken by another test's server before this
        # one binds it (tests run side by side): then pick another, rather
        # than talk to the wrong server.
        for attempt in range(3):
            self._launch()
            if self._wait_listening() or not self._port_chosen_here or attempt == 2:
                break
            self.port = free_port()
        self.wait_healthy()
        return self

    def _launch(self):
        self.starts += 1
        self.stdout_path = self.data_dir / f"stdout-{self.starts}.log"
        self.stderr_path = self.data_dir / f"stderr-{self.starts}.log"
        self.stdout_paths.append(self.stdout_path)
        self.stderr_paths.append(self.stderr_path)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.command(), stdout=out, stderr=err,
                                         stdin=subprocess.DEVNULL, env=self.process_env())

    def _wait_listening(self, timeout=HEALTH_TIMEOUT):
        """True once this process logged that it listens; False when it exited
        because its port was taken."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.stderr_text()
            if '"msg":"listening"' in text:
                return True
            if self.proc.poll() is not None:
                return "cannot listen on" not in text
            time.sleep(0.02)
        return True  # wait_healthy reports what is wrong

    def wait_healthy(self, timeout=HEALTH_TIMEOUT):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"shipline exited with {self.proc.returncode} before it was healthy; "
                    f"stderr:\n{self.stderr_text()[-4000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return
                last = resp.status
            except OSError as exc:
                last = exc
            time.sleep(0.05)
        raise AssertionError(f"shipline not healthy within {timeout}s (last: {last!r}); "
                             f"stderr:\n{self.stderr_text()[-4000:]}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.running():
            self.proc.send_signal(signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(timeout=STOP_TIMEOUT)

    def stop(self, check=True):
        """SIGTERM and wait. With check, a server that does not stop within
        STOP_TIMEOUT seconds is killed and the call fails. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_TIMEOUT)
                if check:
                    raise AssertionError("shipline did not stop within "
                                         f"{STOP_TIMEOUT}s of SIGTERM")
        return self.proc.returncode

    def restart(self, kill=False):
        if kill:
            self.kill9()
        else:
            self.stop()
        return self.start()

    # -- output ----------------------------------------------------------
    def stdout_text(self, start=None):
        path = self.stdout_paths[start - 1] if start else self.stdout_path
        return path.read_text(errors="replace") if path and path.exists() else ""

    def stderr_text(self, start=None):
        path = self.stderr_paths[start - 1] if start else self.stderr_path
        return path.read_text(errors="replace") if path and path.exists() else ""

    def all_stderr(self):
        return "".join(p.read_text(errors="replace") for p in self.stderr_paths if p.exists())

    def eml_files(self):
        if not self.mail_dir.is_dir():
            return []
        return sorted(self.mail_dir.glob("*.eml"))

    def wait_eml(self, n, timeout=20.0):
        """Waits until at least n .eml files exist; returns the list."""
        return wait_until(lambda: len(self.eml_files()) >= n and self.eml_files(),
                          timeout) or self.eml_files()

    def read_eml(self, path):
        with open(path, "rb") as f:
            return email.message_from_binary_file(f, policy=email.policy.default)

    # -- keys ------------------------------------------------------------
    def create_key(self, tenant, name, scopes=None, expires=None):
        """A new key from `shipline keys create` (admin unless scopes, e.g. "read,write")."""
        extra = []
        if scopes is not None:
            extra += ["--scopes", scopes]
        if expires is not None:
            extra += ["--expires", expires]
        proc = run_cli("keys", "create", "--data", str(self.data_dir), *self.database_args(),
                       "--tenant", tenant, "--name", name, *extra)
        assert proc.returncode == 0, (
            f"keys create failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
        key = proc.stdout.decode().strip()
        assert key and "\n" not in key, f"keys create printed more than the key: {key!r}"
        return key

    @property
    def key(self):
        if self._key is None:
            self._key = self.create_key(self.tenant, self.key_name)
        return self._key

    # -- HTTP ------------------------------------------------------------
    def request(self, method, path, body=None, key=_DEFAULT, headers=None, raw=None,
                timeout=HTTP_TIMEOUT):
        """Sends one request on a fresh connection. body is JSON-encoded; raw
        (bytes or str) is sent as is. key=None sends no Authorization header."""
        hdrs = {}
        if key is _DEFAULT:
            key = self.key
        if key is not None:
            hdrs["Authorization"] = f"Bearer {key}"
        data = None
        if raw is not None:
            data = raw.encode() if isinstance(raw, str) else raw
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if headers:
            hdrs.update(headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            content = resp.read()
        finally:
            conn.close()
        text = content.decode("utf-8", errors="replace")
        parsed = text
        if content:
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = text
        else:
            parsed = None
        return Response(resp.status, resp.headers, parsed, content)

    # Shortcuts used by many tests.
    def create_order(self, order, key=_DEFAULT):
        r = self.request("POST", "/api/v1/orders", body=order, key=key)
        assert r.status == 201, f"order create: {r.status} {r.body}"
        return r.body

    def complete(self, shipment_number, tracking=None, key=_DEFAULT):
        body = {"shipmentNumber": shipment_number}
        if tracking is not None:
            body["carrierTrackingNumber"] = tracking
        return self.request("POST", COMPLETE_PATH, body=body, key=key)

    def shipment(self, number, key=_DEFAULT):
        r = self.request("GET", f"/api/v1/shipments/{urllib.parse.quote(number)}", key=key)
        assert r.status == 200, f"shipment get: {r.status} {r.body}"
        return r.body

    def events(self, key=_DEFAULT, after=0, limit=100):
        """Every event of the key's tenant (follows the paging)."""
        out = []
        for _ in range(1000):
            r = self.request("GET", f"/api/v1/events?after={after}&limit={limit}", key=key)
            assert r.status == 200, f"events: {r.status} {r.body}"
            out.extend(r.body["events"])
            if not r.body["events"] or r.body.get("next") is None:
                break
            after = r.body["next"]
        return out

    def shipped_events(self, key=_DEFAULT):
        return [e for e in self.events(key=key) if e["type"] == "order-shipment-shipped"]


COMPLETE_PATH = "/integration/api/shipping/v1/shipments/complete-shipment"
API_DOCS_PATH = "/integration/api/shipping/v1/shipments/api-docs"
TRACKING = "1Z999AA10123456784"

_ORDER_TEMPLATE = {
    "orderNumber": "100001",
    "store": "main",
    "currency": "USD",
    "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
    "shippingAddress": {"name": "Ada", "line1": "1 Main St", "city": "London",
                        "postalCode": "N1", "country": "GB"},
    "lineItems": [{"sku": "A", "title": "Widget", "quantity": 2, "unitPrice": "10.50"}],
    "payment": {"provider": "stripe", "reference": "pi_123", "amountAuthorized": "21.00"},
    "shipments": [{"shipmentNumber": "100001-1", "status": "RELEASED",
                   "items": [{"sku": "A", "quantity": 2}]}],
}


def order_body(order_number="100001", status="RELEASED", shipments=None, line_items=None,
               email_addr="ada@example.com", reference="pi_123", amount_authorized=None,
               **overrides):
    """An order body like the contract's example. shipments is a list of
    (suffix-or-number, status, [(sku, qty), ...]) or full dicts."""
    body = copy.deepcopy(_ORDER_TEMPLATE)
    body["orderNumber"] = order_number
    body["customer"]["email"] = email_addr
    body["payment"]["reference"] = reference
    if line_items is not None:
        body["lineItems"] = line_items
    if shipments is None:
        body["shipments"] = [{"shipmentNumber": f"{order_number}-1", "status": status,
                              "items": [{"sku": "A", "quantity": 2}]}]
    else:
        out = []
        for s in shipments:
            if isinstance(s, dict):
                out.append(s)
            else:
                number, st, items = s
                out.append({"shipmentNumber": number, "status": st,
                            "items": [{"sku": k, "quantity": q} for k, q in items]})
        body["shipments"] = out
    if amount_authorized is not None:
        body["payment"]["amountAuthorized"] = amount_authorized
    body.update(overrides)
    return body


@pytest.fixture
def make_shipline(tmp_path):
    """Factory: make_shipline(extra_args=[...], env={...}, data_dir=..., start=True)."""
    servers = []
    counter = [0]

    def factory(extra_args=(), env=None, data_dir=None, start=True, use_env_config=False,
                port=None, database=None):
        counter[0] += 1
        d = Path(data_dir) if data_dir else tmp_path / f"data{counter[0]}"
        s = Shipline(d, extra_args=extra_args, env=env, use_env_config=use_env_config,
                     port=port, database=database)
        servers.append(s)
        if start:
            s.start()
        return s

    yield factory
    for s in servers:
        try:
            s.stop(check=False)
        except Exception:  # noqa: BLE001 - teardown must go on
            if s.proc is not None and s.proc.poll() is None:
                s.proc.kill()
    if TEST_DATABASE_URL:
        for s in servers:
            folder = str(s.data_dir.resolve())
            if _PG_DATABASES.get(folder) == s.database:
                drop_test_database(_PG_DATABASES.pop(folder))


@pytest.fixture
def shipline(make_shipline):
    """A running server with the default flags (manual payments, .eml mail)."""
    return make_shipline()


# -- SMTP -------------------------------------------------------------------

class _SmtpHandler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.sink.reject_rcpts:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", errors="surrogateescape")
        message = email.message_from_bytes(content, policy=email.policy.default)
        with self.sink.cond:
            self.sink.messages.append({
                "peer": tuple(session.peer),  # which connection it came over
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "message": message,
                "raw": content,
            })
            self.sink.cond.notify_all()
        return "250 Message accepted for delivery"


class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message."""

    def __init__(self, port=None):
        from aiosmtpd.controller import Controller
        self.port = port or free_port()
        self._port_chosen_here = port is None
        self.messages = []
        self.reject_rcpts = set()  # lower-case addresses answered with 550
        self.cond = threading.Condition()
        self.controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port)
        self.started = False

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def start(self):
        self.controller.start()
        self.started = True
        return self

    def stop(self):
        if self.started:
            self.controller.stop()
            self.started = False

    def count(self):
        with self.cond:
            return len(self.messages)

    def wait_for(self, n, timeout=30.0):
        """Waits until at least n messages arrived; returns a copy of the list."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.messages) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            return list(self.messages)


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def make_smtp_sink():
    sinks = []

    def factory(port=None, start=True):
        sink = SmtpSink(port)
        sinks.append(sink)
        if start:
            sink.start()
        return sink

    yield factory
    for sink in sinks:
        sink.stop()


# -- payment provider -------------------------------------------------------

class PaymentServer:
    """A Stripe-style capture endpoint. mode: "ok" (200), "decline" (402),
    "delay" (sleeps `delay` seconds, then 200), "hold" (sets `arrived`, then
    answers 200 once `release` is called, or after a minute)."""

    OK_BODY = {"id": "pi_capture_1", "status": "succeeded"}
    DECLINE_BODY = {"error": {"message": "declined"}}

    def __init__(self):
        self.mode = "ok"
        self.delay = 0.5
        self.requests = []
        self.lock = threading.Lock()
        self.arrived = threading.Event()
        self.released = threading.Event()
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # silence
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with sink.lock:
                    sink.requests.append({
                        "method": self.command,
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": raw.decode("utf-8", errors="replace"),
                        "form": urllib.parse.parse_qs(raw.decode("utf-8", errors="replace"),
                                                      keep_blank_values=True),
                    })
                    mode, delay = sink.mode, sink.delay
                if mode == "delay":
                    time.sleep(delay)
                if mode == "hold":
                    sink.arrived.set()
                    sink.released.wait(60)
                if mode == "decline":
                    status, payload = 402, sink.DECLINE_BODY
                else:
                    status, payload = 200, sink.OK_BODY
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = _handle  # noqa: N815
            do_GET = _handle  # noqa: N815

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release()
        self.server.shutdown()
        self.server.server_close()

    def captured(self):
        with self.lock:
            return list(self.requests)

    def release(self):
        self.released.set()

    def set_mode(self, mode, delay=None):
        with self.lock:
            self.mode = mode
            if delay is not None:
                self.delay = delay


@pytest.fixture
def payment_server():
    server = PaymentServer().start()
    yield server
    server.stop()


def http_payment_args(payment_server, secret="sk_test_blackbox"):
    return ["--payment-provider", "http", "--payment-url", payment_server.url,
            "--payment-secret", secret]


def raw_exchange(port, data, timeout=10.0, read_limit=65536):
    """Sends raw bytes on a new connection, then reads until the server closes
    or a full response head arrived. Returns the bytes read (b"" when the server
    closed or reset the connection without answering)."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(received) < read_limit:
            try:
                chunk = s.recv(4096)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            received += chunk
            if b"\r\n\r\n" in received:
                break
    return received


def status_of(raw_response):
    """The status code of a raw HTTP response head, or None."""
    if not raw_response.startswith(b"HTTP/"):
        return None
    parts = raw_response.split(b" ", 2)
    try:
        return int(parts[1])
    except (IndexError, ValueError):
        return None


def error_only(body):
    """True when body is exactly {"error": "<non-empty string>"}."""
    return (isinstance(body, dict) and set(body) == {"error"}
            and isinstance(body["error"], str) and body["error"].strip() != "")



def connect_from(address, port, timeout=10):
    """A connection to 127.0.0.1:port from loopback `address` (any of
    127.0.0.0/8), so that many connections need not share one client address.
    Its local port is picked at connect, by the whole address pair, so that
    thousands of them leave ports for other tests' connections."""
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        c.setsockopt(socket.IPPROTO_IP, getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24), 1)
        c.bind((address, 0))
        c.settimeout(timeout)
        c.connect(("127.0.0.1", port))
    except BaseException:
        c.close()
        raise
    return c


def abort_all(conns):
    """Closes connections with a reset rather than a FIN: none is left in
    TIME_WAIT holding its local port for a minute."""
    linger_off = struct.pack("ii", 1, 0)
    for c in conns:
        try:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger_off)
        except OSError:
            pass
        c.close()
