"""Secrets at rest: a copy of the database alone reveals no usable secret.
Each kind of secret is made through the API, then the database itself is
dumped (SQLite with Python's sqlite3, PostgreSQL with pg_dump) and searched;
a rotation to a new master key keeps signing and authenticating after a
restart; rows an older version left in clear are sealed at the next start,
and an unsalted 3PL password hash becomes scrypt at its next use."""

import base64
import hashlib
import json
import os
import sqlite3
import subprocess

import pytest

from conftest import TRACKING, order_body, run_cli
from webhook_receiver import WebhookReceiver, signature_valid

ALLOW = ["--allow-private-targets"]
NOTIFY = "/api/v1/integrations/3pl/shipment-notification"


@pytest.fixture
def receiver():
    r = WebhookReceiver().start()
    yield r
    r.stop()


def dump(s):
    """Everything the database holds, as text."""
    if s.database:
        schema = s.database.rsplit("search_path%3D", 1)[-1]
        schema = schema.rsplit("search_path=", 1)[-1]
        base = s.database.split("?", 1)[0]
        out = subprocess.run(["pg_dump", "--data-only", "--schema", schema, base],
                             check=True, capture_output=True, timeout=60)
        return out.stdout.decode("utf-8", errors="replace")
    db = sqlite3.connect(s.db_path, timeout=30)
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


def raw_files(s):
    """The SQLite files byte for byte (the write-ahead log included)."""
    if s.database:
        return b""
    return b"".join(p.read_bytes() for p in s.data_dir.glob("shipline.db*"))


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": "Basic " + token, "Content-Type": "application/json"}


def notification(order):
    return {"order_key": order, "order_number": order, "shipped_at": "2026-11-22T05:18:00Z",
            "items": [{"sku": "A", "name": "Widget", "ordered_quantity": 2,
                       "fulfilled_quantity": 2}],
            "packages": [{"tracking_number": TRACKING, "carrier": "UPS", "service": "Ground"}]}


def make_secrets(s, receiver):
    """One secret of every stored kind; returns the clear values."""
    sub = s.request("POST", "/api/v1/webhooks", body={
        "url": receiver.url(), "auth": {"basic": {"username": "shop",
                                                  "password": "basic-pass-7f3a9c"}}})
    assert sub.status == 201, sub.body
    provider = s.request("POST", "/api/v1/providers", body={
        "id": "remote", "kind": "http",
        "config": {"url": "http://127.0.0.1:9/p", "token": "provider-token-51d0e2"}})
    assert provider.status == 201, provider.body
    conn = s.request("POST", "/api/v1/integrations/3pl/connections", body={"name": "FL1"})
    assert conn.status == 201, conn.body
    key = s.request("POST", "/api/v1/api-keys", body={"name": "k", "scopes": ["read"]})
    assert key.status == 201, key.body
    # The query cursor's signing secret is made on first use.
    assert s.request("GET", "/api/v1/orders?limit=1").status == 200
    return {"webhook": sub.body, "conn": conn.body, "apiKey": key.body["key"],
            "values": [sub.body["secret"], sub.body["secret"].removeprefix("whsec_"),
                       "basic-pass-7f3a9c", "provider-token-51d0e2", conn.body["password"],
                       key.body["key"], s.key]}


def assert_nothing_clear(s, values):
    text = dump(s)
    raw = raw_files(s)
    for value in values:
        assert value not in text, value
        assert value.encode() not in raw, value
    return text


def ship_and_verify(s, receiver, secret, number):
    s.create_order(order_body(number))
    assert s.complete(f"{number}-1", TRACKING).status == 200
    req = receiver.wait_for(1)[-1]
    assert signature_valid(secret, req)
    expected = "Basic " + base64.b64encode(b"shop:basic-pass-7f3a9c").decode()
    assert req["headers"]["authorization"] == expected


def test_no_secret_is_stored_in_clear_and_rotation_keeps_them_usable(make_shipline, receiver,
                                                                     tmp_path):
    s = make_shipline(extra_args=ALLOW)
    made = make_secrets(s, receiver)
    text = assert_nothing_clear(s, made["values"])
    assert "slenc:1:" in text
    assert "scrypt$" in text
    ship_and_verify(s, receiver, made["webhook"]["secret"], "100001")

    new_key = tmp_path / "new.key"
    new_key.write_text(base64.b64encode(os.urandom(32)).decode() + "\n")
    new_key.chmod(0o600)
    # On SQLite the server must be stopped first.
    if not s.database:
        busy = run_cli("secrets", "rotate", "--data", str(s.data_dir), "--new-key-file",
                       str(new_key))
        assert busy.returncode != 0 and b"stop the server" in busy.stderr
    s.stop()
    rotated = run_cli("secrets", "rotate", "--data", str(s.data_dir), *s.database_args(),
                      "--new-key-file", str(new_key), env=s.process_env())
    assert rotated.returncode == 0, rotated.stderr.decode()
    if s.database:
        s.env["SHIPLINE_MASTER_KEY_FILE"] = str(new_key)
    s.start()
    assert_nothing_clear(s, made["values"])
    ship_and_verify(s, receiver, made["webhook"]["secret"], "100002")
    conn = made["conn"]
    s.create_order(order_body("100003"))
    r = s.request("POST", NOTIFY, raw=json.dumps(notification("100003")), key=None,
                  headers=basic(conn["username"], conn["password"]))
    assert r.status == 200, r.body
    assert s.request("GET", "/api/v1/providers/remote").status == 200


def test_a_server_with_another_master_key_refuses_to_start(make_shipline, tmp_path):
    s = make_shipline()
    s.stop()
    other = tmp_path / "other.key"
    other.write_text(base64.b64encode(os.urandom(32)).decode())
    other.chmod(0o600)
    s.env["SHIPLINE_MASTER_KEY_FILE"] = str(other)
    s._launch()
    assert s.proc.wait(timeout=30) == 2
    assert "sealed with master key" in s.stderr_text()


def test_clear_rows_of_an_older_version_are_sealed_and_old_hashes_upgraded(make_shipline,
                                                                         receiver):
    s = make_shipline(extra_args=ALLOW)
    made = make_secrets(s, receiver)
    conn = made["conn"]
    sub_id = made["webhook"]["id"]
    # What a version before 0010 left: clear secrets and an unsalted hash.
    old_secret = "whsec_" + base64.b64encode(b"o" * 32).decode()
    s.execute_sql(f"UPDATE webhook_secrets SET secret = '{old_secret}' "
                  f"WHERE subscription_id = {sub_id}")
    s.execute_sql(f"UPDATE webhook_subscriptions SET basic_password = 'basic-pass-7f3a9c' "
                  f"WHERE id = {sub_id}")
    unsalted = hashlib.sha256(conn["password"].encode()).hexdigest()
    s.execute_sql(f"UPDATE threepl_connections SET password_hash = '{unsalted}' "
                  f"WHERE username = '{conn['username']}'")
    s.restart()
    text = dump(s)
    assert old_secret not in text and "basic-pass-7f3a9c" not in text
    ship_and_verify(s, receiver, old_secret, "100001")

    assert unsalted in dump(s)
    s.create_order(order_body("100002"))
    r = s.request("POST", NOTIFY, raw=json.dumps(notification("100002")), key=None,
                  headers=basic(conn["username"], conn["password"]))
    assert r.status == 200, r.body
    assert unsalted not in dump(s)
    r = s.request("POST", NOTIFY, raw=json.dumps(notification("100002")), key=None,
                  headers=basic(conn["username"], "wrong" + conn["password"]))
    assert r.status == 401


@pytest.mark.skipif(bool(os.environ.get("SHIPLINE_TEST_DATABASE_URL")),
                    reason="SQLite's default key file")
def test_sqlite_makes_a_private_key_file_on_first_start(make_shipline):
    s = make_shipline()
    key_file = s.data_dir / "master.key"
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o077 == 0
    assert "generated a master key" in s.stderr_text()
    s.restart()
    assert "generated a master key" not in s.stderr_text()
