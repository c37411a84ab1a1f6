"""Walks every operation of the served OpenAPI document (which the unit tests
hold equal to the route table, scopes included):

- another tenant's key, aimed at this tenant's ids, gets 404, and its lists
  hold nothing of this tenant's; nothing of this tenant's changes;
- no key gets 401 on every route that needs one;
- a key whose scopes fall short of the route's x-shipline-scope gets 403.

Builds on test_native_api.py::test_tenant_isolation, which checks a few routes
by hand."""

import re
import urllib.parse

from conftest import order_body

SCOPE_RANK = {"read": 0, "write": 1, "admin": 2}
HOOK_URL = "http://127.0.0.1:9/walk-hook"

# Path values that are not a tenant's rows: any tenant may use them.
SHARED = {"/api/v1/tracking-numbers/{number}", "/api/v1/stores/{store}"}
# Ids a tenant chooses itself: another tenant's PUT creates its own row of
# that id and its DELETE removes that one; the first tenant's row stays (checked
# at the end).
OWN_NAMESPACE = {("PUT", "/api/v1/locations/{locationExternalId}"),
                 ("DELETE", "/api/v1/locations/{locationExternalId}"),
                 ("PUT", "/api/v1/providers/{providerId}"),
                 ("DELETE", "/api/v1/providers/{providerId}")}


def operations(s):
    r = s.request("GET", "/openapi.json")
    assert r.status == 200, r.body
    for path, item in r.body["paths"].items():
        for method, op in item.items():
            if method != "parameters":
                yield method.upper(), path, op


PROVIDER = {"id": "walk-provider", "name": "Walk", "kind": "rate-table", "config": {
    "currency": "USD", "services": [{"id": "ground", "serviceType": "Ground", "baseFee": "3.00",
                                     "perKm": "0.10", "pickupLeadMinutes": 60,
                                     "deliveryLeadMinutes": 600}]}}
LOCATION = {"locationExternalId": "walk-location", "name": "Walk", "address": {
    "street1": "345 Harrison Avenue", "city": "Boston", "postalCode": "02118",
    "countryCode": "US", "state": "MA", "latitude": 42.3452369, "longitude": -71.0639399},
    "contact": {"name": "Dock", "phone": "+1 617 555 0100"}, "providers": ["walk-provider"]}
RULE = {"name": "walk-rule"}
SHIPPING_ORDER = {
    "locationExternalId": "walk-location", "orderExternalId": "walk-order", "orderValue": 10,
    "deliveryContact": {"name": "Ada", "phone": "+1 234-567-8900", "email": ""},
    "deliveryAddress": {"street1": "725 Albany Street", "street2": "", "city": "Boston",
                        "state": "MA", "countryCode": "US", "postalCode": "02118",
                        "latitude": 42.3346944, "longitude": -71.071818, "apartmentNumber": ""},
    "package": {"name": "Solid", "size": {"length": 10, "width": 10, "height": 10, "unit": "in"},
                "weight": {"value": 10, "unit": "lb"}, "itemQuantity": 1,
                "description": "pack 1"},
    "itemList": [{"sku": "sku 1", "quantity": 1, "price": 3, "salePrice": 3, "title": "Watch"}],
    "pickupTime": None, "deliveryTime": None}


def seed(s):
    """Tenant A's rows of every kind; returns the path values naming them."""
    order = s.create_order(order_body("100001"))
    s.create_order(order_body("100002", status="PENDING"))
    ok = lambda r, status=201: (r.status == status or (_ for _ in ()).throw(  # noqa: E731
        AssertionError((r.status, r.body)))) and r.body
    ok(s.request("POST", "/api/v1/providers", body=PROVIDER))
    ok(s.request("POST", "/api/v1/locations", body=LOCATION))
    rule = ok(s.request("POST", "/api/v1/orchestration-rules", body=RULE))
    ok(s.request("POST", "/api/shipping-orders/v1/shipments", body=SHIPPING_ORDER))
    hook = ok(s.request("POST", "/api/v1/webhooks", body={"url": HOOK_URL}))
    ok(s.request("POST", f"/api/v1/webhooks/{hook['id']}/test"), 202)
    deliveries = ok(s.request("GET", f"/api/v1/webhooks/{hook['id']}/deliveries"), 200)
    connection = ok(s.request("POST", "/api/v1/integrations/3pl/connections",
                              body={"name": "walk-3pl"}))
    key = ok(s.request("POST", "/api/v1/api-keys", body={"name": "walk", "scopes": ["read"]}))
    events = s.events()
    return {
        "orderNumber": "100001", "shipmentNumber": "100001-1",
        "invoice_id": str(order["id"]), "shipment_id": str(order["shipments"][0]["id"]),
        "orderExternalId": "walk-order", "locationExternalId": "walk-location",
        "providerId": "walk-provider", "ruleId": str(rule["id"]),
        "webhookId": str(hook["id"]), "deliveryId": str(deliveries["deliveries"][0]["id"]),
        "eventId": str(events[0]["id"]), "connectionId": str(connection["id"]),
        "notificationId": "1", "keyId": str(key["id"]),
        "number": "1Z999AA10123456784", "store": "main",
        "line_item_id": order["lineItems"][0]["id"],
    }


def fill(path, values):
    return re.sub(r"\{([^}]+)\}",
                  lambda m: urllib.parse.quote(values[m.group(1)], safe=""), path)


# A body good enough to reach the lookup of the row the path names.
BODIES = {
    ("POST", "/integration/api/shipping/v1/shipments/complete-shipment"):
        {"shipmentNumber": "100001-1", "carrierTrackingNumber": "1Z999AA10123456784"},
    ("POST", "/api/order/shipment"): {"order": "100001", "shipment": "100001-1",
                                      "carrier": "UPS", "tracking": "1Z999AA10123456784"},
    ("PUT", "/api/order/shipment"): {"order": "100001", "shipment": "100001-1",
                                     "carrier": "UPS", "tracking": "1Z999AA10123456784"},
    ("POST", "/api/v1/shipments/{shipmentNumber}/release"): {},
    ("PUT", "/api/v1/shipments/{shipmentNumber}/tracking"): {"trackingNumber": "1Z999AA10123456784",
                                                            "carrier": "UPS"},
    ("POST", "/api/v1/orders/{orderNumber}/shipments"): {
        "shipmentNumber": "100001-9", "items": [{"sku": "A", "quantity": 1}]},
    ("POST", "/api/v2/client/invoices/{invoice_id}/shipments"): {
        "data": {"type": "shipments", "attributes": {
            "shipped_items": [{"line_item_id": "{line_item_id}", "quantity": 1}]}}},
    ("PUT", "/api/v2/client/invoices/{invoice_id}/shipments/{shipment_id}"): {
        "data": {"type": "shipments", "attributes": {"shipment_tracking_number": "X1"}}},
    ("PATCH", "/api/v1/webhooks/{webhookId}"): {"url": HOOK_URL + "/b"},
    ("POST", "/api/v1/webhooks/{webhookId}/replay"): {"since": "2020-01-01T00:00:00Z"},
    ("POST", "/api/v1/providers/{providerId}/events"): {"status": "PICKUP_STARTED",
                                                       "orderExternalId": "walk-order"},
    ("PUT", "/api/v1/locations/{locationExternalId}"): dict(LOCATION, providers=[]),
    ("PUT", "/api/v1/providers/{providerId}"): PROVIDER,
    ("PUT", "/api/v1/orchestration-rules/{ruleId}"): RULE,
    ("PUT", "/api/shipping-orders/v1/shipments/{orderExternalId}"): SHIPPING_ORDER,
}


def substitute(body, values):
    """The body with "{name}" strings replaced by values[name]."""
    if isinstance(body, dict):
        return {k: substitute(v, values) for k, v in body.items()}
    if isinstance(body, list):
        return [substitute(v, values) for v in body]
    if isinstance(body, str) and body.startswith("{") and body.endswith("}"):
        return values[body[1:-1]]
    return body


def test_every_route_keeps_tenants_apart(make_shipline):
    s = make_shipline(extra_args=["--webhook-allow-private"])
    values = seed(s)
    other = s.create_key("walk-other", "other")
    markers = ["100001", "walk-order", "walk-location", "walk-provider", "walk-rule",
               "walk-3pl", HOOK_URL, "walk"]
    before_order = s.request("GET", "/api/v1/orders/100001").body
    failures = []
    for method, path, op in operations(s):
        if op["x-shipline-scope"] == "none" or (method, path) in (
                ("GET", "/openapi.json"),
                ("GET", "/integration/api/shipping/v1/shipments/api-docs")):
            continue
        target = fill(path, values)
        body = BODIES.get((method, path), {} if method in ("POST", "PUT", "PATCH") else None)
        body = substitute(body, values)
        r = s.request(method, target, body=body, key=other)
        where = f"{method} {target}: {r.status} {r.body}"
        if (method, path) in OWN_NAMESPACE:
            if r.status >= 300:
                failures.append(where)
        elif "{" in path and path not in SHARED and method != "GET":
            if r.status != 404:
                failures.append(where)
        elif "{" in path and path not in SHARED:
            # A row: 404; a list under a row: 404 or empty.
            if r.status != 404 and (r.status != 200 or
                                    any(m in r.raw.decode() for m in markers)):
                failures.append(where)
        elif method == "GET" or path.endswith("/list"):
            if r.status != 200 or any(m in r.raw.decode() for m in markers):
                failures.append(where)
    assert failures == [], "\n".join(f[:200] for f in failures)
    # Nothing of A's changed.
    assert s.request("GET", "/api/v1/orders/100001").body == before_order
    assert s.shipment("100002-1")["status"] == "PENDING"
    assert s.request("GET", f"/api/v1/webhooks/{values['webhookId']}").status == 200
    assert s.request("GET", "/api/v1/locations/walk-location").body["providers"] == [
        "walk-provider"]
    assert s.request("GET", "/api/v1/providers/walk-provider").status == 200
    assert s.request("GET", "/api/shipping-orders/v1/shipments/walk-order").status == 200
    assert s.request("GET", "/api/v1/api-keys").body["apiKeys"][0]["revokedAt"] is None


def test_every_route_needs_a_key_and_its_scope(make_shipline):
    s = make_shipline()
    keys = {scope: s.request("POST", "/api/v1/api-keys",
                             body={"name": scope, "scopes": [scope]}).body["key"]
            for scope in SCOPE_RANK}
    values = {name: "1" for name in ("orderNumber", "shipmentNumber", "invoice_id",
                                     "shipment_id", "orderExternalId", "locationExternalId",
                                     "providerId", "ruleId", "webhookId", "deliveryId",
                                     "eventId", "connectionId", "notificationId", "keyId",
                                     "number", "store", "asset")}
    checked = 0
    for method, path, op in operations(s):
        scope = op["x-shipline-scope"]
        target = fill(path, values)
        body = {} if method in ("POST", "PUT", "PATCH") else None
        if scope == "none":
            if path == "/api/v1/integrations/3pl/shipment-notification":
                assert s.request(method, target, body=body, key=None).status == 401
            continue
        r = s.request(method, target, body=body, key=None)
        assert r.status == 401, f"{method} {path} without a key: {r.status} {r.body}"
        for held, key in keys.items():
            r = s.request(method, target, body=body, key=key)
            if SCOPE_RANK[held] < SCOPE_RANK[scope]:
                assert r.status == 403, f"{method} {path} with {held}: {r.status} {r.body}"
            else:
                assert r.status != 403 or path.startswith("/api/shipping-orders"), (
                    f"{method} {path} with {held}: {r.status} {r.body}")
        checked += 1
    assert checked >= 60
