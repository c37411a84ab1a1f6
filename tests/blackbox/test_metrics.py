"""GET /metrics on its own listener (Prometheus text format, read with the
prometheus_client parser from Debian's python3-prometheus-client) and W3C
trace context from a request to its event and the calls that follow."""

import base64
import http.client
import json
import os
import re
import socket

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import (COMPLETE_PATH, TRACKING, free_port, http_payment_args, order_body,
                      wait_until)
from webhook_receiver import WebhookReceiver

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
VALID = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


@pytest.fixture
def receiver():
    r = WebhookReceiver().start()
    yield r
    r.stop()


def metrics_server(make_shipline, *extra):
    port = free_port()
    s = make_shipline(extra_args=["--metrics-listen", f"127.0.0.1:{port}",
                                  "--webhook-allow-private", *extra])
    s.metrics_port = port
    return s


def scrape(s):
    """Every sample on the page as (name, labels, value); the page must parse."""
    conn = http.client.HTTPConnection("127.0.0.1", s.metrics_port, timeout=10)
    try:
        conn.request("GET", "/metrics")
        resp = conn.getresponse()
        text = resp.read().decode()
        assert resp.status == 200, text
        assert resp.getheader("Content-Type").startswith("text/plain; version=0.0.4")
    finally:
        conn.close()
    samples = []
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.append((sample.name, sample.labels, sample.value))
    return samples


def value(samples, name, **labels):
    """The sum of the samples named `name` whose labels include `labels`; 0 if none."""
    return sum(v for n, l, v in samples
               if n == name and all(l.get(k) == want for k, want in labels.items()))


def has(samples, name, **labels):
    return any(n == name and all(l.get(k) == want for k, want in labels.items())
               for n, l, _ in samples)


def trace_of(header):
    match = VALID.match(header or "")
    assert match, f"not a version 00 traceparent: {header!r}"
    assert match.group(1) != "0" * 32 and match.group(2) != "0" * 16
    return match.group(1), match.group(2)


def access_log_traceparent(s, path):
    """The traceparent of the first access log line for `path` (log lines are
    written in batches: waits for it)."""
    def find():
        for line in s.stderr_text().splitlines():
            if '"msg":"request"' in line and f'"path":"{path}"' in line:
                return json.loads(line)["traceparent"]
        return None
    return wait_until(find, 10)


def complete(s, number, traceparent=None):
    headers = {"traceparent": traceparent} if traceparent is not None else None
    return s.request("POST", COMPLETE_PATH, body={"shipmentNumber": number,
                                                 "carrierTrackingNumber": TRACKING},
                     headers=headers)


def test_a_completion_moves_its_counters_and_carries_its_trace(make_shipline, payment_server,
                                                               receiver):
    s = metrics_server(make_shipline, *http_payment_args(payment_server))
    before = scrape(s)
    assert value(before, "shipline_completions_total") == 0
    r = s.request("POST", "/api/v1/webhooks", body={"url": receiver.url()})
    assert r.status == 201, r.body
    s.create_order(order_body("100001"))

    r = complete(s, "100001-1", TRACEPARENT)
    assert r.status == 200, r.body
    assert r.headers.get("X-Request-Id")

    # The trace goes on: the access log, the capture, the webhook delivery.
    logged = access_log_traceparent(s, COMPLETE_PATH)
    assert logged is not None and trace_of(logged)[0] == TRACE_ID
    [capture] = payment_server.captured()
    capture_trace, capture_span = trace_of(capture["headers"].get("traceparent"))
    [delivery] = receiver.wait_for(1)
    hook_trace, hook_span = trace_of(delivery["headers"].get("traceparent"))
    assert capture_trace == hook_trace == TRACE_ID
    assert len({capture_span, hook_span, "00f067aa0ba902b7", trace_of(logged)[1]}) == 4, \
        "every call is a span of its own"

    assert s.request("GET", "/api/v1/orders/100001").status == 200
    assert s.request("GET", "/api/v1/orders/nope-404").status == 404
    assert s.request("GET", "/no/such/route").status == 404
    s.wait_eml(1)

    def settled():
        page = scrape(s)
        done = (value(page, "shipline_emails_total", outcome="sent") == 1
                and value(page, "shipline_webhook_deliveries_total", outcome="delivered") == 1
                and value(page, "shipline_consumer_lag_events", consumer="email") == 0
                and value(page, "shipline_consumer_lag_events", consumer="webhooks") == 0)
        return page if done else None
    page = wait_until(settled, 30, interval=0.2)
    assert page, scrape(s)

    route = {"route": COMPLETE_PATH, "method": "POST"}
    assert value(page, "shipline_http_requests_total", status="2xx", **route) == 1
    assert value(page, "shipline_http_request_duration_seconds_count", **route) == 1
    assert value(page, "shipline_http_request_duration_seconds_bucket", le="+Inf", **route) == 1
    order_route = {"route": "/api/v1/orders/{orderNumber}", "method": "GET"}
    assert value(page, "shipline_http_requests_total", status="2xx", **order_route) == 1
    assert value(page, "shipline_http_requests_total", status="4xx", **order_route) == 1
    assert value(page, "shipline_http_requests_total", route="unmatched", method="GET",
                 status="4xx") == 1
    assert not any(l.get("route") == "/api/v1/orders/100001" for _, l, _ in page), \
        "raw paths never become labels"
    assert value(page, "shipline_completions_total") == 1
    assert value(page, "shipline_payment_captures_total", outcome="succeeded") == 1
    assert value(page, "shipline_payment_captures_total", outcome="failed") == 0
    assert value(page, "shipline_emails_total", outcome="failed") == 0
    assert value(page, "shipline_consumer_oldest_unprocessed_age_seconds", consumer="email") == 0
    assert value(page, "shipline_store_commit_batch_size_count") >= 3
    assert value(page, "shipline_store_commit_duration_seconds_count") >= 3
    assert has(page, "shipline_http_open_connections")
    assert value(page, "process_resident_memory_bytes") > 1_000_000
    assert value(page, "process_open_fds") > 3

    # A declined capture counts as failed; counters only ever grow.
    payment_server.set_mode("decline")
    s.create_order(order_body("100002"))
    assert complete(s, "100002-1").status != 200
    after = scrape(s)
    assert value(after, "shipline_payment_captures_total", outcome="failed") == 1
    assert value(after, "shipline_payment_captures_total", outcome="succeeded") == 1
    assert value(after, "shipline_completions_total") == 1
    assert value(after, "shipline_http_requests_total", status="2xx", **route) == 1


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "Content-Type": "application/json"}


def test_3pl_notifications_are_counted_as_accepted_or_rejected(make_shipline):
    s = metrics_server(make_shipline)
    conn = s.request("POST", "/api/v1/integrations/3pl/connections", body={"name": "FL1"}).body
    s.create_order(order_body("100001"))

    def notify(order):
        body = {"order_number": order, "items": [{"sku": "A", "fulfilled_quantity": 2}],
                "packages": [{"tracking_number": TRACKING, "carrier": "UPS"}]}
        return s.request("POST", "/api/v1/integrations/3pl/shipment-notification",
                         raw=json.dumps(body), key=None,
                         headers=basic(conn["username"], conn["password"]))

    assert notify("100001").status == 200
    assert notify("999999").status == 404
    page = scrape(s)
    assert value(page, "shipline_threepl_notifications_total", outcome="accepted") == 1
    assert value(page, "shipline_threepl_notifications_total", outcome="rejected") == 1
    assert value(page, "shipline_completions_total") == 1
    assert value(page, "shipline_payment_captures_total", outcome="succeeded") == 1


def test_an_invalid_traceparent_is_replaced_by_a_new_trace(make_shipline, receiver):
    s = metrics_server(make_shipline)
    s.request("POST", "/api/v1/webhooks", body={"url": receiver.url()})
    s.create_order(order_body("100001"))
    invalid = "00-00000000000000000000000000000000-00f067aa0ba902b7-01"
    assert complete(s, "100001-1", invalid).status == 200
    logged_trace, _ = trace_of(access_log_traceparent(s, COMPLETE_PATH))
    [delivery] = receiver.wait_for(1)
    hook_trace, _ = trace_of(delivery["headers"].get("traceparent"))
    assert hook_trace == logged_trace != "0" * 32
    # A request without one starts a trace of its own too.
    assert trace_of(access_log_traceparent(s, "/api/v1/orders"))[0] != logged_trace


def test_metrics_listen_off_serves_nothing(make_shipline):
    with socket.socket() as probe:
        default_free = probe.connect_ex(("127.0.0.1", 9464)) != 0
    s = make_shipline(extra_args=["--metrics-listen", "off"])
    assert "serving metrics" not in s.stderr_text()
    assert s.request("GET", "/metrics", key=None).status == 404  # not on the API listener
    if default_free:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", 9464)) != 0


def test_metrics_page_needs_no_key_and_serves_only_metrics(make_shipline):
    s = metrics_server(make_shipline)
    conn = http.client.HTTPConnection("127.0.0.1", s.metrics_port, timeout=10)
    try:
        conn.request("GET", "/api/v1/orders/100001")
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 404
        conn.request("POST", "/metrics", body=b"")
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 405
    finally:
        conn.close()
    assert has(scrape(s), "shipline_http_requests_total", route="unmatched")


def test_a_busy_metrics_port_is_a_clear_startup_error(make_shipline):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        s = make_shipline(extra_args=["--metrics-listen", f"127.0.0.1:{port}"], start=False)
        s._launch()
        assert s.proc.wait(timeout=30) == 1
    assert f"metrics listener: cannot listen on 127.0.0.1:{port}" in s.stderr_text()


def test_a_malformed_metrics_address_is_refused(make_shipline):
    s = make_shipline(extra_args=["--metrics-listen", "nowhere"], start=False)
    s._launch()
    assert s.proc.wait(timeout=30) == 2
    assert "--metrics-listen must be HOST:PORT or off" in s.stderr_text()


def test_the_servers_threads_carry_their_names(make_shipline):
    # What `top -H` and `ps -L` show an operator; the main thread and the
    # pool keep the process's name.
    s = metrics_server(make_shipline)
    tasks = f"/proc/{s.proc.pid}/task"

    def names():
        return {open(f"{tasks}/{tid}/comm").read().strip() for tid in os.listdir(tasks)}

    writer = "pg-writer" if s.database_args() else "sqlite-writer"
    expected = {writer, "http-io", "email", "webhooks", "webhook-wake", "metrics", "key-pruning",
                "key-use", "node-keys", "shipline"}
    # A thread names itself as it starts, which may be just after the server answers.
    assert wait_until(lambda: expected <= names(), timeout=10), names()
