"""Every text field has a limit (src/domain/text_limits.hpp): a 1 MB string
in a field of any contract gets that contract's refusal naming the field and
changes nothing, and a value exactly at the limit is accepted. A 1 MB string
fits in the 1 MiB body limit, so it reaches the decoder (docs/ARCHITECTURE.md,
Limits); only a larger body is a 413."""

import copy
import json
import urllib.parse

import pytest

from conftest import COMPLETE_PATH, TRACKING, order_body

MB = "x" * 1_000_000

# The table's limits, in bytes.
CODE, ID, NAME, ADDRESS, EMAIL, URL, NOTE, LONG = 64, 128, 200, 200, 254, 2048, 512, 10_000
EXTERNAL_ID = 100  # the Shipping Order API's ids (and the delivery network's locations)

ORDER_API = "/api/order/shipment"
SHIPPING = "/api/shipping-orders/v1/shipments"
THREEPL = "/api/v1/integrations/3pl"
MEDIA = "application/vnd.api+json"

RATE_TABLE = {"currency": "USD", "services": [{"id": "ground", "serviceType": "Ground",
                                               "baseFee": "3.00", "perKm": "0.10"}]}
ADDRESS_BODY = {"street1": "345 Harrison Avenue", "city": "Boston", "postalCode": "02118",
                "countryCode": "US", "state": "MA", "latitude": 42.3452369,
                "longitude": -71.0639399}


def with_path(body, path, value):
    """A copy of `body` with the dotted `path` ("a.b[0].c") set to `value`."""
    body = copy.deepcopy(body)
    target = body
    parts = path.replace("[", ".[").split(".")
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key = int(part[1:-1]) if part.startswith("[") else part
        if last:
            target[key] = value
        else:
            target = target[key]
    return body


def assert_native_refusal(r, field):
    assert r.status == 400, (field, r.status, r.body)
    assert r.body["field"] == field, r.body
    assert field in r.body["error"], r.body


def ok(r, status=200):
    assert r.status == status, (r.status, r.body)
    return r.body


# -- the native API and the delivery network ------------------------------------

NATIVE_ORDER_FIELDS = ["orderNumber", "store", "customer.name", "customer.email",
                       "shippingAddress.name", "shippingAddress.line1", "shippingAddress.city",
                       "shippingAddress.phone", "lineItems[0].sku", "lineItems[0].title",
                       "payment.reference", "shipments[0].shipmentNumber",
                       "shipments[0].carrierTrackingNumber", "shipments[0].trackingUrl",
                       "shipments[0].internalComment", "shipments[0].note"]


def test_native_order_fields(shipline):
    for field in NATIVE_ORDER_FIELDS:
        r = shipline.request("POST", "/api/v1/orders", body=with_path(order_body("900001"), field,
                                                                      MB))
        assert_native_refusal(r, field)
    assert shipline.request("GET", "/api/v1/orders/900001").status == 404
    assert shipline.events() == []
    # At the limit: accepted and kept whole.
    body = with_path(order_body("900002"), "shippingAddress.line1", "a" * ADDRESS)
    body = with_path(body, "customer.name", "é" * (NAME // 2))  # bytes, not characters
    body = with_path(body, "shipments[0].internalComment", "c" * NOTE)
    shipline.create_order(body)
    order = ok(shipline.request("GET", "/api/v1/orders/900002"))
    assert order["shippingAddress"]["line1"] == "a" * ADDRESS
    assert order["customer"]["name"] == "é" * (NAME // 2)
    r = shipline.request("POST", "/api/v1/orders",
                         body=with_path(order_body("900003"), "customer.name", "é" * 101))
    assert_native_refusal(r, "customer.name")


def test_native_shipment_and_tracking_fields(shipline):
    shipline.create_order(order_body("900001", shipments=[]))
    path = "/api/v1/orders/900001/shipments"
    for field in ["shipmentNumber", "carrier", "carrierTrackingNumber", "trackingUrl", "service",
                  "internalComment", "note"]:
        r = shipline.request("POST", path, body={field: MB, "items": [{"sku": "A", "quantity": 1}]})
        assert_native_refusal(r, field)
    assert ok(shipline.request("GET", "/api/v1/orders/900001"))["shipments"] == []
    shipment = ok(shipline.request("POST", path, body={
        "shipmentNumber": "900001-1", "status": "RELEASED", "note": "n" * NOTE,
        "items": [{"sku": "A", "quantity": 1}]}), 201)
    assert shipment["note"] == "n" * NOTE
    before = shipline.shipment("900001-1")
    for field in ["carrier", "carrierTrackingNumber", "trackingUrl", "note"]:
        r = shipline.request("PUT", "/api/v1/shipments/900001-1/tracking", body={field: MB})
        assert_native_refusal(r, field)
    assert shipline.shipment("900001-1") == before


def test_locations_providers_and_rules(shipline):
    ok(shipline.request("POST", "/api/v1/providers", body={
        "id": "cheap", "name": "Cheap", "kind": "rate-table", "config": RATE_TABLE}), 201)
    location = {"locationExternalId": "7709", "name": "Store", "address": ADDRESS_BODY,
                "contact": {"name": "Dock", "phone": "+1 617 555 0100", "email": "d@example.com"},
                "providers": ["cheap"]}
    for field in ["locationExternalId", "name", "address.street1", "address.street2",
                  "address.city", "address.state", "address.postalCode", "contact.name",
                  "contact.phone", "contact.email", "providers[0]", "timeZone"]:
        r = shipline.request("POST", "/api/v1/locations", body=with_path(location, field, MB))
        assert_native_refusal(r, field)
    assert ok(shipline.request("GET", "/api/v1/locations"))["locations"] == []
    saved = ok(shipline.request("POST", "/api/v1/locations", body=with_path(
        location, "address.street1", "s" * ADDRESS)), 201)
    assert saved["address"]["street1"] == "s" * ADDRESS
    r = shipline.request("POST", "/api/v1/locations",
                         body=with_path(location, "address.street1", "s" * (ADDRESS + 1)))
    assert_native_refusal(r, "address.street1")

    provider = {"id": "other", "name": "Other", "kind": "rate-table", "config": RATE_TABLE}
    for field in ["id", "name", "displayName", "kind", "config.services[0].id",
                  "config.services[0].serviceType", "config.currency"]:
        r = shipline.request("POST", "/api/v1/providers", body=with_path(provider, field, MB))
        assert_native_refusal(r, field)
    r = shipline.request("POST", "/api/v1/providers",
                         body=with_path(provider, "config.services[0].id", "i" * (ID + 1)))
    assert_native_refusal(r, "config.services[0].id")
    assert [p["id"] for p in ok(shipline.request("GET", "/api/v1/providers"))["providers"]] == [
        "cheap"]
    saved = ok(shipline.request("POST", "/api/v1/providers", body=with_path(
        provider, "config.services[0].id", "i" * ID)), 201)
    assert saved["config"]["services"][0]["id"] == "i" * ID

    for field in ["name", "locationExternalId", "objective", "filters.allowedProviders[0]"]:
        r = shipline.request("POST", "/api/v1/orchestration-rules",
                             body=with_path({"name": "r", "filters": {"allowedProviders": ["a"]}},
                                            field, MB))
        assert_native_refusal(r, field)
    assert ok(shipline.request("GET", "/api/v1/orchestration-rules"))["rules"] == []


def test_provider_events(shipline):
    ok(shipline.request("POST", "/api/v1/providers", body={
        "id": "cheap", "name": "Cheap", "kind": "rate-table", "config": RATE_TABLE}), 201)
    ok(shipline.request("POST", "/api/v1/locations", body={
        "locationExternalId": "7709", "name": "Store", "address": ADDRESS_BODY,
        "contact": {"name": "Dock", "phone": "+1 617 555 0100"}, "providers": ["cheap"]}), 201)
    ok(shipline.request("POST", SHIPPING, body=shipping_order("s-1")), 201)
    history = ok(shipline.request("GET", f"{SHIPPING}/s-1/status-history"))
    events = "/api/v1/providers/cheap/events"
    event = {"orderExternalId": "s-1", "status": "OUT_FOR_DELIVERY", "note": "n",
             "subStatus": "ON_ITS_WAY", "trackingId": "T1",
             "eventReason": {"code": "C", "title": "T", "note": "r"}}
    for field in ["orderExternalId", "orderId", "status", "note", "subStatus", "trackingId",
                  "eventReason.code", "eventReason.title", "eventReason.note"]:
        assert_native_refusal(shipline.request("POST", events, body=with_path(event, field, MB)),
                              field)
    assert ok(shipline.request("GET", f"{SHIPPING}/s-1/status-history")) == history
    at_limit = with_path(with_path(event, "note", "n" * NOTE), "eventReason.note", "r" * NOTE)
    assert ok(shipline.request("POST", events, body=at_limit))["applied"] is True
    last = ok(shipline.request("GET", f"{SHIPPING}/s-1/status-history"))[0]["orderStatus"][-1]
    assert last["eventReason"]["note"] == "r" * NOTE


def test_webhooks_storefronts_keys_and_3pl_connections(shipline):
    hook = {"url": "https://hooks.example.com/in", "description": "d", "store": "main",
            "eventTypes": ["order-shipment-shipped"], "secret": "s" * 32,
            "auth": {"basic": {"username": "u", "password": "p"}}}
    for field in ["url", "description", "store", "eventTypes[0]", "secret",
                  "auth.basic.username", "auth.basic.password"]:
        assert_native_refusal(shipline.request("POST", "/api/v1/webhooks",
                                               body=with_path(hook, field, MB)), field)
    assert ok(shipline.request("GET", "/api/v1/webhooks"))["webhooks"] == []
    created = ok(shipline.request("POST", "/api/v1/webhooks",
                                  body=with_path(hook, "description", "d" * NOTE)), 201)
    assert created["description"] == "d" * NOTE

    before = ok(shipline.request("GET", "/api/v1/stores/main"))
    settings = {"sender": "shop@example.com",
                "carriers": [{"code": "acme", "name": "Acme", "aliases": ["ac"],
                              "trackingUrlTemplate": "https://acme.example/{number}"}]}
    for field in ["sender", "carriers[0].code", "carriers[0].name", "carriers[0].aliases[0]",
                  "carriers[0].trackingUrlTemplate"]:
        assert_native_refusal(shipline.request("PUT", "/api/v1/stores/main",
                                               body=with_path(settings, field, MB)), field)
    assert ok(shipline.request("GET", "/api/v1/stores/main")) == before

    assert_native_refusal(shipline.request("POST", "/api/v1/api-keys", body={"name": MB}), "name")
    assert_native_refusal(shipline.request("POST", f"{THREEPL}/connections", body={"name": MB}),
                          "name")
    assert ok(shipline.request("GET", f"{THREEPL}/connections"))["connections"] == []
    # A string no field names is held to the largest limit.
    r = shipline.request("POST", "/api/v1/orders",
                         body=dict(order_body("900009"), unknownExtra=MB))
    assert_native_refusal(r, "unknownExtra")


# -- the completion contracts ----------------------------------------------------

def test_completion_contract(shipline):
    shipline.create_order(order_body("900001"))
    for field in ["shipmentNumber", "carrierTrackingNumber"]:
        body = {"shipmentNumber": "900001-1", "carrierTrackingNumber": TRACKING, field: MB}
        r = shipline.request("POST", COMPLETE_PATH, body=body)
        assert r.status == 400, (field, r.status, r.body)
        assert field in json.dumps(r.body), r.body
    assert shipline.shipment("900001-1")["status"] == "RELEASED"
    assert shipline.complete("900001-1", "T" * ID).status == 200


@pytest.mark.parametrize("form", [False, True])
def test_order_api(shipline, form):
    shipline.create_order(order_body("83651"))
    base = {"order": "83651", "shipment": "83651-1", "carrier": "UPS", "tracking": TRACKING}
    for field in ["order", "shipment", "carrier", "service", "tracking", "returnSlipTracking",
                  "internalComment"]:
        body = dict(base, **{field: MB})
        if form:
            r = shipline.request("PUT", ORDER_API, raw=urllib.parse.urlencode(body),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        else:
            r = shipline.request("PUT", ORDER_API, body=body)
        assert r.status == 400, (field, r.status, r.body)
        assert r.body["status"] == "no" and field in r.body["msg"], r.body
    if form:
        # A field no decoder names is still held to the largest limit.
        r = shipline.request("PUT", ORDER_API, raw=urllib.parse.urlencode(dict(base, extra=MB)),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 400 and "extra" in r.body["msg"], r.body
    assert shipline.shipment("83651-1")["status"] == "RELEASED"
    r = shipline.request("PUT", ORDER_API, body=dict(base, internalComment="c" * NOTE))
    assert r.status == 200, r.body
    assert shipline.shipment("83651-1")["internalComment"] == "c" * NOTE


def test_marketplace(shipline):
    order = shipline.create_order(order_body("500001", shipments=[]))
    line = order["lineItems"][0]["id"]
    path = f"/api/v2/client/invoices/{order['id']}/shipments"

    def document(**attributes):
        attrs = {"shipment_tracking_number": TRACKING, "shipment_carrier": "UPS",
                 "shipped_items": [{"line_item_id": line, "quantity": 1}]}
        attrs.update(attributes)
        return {"data": {"type": "shipments", "attributes": attrs}}

    for field in ["shipment_tracking_number", "shipment_carrier", "shipment_tracking_link",
                  "note", "dispatched_at"]:
        r = shipline.request("POST", path, body=document(**{field: MB}),
                             headers={"Content-Type": MEDIA})
        assert r.status == 400, (field, r.status, r.body)
        error = r.body["errors"][0]
        assert error["source"]["pointer"] == f"/data/attributes/{field}", error
    assert ok(shipline.request("GET", "/api/v1/orders/500001"))["shipments"] == []
    r = shipline.request("POST", path, body=document(note="n" * NOTE),
                         headers={"Content-Type": MEDIA})
    assert r.status == 201, r.body
    assert r.body["data"]["attributes"]["note"] == "n" * NOTE


def test_threepl_notification(shipline):
    import base64
    shipline.create_order(order_body("100001"))
    conn = ok(shipline.request("POST", f"{THREEPL}/connections", body={"name": "FL1"}), 201)
    auth = {"Authorization": "Basic " + base64.b64encode(
        f"{conn['username']}:{conn['password']}".encode()).decode(),
        "Content-Type": "application/json"}
    note = {"order_number": "100001", "carrier": "UPS",
            "items": [{"sku": "A", "fulfilled_quantity": 2}],
            "packages": [{"tracking_number": TRACKING, "carrier": "UPS", "service": "Ground",
                          "tracking_url": "https://ups.example/t", "weight_unit": "lb"}]}
    for field in ["order_number", "carrier", "service", "items[0].sku",
                  "packages[0].tracking_number", "packages[0].carrier", "packages[0].service",
                  "packages[0].tracking_url", "packages[0].weight_unit"]:
        r = shipline.request("POST", f"{THREEPL}/shipment-notification", key=None,
                             raw=json.dumps(with_path(note, field, MB)), headers=auth)
        assert r.status == 400, (field, r.status, r.body)
        assert r.body["field"] == field, r.body
    assert shipline.shipment("100001-1")["status"] == "RELEASED"
    # Unlike its other rejections, such a notification is not kept: it could
    # never apply, and keeping it would store what the limit refuses.
    assert ok(shipline.request("GET", f"{THREEPL}/notifications"))["notifications"] == []


# -- the Shipping Order API ------------------------------------------------------

def shipping_order(oid, **extra):
    body = {"locationExternalId": "7709", "orderExternalId": oid, "orderValue": 10,
            "deliveryContact": {"name": "Ada", "phone": "+1 234-567-8900", "email": ""},
            "deliveryAddress": {"street1": "725 Albany Street", "city": "Boston", "state": "MA",
                                "countryCode": "US", "postalCode": "02118",
                                "latitude": 42.3346944, "longitude": -71.071818},
            "package": {"name": "Solid", "description": "pack 1", "barcode": "B1"},
            "itemList": [{"sku": "sku 1", "quantity": 1, "price": 3, "title": "Watch"}]}
    body.update(extra)
    return body


def test_shipping_orders(shipline):
    ok(shipline.request("POST", "/api/v1/providers", body={
        "id": "cheap", "name": "Cheap", "kind": "rate-table", "config": RATE_TABLE}), 201)
    ok(shipline.request("POST", "/api/v1/locations", body={
        "locationExternalId": "7709", "name": "Store", "address": ADDRESS_BODY,
        "contact": {"name": "Dock", "phone": "+1 617 555 0100"}, "providers": ["cheap"]}), 201)
    for field in ["orderExternalId", "groupId", "brandExternalId", "signature", "locale",
                  "pickupInstructions", "deliveryInstructions", "deliveryContact.name",
                  "deliveryContact.email", "deliveryAddress.street1", "deliveryAddress.city",
                  "package.name", "package.description", "package.barcode", "itemList[0].sku",
                  "itemList[0].title"]:
        r = shipline.request("POST", SHIPPING, body=with_path(shipping_order("s-1"), field, MB))
        assert r.status == 400, (field, r.status, r.body)
        assert r.body["type"] == "VALIDATION_ERROR" and r.body["field"] == field, r.body
    assert shipline.request("GET", f"{SHIPPING}/s-1").status == 404
    created = ok(shipline.request("POST", SHIPPING, body=shipping_order(
        "s-1", pickupInstructions="p" * LONG)), 201)
    assert created["pickupInstructions"] == "p" * LONG


def test_shipping_order_ids_are_refused_by_the_decoder_at_the_domain_limit(shipline):
    """The decoder holds the external ids to the domain's limit (100), so that
    one just past it is refused with the limit it breaks, not a later rule's
    message; one at the limit is accepted."""
    ok(shipline.request("POST", "/api/v1/providers", body={
        "id": "cheap", "name": "Cheap", "kind": "rate-table", "config": RATE_TABLE}), 201)
    location = {"locationExternalId": "l" * (EXTERNAL_ID + 1), "name": "Store",
                "address": ADDRESS_BODY, "contact": {"name": "Dock", "phone": "+1 617 555 0100"},
                "providers": ["cheap"]}
    r = shipline.request("POST", "/api/v1/locations", body=location)
    assert_native_refusal(r, "locationExternalId")
    assert f"longer than {EXTERNAL_ID} bytes" in r.body["error"], r.body
    location["locationExternalId"] = "l" * EXTERNAL_ID
    ok(shipline.request("POST", "/api/v1/locations", body=location), 201)
    over = "x" * (EXTERNAL_ID + 1)
    for field in ["orderExternalId", "locationExternalId", "groupId"]:
        r = shipline.request("POST", SHIPPING, body=with_path(shipping_order("s-2"), field, over))
        assert r.status == 400, (field, r.status, r.body)
        assert r.body["type"] == "VALIDATION_ERROR" and r.body["field"] == field, r.body
        assert f"longer than {EXTERNAL_ID} bytes" in r.body["message"], r.body
    r = shipline.request("POST", f"{SHIPPING}/list", body={"groupId": over})
    assert r.status == 400 and r.body["field"] == "groupId", r.body
    assert f"longer than {EXTERNAL_ID} bytes" in r.body["message"], r.body
    created = ok(shipline.request("POST", SHIPPING, body=shipping_order(
        "o" * EXTERNAL_ID, locationExternalId="l" * EXTERNAL_ID, groupId="g" * EXTERNAL_ID)), 201)
    assert created["orderExternalId"] == "o" * EXTERNAL_ID
