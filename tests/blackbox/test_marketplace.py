"""The marketplace shipments API (seed 004): JSON:API documents for listing,
showing, creating and updating an invoice's shipments, the invoice status
moving from Paid to Partially Sent to Sent, and JSON:API errors."""

from urllib.parse import unquote

import pytest

from conftest import TRACKING, http_payment_args, order_body, wait_until

MEDIA = "application/vnd.api+json"
AUSPOST = "33PKP0004327"
LINE_ITEM_KEYS = {"price", "status", "subtotal", "tax_total", "original_tax_rate", "total",
                  "quantity", "taxon_name", "brand_name", "advert_name", "advert_external_id",
                  "variant_name", "variant_sku", "variant_barcode", "variant_external_id"}
SHIPMENT_KEYS = {"shipment_tracking_number", "shipment_carrier", "shipment_tracking_link",
                 "note", "dispatched_at"}


def three_line_order(number="500001", **kw):
    """An order (invoice) of three line items and no shipment yet."""
    return order_body(number, shipments=[], line_items=[
        {"sku": "BIKE", "title": "Giant Cypress DX", "quantity": 1, "unitPrice": "100.00"},
        {"sku": "HELMET", "title": "Helmet", "quantity": 2, "unitPrice": "25.50"},
        {"sku": "LIGHT", "title": "Light", "quantity": 3, "unitPrice": "10.00"},
    ], amount_authorized="181.00", **kw)


def invoice(s, number="500001", **kw):
    """Creates the three-line order; returns (invoice id, {sku: line item id})."""
    order = s.create_order(three_line_order(number, **kw))
    return order["id"], {li["sku"]: li["id"] for li in order["lineItems"]}


def shipments_path(invoice_id):
    return f"/api/v2/client/invoices/{invoice_id}/shipments"


def new_shipment(items, **attributes):
    attrs = {"shipment_tracking_number": AUSPOST, "shipment_carrier": "Australia Post",
             "dispatched_at": "2021-05-13", "note": "Please handle with care"}
    attrs.update(attributes)
    attrs["shipped_items"] = [{"line_item_id": i, "quantity": q} for i, q in items]
    return {"data": {"type": "shipments", "attributes": attrs}}


def post(s, invoice_id, document, **kw):
    return s.request("POST", shipments_path(invoice_id), body=document,
                     headers={"Content-Type": MEDIA}, **kw)


def included(document, type_):
    return [r for r in document["included"] if r["type"] == type_]


def invoice_status(s, invoice_id):
    r = s.request("GET", f"/api/v2/client/invoices/{invoice_id}")
    assert r.status == 200, r.body
    return r.body["data"]["attributes"]["status"]


def assert_errors(r, status, pointer=None, detail_contains=None):
    assert r.status == status, (r.status, r.body)
    assert MEDIA in r.headers.get("Content-Type", "")
    assert isinstance(r.body, dict) and isinstance(r.body.get("errors"), list), r.body
    error = r.body["errors"][0]
    assert error["status"] == str(status), error
    assert error["title"] and error["detail"], error
    if pointer is not None:
        assert error["source"]["pointer"] == pointer, error
    if detail_contains is not None:
        assert detail_contains in error["detail"], error


# -- the invoice going Paid -> Partially Sent -> Sent ---------------------------

def test_three_shipments_move_the_invoice_to_partially_sent_then_sent(shipline):
    inv, lines = invoice(shipline)
    assert invoice_status(shipline, inv) == "Paid"
    listed = shipline.request("GET", shipments_path(inv))
    assert listed.status == 200 and listed.body["data"] == [], listed.body

    statuses = []
    for sku, qty in (("BIKE", 1), ("HELMET", 2), ("LIGHT", 3)):
        r = post(shipline, inv, new_shipment([(lines[sku], qty)]))
        assert r.status == 201, r.body
        (inv_resource,) = included(r.body, "invoices")
        assert inv_resource["id"] == inv
        statuses.append(inv_resource["attributes"]["status"])
        assert invoice_status(shipline, inv) == statuses[-1]
    assert statuses == ["Partially Sent", "Partially Sent", "Sent"]

    listed = shipline.request("GET", shipments_path(inv)).body
    assert len(listed["data"]) == 3
    assert [d["type"] for d in listed["data"]] == ["shipments"] * 3
    order = shipline.request("GET", "/api/v1/orders/500001").body
    assert order["shippingState"] == "shipped"
    assert [li["fulfilledQuantity"] for li in order["lineItems"]] == [1, 2, 3]
    assert len(shipline.shipped_events()) == 3


def test_one_shipment_of_everything_is_sent_at_once(shipline):
    inv, lines = invoice(shipline)
    r = post(shipline, inv, new_shipment([(lines["BIKE"], 1), (lines["HELMET"], 2),
                                          (lines["LIGHT"], 3)]))
    assert r.status == 201, r.body
    assert included(r.body, "invoices")[0]["attributes"]["status"] == "Sent"


def test_partial_quantities_of_one_line_item(shipline):
    inv, lines = invoice(shipline)
    assert post(shipline, inv, new_shipment([(lines["LIGHT"], 1)])).status == 201
    assert post(shipline, inv, new_shipment([(lines["LIGHT"], 2)])).status == 201
    assert invoice_status(shipline, inv) == "Partially Sent"
    order = shipline.request("GET", "/api/v1/orders/500001").body
    assert [li["fulfilledQuantity"] for li in order["lineItems"]] == [0, 0, 3]


# -- documents ----------------------------------------------------------------

def test_create_answers_the_seed_document(shipline):
    inv, lines = invoice(shipline)
    r = post(shipline, inv, new_shipment([(lines["BIKE"], 1)]))
    assert r.status == 201, r.body
    assert MEDIA in r.headers.get("Content-Type", "")
    doc = r.body
    data = doc["data"]
    assert data["type"] == "shipments" and isinstance(data["id"], int)
    assert doc["links"]["self"].endswith(f"/api/v2/client/shipments/{data['id']}")
    assert r.headers.get("Location") == doc["links"]["self"]
    assert set(data["attributes"]) == SHIPMENT_KEYS
    a = data["attributes"]
    assert a["shipment_tracking_number"] == AUSPOST
    assert a["shipment_carrier"] == "Australia Post"
    # Not supplied: made from the carrier's template, as the seed's note says.
    assert a["shipment_tracking_link"] == f"https://auspost.com.au/mypost/track/#/details/{AUSPOST}"
    assert a["note"] == "Please handle with care"
    assert a["dispatched_at"].startswith("2021-05-13T00:00:00.000")
    rel = data["relationships"]
    assert rel["line_items"]["data"] == [{"type": "line_items", "id": lines["BIKE"]}]
    assert rel["invoice"]["data"] == {"type": "invoices", "id": inv}
    assert rel["shipped_items"]["data"] == [{"type": "shipped_items"}]
    (line,) = included(doc, "line_items")
    assert line["id"] == lines["BIKE"]
    assert set(line["attributes"]) == LINE_ITEM_KEYS
    la = line["attributes"]
    assert (la["price"], la["quantity"], la["total"], la["advert_name"]) == (
        "100.0", 1, "100.0", "Giant Cypress DX")
    assert la["status"] == "sent"
    (shipped,) = included(doc, "shipped_items")
    assert shipped["id"] is None
    assert shipped["attributes"] == {"line_item_id": lines["BIKE"], "quantity": 1}
    assert "meta" not in doc  # no warning for the seed's number

    show = shipline.request("GET", f"{shipments_path(inv)}/{data['id']}")
    assert show.status == 200
    assert show.body == doc


def test_list_shows_the_seed_attributes(shipline):
    inv, lines = invoice(shipline)
    post(shipline, inv, new_shipment([(lines["BIKE"], 1)]))
    listed = shipline.request("GET", shipments_path(inv))
    assert listed.status == 200
    assert MEDIA in listed.headers.get("Content-Type", "")
    (item,) = listed.body["data"]
    assert set(item) >= {"type", "id", "attributes"}
    assert set(item["attributes"]) == SHIPMENT_KEYS
    assert unquote(listed.body["links"]["first"]).endswith("page[number]=1&page[size]=50")


def test_supplied_link_overrides_the_template(shipline):
    inv, lines = invoice(shipline)
    doc = new_shipment([(lines["BIKE"], 1)], shipment_tracking_link="https://example.com/t/1")
    r = post(shipline, inv, doc)
    assert r.status == 201, r.body
    assert r.body["data"]["attributes"]["shipment_tracking_link"] == "https://example.com/t/1"


def test_carrier_names_match_loosely_and_numbers_are_checked(shipline):
    inv, lines = invoice(shipline)
    r = post(shipline, inv, new_shipment([(lines["BIKE"], 1)], shipment_carrier="fed-ex",
                                         shipment_tracking_number="1234"))
    assert r.status == 201, r.body
    assert r.body["data"]["attributes"]["shipment_carrier"] == "FedEx"
    assert "1234" in r.body["meta"]["warnings"][0]

    r = post(shipline, inv, new_shipment([(lines["HELMET"], 1)], shipment_carrier="UPS",
                                         shipment_tracking_number=TRACKING))
    assert r.status == 201 and "meta" not in r.body, r.body


def test_pagination(shipline):
    inv, lines = invoice(shipline)
    for _ in range(3):
        assert post(shipline, inv, new_shipment([(lines["LIGHT"], 1)])).status == 201
    first = shipline.request("GET", shipments_path(inv) + "?page[size]=2")
    assert first.status == 200, first.body
    assert len(first.body["data"]) == 2
    links = {k: unquote(v) for k, v in first.body["links"].items()}
    assert links["next"].endswith("?page[number]=2&page[size]=2")
    assert links["last"].endswith("?page[number]=2&page[size]=2")
    assert "prev" not in links
    # The links work as they are (percent-encoded brackets).
    path = first.body["links"]["next"].split(str(shipline.port), 1)[1]
    second = shipline.request("GET", path)
    assert second.status == 200, second.body
    assert unquote(second.body["links"]["prev"]).endswith("?page[number]=1&page[size]=2")
    assert len(second.body["data"]) == 1
    assert "next" not in second.body["links"]
    ids = [d["id"] for d in first.body["data"] + second.body["data"]]
    assert ids == sorted(set(ids)) and len(ids) == 3
    beyond = shipline.request("GET", shipments_path(inv) + "?page[number]=9&page[size]=2")
    assert beyond.status == 200 and beyond.body["data"] == []
    for bad in ("?page[size]=0", "?page[size]=501", "?page[number]=x"):
        assert_errors(shipline.request("GET", shipments_path(inv) + bad), 400)


# -- over-shipping --------------------------------------------------------------

def test_over_ship_is_400_naming_the_line_item_and_creates_nothing(shipline):
    inv, lines = invoice(shipline)
    r = post(shipline, inv, new_shipment([(lines["HELMET"], 3)]))
    assert_errors(r, 400, "/data/attributes/shipped_items/0/quantity",
                  f"line item {lines['HELMET']}")

    assert post(shipline, inv, new_shipment([(lines["LIGHT"], 2)])).status == 201
    r = post(shipline, inv, new_shipment([(lines["BIKE"], 1), (lines["LIGHT"], 2)]))
    assert_errors(r, 400, "/data/attributes/shipped_items/1/quantity", "sku LIGHT")
    listed = shipline.request("GET", shipments_path(inv)).body["data"]
    assert len(listed) == 1
    assert invoice_status(shipline, inv) == "Partially Sent"


# -- updates --------------------------------------------------------------------

def test_update_changes_tracking_and_emails_again(shipline):
    inv, lines = invoice(shipline)
    created = post(shipline, inv, new_shipment([(lines["BIKE"], 1)])).body
    sid = created["data"]["id"]
    assert len(shipline.wait_eml(1)) == 1

    doc = {"data": {"type": "shipments", "id": sid, "attributes": {
        "shipment_tracking_number": TRACKING, "shipment_carrier": "UPS",
        "dispatched_at": "2021-05-03", "note": "Left at the door"}}}
    r = shipline.request("PUT", f"{shipments_path(inv)}/{sid}", body=doc,
                         headers={"Content-Type": MEDIA})
    assert r.status == 200, r.body
    a = r.body["data"]["attributes"]
    assert a["shipment_tracking_number"] == TRACKING
    assert a["shipment_carrier"] == "UPS"
    assert a["shipment_tracking_link"] == f"https://www.ups.com/track?tracknum={TRACKING}"
    assert a["note"] == "Left at the door"
    assert a["dispatched_at"].startswith("2021-05-03")

    events = [e for e in shipline.events() if e["type"] == "shipment-tracking-updated"]
    assert len(events) == 1
    assert events[0]["payload"]["carrierTrackingNumber"] == TRACKING
    assert events[0]["payload"]["sendEmail"] is True
    files = shipline.wait_eml(2)
    assert len(files) == 2, files
    texts = [shipline.read_eml(f).get_body(preferencelist=("plain",)).get_content() for f in files]
    assert any(TRACKING in t for t in texts), texts

    # Only what is given changes: the note alone keeps number, carrier and link.
    r = shipline.request("PUT", f"{shipments_path(inv)}/{sid}",
                         body={"data": {"type": "shipments", "attributes": {"note": "x"}}})
    assert r.status == 200
    a = r.body["data"]["attributes"]
    assert (a["shipment_tracking_number"], a["shipment_carrier"], a["note"]) == (
        TRACKING, "UPS", "x")
    assert a["shipment_tracking_link"] == f"https://www.ups.com/track?tracknum={TRACKING}"


def test_update_does_not_email_when_the_store_says_no(shipline):
    r = shipline.request("PUT", "/api/v1/stores/quiet", body={"sendShippingConfirmation": False})
    assert r.status == 200, r.body
    inv, lines = invoice(shipline, store="quiet")
    sid = post(shipline, inv, new_shipment([(lines["BIKE"], 1)])).body["data"]["id"]
    r = shipline.request("PUT", f"{shipments_path(inv)}/{sid}",
                         body={"data": {"type": "shipments", "attributes": {"note": "n"}}})
    assert r.status == 200
    events = [e for e in shipline.events()
              if e["type"] in ("order-shipment-shipped", "shipment-tracking-updated")]
    assert [e["payload"]["sendEmail"] for e in events] == [False, False]
    # A later email in another store proves the worker went past both events.
    inv2, lines2 = invoice(shipline, "500002")
    post(shipline, inv2, new_shipment([(lines2["BIKE"], 1)]))
    assert wait_until(lambda: len(shipline.eml_files()) >= 1, 20)
    assert len(shipline.eml_files()) == 1


# -- errors -----------------------------------------------------------------------

def test_unknown_invoice_and_shipment_are_404(shipline):
    inv, lines = invoice(shipline)
    for path in ("/api/v2/client/invoices/999999/shipments",
                 "/api/v2/client/invoices/abc/shipments",
                 "/api/v2/client/invoices/999999",
                 f"{shipments_path(inv)}/999999",
                 f"{shipments_path(inv)}/x"):
        assert_errors(shipline.request("GET", path), 404)
    assert_errors(post(shipline, 999999, new_shipment([(lines["BIKE"], 1)])), 404)
    put = shipline.request("PUT", f"{shipments_path(inv)}/999999",
                           body={"data": {"type": "shipments", "attributes": {"note": "n"}}})
    assert_errors(put, 404)


# -- the shipment's own address and its dispatched_at as the client wrote it ----

def test_links_self_is_served_and_is_the_same_shipment(shipline):
    inv, lines = invoice(shipline)
    created = post(shipline, inv, new_shipment([(lines["BIKE"], 1)]))
    assert created.status == 201, created.body
    sid = created.body["data"]["id"]
    link = created.body["links"]["self"]
    assert link.endswith(f"/api/v2/client/shipments/{sid}")
    followed = shipline.request("GET", link.split(str(shipline.port), 1)[1])
    assert followed.status == 200, followed.body
    assert followed.body == created.body
    assert followed.body == shipline.request("GET", f"{shipments_path(inv)}/{sid}").body
    for missing in ("999999", "x", "0"):
        assert_errors(shipline.request("GET", f"/api/v2/client/shipments/{missing}"), 404)
    # Another tenant's key does not see it by its id either.
    other = shipline.create_key("tenant-b", "b")
    assert_errors(shipline.request("GET", f"/api/v2/client/shipments/{sid}", key=other), 404)


def test_dispatched_at_keeps_the_clients_offset(shipline):
    inv, lines = invoice(shipline)
    r = post(shipline, inv, new_shipment([(lines["BIKE"], 1)],
                                         dispatched_at="2018-07-03T00:00:00.000+10:00"))
    assert r.status == 201, r.body
    assert r.body["data"]["attributes"]["dispatched_at"] == "2018-07-03T00:00:00.000+10:00"
    sid = r.body["data"]["id"]
    shown = shipline.request("GET", f"/api/v2/client/shipments/{sid}").body
    assert shown["data"]["attributes"]["dispatched_at"] == "2018-07-03T00:00:00.000+10:00"
    (listed,) = shipline.request("GET", shipments_path(inv)).body["data"]
    assert listed["attributes"]["dispatched_at"] == "2018-07-03T00:00:00.000+10:00"
    # A negative offset, written without the colon, comes back in the same offset.
    put = shipline.request("PUT", f"{shipments_path(inv)}/{sid}", body={"data": {
        "type": "shipments", "attributes": {"dispatched_at": "2021-05-03T17:30:00-0430"}}})
    assert put.status == 200, put.body
    assert put.body["data"]["attributes"]["dispatched_at"] == "2021-05-03T17:30:00.000-04:30"


def test_a_date_stays_a_date_in_the_list(shipline):
    inv, lines = invoice(shipline)
    r = post(shipline, inv, new_shipment([(lines["BIKE"], 1)]))
    assert r.status == 201, r.body
    sid = r.body["data"]["id"]
    put = shipline.request("PUT", f"{shipments_path(inv)}/{sid}", body={"data": {
        "type": "shipments", "attributes": {"dispatched_at": "2021-05-03"}}})
    assert put.status == 200, put.body
    # The list answers the date as the client sent it, as the contract's
    # list example shows; the shown document gives it as a time.
    (listed,) = shipline.request("GET", shipments_path(inv)).body["data"]
    assert listed["attributes"]["dispatched_at"] == "2021-05-03"
    assert put.body["data"]["attributes"]["dispatched_at"] == "2021-05-03T00:00:00.000+00:00"


def test_another_tenants_invoice_is_404(shipline):
    inv, lines = invoice(shipline)
    other = shipline.create_key("tenant-b", "b")
    assert_errors(shipline.request("GET", shipments_path(inv), key=other), 404)
    assert_errors(post(shipline, inv, new_shipment([(lines["BIKE"], 1)]), key=other), 404)
    assert shipline.request("GET", shipments_path(inv)).body["data"] == []


@pytest.mark.parametrize("document,status,pointer", [
    ({"data": []}, 400, "/data"),
    ({"meta": {}}, 400, "/data"),
    ({"data": {"type": "invoices", "attributes": {}}}, 409, "/data/type"),
    ({"data": {"type": "shipments"}}, 400, "/data/attributes"),
    ({"data": {"type": "shipments", "attributes": {}}}, 422, "/data/attributes/shipped_items"),
    ({"data": {"type": "shipments", "attributes": {"shipped_items": []}}}, 422,
     "/data/attributes/shipped_items"),
    ({"data": {"type": "shipments", "attributes": {"shipped_items": "all"}}}, 400,
     "/data/attributes/shipped_items"),
    ({"data": {"type": "shipments", "attributes": {"shipment_carrier": 7, "shipped_items": [
        {"line_item_id": "LINE", "quantity": 1}]}}}, 400, "/data/attributes/shipment_carrier"),
], ids=["data-array", "no-data", "wrong-type", "no-attributes", "no-items", "empty-items",
        "items-not-array", "carrier-not-string"])
def test_malformed_documents(shipline, document, status, pointer):
    inv, _ = invoice(shipline)
    assert_errors(post(shipline, inv, document), status, pointer)
    assert shipline.request("GET", shipments_path(inv)).body["data"] == []


def test_unprocessable_items_and_dates_are_422(shipline):
    inv, lines = invoice(shipline)
    other_inv, other_lines = invoice(shipline, "500002")
    cases = [
        (new_shipment([(999999, 1)]), "/data/attributes/shipped_items/0/line_item_id"),
        # A line item of another invoice is not one of this invoice's.
        (new_shipment([(other_lines["BIKE"], 1)]), "/data/attributes/shipped_items/0/line_item_id"),
        (new_shipment([(lines["BIKE"], 0)]), "/data/attributes/shipped_items/0/quantity"),
        (new_shipment([(lines["BIKE"], 1)], dispatched_at="13/05/2021"),
         "/data/attributes/dispatched_at"),
    ]
    for document, pointer in cases:
        assert_errors(post(shipline, inv, document), 422, pointer)
    assert shipline.request("GET", shipments_path(inv)).body["data"] == []


def test_non_json_body_is_400(shipline):
    inv, _ = invoice(shipline)
    r = shipline.request("POST", shipments_path(inv), raw=b"{oops",
                         headers={"Content-Type": MEDIA})
    assert_errors(r, 400)


def test_put_with_another_id_is_409(shipline):
    inv, lines = invoice(shipline)
    sid = post(shipline, inv, new_shipment([(lines["BIKE"], 1)])).body["data"]["id"]
    r = shipline.request("PUT", f"{shipments_path(inv)}/{sid}",
                         body={"data": {"type": "shipments", "id": sid + 1,
                                        "attributes": {"note": "n"}}})
    assert_errors(r, 409, "/data/id")


def test_missing_key_is_401_json_api(shipline):
    inv, lines = invoice(shipline)
    assert_errors(shipline.request("GET", shipments_path(inv), key=None), 401)
    assert_errors(post(shipline, inv, new_shipment([(lines["BIKE"], 1)]), key=None), 401)


def test_failed_capture_is_422_and_leaves_nothing_shipped(make_shipline, payment_server):
    payment_server.set_mode("decline")
    s = make_shipline(extra_args=http_payment_args(payment_server))
    inv, lines = invoice(s)
    assert_errors(post(s, inv, new_shipment([(lines["BIKE"], 1)])), 422)
    assert s.request("GET", shipments_path(inv)).body["data"] == []
    assert invoice_status(s, inv) == "Paid"
    # The failed shipment was cancelled, so its items can ship again.
    payment_server.set_mode("ok")
    assert post(s, inv, new_shipment([(lines["BIKE"], 1)])).status == 201
    assert invoice_status(s, inv) == "Partially Sent"
