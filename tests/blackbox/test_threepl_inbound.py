"""The inbound 3PL shipment notification (seed 002): HTTP Basic credentials
per 3PL connection, completing a shipment once however often it is sent,
rejected notifications kept for an operator and replayed, and a multi-package
shipment forwarded to 3PL-format subscribers as one notification."""

import base64
import json
import threading
import time

import pytest

from conftest import order_body, wait_until
from webhook_receiver import WebhookReceiver

PATH = "/api/v1/integrations/3pl/shipment-notification"
ALLOW = ["--webhook-allow-private"]


def connect(s, name="ShipMonk FL1"):
    r = s.request("POST", "/api/v1/integrations/3pl/connections", body={"name": name})
    assert r.status == 201, r.body
    return r.body


def basic(username, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode(),
            "Content-Type": "application/json"}


def notify(s, conn, payload):
    raw = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return s.request("POST", PATH, raw=raw, key=None,
                     headers=basic(conn["username"], conn["password"]))


def notification(order="100001", packages=("1Z999AA10123456784", "1Z999AA10123456793"), **extra):
    return {
        "order_key": order, "order_number": order,
        "items": [{"sku": "A", "name": "Widget", "ordered_quantity": 2, "fulfilled_quantity": 2,
                   "custom_data": [], "order_parts": {}, "serial_numbers": []}],
        "extra_data": [], "routing": None, "ordered_at": "2026-11-20T10:00:00Z",
        "shipped_at": "2026-11-22T05:18:00-05:00",
        "packages": [{"tracking_number": t, "carrier": "UPS", "service": "Ground",
                      "weight": 1.5 + i, "weight_unit": "lb", "length": 10, "width": 8,
                      "height": 4, "dimension_unit": "in"} for i, t in enumerate(packages)],
        "pallets": [], "ship_from": None, "ship_to": {"name": "Ada"}, **extra}


def shipped_events(s):
    return [e for e in s.events() if e["type"] == "order-shipment-shipped"]


def test_connections_show_their_password_once(shipline):
    conn = connect(shipline)
    assert conn["username"].startswith("3pl_") and len(conn["password"]) >= 32
    assert conn["endpoint"] == PATH
    listed = shipline.request("GET", "/api/v1/integrations/3pl/connections")
    assert listed.status == 200
    assert conn["password"] not in listed.raw.decode()
    assert [c["username"] for c in listed.body["connections"]] == [conn["username"]]


def test_credentials_are_required_and_checked(shipline):
    conn = connect(shipline)
    shipline.create_order(order_body("100001"))
    for headers in ({}, basic(conn["username"], "wrong"), basic("3pl_nobody", conn["password"]),
                    {"Authorization": f"Bearer {shipline.key}"}):
        r = shipline.request("POST", PATH, raw=json.dumps(notification()), key=None, headers=headers)
        assert r.status == 401, r.body
        assert r.headers.get("WWW-Authenticate", "").startswith("Basic")
    assert shipline.shipment("100001-1")["status"] == "RELEASED"
    # A revoked connection is refused too.
    assert shipline.request("DELETE", f"/api/v1/integrations/3pl/connections/{conn['id']}").status == 204
    assert notify(shipline, conn, notification()).status == 401


def test_a_notification_completes_its_shipment_once_when_sent_twice(shipline):
    conn = connect(shipline)
    shipline.create_order(order_body("100001"))
    r = notify(shipline, conn, notification())
    assert r.status == 200, r.body
    assert r.body["status"] == "applied"
    assert r.body["orderNumber"] == "100001"
    assert r.body["shipmentNumber"] == "100001-1"
    assert r.body["packagesAdded"] == 2
    shipment = shipline.shipment("100001-1")
    assert shipment["status"] == "SHIPPED"
    assert shipment["carrierTrackingNumber"] == "1Z999AA10123456784"
    assert shipment["statusHistory"][-1]["by"] == "3pl:ShipMonk FL1"
    order = shipline.request("GET", "/api/v1/orders/100001").body
    assert order["payment"]["amountCaptured"] == "21.00"
    assert len(shipped_events(shipline)) == 1
    assert len(shipline.wait_eml(1)) == 1

    again = notify(shipline, conn, notification())
    assert again.status == 200, again.body
    assert again.body["status"] == "already_applied"
    time.sleep(0.5)
    assert len(shipped_events(shipline)) == 1
    assert len(shipline.eml_files()) == 1
    assert shipline.request("GET", "/api/v1/orders/100001").body["payment"]["amountCaptured"] == "21.00"
    kept = shipline.request("GET", "/api/v1/integrations/3pl/notifications").body["notifications"]
    assert [n["status"] for n in kept] == ["applied"]


def test_concurrent_repeats_complete_once(shipline):
    conn = connect(shipline)
    shipline.create_order(order_body("100001"))
    answers = []
    lock = threading.Lock()

    def send():
        r = notify(shipline, conn, notification())
        with lock:
            answers.append((r.status, r.body.get("status")))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(status == 200 for status, _ in answers), answers
    assert sorted(a for _, a in answers).count("applied") == 1, answers
    assert len(shipped_events(shipline)) == 1


def test_unappliable_notifications_are_kept_and_replayed(shipline):
    conn = connect(shipline)
    r = notify(shipline, conn, notification("999999"))
    assert r.status == 404, r.body
    assert "999999" in r.body["error"] and r.body["code"] == "NOT_FOUND"
    nid = r.body["notificationId"]
    again = notify(shipline, conn, notification("999999"))
    assert again.status == 404 and again.body["notificationId"] == nid

    listed = shipline.request("GET", "/api/v1/integrations/3pl/notifications?status=rejected").body
    [kept] = listed["notifications"]
    assert kept["id"] == nid and kept["timesReceived"] == 2
    assert kept["orderNumber"] == "999999" and kept["code"] == "NOT_FOUND"
    one = shipline.request("GET", f"/api/v1/integrations/3pl/notifications/{nid}").body
    assert json.loads(one["body"])["order_number"] == "999999"

    shipline.create_order(order_body("999999"))
    replayed = shipline.request("POST", f"/api/v1/integrations/3pl/notifications/{nid}/replay")
    assert replayed.status == 200, replayed.body
    assert replayed.body["status"] == "applied"
    assert shipline.shipment("999999-1")["status"] == "SHIPPED"
    assert shipline.request("POST", f"/api/v1/integrations/3pl/notifications/{nid}/replay").status == 400
    assert notify(shipline, conn, notification("999999")).body["status"] == "already_applied"


def test_rejections_name_their_reason(shipline):
    conn = connect(shipline)
    shipline.create_order(order_body("100001"))
    too_many = notification()
    too_many["items"][0]["fulfilled_quantity"] = 3
    r = notify(shipline, conn, too_many)
    assert r.status == 422 and "beyond the order" in r.body["error"], r.body
    stranger = notification()
    stranger["items"][0]["sku"] = "NOPE"
    r = notify(shipline, conn, stranger)
    assert r.status == 422 and r.body["field"] == "items[0].sku", r.body
    r = notify(shipline, conn, {"packages": [{"tracking_number": "T"}]})
    assert r.status == 400 and r.body["field"] == "order_number", r.body
    r = notify(shipline, conn, "not json")
    assert r.status == 400, r.body
    r = notify(shipline, conn, notification(shipment_number="100001-9"))
    assert r.status == 404, r.body
    assert shipline.shipment("100001-1")["status"] == "RELEASED"
    rejected = shipline.request("GET", "/api/v1/integrations/3pl/notifications?status=rejected")
    assert len(rejected.body["notifications"]) == 5


def test_a_multi_package_shipment_is_forwarded_as_one_3pl_notification_once(make_shipline):
    receiver = WebhookReceiver().start()
    try:
        s = make_shipline(extra_args=ALLOW)
        sub = s.request("POST", "/api/v1/webhooks",
                        body={"url": receiver.url(), "format": "3pl"}).body
        conn = connect(s)
        s.create_order(order_body("100001"))
        r = notify(s, conn, notification(packages=("1Z999AA10123456784", "1Z999AA10123456793",
                                                    "1Z999AA10123456800")))
        assert r.status == 200, r.body
        [req] = receiver.wait_for(1)
        p = req["json"]
        assert p["order_number"] == "100001" and p["shipment_number"] == "100001-1"
        assert p["carrier"] == "UPS"
        assert p["tracking_number"] == "1Z999AA10123456784"
        assert [pk["tracking_number"] for pk in p["packages"]] == [
            "1Z999AA10123456784", "1Z999AA10123456793", "1Z999AA10123456800"]
        first = p["packages"][0]
        assert first == {"tracking_number": "1Z999AA10123456784",
                         "tracking_url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
                         "carrier": "UPS", "service": "Ground", "weight": 1.5, "weight_unit": "lb",
                         "length": 10, "width": 8, "height": 4, "dimension_unit": "in",
                         "shipped_at": "2026-11-22T10:18:00.000Z"}
        assert [pk["weight"] for pk in p["packages"]] == [1.5, 2.5, 3.5]
        assert p["shipped_at"] == "2026-11-22T10:18:00.000Z"
        assert [(i["sku"], i["ordered_quantity"], i["fulfilled_quantity"]) for i in p["items"]] == [("A", 2, 2)]

        # A later package of the same shipment is recorded but notifies nobody again.
        later = notify(s, conn, notification(packages=("1Z999AA10123456819",)))
        assert later.status == 200 and later.body["packagesAdded"] == 1, later.body
        time.sleep(0.7)
        assert receiver.count() == 1
        assert len([d for d in s.request("GET", f"/api/v1/webhooks/{sub['id']}/deliveries").body[
            "deliveries"]]) == 1
    finally:
        receiver.stop()
