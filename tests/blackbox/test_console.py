"""The operator console in a real browser: Debian's chromium, driven by
playwright-core (tests/console/console.test.mjs) against the real binary on a
free loopback port with a fresh data folder, a local webhook receiver and
.eml mail. This file fills the server with what the scenarios need, then runs
them; screenshots go to build/test-output/console (CONSOLE_SHOTS to change).

The console is static files on the public API, whose routes are tested on
both engines elsewhere; the browser run is on SQLite only."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SHIPLINE_BIN, TRACKING, order_body, wait_until
from test_route_walk import LOCATION, PROVIDER, SHIPPING_ORDER
from test_threepl_inbound import connect, notification, notify
from webhook_receiver import WebhookReceiver

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "console" / "console.test.mjs"
SHOTS = Path(os.environ.get("CONSOLE_SHOTS") or
             Path(SHIPLINE_BIN).resolve().parent / "test-output" / "console")
RUN_TIMEOUT = 240

pytestmark = pytest.mark.sqlite_only("the browser run needs one engine; the API it uses runs on both")


@pytest.fixture
def receiver():
    r = WebhookReceiver().start()
    yield r
    r.stop()


def deliveries(s, sub_id):
    r = s.request("GET", f"/api/v1/webhooks/{sub_id}/deliveries")
    assert r.status == 200, r.body
    return r.body["deliveries"]


def test_console_in_a_browser(make_shipline, receiver):
    if not (RUNNER.parent / "node_modules" / "playwright-core").is_dir():
        pytest.fail("tests/console/node_modules is missing: run scripts/install-deps.sh --test")
    s = make_shipline(extra_args=["--allow-private-targets", "--webhook-retry-schedule", "50ms"])
    admin = s.key
    read_key = s.create_key(s.tenant, "reader", scopes="read")
    victim_key = s.create_key(s.tenant, "victim", scopes="read,write")

    # A delivery that failed for good: the receiver refuses until the replay.
    receiver.default = (500, {}, b"down for maintenance")
    sub = s.request("POST", "/api/v1/webhooks", body={"url": receiver.url()})
    assert sub.status == 201, sub.body
    s.create_order(order_body("300900"))
    assert s.complete("300900-1", TRACKING).status == 200
    failed = wait_until(lambda: [d for d in deliveries(s, sub.body["id"])
                                 if d["status"] == "failed"], 30)
    assert failed, deliveries(s, sub.body["id"])
    receiver.default = (200, {}, b"")

    # The order the scenarios find, complete and look at with a read key.
    s.create_order(order_body("300001", shipments=[
        ("300001-1", "RELEASED", [("A", 1)]), ("300001-2", "PENDING", [("A", 1)])],
        email_addr="grace@example.com"))
    # The order whose PENDING shipment is cancelled from its page.
    s.create_order(order_body("300002", status="PENDING"))
    for n in range(3):
        s.create_order(order_body(f"30100{n}", email_addr=f"c{n}@example.com"))

    # A shipping order dispatched through the built-in rate table, and a 3PL
    # notification rejected for naming an unknown order.
    for path, body in (("/api/v1/providers", PROVIDER), ("/api/v1/locations", LOCATION),
                       ("/api/shipping-orders/v1/shipments", SHIPPING_ORDER)):
        r = s.request("POST", path, body=body)
        assert r.status == 201, (path, r.status, r.body)
    assert notify(s, connect(s, "Dock 7"), notification("999999")).status == 404

    config = {
        "base": s.base_url, "adminKey": admin, "adminName": s.key_name, "readKey": read_key, "victimKey": victim_key,
        "victimName": "victim", "orderNumber": "300001", "releasedShipment": "300001-1",
        "pendingShipment": "300001-2", "webhookId": str(sub.body["id"]),
        "failedDelivery": str(failed[0]["id"]),
        "shippingOrder": SHIPPING_ORDER["orderExternalId"],
        "cancelOrder": "300002", "cancelShipment": "300002-1",
    }
    shutil.rmtree(SHOTS, ignore_errors=True)  # no screenshot of an earlier run stays
    env = dict(os.environ, CONSOLE_CONFIG=json.dumps(config), CONSOLE_SHOTS=str(SHOTS))
    proc = subprocess.run(["node", str(RUNNER)], cwd=RUNNER.parent, env=env, timeout=RUN_TIMEOUT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.decode(errors="replace")
    print(out)
    assert proc.returncode == 0, f"console scenarios failed (screenshots in {SHOTS}):\n{out}"
    assert out.count("\nok ") + out.startswith("ok ") >= 10, out

    # What the browser did happened on the server.
    assert s.shipment("300001-1")["status"] == "SHIPPED"
    assert s.shipment("300001-2")["status"] == "PENDING"
    assert s.shipment("300002-1")["status"] == "CANCELLED"
    assert s.request("GET", "/api/v1/orders", key=victim_key).status == 401
