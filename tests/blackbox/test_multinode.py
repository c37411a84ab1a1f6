"""Several shipline nodes on one PostgreSQL database.

Two `shipline serve` processes share a database (and nothing else: each has
its own data folder, port and workers). Concurrent completions of the same
shipments spread over both must each win exactly once, with one capture, one
event and one email; and killing a node with -9 in the middle of the load must
lose no acknowledged completion and mail every event once.

Runs only when SHIPLINE_TEST_DATABASE_URL names a PostgreSQL server (the
second pass of `make test`).
"""

import random
import subprocess
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (TEST_DATABASE_URL, TRACKING, _psql, create_test_database,
                      drop_test_database, http_payment_args, order_body, wait_until)

pytestmark = pytest.mark.skipif(not TEST_DATABASE_URL,
                                reason="needs PostgreSQL (SHIPLINE_TEST_DATABASE_URL)")

MAIL_FROM = "shipping@shop.example"


@pytest.fixture
def two_nodes(make_shipline, smtp_sink, payment_server):
    """Two nodes on one fresh database, mailing to smtp_sink and capturing
    through payment_server; the database goes when they have stopped."""
    database = create_test_database()
    args = [*http_payment_args(payment_server), "--smtp", smtp_sink.url, "--mail-from", MAIL_FROM]
    first = make_shipline(extra_args=args, database=database)
    second = make_shipline(extra_args=args, database=database)
    second._key = first.key  # one database: a key works on every node
    yield first, second
    for node in (first, second):
        node.stop(check=False)
    drop_test_database(database)


def _orders(node, prefix, count):
    numbers = []
    for i in range(count):
        number = f"{prefix}{i:03d}"
        node.create_order(order_body(number, email_addr=f"c{number}@example.com"))
        numbers.append(f"{number}-1")
    return numbers


def _complete(node, number):
    """The status of one completion, or None when the node gave no answer."""
    try:
        return node.complete(number, TRACKING).status
    except OSError:
        return None


def _message_ids(smtp_sink):
    return [m["message"]["Message-ID"] for m in smtp_sink.wait_for(0, timeout=0)]


def _email_lease_owner(node):
    out = subprocess.run(
        ["psql", node.database, "-qAt", "-c",
         "SELECT lease_owner FROM consumer_positions WHERE consumer = 'email'"],
        check=True, stdout=subprocess.PIPE, timeout=30)
    return out.stdout.decode().strip()


def test_concurrent_completions_on_two_nodes_win_once_each(two_nodes, smtp_sink, payment_server):
    payment_server.set_mode("delay", delay=0.05)  # widen the race around the capture
    a, b = two_nodes
    shipments = _orders(a, "410", 20)

    calls = [(node, number) for number in shipments for node in (a, b) for _ in range(5)]
    random.Random(6).shuffle(calls)
    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(lambda call: (call[1], _complete(*call)), calls))
    assert len(statuses) == 200

    per_shipment = defaultdict(Counter)
    for number, status in statuses:
        per_shipment[number][status] += 1
    for number in shipments:
        assert per_shipment[number][200] == 1, (number, per_shipment[number])
        assert set(per_shipment[number]) <= {200, 409}, (number, per_shipment[number])

    # One capture per shipment, each with the shipment's own idempotency key.
    keys = [c["headers"].get("idempotency-key") for c in payment_server.captured()]
    assert len(keys) == 20 and len(set(keys)) == 20, Counter(keys)

    events = a.shipped_events()
    assert sorted(e["subject"] for e in events) == sorted(shipments)
    assert sorted(e["subject"] for e in b.shipped_events()) == sorted(shipments)
    for number in shipments:
        assert a.shipment(number)["status"] == "SHIPPED"

    # One email per event, sent by whichever node holds the email consumer.
    smtp_sink.wait_for(20, timeout=60)
    time.sleep(2.0)  # anything sent twice would arrive by now
    recipients = Counter(rcpt for m in smtp_sink.wait_for(0, timeout=0) for rcpt in m["rcpt_tos"])
    assert sorted(recipients) == sorted(f"c{n.split('-')[0]}@example.com" for n in shipments)
    assert set(recipients.values()) == {1}, recipients


def test_a_node_killed_mid_load_loses_nothing_acknowledged_and_mails_each_event_once(
        two_nodes, smtp_sink, payment_server):
    a, b = two_nodes
    shipments = _orders(a, "420", 60)
    # The node that sends email is the one to kill: the survivor must take
    # the email consumer over (after the lease, 5 s in tests) and go on from
    # the saved position.
    assert wait_until(lambda: _email_lease_owner(a), 20), "no node took the email consumer"
    owner = _email_lease_owner(a)
    victim, survivor = (a, b) if f":{a.proc.pid}:" in owner else (b, a)
    assert f":{victim.proc.pid}:" in owner, owner

    answered = {}
    lock = threading.Lock()
    done = [0]

    def complete(index, number):
        node = (a, b)[index % 2]
        status = _complete(node, number)
        with lock:
            answered[number] = status
            done[0] += 1

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(complete, i, n) for i, n in enumerate(shipments)]
        assert wait_until(lambda: done[0] >= 20, 60), "the load did not get going"
        victim.kill9()
        for future in futures:
            future.result(timeout=120)

    acknowledged = [n for n, status in answered.items() if status == 200]
    assert len(acknowledged) >= 20, Counter(answered.values())
    assert set(answered.values()) <= {200, 409, None}, Counter(answered.values())
    # Every acknowledged completion is there, on the survivor.
    for number in acknowledged:
        assert survivor.shipment(number)["status"] == "SHIPPED", number

    events = survivor.shipped_events()
    subjects = Counter(e["subject"] for e in events)
    assert set(acknowledged) <= set(subjects)
    assert set(subjects.values()) == {1}, "an event was written twice"
    # Each shipment was captured at most once (one idempotency key each).
    keys = Counter(c["headers"].get("idempotency-key") for c in payment_server.captured())
    assert set(keys.values()) == {1}, keys

    # Every event is mailed, by the survivor once it took the consumer over.
    expected = {f"<shipline-event-{e['id']}@" for e in events}
    def mailed():
        ids = {mid.split("@")[0] + "@" for mid in _message_ids(smtp_sink)}
        return expected <= ids
    assert wait_until(mailed, 90), "not every event was mailed after the node died"
    time.sleep(2.0)
    per_message = Counter(_message_ids(smtp_sink))
    assert len(per_message) == len(events), per_message
    # The one email that may have been in flight when the node died can go
    # out again, with the same Message-ID so the receiver sees a repeat;
    # nothing else is sent twice.
    repeats = [mid for mid, count in per_message.items() if count > 1]
    assert len(repeats) <= 1 and all(per_message[mid] == 2 for mid in repeats), per_message


def test_readyz_follows_the_database(make_shipline):
    """/readyz is what a load balancer asks: 503 while the node cannot read
    its database (here: its schema renamed away), 200 again once it can;
    /healthz stays 200 throughout (the process serves HTTP)."""
    database = create_test_database()
    node = make_shipline(database=database)
    schema = urllib.parse.unquote(database).rsplit("search_path=", 1)[1]
    try:
        r = node.request("GET", "/readyz", key=None)
        assert r.status == 200 and r.body == {"status": "ready"}, r
        _psql(TEST_DATABASE_URL, f"ALTER SCHEMA {schema} RENAME TO {schema}_away")
        try:
            assert wait_until(
                lambda: node.request("GET", "/readyz", key=None).status == 503, 20), \
                "still ready without its schema"
            r = node.request("GET", "/readyz", key=None)
            assert r.body == {"status": "unavailable"}, r.body  # no cause for the client
            assert node.request("GET", "/healthz", key=None).status == 200
        finally:
            _psql(TEST_DATABASE_URL, f"ALTER SCHEMA {schema}_away RENAME TO {schema}")
        assert wait_until(
            lambda: node.request("GET", "/readyz", key=None).status == 200, 20), \
            "not ready again once the schema is back"
        assert "not ready" in node.all_stderr()
    finally:
        node.stop(check=False)
        drop_test_database(database)
