"""Connections opened and left waiting cannot lock a normal client out: at the
total connection limit the server closes the connection idle the longest
(waiting for its next request, or still short of a whole header after a
moment) to make room, and never one that is in the middle of a request.

Transport only: the database engine plays no part, so these run on SQLite
alone. Loopback only, bounded in connections and time."""

import socket
import threading
import time

import pytest

from conftest import raw_exchange, status_of

pytestmark = pytest.mark.sqlite_only("transport only: the database engine plays no part")

LIMIT = 64
EVICTABLE_AFTER = 1.5  # seconds; the server lets a connection wait 1 s before it may be evicted


def _server(make_shipline, limit):
    s = make_shipline(extra_args=["--max-connections", str(limit),
                                  "--max-connections-per-client", "10000"])
    s.key  # noqa: B018 - the key is made now, not while the server is full
    return s


def _connect(port):
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    return c


def _closed_by_server(c, timeout):
    """True when the server closed `c` (within `timeout` seconds)."""
    c.settimeout(timeout)
    try:
        return c.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def _slow_header(port, stop, closed):
    """Sends a request head one byte a second until the server closes the
    connection or `stop` is set; counts a close in `closed`."""
    head = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: {'s' * 64}\r\n\r\n"
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
            for byte in head.encode():
                if stop.wait(1.0):
                    return
                c.sendall(bytes([byte]))
    except OSError:
        closed.append(1)


def test_a_normal_client_is_served_through_idle_slow_and_oversized_clients(make_shipline):
    s = _server(make_shipline, LIMIT)
    held = []
    stop = threading.Event()
    slow_closed = []
    slow = [threading.Thread(target=_slow_header, args=(s.port, stop, slow_closed))
            for _ in range(8)]
    try:
        # Every slot taken by connections that send nothing.
        held = [_connect(s.port) for _ in range(LIMIT)]
        time.sleep(EVICTABLE_AFTER)
        for t in slow:
            t.start()
        # A burst of oversized headers: each still gets its answer.
        pad = "x" * (20 << 10)
        oversized = (f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n"
                     f"X-Pad: {pad}\r\n\r\n").encode()
        statuses = [status_of(raw_exchange(s.port, oversized, timeout=15)) for _ in range(16)]
        assert statuses == [431] * 16
        # Fill every slot again, then let those connections age too.
        held += [_connect(s.port) for _ in range(LIMIT)]
        time.sleep(EVICTABLE_AFTER)
        # The server is full of waiting connections, yet a normal client is served.
        for _ in range(5):
            r = s.request("GET", "/api/v1/events?after=0&limit=1")
            assert r.status == 200, r.body
        assert s.request("GET", "/healthz", key=None).status == 200
        # Room was made by closing waiting connections, oldest first.
        assert all(_closed_by_server(c, 10) for c in held[:16])
    finally:
        stop.set()
        for t in slow:
            if t.is_alive():
                t.join(timeout=5)
        for c in held:
            c.close()
    assert s.running()


def _post_head(s, length):
    return (f"POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n"
            f"Authorization: Bearer {s.key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def test_a_connection_in_the_middle_of_a_request_is_not_evicted(make_shipline):
    limit = 8
    s = _server(make_shipline, limit)
    body = b'{"not": "an order"}'
    busy = _connect(s.port)
    idle = []
    newer = []
    try:
        # Whole header, half the body: this connection has a request under way.
        busy.sendall(_post_head(s, len(body)) + body[:5])
        idle = [_connect(s.port) for _ in range(limit - 1)]
        time.sleep(EVICTABLE_AFTER)
        # Each new connection takes the place of a waiting one, never the busy one.
        newer = [_connect(s.port) for _ in range(limit - 1)]
        assert all(_closed_by_server(c, 10) for c in idle)
        busy.sendall(body[5:])
        busy.settimeout(15)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = busy.recv(4096)
            if not chunk:
                break
            answer += chunk
        assert status_of(answer) is not None, answer[:200]
        assert status_of(answer) < 500, answer[:300]
    finally:
        for c in [busy] + idle + newer:
            c.close()
