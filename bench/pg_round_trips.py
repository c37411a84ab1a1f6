#!/usr/bin/env python3
"""Counts the PostgreSQL round trips of one completion and of one order create.

usage: bench/pg_round_trips.py [--bin build/shipline] [--database URL] [--repeat 3] [-v]

Starts `shipline serve` on a fresh database (URL's server, database `rtcheck`,
dropped and created again; without --database, SHIPLINE_TEST_DATABASE_URL's
server, else a throwaway cluster of scripts/pg-test-cluster.sh), creates and
completes a few orders so that every connection has prepared its statements,
then traces the server with `strace -f -e trace=sendto,recvfrom,...` while it
answers, one at a time, `--repeat` order creates (POST /api/v1/orders) and
`--repeat` completions (POST .../complete-shipment), and prints for each
request how many messages it sent to PostgreSQL and waited for: the `sendto`
calls on the database sockets between the request's arrival and its write
transaction's COMMIT, that one included. Not counted: the COMMIT of a read
transaction, which the server sends without waiting for its answer (it reads
the answer when the connection is next used), and anything after the COMMIT
(the event consumers woken by it). With -v, each counted send is listed.

The count does not depend on the machine's load; it does depend on the
statements being prepared already, which is why the requests run after the
warm-up and why the smallest of the repeats is the figure to quote (a
statement prepared for the first time on a connection costs one more).
Loopback only; needs strace and psql, and the right to trace a child process.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

COMPLETE_PATH = "/integration/api/shipping/v1/shipments/complete-shipment"
ORDERS_PATH = "/api/v1/orders"
TRACKING = "1Z999AA10123456784"
# What a read transaction's end looks like on the wire: one Parse of COMMIT,
# sent without waiting (store/postgres/pg_connection.cpp, SendWithoutWaiting).
READ_END = re.compile(r'^"P\\0\\0\\0\\16\\0COMMIT\\0')
SENDTO = re.compile(r'^(\d+)\s+sendto\((\d+), ("(?:[^"\\]|\\.)*"(?:\.\.\.)?), (\d+),')


def wait_for(condition, what, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.05)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, url, work):
        self.port = free_port()
        key_file = os.path.join(work, "master.key")
        with open(key_file, "w") as f:
            f.write(base64.b64encode(os.urandom(32)).decode() + "\n")
        os.chmod(key_file, 0o600)
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--data",
             os.path.join(work, "data"), "--database", url, "--master-key-file", key_file,
             "--metrics-listen", "off"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.key = None
        deadline = time.monotonic() + 30
        while self.key is None and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            found = re.search(r"sl_[0-9a-f]+", line)
            if found:
                self.key = found.group(0)
        if self.key is None:
            self.stop()
            sys.exit("shipline printed no API key")
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        sys.exit("shipline did not listen")

    def get(self, path):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         headers={"Authorization": "Bearer " + self.key})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def consumers_done(self):
        """Every event consumer (email, webhooks, ...) has handled every event."""
        return all(c["lag"] == 0 for c in self.get("/api/v1/consumers")["consumers"])

    def post(self, path, body):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": "Bearer " + self.key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def order(number):
    return {"orderNumber": number, "currency": "USD",
            "customer": {"name": "B", "email": "b@example.com"},
            "lineItems": [{"sku": "A1", "title": "W", "quantity": 1, "unitPrice": "10.00"}],
            "payment": {"provider": "manual", "reference": "pi_" + number,
                        "amountAuthorized": "10.00"},
            "shipments": [{"shipmentNumber": number + "-1", "status": "RELEASED",
                           "items": [{"sku": "A1", "quantity": 1}]}]}


def complete(number):
    return {"shipmentNumber": number + "-1", "carrierTrackingNumber": TRACKING}


def counted_sends(trace_file, path, markers):
    """The sends one request (the first to `path` in the trace) waited for;
    None while the trace does not hold the request's write COMMIT yet.

    The request's threads are told apart from the consumers' and the
    leases' by what they send: one of `markers` (the API key's hash, the
    shipment number, the tracking number) in one of their messages.
    """
    with open(trace_file, errors="replace") as f:
        lines = f.read().splitlines()
    start = next((i for i, line in enumerate(lines) if f"POST {path} " in line), None)
    if start is None:
        return None
    sends = []
    for line in lines[start:]:
        sent = SENDTO.match(line)
        if sent and int(sent.group(4)) > 1:  # 1 byte: a thread wake-up, not PostgreSQL
            sends.append((sent.group(1), sent.group(2), sent.group(3)))
    # The request's write ends with the first COMMIT of a thread that sent a
    # marker; the consumers its commit wakes send theirs after it.
    ours = set()
    end = None
    for i, (tid, _, payload) in enumerate(sends):
        if any(m in payload for m in markers):
            ours.add(tid)
        if tid in ours and "COMMIT" in payload and not READ_END.match(payload):
            end = i
            break
    if end is None:
        return None
    return [(tid, fd, payload[:90]) for tid, fd, payload in sends[:end + 1]
            if tid in ours and not READ_END.match(payload)]


def traced(server, work, path, body, name, markers):
    trace_file = os.path.join(work, name + ".trace")
    tracer = subprocess.Popen(
        ["strace", "-f", "-s", "65536", "-e", "trace=sendto,recvfrom,sendmsg,recvmsg,readv,writev,write,read",
         "-o", trace_file, "-p", str(server.proc.pid)], stderr=subprocess.DEVNULL)
    def trace_holds(text):
        try:
            with open(trace_file, errors="replace") as f:
                return text in f.read()
        except FileNotFoundError:  # strace has not started writing
            return False

    # Attached once a health check shows up in the trace.
    def health_traced():
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=5).close()
        return trace_holds("GET /healthz")

    wait_for(health_traced, "strace to attach")
    server.post(path, body)
    wait_for(lambda: counted_sends(trace_file, path, markers) is not None,
             "the request's write COMMIT in the trace")
    tracer.terminate()
    tracer.wait()
    return counted_sends(trace_file, path, markers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default="build/shipline")
    parser.add_argument("--database", default=os.environ.get("SHIPLINE_TEST_DATABASE_URL", ""),
                        help="a postgres:// URL (default: a throwaway cluster)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.database and not args.database.startswith(("postgres://", "postgresql://")):
        sys.exit("--database must be a postgres:// URL")
    if not 1 <= args.repeat <= 20:
        sys.exit("--repeat must be between 1 and 20")
    work = tempfile.mkdtemp(prefix="pg_round_trips.")
    cluster = None
    if not args.database:
        cluster = os.path.join(work, "pg")
        cluster_script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts",
                                      "pg-test-cluster.sh")
        args.database = subprocess.run([cluster_script, "start", cluster, str(free_port())],
                                       check=True, capture_output=True, text=True).stdout.strip()
    try:
        run(args, work)
    finally:
        if cluster:
            subprocess.run([cluster_script, "stop", cluster], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def run(args, work):
    server_url = args.database.rsplit("/", 1)[0]
    subprocess.run(["psql", "-qX", server_url + "/postgres", "-c",
                    "DROP DATABASE IF EXISTS rtcheck", "-c", "CREATE DATABASE rtcheck"],
                   check=True, capture_output=True)
    server = Server(args.bin, server_url + "/rtcheck", work)
    try:
        for n in range(12):  # every pooled connection prepares its statements
            server.post(ORDERS_PATH, order(f"w{n}"))
            server.post(COMPLETE_PATH, complete(f"w{n}"))
        wait_for(server.consumers_done, "the consumers to handle the warm-up's events")
        results = {"order create": [], "completion": []}
        for n in range(args.repeat):
            number = f"o{n}"
            for name, path, body in (("order create", ORDERS_PATH, order(number)),
                                     ("completion", COMPLETE_PATH, complete(number))):
                # The same request just before, untraced: the storefront
                # settings cache (5 s) holds the store, as under load.
                server.post(ORDERS_PATH, order(f"{number}.{name[0]}"))
                if path == COMPLETE_PATH:
                    server.post(COMPLETE_PATH, complete(f"{number}.{name[0]}"))
                wait_for(server.consumers_done, "the consumers to handle its event")
                markers = [hashlib.sha256(server.key.encode()).hexdigest(), number + "-1",
                           TRACKING]
                sends = traced(server, work, path, body, f"{number}.{name.replace(' ', '_')}",
                               markers)
                results[name].append(len(sends))
                if args.verbose:
                    print(f"{name} {number}:")
                    for tid, fd, payload in sends:
                        print(f"  thread {tid} fd {fd} {payload}")
        for name, counts in results.items():
            print(f"{name}: {min(counts)} round trips, COMMIT included "
                  f"(each run: {' '.join(map(str, counts))})")
    finally:
        server.stop()
        subprocess.run(["psql", "-qX", server_url + "/postgres", "-c",
                        "DROP DATABASE IF EXISTS rtcheck"], capture_output=True)


if __name__ == "__main__":
    main()
