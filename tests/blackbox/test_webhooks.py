"""Outbound webhooks against a real receiver on loopback: Standard Webhooks
signatures verified with Python's hmac, Basic Auth, the delay, retries on the
real 3-day schedule run fast (SHIPLINE_TEST_TIME_SCALE), restarts, 410, the
SSRF guard, replay, and the 3PL payload field by field."""

import base64
import socket
import time

import pytest

from conftest import TRACKING, order_body, wait_until
from webhook_receiver import WebhookReceiver, free_port_number, signature_valid

ALLOW = ["--webhook-allow-private"]
# The real schedule (5 s ... 24 h, about 3.1 days) in about 2.7 s; the 5-day
# disabling window in 4.3 s.
FAST_CLOCK = {"SHIPLINE_TEST_TIME_SCALE": "100000"}


@pytest.fixture
def receiver():
    r = WebhookReceiver().start()
    yield r
    r.stop()


def subscribe(s, url, expect=201, **fields):
    r = s.request("POST", "/api/v1/webhooks", body={"url": url, **fields})
    assert r.status == expect, r.body
    return r.body


def ship(s, number, tracking=TRACKING, **order):
    s.create_order(order_body(number, **order))
    r = s.complete(f"{number}-1", tracking)
    assert r.status == 200, r.body


def deliveries(s, sub_id, **query):
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    r = s.request("GET", f"/api/v1/webhooks/{sub_id}/deliveries?{qs}")
    assert r.status == 200, r.body
    return r.body["deliveries"]


def wait_deliveries(s, sub_id, predicate, timeout=30.0):
    return wait_until(lambda: (lambda d: d if predicate(d) else None)(deliveries(s, sub_id)),
                      timeout, interval=0.1) or deliveries(s, sub_id)


# -- signing, auth, payload ---------------------------------------------------

def test_signed_delivery_with_basic_auth_verifies_with_pythons_hmac(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    sub = subscribe(s, receiver.url(), auth={"basic": {"username": "shop", "password": "pa:ss"}})
    secret = sub["secret"]
    assert secret.startswith("whsec_")
    ship(s, "100001")
    [req] = receiver.wait_for(1)
    assert signature_valid(secret, req)
    assert req["headers"]["authorization"] == "Basic " + base64.b64encode(b"shop:pa:ss").decode()
    assert req["headers"]["content-type"] == "application/json"
    assert req["headers"]["webhook-id"].startswith("msg_")
    body = req["json"]
    assert body["type"] == "order-shipment-shipped"
    assert body["subject"] == "100001-1"
    assert body["data"]["orderNumber"] == "100001"
    assert body["data"]["carrierTrackingNumber"] == TRACKING
    event = [e for e in s.events() if e["type"] == "order-shipment-shipped"][0]
    assert body["eventId"] == event["id"]
    # A wrong secret does not verify.
    assert not signature_valid("whsec_" + base64.b64encode(b"x" * 32).decode(), req)

    [d] = wait_deliveries(s, sub["id"], lambda ds: ds and ds[0]["status"] == "delivered")
    assert d["status"] == "delivered"
    assert d["webhookId"] == req["headers"]["webhook-id"]
    assert d["eventId"] == event["id"]
    assert d["attemptCount"] == 1
    [attempt] = d["attempts"]
    assert attempt["statusCode"] == 200
    assert attempt["response"] == '{"ok":true}'
    assert attempt["error"] is None
    assert isinstance(attempt["latencyMs"], int)


def test_secrets_and_passwords_are_shown_once(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    sub = subscribe(s, receiver.url(), auth={"basic": {"username": "u", "password": "hunter2"}})
    for r in (s.request("GET", f"/api/v1/webhooks/{sub['id']}"), s.request("GET", "/api/v1/webhooks")):
        assert r.status == 200
        assert sub["secret"] not in r.raw.decode()
        assert "hunter2" not in r.raw.decode()
    got = s.request("GET", f"/api/v1/webhooks/{sub['id']}").body
    assert got["auth"] == {"basic": {"username": "u"}}
    assert "secret" not in got
    patched = s.request("PATCH", f"/api/v1/webhooks/{sub['id']}", body={"description": "x"}).body
    assert "secret" not in patched


def test_rotation_signs_with_old_and_new_secret(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    sub = subscribe(s, receiver.url())
    r = s.request("POST", f"/api/v1/webhooks/{sub['id']}/rotate-secret", body={"graceSeconds": 3600})
    assert r.status == 200, r.body
    new_secret = r.body["secret"]
    assert new_secret != sub["secret"]
    assert s.request("POST", f"/api/v1/webhooks/{sub['id']}/test").status == 202
    [req] = receiver.wait_for(1)
    assert len(req["headers"]["webhook-signature"].split()) == 2
    assert signature_valid(new_secret, req)
    assert signature_valid(sub["secret"], req)
    assert req["json"]["type"] == "webhook.test"
    # Ending the grace now leaves only the new secret.
    r = s.request("POST", f"/api/v1/webhooks/{sub['id']}/rotate-secret", body={"graceSeconds": 0})
    newest = r.body["secret"]
    assert s.request("POST", f"/api/v1/webhooks/{sub['id']}/test").status == 202
    req = receiver.wait_for(2)[1]
    assert len(req["headers"]["webhook-signature"].split()) == 1
    assert signature_valid(newest, req)
    assert not signature_valid(new_secret, req)


def test_event_type_filter_and_unsigned_subscription(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    wanted = subscribe(s, receiver.url("/shipped"), eventTypes=["order-shipment-shipped"],
                       signing=False)
    assert "secret" not in wanted
    other = subscribe(s, receiver.url("/other"), eventTypes=["shipment-status-changed"])
    s.create_order(order_body("100001", status="PENDING"))
    assert s.request("POST", "/api/v1/shipments/100001-1/release").status == 200
    assert s.complete("100001-1", TRACKING).status == 200
    reqs = receiver.wait_for(2)
    by_path = {r["path"]: r for r in reqs}
    assert by_path["/shipped"]["json"]["type"] == "order-shipment-shipped"
    assert "webhook-signature" not in by_path["/shipped"]["headers"]
    assert by_path["/other"]["json"]["type"] == "shipment-status-changed"
    time.sleep(0.5)
    assert receiver.count() == 2
    events = {e["type"]: e["id"] for e in s.events()}
    per_event = s.request("GET", f"/api/v1/events/{events['order-shipment-shipped']}/deliveries").body
    assert [d["subscriptionId"] for d in per_event["deliveries"]] == [wanted["id"]]
    assert other["id"] != wanted["id"]


def test_the_delay_holds_the_first_attempt(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    sub = subscribe(s, receiver.url(), delaySeconds=2)
    assert sub["delaySeconds"] == 2
    # Timed from before the completion: the event cannot be older than this,
    # however long the completion's answer takes on a busy machine.
    started = time.time()
    ship(s, "100001")
    [req] = receiver.wait_for(1, timeout=20)
    assert req["at"] - started >= 1.9
    event = [e for e in s.events() if e["type"] == "order-shipment-shipped"][0]
    created = time.mktime(time.strptime(event["createdAt"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    assert int(req["headers"]["webhook-timestamp"]) >= int(created) + 2


# -- retries ------------------------------------------------------------------

def test_fail_then_recover_is_delivered_once_with_one_webhook_id(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW, env=FAST_CLOCK)
    sub = subscribe(s, receiver.url())
    receiver.script.extend([500, (503, {"Retry-After": "1"}, b"busy"), 502])
    ship(s, "100001")
    reqs = receiver.wait_for(4)
    assert len({r["headers"]["webhook-id"] for r in reqs}) == 1
    assert len({r["raw"] for r in reqs}) == 1
    [d] = wait_deliveries(s, sub["id"], lambda ds: ds and ds[0]["status"] == "delivered")
    assert [a["statusCode"] for a in d["attempts"]] == [500, 503, 502, 200]
    assert d["attempts"][1]["response"] == "busy"
    time.sleep(1.0)
    assert receiver.count() == 4  # nothing after the success
    assert s.request("GET", f"/api/v1/webhooks/{sub['id']}").body["failingSince"] is None


def test_the_three_day_schedule_ends_in_failed_never_dropped(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW, env=FAST_CLOCK)
    sub = subscribe(s, receiver.url())
    receiver.default = (500, {}, b"down")
    ship(s, "100001")
    [d] = wait_deliveries(s, sub["id"], lambda ds: ds and ds[0]["status"] == "failed", timeout=60)
    assert d["status"] == "failed"
    assert d["attemptCount"] == 10
    assert len(d["attempts"]) == 10
    assert all(a["statusCode"] == 500 for a in d["attempts"])
    assert "gave up after 10 attempts" in d["lastError"]
    assert d["nextAttemptAt"] is None
    reqs = receiver.wait_for(10)
    assert len(reqs) == 10
    assert len({r["headers"]["webhook-id"] for r in reqs}) == 1
    sub_now = s.request("GET", f"/api/v1/webhooks/{sub['id']}").body
    assert sub_now["failingSince"] is not None
    # Still listed as failed; replay sends it again with the same id.
    receiver.default = (200, {}, b"")
    r = s.request("POST", f"/api/v1/webhook-deliveries/{d['id']}/replay")
    assert r.status == 202, r.body
    assert receiver.wait_for(11)[10]["headers"]["webhook-id"] == d["webhookId"]


def test_failing_for_five_days_disables_with_a_visible_reason(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW, env=FAST_CLOCK)
    sub = subscribe(s, receiver.url())
    receiver.default = (500, {}, b"")
    ship(s, "100001")

    def disabled():
        s.request("POST", f"/api/v1/webhooks/{sub['id']}/test")
        got = s.request("GET", f"/api/v1/webhooks/{sub['id']}").body
        return got if not got["enabled"] else None

    got = wait_until(disabled, 60, interval=0.5)
    assert got, "the subscription was never disabled"
    assert "every attempt failed since" in got["disabledReason"]
    assert got["disabledAt"] is not None
    assert s.request("POST", f"/api/v1/webhooks/{sub['id']}/test").status == 400


def test_receiver_down_across_a_server_restart_loses_nothing(make_shipline):
    port = free_port_number()
    s = make_shipline(extra_args=ALLOW + ["--webhook-retry-schedule", ",".join(["300ms"] * 40)])
    sub = subscribe(s, f"http://127.0.0.1:{port}/hook")
    for n in ("100001", "100002", "100003"):
        ship(s, n)
    # Every delivery fails at least once against the closed port.
    wait_deliveries(s, sub["id"], lambda ds: len(ds) == 3 and all(d["attemptCount"] >= 1 for d in ds))
    s.stop()
    receiver = WebhookReceiver(port).start()
    try:
        s.start()
        reqs = receiver.wait_for(3)
        assert sorted(r["json"]["subject"] for r in reqs) == ["100001-1", "100002-1", "100003-1"]
        ds = wait_deliveries(s, sub["id"], lambda ds: all(d["status"] == "delivered" for d in ds))
        assert all(d["status"] == "delivered" for d in ds)
        assert all(any(a["error"] for a in d["attempts"]) for d in ds)  # refused before
        ids = [r["headers"]["webhook-id"] for r in receiver.requests]
        assert len(ids) == len(set(ids)) == 3
    finally:
        receiver.stop()


def test_3pl_format_retries_gone_for_three_days(make_shipline, receiver):
    """The 3PL contract: "When we receive another status call, we will be
    re-trying it for the next 3 days": a 3PL-format subscription retries 410
    as any other answer and stays enabled."""
    s = make_shipline(extra_args=ALLOW, env=FAST_CLOCK)
    sub = subscribe(s, receiver.url("/3pl"), format="3pl")
    receiver.default = (410, {}, b"gone")
    ship(s, "100001")
    [d] = wait_deliveries(s, sub["id"], lambda ds: ds and ds[0]["status"] == "failed", timeout=60)
    assert d["attemptCount"] == 10
    assert all(a["statusCode"] == 410 for a in d["attempts"])
    assert "gave up after 10 attempts" in d["lastError"]
    # About 3 days of schedule (in test time) from the first attempt to the last.
    got = s.request("GET", f"/api/v1/webhooks/{sub['id']}").body
    assert got["enabled"] is True and got["disabledReason"] is None


def test_gone_disables_the_subscription(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    sub = subscribe(s, receiver.url())
    receiver.default = (410, {}, b"gone")
    ship(s, "100001")
    receiver.wait_for(1)
    got = wait_until(lambda: (lambda b: b if not b["enabled"] else None)(
        s.request("GET", f"/api/v1/webhooks/{sub['id']}").body), 20)
    assert got and "410 Gone" in got["disabledReason"]
    [d] = deliveries(s, sub["id"])
    assert d["status"] == "failed"
    ship(s, "100002")
    time.sleep(0.5)
    assert receiver.count() == 1
    assert len(deliveries(s, sub["id"])) == 1
    # Enabling again clears the reason; new events flow.
    r = s.request("PATCH", f"/api/v1/webhooks/{sub['id']}", body={"enabled": True})
    assert r.status == 200 and r.body["disabledReason"] is None
    receiver.default = (200, {}, b"")
    ship(s, "100003")
    assert receiver.wait_for(2)[1]["json"]["subject"] == "100003-1"


def test_replay_failed_since_a_time(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW + ["--webhook-retry-schedule", "50ms"])
    sub = subscribe(s, receiver.url())
    receiver.default = (500, {}, b"")
    ship(s, "100001")
    ship(s, "100002")
    wait_deliveries(s, sub["id"], lambda ds: len(ds) == 2 and all(d["status"] == "failed" for d in ds))
    first_ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert len(first_ids) == 2
    receiver.default = (204, {}, b"")
    r = s.request("POST", f"/api/v1/webhooks/{sub['id']}/replay", body={"since": "2000-01-01T00:00:00Z"})
    assert r.status == 202, r.body
    assert r.body == {"replayed": 2}
    ds = wait_deliveries(s, sub["id"], lambda ds: all(d["status"] == "delivered" for d in ds))
    assert all(d["status"] == "delivered" for d in ds)
    assert {r["headers"]["webhook-id"] for r in receiver.requests} == first_ids
    r = s.request("POST", f"/api/v1/webhooks/{sub['id']}/replay", body={"since": 0})
    assert r.body == {"replayed": 0}
    r = s.request("POST", f"/api/v1/webhooks/{sub['id']}/replay", body={})
    assert r.status == 400 and r.body["field"] == "since"


# -- server-side request forgery ----------------------------------------------

def test_private_receivers_are_refused_without_the_flag(make_shipline, receiver):
    s = make_shipline()  # no --webhook-allow-private
    for url in (receiver.url(), "http://[::1]:9/", "http://[::ffff:127.0.0.1]/", "http://localhost:9/",
                "http://169.254.169.254/latest/meta-data", "http://10.0.0.7/", "http://100.64.0.1/",
                "http://0x7f.1/", "http://2130706433/", "http://224.0.0.1/"):
        r = s.request("POST", "/api/v1/webhooks", body={"url": url})
        assert r.status == 400, (url, r.body)
        assert r.body["field"] == "url"
    r = s.request("POST", "/api/v1/webhooks", body={"url": "ftp://example.com/"})
    assert r.status == 400


def test_a_name_that_resolves_to_loopback_is_refused_at_connect_time(make_shipline, receiver):
    host = socket.gethostname()
    try:
        address = socket.gethostbyname(host)
    except OSError:
        pytest.skip("the host name does not resolve")
    if not address.startswith("127."):
        pytest.skip(f"{host} resolves to {address}, not loopback")
    s = make_shipline(extra_args=["--webhook-retry-schedule", "50ms"])
    sub = subscribe(s, f"http://{host}:{receiver.port}/hook")
    assert s.request("POST", f"/api/v1/webhooks/{sub['id']}/test").status == 202
    [d] = wait_deliveries(s, sub["id"], lambda ds: ds and ds[0]["status"] == "failed")
    assert d["attempts"], d
    for a in d["attempts"]:
        assert a["statusCode"] is None
        assert "refused to connect to 127." in a["error"] and "loopback" in a["error"]
    time.sleep(0.3)
    assert receiver.count() == 0


# -- the 3PL format -----------------------------------------------------------

def bundle_order(number):
    return order_body(
        number,
        line_items=[{"sku": "KIT", "title": "Starter kit", "quantity": 2, "unitPrice": "25.00",
                     "components": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}]},
                    {"sku": "C", "title": "Cable", "quantity": 3, "unitPrice": "1.99"}],
        shipments=[{"shipmentNumber": f"{number}-1", "status": "RELEASED",
                    "items": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2},
                              {"sku": "C", "quantity": 3}]}],
        amount_authorized="55.97")


def test_3pl_payload_of_a_bundle_order_field_by_field(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    sub = subscribe(s, receiver.url("/3pl"), format="3pl")
    assert sub["eventTypes"] == ["order-shipment-shipped"]
    s.create_order(bundle_order("200001"))
    r = s.request("POST", "/integration/api/shipping/v1/shipments/complete-shipment",
                  body={"shipmentNumber": "200001-1", "carrierTrackingNumber": TRACKING})
    assert r.status == 200, r.body
    [req] = receiver.wait_for(1)
    assert signature_valid(sub["secret"], req)
    p = req["json"]
    order = s.request("GET", "/api/v1/orders/200001").body
    shipment = s.shipment("200001-1")
    assert set(p) == {"order_key", "order_number", "shipment_number", "store", "carrier", "service",
                      "tracking_number", "items", "extra_data", "routing", "ordered_at",
                      "shipped_at", "packages", "pallets", "ship_from", "ship_to"}
    assert p["order_key"] == "200001"
    assert p["order_number"] == "200001"
    assert p["shipment_number"] == "200001-1"
    assert p["store"] == "main"
    assert p["carrier"] == "UPS"  # recognised from the tracking number
    assert p["tracking_number"] == TRACKING
    assert p["ordered_at"] == order["createdAt"]
    assert p["shipped_at"] == shipment["shippedAt"]
    assert p["extra_data"] == [] and p["pallets"] == []
    # No 3PL reported where it left from and the store has no address: the
    # store's name, never null.
    assert p["ship_from"] == {"name": "main", "company": None, "address1": None,
                              "address2": None, "city": None, "state": None, "zip": None,
                              "country": None, "phone": None, "email": None}
    assert p["routing"]["carrier"] == "UPS"
    kit, cable = p["items"]
    assert kit == {"sku": "KIT", "name": "Starter kit", "ordered_quantity": 2,
                   "fulfilled_quantity": 1, "price": 25, "currency": "USD", "custom_data": [],
                   "order_parts": {"A": {"quantity_per_bundle": 1, "ordered_quantity": 2,
                                         "fulfilled_quantity": 1},
                                   "B": {"quantity_per_bundle": 1, "ordered_quantity": 2,
                                         "fulfilled_quantity": 2}},
                   "serial_numbers": []}
    assert cable == {"sku": "C", "name": "Cable", "ordered_quantity": 3, "fulfilled_quantity": 3,
                     "price": 1.99, "currency": "USD", "custom_data": [], "order_parts": {},
                     "serial_numbers": []}
    [package] = p["packages"]
    assert package["tracking_number"] == TRACKING
    assert package["carrier"] == "UPS"
    assert package["tracking_url"] == f"https://www.ups.com/track?tracknum={TRACKING}"
    assert p["ship_to"] == {"name": "Ada", "company": None, "address1": "1 Main St",
                            "address2": None, "city": "London", "state": None, "zip": "N1",
                            "country": "GB", "phone": None, "email": "ada@example.com"}


def test_3pl_split_order_notifies_once_per_shipment(make_shipline, receiver):
    s = make_shipline(extra_args=ALLOW)
    subscribe(s, receiver.url(), format="3pl")
    s.create_order(order_body(
        "300001",
        line_items=[{"sku": "A", "title": "Widget", "quantity": 2, "unitPrice": "10.50"},
                    {"sku": "B", "title": "Gadget", "quantity": 1, "unitPrice": "5.00"}],
        shipments=[("300001-1", "RELEASED", [("A", 2)]), ("300001-2", "RELEASED", [("B", 1)])],
        amount_authorized="26.00"))
    assert s.complete("300001-1", "1Z999AA10123456784").status == 200
    assert s.complete("300001-2", "1Z999AA10123456793").status == 200
    reqs = receiver.wait_for(2)
    by_shipment = {r["json"]["shipment_number"]: r["json"] for r in reqs}
    assert set(by_shipment) == {"300001-1", "300001-2"}
    first, second = by_shipment["300001-1"], by_shipment["300001-2"]
    assert [(i["sku"], i["ordered_quantity"], i["fulfilled_quantity"]) for i in first["items"]] == [("A", 2, 2)]
    assert [(i["sku"], i["ordered_quantity"], i["fulfilled_quantity"]) for i in second["items"]] == [("B", 1, 1)]
    assert [p["tracking_number"] for p in first["packages"]] == ["1Z999AA10123456784"]
    assert [p["tracking_number"] for p in second["packages"]] == ["1Z999AA10123456793"]
    assert first["carrier"] == "UPS" and second["carrier"] == "UPS"
    time.sleep(0.5)
    assert receiver.count() == 2
