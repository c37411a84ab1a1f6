"""systemd's notify protocol (issue 17): with NOTIFY_SOCKET set, serve sends
READY=1 once it listens with the store open, WATCHDOG=1 while it is alive
when WATCHDOG_USEC asks for it, and STOPPING=1 when it stops. A local AF_UNIX
datagram socket stands in for systemd."""

import os
import shutil
import socket
import tempfile
import time

import pytest

from conftest import wait_until


@pytest.fixture
def notify_socket():
    folder = tempfile.mkdtemp(prefix="shipline-notify-", dir="/tmp")
    path = os.path.join(folder, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    yield path, sock
    sock.close()
    shutil.rmtree(folder, ignore_errors=True)


def receive(sock, into, timeout=20.0):
    """Collects datagrams into `into` until `timeout` passes or none is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            into.extend(sock.recv(4096).decode().split("\n"))
        except socket.timeout:
            return


def wait_for(sock, seen, state, timeout=20.0):
    deadline = time.monotonic() + timeout
    while state not in seen and time.monotonic() < deadline:
        receive(sock, seen, timeout=0.2)
    return state in seen


def test_ready_watchdog_and_stopping_reach_the_notify_socket(make_shipline, notify_socket):
    path, sock = notify_socket
    server = make_shipline(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"}, start=False)
    server.start()
    seen = []
    assert wait_for(sock, seen, "READY=1"), seen
    assert any(s.startswith("STATUS=serving on 127.0.0.1:") for s in seen), seen
    # The watchdog's checks pass on a healthy server: it pings.
    assert wait_for(sock, seen, "WATCHDOG=1"), seen
    server.stop()
    assert wait_for(sock, seen, "STOPPING=1", timeout=5.0), seen
    assert seen.index("READY=1") < seen.index("STOPPING=1")


def test_no_watchdog_pings_unless_systemd_asks(make_shipline, notify_socket):
    path, sock = notify_socket
    server = make_shipline(env={"NOTIFY_SOCKET": path}, start=False)
    server.start()
    seen = []
    assert wait_for(sock, seen, "READY=1"), seen
    # One request through the server: had a watchdog thread been started at
    # READY, its first check would have pinged by now.
    server.request("GET", "/healthz", key=None)
    receive(sock, seen, timeout=1.0)
    server.stop()
    assert wait_for(sock, seen, "STOPPING=1", timeout=5.0), seen
    assert "WATCHDOG=1" not in seen


def test_a_watchdog_for_another_process_is_ignored(make_shipline, notify_socket):
    path, sock = notify_socket
    server = make_shipline(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000",
                                "WATCHDOG_PID": "1"}, start=False)
    server.start()
    seen = []
    assert wait_for(sock, seen, "READY=1"), seen
    receive(sock, seen, timeout=1.0)
    server.stop()
    assert wait_until(lambda: wait_for(sock, seen, "STOPPING=1", timeout=0.5), 5)
    assert "WATCHDOG=1" not in seen
