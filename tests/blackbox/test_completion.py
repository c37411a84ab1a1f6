"""The shipment completion contract (seed 000): every status code and body,
payment capture through the http provider, and exactly-once under concurrency."""

import datetime
import json
import re
import signal
import threading
import time

import pytest

from conftest import (API_DOCS_PATH, COMPLETE_PATH, TRACKING, error_only, free_port,
                      http_payment_args, order_body, wait_until)


def parse_iso(text):
    assert isinstance(text, str) and text, text
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


# -- success ----------------------------------------------------------------

def test_complete_returns_exactly_the_four_fields(shipline):
    shipline.create_order(order_body("100001"))
    r = shipline.complete("100001-1", TRACKING)
    assert r.status == 200, r.body
    assert r.body == {
        "shipmentNumber": "100001-1",
        "orderNumber": "100001",
        "status": "SHIPPED",
        "message": "Shipment completed successfully.",
    }
    assert "application/json" in (r.headers.get("Content-Type") or "")
    assert r.headers.get("X-Request-Id")


def test_complete_records_tracking_and_history(shipline):
    shipline.create_order(order_body("100001"))
    before = shipline.shipment("100001-1")
    assert before["status"] == "RELEASED"
    assert before["carrierTrackingNumber"] is None
    assert before["shippedAt"] is None

    r = shipline.complete("100001-1", TRACKING)
    assert r.status == 200, r.body

    after = shipline.shipment("100001-1")
    assert after["status"] == "SHIPPED"
    assert after["carrierTrackingNumber"] == TRACKING
    parse_iso(after["shippedAt"])
    history = after["statusHistory"]
    assert [h["status"] for h in history] == ["RELEASED", "SHIPPED"]
    assert history[-1]["by"] == shipline.key_name
    for h in history:
        parse_iso(h["at"])
    assert parse_iso(history[0]["at"]) <= parse_iso(history[1]["at"])

    order = shipline.request("GET", "/api/v1/orders/100001").body
    assert order["shippingState"] == "shipped"
    assert order["payment"]["amountCaptured"] == "21.00"


def test_complete_without_tracking_number(shipline):
    shipline.create_order(order_body("100002"))
    r = shipline.request("POST", COMPLETE_PATH, body={"shipmentNumber": "100002-1"})
    assert r.status == 200, r.body
    assert r.body["status"] == "SHIPPED"
    s = shipline.shipment("100002-1")
    assert s["status"] == "SHIPPED"
    assert s["carrierTrackingNumber"] is None


def test_complete_writes_one_shipped_event(shipline):
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", TRACKING).status == 200
    events = shipline.shipped_events()
    assert len(events) == 1
    e = events[0]
    assert e["topic"] == "VirtualTopic.ep.orders"
    assert isinstance(e["id"], int)
    parse_iso(e["createdAt"])
    p = e["payload"]
    assert isinstance(p, dict)
    assert p["orderNumber"] == "100001"
    assert p["shipmentNumber"] == "100001-1"
    assert p["carrierTrackingNumber"] == TRACKING
    assert [(i["sku"], i["quantity"]) for i in p["items"]] == [("A", 2)]


def test_complete_sends_one_email_file(shipline):
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", TRACKING).status == 200
    files = shipline.wait_eml(1, timeout=20)
    assert len(files) == 1, f"no email file in {shipline.mail_dir}"
    msg = shipline.read_eml(files[0])
    assert "ada@example.com" in str(msg["To"])
    text = msg.get_body(preferencelist=("plain", "html")).get_content()
    for needle in ("100001", "100001-1", TRACKING):
        assert needle in text


# -- errors -----------------------------------------------------------------

@pytest.mark.parametrize("body", [
    {},
    {"carrierTrackingNumber": TRACKING},
    {"shipmentNumber": ""},
    {"shipmentNumber": "   "},
    {"shipmentNumber": None},
])
def test_missing_or_blank_shipment_number_is_400(shipline, body):
    r = shipline.request("POST", COMPLETE_PATH, body=body)
    assert r.status == 400, r.body
    assert error_only(r.body), r.body


@pytest.mark.parametrize("raw", [b"not json", b"{\"shipmentNumber\": ", b"", b"\xff\xfe"])
def test_non_json_body_is_400(shipline, raw):
    r = shipline.request("POST", COMPLETE_PATH, raw=raw,
                         headers={"Content-Type": "application/json"})
    assert r.status == 400, r.body
    assert error_only(r.body), r.body


@pytest.mark.parametrize("raw", [b"[1, 2]", b"\"100001-1\"", b"null", b"42", b"true"])
def test_json_that_is_not_an_object_is_400(shipline, raw):
    r = shipline.request("POST", COMPLETE_PATH, raw=raw,
                         headers={"Content-Type": "application/json"})
    assert r.status == 400, r.body
    assert error_only(r.body), r.body


def test_pending_shipment_is_400_and_unchanged(shipline):
    shipline.create_order(order_body("100003", status="PENDING"))
    r = shipline.complete("100003-1", TRACKING)
    assert r.status == 400, r.body
    assert error_only(r.body), r.body
    s = shipline.shipment("100003-1")
    assert s["status"] == "PENDING"
    assert s["carrierTrackingNumber"] is None
    assert shipline.shipped_events() == []


def test_unknown_shipment_is_404(shipline):
    r = shipline.complete("nope-1", TRACKING)
    assert r.status == 404, r.body
    assert error_only(r.body), r.body
    assert "nope-1" in r.body["error"]


def test_other_tenants_shipment_is_404(shipline):
    shipline.create_order(order_body("100004"))
    other = shipline.create_key("other-tenant", "intruder")
    r = shipline.complete("100004-1", TRACKING, key=other)
    assert r.status == 404, r.body
    assert error_only(r.body), r.body
    assert shipline.shipment("100004-1")["status"] == "RELEASED"
    assert shipline.shipped_events() == []


def test_already_shipped_is_409(shipline):
    shipline.create_order(order_body("100005"))
    assert shipline.complete("100005-1", TRACKING).status == 200
    r = shipline.complete("100005-1", "1Z999AA10123456785")
    assert r.status == 409, r.body
    assert error_only(r.body), r.body
    # The second call changed nothing.
    assert shipline.shipment("100005-1")["carrierTrackingNumber"] == TRACKING
    assert len(shipline.shipped_events()) == 1


@pytest.mark.parametrize("auth", [None, "Bearer sl_wrong", "sl_wrong", "Basic Zm9vOmJhcg==",
                                  "Bearer", "Bearer "])
def test_completion_requires_a_valid_key(shipline, auth):
    shipline.create_order(order_body("100006"))
    headers = {"Authorization": auth} if auth is not None else None
    r = shipline.request("POST", COMPLETE_PATH, body={"shipmentNumber": "100006-1"},
                         key=None, headers=headers)
    assert r.status == 401, r.body
    assert isinstance(r.body, dict) and isinstance(r.body.get("error"), str), r.body
    assert r.headers.get("X-Request-Id")
    assert shipline.shipment("100006-1")["status"] == "RELEASED"


# -- payment capture through the http provider ------------------------------

def test_http_capture_request(make_shipline, payment_server):
    secret = "sk_test_blackbox_secret_42"
    s = make_shipline(extra_args=http_payment_args(payment_server, secret))
    s.create_order(order_body("100001"))
    r = s.complete("100001-1", TRACKING)
    assert r.status == 200, r.body

    captures = payment_server.captured()
    assert len(captures) == 1, captures
    c = captures[0]
    assert c["method"] == "POST"
    assert c["path"] == "/v1/payment_intents/pi_123/capture"
    assert c["form"].get("amount_to_capture") == ["2100"], c["body"]
    assert c["headers"].get("authorization") == f"Bearer {secret}"
    assert c["headers"].get("idempotency-key", "").strip() != ""
    assert "application/x-www-form-urlencoded" in c["headers"].get("content-type", "")

    order = s.request("GET", "/api/v1/orders/100001").body
    assert order["payment"]["amountCaptured"] == "21.00"
    # No secret in the logs.
    assert secret not in s.all_stderr()


def test_a_hanging_capture_does_not_hold_up_other_requests(make_shipline, payment_server):
    """On SQLite a handler runs in a fiber on an I/O thread; the capture's HTTP
    call waits on the handler pool instead. With one I/O thread, other
    requests are answered while a capture hangs (the gateway gives up after
    10 s, so each one must be answered in 5)."""
    s = make_shipline(extra_args=http_payment_args(payment_server) + ["--io-threads", "1"])
    s.create_order(order_body("100001"))
    s.create_order(order_body("100002"))
    payment_server.set_mode("hold")
    completed = {}
    capture = threading.Thread(
        target=lambda: completed.update(answer=s.complete("100001-1", TRACKING)))
    capture.start()
    try:
        assert payment_server.arrived.wait(30)
        payment_server.set_mode("ok")  # later captures answer at once
        for _ in range(5):
            r = s.request("GET", "/api/v1/orders/100002", timeout=5)
            assert r.status == 200, r.body
        assert s.complete("100002-1", TRACKING).status == 200  # a write with its own capture
        assert "answer" not in completed  # the first capture still hangs
    finally:
        payment_server.release()
        capture.join(30)
    assert completed["answer"].status == 200, completed["answer"].body
    assert s.shipment("100001-1")["status"] == "SHIPPED"


def test_a_capture_hanging_at_stop_is_recorded_before_exit(make_shipline, payment_server):
    """SIGTERM gives requests in flight a 5 s grace, then stops serving; a
    handler still waiting for its capture then runs to its end before the
    process exits, so the captured shipment is SHIPPED after a restart."""
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("100001"))
    payment_server.set_mode("hold")

    def complete():
        try:
            s.complete("100001-1", TRACKING)
        except OSError:
            pass  # the answer may never come: the connection goes with the server

    threading.Thread(target=complete, daemon=True).start()
    assert payment_server.arrived.wait(30)
    s.proc.send_signal(signal.SIGTERM)
    assert wait_until(lambda: '"handlers_running":1' in s.all_stderr(), 30), s.all_stderr()
    assert s.running()  # past the grace, the handler is still waiting for its capture
    payment_server.release()
    assert s.proc.wait(timeout=30) == 0
    s.start()
    assert s.shipment("100001-1")["status"] == "SHIPPED"
    assert len(payment_server.captured()) == 1


def test_http_capture_amount_is_the_shipments_items(make_shipline, payment_server):
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("100010", shipments=[
        ("100010-1", "RELEASED", [("A", 1)]),
        ("100010-2", "RELEASED", [("A", 1)]),
    ]))
    assert s.complete("100010-1", TRACKING).status == 200
    order = s.request("GET", "/api/v1/orders/100010").body
    assert order["shippingState"] == "partially_shipped"
    assert order["payment"]["amountCaptured"] == "10.50"
    assert s.complete("100010-2", TRACKING).status == 200
    captures = payment_server.captured()
    assert [c["form"].get("amount_to_capture") for c in captures] == [["1050"], ["1050"]]
    keys = [c["headers"].get("idempotency-key") for c in captures]
    assert keys[0] and keys[1] and keys[0] != keys[1], keys
    order = s.request("GET", "/api/v1/orders/100010").body
    assert order["shippingState"] == "shipped"
    assert order["payment"]["amountCaptured"] == "21.00"


def test_declined_capture_is_500_generic_and_changes_nothing(make_shipline, payment_server):
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("100001"))
    payment_server.set_mode("decline")

    r = s.complete("100001-1", TRACKING)
    assert r.status == 500, r.body
    assert error_only(r.body), r.body
    assert "402" not in r.body["error"]
    assert "declined" not in r.body["error"].lower()
    assert len(payment_server.captured()) == 1

    # The cause is logged with the request id.
    request_id = r.headers.get("X-Request-Id")
    assert request_id
    assert wait_until(lambda: request_id in s.stderr_text(), 5.0), \
        "the failed capture's request id is not in the log"

    shipment = s.shipment("100001-1")
    assert shipment["status"] == "RELEASED"
    assert shipment["carrierTrackingNumber"] is None
    assert [h["status"] for h in shipment["statusHistory"]] == ["RELEASED"]
    assert s.shipped_events() == []
    order = s.request("GET", "/api/v1/orders/100001").body
    assert order["payment"]["amountCaptured"] == "0.00"
    time.sleep(1.0)  # give a wrongly sent email a chance to show up
    assert s.eml_files() == []

    # The provider recovers: a retry succeeds, once.
    payment_server.set_mode("ok")
    r = s.complete("100001-1", TRACKING)
    assert r.status == 200, r.body
    assert s.shipment("100001-1")["status"] == "SHIPPED"
    captures = payment_server.captured()
    assert len(captures) == 2
    # The key is derived from the shipment: a retry carries the same one.
    keys = [c["headers"].get("idempotency-key") for c in captures]
    assert keys[0] and keys[0] == keys[1], keys
    assert len(s.shipped_events()) == 1
    assert len(s.wait_eml(1)) == 1


def test_unreachable_payment_provider_is_500(make_shipline):
    dead = f"http://127.0.0.1:{free_port()}"
    s = make_shipline(extra_args=["--payment-provider", "http", "--payment-url", dead,
                                  "--payment-secret", "sk_x"])
    s.create_order(order_body("100001"))
    r = s.complete("100001-1", TRACKING)
    assert r.status == 500, r.body
    assert error_only(r.body), r.body
    assert s.shipment("100001-1")["status"] == "RELEASED"
    assert s.shipped_events() == []


def test_http_provider_configured_through_environment(make_shipline, payment_server):
    s = make_shipline(env={"SHIPLINE_PAYMENT_PROVIDER": "http",
                           "SHIPLINE_PAYMENT_URL": payment_server.url,
                           "SHIPLINE_PAYMENT_SECRET": "sk_env_secret"})
    s.create_order(order_body("100001"))
    assert s.complete("100001-1", TRACKING).status == 200
    captures = payment_server.captured()
    assert len(captures) == 1
    assert captures[0]["headers"].get("authorization") == "Bearer sk_env_secret"
    assert captures[0]["form"].get("amount_to_capture") == ["2100"]


def test_manual_provider_makes_no_http_call(make_shipline, payment_server):
    # The http provider's URL is given but the provider is manual: no call.
    s = make_shipline(extra_args=["--payment-provider", "manual",
                                  "--payment-url", payment_server.url])
    s.create_order(order_body("100001"))
    assert s.complete("100001-1", TRACKING).status == 200
    assert payment_server.captured() == []
    assert s.request("GET", "/api/v1/orders/100001").body["payment"]["amountCaptured"] == "21.00"


# -- concurrency ------------------------------------------------------------

def _race(server, number, n=20):
    barrier = threading.Barrier(n)
    results = [None] * n

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = server.complete(number, TRACKING)
        except Exception as exc:  # noqa: BLE001 - reported below
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a completion request hung"
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def _assert_one_winner(server, results):
    statuses = sorted(r.status for r in results)
    assert statuses.count(200) == 1, statuses
    assert statuses.count(409) == len(results) - 1, statuses
    for r in results:
        if r.status == 409:
            assert error_only(r.body), r.body
        else:
            assert r.body["status"] == "SHIPPED"
    assert len(server.shipped_events()) == 1
    files = server.wait_eml(1, timeout=20)
    assert len(files) >= 1, "no email"
    time.sleep(2.0)  # bounded: a duplicate email would show up here
    assert len(server.eml_files()) == 1, server.eml_files()
    shipment = server.shipment("100001-1")
    assert shipment["status"] == "SHIPPED"
    assert [h["status"] for h in shipment["statusHistory"]] == ["RELEASED", "SHIPPED"]


def test_concurrent_completions_http_provider(make_shipline, payment_server):
    payment_server.set_mode("delay", delay=0.5)
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("100001"))
    s.key  # create the key before the race
    results = _race(s, "100001-1")
    _assert_one_winner(s, results)
    assert len(payment_server.captured()) == 1, payment_server.captured()


def test_concurrent_completions_manual_provider(make_shipline):
    s = make_shipline(extra_args=["--payment-provider", "manual"])
    s.create_order(order_body("100001"))
    s.key
    results = _race(s, "100001-1")
    _assert_one_winner(s, results)
    order = s.request("GET", "/api/v1/orders/100001").body
    assert order["payment"]["amountCaptured"] == "21.00"


# -- OpenAPI ----------------------------------------------------------------

def assert_no_dangling_ref(document):
    """Every $ref points at something the document itself defines."""
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = document
        for part in ref.split("/"):
            assert part in node, f"dangling $ref #/{ref}"
            node = node[part]


def test_openapi_json_describes_the_whole_api(shipline):
    b = shipline.request("GET", "/openapi.json")
    assert b.status == 200, b.status
    assert str(b.body.get("openapi", "")).startswith("3.")
    paths = b.body["paths"]
    expected = {
        COMPLETE_PATH: "post",
        API_DOCS_PATH: "get",
        "/openapi.json": "get",
        "/healthz": "get",
        "/api/v1/orders": "post",
        "/api/v1/orders/{orderNumber}": "get",
        "/api/v1/shipments/{shipmentNumber}": "get",
        "/api/v1/shipments/{shipmentNumber}/release": "post",
        "/api/v1/events": "get",
    }
    for path, method in expected.items():
        assert path in paths, f"{path} not documented"
        assert method in paths[path], f"{method.upper()} {path} not documented"
    assert_no_dangling_ref(b.body)


def test_api_docs_is_the_completion_endpoints_own_document(shipline):
    """The contract: "An OpenAPI specification for the endpoint is available at
    GET integration/api/shipping/v1/shipments/api-docs"."""
    a = shipline.request("GET", API_DOCS_PATH)
    whole = shipline.request("GET", "/openapi.json").body
    assert a.status == 200, a.status
    doc = a.body
    assert str(doc.get("openapi", "")).startswith("3.")
    assert doc["info"]["title"] and doc["info"]["version"]
    assert set(doc["paths"]) == {COMPLETE_PATH, API_DOCS_PATH}
    operation = doc["paths"][COMPLETE_PATH]["post"]
    assert operation == whole["paths"][COMPLETE_PATH]["post"]
    assert {"200", "400", "401", "404", "409", "500"} <= set(operation["responses"])
    # Its schemas, errors and security travel with it, and nothing else does.
    assert set(doc["components"]["schemas"]) == {
        "CompleteShipmentRequest", "CompleteShipmentResponse", "SimpleError"}
    assert doc["security"] == whole["security"]
    assert doc["components"]["securitySchemes"] == whole["components"]["securitySchemes"]
    assert_no_dangling_ref(doc)
