"""Operator queries: GET /api/v1/orders and GET /api/v1/shipments with their
filters, keyset cursors, bad parameters and tenant isolation."""

import base64
import urllib.parse

import pytest

from conftest import order_body


def get(shipline, path, params=(), key=None):
    query = urllib.parse.urlencode(list(params))
    kwargs = {} if key is None else {"key": key}
    return shipline.request("GET", f"{path}?{query}" if query else path, **kwargs)


def walk(shipline, path, rows_name, params=(), limit=2, key=None, between_pages=None):
    """Every row of a list, page by page; returns the rows and the pages."""
    rows, pages, cursor = [], 0, None
    for _ in range(1000):
        page_params = list(params) + [("limit", str(limit))]
        if cursor:
            page_params.append(("cursor", cursor))
        r = get(shipline, path, page_params, key=key)
        assert r.status == 200, r.body
        assert set(r.body) == {rows_name, "next"}, r.body
        assert len(r.body[rows_name]) <= limit
        rows.extend(r.body[rows_name])
        pages += 1
        cursor = r.body["next"]
        if cursor is None:
            return rows, pages
        if between_pages:
            between_pages(pages)
    raise AssertionError("the list did not end")


def numbers(rows, field="orderNumber"):
    return [row[field] for row in rows]


def assert_bad(r, field):
    assert r.status == 400, (r.status, r.body)
    assert r.body["code"] == "INVALID_ARGUMENT", r.body
    assert r.body["field"] == field, r.body
    assert isinstance(r.body["error"], str) and r.body["error"]


@pytest.fixture
def seeded(shipline):
    """Six orders in two stores for two customers; 500003 partly shipped and
    500004 shipped by completion (tracking numbers known, carrier UPS)."""
    shipline.create_order(order_body("500001", store="north", email_addr="ada@example.com"))
    shipline.create_order(order_body("500002", store="south", email_addr="Bob@Example.com"))
    two_lines = [{"sku": "A", "title": "Widget", "quantity": 1, "unitPrice": "1.00"},
                 {"sku": "B", "title": "Gadget", "quantity": 1, "unitPrice": "1.00"}]
    shipline.create_order(order_body(
        "500003", store="north", line_items=two_lines,
        shipments=[{"shipmentNumber": "500003-1", "status": "RELEASED", "carrier": "ups",
                    "items": [{"sku": "A", "quantity": 1}]},
                   ("500003-2", "PENDING", [("B", 1)])]))
    shipline.create_order(order_body(
        "500004", store="south", email_addr="bob@example.com",
        shipments=[{"shipmentNumber": "500004-1", "status": "RELEASED", "carrier": "ups",
                    "items": [{"sku": "A", "quantity": 2}]}]))
    shipline.create_order(order_body("510001", store="north"))
    shipline.create_order(order_body("510002", store="north", shipments=[]))
    assert shipline.complete("500003-1", tracking="1Z999AA10123456784").status == 200
    assert shipline.complete("500004-1", tracking="1Z999AA10123456785").status == 200
    return shipline


# -- orders -----------------------------------------------------------------

def test_orders_newest_first_with_each_order_as_get_shows_it(seeded):
    r = get(seeded, "/api/v1/orders")
    assert r.status == 200, r.body
    assert r.body["next"] is None
    assert numbers(r.body["orders"]) == ["510002", "510001", "500004", "500003", "500002",
                                         "500001"]
    for row in r.body["orders"]:
        single = seeded.request("GET", f"/api/v1/orders/{row['orderNumber']}").body
        for shipment in single["shipments"]:
            shipment.pop("statusHistory", None)
        assert row == single
        assert all("statusHistory" not in s for s in row["shipments"])


def test_orders_filter_by_shipping_state(seeded):
    def listed(*states):
        r = get(seeded, "/api/v1/orders", [("status", s) for s in states])
        assert r.status == 200, r.body
        assert all(o["shippingState"] in states for o in r.body["orders"])
        return numbers(r.body["orders"])

    assert listed("shipped") == ["500004"]
    assert listed("partially_shipped") == ["500003"]
    assert listed("unshipped") == ["510002", "510001", "500002", "500001"]
    assert listed("shipped", "partially_shipped") == ["500004", "500003"]
    assert listed("cancelled") == []


def test_shipping_state_filter_follows_a_bundle_completed_part_by_part(shipline):
    """The state the filter reads is kept from shipped counts: a bundle is whole
    only once each of its components has left."""
    shipline.create_order(order_body("520001", shipments=[
        ("520001-1", "RELEASED", [("A", 2)]),
        ("520001-2", "RELEASED", [("B", 1)]),
    ], line_items=[
        {"sku": "KIT", "title": "Kit", "quantity": 1, "unitPrice": "30.00",
         "components": [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}]},
    ], amount_authorized="30.00"))

    def state():
        found = [s for s in ("unshipped", "partially_shipped", "shipped")
                 if "520001" in numbers(get(shipline, "/api/v1/orders",
                                            [("status", s)]).body["orders"])]
        assert len(found) == 1, found
        return found[0]

    assert state() == "unshipped"
    assert shipline.complete("520001-1", tracking="1Z999AA10123456784").status == 200
    assert state() == "partially_shipped"
    assert shipline.complete("520001-2", tracking="1Z999AA10123456785").status == 200
    assert state() == "shipped"
    order = shipline.request("GET", "/api/v1/orders/520001").body
    assert order["shippingState"] == "shipped"
    assert order["payment"]["amountCaptured"] == "30.00"


def test_orders_filter_by_store_email_number_and_times(seeded):
    def listed(params):
        r = get(seeded, "/api/v1/orders", params)
        assert r.status == 200, r.body
        return numbers(r.body["orders"])

    assert listed([("store", "south")]) == ["500004", "500002"]
    assert listed([("email", "BOB@example.COM")]) == ["500004", "500002"]
    assert listed([("email", "bob@example")]) == []
    assert listed([("number", "5100")]) == ["510002", "510001"]
    assert listed([("number", "500003")]) == ["500003"]
    assert listed([("store", "north"), ("number", "500")]) == ["500003", "500001"]

    every = get(seeded, "/api/v1/orders").body["orders"]
    by_number = {o["orderNumber"]: o for o in every}
    created = by_number["500003"]["createdAt"]
    assert set(listed([("createdFrom", created)])) >= {"510002", "510001", "500004", "500003"}
    assert "500002" not in listed([("createdFrom", created)]) or (
        by_number["500002"]["createdAt"] == created)
    assert "500003" in listed([("createdTo", created)])
    assert listed([("createdFrom", "2000-01-01T00:00:00Z"), ("createdTo", "2000-01-02")]) == []

    # The completions changed 500003 and 500004 last: by last change they lead.
    changed = listed([("updatedFrom", "2000-01-01T00:00:00Z")])
    assert changed[:2] == ["500004", "500003"]
    assert sorted(changed) == sorted(by_number)
    since = by_number["500004"]["updatedAt"]
    assert listed([("updatedFrom", since)])[0] == "500004"
    assert by_number["500004"]["updatedAt"] > by_number["500004"]["createdAt"]


def test_orders_pages_have_no_gaps_or_repeats_while_orders_are_added(seeded):
    added = []

    def add_order(page):
        number = f"52{page:04d}"
        seeded.create_order(order_body(number, store="north"))
        added.append(number)

    rows, pages = walk(seeded, "/api/v1/orders", "orders", limit=2, between_pages=add_order)
    listed = numbers(rows)
    assert pages == 3
    # Orders added while paging are newer than the walk's start: never in it.
    assert listed == ["510002", "510001", "500004", "500003", "500002", "500001"]
    assert len(set(listed)) == len(listed)
    # A fresh walk sees them, newest first.
    fresh, _ = walk(seeded, "/api/v1/orders", "orders", limit=4)
    assert numbers(fresh) == list(reversed(added)) + listed

    # A filtered walk: pages of one store.
    north, _ = walk(seeded, "/api/v1/orders", "orders", [("store", "north")], limit=1)
    assert numbers(north) == list(reversed(added)) + ["510002", "510001", "500003", "500001"]


def test_orders_limit_default_and_bounds(shipline):
    for i in range(55):
        shipline.create_order(order_body(f"6{i:05d}", shipments=[]))
    r = get(shipline, "/api/v1/orders")
    assert len(r.body["orders"]) == 50 and r.body["next"] is not None
    rest = get(shipline, "/api/v1/orders", [("cursor", r.body["next"])])
    assert len(rest.body["orders"]) == 5 and rest.body["next"] is None
    assert len(get(shipline, "/api/v1/orders", [("limit", "500")]).body["orders"]) == 55
    assert len(get(shipline, "/api/v1/orders", [("limit", "1")]).body["orders"]) == 1
    # A page that ends exactly at the last row says so.
    exact = get(shipline, "/api/v1/orders", [("limit", "55")]).body
    assert len(exact["orders"]) == 55 and exact["next"] is None


@pytest.mark.parametrize("params,field", [
    ([("status", "sent")], "status"),
    ([("status", "SHIPPED")], "status"),
    ([("createdFrom", "yesterday")], "createdFrom"),
    ([("createdTo", "2026-02-30T00:00:00Z")], "createdTo"),
    ([("updatedFrom", "2026-01-01T25:00:00Z")], "updatedFrom"),
    ([("updatedTo", "")], "updatedTo"),
    ([("limit", "0")], "limit"),
    ([("limit", "501")], "limit"),
    ([("limit", "ten")], "limit"),
    ([("limit", "-1")], "limit"),
    ([("colour", "red")], "colour"),
    ([("store", "a"), ("store", "b")], "store"),
    ([("cursor", "not-a-cursor")], "cursor"),
    ([("createdFrom", "2026-02-01"), ("createdTo", "2026-01-01")], "createdFrom"),
])
def test_orders_bad_parameters_are_400_naming_them(shipline, params, field):
    assert_bad(get(shipline, "/api/v1/orders", params), field)


def tampered(cursor):
    """The cursor with one character of its key part changed."""
    key, _, mac = cursor.partition(".")
    swapped = key[:-1] + ("A" if key[-1] != "A" else "B")
    return f"{swapped}.{mac}"


def test_forged_or_altered_cursor_is_400(seeded):
    first = get(seeded, "/api/v1/orders", [("limit", "2")]).body
    cursor = first["next"]
    assert cursor
    assert_bad(get(seeded, "/api/v1/orders", [("cursor", tampered(cursor))]), "cursor")
    # A cursor built by hand from a guessed key has no valid signature.
    key = cursor.split(".")[0]
    forged = key + "." + base64.urlsafe_b64encode(b"\0" * 16).decode().rstrip("=")
    assert_bad(get(seeded, "/api/v1/orders", [("cursor", forged)]), "cursor")
    assert_bad(get(seeded, "/api/v1/orders", [("cursor", cursor + "x")]), "cursor")
    # The cursor belongs to its filters: with others it is refused.
    assert_bad(get(seeded, "/api/v1/orders", [("cursor", cursor), ("store", "north")]), "cursor")
    assert_bad(get(seeded, "/api/v1/shipments", [("cursor", cursor)]), "cursor")
    # With the same filters (and another page size) it works.
    again = get(seeded, "/api/v1/orders", [("cursor", cursor), ("limit", "10")])
    assert again.status == 200 and len(again.body["orders"]) == 4


def test_cursor_survives_a_restart(seeded):
    cursor = get(seeded, "/api/v1/orders", [("limit", "3")]).body["next"]
    seeded.restart()
    r = get(seeded, "/api/v1/orders", [("limit", "3"), ("cursor", cursor)])
    assert r.status == 200, r.body
    assert numbers(r.body["orders"]) == ["500003", "500002", "500001"]


def test_another_tenant_sees_nothing_and_cannot_use_the_cursor(seeded):
    other = seeded.create_key("tenant-b", "bob")
    for path, name in (("/api/v1/orders", "orders"), ("/api/v1/shipments", "shipments")):
        r = get(seeded, path, key=other)
        assert r.status == 200 and r.body == {name: [], "next": None}, r.body
        cursor = get(seeded, path, [("limit", "1")]).body["next"]
        assert_bad(get(seeded, path, [("limit", "1"), ("cursor", cursor)], key=other), "cursor")
    assert get(seeded, "/api/v1/orders", [("number", "5")], key=other).body["orders"] == []
    assert get(seeded, "/api/v1/shipments", [("order", "500004")],
               key=other).body["shipments"] == []
    # Its own orders are its own.
    seeded.create_order(order_body("500001"), key=other)
    mine = get(seeded, "/api/v1/orders", key=other).body["orders"]
    assert numbers(mine) == ["500001"]


def test_lists_need_a_key(seeded):
    for path in ("/api/v1/orders", "/api/v1/shipments"):
        r = seeded.request("GET", path, key=None)
        assert r.status == 401 and r.body["code"] == "UNAUTHENTICATED", r.body


# -- shipments --------------------------------------------------------------

def test_shipments_newest_first_as_get_shows_them(seeded):
    r = get(seeded, "/api/v1/shipments")
    assert r.status == 200, r.body
    listed = numbers(r.body["shipments"], "shipmentNumber")
    assert listed == ["510001-1", "500004-1", "500003-2", "500003-1", "500002-1", "500001-1"]
    for row in r.body["shipments"]:
        single = seeded.shipment(row["shipmentNumber"])
        single.pop("statusHistory", None)
        assert row == single


def test_shipments_filters(seeded):
    def listed(params):
        r = get(seeded, "/api/v1/shipments", params)
        assert r.status == 200, r.body
        return numbers(r.body["shipments"], "shipmentNumber")

    assert listed([("status", "SHIPPED")]) == ["500004-1", "500003-1"]
    assert listed([("status", "PENDING")]) == ["500003-2"]
    assert listed([("status", "PENDING"), ("status", "SHIPPED")]) == [
        "500004-1", "500003-2", "500003-1"]
    assert listed([("status", "CANCELLED")]) == []
    assert listed([("tracking", "1Z999AA10123456785")]) == ["500004-1"]
    assert listed([("tracking", "1Z999AA1012345678")]) == []
    assert listed([("order", "500003")]) == ["500003-2", "500003-1"]
    assert listed([("order", "5000")]) == []
    carrier = seeded.shipment("500004-1")["carrier"]
    assert carrier
    assert listed([("carrier", carrier)]) == ["500004-1", "500003-1"]
    assert listed([("carrier", "no such carrier")]) == []

    shipped_at = seeded.shipment("500004-1")["shippedAt"]
    assert listed([("shippedFrom", "2000-01-01T00:00:00Z")]) == ["500004-1", "500003-1"]
    assert listed([("shippedFrom", shipped_at)]) == ["500004-1"]
    assert listed([("shippedTo", "2000-01-01T00:00:00Z")]) == []
    # By last change: the completed ones first.
    assert listed([("updatedFrom", "2000-01-01T00:00:00Z")])[:2] == ["500004-1", "500003-1"]
    assert listed([("status", "RELEASED"), ("updatedTo", "2999-01-01T00:00:00Z")]) == [
        "510001-1", "500002-1", "500001-1"]


def test_shipments_pages_have_no_gaps_or_repeats(seeded):
    def add(page):
        seeded.create_order(order_body(f"53{page:04d}"))

    rows, pages = walk(seeded, "/api/v1/shipments", "shipments", limit=4, between_pages=add)
    assert pages == 2
    assert numbers(rows, "shipmentNumber") == [
        "510001-1", "500004-1", "500003-2", "500003-1", "500002-1", "500001-1"]
    by_status, _ = walk(seeded, "/api/v1/shipments", "shipments",
                        [("status", "RELEASED"), ("status", "SHIPPED")], limit=1)
    assert numbers(by_status, "shipmentNumber") == [
        "530001-1", "510001-1", "500004-1", "500003-1", "500002-1", "500001-1"]


@pytest.mark.parametrize("params,field", [
    ([("status", "shipped")], "status"),
    ([("status", "LOST")], "status"),
    ([("shippedFrom", "2026-13-01")], "shippedFrom"),
    ([("shippedTo", "soon")], "shippedTo"),
    ([("updatedFrom", "2026-01-01T00:00:00+25:00")], "updatedFrom"),
    ([("limit", "0")], "limit"),
    ([("limit", "501")], "limit"),
    ([("store", "north")], "store"),
    ([("tracking", "a"), ("tracking", "b")], "tracking"),
    ([("cursor", "abc.def")], "cursor"),
    ([("shippedFrom", "2026-02-01"), ("shippedTo", "2026-01-01")], "shippedFrom"),
])
def test_shipments_bad_parameters_are_400_naming_them(shipline, params, field):
    assert_bad(get(shipline, "/api/v1/shipments", params), field)
