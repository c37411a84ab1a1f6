"""Events on a real ActiveMQ broker (Debian's activemq) over STOMP.

`shipline serve --broker` publishes every event to /topic/VirtualTopic.ep.orders;
`shipline worker email` consumes the email handler's queue on that virtual
topic and mails each shipped shipment once. A second consumer queue (audit),
read by the test, shows what the broker received. The broker is stopped,
killed and restarted in the middle of the traffic: nothing acknowledged is
lost and nothing is mailed twice.
"""

import json
import threading
import time

import pytest

from broker_support import (AUDIT_QUEUE, EMAIL_QUEUE, ORDERS_TOPIC, ActiveMq,
                            EmailWorkerProcess, StompPeer)
from conftest import COMPLETE_PATH, TRACKING, order_body, run_cli, wait_until

MAIL_FROM = "shipping@shop.example"
MAIL_TIMEOUT = 120.0


@pytest.fixture
def broker(tmp_path):
    mq = ActiveMq(tmp_path / "activemq")
    mq.start()
    yield mq
    mq.kill()


@pytest.fixture
def make_email_worker():
    workers = []

    def factory(shipline, broker, smtp_sink):
        worker = EmailWorkerProcess(shipline.data_dir, broker.url, smtp_sink.url, MAIL_FROM,
                                    extra_args=shipline.database_args())
        workers.append(worker)
        return worker.start()

    yield factory
    for worker in workers:
        if worker.running():
            worker.proc.kill()
            worker.proc.wait(timeout=20)


def _start_node(make_shipline, broker):
    return make_shipline(extra_args=["--broker", broker.url, "--email-worker", "off"])


def _ship(shipline, number):
    shipline.create_order(order_body(number, email_addr=f"c{number}@example.com"))
    r = shipline.complete(f"{number}-1", TRACKING)
    assert r.status == 200, r.body


def _topic_events(shipline):
    """The node's events that go to the orders topic, by id."""
    return {e["id"]: e for e in shipline.events() if e["topic"] == ORDERS_TOPIC}


def _audit(broker, expected_ids, timeout=MAIL_TIMEOUT):
    """Every message on the audit queue, read until each expected id came and
    then a quiet spell (so that repeats show)."""
    peer = StompPeer(broker.port)
    try:
        peer.subscribe(f"/queue/{AUDIT_QUEUE}")
        wanted = set(expected_ids)
        return peer.drain(
            until=lambda frames: wanted <= {int(f.headers["event-id"]) for f in frames},
            timeout=timeout)
    finally:
        peer.close()


def _assert_mailed_once(smtp_sink, numbers):
    expected = {f"c{n}@example.com" for n in numbers}
    messages = smtp_sink.wait_for(len(numbers), timeout=MAIL_TIMEOUT)
    time.sleep(2.0)  # bounded: a repeat would arrive here
    messages = smtp_sink.wait_for(len(numbers), timeout=0)
    recipients = [m["rcpt_tos"][0].lower() for m in messages]
    missing = expected - set(recipients)
    repeated = sorted({r for r in recipients if recipients.count(r) > 1})
    assert not missing, f"no email for {sorted(missing)}"
    assert not repeated, f"mailed more than once: {repeated}"
    assert len(recipients) == len(numbers)


def test_each_event_reaches_the_topic_once_and_is_mailed_once(make_shipline, broker,
                                                                smtp_sink, make_email_worker):
    s = _start_node(make_shipline, broker)
    worker = make_email_worker(s, broker, smtp_sink)
    numbers = [f"31000{i}" for i in range(1, 6)]
    for number in numbers:
        _ship(s, number)

    _assert_mailed_once(smtp_sink, numbers)
    events = _topic_events(s)
    assert len([e for e in events.values() if e["type"] == "order-shipment-shipped"]) == 5

    frames = _audit(broker, events)
    ids = [int(f.headers["event-id"]) for f in frames]
    assert sorted(ids) == sorted(events), "each event once on the consumer queue"
    for frame in frames:
        event = events[int(frame.headers["event-id"])]
        assert frame.headers["event-type"] == event["type"]
        assert frame.headers["content-type"].startswith("application/json")
        assert frame.headers["persistent"] == "true"
        assert frame.headers["original-destination"] == f"/topic/{ORDERS_TOPIC}"
        assert frame.headers["event-subject"] == event["subject"]
        assert json.loads(frame.body) == event["payload"]

    # The email handler acknowledged everything: its queue is empty.
    assert worker.stop() == 0
    peer = StompPeer(broker.port)
    try:
        peer.subscribe(f"/queue/{EMAIL_QUEUE}")
        left = peer.receive(2.0)
    finally:
        peer.close()
    assert left is None, f"unacknowledged message left on the email queue: {left!r}"
    for line in worker.stderr_text().splitlines():
        assert '"level":"error"' not in line, line


@pytest.mark.parametrize("outage", ["stop", "kill"])
def test_broker_restart_mid_stream_loses_nothing_and_mails_nothing_twice(
        make_shipline, broker, smtp_sink, make_email_worker, outage):
    s = _start_node(make_shipline, broker)
    make_email_worker(s, broker, smtp_sink)
    numbers = [f"32{i:04d}" for i in range(1, 31)]
    done = []
    failures = []

    def completions():
        try:
            for number in numbers:
                _ship(s, number)
                done.append(number)
                time.sleep(0.1)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    thread = threading.Thread(target=completions, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while len(done) < 10 and not failures and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(done) >= 10, f"completions stalled: {failures}"
    if outage == "stop":
        broker.stop()
    else:
        broker.kill()
    # Completions go on while the broker is away; their events wait in the outbox.
    while len(done) < 20 and not failures and time.monotonic() < deadline:
        time.sleep(0.05)
    broker.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "completions did not finish"
    assert not failures, failures
    assert done == numbers

    _assert_mailed_once(smtp_sink, numbers)
    events = _topic_events(s)
    frames = _audit(broker, events)
    got = {int(f.headers["event-id"]) for f in frames}
    assert got == set(events), f"lost on the broker: {sorted(set(events) - got)}"
    # The publisher saw the outage and retried.
    assert "broker publish failed" in s.all_stderr()


def test_a_hung_broker_is_noticed_by_timeouts_and_nothing_is_mailed_twice(
        make_shipline, broker, smtp_sink, make_email_worker):
    s = _start_node(make_shipline, broker)
    worker = make_email_worker(s, broker, smtp_sink)
    _ship(s, "350001")
    assert len(smtp_sink.wait_for(1, timeout=MAIL_TIMEOUT)) == 1

    broker.freeze()
    try:
        for number in ("350002", "350003"):
            _ship(s, number)
        # The publisher's SEND gets no receipt; the consumer's connection goes
        # silent (no heart-beat, or no receipt for an ACK): both give up on
        # their connection rather than wait forever.
        assert wait_until(lambda: "no receipt from the broker in time" in s.all_stderr(),
                          timeout=60), s.all_stderr()[-3000:]
        assert wait_until(lambda: any(cause in worker.stderr_text() for cause in
                                      ("no heart-beat from the broker",
                                       "no receipt from the broker in time")),
                          timeout=60), worker.stderr_text()[-3000:]
    finally:
        broker.thaw()

    _assert_mailed_once(smtp_sink, ["350001", "350002", "350003"])


def test_outbox_survives_a_node_crash_while_the_broker_is_down(make_shipline, broker, smtp_sink,
                                                              make_email_worker):
    s = _start_node(make_shipline, broker)
    make_email_worker(s, broker, smtp_sink)
    _ship(s, "330001")
    _ship(s, "330002")
    assert len(smtp_sink.wait_for(2, timeout=MAIL_TIMEOUT)) == 2

    broker.stop()
    for number in ("330003", "330004", "330005"):
        _ship(s, number)
    s.restart(kill=True)  # the unpublished events live only in the node's database
    broker.start()

    _assert_mailed_once(smtp_sink, [f"33000{i}" for i in range(1, 6)])


def test_events_published_while_the_email_worker_is_away_are_mailed_later(
        make_shipline, broker, smtp_sink, make_email_worker):
    s = _start_node(make_shipline, broker)
    worker = make_email_worker(s, broker, smtp_sink)
    _ship(s, "340001")
    assert len(smtp_sink.wait_for(1, timeout=MAIL_TIMEOUT)) == 1
    assert worker.stop() == 0

    for number in ("340002", "340003"):
        _ship(s, number)
    worker.start()
    _assert_mailed_once(smtp_sink, ["340001", "340002", "340003"])


def test_bad_broker_urls_are_refused(tmp_path):
    serve = run_cli("serve", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "a"),
                    "--broker", "http://127.0.0.1:61613")
    assert serve.returncode == 2, serve.stderr.decode(errors="replace")
    assert b"stomp://" in serve.stderr
    # Refused before anything happened: the first admin key is still to come.
    assert b"admin API key" not in serve.stdout
    topics = run_cli("serve", "--listen", "127.0.0.1:0", "--data", str(tmp_path / "a"),
                     "--broker", "stomp://127.0.0.1:61613", "--broker-topic", "no-equals-sign")
    assert topics.returncode == 2, topics.stderr.decode(errors="replace")

    worker = run_cli("worker", "email", "--data", str(tmp_path / "b"), "--broker", "stomp://")
    assert worker.returncode == 2, worker.stderr.decode(errors="replace")
    missing = run_cli("worker", "email", "--data", str(tmp_path / "c"))
    assert missing.returncode != 0


def test_the_broker_message_continues_the_requests_trace(make_shipline, broker):
    s = _start_node(make_shipline, broker)
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    s.create_order(order_body("320001"))
    r = s.request("POST", COMPLETE_PATH, body={"shipmentNumber": "320001-1"},
                  headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"})
    assert r.status == 200, r.body
    shipped = [e for e in s.events() if e["type"] == "order-shipment-shipped"]
    frames = _audit(broker, [e["id"] for e in shipped])
    [frame] = [f for f in frames if int(f.headers["event-id"]) == shipped[0]["id"]]
    version, trace, span, flags = frame.headers["traceparent"].split("-")
    assert (version, trace, flags) == ("00", trace_id, "01")
    assert len(span) == 16 and span != "00f067aa0ba902b7"
