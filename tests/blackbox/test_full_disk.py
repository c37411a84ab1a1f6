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


SHIPPING = "/api/shipping-orders/v1/shipments"
RATE_TABLE = {"currency": "USD", "services": [{"id": "ground", "baseFee": "3.00"}]}
BOSTON = {"street1": "345 Harrison Avenue", "city": "Boston", "postalCode": "02118",
          "countryCode": "US", "latitude": 42.3452369, "longitude": -71.0639399}


def other_contracts(s):
    """A provider and a location, so that a shipping order could be placed, and
    an order with nothing shipped for the marketplace; returns the order."""
    r = s.request("POST", "/api/v1/providers", body={"id": "p", "name": "P", "kind": "rate-table",
                                                     "config": RATE_TABLE})
    assert r.status == 201, r
    r = s.request("POST", "/api/v1/locations", body={
        "locationExternalId": "7709", "name": "Store", "address": BOSTON,
        "contact": {"name": "Dock", "phone": "+1 617 555 0100"}, "providers": ["p"]})
    assert r.status == 201, r
    return s.create_order(order_body("799000", shipments=[]))


def refusals(s, shipment, invoice):
    """(contract, send) for a write of each contract that answers 503 on a full disk."""
    marketplace = {"data": {"type": "shipments", "attributes": {
        "shipment_tracking_number": TRACKING, "shipment_carrier": "UPS",
        "shipped_items": [{"line_item_id": invoice["lineItems"][0]["id"], "quantity": 1}]}}}
    shipping_order = {
        "locationExternalId": "7709", "orderExternalId": "full-1", "orderValue": 10,
        "deliveryContact": {"name": "Ada", "phone": "+1 234-567-8900"},
        "deliveryAddress": {"street1": "725 Albany Street", "city": "Boston",
                            "countryCode": "US", "postalCode": "02118",
                            "latitude": 42.3346944, "longitude": -71.071818},
        "itemList": [{"sku": "sku 1", "quantity": 1, "price": 3}]}
    return [
        ("native", lambda: s.request("POST", "/api/v1/orders", body=order_body("799999"))),
        ("completion", lambda: s.complete(shipment, TRACKING)),
        ("order api", lambda: s.request("PUT", "/api/order/shipment", body={
            "order": shipment.rsplit("-", 1)[0], "shipment": shipment, "tracking": TRACKING})),
        ("marketplace", lambda: s.request(
            "POST", f"/api/v2/client/invoices/{invoice['id']}/shipments", body=marketplace,
            headers={"Content-Type": "application/vnd.api+json"})),
        ("shipping orders", lambda: s.request("POST", SHIPPING, body=shipping_order)),
    ]


def in_contract_shape(contract, body):
    if contract == "native":
        return body["code"] == "UNAVAILABLE"
    if contract == "completion":
        return isinstance(body.get("message") or body.get("error"), str)
    if contract == "order api":
        return body["status"] == "no" and body["msg"]
    if contract == "marketplace":
        return body["errors"][0]["status"] == "503"
    return body["type"] == "SERVICE_UNAVAILABLE" and body["severity"] == "transient"


def test_full_disk_refuses_writes_keeps_reads_and_recovers(make_shipline, small_disk):
    s = make_shipline(data_dir=small_disk / "data")
    invoice = other_contracts(s)
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
    # Every contract's write is refused whole with 503 and Retry-After, in
    # its own error shape; the shipment stays as it was.
    shipment = f"{acknowledged[1]}-1"
    for contract, send in refusals(s, shipment, invoice):
        fill(small_disk, leave_bytes=0)  # whatever a checkpoint freed meanwhile
        r = send()
        assert r.status == 503, (contract, r)
        assert "retry-after" in {k.lower() for k in r.headers}, (contract, r.headers)
        assert in_contract_shape(contract, r.body), (contract, r.body)
    assert s.shipment(shipment)["status"] == "RELEASED"
    assert s.request("GET", f"{SHIPPING}/full-1").status == 404

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
