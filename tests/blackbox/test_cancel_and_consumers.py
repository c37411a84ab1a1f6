"""Two routes the operator console needed, on both engines: cancelling a
PENDING or RELEASED shipment of an order (POST
/api/v1/orders/{n}/shipments/{s}/cancel) and the event consumers' lag on the
caller's tenant's events (GET /api/v1/consumers), each kept to the key's
tenant."""

from conftest import TRACKING, free_port, order_body, wait_until


def cancel(s, order, shipment, key=None, **kw):
    if key is not None:
        kw["key"] = key
    return s.request("POST", f"/api/v1/orders/{order}/shipments/{shipment}/cancel", **kw)


def test_cancel_records_history_and_event_and_cancels_the_order(shipline):
    s = shipline
    s.create_order(order_body("510001", shipments=[("510001-1", "PENDING", [("A", 1)]),
                                                   ("510001-2", "RELEASED", [("A", 1)])]))
    r = cancel(s, "510001", "510001-1")
    assert r.status == 200, r.body
    assert r.body["status"] == "CANCELLED"
    assert [h["status"] for h in r.body["statusHistory"]] == ["PENDING", "CANCELLED"]
    assert r.body["statusHistory"][-1]["by"] == s.key_name
    # One shipment left: the order is not cancelled yet.
    assert s.request("GET", "/api/v1/orders/510001").body["shippingState"] != "cancelled"
    assert cancel(s, "510001", "510001-2").status == 200
    order = s.request("GET", "/api/v1/orders/510001").body
    assert order["shippingState"] == "cancelled"
    assert {sh["status"] for sh in order["shipments"]} == {"CANCELLED"}
    listed = s.request("GET", "/api/v1/orders?status=cancelled").body["orders"]
    assert [o["orderNumber"] for o in listed] == ["510001"]

    events = s.request("GET", "/api/v1/orders/510001/events").body["events"]
    changes = [(e["subject"], e["payload"]["from"], e["payload"]["status"]) for e in events
               if e["type"] == "shipment-status-changed"]
    assert changes == [("510001-1", "PENDING", "CANCELLED"), ("510001-2", "RELEASED", "CANCELLED")]


def test_cancel_conflicts_unknowns_scopes_and_tenants(shipline):
    s = shipline
    s.create_order(order_body("520001"))
    s.create_order(order_body("520002"))
    assert s.complete("520001-1", TRACKING).status == 200
    shipped = cancel(s, "520001", "520001-1")
    assert shipped.status == 409 and shipped.body["code"] == "CONFLICT"
    assert "SHIPPED" in shipped.body["error"]
    assert cancel(s, "520002", "520002-1").status == 200
    again = cancel(s, "520002", "520002-1")
    assert again.status == 409 and "CANCELLED" in again.body["error"]

    s.create_order(order_body("520003"))
    for order, shipment in (("999999", "520003-1"), ("520003", "nope"),
                            ("520001", "520003-1")):  # a shipment of another order
        r = cancel(s, order, shipment)
        assert r.status == 404 and r.body["code"] == "NOT_FOUND", (order, shipment)

    reader = s.create_key(s.tenant, "reader", scopes="read")
    r = cancel(s, "520003", "520003-1", key=reader)
    assert r.status == 403 and r.body["code"] == "PERMISSION_DENIED"
    other = s.create_key("cancel-other", "other")
    r = cancel(s, "520003", "520003-1", key=other)
    # The same answer as for a shipment that does not exist at all.
    assert r.status == 404
    assert r.body == {"error": "Shipment 520003-1 not found in order 520003", "code": "NOT_FOUND"}
    # Neither changed anything.
    shipment = s.request("GET", "/api/v1/shipments/520003-1").body
    assert shipment["status"] == "RELEASED"


def by_name(body):
    return {c["consumer"]: c for c in body["consumers"]}


def test_consumers_lag_counts_only_the_callers_tenant(make_shipline):
    s = make_shipline(extra_args=["--webhook-allow-private"])
    # A subscription whose receiver is down: its deliveries stay pending.
    dead = f"http://127.0.0.1:{free_port()}/hook"
    assert s.request("POST", "/api/v1/webhooks", body={"url": dead}).status == 201
    s.create_order(order_body("530001"))
    assert s.complete("530001-1", TRACKING).status == 200

    def email_caught_up():
        body = s.request("GET", "/api/v1/consumers").body
        email = by_name(body).get("email")
        return body if email and email["lag"] == 0 and email["position"] > 0 else None

    body = wait_until(email_caught_up, 20)
    assert body, s.request("GET", "/api/v1/consumers").body
    consumers = by_name(body)
    assert body["newestEventId"] > 0
    assert consumers["email"]["kind"] == "events"
    assert consumers["email"]["position"] == body["newestEventId"]
    assert consumers["email"]["oldestUnhandledAt"] is None
    hooks = consumers["webhooks"]
    assert hooks["kind"] == "deliveries" and hooks["position"] is None
    assert hooks["lag"] >= 1 and hooks["oldestUnhandledAt"].endswith("Z")
    assert hooks["lagCapped"] is False

    # A read key may look; another tenant sees none of this tenant's events.
    reader = s.create_key(s.tenant, "reader", scopes="read")
    assert s.request("GET", "/api/v1/consumers", key=reader).status == 200
    other = s.create_key("lag-other", "other")
    r = s.request("GET", "/api/v1/consumers", key=other)
    assert r.status == 200
    assert r.body["newestEventId"] == 0
    assert all(c["lag"] == 0 and c["position"] in (0, None) for c in r.body["consumers"])
    assert s.request("GET", "/api/v1/consumers", key=None).status == 401
