"""Master-key rotation with a key ring (docs/DEPLOYMENT.md, "Rotating the
master key"). A node may hold the new key beside the old one; it opens what
either sealed and seals with the key the database names as current, so on
PostgreSQL `shipline secrets rotate` runs while the nodes serve, and they seal
with the new key from its commit on, without a restart. The rotation re-seals
the stored answers to Idempotency-Keys too, so a repeat replays after it.
On SQLite the one server stops for the rotation, but the ring works the same.
"""

import base64
import hashlib
import os
import re
import threading

import pytest

from conftest import (TEST_DATABASE_URL, TRACKING, create_test_database, drop_test_database,
                      order_body, run_cli, wait_until)
from test_secrets_at_rest import dump, receiver  # noqa: F401 - receiver is a fixture
from webhook_receiver import signature_valid

ALLOW = ["--allow-private-targets"]
SEALED = re.compile(r"slenc:1:([0-9a-f]{16}):")
REPLAYED = "Idempotent-Replayed"
# The storefront of the webhook subscriptions the PostgreSQL test makes: the
# stream's orders are another's, so only the last shipment is delivered.
STORE = "rotation"


def key_file(tmp_path, name):
    """A new master key in a private file; returns (path, key id)."""
    raw = os.urandom(32)
    path = tmp_path / name
    path.write_text(base64.b64encode(raw).decode() + "\n")
    path.chmod(0o600)
    return path, hashlib.sha256(raw).hexdigest()[:16]


def use_keys(node, master, previous=None):
    node.env["SHIPLINE_MASTER_KEY_FILE"] = str(master)
    if previous is None:
        node.env.pop("SHIPLINE_PREVIOUS_MASTER_KEY_FILE", None)
    else:
        node.env["SHIPLINE_PREVIOUS_MASTER_KEY_FILE"] = str(previous)


def rotate(node, old, new):
    return run_cli("secrets", "rotate", "--data", str(node.data_dir), *node.database_args(),
                   "--master-key-file", str(old), "--new-key-file", str(new),
                   env=node.process_env(), timeout=120)


def idempotent_order(node, number, idem):
    return node.request("POST", "/api/v1/orders", body=order_body(number),
                        headers={"Idempotency-Key": idem})


def assert_replays(first, again):
    assert again.headers.get(REPLAYED) == "true", (again.status, again.body)
    assert again.status == first.status
    assert again.raw == first.raw


def key_ids_in(node):
    """The ids of the keys the database's sealed values name."""
    return set(SEALED.findall(dump(node)))


def refuses_to_start(node):
    node._launch()
    assert node.proc.wait(timeout=30) == 2
    return node.stderr_text()


def test_a_node_with_both_keys_serves_across_a_rotation(make_shipline, receiver, tmp_path):
    """Both engines: before the rotation a node holding both keys seals with
    the old one (the database's); after it, the old key alone is refused, the
    new one alone opens everything, and a repeat made before replays."""
    old, old_id = key_file(tmp_path, "old.key")
    new, new_id = key_file(tmp_path, "new.key")
    s = make_shipline(extra_args=ALLOW, start=False)
    use_keys(s, old)
    s.start()
    sub = s.request("POST", "/api/v1/webhooks", body={"url": receiver.url()})
    assert sub.status == 201, sub.body
    first = idempotent_order(s, "100001", "before-rotation")
    assert first.status == 201, first.body

    s.stop()
    use_keys(s, new, previous=old)
    s.start()
    assert key_ids_in(s) == {old_id}  # it opens with both, seals with the database's
    s.stop()
    rotated = rotate(s, old, new)
    assert rotated.returncode == 0, rotated.stderr.decode()
    assert key_ids_in(s) == {new_id}

    use_keys(s, old)
    assert new_id in refuses_to_start(s)
    use_keys(s, new)
    s.start()
    assert_replays(first, idempotent_order(s, "100001", "before-rotation"))
    s.create_order(order_body("100002"))
    assert s.complete("100002-1", TRACKING).status == 200
    req = receiver.wait_for(1)[-1]
    assert signature_valid(sub.body["secret"], req)


# -- two nodes on PostgreSQL, rotating while they serve -----------------------

class Traffic:
    """A bounded stream of requests over the nodes that are up: orders and
    their completions, and now and then a webhook subscription (of STORE)
    made under an Idempotency-Key. Stops after `limit` rounds, or when told."""

    def __init__(self, nodes, receiver, limit=400):
        self.nodes = nodes
        self.receiver = receiver
        self.limit = limit
        self.up = set(range(len(nodes)))
        self.busy = [0] * len(nodes)
        self.cond = threading.Condition()
        self.rounds = 0
        self.failures = []
        self.secrets = {}  # receiver path -> signing secret
        self.stopping = False
        self.threads = []

    def _take(self, turn):
        with self.cond:
            while not self.up:
                self.cond.wait(1)
            ups = sorted(self.up)
            index = ups[turn % len(ups)]
            self.busy[index] += 1
            return index

    def _give(self, index):
        with self.cond:
            self.busy[index] -= 1
            self.cond.notify_all()

    def _send(self, turn, what, fn):
        index = self._take(turn)
        try:
            r = fn(self.nodes[index])
        except OSError as e:
            self.failures.append((what, index, repr(e)))
            return None
        finally:
            self._give(index)
        return r

    def _run(self, worker):
        turn = worker
        while not self.stopping:
            with self.cond:
                if self.rounds >= self.limit:
                    return
                self.rounds += 1
                n = self.rounds
            number = f"{worker + 1}{n:05d}"
            r = self._send(turn, "order", lambda s: s.request(
                "POST", "/api/v1/orders", body=order_body(number)))
            if r is not None and r.status != 201:
                self.failures.append(("order", number, r.status, r.body))
            turn += 1
            r = self._send(turn, "complete", lambda s: s.complete(f"{number}-1", TRACKING))
            if r is not None and r.status != 200:
                self.failures.append(("complete", number, r.status, r.body))
            turn += 1
            if n % 8 == 0:
                path = f"/hook/{number}"
                r = self._send(turn, "webhook", lambda s: s.request(
                    "POST", "/api/v1/webhooks", body={"url": self.receiver.url(path),
                                                      "store": STORE},
                    headers={"Idempotency-Key": f"sub-{number}"}))
                if r is not None and r.status == 201:
                    self.secrets[path] = r.body["secret"]
                elif r is not None:
                    self.failures.append(("webhook", number, r.status, r.body))

    def start(self, workers=2):
        for worker in range(workers):
            t = threading.Thread(target=self._run, args=(worker,), daemon=True)
            t.start()
            self.threads.append(t)

    def wait_rounds(self, n, timeout=60):
        return wait_until(lambda: self.rounds >= n or not any(t.is_alive() for t in self.threads),
                          timeout, interval=0.05)

    def take_down(self, index):
        """No new request goes to node `index`; returns once none is on it."""
        with self.cond:
            self.up.discard(index)
            while self.busy[index]:
                self.cond.wait(1)

    def bring_up(self, index):
        with self.cond:
            self.up.add(index)
            self.cond.notify_all()

    def stop(self):
        self.stopping = True
        for t in self.threads:
            t.join(timeout=60)


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (SHIPLINE_TEST_DATABASE_URL)")
def test_two_nodes_rotate_while_serving(make_shipline, receiver, tmp_path):
    old, old_id = key_file(tmp_path, "old.key")
    new, new_id = key_file(tmp_path, "new.key")
    database = create_test_database()
    nodes = []
    traffic = None
    try:
        for _ in range(2):
            node = make_shipline(extra_args=ALLOW, database=database, start=False)
            use_keys(node, old)
            nodes.append(node.start())
        nodes[1]._key = nodes[0].key  # one database: a key works on every node
        a = nodes[0]
        before = a.request("POST", "/api/v1/webhooks", body={
            "url": receiver.url("/hook/before"), "store": STORE})
        assert before.status == 201, before.body
        repeat = idempotent_order(a, "900001", "made-before-the-rotation")
        assert repeat.status == 201, repeat.body

        traffic = Traffic(nodes, receiver)
        traffic.secrets["/hook/before"] = before.body["secret"]
        traffic.start()
        # 1. A rolling restart gives every node both keys; the other serves.
        for index, node in enumerate(nodes):
            traffic.wait_rounds(traffic.rounds + 5)
            traffic.take_down(index)
            node.stop()
            use_keys(node, new, previous=old)
            node.start()
            traffic.bring_up(index)
        # 2. The rotation, while both serve.
        traffic.wait_rounds(traffic.rounds + 10)
        rounds_before = traffic.rounds
        rotated = rotate(a, old, new)
        assert rotated.returncode == 0, rotated.stderr.decode()
        assert traffic.rounds > rounds_before, "the rotation ran while no request did"
        traffic.wait_rounds(traffic.rounds + 20)
        traffic.stop()
        assert not traffic.failures, traffic.failures[:5]
        after_rotation = [p for p in traffic.secrets if p != "/hook/before"]
        assert after_rotation, "no subscription was made during the stream"

        # Only the new key is named in the database, for every kind of value.
        assert key_ids_in(a) == {new_id}

        # 3. The old key goes, one node at a time; a node given only the old
        # key refuses to start.
        for node in nodes:
            node.stop()
            use_keys(node, new)
            node.start()
        late = make_shipline(database=database, start=False)
        use_keys(late, old)
        assert new_id in refuses_to_start(late)
        assert "not among the given keys" in late.stderr_text()

        # The repeat made before the rotation replays on either node.
        for node in nodes:
            assert_replays(repeat, idempotent_order(node, "900001", "made-before-the-rotation"))

        # Every subscription, made before the rotation or during it, gets the
        # next shipment signed with its own secret.
        seen = receiver.count()
        a.create_order(order_body("900002", store=STORE))
        assert a.complete("900002-1", TRACKING).status == 200
        paths = set(traffic.secrets)

        def delivered():
            got = {r["path"] for r in receiver.requests[seen:]
                   if r["json"] and r["json"]["subject"] == "900002-1"}
            return paths <= got

        assert wait_until(delivered, 60, interval=0.1), "a subscription got no delivery"
        for request in receiver.wait_for(0, timeout=0):
            assert signature_valid(traffic.secrets[request["path"]], request), request["path"]
    finally:
        if traffic is not None:
            traffic.stop()
        for node in nodes:
            node.stop(check=False)
        drop_test_database(database)


# -- the nodes' keys, checked before a rotation ------------------------------

def sealed_state(node):
    """The key the database names as current and every sealed value."""
    text = dump(node)
    current = re.findall(r"master\W{1,4}([0-9a-f]{16})", text)
    return current, sorted(re.findall(r"slenc:1:[0-9a-f]{16}:[A-Za-z0-9+/=]+", text))


def live_node_ids(node):
    """The node ids in live_nodes (PostgreSQL): each `host:pid:random`."""
    return set(re.findall(r"^(\S+:\d+:[0-9a-f]{8})\t", dump(node), re.M))


def test_rotate_refuses_while_a_serving_node_lacks_the_new_key(make_shipline, tmp_path):
    """PostgreSQL: a serving node publishes the ids of the keys it holds; a
    rotation to a key it lacks is refused (exit 2, naming the node) and
    changes nothing, until the node is restarted holding both keys. On
    SQLite a serving node holds the data folder, so the rotation is refused
    before any key is looked at."""
    old, old_id = key_file(tmp_path, "old.key")
    new, new_id = key_file(tmp_path, "new.key")
    s = make_shipline(start=False)
    use_keys(s, old)
    s.start()
    before = sealed_state(s)
    assert before[0] == [old_id] and key_ids_in(s) == {old_id}

    refused = rotate(s, old, new)
    stderr = refused.stderr.decode()
    if s.database:
        assert refused.returncode == 2, stderr
        assert f":{s.proc.pid}:" in stderr and new_id in stderr, stderr
        assert "nothing changed" in stderr
        nodes = live_node_ids(s)
        assert len(nodes) == 1 and next(iter(nodes)) in stderr
    else:
        assert refused.returncode == 1, stderr
        assert "stop the server first" in stderr
    assert sealed_state(s) == before  # not the key's record, not one value

    # Restarted holding both keys (the old one still current): it proceeds.
    s.stop()
    if s.database:
        assert not live_node_ids(s), "a clean stop leaves the node's row"
    use_keys(s, old, previous=new)
    s.start()
    if s.database:
        rotated = rotate(s, old, new)
    else:
        s.stop()
        rotated = rotate(s, old, new)
        s.start()
    assert rotated.returncode == 0, rotated.stderr.decode()
    assert key_ids_in(s) == {new_id}
    sub = s.request("POST", "/api/v1/webhooks", body={"url": "https://hooks.example/in"})
    assert sub.status == 201, sub.body
    assert key_ids_in(s) == {new_id}
    # Ids only: no key's material is in the database.
    text = dump(s)
    for path in (old, new):
        assert path.read_text().strip() not in text


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (SHIPLINE_TEST_DATABASE_URL)")
def test_rotate_with_force_proceeds_although_a_node_lacks_the_key(make_shipline, tmp_path):
    old, _ = key_file(tmp_path, "old.key")
    new, new_id = key_file(tmp_path, "new.key")
    s = make_shipline(start=False)
    use_keys(s, old)
    s.start()
    forced = run_cli("secrets", "rotate", "--data", str(s.data_dir), *s.database_args(),
                     "--master-key-file", str(old), "--new-key-file", str(new), "--force",
                     env=s.process_env(), timeout=120)
    assert forced.returncode == 0, forced.stderr.decode()
    assert key_ids_in(s) == {new_id}
    s.stop()
    # The node lacked the key: it cannot start again with the old one alone.
    assert new_id in refuses_to_start(s)
