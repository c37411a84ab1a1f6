#!/usr/bin/env python3
"""Benchmark of the operator queries, GET /api/v1/orders and /api/v1/shipments
(not a test; asserts nothing about time).

Seeds N orders (default 1,000,000) with one line item and 2 shipments each
straight into a fresh SQLite data folder, whose schema the binary's own
migrations made (`shipline keys create` migrates it), in one transaction of
INSERT ... SELECT statements. Then serves it and, per filter, asks for 50-row
pages with varied filter values (first pages and pages deep into the list,
reached by cursor) from one client on one keep-alive connection, and reports
p50 and p99. The reference, measured in the same run with the same client:
nginx serving each filter's pages, byte for byte, as static files.

Usage: bench/queries_bench.py [--bin build/shipline] [--orders 1000000]
       [--requests 400]
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
import time
import urllib.parse

import local_nginx
from shipping_orders_bench import Server, percentile

SECOND = 1000
BASE_TIME = 1_767_225_600_000  # 2026-01-01T00:00:00Z
STATES = ["shipped", "shipped", "shipped", "shipped", "shipped", "shipped",
          "partially_shipped", "partially_shipped", "unshipped", "cancelled"]
CARRIERS = ["UPS", "DHL Express", "FedEx", "USPS", "GLS"]
STORES = 20
CUSTOMERS = 200_000


def seed(db_path, tenant_id, n):
    """Orders 1..n, one a second from BASE_TIME; the shipping state cycles
    through STATES (6 of 10 shipped) and the shipments' statuses agree."""
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA synchronous=OFF")
    started = time.time()
    states = "CASE i % 10 " + " ".join(f"WHEN {k} THEN '{s}'" for k, s in enumerate(STATES)) + \
        " END"
    db.execute("BEGIN")
    db.execute(f"""
        INSERT INTO orders (id, tenant_id, order_number, store, currency, customer_name,
          customer_email, ship_name, ship_line1, ship_line2, ship_city, ship_region,
          ship_postal_code, ship_country, ship_phone, payment_provider, payment_reference,
          amount_authorized, amount_captured, created_at, updated_at, shipping_state,
          customer_email_key)
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
        SELECT i, {tenant_id}, printf('B%07d', i), 'store-' || (i % {STORES}), 'USD',
          'Customer ' || (i % {CUSTOMERS}), 'Customer' || (i % {CUSTOMERS}) || '@Example.com',
          'Customer', '1 Main St', '', 'Dallas', 'TX', '75206', 'US', '', 'manual',
          'pay-' || i, 2100, CASE WHEN i % 10 < 6 THEN 2100 WHEN i % 10 < 8 THEN 1050 ELSE 0 END,
          {BASE_TIME} + i * {SECOND}, {BASE_TIME} + i * {SECOND} + (i % 7) * 3600 * {SECOND},
          {states}, 'customer' || (i % {CUSTOMERS}) || '@example.com'
        FROM n""")
    db.execute(f"""
        INSERT INTO line_items (id, order_id, position, sku, title, quantity, unit_price)
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
        SELECT i, i, 0, 'A', 'Widget', 2, 1050 FROM n""")
    # Shipment 2i-1 and 2i of order i, one unit each. Shipped: both; partially:
    # the first; unshipped: the first released, the second pending; cancelled: both.
    status = ("CASE o.i % 10 WHEN 6 THEN CASE k WHEN 1 THEN 'SHIPPED' ELSE 'RELEASED' END "
              "WHEN 7 THEN CASE k WHEN 1 THEN 'SHIPPED' ELSE 'RELEASED' END "
              "WHEN 8 THEN CASE k WHEN 1 THEN 'RELEASED' ELSE 'PENDING' END "
              "WHEN 9 THEN 'CANCELLED' "
              "ELSE CASE WHEN o.i % 5 = 0 THEN 'DELIVERED' ELSE 'SHIPPED' END END")
    db.execute(f"""
        INSERT INTO shipments (id, tenant_id, order_id, shipment_number, status, carrier,
          tracking_number, shipped_at, created_at, updated_at, carrier_code, package_count)
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}),
          o AS (SELECT i, k FROM n, (SELECT 1 AS k UNION ALL SELECT 2)),
          s AS (SELECT i, k, {status} AS status FROM o)
        SELECT 2 * i - 2 + k, {tenant_id}, i, printf('B%07d-%d', i, k), status,
          CASE WHEN status IN ('SHIPPED', 'DELIVERED') THEN
            CASE (i + k) % 5 {" ".join(f"WHEN {c} THEN '{name}'" for c, name in enumerate(CARRIERS))} END
          END,
          CASE WHEN status IN ('SHIPPED', 'DELIVERED') THEN printf('1Z%010d', 2 * i - 2 + k) END,
          CASE WHEN status IN ('SHIPPED', 'DELIVERED')
            THEN {BASE_TIME} + i * {SECOND} + (i % 7) * 3600 * {SECOND} END,
          {BASE_TIME} + i * {SECOND}, {BASE_TIME} + i * {SECOND} + (i % 7) * 3600 * {SECOND},
          '', CASE WHEN status IN ('SHIPPED', 'DELIVERED') THEN 1 ELSE 0 END
        FROM s""")
    db.execute("""
        INSERT INTO shipment_items (id, shipment_id, line_item_id, component_sku, quantity)
        SELECT id, id, order_id, '', 1 FROM shipments""")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return time.time() - started


def iso(millis):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(millis / 1000))


def scenarios(n, rnd):
    """(name, path, a function giving a fresh filter for each request)."""
    end = BASE_TIME + n * SECOND

    def some_time():
        return BASE_TIME + rnd.randrange(1, n) * SECOND

    def window():
        start = some_time()
        return [("createdFrom", iso(start)), ("createdTo", iso(start + 3600 * SECOND))]

    orders, shipments = "/api/v1/orders", "/api/v1/shipments"
    return [
        ("orders, no filter", orders, lambda: []),
        ("orders, status (one state)", orders, lambda: [("status", rnd.choice(STATES))]),
        ("orders, status (two states)", orders,
         lambda: [("status", "unshipped"), ("status", rnd.choice(["cancelled",
                                                                  "partially_shipped"]))]),
        ("orders, store", orders, lambda: [("store", f"store-{rnd.randrange(STORES)}")]),
        ("orders, email", orders,
         lambda: [("email", f"CUSTOMER{rnd.randrange(CUSTOMERS)}@example.com")]),
        ("orders, number prefix (100 match)", orders,
         lambda: [("number", f"B{rnd.randrange(1, n // 100):05d}")]),
        ("orders, createdFrom/To (1 h)", orders, window),
        ("orders, updatedFrom/To (1 h)", orders,
         lambda: [("updatedFrom", iso(t := some_time())), ("updatedTo", iso(t + 3600 * SECOND))]),
        ("orders, unshipped, updatedTo (stuck)", orders,
         lambda: [("status", "unshipped"), ("updatedTo", iso(some_time()))]),
        ("shipments, no filter", shipments, lambda: []),
        ("shipments, status", shipments,
         lambda: [("status", rnd.choice(["SHIPPED", "RELEASED", "PENDING", "CANCELLED"]))]),
        ("shipments, carrier", shipments, lambda: [("carrier", rnd.choice(CARRIERS))]),
        ("shipments, tracking", shipments,
         lambda: [("tracking", f"1Z{2 * rnd.randrange(1, n) - 1:010d}")]),
        ("shipments, order", shipments, lambda: [("order", f"B{rnd.randrange(1, n):07d}")]),
        ("shipments, shippedFrom/To (1 h)", shipments,
         lambda: [("shippedFrom", iso(t := some_time())), ("shippedTo", iso(t + 3600 * SECOND))]),
        ("shipments, RELEASED, updatedTo (stuck)", shipments,
         lambda: [("status", "RELEASED"), ("updatedTo", iso(min(end, some_time())))]),
    ]


def get(conn, key, path, params):
    target = path + "?" + urllib.parse.urlencode(params)
    t = time.perf_counter()
    conn.request("GET", target, headers={"Authorization": f"Bearer {key}"})
    r = conn.getresponse()
    data = r.read()
    elapsed = (time.perf_counter() - t) * 1000
    if r.status != 200:
        raise RuntimeError(f"{target}: {r.status} {data[:300]}")
    return elapsed, data


def measure(conn, key, path, make_filter, requests, rnd):
    """Latencies of `requests` 50-row pages: half first pages, half a page
    reached by following the cursor 1 to 20 pages deep (only the deep page's
    request is timed). Returns (latencies, a sample of the bodies)."""
    latencies, bodies = [], []
    for i in range(requests):
        params = make_filter() + [("limit", "50")]
        elapsed, data = get(conn, key, path, params)
        if i % 2 == 1:
            for _ in range(rnd.randrange(1, 21)):
                cursor = json.loads(data)["next"]
                if cursor is None:
                    break
                elapsed, data = get(conn, key, path, params + [("cursor", cursor)])
        latencies.append(elapsed)
        if len(bodies) < 20:
            bodies.append(data)
    return latencies, bodies


def nginx_reference(bodies, tmp, requests, name):
    """(p50, p99) of GETting the same bodies from nginx; None without nginx."""
    if not local_nginx.available():
        return None
    folder = os.path.join(tmp, "nginx", "".join(c if c.isalnum() else "_" for c in name))
    os.makedirs(os.path.join(folder, "www"))
    os.chmod(tmp, 0o755)  # nginx's workers run unprivileged
    for i, data in enumerate(bodies):
        with open(os.path.join(folder, "www", f"{i}.json"), "wb") as f:
            f.write(data)
    block = f"root {folder}/www; default_type application/json;"
    with local_nginx.LocalNginx(folder, block) as nginx:
        conn = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=60)
        latencies = []
        for i in range(requests):
            t = time.perf_counter()
            conn.request("GET", f"/{i % len(bodies)}.json")
            r = conn.getresponse()
            r.read()
            latencies.append((time.perf_counter() - t) * 1000)
        return percentile(latencies, 50), percentile(latencies, 99)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                      "shipline"))
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    rnd = random.Random(13)

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        key = subprocess.run([args.bin, "keys", "create", "--data", data, "--tenant", "bench",
                              "--name", "bench"], capture_output=True, check=True,
                             text=True).stdout.strip()
        db_path = os.path.join(data, "shipline.db")
        tenant_id = sqlite3.connect(db_path).execute(
            "SELECT id FROM tenants WHERE name = 'bench'").fetchone()[0]
        seconds = seed(db_path, tenant_id, args.orders)
        print(f"seeded {args.orders} orders, {2 * args.orders} shipments in {seconds:.1f} s "
              f"({os.path.getsize(db_path) / 2**20:.0f} MiB)", flush=True)

        server = Server(args.bin, data)
        server.start()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        rows = []
        for name, path, make_filter in scenarios(args.orders, rnd):
            get(conn, key, path, make_filter() + [("limit", "50")])  # warm the statement cache
            latencies, bodies = measure(conn, key, path, make_filter, args.requests, rnd)
            reference = nginx_reference(bodies, tmp, args.requests, name)
            size = sum(len(b) for b in bodies) // len(bodies)
            rows.append((name, percentile(latencies, 50), percentile(latencies, 99), reference,
                         size))
            print(f"  {name}: p50 {rows[-1][1]:.2f} ms, p99 {rows[-1][2]:.2f} ms", flush=True)
        server.stop()

    print(f"\n{args.requests} requests per filter, 50-row pages, one client, keep-alive\n")
    print("| filter | shipline p50 | shipline p99 | nginx p50 | nginx p99 | page bytes |")
    print("|---|---|---|---|---|---|")
    for name, p50, p99, reference, size in rows:
        ref = (f"{reference[0]:.2f} ms | {reference[1]:.2f} ms" if reference else "- | -")
        print(f"| {name} | {p50:.2f} ms | {p99:.2f} ms | {ref} | {size:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
