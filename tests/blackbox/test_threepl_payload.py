"""What shipline sends in a 3PL-format shipment notification beyond tracking
(seed 002's ship_from, pallets, serial_numbers, custom_data, extra_data):
the merchant's own data from the native order, what a 3PL reported inbound,
and a ship_from that is never null."""

from conftest import TRACKING, order_body
from test_threepl_inbound import ALLOW, connect, notify
from webhook_receiver import WebhookReceiver

EXTRA = [{"key": "gift_message", "value": "Happy birthday"}, {"key": "channel", "value": "web"}]
CUSTOM = [{"key": "engraving", "value": "A.L."}]
PALLETS = [{"tracking_number": "PAL-1", "weight": 120.5, "weight_unit": "kg"}]
SERIALS = [{"serial_number": "SN-0001", "type": "serial_number"},
           {"serial_number": "SN-0002", "type": "serial_number"}]
WAREHOUSE = {"name": "ShipMonk FL1", "company": "ShipMonk", "address1": "201 NW 22nd Ave",
             "address2": None, "city": "Fort Lauderdale", "state": "FL", "zip": "33311",
             "country": "US", "phone": "+1 954 000 0000", "email": "fl1@example.com"}
STORE_ADDRESS = {"name": "Main warehouse", "company": "Shop Ltd", "line1": "5 Dock Rd",
                 "line2": "Unit 3", "city": "Leeds", "region": "WYK", "postalCode": "LS1",
                 "country": "GB", "phone": "+44 113 000", "email": "dock@example.com"}


def with_pass_through(number="100001", **overrides):
    body = order_body(number, **overrides)
    body["extraData"] = EXTRA
    body["lineItems"][0]["customData"] = CUSTOM
    return body


def test_the_order_keeps_its_own_data_and_shows_it(shipline):
    created = shipline.create_order(with_pass_through())
    assert created["extraData"] == EXTRA
    assert created["lineItems"][0]["customData"] == CUSTOM
    order = shipline.request("GET", "/api/v1/orders/100001").body
    assert order["extraData"] == EXTRA and order["lineItems"][0]["customData"] == CUSTOM
    plain = shipline.create_order(order_body("100002"))
    assert "extraData" not in plain and "customData" not in plain["lineItems"][0]


def test_bad_pass_through_and_addresses_are_refused_and_change_nothing(shipline):
    for field, value, name in (("extraData", {"a": 1}, "extraData"),
                               ("extraData", [1, 2], "extraData"),
                               ("extraData", [{"k": i} for i in range(101)], "extraData"),
                               # one string over the body-wide text limit is named itself
                               ("extraData", [{"k": "x" * 17000}], "extraData[0].k"),
                               ("extraData", [{"k": "x" * 9000, "j": "x" * 9000}], "extraData")):
        body = order_body("100001")
        body[field] = value
        r = shipline.request("POST", "/api/v1/orders", body=body)
        assert r.status == 400 and r.body["field"] == name, r.body
    body = order_body("100001")
    body["lineItems"][0]["customData"] = "text"
    r = shipline.request("POST", "/api/v1/orders", body=body)
    assert r.status == 400 and r.body["field"] == "lineItems[0].customData", r.body
    assert shipline.request("GET", "/api/v1/orders/100001").status == 404

    r = shipline.request("PUT", "/api/v1/stores/main", body={"shipFrom": {"city": "x" * 300}})
    assert r.status == 400 and r.body["field"] == "shipFrom.city", r.body
    r = shipline.request("PUT", "/api/v1/stores/main", body={"shipFrom": {"city": 5}})
    assert r.status == 400 and r.body["field"] == "shipFrom.city", r.body
    assert shipline.request("GET", "/api/v1/stores/main").body["shipFrom"] is None

    conn = connect(shipline)
    shipline.create_order(order_body("100001"))
    bad = {"order_number": "100001", "pallets": [{"id": i} for i in range(101)]}
    r = notify(shipline, conn, bad)
    assert r.status == 400 and r.body["field"] == "pallets", r.body
    bad = {"order_number": "100001", "ship_from": {"city": "x" * 300}}
    r = notify(shipline, conn, bad)
    assert r.status == 400 and r.body["field"] == "ship_from.city", r.body
    assert shipline.shipment("100001-1")["status"] == "RELEASED"


def test_what_the_order_and_the_3pl_hold_goes_out(make_shipline):
    receiver = WebhookReceiver().start()
    try:
        s = make_shipline(extra_args=ALLOW)
        s.request("POST", "/api/v1/webhooks", body={"url": receiver.url(), "format": "3pl"})
        r = s.request("PUT", "/api/v1/stores/main", body={"shipFrom": STORE_ADDRESS})
        assert r.status == 200 and r.body["shipFrom"] == STORE_ADDRESS, r.body
        conn = connect(s)
        s.create_order(with_pass_through())
        r = notify(s, conn, {
            "order_number": "100001",
            "items": [{"sku": "A", "ordered_quantity": 2, "fulfilled_quantity": 2,
                       "serial_numbers": SERIALS, "custom_data": [], "order_parts": []}],
            "packages": [{"tracking_number": TRACKING, "carrier": "UPS"}],
            "pallets": PALLETS, "ship_from": WAREHOUSE, "extra_data": []})
        assert r.status == 200 and r.body["status"] == "applied", r.body
        [req] = receiver.wait_for(1)
        p = req["json"]
        assert p["extra_data"] == EXTRA
        assert p["pallets"] == PALLETS
        assert p["ship_from"] == WAREHOUSE
        [item] = p["items"]
        assert item["custom_data"] == CUSTOM
        assert item["serial_numbers"] == SERIALS
    finally:
        receiver.stop()


def test_ship_from_is_the_stores_address_else_its_name(make_shipline):
    receiver = WebhookReceiver().start()
    try:
        s = make_shipline(extra_args=ALLOW)
        s.request("POST", "/api/v1/webhooks", body={"url": receiver.url(), "format": "3pl"})
        s.request("PUT", "/api/v1/stores/main", body={"shipFrom": STORE_ADDRESS})
        s.create_order(order_body("100001"))
        s.create_order(order_body("100002", store="outlet"))
        assert s.complete("100001-1", TRACKING).status == 200
        assert s.complete("100002-1", TRACKING).status == 200
        by_order = {r["json"]["order_number"]: r["json"] for r in receiver.wait_for(2)}
        assert by_order["100001"]["ship_from"] == {
            "name": "Main warehouse", "company": "Shop Ltd", "address1": "5 Dock Rd",
            "address2": "Unit 3", "city": "Leeds", "state": "WYK", "zip": "LS1", "country": "GB",
            "phone": "+44 113 000", "email": "dock@example.com"}
        outlet = by_order["100002"]["ship_from"]
        assert outlet["name"] == "outlet"
        assert all(v is None for k, v in outlet.items() if k != "name")
        assert by_order["100001"]["pallets"] == [] and by_order["100001"]["extra_data"] == []

        # null clears the store's address.
        r = s.request("PUT", "/api/v1/stores/main", body={"shipFrom": None})
        assert r.status == 200 and r.body["shipFrom"] is None
    finally:
        receiver.stop()
