"""Oversized, malformed and truncated requests get 400/413 (or a closed
connection) and leave the server serving."""

import json
import re
import socket
import time

import pytest

from conftest import TRACKING, order_body, raw_exchange, status_of

MIB = 1024 * 1024


def assert_still_serving(s):
    r = s.request("GET", "/healthz", key=None)
    assert r.status == 200
    # Not only health: the authenticated API works too.
    r = s.request("GET", "/api/v1/events?after=0&limit=1")
    assert r.status == 200, r.body


def _post_head(s, path, length, extra=""):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{s.port}\r\n"
            f"Authorization: Bearer {s.key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n{extra}\r\n").encode()


@pytest.mark.parametrize("path", ["/api/v1/orders",
                                  "/integration/api/shipping/v1/shipments/complete-shipment"])
def test_body_over_1mib_is_413(shipline, path):
    body = b"{\"pad\": \"" + b"x" * (MIB + 16) + b"\"}"
    raw = raw_exchange(shipline.port, _post_head(shipline, path, len(body)) + body, timeout=20)
    assert status_of(raw) == 413, raw[:300]
    assert_still_serving(shipline)


def _json_after_head(raw):
    return json.loads(raw.partition(b"\r\n\r\n")[2].decode())


def test_transport_refusals_come_in_the_contracts_own_shape(shipline):
    """413, 431 and 400 happen before any handler runs; they still answer in
    the error shape of the contract the path belongs to."""
    body = b"x" * (MIB + 16)
    head = _post_head(shipline, "/api/shipping-orders/v1/shipments", len(body))
    got = _json_after_head(raw_exchange(shipline.port, head + body, timeout=20))
    assert got["type"] == "PAYLOAD_TOO_LARGE" and got["code"] == 413, got
    head = _post_head(shipline, "/api/v1/orders", len(body))
    got = _json_after_head(raw_exchange(shipline.port, head + body, timeout=20))
    assert got["code"] == "PAYLOAD_TOO_LARGE" and got["error"], got
    head = _post_head(shipline, "/api/v2/client/invoices/1/shipments", len(body))
    got = _json_after_head(raw_exchange(shipline.port, head + body, timeout=20))
    assert got["errors"][0]["status"] == "413", got
    big = (b"GET /api/shipping-orders/v1/shipments/x HTTP/1.1\r\nHost: x\r\nX-Big: "
           + b"h" * (32 * 1024) + b"\r\n\r\n")
    raw = raw_exchange(shipline.port, big, timeout=15)
    assert status_of(raw) == 431 and _json_after_head(raw)["type"] == "HEADERS_TOO_LARGE", raw[:300]
    raw = raw_exchange(shipline.port, b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\n"
                       b"Transfer-Encoding: gzip\r\n\r\n", timeout=15)
    assert status_of(raw) == 400 and _json_after_head(raw)["code"] == "INVALID_ARGUMENT", raw
    assert_still_serving(shipline)


def test_body_over_1mib_through_http_client_is_413(shipline):
    """A client that writes the whole body before it reads (Python's
    http.client, like many) must still see the 413: the server has to drain or
    linger before closing, not reset the connection under the client's feet.
    Repeated because a reset loses the race only some of the time."""
    body = {"orderNumber": "1", "pad": "y" * (MIB + 1)}
    for attempt in range(5):
        try:
            r = shipline.request("POST", "/api/v1/orders", body=body)
        except (BrokenPipeError, ConnectionResetError) as exc:
            pytest.fail(f"attempt {attempt}: the connection was reset instead of a 413 ({exc!r})")
        assert r.status == 413, r.body
    assert_still_serving(shipline)


def test_announced_length_over_1mib_is_413_without_body(shipline):
    # Only the head is sent: the server can refuse on Content-Length alone.
    head = _post_head(shipline, "/api/v1/orders", 5 * MIB)
    raw = raw_exchange(shipline.port, head, timeout=20)
    assert status_of(raw) == 413, raw[:300]
    assert_still_serving(shipline)


def test_chunked_body_over_1mib_is_413(shipline):
    head = (f"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {shipline.key}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
    chunk = b"z" * 65536
    body = b"".join(b"%x\r\n" % len(chunk) + chunk + b"\r\n" for _ in range(20)) + b"0\r\n\r\n"
    raw = raw_exchange(shipline.port, head + body, timeout=20)
    assert status_of(raw) == 413, raw[:300]
    assert_still_serving(shipline)


def test_body_just_under_1mib_is_not_413(shipline):
    order = order_body("700001")
    order["shippingAddress"]["line2"] = ""
    text = json.dumps(order)
    pad = MIB - 4096 - len(text)
    padded = text[:-1] + ', "padding": "' + "p" * pad + '"}'
    assert len(padded) < MIB
    r = shipline.request("POST", "/api/v1/orders", raw=padded.encode(),
                         headers={"Content-Type": "application/json"})
    assert r.status != 413, r.body
    assert r.status in (201, 400), r.status
    assert_still_serving(shipline)


GARBAGE = [
    b"\x00\x01\x02\xff\xfe garbage \r\n\r\n",
    b"GARBAGE\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost x\r\nno-colon-header\r\n\r\n",
    b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    bytes(range(256)) * 8,
]


@pytest.mark.parametrize("data", GARBAGE, ids=[f"garbage{i}" for i in range(len(GARBAGE))])
def test_malformed_http_is_400_or_closed(shipline, data):
    raw = raw_exchange(shipline.port, data, timeout=15)
    assert raw == b"" or status_of(raw) == 400, raw[:300]
    assert_still_serving(shipline)


SMUGGLED = b"GET /api/v1/events?after=0&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"


@pytest.mark.parametrize("encoding", [b"xchunked", b"gzip", b"chunked, identity", b"identity",
                                      b"chunked\r\nTransfer-Encoding: chunked",
                                      b"\r\n chunked"])
def test_unframable_transfer_encoding_is_400_and_the_body_never_runs(shipline, encoding):
    """RFC 9112 section 6.3: a request whose Transfer-Encoding is not exactly
    chunked (other codings, two fields, a folded field) cannot be framed; it
    gets 400 and the connection closes, so its body never runs as a request."""
    data = (f"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {shipline.key}"
            "\r\nTransfer-Encoding: ").encode() + encoding + b"\r\n\r\n" + SMUGGLED
    raw = raw_exchange(shipline.port, data, timeout=15)
    assert status_of(raw) == 400, raw[:300]
    assert raw.count(b"HTTP/1.1 ") == 1, raw[:600]
    assert_still_serving(shipline)


def test_chunked_in_any_case_is_framed(shipline):
    body = json.dumps(order_body("510001")).encode()
    data = (f"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {shipline.key}"
            "\r\nContent-Type: application/json\r\nTransfer-Encoding: Chunked\r\n"
            "Connection: close\r\n\r\n").encode()
    data += b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"
    raw = raw_exchange(shipline.port, data, timeout=15)
    assert status_of(raw) == 201, raw[:300]


def test_query_text_that_is_not_utf8_is_400(shipline):
    r = shipline.request("GET", "/api/v1/events?after=0&limit=1&x=%C0%AF")
    assert r.status == 400, r.raw
    r = shipline.request("GET", "/api/v1/orders/%FF%FE")
    assert r.status == 404, r.raw
    assert_still_serving(shipline)


def test_oversized_header_is_rejected(shipline):
    data = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"h" * (256 * 1024) + b"\r\n\r\n")
    raw = raw_exchange(shipline.port, data, timeout=15)
    assert raw == b"" or status_of(raw) in (400, 413, 431), raw[:300]
    assert_still_serving(shipline)


def test_truncated_request_then_close(shipline):
    for _ in range(5):
        head = _post_head(shipline, "/api/v1/orders", 1000)
        with socket.create_connection(("127.0.0.1", shipline.port), timeout=10) as s:
            s.sendall(head + b"{\"orderNumber\": \"1")
        # closed with 980 bytes missing
    assert_still_serving(shipline)
    shipline.create_order(order_body("700002"))
    assert shipline.complete("700002-1", TRACKING).status == 200


def test_truncated_head_then_close(shipline):
    with socket.create_connection(("127.0.0.1", shipline.port), timeout=10) as s:
        s.sendall(b"POST /api/v1/orders HTTP/1.1\r\nHost: x\r\nContent-Le")
    assert_still_serving(shipline)


def test_stalled_connections_do_not_block_others(shipline):
    socks = []
    try:
        for _ in range(30):
            s = socket.create_connection(("127.0.0.1", shipline.port), timeout=10)
            s.sendall(_post_head(shipline, "/api/v1/orders", 1000) + b"{")
            socks.append(s)
        for _ in range(30):
            s = socket.create_connection(("127.0.0.1", shipline.port), timeout=10)
            socks.append(s)  # connected, nothing sent
        assert_still_serving(shipline)
        shipline.create_order(order_body("700003"))
    finally:
        for s in socks:
            s.close()
    assert_still_serving(shipline)


def test_one_client_cannot_take_every_connection(make_shipline):
    """Idle connections from one address (127.0.0.2 here) get that address's
    share and no more; a client elsewhere is still served."""
    s = make_shipline(extra_args=["--max-connections-per-client", "20"])
    held = []
    try:
        for _ in range(60):
            c = socket.socket()
            c.settimeout(10)
            c.bind(("127.0.0.2", 0))
            c.connect(("127.0.0.1", s.port))
            held.append(c)
        closed = 0
        for c in held[20:]:
            try:
                closed += c.recv(1) == b""
            except ConnectionResetError:
                closed += 1
        assert closed == 40
        assert_still_serving(s)
    finally:
        for c in held:
            c.close()


def test_keep_alive_serves_several_requests(shipline):
    key = shipline.key
    req = (f"GET /api/v1/events?after=0&limit=1 HTTP/1.1\r\nHost: x\r\n"
           f"Authorization: Bearer {key}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", shipline.port), timeout=10) as s:
        buf = b""
        for i in range(3):
            s.sendall(req)
            deadline = time.monotonic() + 10
            while buf.count(b"HTTP/1.1 200") <= i and time.monotonic() < deadline:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
        assert buf.count(b"HTTP/1.1 200") == 3, buf[:500]


def test_pipelined_requests_are_answered_in_order(shipline):
    key = shipline.key
    reqs = b"".join(
        (f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n\r\n").encode()
        for path in ("/healthz", "/api/v1/orders/none", "/api/v1/events?after=0&limit=1"))
    with socket.create_connection(("127.0.0.1", shipline.port), timeout=10) as s:
        s.sendall(reqs)
        buf = b""
        deadline = time.monotonic() + 10
        while buf.count(b"HTTP/1.1 ") < 3 and time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    statuses = [int(code) for code in re.findall(rb"HTTP/1\.1 (\d{3}) ", buf)]
    assert statuses == [200, 404, 200], buf[:800]


def test_http10_request_is_served(shipline):
    raw = raw_exchange(shipline.port, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert status_of(raw) == 200, raw[:300]


def test_after_all_abuse_data_is_intact(shipline):
    shipline.create_order(order_body("700010"))
    for data in GARBAGE:
        raw_exchange(shipline.port, data, timeout=10)
    raw_exchange(shipline.port, _post_head(shipline, "/api/v1/orders", 5 * MIB), timeout=10)
    assert shipline.complete("700010-1", TRACKING).status == 200
    assert shipline.shipment("700010-1")["status"] == "SHIPPED"
