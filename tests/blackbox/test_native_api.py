"""The native API (orders, shipments, events), keys, auth, request ids, logs
and the command line."""

import datetime
import json
import os
import re
import socket
import subprocess
import threading

import pytest

from conftest import (API_DOCS_PATH, COMPLETE_PATH, SHIPLINE_BIN, TRACKING, order_body,
                      raw_exchange, status_of,
                      run_cli, wait_until)


def parse_iso(text):
    assert isinstance(text, str) and text, text
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_error(r, status, code, field=None):
    assert r.status == status, (r.status, r.body)
    assert isinstance(r.body, dict), r.body
    assert isinstance(r.body.get("error"), str) and r.body["error"], r.body
    assert r.body.get("code") == code, r.body
    if field is not None:
        assert r.body.get("field") == field, r.body


# -- orders -----------------------------------------------------------------

def test_create_order_returns_stored_order(shipline):
    body = order_body("100001")
    r = shipline.request("POST", "/api/v1/orders", body=body)
    assert r.status == 201, r.body
    o = r.body
    assert isinstance(o["id"], int)
    assert o["orderNumber"] == "100001"
    assert o["store"] == "main"
    assert o["currency"] == "USD"
    assert o["customer"] == {"name": "Ada Lovelace", "email": "ada@example.com"}
    for k, v in body["shippingAddress"].items():
        assert o["shippingAddress"][k] == v
    assert len(o["lineItems"]) == 1
    li = o["lineItems"][0]
    assert isinstance(li["id"], int)
    assert (li["sku"], li["title"], li["quantity"], li["unitPrice"]) == ("A", "Widget", 2, "10.50")
    assert o["payment"] == {"provider": "stripe", "reference": "pi_123",
                            "amountAuthorized": "21.00", "amountCaptured": "0.00"}
    assert len(o["shipments"]) == 1
    sh = o["shipments"][0]
    assert sh["shipmentNumber"] == "100001-1"
    assert sh["orderNumber"] == "100001"
    assert sh["status"] == "RELEASED"
    assert [(i["lineItemId"], i["sku"], i["quantity"]) for i in sh["items"]] == [(li["id"], "A", 2)]
    assert o["shippingState"] == "unshipped"
    parse_iso(o["createdAt"])

    g = shipline.request("GET", "/api/v1/orders/100001")
    assert g.status == 200, g.body
    # The order's shipments are shipment JSON, the same as GET /shipments/{n}
    # returns, and the same whether the order was just created or read back.
    single = shipline.shipment("100001-1")
    assert sh == single
    assert g.body["shipments"] == [single]
    assert g.body == o


def test_get_unknown_order_is_404(shipline):
    r = shipline.request("GET", "/api/v1/orders/999999")
    assert r.status == 404, r.body
    assert isinstance(r.body.get("error"), str)


def test_shipment_json(shipline):
    shipline.create_order(order_body("100001"))
    r = shipline.request("GET", "/api/v1/shipments/100001-1")
    assert r.status == 200, r.body
    s = r.body
    assert isinstance(s["id"], int)
    assert s["shipmentNumber"] == "100001-1"
    assert s["orderNumber"] == "100001"
    assert s["status"] == "RELEASED"
    assert "carrier" in s
    assert s["carrierTrackingNumber"] is None
    assert s["shippedAt"] is None
    assert [(i["sku"], i["quantity"]) for i in s["items"]] == [("A", 2)]
    assert isinstance(s["items"][0]["lineItemId"], int)
    assert [h["status"] for h in s["statusHistory"]] == ["RELEASED"]
    parse_iso(s["statusHistory"][0]["at"])
    assert s["statusHistory"][0]["by"] == shipline.key_name

    assert shipline.request("GET", "/api/v1/shipments/nope-1").status == 404


def test_duplicate_order_number_is_409(shipline):
    shipline.create_order(order_body("100001"))
    dup = order_body("100001", shipments=[("100001-9", "RELEASED", [("A", 1)])])
    assert_error(shipline.request("POST", "/api/v1/orders", body=dup), 409, "ALREADY_EXISTS")


def test_duplicate_shipment_number_is_409_and_creates_nothing(shipline):
    shipline.create_order(order_body("100001"))
    dup = order_body("100002", shipments=[("100001-1", "RELEASED", [("A", 1)])])
    assert_error(shipline.request("POST", "/api/v1/orders", body=dup), 409, "ALREADY_EXISTS")
    assert shipline.request("GET", "/api/v1/orders/100002").status == 404
    assert shipline.shipment("100001-1")["orderNumber"] == "100001"


def _invalid(mutate):
    body = order_body("100001")
    mutate(body)
    return body


INVALID_CASES = [
    ("unknown-sku", lambda b: b["shipments"][0]["items"][0].update(sku="ZZZ"),
     "shipments[0].items[0].sku"),
    ("too-many", lambda b: b["shipments"][0]["items"][0].update(quantity=3),
     "shipments[0].items[0].quantity"),
    ("negative-price", lambda b: b["lineItems"][0].update(unitPrice="-1.00"),
     "lineItems[0].unitPrice"),
    ("non-numeric-price", lambda b: b["lineItems"][0].update(unitPrice="abc"),
     "lineItems[0].unitPrice"),
    ("bad-email", lambda b: b["customer"].update(email="not-an-email"), "customer.email"),
    ("bad-currency", lambda b: b.update(currency="DOLLARS"), "currency"),
    ("four-letter-currency", lambda b: b.update(currency="USDX"), "currency"),
    ("lowercase-currency", lambda b: b.update(currency="usd"), "currency"),
    ("zero-line-quantity", lambda b: b["lineItems"][0].update(quantity=0),
     "lineItems[0].quantity"),
    ("negative-line-quantity", lambda b: b["lineItems"][0].update(quantity=-1),
     "lineItems[0].quantity"),
    ("string-line-quantity", lambda b: b["lineItems"][0].update(quantity="2"),
     "lineItems[0].quantity"),
    ("zero-shipment-quantity", lambda b: b["shipments"][0]["items"][0].update(quantity=0),
     "shipments[0].items[0].quantity"),
    ("price-with-3-decimals", lambda b: b["lineItems"][0].update(unitPrice="10.505"),
     "lineItems[0].unitPrice"),
    ("price-as-number", lambda b: b["lineItems"][0].update(unitPrice=10.5),
     "lineItems[0].unitPrice"),
    ("negative-authorized", lambda b: b["payment"].update(amountAuthorized="-1.00"),
     "payment.amountAuthorized"),
    ("shipment-status-shipped", lambda b: b["shipments"][0].update(status="SHIPPED"),
     "shipments[0].status"),
    ("shipment-status-bogus", lambda b: b["shipments"][0].update(status="BOGUS"),
     "shipments[0].status"),
    ("empty-order-number", lambda b: b.update(orderNumber=""), "orderNumber"),
    ("missing-customer", lambda b: b.pop("customer"), "customer"),
    ("duplicate-shipment-in-body", lambda b: b["shipments"].append(dict(b["shipments"][0])),
     "shipments[1].shipmentNumber"),
]


@pytest.mark.parametrize("mutate,field", [(m, f) for _, m, f in INVALID_CASES],
                         ids=[i for i, _, _ in INVALID_CASES])
def test_invalid_order_is_400_with_field(shipline, mutate, field):
    r = shipline.request("POST", "/api/v1/orders", body=_invalid(mutate))
    assert_error(r, 400, "INVALID_ARGUMENT", field)
    assert shipline.request("GET", "/api/v1/orders/100001").status == 404
    assert shipline.request("GET", "/api/v1/shipments/100001-1").status == 404


def test_quantities_beyond_line_item_across_shipments_is_400(shipline):
    body = order_body("100001", shipments=[("100001-1", "RELEASED", [("A", 2)]),
                                           ("100001-2", "RELEASED", [("A", 1)])])
    r = shipline.request("POST", "/api/v1/orders", body=body)
    assert_error(r, 400, "INVALID_ARGUMENT")
    assert r.body.get("field", "").startswith("shipments[1]"), r.body
    assert shipline.request("GET", "/api/v1/orders/100001").status == 404


@pytest.mark.parametrize("raw", [b"not json", b"{\"orderNumber\": ", b"[]", b""])
def test_non_json_order_body_is_400(shipline, raw):
    r = shipline.request("POST", "/api/v1/orders", raw=raw,
                         headers={"Content-Type": "application/json"})
    assert r.status == 400, r.body
    assert isinstance(r.body, dict) and isinstance(r.body.get("error"), str), r.body
    assert r.body.get("code") == "INVALID_ARGUMENT", r.body


def test_missing_order_number_is_400(shipline):
    body = order_body("100001")
    del body["orderNumber"]
    assert_error(shipline.request("POST", "/api/v1/orders", body=body), 400,
                 "INVALID_ARGUMENT", "orderNumber")


# -- release ----------------------------------------------------------------

def test_release_pending_shipment(shipline):
    shipline.create_order(order_body("100001", status="PENDING"))
    r = shipline.request("POST", "/api/v1/shipments/100001-1/release")
    assert r.status == 200, r.body
    assert r.body["shipmentNumber"] == "100001-1"
    assert r.body["status"] == "RELEASED"
    assert [h["status"] for h in r.body["statusHistory"]] == ["PENDING", "RELEASED"]
    assert shipline.shipment("100001-1")["status"] == "RELEASED"

    again = shipline.request("POST", "/api/v1/shipments/100001-1/release")
    assert_error(again, 400, "FAILED_PRECONDITION")

    assert shipline.complete("100001-1", TRACKING).status == 200
    hist = shipline.shipment("100001-1")["statusHistory"]
    assert [h["status"] for h in hist] == ["PENDING", "RELEASED", "SHIPPED"]
    assert all(h["by"] == shipline.key_name for h in hist)

    shipped = shipline.request("POST", "/api/v1/shipments/100001-1/release")
    assert_error(shipped, 400, "FAILED_PRECONDITION")
    assert shipline.shipment("100001-1")["status"] == "SHIPPED"


def test_release_unknown_is_404(shipline):
    r = shipline.request("POST", "/api/v1/shipments/nope-1/release")
    assert r.status == 404, r.body


# -- events -----------------------------------------------------------------

def test_events_paging(shipline):
    for i in range(1, 6):
        shipline.create_order(order_body(f"10000{i}"))
        assert shipline.complete(f"10000{i}-1", f"TRK{i}").status == 200

    full = shipline.request("GET", "/api/v1/events?after=0&limit=100")
    assert full.status == 200, full.body
    all_events = full.body["events"]
    ids = [e["id"] for e in all_events]
    assert ids == sorted(set(ids))
    assert full.body["next"] == ids[-1]

    paged, after, pages = [], 0, 0
    while pages < 100:
        r = shipline.request("GET", f"/api/v1/events?after={after}&limit=2")
        assert r.status == 200, r.body
        assert len(r.body["events"]) <= 2
        pages += 1
        if not r.body["events"]:
            assert r.body["next"] is None
            break
        assert r.body["next"] == r.body["events"][-1]["id"]
        paged.extend(r.body["events"])
        after = r.body["next"]
    assert paged == all_events

    shipped = [e for e in all_events if e["type"] == "order-shipment-shipped"]
    assert [e["payload"]["shipmentNumber"] for e in shipped] == [f"10000{i}-1" for i in range(1, 6)]
    for i, e in enumerate(shipped, 1):
        assert e["topic"] == "VirtualTopic.ep.orders"
        assert "subject" in e
        parse_iso(e["createdAt"])
        assert e["payload"]["orderNumber"] == f"10000{i}"
        assert e["payload"]["carrierTrackingNumber"] == f"TRK{i}"
        assert [(x["sku"], x["quantity"]) for x in e["payload"]["items"]] == [("A", 2)]

    # after the last id: empty page, next null
    last = shipline.request("GET", f"/api/v1/events?after={ids[-1]}&limit=10")
    assert last.status == 200
    assert last.body == {"events": [], "next": None}


def test_events_after_middle(shipline):
    for i in range(1, 4):
        shipline.create_order(order_body(f"10000{i}"))
        assert shipline.complete(f"10000{i}-1", TRACKING).status == 200
    all_events = shipline.request("GET", "/api/v1/events?after=0&limit=100").body["events"]
    mid = all_events[0]["id"]
    rest = shipline.request("GET", f"/api/v1/events?after={mid}&limit=100").body["events"]
    assert rest == all_events[1:]


@pytest.mark.parametrize("query,field", [
    ("after=abc&limit=2", "after"),
    ("after=-5&limit=2", "after"),
    ("after=0&limit=0", "limit"),
    ("after=0&limit=abc", "limit"),
])
def test_events_bad_parameters_are_400(shipline, query, field):
    assert_error(shipline.request("GET", f"/api/v1/events?{query}"), 400, "INVALID_ARGUMENT",
                 field)


def test_numbers_with_reserved_characters_are_reachable(shipline):
    """Whatever numbers the API accepts at creation must be reachable through
    the URL paths, percent-encoded."""
    body = order_body("ORD/7.x", shipments=[("ORD/7.x-1", "PENDING", [("A", 1)]),
                                            ("ORD_7.x-2", "RELEASED", [("A", 1)])])
    r = shipline.request("POST", "/api/v1/orders", body=body)
    if r.status == 400:
        return  # rejecting such numbers outright is fine too
    assert r.status == 201, r.body
    g = shipline.request("GET", "/api/v1/orders/ORD%2F7.x")
    assert g.status == 200, g.body
    assert g.body["orderNumber"] == "ORD/7.x"
    g = shipline.request("GET", "/api/v1/shipments/ORD%2F7.x-1")
    assert g.status == 200, g.body
    rel = shipline.request("POST", "/api/v1/shipments/ORD%2F7.x-1/release")
    assert rel.status == 200, rel.body
    assert shipline.complete("ORD/7.x-1", TRACKING).status == 200
    g = shipline.request("GET", "/api/v1/shipments/ORD_7.x-2")
    assert g.status == 200, g.body


def test_percent_encoded_path_is_decoded(shipline):
    shipline.create_order(order_body("100001"))
    r = shipline.request("GET", "/api/v1/orders/%31%30%30%30%30%31")
    assert r.status == 200, r.body
    assert r.body["orderNumber"] == "100001"


def test_wrong_method_is_405_or_404(shipline):
    r = shipline.request("GET", COMPLETE_PATH)
    assert r.status in (404, 405), r.body
    assert isinstance(r.body, dict) and isinstance(r.body.get("error"), str), r.body


# -- tenants and keys -------------------------------------------------------

def test_tenant_isolation(shipline):
    shipline.create_order(order_body("100001"))
    assert shipline.complete("100001-1", TRACKING).status == 200
    shipline.create_order(order_body("100002", status="PENDING"))
    other = shipline.create_key("tenant-b", "bob")

    assert shipline.request("GET", "/api/v1/orders/100001", key=other).status == 404
    assert shipline.request("GET", "/api/v1/shipments/100001-1", key=other).status == 404
    assert shipline.request("POST", "/api/v1/shipments/100002-1/release", key=other).status == 404
    assert shipline.complete("100001-1", TRACKING, key=other).status == 404
    r = shipline.request("GET", "/api/v1/events?after=0&limit=100", key=other)
    assert r.status == 200
    assert r.body["events"] == []
    assert shipline.shipment("100002-1")["status"] == "PENDING"

    # Order and shipment numbers are unique per tenant, not globally.
    r = shipline.request("POST", "/api/v1/orders", body=order_body("100001"), key=other)
    assert r.status == 201, r.body
    assert shipline.shipment("100001-1", key=other)["status"] == "RELEASED"
    assert shipline.shipment("100001-1")["status"] == "SHIPPED"
    assert shipline.complete("100001-1", TRACKING, key=other).status == 200
    assert len(shipline.shipped_events(key=other)) == 1
    assert len(shipline.shipped_events()) == 1


def test_two_keys_of_one_tenant_share_rows(shipline):
    shipline.create_order(order_body("100001"))
    second = shipline.create_key(shipline.tenant, "second-key")
    assert shipline.request("GET", "/api/v1/orders/100001", key=second).status == 200
    assert shipline.complete("100001-1", TRACKING, key=second).status == 200
    hist = shipline.shipment("100001-1")["statusHistory"]
    assert hist[-1]["by"] == "second-key"


def test_key_created_while_running_works_at_once(shipline):
    assert shipline.request("GET", "/healthz", key=None).status == 200
    for i in range(3):
        key = shipline.create_key(f"live-{i}", f"live-key-{i}")
        assert key.startswith("sl_"), key
        r = shipline.request("GET", "/api/v1/events?after=0&limit=1", key=key)
        assert r.status == 200, r.body


@pytest.mark.sqlite_only("reads the SQLite file")
def test_keys_are_distinct_and_not_stored_in_clear(shipline):
    a = shipline.create_key("t", "a")
    b = shipline.create_key("t", "b")
    assert a != b
    db = shipline.db_path.read_bytes()
    for name in os.listdir(shipline.data_dir):
        if name.startswith("shipline.db"):
            db += (shipline.data_dir / name).read_bytes()
    assert a.encode() not in db and b.encode() not in db


UNAUTH_ENDPOINTS = [
    ("POST", "/api/v1/orders", order_body("100001")),
    ("GET", "/api/v1/orders/100001", None),
    ("GET", "/api/v1/shipments/100001-1", None),
    ("POST", "/api/v1/shipments/100001-1/release", None),
    ("GET", "/api/v1/events?after=0&limit=10", None),
    ("POST", COMPLETE_PATH, {"shipmentNumber": "100001-1"}),
    ("GET", API_DOCS_PATH, None),
    ("GET", "/openapi.json", None),
]


@pytest.mark.parametrize("method,path,body", UNAUTH_ENDPOINTS,
                         ids=[f"{m} {p}" for m, p, _ in UNAUTH_ENDPOINTS])
@pytest.mark.parametrize("auth", [None, "Bearer sl_not_a_key", "Token abc"],
                         ids=["missing", "wrong", "scheme"])
def test_401_without_valid_key(shipline, method, path, body, auth):
    headers = {"Authorization": auth} if auth else None
    r = shipline.request(method, path, body=body, key=None, headers=headers)
    assert r.status == 401, (r.status, r.body)
    assert isinstance(r.body, dict) and isinstance(r.body.get("error"), str), r.body
    assert r.headers.get("X-Request-Id")


def test_401_changes_nothing(shipline):
    r = shipline.request("POST", "/api/v1/orders", body=order_body("100001"), key="sl_bogus")
    assert r.status == 401
    assert shipline.request("GET", "/api/v1/orders/100001").status == 404


def test_healthz_without_auth(shipline):
    r = shipline.request("GET", "/healthz", key=None)
    assert r.status == 200
    assert r.headers.get("X-Request-Id")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_checks_answer_head_without_a_body(shipline, path):
    got = shipline.request("GET", path, key=None)
    data = (f"HEAD {path} HTTP/1.1\r\nHost: x\r\n\r\n"
            f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").encode()
    raw = b""
    with socket.create_connection(("127.0.0.1", shipline.port), timeout=10) as conn:
        conn.sendall(data)
        while chunk := conn.recv(65536):  # until the server closes after the GET
            raw += chunk
    head, _, rest = raw.partition(b"\r\n\r\n")
    assert status_of(raw) == 200, raw
    assert f"content-length: {len(got.raw)}".encode() in head.lower(), head
    # No body follows the HEAD answer: the next bytes are the GET's answer.
    assert rest.startswith(b"HTTP/1.1 200"), rest[:80]


def test_the_bearer_scheme_is_case_insensitive_and_one_authorization_is_allowed(shipline):
    for scheme in ["bearer", "BEARER", "BeArEr"]:
        r = shipline.request("GET", "/api/v1/events?after=0&limit=1", key=None,
                             headers={"Authorization": f"{scheme} {shipline.key}"})
        assert r.status == 200, (scheme, r.status, r.body)
    data = (f"GET /api/v1/events?after=0&limit=1 HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {shipline.key}\r\nAuthorization: Bearer sl_{'0' * 48}\r\n"
            "Connection: close\r\n\r\n").encode()
    assert status_of(raw_exchange(shipline.port, data, timeout=10)) == 400


def test_readyz_reads_the_store_without_auth(shipline):
    r = shipline.request("GET", "/readyz", key=None)
    assert r.status == 200 and r.body == {"status": "ready"}, r
    assert shipline.request("POST", "/readyz", key=None).status in (404, 405)


def test_unknown_route_is_404_json(shipline):
    r = shipline.request("GET", "/api/v1/nothing-here")
    assert r.status == 404, r.body
    assert isinstance(r.body, dict) and isinstance(r.body.get("error"), str), r.body


def test_request_ids_everywhere_and_distinct(shipline):
    shipline.create_order(order_body("100001"))
    responses = [
        shipline.request("GET", "/healthz", key=None),
        shipline.request("GET", "/api/v1/orders/100001"),
        shipline.request("GET", "/api/v1/orders/404404"),
        shipline.request("GET", "/api/v1/orders/100001", key=None),
        shipline.request("POST", "/api/v1/orders", raw=b"garbage"),
        shipline.complete("100001-1", TRACKING),
        shipline.complete("100001-1", TRACKING),
    ]
    ids = [r.headers.get("X-Request-Id") for r in responses]
    assert all(ids), ids
    assert len(set(ids)) == len(ids), ids


def test_stderr_is_json_lines(shipline):
    shipline.create_order(order_body("100001"))
    shipline.complete("100001-1", TRACKING)
    shipline.request("GET", "/api/v1/orders/nope")
    shipline.request("GET", "/healthz", key=None)
    shipline.stop()
    lines = [ln for ln in shipline.stderr_text().splitlines() if ln.strip()]
    assert lines, "nothing logged on stderr"
    for ln in lines:
        obj = json.loads(ln)
        assert isinstance(obj, dict), ln


# -- command line -----------------------------------------------------------

def test_first_start_prints_admin_key_once(make_shipline):
    s = make_shipline()
    pattern = re.compile(r"^admin API key: (sl_\S+)$")

    def key_lines():
        return [ln for ln in s.stdout_text().splitlines() if ln.strip()]

    assert wait_until(lambda: key_lines(), 10.0), \
        "no admin key on stdout while the server runs (stdout not flushed?)"
    lines = key_lines()
    assert len(lines) == 1, lines
    m = pattern.match(lines[0])
    assert m, lines
    admin = m.group(1)
    r = s.request("GET", "/api/v1/events?after=0&limit=1", key=admin)
    assert r.status == 200, r.body

    s.restart()
    assert s.stdout_text().strip() == ""
    assert s.request("GET", "/api/v1/events?after=0&limit=1", key=admin).status == 200


def test_version_and_help():
    v = run_cli("--version")
    assert v.returncode == 0
    assert re.search(r"\d+\.\d+", v.stdout.decode() + v.stderr.decode())
    h = run_cli("--help")
    assert h.returncode == 0
    out = h.stdout.decode() + h.stderr.decode()
    assert "serve" in out


@pytest.mark.sqlite_only("migrates the SQLite file")
def test_migrate(tmp_path):
    d = tmp_path / "m"
    d.mkdir()
    first = run_cli("migrate", "--data", str(d))
    assert first.returncode == 0, first.stderr
    assert (d / "shipline.db").is_file()
    again = run_cli("migrate", "--data", str(d))
    assert again.returncode == 0, again.stderr


def test_migrated_folder_then_serve(make_shipline, tmp_path):
    d = tmp_path / "pre"
    d.mkdir()
    assert run_cli("migrate", "--data", str(d)).returncode == 0
    s = make_shipline(data_dir=d)
    s.create_order(order_body("100001"))
    assert s.complete("100001-1", TRACKING).status == 200


def test_unknown_command_fails():
    r = run_cli("no-such-command")
    assert r.returncode != 0


@pytest.mark.sqlite_only("looks at the SQLite file")
def test_configuration_through_environment(make_shipline):
    s = make_shipline(use_env_config=True)
    assert s.db_path.is_file()
    s.create_order(order_body("100001"))
    assert s.complete("100001-1", TRACKING).status == 200
    assert len(s.wait_eml(1)) == 1


def test_sigterm_exits_cleanly(shipline):
    shipline.create_order(order_body("100001"))
    assert shipline.stop() == 0


def test_parallel_order_creation(shipline):
    shipline.key
    results = {}

    def worker(i):
        try:
            results[i] = shipline.request("POST", "/api/v1/orders",
                                          body=order_body(f"5000{i:02d}")).status
        except Exception as exc:  # noqa: BLE001
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [results.get(i) for i in range(20)] == [201] * 20


def test_same_order_posted_concurrently_created_once(shipline):
    shipline.key
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(10)

    def worker():
        barrier.wait(timeout=30)
        r = shipline.request("POST", "/api/v1/orders", body=order_body("600001"))
        with lock:
            results.append(r.status)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [201] + [409] * 9, results



@pytest.mark.parametrize("args", [
    ["--payment-provider", "bogus"],
    ["--payment-provider", "http"],  # no --payment-url
    ["--listen", "not-an-address"],
], ids=["unknown-provider", "http-without-url", "bad-listen"])
def test_serve_refuses_bad_configuration(tmp_path, args):
    d = tmp_path / "bad"
    d.mkdir()
    cmd = [SHIPLINE_BIN, "serve", "--data", str(d)]
    if "--listen" not in args:
        cmd += ["--listen", "127.0.0.1:0"]
    proc = subprocess.Popen(cmd + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        code = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        pytest.fail(f"serve {args} kept running instead of refusing the configuration")
    finally:
        proc.stdout.close()
        proc.stderr.close()
    assert code != 0
