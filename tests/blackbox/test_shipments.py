"""Orders shipped over several shipments through the native API: shipments
added to an existing order, the over-ship rule, bundles counted in
components (seed 002's example), the derived shipping state, and store
settings."""

import threading

import pytest

from conftest import TRACKING, order_body


def bundle_order(number="200001", shipments=None):
    """Seed 002's example: 2 bundles, each of 1 A and 1 B, plus a plain item."""
    return order_body(number, shipments=shipments or [], line_items=[
        {"sku": "KIT", "title": "Kit", "quantity": 2, "unitPrice": "30.00",
         "components": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}]},
        {"sku": "C", "title": "Cable", "quantity": 1, "unitPrice": "5.00"},
    ], amount_authorized="65.00")


def add_shipment(s, order_number, items, **fields):
    body = {"items": [dict(i) for i in items], **fields}
    return s.request("POST", f"/api/v1/orders/{order_number}/shipments", body=body)


def line(order, sku):
    return next(li for li in order["lineItems"] if li["sku"] == sku)


def get_order(s, number):
    r = s.request("GET", f"/api/v1/orders/{number}")
    assert r.status == 200, r.body
    return r.body


# -- bundles ------------------------------------------------------------------

def test_seed_bundle_example_fulfils_one_whole_bundle(shipline):
    shipline.create_order(bundle_order())
    r = add_shipment(shipline, "200001", [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 2}])
    assert r.status == 201, r.body
    assert r.body["shipmentNumber"] == "200001-1"
    assert [(i["sku"], i["bundleSku"], i["quantity"]) for i in r.body["items"]] == [
        ("A", "KIT", 1), ("B", "KIT", 2)]
    assert shipline.complete("200001-1", TRACKING).status == 200

    order = get_order(shipline, "200001")
    kit = line(order, "KIT")
    assert (kit["quantity"], kit["fulfilledQuantity"]) == (2, 1)
    assert kit["components"] == [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}]
    assert order["shippingState"] == "partially_shipped"
    # One whole bundle left with that shipment, so one bundle was paid for.
    assert order["payment"]["amountCaptured"] == "30.00"
    event = shipline.shipped_events()[0]["payload"]
    assert [(i["sku"], i.get("bundleSku"), i["quantity"]) for i in event["items"]] == [
        ("A", "KIT", 1), ("B", "KIT", 2)]


def test_bundle_components_cannot_over_ship(shipline):
    shipline.create_order(bundle_order())
    assert add_shipment(shipline, "200001", [{"sku": "B", "quantity": 2}]).status == 201
    r = add_shipment(shipline, "200001", [{"sku": "B", "quantity": 1}])
    assert r.status == 400, r.body
    assert r.body["field"] == "items[0].quantity"
    assert "KIT" in r.body["error"] and "B" in r.body["error"], r.body


def test_whole_bundles_expand_to_components_and_complete_the_order(shipline):
    shipline.create_order(bundle_order())
    r = add_shipment(shipline, "200001", [{"sku": "A", "quantity": 1}])
    assert r.status == 201
    assert shipline.complete("200001-1").status == 200
    # The rest: the kit named as a whole ships whole bundles of what is left.
    r = add_shipment(shipline, "200001", [{"sku": "KIT", "quantity": 1}, {"sku": "B", "quantity": 1},
                                          {"sku": "A", "quantity": 1}, {"sku": "C", "quantity": 1}])
    assert r.status == 400, r.body  # A would be 1 + 1 + 1 of 2
    r = add_shipment(shipline, "200001", [{"sku": "KIT", "quantity": 1}, {"sku": "B", "quantity": 1},
                                          {"sku": "C", "quantity": 1}])
    assert r.status == 201, r.body
    assert sorted((i["sku"], i["quantity"]) for i in r.body["items"]) == [
        ("A", 1), ("B", 2), ("C", 1)]
    assert shipline.complete("200001-2").status == 200
    order = get_order(shipline, "200001")
    assert [li["fulfilledQuantity"] for li in order["lineItems"]] == [2, 1]
    assert order["shippingState"] == "shipped"
    assert order["payment"]["amountCaptured"] == "65.00"


def test_bundles_in_the_create_body(shipline):
    body = bundle_order(shipments=[{"shipmentNumber": "200001-1", "status": "RELEASED",
                                    "items": [{"sku": "A", "quantity": 2},
                                              {"sku": "B", "quantity": 2}]}])
    order = shipline.create_order(body)
    assert [(i["sku"], i["quantity"]) for i in order["shipments"][0]["items"]] == [
        ("A", 2), ("B", 2)]
    too_many = bundle_order("200002", shipments=[{"shipmentNumber": "200002-1",
                                                  "items": [{"sku": "B", "quantity": 3}]}])
    r = shipline.request("POST", "/api/v1/orders", body=too_many)
    assert r.status == 400 and r.body["field"] == "shipments[0].items[0].quantity", r.body


@pytest.mark.parametrize("components,field", [
    ([{"sku": "", "quantity": 1}], "lineItems[0].components[0].sku"),
    ([{"sku": "A", "quantity": 0}], "lineItems[0].components[0].quantity"),
    ([{"sku": "A", "quantity": 1}, {"sku": "A", "quantity": 1}], "lineItems[0].components[1].sku"),
    ("A", "lineItems[0].components"),
])
def test_bad_components_are_400(shipline, components, field):
    body = bundle_order()
    body["lineItems"][0]["components"] = components
    r = shipline.request("POST", "/api/v1/orders", body=body)
    assert r.status == 400, r.body
    assert r.body["field"] == field, r.body


# -- several shipments -----------------------------------------------------------

def test_three_shipments_take_the_order_from_unshipped_to_shipped(shipline):
    body = order_body("300001", shipments=[], line_items=[
        {"sku": "A", "title": "A", "quantity": 3, "unitPrice": "1.00"}], amount_authorized="3.00")
    shipline.create_order(body)
    states = [get_order(shipline, "300001")["shippingState"]]
    for k in range(1, 4):
        r = add_shipment(shipline, "300001", [{"sku": "A", "quantity": 1}], carrier="UPS",
                         carrierTrackingNumber=TRACKING, note=f"box {k}")
        assert r.status == 201, r.body
        assert r.body["shipmentNumber"] == f"300001-{k}"
        assert r.body["trackingUrl"] == f"https://www.ups.com/track?tracknum={TRACKING}"
        assert shipline.complete(f"300001-{k}").status == 200
        states.append(get_order(shipline, "300001")["shippingState"])
    assert states == ["unshipped", "partially_shipped", "partially_shipped", "shipped"]
    assert get_order(shipline, "300001")["payment"]["amountCaptured"] == "3.00"
    r = add_shipment(shipline, "300001", [{"sku": "A", "quantity": 1}])
    assert r.status == 400, r.body
    assert "line item" in r.body["error"] and "sku A" in r.body["error"], r.body


def test_pending_shipments_reserve_their_items(shipline):
    shipline.create_order(order_body("300001", status="PENDING"))
    r = add_shipment(shipline, "300001", [{"sku": "A", "quantity": 1}])
    assert r.status == 400 and r.body["field"] == "items[0].quantity", r.body


def test_add_shipment_by_line_item_id_and_named_number(shipline):
    order = shipline.create_order(order_body("300001", shipments=[]))
    lid = order["lineItems"][0]["id"]
    r = add_shipment(shipline, "300001", [{"lineItemId": lid, "quantity": 2}],
                     shipmentNumber="BOX-7", status="PENDING", internalComment="hold")
    assert r.status == 201, r.body
    assert (r.body["shipmentNumber"], r.body["status"]) == ("BOX-7", "PENDING")
    assert r.body["internalComment"] == "hold"
    dup = add_shipment(shipline, "300001", [{"lineItemId": lid, "quantity": 0}])
    assert dup.status == 400 and dup.body["field"] == "items[0].quantity", dup.body


@pytest.mark.parametrize("items,field", [
    ([], "items"),
    ([{"sku": "NOPE", "quantity": 1}], "items[0].sku"),
    ([{"lineItemId": 999999, "quantity": 1}], "items[0].lineItemId"),
    ([{"sku": "A"}], "items[0].quantity"),
])
def test_add_shipment_bad_items(shipline, items, field):
    shipline.create_order(order_body("300001", shipments=[]))
    r = add_shipment(shipline, "300001", items)
    assert r.status == 400, r.body
    assert r.body["field"] == field, r.body
    assert get_order(shipline, "300001")["shipments"] == []


def test_add_shipment_errors(shipline):
    shipline.create_order(order_body("300001", shipments=[]))
    assert add_shipment(shipline, "404404", [{"sku": "A", "quantity": 1}]).status == 404
    shipline.create_order(order_body("300002"))
    r = add_shipment(shipline, "300001", [{"sku": "A", "quantity": 1}], shipmentNumber="300002-1")
    assert r.status == 409, r.body


def test_concurrent_additions_never_over_ship(shipline):
    shipline.create_order(order_body("300001", shipments=[], line_items=[
        {"sku": "A", "title": "A", "quantity": 5, "unitPrice": "1.00"}]))
    shipline.key
    barrier = threading.Barrier(12)
    statuses = []
    lock = threading.Lock()

    def worker():
        barrier.wait(timeout=30)
        r = add_shipment(shipline, "300001", [{"sku": "A", "quantity": 1}])
        with lock:
            statuses.append(r.status)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [201] * 5 + [400] * 7, statuses
    numbers = sorted(s["shipmentNumber"] for s in get_order(shipline, "300001")["shipments"])
    assert len(set(numbers)) == 5


# -- store settings -----------------------------------------------------------------

def test_store_settings_defaults_and_updates(shipline):
    r = shipline.request("GET", "/api/v1/stores/main")
    assert r.status == 200, r.body
    assert r.body == {"name": "main", "sendShippingConfirmation": True, "sender": None,
                      "carriers": [], "shipFrom": None, "createdAt": None, "updatedAt": None}

    shipline.create_order(order_body("100001"))  # the store comes into being
    created = shipline.request("GET", "/api/v1/stores/main").body
    assert created["createdAt"] is not None

    r = shipline.request("PUT", "/api/v1/stores/main", body={
        "sendShippingConfirmation": False, "sender": "Shop <shop@example.com>"})
    assert r.status == 200, r.body
    assert (r.body["sendShippingConfirmation"], r.body["sender"]) == (False, "Shop <shop@example.com>")
    # Fields left out keep their values.
    r = shipline.request("PUT", "/api/v1/stores/main", body={"sendShippingConfirmation": True})
    assert r.body["sender"] == "Shop <shop@example.com>"
    assert shipline.request("GET", "/api/v1/stores/main").body["sendShippingConfirmation"] is True

    other = shipline.create_key("tenant-b", "b")
    assert shipline.request("GET", "/api/v1/stores/main", key=other).body["sender"] is None


def test_store_sender_is_the_email_from(shipline):
    r = shipline.request("PUT", "/api/v1/stores/main", body={"sender": "Bike Shop <bikes@example.com>"})
    assert r.status == 200, r.body
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", TRACKING).status == 200
    (path,) = shipline.wait_eml(1)
    assert "bikes@example.com" in str(shipline.read_eml(path)["From"])


@pytest.mark.parametrize("body,field", [
    ({"sender": "not an address"}, "sender"),
    ({"sendShippingConfirmation": "maybe"}, "sendShippingConfirmation"),
    ({"carriers": [{"code": "Bad Code", "name": "x"}]}, "carriers[0].code"),
    ({"carriers": [{"code": "ok", "name": ""}]}, "carriers[0].name"),
    ({"carriers": [{"code": "ok", "name": "x", "trackingUrlTemplate": "ftp://x/%s"}]},
     "carriers[0].trackingUrlTemplate"),
    ({"carriers": [{"code": "ok", "name": "x", "trackingUrlTemplate": "https://x/%s/%s"}]},
     "carriers[0].trackingUrlTemplate"),
    ({"carriers": [{"code": "ok", "name": "x"}, {"code": "ok", "name": "y"}]}, "carriers[1].code"),
])
def test_store_settings_bad_input(shipline, body, field):
    r = shipline.request("PUT", "/api/v1/stores/main", body=body)
    assert r.status == 400, r.body
    assert r.body["field"] == field, r.body
    assert shipline.request("GET", "/api/v1/stores/main").body["updatedAt"] is None
