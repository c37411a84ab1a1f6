"""Clients that send requests and never read their answers cannot lock a
normal client out.

Each such client asks for a large answer (the OpenAPI document, about 150 KB)
many times over one connection and reads nothing, with a small receive buffer:
the server's writes stop moving once the socket buffers are full. At the
total connection limit, such a connection counts as waiting (for its client to
read) once its answer has moved less than 1 KiB in the last second, and the
server may close it to make room, after every connection waiting for a request
or for a body. A client that reads its answers slowly but steadily keeps its
connection and gets every answer whole.

Transport only: the database engine plays no part, so these run on SQLite
alone. Loopback only, bounded in connections (a few dozen), bytes (what the
server can push into the buffers) and time (a few seconds); they assert no
duration."""

import array
import fcntl
import socket
import termios
import threading
import time

import pytest

from conftest import wait_until

pytestmark = pytest.mark.sqlite_only("transport only: the database engine plays no part")

LIMIT = 8
EVICTABLE_AFTER = 1.5  # seconds; a connection waits 1 s before it may be evicted
PIPELINED = 64  # requests each non-reading client sends (about 9 MB of answers)
STEADY = 4  # requests of the client that reads slowly but steadily
SMALL_BUFFER = 4096  # the clients' receive buffer, so that the server's writes stall soon


def _server(make_shipline):
    s = make_shipline(extra_args=["--max-connections", str(LIMIT),
                                  "--max-connections-per-client", "10000"])
    s.key  # noqa: B018 - the key is made now, not while the server is full
    return s


def _document_requests(s, count):
    one = (f"GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n"
           f"Authorization: Bearer {s.key}\r\n\r\n").encode()
    return one * count


def _small_buffered(port):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_BUFFER)
        c.settimeout(10)
        c.connect(("127.0.0.1", port))
    except BaseException:
        c.close()
        raise
    return c


def _fill(s, requests):
    """LIMIT connections with small receive buffers, each having sent
    `requests` requests for the OpenAPI document."""
    conns = []
    try:
        for _ in range(LIMIT):
            conns.append(_small_buffered(s.port))
            conns[-1].sendall(_document_requests(s, requests))
    except BaseException:
        for c in conns:
            c.close()
        raise
    return conns


def _unread(c):
    """Bytes that arrived on `c` and wait to be read."""
    count = array.array("i", [0])
    fcntl.ioctl(c.fileno(), termios.FIONREAD, count)
    return count[0]


def _stalled(conns, settle=0.3):
    """True when answers have arrived on every connection and none gained a
    byte over `settle` seconds: the server's writes to them no longer move."""
    before = [_unread(c) for c in conns]
    time.sleep(settle)
    return all(b > 0 and _unread(c) == b for c, b in zip(conns, before))


def _served(s):
    """True when a normal client's request got its 200; False when the full
    server closed the connection instead."""
    try:
        return s.request("GET", "/api/v1/events?after=0&limit=1").status == 200
    except OSError:
        return False


def _whole_answers(data):
    """The statuses of the whole answers at the start of `data`."""
    statuses = []
    while True:
        head_end = data.find(b"\r\n\r\n")
        if head_end < 0:
            return statuses
        head = data[:head_end].decode("latin-1").split("\r\n")
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        end = head_end + 4 + length
        if len(data) < end:
            return statuses
        statuses.append(int(head[0].split()[1]))
        data = data[end:]


def _read_steadily(c, received, stop):
    """Reads 16 KiB every 50 ms (far above 1 KiB/s, far below what loopback
    carries) until the server closes, or `stop` is set."""
    try:
        while not stop.is_set():
            chunk = c.recv(16 << 10)
            if not chunk:
                return
            received.extend(chunk)
            if len(_whole_answers(bytes(received))) == STEADY:
                return
            time.sleep(0.05)
    except OSError:
        pass


def _closed_by_server(c, quiet=1.0, deadline=30.0):
    """Reads `c` to its end: True when the server closed it, False when the
    server stopped sending without closing (it waits for the next request).
    Bounded by `deadline` seconds and the answers in the buffers."""
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)  # reads the rest at full speed
    c.settimeout(quiet)
    until = time.monotonic() + deadline
    try:
        while time.monotonic() < until:
            if not c.recv(1 << 20):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


def test_clients_that_never_read_their_answers_make_room_for_a_normal_client(make_shipline):
    s = _server(make_shipline)
    # Every slot taken by a client that asks for large answers and reads none.
    stalled = _fill(s, PIPELINED)
    try:
        # Once the server's writes to every one have stopped moving, they
        # wait the time it takes before they can be chosen.
        assert wait_until(lambda: _stalled(stalled), timeout=30)
        # The server is full, yet a normal client is served: once the grace
        # has passed for a stalled answer (how soon depends on the server's
        # speed: a sanitizer build is many times slower; the bound is far
        # below the 30 s write timeout that would free a slot anyway), and
        # then every time.
        assert wait_until(lambda: _served(s), timeout=10, interval=0.2)
        statuses = [s.request("GET", "/api/v1/events?after=0&limit=1").status for _ in range(4)]
        assert statuses == [200] * 4
        assert s.request("GET", "/healthz", key=None).status == 200
        # Room was made by closing connections whose answers did not move,
        # not by dropping them all.
        closed = sum(_closed_by_server(c) for c in stalled)
        assert 1 <= closed < len(stalled), closed
    finally:
        for c in stalled:
            c.close()
    assert s.running()


def test_an_answer_read_slowly_is_not_cut_off_at_the_limit(make_shipline):
    """Every slot held by a client that reads its answers slowly but
    steadily: a newcomer can take the place only of one that has all its
    answers and waits for its next request; no answer is cut off."""
    s = _server(make_shipline)
    conns = _fill(s, STEADY)
    stop = threading.Event()
    buffers = [bytearray() for _ in conns]
    readers = [threading.Thread(target=_read_steadily, args=(c, received, stop))
               for c, received in zip(conns, buffers)]
    try:
        for t in readers:
            t.start()
        time.sleep(EVICTABLE_AFTER)
        # Served or refused, the newcomer costs no reader its answers.
        try:
            s.request("GET", "/healthz", key=None, timeout=5)
        except OSError:
            pass
        for t in readers:
            t.join(timeout=60)
            assert not t.is_alive()
        for received in buffers:
            assert _whole_answers(bytes(received)) == [200] * STEADY
    finally:
        stop.set()
        for t in readers:
            if t.is_alive():
                t.join(timeout=10)
        for c in conns:
            c.close()
    assert s.running()
