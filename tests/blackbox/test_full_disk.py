"""A full disk: the data folder on a small tmpfs that fills up. Writes then
answer 503 with Retry-After and leave nothing half-written, reads keep
working, and once space is freed writes succeed again with nothing lost
(also across a restart).

Mounting needs root (CAP_SYS_ADMIN); the test skips, saying so, where the
mount is not permitted. SQLite only: on PostgreSQL the database is not in
the data folder.
"""

import os
import subprocess
import uuid

import pytest

from conftest import TRACKING, order_body

pytestmark = pytest.mark.sqlite_only("the database file is what fills the disk")

SIZE = "8m"


@pytest.fixture
def small_disk(tmp_path):
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0755", "tmpfs",
                           str(mount_point)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {done.stdout.decode().strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder, leave_bytes):
    """Fills the file system of `folder` up to `leave_bytes` free; returns the filler."""
    filler = folder / f"filler-{uuid.uuid4().hex}"
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with open(filler, "wb") as out:
        left = max(0, free - leave_bytes)
        chunk = b"\0" * (1 << 16)
        while left > 0:
            n = min(left, len(chunk))
            try:
                out.write(chunk[:n])
                out.flush()
            except OSError:
                break
            left -= n
    return filler


def test_full_disk_refuses_writes_keeps_reads_and_recovers(make_shipline, small_disk):
    s = make_shipline(data_dir=small_disk / "data")
    acknowledged = []
    for i in range(5):
        number = f"700{i:03d}"
        assert s.create_order(order_body(number)) is not None
        acknowledged.append(number)

    filler = fill(small_disk, leave_bytes=0)
    refused = None
    for i in range(200):
        number = f"701{i:03d}"
        r = s.request("POST", "/api/v1/orders", body=order_body(number))
        if r.status == 201:
            acknowledged.append(number)
            continue
        refused = (number, r)
        break
    assert refused is not None, "the disk never filled"
    number, r = refused
    assert r.status == 503, r
    assert "retry-after" in {k.lower() for k in r.headers}, r.headers
    assert s.running()

    # Reads go on; the refused order is not there, not even in part.
    for acked in acknowledged:
        assert s.request("GET", f"/api/v1/orders/{acked}").status == 200, acked
    assert s.request("GET", f"/api/v1/orders/{number}").status == 404
    assert s.request("GET", "/api/v1/orders?limit=500").status == 200
    # A completion is a write too: refused whole, the shipment stays as it was.
    # (The completion contract has no 503: it answers its server error.)
    r = s.complete(f"{acknowledged[1]}-1", TRACKING)
    assert r.status >= 500, r
    assert s.shipment(f"{acknowledged[1]}-1")["status"] == "RELEASED"

    # Space back: writes succeed again, the refused order can be created.
    filler.unlink()
    r = s.request("POST", "/api/v1/orders", body=order_body(number))
    assert r.status == 201, r
    acknowledged.append(number)
    assert s.complete(f"{acknowledged[0]}-1", TRACKING).status == 200
    assert s.complete(f"{acknowledged[1]}-1", TRACKING).status == 200

    # Nothing lost, also after a restart.
    s.restart()
    for acked in acknowledged:
        assert s.request("GET", f"/api/v1/orders/{acked}").status == 200, acked
    for shipped in acknowledged[:2]:
        assert s.shipment(f"{shipped}-1")["status"] == "SHIPPED"
    assert len(s.shipped_events()) == 2
