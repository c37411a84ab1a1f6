"""Upgrading in place: a database made by the last release (commit 38decf4,
fixtures/upgrade_<engine>.sql, made by fixtures/make_upgrade_fixtures.py) is
restored into a data folder, or into the folder's PostgreSQL schema, and this
build serves it. What a client saw before reads back unchanged, the old
admin key and 3PL credentials still work, events written before the upgrade
reach their consumers as their typed columns (backfilled by migration 0006)
say, new completions are evented and mailed once, and every migration is
recorded. See fixtures/make_upgrade_fixtures.py for what the fixture holds."""

import base64
import json
import sqlite3
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from conftest import TEST_DATABASE_URL, TRACKING, wait_until
from webhook_receiver import WebhookReceiver

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ENGINE = "postgres" if TEST_DATABASE_URL else "sqlite"
# The schema the fixture's dump creates (make_upgrade_fixtures.PG_SCHEMA).
FIXTURE_SCHEMA = "shipline_upgrade_fixture"
ALLOW = ["--webhook-allow-private"]
THREE_PL_PATH = "/api/v1/integrations/3pl/shipment-notification"
# The old release scheduled the pending delivery's next attempt an hour after
# the fixture was made; the test upgrades as if within that hour, whenever it
# runs, by moving that time to one fixed in the far future (here and in what
# the client kept), so the new server does not retry it on its own.
PINNED_ATTEMPT_MS = 4102444800000
PINNED_ATTEMPT = "2100-01-01T00:00:00.000Z"
PIN_PENDING = f"UPDATE {{}}webhook_deliveries SET next_attempt_at = {PINNED_ATTEMPT_MS} " \
              "WHERE status = 'pending';"


@pytest.fixture(scope="module")
def kept():
    """What the old release's client kept, and the old server's answers."""
    kept = json.loads((FIXTURES / f"upgrade_{ENGINE}.json").read_text())
    for delivery in kept["readBack"]["deliveries"]["deliveries"]:
        if delivery["status"] == "pending":
            delivery["nextAttemptAt"] = PINNED_ATTEMPT
    return kept


def schema_of(database_url):
    return urllib.parse.unquote(database_url).rsplit("search_path=", 1)[1]


def restore(server):
    """Puts the old release's database where `server` will find it."""
    dump = (FIXTURES / f"upgrade_{ENGINE}.sql").read_text()
    if not server.database:
        db = sqlite3.connect(server.db_path)
        try:
            db.executescript(dump + PIN_PENDING.format(""))
        finally:
            db.close()
        return
    # The dump creates its own schema by name: it replaces the folder's empty
    # schema and takes its name, in one transaction (so that runs side by
    # side wait for each other instead of meeting in the fixture's schema).
    schema = schema_of(server.database)
    pin = PIN_PENDING.format(FIXTURE_SCHEMA + ".")
    script = f"DROP SCHEMA {schema};\n{dump}\n{pin}\nALTER SCHEMA {FIXTURE_SCHEMA} RENAME TO {schema};\n"
    subprocess.run(["psql", TEST_DATABASE_URL, "-qAt", "-1", "-v", "ON_ERROR_STOP=1", "-f", "-"],
                   input=script.encode(), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=120)


def query(server, sql):
    """Rows of one query on the server's own database, as tuples of text (the
    server should be stopped on SQLite)."""
    if server.database:
        out = subprocess.run(["psql", server.database, "-qAt", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                              "-c", sql], check=True, stdout=subprocess.PIPE, timeout=60)
        return [tuple(line.split("\t")) for line in out.stdout.decode().splitlines()]
    db = sqlite3.connect(server.db_path)
    try:
        return [tuple("" if v is None else str(v) for v in row) for row in db.execute(sql)]
    finally:
        db.close()


@pytest.fixture
def upgraded(make_shipline, kept):
    """This build serving the old release's database, with the old admin key."""
    s = make_shipline(extra_args=ALLOW, start=False)
    restore(s)
    s._key = kept["adminKey"]  # the key the old release printed, not a new one
    return s.start()


def get(s, path):
    r = s.request("GET", path)
    assert r.status == 200, (path, r.status, r.body)
    return r.body


def recipients(s):
    return [str(s.read_eml(p)["To"]) for p in s.eml_files()]


# -- what a client saw before ------------------------------------------------

def test_old_data_reads_back_unchanged_with_the_old_key(upgraded, kept):
    before = kept["readBack"]
    for number, order in before["orders"].items():
        now = get(upgraded, f"/api/v1/orders/{number}")
        # Migration 0007 added the order's last change: the latest of its
        # creation and its shipments' changes.
        changes = [order["createdAt"]] + [s["updatedAt"] for s in order["shipments"]]
        assert now.pop("updatedAt") == max(changes)
        assert now == order
    for number, shipment in before["shipments"].items():
        assert get(upgraded, f"/api/v1/shipments/{number}-1") == shipment
    store = get(upgraded, "/api/v1/stores/outlet")
    assert store.pop("shipFrom") is None  # new in migration 0015: none set
    assert store == before["store"]
    sub_id = kept["webhookSubscriptionId"]
    assert get(upgraded, f"/api/v1/webhooks/{sub_id}") == before["webhook"]
    assert get(upgraded, f"/api/v1/webhooks/{sub_id}/deliveries") == before["deliveries"]
    assert get(upgraded, "/api/v1/integrations/3pl/connections") == before["threePlConnections"]
    assert get(upgraded, "/api/v1/events?after=0&limit=100") == before["events"]

    # The same, spelled out: what the fixture was made to hold.
    bundle = get(upgraded, "/api/v1/shipments/200001-1")
    assert [(i["sku"], i.get("bundleSku")) for i in bundle["items"]] == [
        (i["sku"], i.get("bundleSku")) for i in before["shipments"]["200001"]["items"]]
    assert len(bundle["items"]) == 3 and bundle["status"] == "RELEASED"
    commented = get(upgraded, "/api/v1/shipments/300001-1")
    assert commented["status"] == "SHIPPED"
    assert commented["internalComment"] == "Packed by Ann"
    assert commented["carrierTrackingNumber"] == TRACKING
    assert get(upgraded, "/api/v1/stores/outlet")["sendShippingConfirmation"] is False
    assert upgraded.request("GET", "/api/v1/orders/100001", key="sl_" + "0" * 48).status == 401


def test_old_3pl_connection_completes_a_shipment(upgraded, kept):
    conn = kept["threePl"]
    notification = {
        "order_key": "600001", "order_number": "600001",
        "items": [{"sku": "A", "name": "Widget", "ordered_quantity": 2, "fulfilled_quantity": 2,
                   "custom_data": [], "order_parts": {}, "serial_numbers": []}],
        "extra_data": [], "routing": None, "ordered_at": "2026-11-20T10:00:00Z",
        "shipped_at": "2026-11-22T05:18:00-05:00",
        "packages": [{"tracking_number": TRACKING, "carrier": "UPS", "service": "Ground",
                      "weight": 1.5, "weight_unit": "lb", "length": 10, "width": 8,
                      "height": 4, "dimension_unit": "in"}],
        "pallets": [], "ship_from": None, "ship_to": {"name": "Ada"}}
    auth = base64.b64encode(f"{conn['username']}:{conn['password']}".encode()).decode()
    r = upgraded.request("POST", THREE_PL_PATH, raw=json.dumps(notification), key=None,
                         headers={"Authorization": f"Basic {auth}",
                                  "Content-Type": "application/json"})
    assert r.status == 200, r.body
    shipment = get(upgraded, "/api/v1/shipments/600001-1")
    assert shipment["status"] == "SHIPPED" and shipment["carrierTrackingNumber"] == TRACKING


# -- events across the upgrade -------------------------------------------------

def test_unmailed_old_events_follow_their_backfilled_decision_and_new_ones_mail_once(
        upgraded, kept):
    # Before the upgrade the email handler had passed 500001 (its store does
    # not mail) and mailed 100001; 300001 ("sendEmail": false) and 400001
    # were still to be handled.
    assert upgraded.complete("600001-1", TRACKING).status == 200  # store "outlet": no mail
    assert upgraded.complete("200001-1", TRACKING).status == 200  # main: mailed
    assert upgraded.complete("200001-1", TRACKING).status == 409
    # The handler works in event order: once the last event's mail is there,
    # every earlier event was decided.
    assert wait_until(lambda: any("bundle@" in r for r in recipients(upgraded)), 30), \
        recipients(upgraded)
    got = sorted(r.split("<")[-1].rstrip(">") for r in recipients(upgraded))
    assert got == ["bundle@example.com", "pending@example.com"], got

    old_ids = {e["id"] for e in kept["readBack"]["events"]["events"]}
    new = [e for e in upgraded.shipped_events() if e["id"] not in old_ids]
    assert sorted(e["subject"] for e in new) == ["200001-1", "600001-1"]
    assert all(e["id"] > max(old_ids) for e in new)
    bundle = next(e for e in new if e["subject"] == "200001-1")["payload"]
    assert [i["sku"] for i in bundle["items"]] == [
        i["sku"] for i in kept["readBack"]["shipments"]["200001"]["items"]]
    assert bundle["store"] == "main" and bundle["sendEmail"] is True


def test_store_filtered_subscription_gets_its_store_only(upgraded, kept):
    receiver = WebhookReceiver().start()
    try:
        sub_id = kept["webhookSubscriptionId"]
        r = upgraded.request("PATCH", f"/api/v1/webhooks/{sub_id}", body={"url": receiver.url()})
        assert r.status == 200, r.body
        # The pending delivery of the old outlet event, sent now.
        [old] = kept["readBack"]["deliveries"]["deliveries"]
        r = upgraded.request("POST", f"/api/v1/webhook-deliveries/{old['id']}/replay")
        assert r.status == 202, r.body
        assert upgraded.complete("200001-1", TRACKING).status == 200  # main
        assert upgraded.complete("600001-1", TRACKING).status == 200  # outlet

        subjects = lambda: sorted(q["json"]["subject"] for q in receiver.requests)  # noqa: E731
        assert wait_until(lambda: subjects() == ["500001-1", "600001-1"], 30), subjects()
        for request in receiver.requests:
            assert request["json"]["data"]["store"] == "outlet"
        # The old delivery is the same message: its webhook-id and body from before.
        replayed = next(q for q in receiver.requests if q["json"]["subject"] == "500001-1")
        assert replayed["headers"]["webhook-id"] == old["webhookId"]
        assert replayed["json"]["eventId"] == old["eventId"]
        deliveries = get(upgraded, f"/api/v1/webhooks/{sub_id}/deliveries")["deliveries"]
        events = {e["id"]: e["subject"] for e in upgraded.events()}
        assert sorted(events[d["eventId"]] for d in deliveries) == ["500001-1", "600001-1"]
    finally:
        receiver.stop()


# -- the engine underneath ----------------------------------------------------

def test_typed_event_columns_are_backfilled_and_every_migration_is_recorded(upgraded, kept):
    upgraded.stop()
    before = kept["readBack"]
    rows = query(upgraded, "SELECT id, storefront, order_id, shipment_id, send_email "
                           "FROM events ORDER BY id")
    old = before["events"]["events"]
    assert [int(r[0]) for r in rows] == [e["id"] for e in old]
    for row, event in zip(rows, old):
        _, storefront, order_id, shipment_id, send_email = row
        number = event["subject"].rsplit("-", 1)[0]
        assert storefront == event["payload"]["store"], (event["subject"], row)
        assert (order_id, shipment_id) == (str(before["orders"][number]["id"]),
                                           str(before["shipments"][number]["id"])), row
        wanted = ("1", "t") if event["payload"]["sendEmail"] else ("0", "f")
        assert send_email in wanted, (event["subject"], row)
    # Two shipped events said "sendEmail": false (a silent store, and one
    # completion that asked for none) and three true: both cases are covered.
    assert sorted(e["payload"]["sendEmail"] for e in old) == [False, False, True, True, True]

    migrations = sorted(p.name for p in (REPO / "src" / "store" / ENGINE / "migrations")
                        .glob("*.sql"))
    recorded = query(upgraded, "SELECT version, name FROM schema_migrations ORDER BY version")
    assert [(int(v), n) for v, n in recorded] == [(int(m.split("_")[0]), m) for m in migrations]
