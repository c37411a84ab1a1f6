"""Tracking numbers and carriers: `shipline tracking check`, the
GET /api/v1/tracking-numbers/{number} route giving the same object, tracking
links from carrier templates (built-in and a store's own), warnings when a
number fails its carrier's check, and tracking updates through the native API
(event and email again)."""

import json
import urllib.parse

import pytest

from conftest import TRACKING, order_body, run_cli, wait_until

NUMBERS = [
    # number, carrier, format, valid
    ("1Z999AA10123456784", "ups", "ups_1z", True),
    ("1Z999AA10123456785", "ups", "ups_1z", False),
    ("986578788855", "fedex", "fedex_12", True),
    ("9611020987654312345672", "fedex", "fedex_ground_96", True),
    ("9400 1112 0108 0805 4830 16", "usps", "usps_impb", True),
    ("0307 1790 0005 2348 3741", "usps", "usps_20", True),
    ("EE123456785US", "usps", "s10", True),
    ("3318810025", "dhl_express", "dhl_express", True),
    ("NOT-A-NUMBER", None, "unknown", False),
]


def cli_check(*words):
    proc = run_cli("tracking", "check", *words)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().strip().splitlines()
    assert len(lines) == 1, lines
    return json.loads(lines[0])


def http_check(s, number):
    r = s.request("GET", "/api/v1/tracking-numbers/" + urllib.parse.quote(number, safe=""))
    assert r.status == 200, r.body
    return r.body


@pytest.mark.parametrize("number,carrier,fmt,valid", NUMBERS, ids=[n[0] for n in NUMBERS])
def test_cli_recognises_numbers(number, carrier, fmt, valid):
    got = cli_check(number)
    assert set(got) == {"carrier", "format", "valid", "trackingUrl"}, got
    assert (got["carrier"], got["format"], got["valid"]) == (carrier, fmt, valid), got
    if carrier is None:
        assert got["trackingUrl"] is None
    else:
        assert got["trackingUrl"].startswith("https://"), got
        assert number.replace(" ", "") in got["trackingUrl"]


def test_cli_joins_words_and_ignores_spaces():
    assert cli_check("1Z", "999", "AA1", "0123456784") == cli_check("1Z999AA10123456784")
    got = cli_check("1Z999AA10123456784")
    assert got["trackingUrl"] == "https://www.ups.com/track?tracknum=1Z999AA10123456784"


def test_cli_needs_a_number():
    assert run_cli("tracking", "check").returncode != 0


def test_http_answers_what_the_cli_prints(shipline):
    for number, _, _, _ in NUMBERS:
        assert http_check(shipline, number) == cli_check(number), number


def test_http_needs_a_key_and_limits_length(shipline):
    r = shipline.request("GET", "/api/v1/tracking-numbers/" + TRACKING, key=None)
    assert r.status == 401
    r = shipline.request("GET", "/api/v1/tracking-numbers/" + "9" * 200)
    assert r.status == 400 and r.body["code"] == "INVALID_ARGUMENT", r.body


# -- links and carriers on shipments -------------------------------------------

def test_order_created_with_a_carrier_gets_its_link(shipline):
    body = order_body("100001", shipments=[{
        "shipmentNumber": "100001-1", "status": "RELEASED", "carrier": "canadapost",
        "carrierTrackingNumber": "1234567890123452", "service": "Expedited", "packages": 2,
        "items": [{"sku": "A", "quantity": 2}]}])
    shipline.create_order(body)
    s = shipline.shipment("100001-1")
    assert (s["carrier"], s["carrierCode"]) == ("Canada Post", "canada_post")
    assert s["trackingUrl"] == ("https://www.canadapost-postescanada.ca/track-reperage/en#/"
                                "search?searchFor=1234567890123452")
    assert (s["service"], s["packages"]) == ("Expedited", 2)


def test_store_carrier_template_is_used(shipline):
    r = shipline.request("PUT", "/api/v1/stores/main", body={"carriers": [
        {"code": "bike_courier", "name": "Bike Courier", "aliases": ["BC"],
         "trackingUrlTemplate": "https://track.example.com/?n=%s"}]})
    assert r.status == 200, r.body
    shipline.create_order(order_body("100001"))
    r = shipline.request("PUT", "/api/order/shipment",
                         body={"order": "100001", "shipment": "100001-1", "carrier": "bc",
                               "tracking": "AB 12"})
    assert r.status == 200, r.body
    assert "warnings" not in r.body  # shipline knows no format of this carrier
    s = shipline.shipment("100001-1")
    assert (s["carrier"], s["carrierCode"]) == ("Bike Courier", "bike_courier")
    assert s["trackingUrl"] == "https://track.example.com/?n=AB12"

    # Another store of the tenant does not see that carrier.
    shipline.create_order(order_body("100002", store="other"))
    r = shipline.request("PUT", "/api/order/shipment",
                         body={"order": "100002", "shipment": "100002-1", "carrier": "bc"})
    assert r.status == 200
    assert shipline.shipment("100002-1")["carrierCode"] is None


def test_a_store_carrier_can_replace_a_built_in_template(shipline):
    r = shipline.request("PUT", "/api/v1/stores/main", body={"carriers": [
        {"code": "ups", "name": "UPS", "trackingUrlTemplate": "https://ups.example.com/%s"}]})
    assert r.status == 200, r.body
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", TRACKING).status == 200
    assert shipline.shipment("100001-1")["trackingUrl"] == f"https://ups.example.com/{TRACKING}"


# -- tracking updates (native) ----------------------------------------------------

def tracking_path(number):
    return f"/api/v1/shipments/{number}/tracking"


def test_tracking_update_writes_an_event_and_emails_again(shipline):
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", "3318810025").status == 200  # DHL Express
    assert shipline.shipment("100001-1")["carrierCode"] == "dhl_express"
    assert len(shipline.wait_eml(1)) == 1

    r = shipline.request("PUT", tracking_path("100001-1"), body={
        "carrier": "FEDEX", "carrierTrackingNumber": "986578788855",
        "dispatchedAt": "2026-11-20T10:00:00+01:00", "note": "Second box"})
    assert r.status == 200, r.body
    assert r.body["carrier"] == "FedEx"
    assert r.body["trackingUrl"] == "https://www.fedex.com/fedextrack/?trknbr=986578788855"
    assert r.body["dispatchedAt"] == "2026-11-20T09:00:00.000Z"
    assert r.body["note"] == "Second box"
    assert r.body["warnings"] == [] and r.body["sendEmail"] is True
    assert r.body["status"] == "SHIPPED"

    updates = [e for e in shipline.events() if e["type"] == "shipment-tracking-updated"]
    assert len(updates) == 1
    p = updates[0]["payload"]
    assert (p["shipmentNumber"], p["carrier"], p["carrierCode"]) == ("100001-1", "FedEx", "fedex")
    assert p["carrierTrackingNumber"] == "986578788855"
    files = shipline.wait_eml(2)
    assert len(files) == 2
    subjects = sorted(str(shipline.read_eml(f)["Subject"]) for f in files)
    assert any("Tracking update" in s for s in subjects), subjects
    text = [shipline.read_eml(f).get_body(preferencelist=("plain",)).get_content()
            for f in files if "Tracking update" in str(shipline.read_eml(f)["Subject"])][0]
    assert "986578788855" in text and "fedex.com" in text


def test_tracking_update_warns_and_keeps_what_is_not_given(shipline):
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", TRACKING).status == 200
    r = shipline.request("PUT", tracking_path("100001-1"),
                         body={"carrier": "UPS", "carrierTrackingNumber": "1Z999AA10123456785"})
    assert r.status == 200, r.body
    assert len(r.body["warnings"]) == 1 and "1Z999AA10123456785" in r.body["warnings"][0]
    r = shipline.request("PUT", tracking_path("100001-1"),
                         body={"trackingUrl": "https://example.com/x"})
    assert r.status == 200
    assert r.body["carrierTrackingNumber"] == "1Z999AA10123456785"
    assert r.body["trackingUrl"] == "https://example.com/x"
    # A later note alone keeps the supplied link.
    r = shipline.request("PUT", tracking_path("100001-1"), body={"note": "n"})
    assert r.body["trackingUrl"] == "https://example.com/x"


def test_tracking_update_of_a_shipment_not_yet_shipped_mails_nobody(shipline):
    shipline.create_order(order_body("100001"))
    shipline.create_order(order_body("100002"))
    r = shipline.request("PUT", tracking_path("100001-1"), body={"carrierTrackingNumber": TRACKING})
    assert r.status == 200, r.body
    assert r.body["sendEmail"] is False and r.body["status"] == "RELEASED"
    assert shipline.complete("100002-1", TRACKING).status == 200
    assert wait_until(lambda: len(shipline.eml_files()) >= 1, 20)
    assert len(shipline.eml_files()) == 1
    # The number recorded beforehand is kept by a completion that names none.
    assert shipline.complete("100001-1").status == 200
    assert shipline.shipment("100001-1")["carrierTrackingNumber"] == TRACKING


def test_tracking_update_with_send_email_false(shipline):
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", TRACKING).status == 200
    r = shipline.request("PUT", tracking_path("100001-1"), body={"note": "x", "sendEmail": False})
    assert r.status == 200 and r.body["sendEmail"] is False
    shipline.create_order(order_body("100002"))
    assert shipline.complete("100002-1", TRACKING).status == 200
    assert wait_until(lambda: len(shipline.eml_files()) >= 2, 20)
    assert len(shipline.eml_files()) == 2  # the two completions, not the update


@pytest.mark.parametrize("body,field", [
    ({"trackingUrl": "javascript:alert(1)"}, "trackingUrl"),
    ({"dispatchedAt": "yesterday"}, "dispatchedAt"),
    ({"carrier": "x" * 200}, "carrier"),
    ({"note": 5}, "note"),
])
def test_tracking_update_bad_input(shipline, body, field):
    shipline.create_order(order_body("100001"))
    r = shipline.request("PUT", tracking_path("100001-1"), body=body)
    assert r.status == 400, r.body
    assert r.body["field"] == field, r.body
    assert [e for e in shipline.events() if e["type"] == "shipment-tracking-updated"] == []


def test_tracking_update_of_unknown_shipment_is_404(shipline):
    r = shipline.request("PUT", tracking_path("nope-1"), body={"note": "x"})
    assert r.status == 404, r.body
