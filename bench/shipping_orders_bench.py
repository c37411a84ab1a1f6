#!/usr/bin/env python3
"""Benchmark of the Shipping Order API (not a test; asserts nothing about time).

1. List: seeds N shipping orders (default 1,000,000) straight into the SQLite
   file, spread over 30 days, 20 locations, 8 statuses and 50 groups, then pages
   through POST /shipments/list with filters, forwards and backwards, and
   reports p50/p99 latency per page. The reference, measured in the same run:
   nginx serving each scenario's first page, byte for byte, as a static file to
   the same client (the cost of moving and reading that many bytes here).
2. Create: POST /shipments with three rate-table providers assigned to the
   location, from several client threads, and reports orders per second.

Usage: bench/shipping_orders_bench.py [--bin build/shipline] [--orders 1000000]
       [--creates 3000] [--threads 8]
"""

import argparse
import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import local_nginx
from local_nginx import free_port

BASE = "/api/shipping-orders/v1/shipments"
DAY = 24 * 3600 * 1000
STATUSES = ["ORDER_DISPATCHED", "PICKUP_STARTED", "PICKUP_COMPLETED", "OUT_FOR_DELIVERY",
            "ORDER_DELIVERED", "ORDER_CANCELLED", "ORDER_FAILED", "ORDER_UNDELIVERABLE"]


class Server:
    def __init__(self, binary, data):
        self.binary, self.data, self.port = binary, data, free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--data", self.data,
             "--no-access-log", "--shipping-orders-rate", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def call(conn, key, method, path, body=None):
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    return r.status, data


def rate_table(fee, per_km, lead):
    return {"currency": "USD", "services": [{"id": "svc", "serviceType": "Delivery",
            "baseFee": fee, "perKm": per_km, "pickupLeadMinutes": lead,
            "deliveryLeadMinutes": lead * 4}]}


DOC = json.dumps({
    "tenant": "bench", "brand": "", "currency": "USD", "value": 7865,
    "dcontact": {"name": "Charlize Brian", "phone": "+1 201-555-5555", "email": ""},
    "daddress": {"s1": "5411 Mercedes Avenue", "s2": "", "apt": "", "city": "Dallas",
                 "state": "TX", "zip": "75206", "cc": "US", "lat": 32.8284237, "lon": -96.7768713},
    "pcontact": {"name": "Michele Parker", "phone": "+1 201-555-0123", "email": ""},
    "paddress": {"s1": "The Mall", "s2": "", "apt": "", "city": "Dallas", "state": "TX",
                 "zip": "75219", "cc": "US", "lat": 32.814645, "lon": -96.8198233},
    "pname": "Store", "package": {"name": "small", "size": {"l": 6, "w": 6, "h": 6, "unit": "in"},
                                  "weight": {"v": 10, "unit": "lb"}, "qty": 1, "desc": "",
                                  "temp": "none", "barcode": "", "content": []},
    "items": [], "ptime": {"from": None, "to": None}, "dtime": {"from": None, "to": None},
    "chosen": {"pid": "p1", "pname": "P1", "display": "P1", "sid": "svc", "stype": "Delivery",
               "fee": 1034, "cur": "USD", "pickup": 0, "delivery": 0},
    "tracking": "1391249345", "fee": 1034, "attempts": 1}, separators=(",", ":"))


def seed(db_path, tenant_id, n, now):
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    rnd = random.Random(7)
    batch = []
    started = time.time()
    for i in range(n):
        updated = now - rnd.randrange(30 * DAY)
        created = updated - rnd.randrange(DAY)
        pickup = created + 3600_000
        batch.append((tenant_id, f"{i:024x}", f"bench-{i}", f"loc-{i % 20}",
                      f"group-{i % 50}" if i % 3 == 0 else None, STATUSES[i % 8], "", "p1",
                      f"rt-{i}", pickup, pickup + 4 * 3600_000, created, updated, DOC))
        if len(batch) == 50_000:
            db.executemany("INSERT INTO so_orders (tenant_id, public_id, external_id, "
                           "location_external_id, group_id, status, sub_status, provider_id, "
                           "provider_order_id, pickup_starts_at, delivery_ends_at, created_at, "
                           "last_updated_at, document) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           batch)
            db.commit()
            batch = []
    if batch:
        db.executemany("INSERT INTO so_orders (tenant_id, public_id, external_id, "
                       "location_external_id, group_id, status, sub_status, provider_id, "
                       "provider_order_id, pickup_starts_at, delivery_ends_at, created_at, "
                       "last_updated_at, document) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
        db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.time() - started


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def static_reference(pages, tmp, rounds=20):
    """p50 latency of GETting each page's bytes from nginx; None without nginx."""
    if not local_nginx.available():
        return None
    folder = os.path.join(tmp, "nginx")
    os.makedirs(os.path.join(folder, "www"))
    os.chmod(tmp, 0o755)  # nginx's workers run unprivileged
    for i, data in enumerate(pages):
        with open(os.path.join(folder, "www", f"{i}.json"), "wb") as f:
            f.write(data)
    block = f"root {folder}/www; default_type application/json;"
    with local_nginx.LocalNginx(folder, block) as nginx:
        conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=60)
        medians = []
        for i in range(len(pages)):
            latencies = []
            for _ in range(rounds):
                t = time.perf_counter()
                conn.request("GET", f"/{i}.json")
                r = conn.getresponse()
                r.read()
                latencies.append((time.perf_counter() - t) * 1000)
                assert r.status == 200, r.status
            medians.append(percentile(latencies, 50))
        return medians


def page_through(conn, key, body, pages, backwards_too=True):
    """Latencies of every page, rows seen, and the first page's bytes."""
    latencies, count, tokens, first = [], 0, [], None
    token = None
    for _ in range(pages):
        request = dict(body)
        if token:
            request["paginationToken"] = token
        t = time.perf_counter()
        status, data = call(conn, key, "POST", BASE + "/list", request)
        latencies.append((time.perf_counter() - t) * 1000)
        assert status == 200, data[:300]
        first = first or data
        page = json.loads(data)
        count += len(page["data"])
        tokens.append(page["paginationToken"])
        token = page["paginationToken"]["next"]
        if not token:
            break
    if backwards_too:
        token = tokens[-1]["previous"]
        for _ in range(len(tokens) - 1):
            if not token:
                break
            request = dict(body)
            request["paginationToken"] = token
            t = time.perf_counter()
            status, data = call(conn, key, "POST", BASE + "/list", request)
            latencies.append((time.perf_counter() - t) * 1000)
            assert status == 200, data[:300]
            token = json.loads(data)["paginationToken"]["previous"]
    return latencies, count, first


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                      "shipline"))
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--creates", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        key = subprocess.run([args.bin, "keys", "create", "--data", data, "--tenant", "bench",
                              "--name", "bench"], capture_output=True, check=True,
                             text=True).stdout.strip()
        db_path = os.path.join(data, "shipline.db")
        tenant_id = sqlite3.connect(db_path).execute(
            "SELECT id FROM tenants WHERE name = 'bench'").fetchone()[0]
        now = int(time.time() * 1000)
        seconds = seed(db_path, tenant_id, args.orders, now)
        print(f"seeded {args.orders} orders in {seconds:.1f} s "
              f"({os.path.getsize(db_path) / 2**20:.0f} MiB)")

        server = Server(args.bin, data)
        server.start()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        scenarios = [
            ("default window (last 24 h), limit 1000", {}),
            ("7-day window, 3 statuses, limit 1000",
             {"lastUpdatedAt": {"startsAt": now - 7 * DAY, "endsAt": now},
              "status": ["ORDER_DISPATCHED", "ORDER_DELIVERED", "ORDER_CANCELLED"]}),
            ("30-day window, one location, limit 500",
             {"lastUpdatedAt": {"startsAt": now - 30 * DAY + 60_000, "endsAt": now},
              "locationExternalIds": ["loc-7"], "limit": 500}),
            ("30-day window, groupId, limit 100",
             {"lastUpdatedAt": {"startsAt": now - 30 * DAY + 60_000, "endsAt": now},
              "groupId": "group-3", "limit": 100}),
            ("createdAt window (1 day), limit 1000",
             {"createdAt": {"startsAt": now - 3 * DAY, "endsAt": now - 2 * DAY}}),
        ]
        print("\nlist (forward then backward pages; latency per page in ms):")
        results = []
        for name, body in scenarios:
            latencies, count, first = page_through(conn, key, body, args.pages)
            results.append((name, latencies, count, first))
        reference = static_reference([first for *_, first in results], tmp)
        for i, (name, latencies, count, first) in enumerate(results):
            line = (f"  {name:40s} pages={len(latencies):3d} rows={count:6d} "
                    f"p50={percentile(latencies, 50):7.1f} p99={percentile(latencies, 99):7.1f} "
                    f"max={max(latencies):7.1f}")
            if reference:
                line += (f"  | same {len(first) / 2**20:.2f} MiB from nginx: p50={reference[i]:6.1f}"
                         f" (x{percentile(latencies, 50) / reference[i]:.1f})")
            print(line)

        # Create throughput: three providers per location.
        for pid, fee, per_km, lead in (("p-a", "3.00", "0.10", 60), ("p-b", "5.00", "0.40", 20),
                                       ("p-c", "9.00", "1.00", 10)):
            status, body = call(conn, key, "POST", "/api/v1/providers",
                                {"id": pid, "kind": "rate-table",
                                 "config": rate_table(fee, per_km, lead)})
            assert status == 201, body
        status, body = call(conn, key, "POST", "/api/v1/locations", {
            "locationExternalId": "bench-loc", "address": {
                "street1": "The Mall", "city": "Dallas", "postalCode": "75219",
                "countryCode": "US", "latitude": 32.814645, "longitude": -96.8198234},
            "providers": ["p-a", "p-b", "p-c"]})
        assert status == 201, body
        order = {"locationExternalId": "bench-loc", "orderValue": 78.65,
                 "deliveryContact": {"name": "Charlize", "phone": "+1 201-555-5555"},
                 "deliveryAddress": {"street1": "5411 Mercedes Avenue", "city": "Dallas",
                                     "state": "TX", "postalCode": "75206", "countryCode": "US",
                                     "latitude": 32.8284237, "longitude": -96.7768713},
                 "package": {"name": "small", "size": {"length": 6, "width": 6, "height": 6,
                                                       "unit": "in"},
                             "weight": {"value": 10, "unit": "lb"}}}
        counter = iter(range(args.creates))
        lock = threading.Lock()
        latencies, failures = [], []

        def worker():
            c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                body = dict(order, orderExternalId=f"create-{i}")
                t = time.perf_counter()
                status, data = call(c, key, "POST", BASE, body)
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    latencies.append(ms)
                    if status != 201:
                        failures.append((status, data[:200]))

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        print(f"\ncreate with 3 rate-table providers per location: {args.creates} orders, "
              f"{args.threads} client threads, {args.creates / elapsed:.0f} orders/s, "
              f"p50={percentile(latencies, 50):.1f} ms p99={percentile(latencies, 99):.1f} ms, "
              f"failures={len(failures)}")
        if failures:
            print("  first failure:", failures[0])
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
