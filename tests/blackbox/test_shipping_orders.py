"""The Shipping Order API (/api/shipping-orders/v1) and the delivery network
(/api/v1/locations, /providers, /orchestration-rules) over loopback: every
endpoint, every error type of the seed's tables, orchestration rules, the
http provider protocol against a provider server started here, pagination,
rate limits and provider status updates."""

import http.server
import json
import threading
import time

import pytest

from conftest import wait_until

BASE = "/api/shipping-orders/v1/shipments"
DAY = 24 * 3600 * 1000


# -- a provider speaking docs/providers.md ---------------------------------------

class ProviderServer:
    """mode: "ok", "fail" (500), "garbage" (200 with a non-protocol body),
    "slow" (sleeps past the provider's timeout). cancel_status is the DELETE answer,
    update_status the answer to PUT /orders/{id} (an edited booking; 404 is a provider
    without the call). With quote_refused, quotes answer no estimate."""

    def __init__(self, fee="7.00", delivery_minutes=45):
        self.mode = "ok"
        self.cancel_status = 200
        self.update_status = 200
        self.quote_refused = False
        self.fee = fee
        self.delivery_minutes = delivery_minutes
        self.requests = []
        self.lock = threading.Lock()
        self.counter = 0
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status, payload):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with sink.lock:
                    sink.requests.append({"method": self.command, "path": self.path,
                                          "headers": {k.lower(): v for k, v in self.headers.items()},
                                          "body": json.loads(raw) if raw else None})
                    return sink.mode

            def do_POST(self):  # noqa: N802
                mode = self._record()
                if mode == "fail":
                    return self._answer(500, {"error": "provider down"})
                if mode == "garbage":
                    return self._answer(200, b"<html>surprise</html>")
                if mode == "slow":
                    time.sleep(2.5)
                now = int(time.time() * 1000)
                if self.path == "/quotes" and sink.quote_refused:
                    return self._answer(200, {"estimates": [], "reason": "outside our area"})
                if self.path == "/quotes":
                    return self._answer(200, {"estimates": [{
                        "serviceId": "courier", "serviceType": "Delivery", "fee": sink.fee,
                        "currency": "USD", "pickupAt": now + 10 * 60000,
                        "deliveryAt": now + sink.delivery_minutes * 60000, "quoteId": "q1"}]})
                if self.path == "/orders":
                    with sink.lock:
                        sink.counter += 1
                        n = sink.counter
                    return self._answer(201, {"id": f"hp-{n}", "trackingId": f"TRK{n}",
                                              "trackingUrl": f"https://track.example/{n}"})
                return self._answer(404, {"error": "no such path"})

            def do_PUT(self):  # noqa: N802
                self._record()
                if sink.update_status >= 300:
                    return self._answer(sink.update_status, {"error": "cannot change it"})
                order_id = self.path.rsplit("/", 1)[1]
                now = int(time.time() * 1000)
                return self._answer(sink.update_status, {
                    "id": order_id, "fee": sink.fee, "pickupAt": now + 20 * 60000,
                    "deliveryAt": now + 90 * 60000})

            def do_DELETE(self):  # noqa: N802
                self._record()
                return self._answer(sink.cancel_status, {"ok": sink.cancel_status < 300})

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def calls(self, method=None, path=None):
        with self.lock:
            return [r for r in self.requests
                    if (method is None or r["method"] == method)
                    and (path is None or r["path"].startswith(path))]


@pytest.fixture
def provider_server():
    server = ProviderServer().start()
    yield server
    server.stop()


# -- helpers ---------------------------------------------------------------------

BOSTON = {"street1": "345 Harrison Avenue", "city": "Boston", "postalCode": "02118",
          "countryCode": "US", "state": "MA", "latitude": 42.3452369, "longitude": -71.0639399}

CHEAP = {"currency": "USD", "services": [{"id": "ground", "serviceType": "Ground",
         "baseFee": "3.00", "perKm": "0.10", "pickupLeadMinutes": 60,
         "deliveryLeadMinutes": 600}], "cancelAfterDispatch": False}
FAST = {"currency": "USD", "services": [{"id": "express", "serviceType": "Express",
        "baseFee": "9.00", "perKm": "1.00", "pickupLeadMinutes": 10,
        "deliveryLeadMinutes": 30}], "serviceArea": [{"countryCode": "US",
        "postalPrefixes": ["02"]}], "cancelAfterDispatch": True}


def ok(r, status=200):
    assert r.status == status, (r.status, r.body)
    return r.body


def assert_error(r, status, type_, severity=None):
    assert r.status == status, (r.status, r.body)
    assert isinstance(r.body, dict), r.body
    assert r.body["type"] == type_, r.body
    assert r.body["code"] == status, r.body
    assert r.body["severity"] in ("hard", "transient"), r.body
    if severity:
        assert r.body["severity"] == severity, r.body
    assert isinstance(r.body["message"], str) and r.body["message"], r.body


def provider(s, pid, config, kind="rate-table", name=None):
    return ok(s.request("POST", "/api/v1/providers", body={
        "id": pid, "name": name or pid.title(), "kind": kind, "config": config}), 201)


def location(s, lid, providers, address=BOSTON):
    return ok(s.request("POST", "/api/v1/locations", body={
        "locationExternalId": lid, "name": f"Store {lid}", "address": address,
        "contact": {"name": "Dock", "phone": "+1 617 555 0100"}, "providers": providers}), 201)


def order_body(oid, lid="7709", **extra):
    body = {
        "locationExternalId": lid, "orderExternalId": oid, "orderValue": 10,
        "deliveryContact": {"name": "Ada", "phone": "+1 234-567-8900", "email": ""},
        "deliveryAddress": {"street1": "725 Albany Street", "street2": "", "city": "Boston",
                            "state": "MA", "countryCode": "US", "postalCode": "02118",
                            "latitude": 42.3346944, "longitude": -71.071818,
                            "apartmentNumber": ""},
        "package": {"name": "Solid", "size": {"length": 10, "width": 10, "height": 10,
                                              "unit": "in"},
                    "weight": {"value": 10, "unit": "lb"}, "itemQuantity": 1,
                    "description": "pack 1"},
        "itemList": [{"sku": "sku 1", "quantity": 1, "price": 3, "salePrice": 3,
                      "title": "Watch"}],
        "pickupTime": None, "deliveryTime": None,
    }
    body.update(extra)
    return body


def create(s, oid, lid="7709", status=201, **extra):
    return s.request("POST", BASE, body=order_body(oid, lid, **extra))


def rule(s, **body):
    body.setdefault("name", "rule")
    return ok(s.request("POST", "/api/v1/orchestration-rules", body=body), 201)


@pytest.fixture
def shipline(make_shipline):
    """The test provider servers run on loopback, which shipline refuses to
    call unless told to allow private targets."""
    return make_shipline(extra_args=ALLOW_PRIVATE)


@pytest.fixture
def network(shipline):
    """Location 7709 with a cheap-and-slow and a fast-and-dear rate table."""
    provider(shipline, "cheap", CHEAP, name="CheapCo")
    provider(shipline, "fast", FAST, name="FastCo")
    location(shipline, "7709", ["cheap", "fast"])
    return shipline


def history(s, oid):
    body = ok(s.request("GET", f"{BASE}/{oid}/status-history"))
    assert isinstance(body, list) and len(body) == 1
    return body[0]["orderStatus"]


# -- create and rules ------------------------------------------------------------

def test_create_dispatches_cheapest_by_default_and_keeps_every_estimate(network):
    r = create(network, "7709-001")
    o = ok(r, 201)
    assert o["status"] == "ORDER_DISPATCHED"
    assert o["orderExternalId"] == "7709-001" and o["locationExternalId"] == "7709"
    assert o["provider"]["id"] == "cheap" and o["provider"]["serviceId"] == "ground"
    assert o["provider"]["name"] == "CheapCo"
    assert o["trackingId"]
    assert o["fee"] > 3 and o["amount"] == o["fee"]
    assert o["estimatedPickupTime"]["startsAt"] > 0
    assert o["estimatedDeliveryTime"]["endsAt"] > o["estimatedPickupTime"]["startsAt"]
    assert o["pickupAddress"]["street1"] == "345 Harrison Avenue"
    assert o["pickupContact"]["name"] == "Dock"
    assert o["orderValue"] == 10 and o["itemList"][0]["price"] == 3
    assert {p["id"] for p in o["proposedProviders"]} == {"cheap", "fast"}
    assert o["createdAt"].endswith("Z") and o["lastUpdatedAt"].endswith("Z")
    assert "warnings" not in o
    assert b'"fee":' in r.raw and b"E" not in r.raw.split(b'"fee":')[1][:8]
    g = ok(network.request("GET", f"{BASE}/7709-001"))
    assert g["status"] == "ORDER_DISPATCHED" and g["id"] == o["id"]
    assert [c["status"] for c in history(network, "7709-001")] == [
        "REQUEST_RECEIVED", "ESTIMATES_RECEIVED", "ORDER_DISPATCHED"]


def test_fastest_rule_picks_the_fastest(network):
    rule(network, name="fastest", objective="fastest")
    o = ok(create(network, "f-1"), 201)
    assert o["provider"]["id"] == "fast"


def test_weighted_rule_with_only_fee_weight_picks_cheapest(network):
    rule(network, name="w", objective="weighted", weights={"fee": 1, "time": 0})
    assert ok(create(network, "w-1"), 201)["provider"]["id"] == "cheap"


def test_filters_remove_providers(network):
    rule(network, name="no cheap", objective="cheapest",
         filters={"excludedProviders": ["cheap"]})
    assert ok(create(network, "x-1"), 201)["provider"]["id"] == "fast"
    rules = ok(network.request("GET", "/api/v1/orchestration-rules"))["rules"]
    rid = rules[0]["id"]
    put = network.request("PUT", f"/api/v1/orchestration-rules/{rid}", body={
        "name": "only ground", "filters": {"serviceTypes": ["Ground"]}})
    assert ok(put)["filters"]["serviceTypes"] == ["Ground"]
    assert ok(create(network, "x-2"), 201)["provider"]["id"] == "cheap"
    ok(network.request("PUT", f"/api/v1/orchestration-rules/{rid}", body={
        "name": "too cheap", "filters": {"maxFee": "1.00"}}))
    assert_error(create(network, "x-3"), 422, "NO_PROVIDER_MATCHED", "hard")


def test_location_rule_comes_before_tenant_rule(network):
    rule(network, name="tenant", objective="cheapest")
    rule(network, name="local", objective="fastest", locationExternalId="7709")
    assert ok(create(network, "l-1"), 201)["provider"]["id"] == "fast"


def test_window_rule_keeps_only_providers_meeting_the_window(network):
    rule(network, name="window", objective="cheapest",
         filters={"mustMeetDeliveryWindow": True})
    now = int(time.time() * 1000)
    o = ok(create(network, "win-1", deliveryTime={"endsAt": now + 3 * 3600 * 1000}), 201)
    assert o["provider"]["id"] == "fast"  # the cheap one delivers in 11 h
    assert o["deliveryTime"]["endsAt"] == now + 3 * 3600 * 1000
    r = create(network, "win-2", deliveryTime={"endsAt": now + 60 * 1000})
    assert_error(r, 422, "NO_PROVIDER_MATCHED", "hard")
    assert ok(network.request("GET", f"{BASE}/win-2"))["status"] == "ORDER_FAILED"


# -- create errors ---------------------------------------------------------------

def test_create_errors(network):
    assert_error(network.request("POST", BASE, body=order_body("e-1"), key=None), 401,
                 "UNAUTHORIZED", "hard")
    assert_error(network.request("POST", BASE, body=order_body("e-1"), key="wrong"), 401,
                 "UNAUTHORIZED")
    body = order_body("e-1")
    del body["locationExternalId"]
    assert_error(network.request("POST", BASE, body=body), 400, "VALIDATION_ERROR", "hard")
    body = order_body("e-1")
    del body["deliveryAddress"]
    assert_error(network.request("POST", BASE, body=body), 400, "VALIDATION_ERROR")
    assert_error(network.request("POST", BASE, raw="{not json",
                                 headers={"Content-Type": "application/json"}),
                 400, "VALIDATION_ERROR")
    assert_error(create(network, "e-1", lid="nowhere"), 422, "INVALID_DATA", "hard")
    location(network, "empty", [])
    assert_error(create(network, "e-1", lid="empty"), 422, "NO_PROVIDER_ASSIGNED", "hard")
    ok(create(network, "e-dup"), 201)
    assert_error(create(network, "e-dup"), 422, "DUPLICATE_ID", "hard")
    body = order_body("e-geo")
    del body["deliveryAddress"]["latitude"]
    del body["deliveryAddress"]["longitude"]
    assert_error(network.request("POST", BASE, body=body), 422, "GEOCODING_FAILED", "hard")
    # Nothing was stored by the hard errors above.
    for oid in ("e-1", "e-geo"):
        assert_error(network.request("GET", f"{BASE}/{oid}"), 404, "NOT_FOUND")


def test_out_of_area_gives_no_provider_matched(shipline):
    provider(shipline, "fast", FAST)
    location(shipline, "7709", ["fast"])
    body = order_body("far")
    body["deliveryAddress"].update({"postalCode": "10001", "city": "New York",
                                    "latitude": 40.75, "longitude": -73.99})
    assert_error(shipline.request("POST", BASE, body=body), 422, "NO_PROVIDER_MATCHED")


# -- the http provider -----------------------------------------------------------

ALLOW_PRIVATE = ["--allow-private-targets"]

def http_network(s, server, timeout_ms=1000, cancel_allowed=True):
    provider(s, "remote", {"url": server.url, "token": "tok_secret", "timeoutMs": timeout_ms,
                           "cancelAllowed": cancel_allowed}, kind="http", name="Remote")
    location(s, "7709", ["remote"])


def test_http_provider_protocol_and_token_is_never_shown(shipline, provider_server):
    http_network(shipline, provider_server)
    o = ok(create(shipline, "h-1"), 201)
    assert o["provider"]["id"] == "remote" and o["trackingId"] == "TRK1"
    assert o["referenceLinks"]["trackingUrl"] == "https://track.example/1"
    assert o["fee"] == 7
    quote = provider_server.calls("POST", "/quotes")[0]
    assert quote["headers"]["authorization"] == "Bearer tok_secret"
    assert quote["body"]["orderExternalId"] == "h-1"
    assert quote["body"]["package"]["weightGrams"] == 4536
    booking = provider_server.calls("POST", "/orders")[0]
    assert booking["headers"]["idempotency-key"]
    assert booking["body"]["serviceId"] == "courier" and booking["body"]["quoteId"] == "q1"
    shown = ok(shipline.request("GET", "/api/v1/providers/remote"))
    assert shown["config"]["token"] == "[redacted]"
    assert "tok_secret" not in json.dumps(ok(shipline.request("GET", "/api/v1/providers")))


def test_http_provider_on_an_inner_network_is_refused_by_default(make_shipline,
                                                                 provider_server):
    s = make_shipline()
    port = provider_server.url.rsplit(":", 1)[1]
    for url in [f"http://127.0.0.1:{port}", "http://169.254.169.254/latest", f"http://[::1]:{port}",
                f"http://localhost:{port}", "http://10.0.0.1", "http://0x7f.1"]:
        r = s.request("POST", "/api/v1/providers", body={
            "id": "inner", "kind": "http", "config": {"url": url, "token": "tok_secret"}})
        assert r.status == 400 and r.body["field"] == "config.url", (url, r.status, r.body)
    assert s.request("GET", "/api/v1/providers/inner").status == 404

    # One saved while private targets were allowed is refused when it is
    # connected to: no request, and so no token, reaches it.
    s.stop()
    s.extra_args = ALLOW_PRIVATE
    s.start()
    http_network(s, provider_server)
    s.stop()
    s.extra_args = []
    s.start()
    assert_error(create(s, "ssrf-1"), 422, "PLACE_ORDER_FAILED", "transient")
    assert provider_server.calls("POST", "/quotes") == []
    assert "refused to connect to 127.0.0.1" in s.all_stderr()


def test_provider_calls_continue_the_requests_trace(shipline, provider_server):
    http_network(shipline, provider_server)
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    r = shipline.request("POST", BASE, body=order_body("t-1"),
                         headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"})
    ok(r, 201)
    calls = provider_server.calls("POST", "/quotes") + provider_server.calls("POST", "/orders")
    assert len(calls) == 2
    parents = [c["headers"]["traceparent"].split("-") for c in calls]
    assert all(p[0] == "00" and p[1] == trace_id for p in parents), parents
    spans = {p[2] for p in parents}
    assert len(spans) == 2 and "00f067aa0ba902b7" not in spans, "each call is a span of its own"


def test_retry_after_provider_failure(shipline, provider_server):
    http_network(shipline, provider_server)
    provider_server.mode = "fail"
    assert_error(create(shipline, "r-1"), 422, "PLACE_ORDER_FAILED", "transient")
    o = ok(shipline.request("GET", f"{BASE}/r-1"))
    assert o["status"] == "ORDER_FAILED" and o["provider"] is None
    provider_server.mode = "ok"
    retried = ok(shipline.request("POST", f"{BASE}/r-1/retry"), 201)
    assert retried["status"] == "ORDER_DISPATCHED" and retried["provider"]["id"] == "remote"
    assert [c["status"] for c in history(shipline, "r-1")] == [
        "REQUEST_RECEIVED", "ORDER_FAILED", "ESTIMATES_RECEIVED", "ORDER_DISPATCHED"]
    assert_error(shipline.request("POST", f"{BASE}/r-1/retry"), 409, "INVALID_OPERATION", "hard")
    assert_error(shipline.request("POST", f"{BASE}/nope/retry"), 404, "NOT_FOUND")
    assert_error(shipline.request("POST", f"{BASE}/{'x' * 101}/retry"), 422, "INVALID_DATA")


def test_unintelligible_answer_is_unmapped_error(shipline, provider_server):
    http_network(shipline, provider_server)
    provider_server.mode = "garbage"
    assert_error(create(shipline, "u-1"), 422, "UNMAPPED_ERROR", "transient")


def test_provider_timeout_is_place_order_failed(shipline, provider_server):
    http_network(shipline, provider_server, timeout_ms=500)
    provider_server.mode = "slow"
    assert_error(create(shipline, "t-1"), 422, "PLACE_ORDER_FAILED", "transient")


def test_failed_provider_is_skipped_with_a_warning(shipline, provider_server):
    provider(shipline, "cheap", CHEAP)
    http_network(shipline, provider_server)
    ok(shipline.request("PUT", "/api/v1/locations/7709", body={
        "name": "Store", "address": BOSTON, "providers": ["remote", "cheap"]}))
    provider_server.mode = "fail"
    o = ok(create(shipline, "warn-1"), 201)
    assert o["provider"]["id"] == "cheap"
    assert o["warnings"] and "Remote" in o["warnings"][0]["message"]


# -- cancel ----------------------------------------------------------------------

def test_cancel_permitted_and_forbidden(network):
    rule(network, name="fastest", objective="fastest")
    ok(create(network, "c-1"), 201)  # fast: cancel allowed
    c = ok(network.request("DELETE", f"{BASE}/c-1"))
    assert c["status"] == "ORDER_CANCELLED"
    assert_error(network.request("DELETE", f"{BASE}/c-1"), 409, "ORDER_ALREADY_CANCELED", "hard")
    assert history(network, "c-1")[-1]["status"] == "ORDER_CANCELLED"
    network.request("DELETE", "/api/v1/orchestration-rules/1")
    o = ok(create(network, "c-2"), 201)
    assert o["provider"]["id"] == "cheap"  # cheap forbids cancelling after dispatch
    assert_error(network.request("DELETE", f"{BASE}/c-2"), 403, "CANCELLATION_NOT_ALLOWED", "hard")
    assert ok(network.request("GET", f"{BASE}/c-2"))["status"] == "ORDER_DISPATCHED"
    assert_error(network.request("DELETE", f"{BASE}/none"), 404, "NOT_FOUND")


def test_cancel_at_http_provider(shipline, provider_server):
    http_network(shipline, provider_server)
    ok(create(shipline, "hc-1"), 201)
    provider_server.cancel_status = 500
    assert_error(shipline.request("DELETE", f"{BASE}/hc-1"), 422, "ORDER_CANCELLATION_FAILED",
                 "hard")
    provider_server.cancel_status = 409
    assert_error(shipline.request("DELETE", f"{BASE}/hc-1"), 403, "CANCELLATION_NOT_ALLOWED")
    provider_server.cancel_status = 302
    assert_error(shipline.request("DELETE", f"{BASE}/hc-1"), 422, "UNMAPPED_ERROR", "transient")
    provider_server.cancel_status = 204
    assert ok(shipline.request("DELETE", f"{BASE}/hc-1"))["status"] == "ORDER_CANCELLED"
    assert provider_server.calls("DELETE")[-1]["path"] == "/orders/hp-1"


# -- edit ------------------------------------------------------------------------

def test_edit(network):
    ok(create(network, "p-1"), 201)
    r = network.request("PUT", f"{BASE}/p-1", body={
        "orderValue": 160.99, "deliveryContact": {"name": "John Smith", "phone": "232"},
        "deliveryInstructions": "ring twice", "orderExternalId": "p-1"})
    o = ok(r)
    assert o["orderValue"] == 160.99 and o["deliveryContact"]["name"] == "John Smith"
    assert o["deliveryInstructions"] == "ring twice" and o["status"] == "ORDER_DISPATCHED"
    changed = order_body("p-1")["package"]
    changed["weight"] = {"value": 20, "unit": "lb"}
    assert_error(network.request("PUT", f"{BASE}/p-1", body={"package": changed}), 400,
                 "VALIDATION_ERROR", "hard")
    assert_error(network.request("PUT", f"{BASE}/p-1", body={"orderValue": "lots"}), 400,
                 "INVALID_DATA", "hard")
    assert_error(network.request("PUT", f"{BASE}/nope", body={"orderValue": 1}), 404, "NOT_FOUND")
    assert_error(network.request("PUT", f"{BASE}/p-1", body={"orderValue": 1}, key=None), 401,
                 "UNAUTHORIZED")


def test_edit_failed_order_then_retry(network):
    now = int(time.time() * 1000)
    rule(network, name="window", filters={"mustMeetDeliveryWindow": True})
    assert_error(create(network, "pe-1", deliveryTime={"endsAt": now + 60000}), 422,
                 "NO_PROVIDER_MATCHED")
    location(network, "empty", [])
    assert_error(network.request("PUT", f"{BASE}/pe-1", body={"locationExternalId": "empty"}),
                 422, "NO_PROVIDER_ASSIGNED")
    ok(network.request("PUT", f"{BASE}/pe-1", body={"deliveryTime": {"endsAt": now + DAY}}))
    assert ok(network.request("POST", f"{BASE}/pe-1/retry"), 201)["status"] == "ORDER_DISPATCHED"


# -- provider updates ------------------------------------------------------------

def test_provider_updates_move_forward_only(shipline, provider_server):
    http_network(shipline, provider_server)
    ok(create(shipline, "s-1"), 201)
    events = "/api/v1/providers/remote/events"
    r = ok(shipline.request("POST", events, body={"orderId": "hp-1", "status": "OUT_FOR_DELIVERY"}))
    assert r == {"applied": True, "orderExternalId": "s-1", "status": "OUT_FOR_DELIVERY"}
    late = ok(shipline.request("POST", events, body={"orderId": "hp-1", "status": "PICKUP_STARTED"}))
    assert late["applied"] is False and late["status"] == "OUT_FOR_DELIVERY"
    again = ok(shipline.request("POST", events, body={"orderExternalId": "s-1",
                                                      "status": "OUT_FOR_DELIVERY"}))
    assert again["applied"] is False
    ok(shipline.request("POST", events, body={
        "orderId": "hp-1", "status": "ORDER_UNDELIVERABLE", "subStatus": "RETURN_AT_LOCATION",
        "note": "ARRIVED_AT_RETURN", "eventReason": {"code": "CUSTOMER_REJECTED",
                                                     "title": "Customer Rejected",
                                                     "note": "RT-001"}}))
    steps = history(shipline, "s-1")
    assert [c["status"] for c in steps][-2:] == ["OUT_FOR_DELIVERY", "ORDER_UNDELIVERABLE"]
    last = steps[-1]
    assert last["subStatus"] == "RETURN_AT_LOCATION" and last["statusUser"] == "Remote"
    assert last["eventReason"] == {"code": "CUSTOMER_REJECTED", "title": "Customer Rejected",
                                   "note": "RT-001"}
    o = ok(shipline.request("GET", f"{BASE}/s-1"))
    assert o["status"] == "ORDER_UNDELIVERABLE" and o["subStatus"] == "RETURN_AT_LOCATION"
    r = shipline.request("POST", events, body={"orderId": "hp-404", "status": "PICKUP_STARTED"})
    assert r.status == 404
    r = shipline.request("POST", events, body={"orderId": "hp-1", "status": "ORDER_DISPATCHED"})
    assert r.status == 400
    # Every change is an event for webhooks and the broker.
    kinds = [e for e in shipline.events() if e["type"] == "shipping-order-status-changed"]
    assert [e["payload"]["status"] for e in kinds if e["subject"] == "s-1"] == [
        "REQUEST_RECEIVED", "ESTIMATES_RECEIVED", "ORDER_DISPATCHED", "OUT_FOR_DELIVERY",
        "ORDER_UNDELIVERABLE"]


def test_demo_mode_simulates_progress(make_shipline):
    s = make_shipline(extra_args=["--demo", "--demo-progress-interval-ms", "100"])
    provider(s, "instant", {"currency": "USD", "services": [{"id": "now", "baseFee": 1}]})
    location(s, "7709", ["instant"])
    ok(create(s, "d-1"), 201)
    done = wait_until(lambda: ok(s.request("GET", f"{BASE}/d-1"))["status"] == "ORDER_DELIVERED",
                      20)
    assert done
    o = ok(s.request("GET", f"{BASE}/d-1"))
    assert o["actualDeliveryTime"] and o["actualPickupTime"]
    assert [c["status"] for c in history(s, "d-1")][2:] == [
        "ORDER_DISPATCHED", "PICKUP_STARTED", "PICKUP_COMPLETED", "OUT_FOR_DELIVERY",
        "ORDER_DELIVERED"]


# -- get, history ----------------------------------------------------------------

def test_get_and_history_errors(network):
    assert_error(network.request("GET", f"{BASE}/1908241-0061"), 404, "NOT_FOUND", "hard")
    assert_error(network.request("GET", f"{BASE}/{'x' * 101}"), 422, "INVALID_DATA", "hard")
    assert_error(network.request("GET", f"{BASE}/a", key=None), 401, "UNAUTHORIZED")
    assert_error(network.request("GET", f"{BASE}/a/status-history", key=None), 401,
                 "UNAUTHORIZED")
    assert_error(network.request("GET", f"{BASE}/nope/status-history"), 404, "NOT_FOUND")


def test_a_server_fault_is_internal_server_error_with_the_cause_only_in_the_log(network):
    ok(create(network, "fault-1"), 201)
    ok(create(network, "fault-2"), 201)
    # Damage one stored order, as a failing disk or a bad manual edit would.
    network.execute_sql("UPDATE so_orders SET document = 'not json' "
                        "WHERE external_id = 'fault-1'")
    for r in (network.request("GET", f"{BASE}/fault-1"),
              network.request("GET", f"{BASE}/fault-1/status-history"),
              network.request("POST", f"{BASE}/list", body={}),
              network.request("DELETE", f"{BASE}/fault-1")):
        assert_error(r, 500, "INTERNAL_SERVER_ERROR", "transient")
        assert "damaged" not in json.dumps(r.body), r.body  # the cause stays inside
        assert r.headers.get("X-Request-Id")
    assert wait_until(lambda: "damaged shipping order document" in network.all_stderr(), 10)
    # Nothing else is affected.
    assert ok(network.request("GET", f"{BASE}/fault-2"))["orderExternalId"] == "fault-2"


def test_tenants_do_not_see_each_other(network):
    ok(create(network, "t-own"), 201)
    other = network.create_key("other-tenant", "k")
    assert network.request("GET", f"{BASE}/t-own", key=other).status == 404
    r = network.request("POST", f"{BASE}/list", body={}, key=other)
    assert ok(r)["data"] == []


# -- list ------------------------------------------------------------------------

def list_page(s, **body):
    return ok(s.request("POST", f"{BASE}/list", body=body))


def test_list_filters(network):
    location(network, "other", ["cheap"])
    ok(create(network, "a-1", groupId="G1"), 201)
    ok(create(network, "a-2", groupId="g1"), 201)
    ok(create(network, "a-3", lid="other"), 201)
    ids = lambda page: [o["orderExternalId"] for o in page["data"]]  # noqa: E731
    assert ids(list_page(network)) == ["a-1", "a-2", "a-3"]
    assert ids(list_page(network, groupId="G1")) == ["a-1"]
    assert ids(list_page(network, locationExternalIds=["other"])) == ["a-3"]
    assert ids(list_page(network, orderExternalIds=["a-2", "zzz"])) == ["a-2"]
    assert ids(list_page(network, status=["ORDER_CANCELLED"])) == []
    assert ids(list_page(network, status=["ORDER_DISPATCHED"])) == ["a-1", "a-2", "a-3"]
    now = int(time.time() * 1000)
    assert ids(list_page(network, createdAt={"startsAt": now - 60000, "endsAt": now + 60000})) \
        == ["a-1", "a-2", "a-3"]
    assert ids(list_page(network, lastUpdatedAt={"startsAt": now + 60000})) == []
    assert ids(list_page(network, pickupTime={"startsAt": 0},
                         deliveryTime={"endsAt": now + DAY})) == []
    assert_error(network.request("POST", f"{BASE}/list", body={"pickupTime": {"startsAt": 0}}),
                 400, "INVALID_DATA")
    assert_error(network.request("POST", f"{BASE}/list", body={"limit": 1001}), 400,
                 "INVALID_DATA")
    assert_error(network.request("POST", f"{BASE}/list",
                                 body={"orderExternalIds": [str(i) for i in range(101)]}),
                 400, "INVALID_DATA")
    assert_error(network.request("POST", f"{BASE}/list", body={"paginationToken": "garbage!"}),
                 400, "INVALID_DATA")
    # Well-formed tokens whose edge id cannot be stepped past (found by fuzzing: the
    # smallest id overflowed): refused, not a fault.
    for token in ("djE6cDotMTotOTIyMzM3MjAzNjg1NDc3NTgwODoxOjI",  # v1:p:-1:INT64_MIN:1:2
                  "djE6bjoxOjkyMjMzNzIwMzY4NTQ3NzU4MDc6LTot"):  # v1:n:1:INT64_MAX:-:-
        assert_error(network.request("POST", f"{BASE}/list", body={"paginationToken": token}),
                     400, "INVALID_DATA")
    assert_error(network.request("POST", f"{BASE}/list", body={}, key=None), 401, "UNAUTHORIZED")


def set_history_times(s, oid, times):
    """Moves the order's status changes to the given instants (by status)."""
    for status, millis in times.items():
        s.execute_sql(f"UPDATE so_status_changes SET at = {millis} WHERE status = '{status}' "
                      f"AND order_id = (SELECT id FROM so_orders WHERE external_id = '{oid}')")


def test_history_times_in_the_documents_form_and_the_locations_zone(network):
    """The contract's example: "updatedAt": "April 27th 2022, 2:45:45 am CDT"."""
    r = network.request("POST", "/api/v1/locations", body={
        "locationExternalId": "chicago", "name": "Store chicago", "address": BOSTON,
        "providers": ["cheap"], "timeZone": "America/Chicago"})
    assert ok(r, 201)["timeZone"] == "America/Chicago"
    ok(create(network, "tz-1", lid="chicago"), 201)
    set_history_times(network, "tz-1", {"REQUEST_RECEIVED": 1651045545000,    # 07:45:45Z
                                        "ESTIMATES_RECEIVED": 1651045546000,
                                        "ORDER_DISPATCHED": 1666817167000})   # 20:46:07Z
    times = {c["status"]: c["updatedAt"] for c in history(network, "tz-1")}
    assert times == {"REQUEST_RECEIVED": "April 27th 2022, 2:45:45 am CDT",
                     "ESTIMATES_RECEIVED": "April 27th 2022, 2:45:46 am CDT",
                     "ORDER_DISPATCHED": "October 26th 2022, 3:46:07 pm CDT"}
    # Winter time, midnight as 12 am, and the ordinal suffixes.
    set_history_times(network, "tz-1", {"REQUEST_RECEIVED": 1641017109000,    # Jan 1 06:05:09Z
                                        "ESTIMATES_RECEIVED": 1646262000000})  # Mar 2 23:00Z
    times = {c["status"]: c["updatedAt"] for c in history(network, "tz-1")}
    assert times["REQUEST_RECEIVED"] == "January 1st 2022, 12:05:09 am CST"
    assert times["ESTIMATES_RECEIVED"] == "March 2nd 2022, 5:00:00 pm CST"
    # A location without a zone: UTC.
    ok(create(network, "tz-2"), 201)
    set_history_times(network, "tz-2", {"REQUEST_RECEIVED": 1646262000000})
    times = {c["status"]: c["updatedAt"] for c in history(network, "tz-2")}
    assert times["REQUEST_RECEIVED"] == "March 2nd 2022, 11:00:00 pm UTC"
    # A zone the tz database does not know is refused, naming the field.
    for zone in ("Mars/Olympus", "../etc/passwd", "CDT "):
        r = network.request("POST", "/api/v1/locations", body={
            "locationExternalId": "nowhere", "name": "x", "address": BOSTON,
            "providers": ["cheap"], "timeZone": zone})
        assert r.status == 400, (zone, r.status, r.body)
        assert "timeZone" in json.dumps(r.body), r.body
    assert network.request("GET", "/api/v1/locations/nowhere").status == 404


def test_default_list_window_is_creation_in_the_last_24_hours(network):
    """"By default, the shipments placed within the last 24 hours will be
    retrieved": an order placed two days ago and updated now is not listed
    unless a window asks for it, on the first page or any later one."""
    for oid in ("d-old", "d-new-1", "d-new-2"):
        ok(create(network, oid), 201)
    now = int(time.time() * 1000)
    network.execute_sql(f"UPDATE so_orders SET created_at = {now - 2 * DAY} "
                        "WHERE external_id = 'd-old'")
    ids = lambda page: [o["orderExternalId"] for o in page["data"]]  # noqa: E731
    assert ids(list_page(network)) == ["d-new-1", "d-new-2"]
    # Paging through the default window keeps it.
    first = list_page(network, limit=1)
    assert ids(first) == ["d-new-1"]
    second = list_page(network, paginationToken=first["paginationToken"]["next"])
    assert ids(second) == ["d-new-2"]
    assert second["paginationToken"]["next"] is None
    # Asked for, the older order is there.
    assert ids(list_page(network, createdAt={"startsAt": now - 3 * DAY})) == \
        ["d-old", "d-new-1", "d-new-2"]
    assert "d-old" in ids(list_page(network, lastUpdatedAt={"startsAt": now - DAY}))


def test_list_30_day_rule(network):
    now = int(time.time() * 1000)
    r = network.request("POST", f"{BASE}/list", body={
        "lastUpdatedAt": {"startsAt": now - 31 * DAY, "endsAt": now}})
    assert_error(r, 400, "INVALID_DATA", "hard")
    assert "30 days" in r.body["message"]
    r = network.request("POST", f"{BASE}/list", body={"lastUpdatedAt": {"startsAt": now - 31 * DAY}})
    assert_error(r, 400, "INVALID_DATA")
    ok(network.request("POST", f"{BASE}/list", body={
        "lastUpdatedAt": {"startsAt": now - 30 * DAY, "endsAt": now}}))


def test_pagination_forwards_and_backwards_while_orders_arrive(network):
    for i in range(7):
        ok(create(network, f"pg-{i}"), 201)
    ids = lambda page: [o["orderExternalId"] for o in page["data"]]  # noqa: E731
    first = list_page(network, limit=3)
    assert ids(first) == ["pg-0", "pg-1", "pg-2"]
    assert first["paginationToken"]["previous"] is None
    ok(create(network, "pg-new-1"), 201)  # arrives while the client pages
    second = list_page(network, limit=3, paginationToken=first["paginationToken"]["next"])
    assert ids(second) == ["pg-3", "pg-4", "pg-5"]
    ok(create(network, "pg-new-2"), 201)
    # An update moves an order behind the cursor: it shows up again later.
    ok(network.request("PUT", f"{BASE}/pg-1", body={"deliveryInstructions": "gate code 4"}))
    back = list_page(network, limit=3, paginationToken=second["paginationToken"]["previous"])
    assert ids(back) == ["pg-0", "pg-2"]  # pg-1 moved to the end
    assert back["paginationToken"]["previous"] is None
    third = list_page(network, limit=3, paginationToken=second["paginationToken"]["next"])
    assert ids(third) == ["pg-6", "pg-new-1", "pg-new-2"]
    fourth = list_page(network, limit=3, paginationToken=third["paginationToken"]["next"])
    assert ids(fourth) == ["pg-1"]
    assert fourth["paginationToken"]["next"] is None
    again = list_page(network, limit=3, paginationToken=fourth["paginationToken"]["previous"])
    assert ids(again) == ids(third)


# -- rate limit ------------------------------------------------------------------

def test_429_under_a_burst_with_retry_after(make_shipline):
    s = make_shipline(extra_args=["--shipping-orders-rate", "1", "--shipping-orders-burst", "3"])
    statuses = []
    last = None
    for _ in range(8):
        last = s.request("POST", f"{BASE}/list", body={})
        statuses.append(last.status)
        if last.status == 429:
            break
    assert statuses[:3] == [200, 200, 200], statuses
    assert_error(last, 429, "TOO_MANY_REQUESTS", "transient")
    assert int(last.headers["Retry-After"]) >= 1
    # Another key has its own bucket; other APIs are not limited.
    other = s.create_key("main", "second")
    assert s.request("POST", f"{BASE}/list", body={}, key=other).status == 200
    assert s.request("GET", "/api/v1/providers").status == 200


def test_rate_limit_from_environment(make_shipline):
    s = make_shipline(env={"SHIPLINE_SHIPPING_ORDERS_RATE": "0.5",
                           "SHIPLINE_SHIPPING_ORDERS_BURST": "1"})
    assert s.request("GET", f"{BASE}/x").status == 404
    assert s.request("GET", f"{BASE}/x").status == 429


# -- the native delivery network -------------------------------------------------

def test_locations_and_providers_crud(shipline):
    provider(shipline, "cheap", CHEAP)
    r = shipline.request("POST", "/api/v1/providers", body={"id": "cheap", "kind": "rate-table",
                                                             "config": CHEAP})
    assert r.status == 409
    r = shipline.request("POST", "/api/v1/providers", body={"id": "bad", "kind": "rate-table",
                                                             "config": {"services": []}})
    assert r.status == 400 and r.body["field"].startswith("config")
    r = shipline.request("POST", "/api/v1/providers", body={"id": "bad", "kind": "pigeon"})
    assert r.status == 400
    loc = location(shipline, "L1", ["cheap"])
    assert loc["providers"] == ["cheap"] and loc["address"]["latitude"] == 42.3452369
    r = shipline.request("POST", "/api/v1/locations", body={
        "locationExternalId": "L2", "address": BOSTON, "providers": ["ghost"]})
    assert r.status == 400
    assert ok(shipline.request("GET", "/api/v1/locations/L1"))["name"] == "Store L1"
    listed = ok(shipline.request("GET", "/api/v1/locations"))["locations"]
    assert [l["locationExternalId"] for l in listed] == ["L1"]
    ok(shipline.request("PUT", "/api/v1/locations/L1", body={"name": "Renamed", "address": BOSTON,
                                                             "providers": []}))
    assert ok(shipline.request("GET", "/api/v1/locations/L1"))["providers"] == []
    assert ok(shipline.request("PUT", "/api/v1/providers/cheap", body={
        "kind": "rate-table", "config": CHEAP, "displayName": "Cheap!"}))["displayName"] == "Cheap!"
    assert shipline.request("DELETE", "/api/v1/locations/L1").status == 204
    assert shipline.request("GET", "/api/v1/locations/L1").status == 404
    assert shipline.request("DELETE", "/api/v1/providers/cheap").status == 204
    assert shipline.request("DELETE", "/api/v1/providers/cheap").status == 404
    assert shipline.request("GET", "/api/v1/orchestration-rules/99").status == 404
    assert shipline.request("POST", "/api/v1/orchestration-rules",
                            body={"name": "x", "objective": "random"}).status == 400
