#!/usr/bin/env python3
"""Webhook delivery benchmark (not a test).

1. Deliveries per second: N signed native deliveries, already due, to a local
   receiver (nginx answering 200 to every POST), measured from the server's
   start until the last one is recorded as delivered.
2. Memory of 1,000,000 pending deliveries: the server's resident memory with a
   million deliveries pending in its database (due in a day), next to the same
   server with none, and the database size per delivery.

Deliveries are written straight into the SQLite database while the server is
stopped (as FanOut would write them: one row per event and subscription, body
built at the first attempt), so the numbers are the sender's, not the
completion API's.

    SHIPLINE_BIN=build-webhooks/shipline /usr/bin/python3 bench/webhooks_bench.py \
        [--deliveries 20000] [--pending 1000000] [--concurrency 64]

Needs nginx (apt-get install nginx-light). Loopback only.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from local_nginx import LocalNginx, free_port, wait_port

ROOT = Path(__file__).resolve().parent.parent
BIN = os.environ.get("SHIPLINE_BIN", str(ROOT / "build" / "shipline"))

def rss_kib(pid):
    """(VmRSS, VmHWM) of a process in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


class Server:
    def __init__(self, data, port, concurrency):
        self.data, self.port, self.concurrency = data, port, concurrency
        self.proc = None

    def start(self):
        out = open(self.data / "out.txt", "ab")
        err = open(self.data / "shipline.log", "ab")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SHIPLINE_")}
        self.proc = subprocess.Popen(
            [BIN, "serve", "--listen", f"127.0.0.1:{self.port}", "--data", str(self.data),
             "--webhook-allow-private", "--webhook-concurrency", str(self.concurrency),
             "--no-access-log"],
            stdout=out, stderr=err, env=env)
        wait_port(self.port)
        return self

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)

    def key(self):
        text = (self.data / "out.txt").read_text()
        return re.search(r"sl_[0-9a-f]+", text).group(0)

    def post(self, path, body, key):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


PAYLOAD = json.dumps({
    "orderNumber": "B-{n}", "shipmentNumber": "B-{n}-1", "status": "SHIPPED", "store": "main",
    "carrier": "UPS", "carrierTrackingNumber": "1Z999AA10123456784",
    "customer": {"name": "Ada Lovelace", "email": "ada@example.com"},
    "items": [{"sku": "A", "title": "Widget", "quantity": 2}], "capturedAmount": "21.00",
    "currency": "USD"})


def seed(db_path, tenant_id, subscription_id, count, due_at, first):
    """Writes `count` events and one pending delivery for each."""
    db = sqlite3.connect(db_path)
    now = int(time.time() * 1000)
    with db:
        cur = db.cursor()
        batch = 10_000
        for start in range(first, first + count, batch):
            rows = range(start, min(start + batch, first + count))
            cur.executemany(
                "INSERT INTO events (tenant_id, type, topic, subject, payload, created_at) "
                "VALUES (?, 'order-shipment-shipped', 'VirtualTopic.ep.orders', ?, ?, ?)",
                [(tenant_id, f"B-{n}-1", PAYLOAD.replace("{n}", str(n)), now) for n in rows])
            last = cur.execute("SELECT max(id) FROM events").fetchone()[0]
            ids = range(last - len(rows) + 1, last + 1)
            cur.executemany(
                "INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, event_type, "
                "message_id, status, attempts, next_attempt_at, created_at, updated_at) "
                "VALUES (?, ?, ?, 'order-shipment-shipped', ?, 'pending', 0, ?, ?, ?)",
                [(tenant_id, subscription_id, event_id, f"msg_bench{event_id:023x}", due_at, now, now)
                 for event_id in ids])
        # The seeded events are the sender's alone: the email consumer counts
        # them as handled, so it does not compete for the database.
        cur.execute("INSERT INTO consumer_positions (consumer, position) "
                    "SELECT 'email', max(id) FROM events WHERE true "
                    "ON CONFLICT (consumer) DO UPDATE SET position = excluded.position")
    db.close()


def delivered(db_path):
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute(
            "SELECT count(*) FROM webhook_deliveries WHERE status = 'delivered'").fetchone()[0]
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=20_000)
    parser.add_argument("--pending", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="shipline-webhooks-bench-"))
    port = free_port()
    data = work / "data"
    data.mkdir()
    server = Server(data, port, args.concurrency)
    nginx = LocalNginx(work / "nginx", "location / { default_type application/json; "
                                       "return 200 '{\"ok\":true}'; }")
    try:
        nginx.start()
        nginx_port = nginx.port
        server.start()
        key = server.key()
        sub = server.post("/api/v1/webhooks", {"url": f"http://127.0.0.1:{nginx_port}/hook"}, key)
        idle_rss = rss_kib(server.proc.pid)
        server.stop()
        db_path = data / "shipline.db"

        # 1. Throughput.
        seed(db_path, 1, sub["id"], args.deliveries, 0, 0)
        started = time.monotonic()
        server.start()
        peak = (0, 0)
        while True:
            done = delivered(db_path) or 0
            peak = max(peak, rss_kib(server.proc.pid))
            if done >= args.deliveries:
                break
            if time.monotonic() - started > 600:
                raise RuntimeError(f"only {done} of {args.deliveries} delivered in 10 minutes")
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        print(f"== {args.deliveries} signed deliveries to nginx on loopback, "
              f"{args.concurrency} in flight")
        print(f"   {elapsed:.2f} s from server start to the last one recorded delivered: "
              f"{args.deliveries / elapsed:.0f} deliveries/s")
        print(f"   server resident memory while sending: peak {peak[1] / 1024:.1f} MiB "
              f"(idle, no deliveries: {idle_rss[0] / 1024:.1f} MiB)")
        server.stop()

        # 2. Memory with a million pending deliveries (due in a day).
        size_before = db_path.stat().st_size + (data / "shipline.db-wal").stat().st_size \
            if (data / "shipline.db-wal").exists() else db_path.stat().st_size
        t0 = time.monotonic()
        seed(db_path, 1, sub["id"], args.pending, int(time.time() * 1000) + 86_400_000,
             args.deliveries)
        seeded = time.monotonic() - t0
        size_after = db_path.stat().st_size
        server.start()
        # Exercise the worker (it looks for due work) and the listing API.
        for _ in range(3):
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/webhooks/{sub['id']}/deliveries?limit=100",
                headers={"Authorization": f"Bearer {key}"}), timeout=30).read()
        time.sleep(3)
        rss, hwm = rss_kib(server.proc.pid)
        pending = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True).execute(
            "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'").fetchone()[0]
        print(f"== {pending} pending deliveries in the database "
              f"(seeded in {seeded:.1f} s, with their events)")
        print(f"   server resident memory: {rss / 1024:.1f} MiB (peak {hwm / 1024:.1f} MiB); "
              f"with none pending: {idle_rss[0] / 1024:.1f} MiB")
        print(f"   database grew by {(size_after - size_before) / 2**20:.0f} MiB: "
              f"{(size_after - size_before) / args.pending:.0f} bytes per pending delivery "
              f"including its event")
        server.stop()
    finally:
        if server.proc and server.proc.poll() is None:
            server.proc.kill()
        nginx.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
