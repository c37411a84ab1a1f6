"""The fault loop: completions under load while shipline is killed with
SIGKILL at random moments and restarted on the same data, then a count of
what every effect did.

The load completes shipments through the `http` payment provider against a
local payment server, with real SMTP (aiosmtpd) and a webhook subscription
to a local receiver. At the end it counts, per shipment and per event:

- completions acknowledged (200) but not SHIPPED: must be 0;
- captures at the payment server per shipped shipment: exactly 1 (requests
  with the same Idempotency-Key are one capture, as a Stripe-style provider
  treats them; the raw request count is reported too);
- confirmation emails per shipped event: exactly 1;
- distinct webhook-ids per event and subscription: exactly 1, with at least
  one delivery of every shipped event.

With several nodes (PostgreSQL), each kill picks one node; the load goes to
the nodes that are up.

    python3 tests/soak/fault_loop.py [--kills 20] [--orders 12] [--nodes 2]

`make soak` runs it with 20 kills on SQLite and, when
SHIPLINE_TEST_DATABASE_URL is set, with two nodes on PostgreSQL;
tests/blackbox/test_fault_loop.py runs a short version in `make test`.
Only loopback is used; every wait is bounded.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "blackbox"))

from conftest import (TEST_DATABASE_URL, TRACKING, PaymentServer, Shipline,  # noqa: E402
                      SmtpSink, create_test_database, drop_test_database, http_payment_args,
                      order_body, wait_until)
from webhook_receiver import WebhookReceiver  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MAIL_FROM = "shipping@shop.example"
WORKERS = 4
SETTLE_TIMEOUT = 90.0


class Load:
    """Completes shipments from `pending` on whichever node is up, until
    stopped. A 200 is an acknowledgement; a 409 on a shipment that reads
    SHIPPED means an earlier, unanswered attempt did it."""

    def __init__(self, nodes, rng):
        self.nodes = nodes
        self.rng = rng
        self.lock = threading.Lock()
        self.pending = []
        self.acknowledged = set()
        self.done = set()
        self.stop = threading.Event()

    def _take(self):
        with self.lock:
            if not self.pending:
                return None
            return self.pending.pop(self.rng.randrange(len(self.pending)))

    def _node(self):
        up = [n for n in self.nodes if n.running()]
        return self.rng.choice(up) if up else None

    def _complete_one(self, number):
        node = self._node()
        if node is None:
            return False
        try:
            r = node.complete(number, TRACKING)
        except OSError:
            return False
        if r.status == 200:
            with self.lock:
                self.acknowledged.add(number)
            return True
        if r.status == 409:
            try:
                return node.shipment(number)["status"] == "SHIPPED"
            except (OSError, AssertionError):
                return False
        return False

    def worker(self):
        while not self.stop.is_set():
            number = self._take()
            if number is None:
                time.sleep(0.02)
                continue
            if self._complete_one(number):
                with self.lock:
                    self.done.add(number)
            else:
                with self.lock:
                    self.pending.append(number)
                time.sleep(0.02)


def _create_orders(nodes, prefix, count, rng):
    numbers = []
    for i in range(count):
        number = f"{prefix}{i:03d}"
        body = order_body(number, email_addr=f"c{number}@example.com", reference=f"pi_{number}")
        for _ in range(200):
            node = rng.choice([n for n in nodes if n.running()])
            try:
                r = node.request("POST", "/api/v1/orders", body=body)
            except OSError:
                time.sleep(0.05)
                continue
            if r.status in (201, 409):  # 409: an earlier, unanswered attempt made it
                numbers.append(f"{number}-1")
                break
            time.sleep(0.05)  # PostgreSQL may be restarting
        else:
            raise AssertionError(f"could not create order {number}")
    return numbers


def _count(nodes, load, payments, smtp, receiver):
    node = next(n for n in nodes if n.running())
    shipped_events = node.shipped_events()
    by_shipment = Counter(e["payload"]["shipmentNumber"] for e in shipped_events)
    lost = sorted(n for n in load.acknowledged if node.shipment(n)["status"] != "SHIPPED")

    keys = defaultdict(set)
    for request in payments.captured():
        reference = request["path"].split("/")[-2] if "/capture" in request["path"] else ""
        keys[reference].add(request["headers"].get("idempotency-key"))
    shipped = sorted(by_shipment)
    captures_not_one = {n: len(keys.get(f"pi_{n.split('-')[0]}", ())) for n in shipped
                        if len(keys.get(f"pi_{n.split('-')[0]}", ())) != 1}

    mails = Counter(m["message"]["Message-ID"] for m in smtp.messages)
    event_ids = {e["id"] for e in shipped_events}
    webhook_ids = defaultdict(set)
    for request in receiver.requests:
        body = request["json"] or {}
        webhook_ids[(request["path"], body.get("eventId"))].add(request["headers"].get("webhook-id"))
    delivered = {event for (_, event) in webhook_ids}
    return {
        "kills": None,
        "acknowledged": len(load.acknowledged),
        "completed": len(load.done),
        "shipped_events": len(shipped_events),
        "shipments_with_several_shipped_events": sorted(n for n, c in by_shipment.items() if c > 1),
        "acknowledged_not_shipped": lost,
        "capture_requests": len(payments.captured()),
        "shipments_without_exactly_one_capture": captures_not_one,
        "emails": sum(mails.values()),
        "emails_distinct": len(mails),
        "emails_doubled": sorted(k for k, c in mails.items() if c > 1),
        "emails_missing": max(0, len(shipped_events) - len(mails)),
        "webhook_deliveries": len(receiver.requests),
        "webhook_events_with_several_ids": sorted(str(k) for k, v in webhook_ids.items()
                                                  if len(v) > 1),
        "shipped_events_without_delivery": sorted(event_ids - delivered),
    }


class PgCluster:
    """A PostgreSQL cluster of scripts/pg-test-cluster.sh that the loop owns
    (never the shared one): stopped with `pg_ctl stop -m immediate`, as a
    crash would, and started again on the same data."""

    def __init__(self, spec):
        folder, port = spec.rsplit(":", 1)
        self.folder, self.port = folder, port

    def crash_and_restart(self, rng):
        pg_ctl = [os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin") + "/pg_ctl", "-D",
                  f"{self.folder}/data", "-m", "immediate", "-w", "-t", "60", "stop"]
        if os.geteuid() == 0:
            pg_ctl = ["runuser", "-u", "postgres", "--", *pg_ctl]
        subprocess.run(pg_ctl, check=True, stdout=subprocess.DEVNULL, timeout=90)
        time.sleep(rng.uniform(0.2, 1.5))
        subprocess.run([str(ROOT / "scripts" / "pg-test-cluster.sh"), "start", self.folder,
                        self.port], check=True, stdout=subprocess.DEVNULL, timeout=90)


def run(workdir, kills=20, orders=12, nodes=1, seed=None, database=None, log=print,
        pg_cluster=None):
    """Runs the loop in `workdir`; returns the counts (see _count). With
    `pg_cluster` (a PgCluster holding `database`), about one fault in four
    stops PostgreSQL itself instead of a node."""
    rng = random.Random(seed)
    workdir = Path(workdir)
    payments = PaymentServer().start()
    smtp = SmtpSink().start()
    receiver = WebhookReceiver().start()
    # A killed server leaves requests half-read: not worth a traceback each.
    for server in (payments.server, receiver.server):
        server.handle_error = lambda *args: None
    args = [*http_payment_args(payments), "--smtp", smtp.url, "--mail-from", MAIL_FROM,
            "--webhook-allow-private"]
    # A delivery a killed server was sending goes out again after this lease
    # (120 s by default): short here, so that the loop settles in seconds.
    env = {"SHIPLINE_WEBHOOK_LEASE_MS": "3000"}
    servers = [Shipline(workdir / f"node{i}", extra_args=args, env=env, database=database)
               for i in range(nodes)]
    load = Load(servers, rng)
    try:
        for node in servers:
            node.start()
        key = servers[0].key
        for node in servers[1:]:
            node._key = key  # one database: one key
        r = servers[0].request("POST", "/api/v1/webhooks", body={"url": receiver.url()})
        assert r.status == 201, r.body
        threads = [threading.Thread(target=load.worker, daemon=True) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        postgres_stops = 0
        for round_number in range(kills):
            for node in servers:
                if not node.running():
                    node.start()
            numbers = _create_orders(servers, f"{round_number + 1:03d}", orders, rng)
            with load.lock:
                load.pending.extend(numbers)
            time.sleep(rng.uniform(0.0, 0.3))
            if pg_cluster is not None and rng.random() < 0.25:
                pg_cluster.crash_and_restart(rng)
                victim = "PostgreSQL"
                postgres_stops += 1
            else:
                node = rng.choice(servers)
                node.kill9()
                victim = node.data_dir.name
            log(f"round {round_number + 1}/{kills}: killed {victim}; "
                f"{len(load.done)} done, {len(load.pending)} pending")
        for node in servers:
            if not node.running():
                node.start()
        finished = wait_until(lambda: not load.pending and len(load.done) == orders * kills,
                              SETTLE_TIMEOUT, interval=0.1)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert finished, f"completions did not finish: {len(load.pending)} pending"
        shipped = len(load.done)
        # Emails and webhooks go out after the answer: wait for them to settle.
        wait_until(lambda: len({m["message"]["Message-ID"] for m in smtp.messages}) >= shipped,
                   SETTLE_TIMEOUT, interval=0.2)
        wait_until(lambda: len({(r["json"] or {}).get("eventId") for r in receiver.requests
                                if (r["json"] or {}).get("type") == "order-shipment-shipped"})
                   >= shipped, SETTLE_TIMEOUT, interval=0.2)
        time.sleep(1.0)  # a repeat would come now
        counts = _count(servers, load, payments, smtp, receiver)
        counts["kills"] = kills
        counts["nodes"] = nodes
        counts["postgres_stops"] = postgres_stops
        return counts
    finally:
        load.stop.set()
        for node in servers:
            try:
                node.stop(check=False)
            except Exception:  # noqa: BLE001 - teardown must go on
                pass
        receiver.stop()
        smtp.stop()
        payments.stop()


def failures(counts):
    """What the counts show broken; empty when every effect happened once.

    An email is one Message-ID (stable per event). SMTP has no idempotency:
    a kill after the server took a message and before shipline recorded it
    sends that message again, with the same Message-ID, after the restart.
    The worker records each email before the next, so a kill repeats at most
    one: repeats are reported, and fail the loop only beyond one per kill."""
    wrong = []
    for name in ("acknowledged_not_shipped", "shipments_with_several_shipped_events",
                 "shipments_without_exactly_one_capture", "webhook_events_with_several_ids",
                 "shipped_events_without_delivery"):
        if counts[name]:
            wrong.append(f"{name}: {counts[name]}")
    if counts["emails_missing"]:
        wrong.append(f"emails_missing: {counts['emails_missing']}")
    if counts["emails_distinct"] != counts["shipped_events"]:
        wrong.append(f"{counts['emails_distinct']} distinct emails for "
                     f"{counts['shipped_events']} shipped events")
    if counts["emails"] - counts["emails_distinct"] > counts["kills"]:
        wrong.append(f"{counts['emails'] - counts['emails_distinct']} repeated emails "
                     f"for {counts['kills']} kills")
    if counts["shipped_events"] != counts["completed"]:
        wrong.append(f"{counts['completed']} shipments completed, "
                     f"{counts['shipped_events']} shipped events")
    return wrong


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--orders", type=int, default=12, help="new orders per round")
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--pg-cluster", metavar="FOLDER:PORT",
                        help="a cluster of scripts/pg-test-cluster.sh the loop may stop")
    options = parser.parse_args()
    database = None
    if options.nodes > 1:
        if not TEST_DATABASE_URL:
            sys.exit("several nodes need PostgreSQL: set SHIPLINE_TEST_DATABASE_URL")
        database = create_test_database()
    elif TEST_DATABASE_URL:
        database = create_test_database()
    try:
        with tempfile.TemporaryDirectory(prefix="shipline-soak-") as workdir:
            cluster = PgCluster(options.pg_cluster) if options.pg_cluster else None
            counts = run(workdir, options.kills, options.orders, options.nodes, options.seed,
                         database, pg_cluster=cluster)
    finally:
        if database:
            drop_test_database(database)
    print(json.dumps(counts, indent=2))
    wrong = failures(counts)
    for line in wrong:
        print("FAILED:", line)
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
