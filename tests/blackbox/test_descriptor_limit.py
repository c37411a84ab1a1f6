"""The server and its open-file limit.

At start the server raises its soft RLIMIT_NOFILE to the hard limit, and when
`--max-connections` does not fit in what it then has (beside what the store,
the log, outbound calls and the metrics listener need), it says so in one log
line naming both numbers and holds fewer connections, instead of failing
accepts with EMFILE once it is full.

When accept fails with EMFILE all the same (the limit lowered under a running
server, or descriptors taken elsewhere), the acceptor neither spins on the
queued connection nor stops accepting: it closes the connection that has
waited the longest to make room, retries, and logs at most one line every 10
seconds.

Transport only, so SQLite alone; IPv4 loopback only; bounded in connections
(a few hundred) and time."""

import json
import os
import resource
import sys
import time

import pytest

from conftest import Shipline, abort_all, connect_from, wait_until

pytestmark = pytest.mark.sqlite_only("transport only: the database engine plays no part")

LOW_LIMIT = 512


class LowLimitShipline(Shipline):
    """A server started with RLIMIT_NOFILE at `limit` (soft and hard), as
    under `ulimit -n` in its shell."""

    def __init__(self, *args, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit

    def command(self):
        exec_with_limit = ("import os, resource, sys; "
                           f"resource.setrlimit(resource.RLIMIT_NOFILE, ({self.limit}, {self.limit})); "
                           "os.execv(sys.argv[1], sys.argv[1:])")
        return [sys.executable, "-c", exec_with_limit, *super().command()]


def _log_lines(s, message):
    lines = []
    for line in s.stderr_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("msg") == message:
            lines.append(entry)
    return lines


def _open_descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_a_low_open_file_limit_lowers_the_connection_limit_at_start(tmp_path):
    s = LowLimitShipline(tmp_path / "data", limit=LOW_LIMIT)
    conns = []
    try:
        s.start()
        s.key  # noqa: B018 - the key is made now, not while the server is full
        lowered = _log_lines(s, "max connections lowered to fit the open-file limit")
        assert len(lowered) == 1, s.stderr_text()[-2000:]
        line = lowered[0]
        assert line["max_connections"] == 10_000 and line["open_file_limit"] == LOW_LIMIT, line
        effective = line["effective_max_connections"]
        assert 16 <= effective < LOW_LIMIT, line
        # More connections than the limit allows, from 4 addresses (under the
        # per-address limit): every one beyond the lowered limit makes room
        # or is refused; none costs an accept its descriptor.
        for i in range(LOW_LIMIT):
            conns.append(connect_from(f"127.0.0.{2 + i % 4}", s.port))
        time.sleep(1.5)  # a connection must have waited 1 s before it can make room
        for _ in range(5):
            assert s.request("GET", "/api/v1/events?after=0&limit=1").status == 200
        assert _open_descriptors(s.proc.pid) < LOW_LIMIT
        assert _log_lines(s, "accept failing: out of descriptors") == []
        assert _log_lines(s, "accept failed") == []
    finally:
        abort_all(conns)
        s.stop(check=False)


def test_accept_out_of_descriptors_makes_room_and_does_not_spin(make_shipline):
    s = make_shipline()
    s.key  # noqa: B018
    assert s.request("GET", "/api/v1/events?after=0&limit=1").status == 200
    pid = s.proc.pid
    before = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    conns = []
    try:
        # Room for 20 more descriptors, then 60 connections: 40 of them wait
        # in the listen queue while accept fails with EMFILE.
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (_open_descriptors(pid) + 20, before[1]))
        for i in range(60):
            conns.append(connect_from(f"127.0.0.{2 + i % 2}", s.port))
        assert wait_until(lambda: _log_lines(s, "accept failing: out of descriptors"), timeout=10)
        # The connections that waited longest are closed, one for each queued;
        # the normal client, queued last, is accepted and answered.
        for _ in range(3):
            assert s.request("GET", "/healthz", key=None).status == 200
        # Not one line per failed accept: the acceptor did not spin.
        failing = _log_lines(s, "accept failing: out of descriptors")
        assert 1 <= len(failing) <= 3, failing
        assert _log_lines(s, "accept failed") == []
        # Descriptors back: accepting goes on as before.
        resource.prlimit(pid, resource.RLIMIT_NOFILE, before)
        for i in range(40):
            conns.append(connect_from("127.0.0.4", s.port))
        assert s.request("GET", "/api/v1/events?after=0&limit=1").status == 200
    finally:
        abort_all(conns)
    assert s.running()
