"""The order API's complete shipment (seed 001): POST and PUT /api/order/shipment,
every answer and status, XML answers, the sendEmail x store setting decision,
internal comments, and the once-only guarantees of every completion."""

import threading
import xml.etree.ElementTree as ET

import pytest

from conftest import TRACKING, http_payment_args, order_body, wait_until

PATH = "/api/order/shipment"

# The seed's request example.
SEED_BODY = {
    "order": "83651",
    "shipment": "83651-1",
    "carrier": "Fedex",
    "service": "Express",
    "packages": 1,
    "tracking": "TRTTET5",
    "returnSlipTracking": "TRTTET6",
    "capture": 1,
}


def seed_order(number="83651", status="RELEASED", store="main", **kw):
    return order_body(number, status=status, store=store, **kw)


def put(s, body, method="PUT", **kw):
    return s.request(method, PATH, body=body, **kw)


def assert_no(r, status, msg, order=None, shipment=None):
    assert r.status == status, (r.status, r.body)
    assert r.body["status"] == "no", r.body
    assert r.body["msg"] == msg, r.body
    if order is not None:
        assert r.body["order"] == order, r.body
    if shipment is not None:
        assert r.body["shipment"] == shipment, r.body


# -- success ----------------------------------------------------------------

def test_seed_example_completes_and_records_every_field(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, SEED_BODY)
    assert r.status == 200, r.body
    assert "application/json" in r.headers.get("Content-Type", "")
    warnings = r.body.pop("warnings")
    assert r.body == {"status": "ok", "order": 83651, "shipment": "83651-1"}
    # TRTTET5 is no FedEx number: the completion stands, with a warning.
    assert len(warnings) == 1 and "TRTTET5" in warnings[0], warnings

    s = shipline.shipment("83651-1")
    assert s["status"] == "SHIPPED"
    assert s["carrier"] == "FedEx"  # matched ignoring case
    assert s["carrierCode"] == "fedex"
    assert s["service"] == "Express"
    assert s["packages"] == 1
    assert s["carrierTrackingNumber"] == "TRTTET5"
    assert s["returnTrackingNumber"] == "TRTTET6"
    assert s["trackingUrl"] == "https://www.fedex.com/fedextrack/?trknbr=TRTTET5"
    order = shipline.request("GET", "/api/v1/orders/83651").body
    assert order["payment"]["amountCaptured"] == "21.00"
    assert order["shippingState"] == "shipped"

    shipped = shipline.shipped_events()
    assert len(shipped) == 1
    p = shipped[0]["payload"]
    assert (p["carrier"], p["carrierCode"], p["service"], p["packages"]) == (
        "FedEx", "fedex", "Express", 1)
    assert p["returnTrackingNumber"] == "TRTTET6"
    assert p["sendEmail"] is True


def test_post_completes_like_put(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, {"order": 83651, "shipment": "83651-1", "tracking": TRACKING}, method="POST")
    assert r.status == 200, r.body
    assert r.body == {"status": "ok", "order": 83651, "shipment": "83651-1"}


def test_valid_number_without_carrier_records_the_recognised_carrier(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, {"order": "83651", "shipment": "83651-1", "tracking": TRACKING})
    assert r.status == 200, r.body
    assert "warnings" not in r.body
    s = shipline.shipment("83651-1")
    assert (s["carrier"], s["carrierCode"]) == ("UPS", "ups")
    assert s["trackingUrl"] == f"https://www.ups.com/track?tracknum={TRACKING}"


def test_valid_number_for_the_named_carrier_has_no_warning(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, {"order": "83651", "shipment": "83651-1", "carrier": "UPS",
                       "tracking": TRACKING})
    assert r.status == 200, r.body
    assert "warnings" not in r.body, r.body


def test_unknown_carrier_is_kept_as_written_without_link(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, {"order": "83651", "shipment": "83651-1", "carrier": "Bob's Bikes",
                       "tracking": "BB-1"})
    assert r.status == 200, r.body
    assert "warnings" not in r.body
    s = shipline.shipment("83651-1")
    assert s["carrier"] == "Bob's Bikes"
    assert s["carrierCode"] is None and s["trackingUrl"] is None


def test_order_number_that_is_not_a_number_is_echoed_as_a_string(shipline):
    shipline.create_order(seed_order("WEB-7"))
    r = put(shipline, {"order": "WEB-7", "shipment": "WEB-7-1"})
    assert r.status == 200, r.body
    assert r.body == {"status": "ok", "order": "WEB-7", "shipment": "WEB-7-1"}


def test_form_encoded_body(shipline):
    shipline.create_order(seed_order())
    r = shipline.request("PUT", PATH, raw="order=83651&shipment=83651-1&carrier=UPS&tracking="
                         + TRACKING + "&packages=2&capture=1&internalComment=via+form",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 200, r.body
    assert r.body["status"] == "ok"
    s = shipline.shipment("83651-1")
    assert s["packages"] == 2 and s["internalComment"] == "via form"


def test_form_text_that_is_not_utf8_is_refused_and_changes_nothing(shipline):
    shipline.create_order(seed_order())
    form = "order=83651&shipment=83651-1&carrier=UPS&tracking=" + TRACKING
    for bad in ["&internalComment=hi%C0%AF%FE", "&internalComment=%ED%A0%80", "&%FF=1"]:
        r = shipline.request("PUT", PATH, raw=form + bad,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 400, (bad, r.status, r.raw)
        assert r.body["status"] == "no" and "UTF-8" in r.body["msg"], r.body
        r.raw.decode("utf-8")  # the refusal itself is clean text
    assert shipline.shipment("83651-1")["status"] == "RELEASED"


def test_xml_answer_holds_only_characters_xml_allows(shipline):
    shipline.create_order(seed_order("AB2"))
    r = shipline.request("PUT", PATH + "?xml=1", raw="order=AB2&shipment=x%EF%BF%BFy%07z&xml=1",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status == 404, r.raw
    root = ET.fromstring(r.raw)  # a strict XML parser reads it
    assert root.findtext("shipment") == "x\ufffdy\ufffdz"


# -- capture ----------------------------------------------------------------

def test_capture_false_completes_without_capturing(make_shipline, payment_server):
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(seed_order())
    r = put(s, {"order": "83651", "shipment": "83651-1", "capture": False})
    assert r.status == 200, r.body
    assert payment_server.captured() == []
    assert s.shipment("83651-1")["status"] == "SHIPPED"
    assert s.request("GET", "/api/v1/orders/83651").body["payment"]["amountCaptured"] == "0.00"


def test_capture_failed_changes_nothing(make_shipline, payment_server):
    payment_server.set_mode("decline")
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(seed_order())
    r = put(s, dict(SEED_BODY, internalComment="should not stick"))
    assert_no(r, 402, "capture failed", 83651, "83651-1")
    sh = s.shipment("83651-1")
    assert sh["status"] == "RELEASED"
    assert sh["internalComment"] is None and sh["carrierTrackingNumber"] is None
    assert s.shipped_events() == []

    payment_server.set_mode("ok")
    r = put(s, SEED_BODY)
    assert r.status == 200, r.body
    keys = [c["headers"].get("idempotency-key") for c in payment_server.captured()]
    assert len(keys) == 2 and keys[0] == keys[1], keys


def test_concurrent_completions_capture_and_publish_once(make_shipline, payment_server):
    payment_server.set_mode("delay", delay=0.3)
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(seed_order())
    s.key
    barrier = threading.Barrier(10)
    results = []
    lock = threading.Lock()

    def worker():
        barrier.wait(timeout=30)
        r = put(s, SEED_BODY)
        with lock:
            results.append((r.status, r.body))

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    oks = [b for st, b in results if st == 200]
    assert len(oks) == 1, results
    for st, b in results:
        if st != 200:
            assert st == 409 and b["status"] == "no", (st, b)
    assert len(payment_server.captured()) == 1
    assert len(s.shipped_events()) == 1


# -- refusals ---------------------------------------------------------------

def test_already_completed(shipline):
    shipline.create_order(seed_order())
    assert put(shipline, SEED_BODY).status == 200
    assert_no(put(shipline, SEED_BODY), 409, "already completed", 83651, "83651-1")
    assert len(shipline.shipped_events()) == 1


def test_not_good_to_go(shipline):
    shipline.create_order(seed_order(status="PENDING"))
    # A pending shipment is not good to go unless the client says it is.
    assert_no(put(shipline, {"order": "83651", "shipment": "83651-1"}), 400, "not good-to-go",
              83651, "83651-1")
    assert_no(put(shipline, {"order": "83651", "shipment": "83651-1", "gtg": False}), 400,
              "not good-to-go")
    assert shipline.shipment("83651-1")["status"] == "PENDING"

    r = put(shipline, {"order": "83651", "shipment": "83651-1", "gtg": True, "shipped": True})
    assert r.status == 200, r.body
    hist = [h["status"] for h in shipline.shipment("83651-1")["statusHistory"]]
    assert hist == ["PENDING", "RELEASED", "SHIPPED"]


def test_gtg_false_refuses_even_a_released_shipment(shipline):
    shipline.create_order(seed_order())
    assert_no(put(shipline, {"order": "83651", "shipment": "83651-1", "gtg": 0}), 400,
              "not good-to-go")
    assert shipline.shipment("83651-1")["status"] == "RELEASED"


def test_not_shipped(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, {"order": "83651", "shipment": "83651-1", "gtg": True, "shipped": False})
    assert_no(r, 400, "not shipped", 83651, "83651-1")
    assert shipline.shipment("83651-1")["status"] == "RELEASED"
    assert shipline.shipped_events() == []


def test_unknown_shipment(shipline):
    shipline.create_order(seed_order())
    shipline.create_order(seed_order("83652"))
    assert_no(put(shipline, {"order": "83651", "shipment": "83651-9"}), 404, "unknown shipment",
              83651, "83651-9")
    # A shipment of another order is unknown in this one.
    assert_no(put(shipline, {"order": "83651", "shipment": "83652-1"}), 404, "unknown shipment")
    other = shipline.create_key("other-tenant", "o")
    assert_no(put(shipline, {"order": "83651", "shipment": "83651-1"}, key=other), 404,
              "unknown shipment")
    assert shipline.shipment("83652-1")["status"] == "RELEASED"


@pytest.mark.parametrize("body", [
    {"shipment": "83651-1"},
    {"order": "83651"},
    {"order": "", "shipment": "83651-1"},
    {"order": "83651", "shipment": "83651-1", "packages": "many"},
    {"order": "83651", "shipment": "83651-1", "capture": "perhaps"},
])
def test_bad_input_is_400_no(shipline, body):
    shipline.create_order(seed_order())
    r = put(shipline, body)
    assert r.status == 400, r.body
    assert r.body["status"] == "no" and r.body["msg"], r.body
    assert shipline.shipment("83651-1")["status"] == "RELEASED"


def test_non_json_body_is_400_no(shipline):
    r = shipline.request("PUT", PATH, raw=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status == 400, r.body
    assert r.body["status"] == "no"


def test_missing_key_is_401_in_the_contract_shape(shipline):
    r = put(shipline, SEED_BODY, key=None)
    assert r.status == 401, r.body
    assert r.body["status"] == "no" and r.body["msg"], r.body


# -- XML --------------------------------------------------------------------

def test_xml_answer_parses(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, dict(SEED_BODY, carrier="UPS", tracking=TRACKING, xml=True))
    assert r.status == 200, r.raw
    assert "xml" in r.headers.get("Content-Type", "")
    root = ET.fromstring(r.raw)
    assert root.tag == "response"
    assert root.findtext("status") == "ok"
    assert root.findtext("order") == "83651"
    assert root.findtext("shipment") == "83651-1"
    assert root.find("msg") is None

    again = put(shipline, dict(SEED_BODY, xml=1))
    assert again.status == 409
    root = ET.fromstring(again.raw)
    assert (root.findtext("status"), root.findtext("msg")) == ("no", "already completed")


def test_xml_through_the_query_and_escaping(shipline):
    shipline.create_order(seed_order("AB1"))
    r = shipline.request("PUT", PATH + "?xml=1", body={"order": "AB1", "shipment": "<&>"})
    assert r.status == 404
    root = ET.fromstring(r.raw)
    assert root.findtext("shipment") == "<&>"
    assert root.findtext("msg") == "unknown shipment"


def test_xml_warning_is_listed(shipline):
    shipline.create_order(seed_order())
    r = put(shipline, dict(SEED_BODY, xml=True))
    root = ET.fromstring(r.raw)
    warnings = [w.text for w in root.iter("warning")]
    assert len(warnings) == 1 and "TRTTET5" in warnings[0]


# -- email: the store setting and sendEmail -----------------------------------

def set_store(s, store, **settings):
    r = s.request("PUT", f"/api/v1/stores/{store}", body=settings)
    assert r.status == 200, r.body
    return r.body


@pytest.mark.parametrize("setting", [True, False], ids=["store-sends", "store-silent"])
@pytest.mark.parametrize("send_email", [None, True, False], ids=["absent", "true", "false"])
def test_send_email_and_store_setting(shipline, setting, send_email):
    set_store(shipline, "main", sendShippingConfirmation=setting)
    shipline.create_order(seed_order("83651", email_addr="subject@example.com"))
    # A sentinel in a store that always mails: once its email exists, the
    # email worker has passed the first event.
    shipline.create_order(seed_order("90001", store="sentinel", email_addr="sentinel@example.com"))
    body = {"order": "83651", "shipment": "83651-1", "tracking": TRACKING}
    if send_email is not None:
        body["sendEmail"] = send_email
    assert put(shipline, body).status == 200
    assert put(shipline, {"order": "90001", "shipment": "90001-1"}).status == 200

    expected = setting if send_email is None else send_email

    def recipients():
        return [str(shipline.read_eml(p)["To"]) for p in shipline.eml_files()]

    assert wait_until(lambda: any("sentinel@" in r for r in recipients()), 20), recipients()
    got = recipients()
    assert sum("subject@" in r for r in got) == (1 if expected else 0), got
    event = [e for e in shipline.shipped_events() if e["subject"] == "83651-1"][0]
    assert event["payload"]["sendEmail"] is expected


# -- internal comments --------------------------------------------------------

def test_internal_comment_is_appended_never_replaced(shipline):
    body = seed_order(shipments=[
        {"shipmentNumber": "83651-1", "status": "RELEASED", "internalComment": "Picked by Ann",
         "items": [{"sku": "A", "quantity": 1}]},
        {"shipmentNumber": "83651-2", "status": "RELEASED", "internalComment": "Fragile",
         "items": [{"sku": "A", "quantity": 1}]},
    ])
    shipline.create_order(body)
    r = put(shipline, {"order": "83651", "shipment": "83651-1", "internalComment": "Packed by Bob"})
    assert r.status == 200, r.body
    assert shipline.shipment("83651-1")["internalComment"] == "Picked by Ann\nPacked by Bob"

    # A repeat of the same call is refused and appends nothing.
    again = put(shipline, {"order": "83651", "shipment": "83651-1",
                           "internalComment": "Packed by Bob"})
    assert again.status == 409
    assert shipline.shipment("83651-1")["internalComment"] == "Picked by Ann\nPacked by Bob"

    # The same text as the shipment already holds is still appended.
    r = put(shipline, {"order": "83651", "shipment": "83651-2", "internalComment": "Fragile"})
    assert r.status == 200, r.body
    assert shipline.shipment("83651-2")["internalComment"] == "Fragile\nFragile"

    # The internal comment is for staff: it is not in the customer's event.
    for event in shipline.shipped_events():
        assert "Packed by Bob" not in str(event["payload"])
