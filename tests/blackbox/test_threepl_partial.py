"""A 3PL shipment notification that fulfils less than its shipment holds
(seed 002: "fulfilled_quantity vs ordered_quantity ... might differ in case of
partially fulfilled Orders"): what left is completed and captured alone, the
rest stays in a new RELEASED shipment of the same order, and a second
notification ships the rest. Bundles count in whole products, with the
document's own example: 2 products of 1 A + 1 B, 1 A and 2 B shipped,
fulfilled_quantity 1."""

import threading

from conftest import order_body
from test_threepl_inbound import ALLOW, connect, notify
from webhook_receiver import WebhookReceiver


def kit_order(number="200001"):
    """Seed 002's example (2 products of 1 A + 1 B) and a plain item, all in
    one RELEASED shipment."""
    return order_body(number, line_items=[
        {"sku": "KIT", "title": "Kit", "quantity": 2, "unitPrice": "30.00",
         "components": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": 1}]},
        {"sku": "C", "title": "Cable", "quantity": 1, "unitPrice": "5.00"},
    ], shipments=[{"shipmentNumber": f"{number}-1", "status": "RELEASED",
                   "items": [{"sku": "KIT", "quantity": 2}, {"sku": "C", "quantity": 1}]}],
        amount_authorized="65.00")


def kit_line(fulfilled, a, b):
    return {"sku": "KIT", "name": "Kit", "ordered_quantity": 2, "fulfilled_quantity": fulfilled,
            "custom_data": [], "serial_numbers": [],
            "order_parts": {
                "A": {"quantity_per_bundle": 1, "ordered_quantity": 2, "fulfilled_quantity": a},
                "B": {"quantity_per_bundle": 1, "ordered_quantity": 2, "fulfilled_quantity": b}}}


def plain_line(sku, ordered, fulfilled):
    return {"sku": sku, "name": sku, "ordered_quantity": ordered, "fulfilled_quantity": fulfilled,
            "custom_data": [], "order_parts": {}, "serial_numbers": []}


def body(order, items, tracking, **extra):
    return {"order_key": order, "order_number": order, "items": items,
            "shipped_at": "2026-11-22T05:18:00-05:00",
            "packages": [{"tracking_number": tracking, "carrier": "UPS", "service": "Ground"}],
            "extra_data": [], "pallets": [], "ship_from": None, "ship_to": {"name": "Ada"},
            **extra}


def items_of(shipment):
    return sorted((i["sku"], i["quantity"]) for i in shipment["items"])


def captured(s, number):
    return s.request("GET", f"/api/v1/orders/{number}").body["payment"]["amountCaptured"]


def test_the_seed_example_ships_one_product_and_keeps_the_rest(make_shipline):
    receiver = WebhookReceiver().start()
    try:
        s = make_shipline(extra_args=ALLOW)
        s.request("POST", "/api/v1/webhooks", body={"url": receiver.url(), "format": "3pl"})
        conn = connect(s)
        s.create_order(kit_order())

        r = notify(s, conn, body("200001", [kit_line(1, 1, 2), plain_line("C", 1, 0)],
                                 "1Z999AA10123456784"))
        assert r.status == 200, r.body
        assert r.body["status"] == "applied"
        assert r.body["shipmentNumber"] == "200001-1"
        assert r.body["restShipmentNumber"] == "200001-2"

        shipped = s.shipment("200001-1")
        assert shipped["status"] == "SHIPPED"
        assert items_of(shipped) == [("A", 1), ("B", 2)]
        rest = s.shipment("200001-2")
        assert rest["status"] == "RELEASED"
        assert items_of(rest) == [("A", 1), ("C", 1)]
        assert rest["carrierTrackingNumber"] in (None, "")
        # One whole product left, so one was paid for; the cable stays.
        assert captured(s, "200001") == "30.00"

        order = s.request("GET", "/api/v1/orders/200001").body
        assert order["shippingState"] == "partially_shipped"
        assert [(li["sku"], li["fulfilledQuantity"]) for li in order["lineItems"]] == [
            ("KIT", 1), ("C", 0)]
        types = [(e["type"], e["subject"]) for e in s.events()]
        assert ("shipment-created", "200001-2") in types
        assert types.index(("shipment-created", "200001-2")) < types.index(
            ("order-shipment-shipped", "200001-1"))
        created = next(e for e in s.events() if e["type"] == "shipment-created")["payload"]
        assert created["splitFrom"] == "200001-1" and created["status"] == "RELEASED"
        [event] = s.shipped_events()
        assert event["payload"]["capturedAmount"] == "30.00"
        assert sorted((i["sku"], i["quantity"]) for i in event["payload"]["items"]) == [
            ("A", 1), ("B", 2)]
        assert len(s.wait_eml(1)) == 1

        # The 3PL-format notification of what left: the document's numbers.
        [req] = receiver.wait_for(1)
        [kit] = req["json"]["items"]
        assert (kit["sku"], kit["ordered_quantity"], kit["fulfilled_quantity"]) == ("KIT", 2, 1)
        assert kit["order_parts"]["A"]["fulfilled_quantity"] == 1
        assert kit["order_parts"]["B"]["fulfilled_quantity"] == 2

        # The same notification again changes nothing.
        again = notify(s, conn, body("200001", [kit_line(1, 1, 2), plain_line("C", 1, 0)],
                                     "1Z999AA10123456784"))
        assert again.status == 200 and again.body["status"] == "already_applied", again.body
        assert len(s.request("GET", "/api/v1/orders/200001").body["shipments"]) == 2

        # The rest leaves with a second notification: the other A and the cable.
        r = notify(s, conn, body("200001", [kit_line(1, 1, 0), plain_line("C", 1, 1)],
                                 "1Z999AA10123456793"))
        assert r.status == 200, r.body
        assert r.body["shipmentNumber"] == "200001-2" and r.body["restShipmentNumber"] is None
        assert s.shipment("200001-2")["status"] == "SHIPPED"
        assert captured(s, "200001") == "65.00"
        order = s.request("GET", "/api/v1/orders/200001").body
        assert order["shippingState"] == "shipped"
        assert len(order["shipments"]) == 2
        assert len(s.shipped_events()) == 2
        assert len(s.wait_eml(2)) == 2
    finally:
        receiver.stop()


def test_a_plain_item_fulfilled_in_part_takes_the_next_free_number(shipline):
    conn = connect(shipline)
    shipline.create_order(order_body("100001", line_items=[
        {"sku": "A", "title": "Widget", "quantity": 3, "unitPrice": "10.50"}],
        shipments=[("100001-1", "RELEASED", [("A", 2)]), ("100001-2", "RELEASED", [("A", 1)])],
        amount_authorized="31.50"))
    r = notify(shipline, conn, body("100001", [plain_line("A", 3, 1)], "1Z999AA10123456784",
                                    shipment_number="100001-1"))
    assert r.status == 200, r.body
    assert r.body["restShipmentNumber"] == "100001-3"
    assert items_of(shipline.shipment("100001-1")) == [("A", 1)]
    assert shipline.shipment("100001-1")["status"] == "SHIPPED"
    rest = shipline.shipment("100001-3")
    assert (rest["status"], items_of(rest)) == ("RELEASED", [("A", 1)])
    assert captured(shipline, "100001") == "10.50"


def test_over_fulfilment_and_lines_not_in_the_shipment_change_nothing(shipline):
    conn = connect(shipline)
    shipline.create_order(order_body("100001", line_items=[
        {"sku": "A", "title": "Widget", "quantity": 3, "unitPrice": "10.50"},
        {"sku": "C", "title": "Cable", "quantity": 1, "unitPrice": "5.00"}],
        shipments=[("100001-1", "RELEASED", [("A", 2)]), ("100001-2", "RELEASED", [("A", 1), ("C", 1)])],
        amount_authorized="36.50"))
    before = shipline.events()

    over = notify(shipline, conn, body("100001", [plain_line("A", 3, 3)], "1Z999AA10123456784",
                                       shipment_number="100001-1"))
    assert over.status == 422, over.body
    assert over.body["code"] == "INVALID_ARGUMENT"
    assert over.body["field"] == "items[0].fulfilled_quantity"
    assert "beyond the shipment" in over.body["error"] and "100001-1" in over.body["error"]

    stranger = notify(shipline, conn, body("100001", [plain_line("A", 3, 1), plain_line("C", 1, 1)],
                                           "1Z999AA10123456784", shipment_number="100001-1"))
    assert stranger.status == 422, stranger.body
    assert stranger.body["field"] == "items[1].sku"
    assert "not in shipment 100001-1" in stranger.body["error"]

    nothing = notify(shipline, conn, body("100001", [plain_line("A", 3, 0)], "1Z999AA10123456784",
                                          shipment_number="100001-1"))
    assert nothing.status == 422 and nothing.body["field"] == "items", nothing.body

    order = shipline.request("GET", "/api/v1/orders/100001").body
    assert [(x["shipmentNumber"], x["status"]) for x in order["shipments"]] == [
        ("100001-1", "RELEASED"), ("100001-2", "RELEASED")]
    assert items_of(shipline.shipment("100001-1")) == [("A", 2)]
    assert order["payment"]["amountCaptured"] == "0.00"
    assert shipline.events() == before


def test_concurrent_repeats_of_a_partial_notification_split_once(shipline):
    conn = connect(shipline)
    shipline.create_order(kit_order())
    payload = body("200001", [kit_line(1, 1, 2), plain_line("C", 1, 0)], "1Z999AA10123456784")
    answers = []
    lock = threading.Lock()

    def send():
        r = notify(shipline, conn, payload)
        with lock:
            answers.append((r.status, r.body.get("status")))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(status == 200 for status, _ in answers), answers
    assert [a for _, a in answers].count("applied") == 1, answers
    order = shipline.request("GET", "/api/v1/orders/200001").body
    assert [(x["shipmentNumber"], x["status"]) for x in order["shipments"]] == [
        ("200001-1", "SHIPPED"), ("200001-2", "RELEASED")]
    assert items_of(shipline.shipment("200001-2")) == [("A", 1), ("C", 1)]
    types = [e["type"] for e in shipline.events()]
    assert types.count("shipment-created") == 1 and types.count("order-shipment-shipped") == 1
    assert order["payment"]["amountCaptured"] == "30.00"
