"""What was acknowledged survives kill -9; an email whose event was written but
not yet sent goes out after a restart, and never twice."""

import time

import threading

import pytest

from conftest import TRACKING, free_port, http_payment_args, order_body, wait_until

MAIL_FROM = "shipping@shop.example"


def test_completed_shipment_survives_kill9(make_shipline):
    s = make_shipline()
    s.create_order(order_body("300001"))
    assert s.complete("300001-1", TRACKING).status == 200
    before_events = s.shipped_events()
    before_shipment = s.shipment("300001-1")
    key = s.key

    s.kill9()
    s.start()

    # The key still works, and the data is all there.
    after = s.shipment("300001-1", key=key)
    assert after["status"] == "SHIPPED"
    assert after["carrierTrackingNumber"] == TRACKING
    assert after["statusHistory"] == before_shipment["statusHistory"]
    events = s.shipped_events(key=key)
    assert len(events) == 1
    assert events == before_events
    assert s.complete("300001-1", TRACKING).status == 409

    # Exactly one email in the end, whether it left before or after the kill.
    assert len(s.wait_eml(1, timeout=20)) == 1
    time.sleep(2.0)
    assert len(s.eml_files()) == 1


def test_every_acknowledged_completion_survives_kill9(make_shipline):
    s = make_shipline()
    n = 10
    s.create_order(order_body("300010", shipments=[
        (f"300010-{i}", "RELEASED", [("A", 1)]) for i in range(1, 3)]))
    numbers = ["300010-1", "300010-2"]
    for i in range(n):
        num = f"3001{i:02d}"
        s.create_order(order_body(num))
        numbers.append(f"{num}-1")
    for number in numbers:
        assert s.complete(number, TRACKING).status == 200
    s.kill9()
    s.start()
    for number in numbers:
        assert s.shipment(number)["status"] == "SHIPPED", number
    assert len(s.shipped_events()) == len(numbers)
    order = s.request("GET", "/api/v1/orders/300010").body
    assert order["shippingState"] == "shipped"


def test_new_data_after_restart_continues(make_shipline):
    s = make_shipline()
    s.create_order(order_body("300020"))
    assert s.complete("300020-1", TRACKING).status == 200
    s.restart()
    # The order number is still taken; new orders and events still work.
    r = s.request("POST", "/api/v1/orders", body=order_body("300020"))
    assert r.status == 409, r.body
    s.create_order(order_body("300021"))
    assert s.complete("300021-1", TRACKING).status == 200
    events = s.shipped_events()
    assert [e["payload"]["shipmentNumber"] for e in events] == ["300020-1", "300021-1"]
    ids = [e["id"] for e in events]
    assert ids == sorted(set(ids))


def test_pending_email_is_sent_after_restart_exactly_once(make_shipline, make_smtp_sink):
    smtp_port = free_port()  # nothing listens here yet
    args = ["--smtp", f"smtp://127.0.0.1:{smtp_port}", "--mail-from", MAIL_FROM]
    s = make_shipline(extra_args=args)
    s.create_order(order_body("300030", email_addr="late@example.com"))
    r = s.complete("300030-1", TRACKING)
    assert r.status == 200, r.body
    time.sleep(1.0)  # let the email worker try (and fail) at least once
    s.kill9()

    sink = make_smtp_sink(port=smtp_port)
    s.start()
    messages = sink.wait_for(1, timeout=30)
    assert len(messages) == 1, "the pending email was not sent after the restart"
    assert messages[0]["rcpt_tos"] == ["late@example.com"]
    body = messages[0]["message"].get_body(preferencelist=("plain", "html")).get_content()
    assert "300030-1" in body and TRACKING in body

    # Another restart must not send it again. (Give the server a moment to
    # record the delivery: a crash between SMTP's "250" and that record is
    # the one window where a resend cannot be avoided.)
    time.sleep(1.0)
    s.restart()
    time.sleep(3.0)
    assert sink.count() == 1
    s.restart(kill=True)
    time.sleep(3.0)
    assert sink.count() == 1


def test_email_retried_while_running_when_smtp_comes_back(make_shipline, make_smtp_sink):
    smtp_port = free_port()
    s = make_shipline(extra_args=["--smtp", f"smtp://127.0.0.1:{smtp_port}",
                                  "--mail-from", MAIL_FROM])
    s.create_order(order_body("300040"))
    assert s.complete("300040-1", TRACKING).status == 200
    time.sleep(1.0)
    sink = make_smtp_sink(port=smtp_port)
    # The worker retries with a back-off; give it a generous but bounded wait.
    messages = sink.wait_for(1, timeout=90)
    assert len(messages) == 1, "the email was never retried while the server ran"
    time.sleep(2.0)
    assert sink.count() == 1


@pytest.mark.sqlite_only("looks at the SQLite file in the data folder")
def test_database_file_in_data_folder(make_shipline):
    s = make_shipline()
    assert s.db_path.is_file()
    s.create_order(order_body("300050"))
    s.stop()
    assert wait_until(lambda: s.db_path.stat().st_size > 0, 2.0)


@pytest.mark.sqlite_only("a node alone on its folder frees claims at start; on PostgreSQL other "
                         "nodes may be capturing, so a crashed node's claim waits out its lease")
def test_crash_during_capture_then_retry_captures_with_same_key(make_shipline, payment_server):
    """kill -9 while the capture call is in flight; after the restart a retry
    completes the shipment (not a 409: nothing else is completing it), and the
    second capture carries the same Idempotency-Key, so the provider can
    recognise the repeat."""
    payment_server.set_mode("delay", delay=5.0)
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("300060"))
    s.key
    outcome = []

    def call():
        try:
            outcome.append(s.complete("300060-1", TRACKING))
        except OSError as exc:
            outcome.append(exc)

    t = threading.Thread(target=call)
    t.start()
    assert wait_until(lambda: len(payment_server.captured()) >= 1, 15.0), "no capture call"
    s.kill9()
    t.join(timeout=30)
    assert outcome and isinstance(outcome[0], OSError), outcome  # the client saw no answer

    payment_server.set_mode("ok")
    s.start()
    assert s.shipment("300060-1")["status"] == "RELEASED"
    assert s.shipped_events() == []
    r = s.complete("300060-1", TRACKING)
    assert r.status == 200, (r.status, r.body)
    captures = payment_server.captured()
    assert len(captures) == 2, captures
    keys = [c["headers"].get("idempotency-key") for c in captures]
    assert keys[0] and keys[0] == keys[1], keys
    assert s.shipment("300060-1")["status"] == "SHIPPED"
    assert len(s.shipped_events()) == 1


def test_sigterm_lets_an_inflight_completion_finish(make_shipline, payment_server):
    """Graceful stop: a completion whose capture is under way when SIGTERM
    arrives is answered, and what was answered 200 is there after a restart."""
    payment_server.set_mode("delay", delay=2.0)
    s = make_shipline(extra_args=http_payment_args(payment_server))
    s.create_order(order_body("300070"))
    s.key
    outcome = []

    def call():
        try:
            outcome.append(s.complete("300070-1", TRACKING))
        except OSError as exc:
            outcome.append(exc)

    t = threading.Thread(target=call)
    t.start()
    assert wait_until(lambda: len(payment_server.captured()) >= 1, 15.0), "no capture call"
    code = s.stop()
    t.join(timeout=30)
    assert outcome, "the request never returned"
    r = outcome[0]
    assert not isinstance(r, Exception), f"in-flight request cut off by SIGTERM: {r!r}"
    assert r.status == 200, (r.status, r.body)
    assert code == 0
    payment_server.set_mode("ok")
    s.start()
    assert s.shipment("300070-1")["status"] == "SHIPPED"
    assert len(s.shipped_events()) == 1
    assert len(payment_server.captured()) == 1


def test_acknowledged_concurrent_completions_survive_kill9_mid_stream(make_shipline):
    """Completions from several clients at once commit in groups (a commit of
    many WAL pages, which SQLite's writer hands to the file in few writes);
    SIGKILL while more are in flight: every completion answered 200 before
    the kill is there after the restart, and every shipment is either wholly
    shipped (with its one event) or untouched."""
    s = make_shipline()
    numbers = []
    for i in range(80):
        num = f"3002{i:02d}"
        s.create_order(order_body(num))
        numbers.append(f"{num}-1")
    acknowledged = []
    lock = threading.Lock()
    enough = threading.Event()

    def client(mine):
        for number in mine:
            if enough.is_set():
                return
            try:
                r = s.complete(number, TRACKING)
            except OSError:
                return  # the server was killed under this request
            if r.status == 200:
                with lock:
                    acknowledged.append(number)
                    if len(acknowledged) >= 50:
                        enough.set()

    threads = [threading.Thread(target=client, args=(numbers[k::8],)) for k in range(8)]
    for t in threads:
        t.start()
    assert enough.wait(timeout=60), f"only {len(acknowledged)} completions answered"
    s.kill9()
    for t in threads:
        t.join(timeout=30)
    with lock:
        answered = list(acknowledged)

    s.start()
    shipped = set()
    for number in numbers:
        status = s.shipment(number)["status"]
        assert status in ("SHIPPED", "RELEASED"), (number, status)
        if status == "SHIPPED":
            shipped.add(number)
    assert set(answered) <= shipped, sorted(set(answered) - shipped)
    events = s.shipped_events()
    assert sorted(e["payload"]["shipmentNumber"] for e in events) == sorted(shipped)
