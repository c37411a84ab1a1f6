"""Idempotency keys on every write (issue 15): a repeat of a request with the
same Idempotency-Key gets the first answer again, byte for byte, with
Idempotent-Replayed: true, and changes nothing; a key reused for another
request is 422, one still being processed 409, both in the contract's shape;
keys belong to their tenant; server faults are not stored; a bad key is 400;
a kill -9 between the change and the answer doubles nothing."""

import threading
import uuid

import pytest

from conftest import (COMPLETE_PATH, TEST_DATABASE_URL, TRACKING, create_test_database,
                      drop_test_database, error_only, http_payment_args, order_body, wait_until)
from test_secrets_at_rest import dump, raw_files
from test_marketplace import MEDIA, invoice, new_shipment, shipments_path
from test_shipping_orders import BASE as SHIPPING_ORDERS
from test_shipping_orders import ALLOW_PRIVATE, CHEAP, location, provider
from test_shipping_orders import order_body as shipping_order_body
from test_threepl_inbound import connect, notification
from test_threepl_inbound import PATH as THREEPL_PATH
from test_threepl_inbound import basic

REPLAYED = "Idempotent-Replayed"


def new_key():
    return f"key-{uuid.uuid4()}"


def send(s, method, path, body=None, idem=None, headers=None, **kw):
    """A request with Idempotency-Key `idem` (none when None); `kw` goes to
    Shipline.request (key= is the API key there)."""
    hdrs = dict(headers or {})
    if idem is not None:
        hdrs["Idempotency-Key"] = idem
    return s.request(method, path, body=body, headers=hdrs, **kw)


def assert_replay(first, again):
    """`again` is `first` replayed: the same status, body bytes and headers
    that matter, marked as a replay."""
    assert first.headers.get(REPLAYED) is None, first.headers
    assert again.headers.get(REPLAYED) == "true", (again.status, again.body)
    assert again.status == first.status, (first.status, again.status, again.body)
    assert again.raw == first.raw
    assert again.headers.get("Content-Type") == first.headers.get("Content-Type")
    assert again.headers.get("Location") == first.headers.get("Location")


def twice(s, method, path, body=None, headers=None, **kw):
    """Sends one request twice under one new key; asserts the second is the
    first replayed; returns the first."""
    key = new_key()
    first = send(s, method, path, body, idem=key, headers=headers, **kw)
    again = send(s, method, path, body, idem=key, headers=headers, **kw)
    assert_replay(first, again)
    return first


# -- every contract replays ---------------------------------------------------

def test_native_order_creation_is_replayed_and_not_repeated(shipline):
    first = twice(shipline, "POST", "/api/v1/orders", order_body("100001"))
    assert first.status == 201, first.body
    # Without the key, the same body is a taken order number: only one exists.
    assert shipline.request("POST", "/api/v1/orders", body=order_body("100001")).status == 409
    listed = shipline.request("GET", "/api/v1/orders")
    assert [o["orderNumber"] for o in listed.body["orders"]] == ["100001"], listed.body


def test_a_replayed_completion_captures_publishes_and_mails_once(make_shipline, payment_server):
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("100001"))
    body = {"shipmentNumber": "100001-1", "carrierTrackingNumber": TRACKING}
    first = twice(s, "POST", COMPLETE_PATH, body)
    assert first.status == 200, first.body
    assert send(s, "POST", COMPLETE_PATH, body, idem=None).status == 409  # no key: done already
    assert len(payment_server.captured()) == 1
    assert len(s.shipped_events()) == 1
    assert len(s.wait_eml(1)) == 1
    assert s.shipment("100001-1")["status"] == "SHIPPED"


def test_order_api_completion_is_replayed(shipline):
    shipline.create_order(order_body("83651"))
    body = {"order": "83651", "shipment": "83651-1", "carrier": "Fedex", "tracking": TRACKING,
            "capture": 1}
    first = twice(shipline, "PUT", "/api/order/shipment", body)
    assert first.status == 200 and first.body["status"] == "ok", first.body
    assert len(shipline.shipped_events()) == 1


def test_marketplace_shipment_is_replayed_with_its_location(shipline):
    inv, lines = invoice(shipline)
    document = new_shipment([(lines["BIKE"], 1)])
    first = twice(shipline, "POST", shipments_path(inv), document,
                  headers={"Content-Type": MEDIA})
    assert first.status == 201, first.body
    assert first.headers.get("Location"), first.headers
    listed = shipline.request("GET", shipments_path(inv))
    assert len(listed.body["data"]) == 1, listed.body


def test_threepl_notification_is_replayed(shipline):
    shipline.create_order(order_body("100001"))
    conn = connect(shipline)
    first = twice(shipline, "POST", THREEPL_PATH, notification("100001"), key=None,
                  headers=basic(conn["username"], conn["password"]))
    assert first.status == 200 and first.body["status"] == "applied", first.body
    assert len(shipline.shipped_events()) == 1


def test_shipping_order_creation_is_replayed(make_shipline):
    s = make_shipline(extra_args=ALLOW_PRIVATE)
    provider(s, "cheap", CHEAP, name="CheapCo")
    location(s, "7709", ["cheap"])
    first = twice(s, "POST", SHIPPING_ORDERS, shipping_order_body("so-1"))
    assert first.status == 201, first.body
    # A second creation without the key is a duplicate: one order exists.
    again = s.request("POST", SHIPPING_ORDERS, body=shipping_order_body("so-1"))
    assert again.status == 422 and again.body["type"] == "DUPLICATE_ID", again.body


def test_admin_writes_are_replayed_too_and_their_secrets_are_sealed(shipline):
    """An API key is created once: a repeat cannot make a second secret. The
    stored answer holds the secret, sealed with the master key like any other."""
    first = twice(shipline, "POST", "/api/v1/api-keys", {"name": "ci", "scopes": ["read"]})
    assert first.status == 201, first.body
    keys = shipline.request("GET", "/api/v1/api-keys").body["apiKeys"]
    assert [k["name"] for k in keys].count("ci") == 1, keys
    secret = first.body["key"]
    assert secret not in dump(shipline)
    assert secret.encode() not in raw_files(shipline)


# -- refusals -----------------------------------------------------------------

def test_a_key_reused_for_another_request_is_422_in_each_contracts_shape(make_shipline):
    s = make_shipline(extra_args=ALLOW_PRIVATE)
    key = new_key()
    assert send(s, "POST", "/api/v1/orders", order_body("100001"), idem=key).status == 201
    other_body = send(s, "POST", "/api/v1/orders", order_body("100002"), idem=key)
    assert other_body.status == 422, other_body.body
    assert other_body.body["code"] == "IDEMPOTENCY_KEY_REUSED", other_body.body
    assert "Idempotency-Key" in other_body.body["error"]
    other_path = send(s, "POST", "/api/v1/orders/100001/shipments/100001-1/cancel", idem=key)
    assert other_path.status == 422, other_path.body
    assert s.shipment("100001-1")["status"] == "RELEASED"  # nothing ran
    # Other contracts answer in their own shape.
    shipping = send(s, "POST", SHIPPING_ORDERS, shipping_order_body("so-1"), idem=key)
    assert shipping.status == 422 and shipping.body["type"] == "INVALID_DATA", shipping.body
    completion = send(s, "POST", COMPLETE_PATH, {"shipmentNumber": "100001-1"}, idem=key)
    assert completion.status == 422 and error_only(completion.body), completion.body
    assert s.request("GET", "/api/v1/orders/100002").status == 404


def test_a_repeat_while_the_first_is_in_flight_is_409(make_shipline, payment_server):
    payment_server.set_mode("delay", delay=3.0)
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("100001"))
    s.key
    key = new_key()
    body = {"shipmentNumber": "100001-1", "carrierTrackingNumber": TRACKING}
    results = []
    first = threading.Thread(
        target=lambda: results.append(send(s, "POST", COMPLETE_PATH, body, idem=key)))
    first.start()
    try:
        assert wait_until(lambda: payment_server.captured(), 20.0), "the capture never started"
        during = send(s, "POST", COMPLETE_PATH, body, idem=key)
        assert during.status == 409, during.body
        assert error_only(during.body) and "still being processed" in during.body["error"]
        assert during.headers.get(REPLAYED) is None
    finally:
        first.join(timeout=30)
    assert len(results) == 1 and results[0].status == 200, results
    after = send(s, "POST", COMPLETE_PATH, body, idem=key)
    assert_replay(results[0], after)
    assert len(payment_server.captured()) == 1
    assert len(s.shipped_events()) == 1


def test_two_tenants_use_the_same_key_independently(shipline):
    other = shipline.create_key("other", "other-admin")
    key = new_key()
    mine = send(shipline, "POST", "/api/v1/orders", order_body("100001"), idem=key)
    theirs = shipline.request("POST", "/api/v1/orders", body=order_body("100001"), key=other,
                              headers={"Idempotency-Key": key})
    assert mine.status == 201 and theirs.status == 201, (mine.body, theirs.body)
    assert theirs.headers.get(REPLAYED) is None
    assert theirs.body["id"] != mine.body["id"]
    assert shipline.request("GET", "/api/v1/orders/100001", key=other).status == 200


def test_server_faults_are_not_stored_so_the_client_can_retry(make_shipline, payment_server):
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("100001"))
    key = new_key()
    body = {"shipmentNumber": "100001-1", "carrierTrackingNumber": TRACKING}
    payment_server.set_mode("decline")
    failed = send(s, "POST", COMPLETE_PATH, body, idem=key)
    assert failed.status == 500, failed.body
    payment_server.set_mode("ok")
    retried = send(s, "POST", COMPLETE_PATH, body, idem=key)
    assert retried.status == 200, retried.body
    assert retried.headers.get(REPLAYED) is None
    assert len(s.shipped_events()) == 1


def test_a_bad_key_is_400_naming_the_header_and_changes_nothing(shipline):
    for bad in ["", "x" * 256, "caf\u00e9", "a\x01b"]:
        r = send(shipline, "POST", "/api/v1/orders", order_body("100001"), idem=bad)
        assert r.status == 400, (repr(bad), r.status, r.body)
        assert r.body["code"] == "INVALID_ARGUMENT", (repr(bad), r.body)
        # A control character is refused by the transport already, as any
        # malformed header is; the rest name the header.
        if bad != "a\x01b":
            assert "Idempotency-Key" in r.body["error"], (repr(bad), r.body)
    assert shipline.request("GET", "/api/v1/orders/100001").status == 404
    # The longest key is fine; so is one with inner spaces.
    for good in ["x" * 255, "a b"]:
        r = send(shipline, "POST", "/api/v1/orders", order_body(f"1{len(good)}"), idem=good)
        assert r.status == 201, (good, r.body)
    # The Shipping Order API refuses in its own shape.
    r = send(shipline, "POST", SHIPPING_ORDERS, shipping_order_body("so-1"), idem="x" * 256)
    assert r.status == 400 and r.body["type"] == "VALIDATION_ERROR", r.body


def test_reads_ignore_the_header(shipline):
    shipline.create_order(order_body("100001"))
    r = send(shipline, "GET", "/api/v1/orders/100001", idem="whatever")
    assert r.status == 200 and r.headers.get(REPLAYED) is None


def test_a_kill_between_the_change_and_the_answer_doubles_nothing(make_shipline, payment_server):
    """The completion claims its shipment (marking the key applied in the same
    transaction), then captures slowly; the server dies during the capture.
    After the restart the same key answers 409 (the outcome is unknown, so
    nothing runs again); the shipment is then completed with a new key, and
    every capture request carried the shipment's own idempotency key."""
    payment_server.set_mode("delay", delay=5.0)
    s = make_shipline(extra_args=http_payment_args(payment_server) +
                      ["--idempotency-lease-ms", "1000"])
    s.create_order(order_body("100001"))
    s.key
    key = new_key()
    body = {"shipmentNumber": "100001-1", "carrierTrackingNumber": TRACKING}

    def doomed():
        try:
            send(s, "POST", COMPLETE_PATH, body, idem=key, timeout=20)
        except OSError:
            pass  # the server died under it

    t = threading.Thread(target=doomed)
    t.start()
    assert wait_until(lambda: payment_server.captured(), 20.0), "the capture never started"
    s.kill9()
    t.join(timeout=30)
    payment_server.set_mode("ok")
    s.start()
    # Until the dead request's lease ends (at once on SQLite, whose start ends
    # them; after 1 s here on PostgreSQL) it is still "being processed".
    answers = []

    def lost():
        answers.append(send(s, "POST", COMPLETE_PATH, body, idem=key))
        return "answer was lost" in str(answers[-1].body)

    assert wait_until(lost, 15.0, interval=0.2), answers[-1].body
    assert all(a.status == 409 and error_only(a.body) for a in answers), answers
    if not TEST_DATABASE_URL:
        assert len(answers) == 1, answers
    assert len(s.shipped_events()) == 0
    if TEST_DATABASE_URL:
        return  # another node may hold the shipment's claim until its 60 s lease ends
    done = send(s, "POST", COMPLETE_PATH, body, idem=new_key())
    assert done.status == 200, done.body
    assert len(s.shipped_events()) == 1
    captures = payment_server.captured()
    assert len(captures) == 2, captures
    assert len({c["headers"].get("idempotency-key") for c in captures}) == 1, captures


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (SHIPLINE_TEST_DATABASE_URL)")
def test_a_key_holds_across_nodes(make_shipline, payment_server):
    """Two nodes on one database: a repeat sent to the other node, while the
    first is in flight and after it answered, is refused and then replayed."""
    payment_server.set_mode("delay", delay=3.0)
    database = create_test_database()
    nodes = []
    try:
        first = make_shipline(extra_args=http_payment_args(payment_server), database=database)
        nodes.append(first)
        second = make_shipline(extra_args=http_payment_args(payment_server), database=database)
        nodes.append(second)
        second._key = first.key  # one database: a key works on every node
        first.create_order(order_body("100001"))
        key = new_key()
        body = {"shipmentNumber": "100001-1", "carrierTrackingNumber": TRACKING}
        results = []
        t = threading.Thread(
            target=lambda: results.append(send(first, "POST", COMPLETE_PATH, body, idem=key)))
        t.start()
        try:
            assert wait_until(lambda: payment_server.captured(), 20.0)
            during = send(second, "POST", COMPLETE_PATH, body, idem=key)
            assert during.status == 409, during.body
        finally:
            t.join(timeout=30)
        assert len(results) == 1 and results[0].status == 200, results
        assert_replay(results[0], send(second, "POST", COMPLETE_PATH, body, idem=key))
        assert len(payment_server.captured()) == 1
        assert len(second.shipped_events()) == 1
    finally:
        for node in nodes:
            node.stop(check=False)
        drop_test_database(database)
