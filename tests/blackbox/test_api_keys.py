"""API keys: scopes, the /api/v1/api-keys routes, expiry, revocation (on this
node at once, on another PostgreSQL node within seconds), last use, and the
`shipline keys` commands while a server runs."""

import datetime
import json

import pytest

from conftest import (COMPLETE_PATH, TEST_DATABASE_URL, TRACKING, order_body, run_cli,
                      wait_until)

KEYS = "/api/v1/api-keys"


def iso(seconds_from_now):
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(
        seconds=seconds_from_now)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def create(s, name, scopes, key=None, **fields):
    r = s.request("POST", KEYS, body={"name": name, "scopes": scopes, **fields},
                  **({} if key is None else {"key": key}))
    assert r.status == 201, r.body
    return r.body


def listed(s, key=None):
    r = s.request("GET", KEYS, **({} if key is None else {"key": key}))
    assert r.status == 200, r.body
    return {k["id"]: k for k in r.body["apiKeys"]}


def cli(s, *args):
    proc = run_cli("keys", *args, "--data", str(s.data_dir), *s.database_args())
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_create_list_and_revoke(shipline):
    made = create(shipline, "reporting", ["read"], expiresAt=iso(3600))
    secret = made.pop("key")
    assert secret.startswith("sl_") and made["prefix"] == secret[:11]
    assert made["scopes"] == ["read"] and made["name"] == "reporting"
    assert made["lastUsedAt"] is None and made["revokedAt"] is None
    assert made["expiresAt"] is not None and made["createdAt"]

    r = shipline.request("GET", KEYS)
    assert secret not in r.raw.decode()
    keys = listed(shipline)
    assert keys[made["id"]] == made
    assert set(made) == {"id", "name", "scopes", "prefix", "createdAt", "lastUsedAt",
                         "expiresAt", "revokedAt"}

    assert shipline.request("GET", "/api/v1/events?after=0&limit=1", key=secret).status == 200
    r = shipline.request("DELETE", f"{KEYS}/{made['id']}")
    assert r.status == 204, r.body
    # At once on the node that revoked it.
    r = shipline.request("GET", "/api/v1/events?after=0&limit=1", key=secret)
    assert r.status == 401, r.body
    assert listed(shipline)[made["id"]]["revokedAt"] is not None
    assert shipline.request("DELETE", f"{KEYS}/{made['id']}").status == 404
    assert shipline.request("DELETE", f"{KEYS}/999999").status == 404
    assert shipline.request("DELETE", f"{KEYS}/abc").status == 404


def test_first_start_key_is_admin(shipline):
    printed = shipline.stdout_text()
    key = printed.split("admin API key:", 1)[1].split()[0]
    keys = listed(shipline, key=key)
    assert [k["scopes"] for k in keys.values() if k["name"] == "admin"] == [["admin"]]


@pytest.mark.parametrize("body,field", [
    ({"name": "x", "scopes": ["read", "owner"]}, "scopes"),
    ({"name": "x", "scopes": []}, "scopes"),
    ({"name": "x", "scopes": "read"}, "scopes"),
    ({"name": "x"}, "scopes"),
    ({"name": "", "scopes": ["read"]}, "name"),
    ({"scopes": ["read"]}, "name"),
    ({"name": "x" * 201, "scopes": ["read"]}, "name"),  # the table's name kind
    ({"name": "x", "scopes": ["read"], "expiresAt": "2001-01-01T00:00:00Z"}, "expiresAt"),
    ({"name": "x", "scopes": ["read"], "expiresAt": "next tuesday"}, "expiresAt"),
    ({"name": "x", "scopes": ["read"], "owner": "me"}, "owner"),
])
def test_bad_input_is_400_naming_the_field_and_changes_nothing(shipline, body, field):
    # The caller's own key records its first use in the background (at most
    # once a minute), whenever that write lands: not a change the refused
    # request made, so the comparison leaves lastUsedAt out.
    def keys():
        return {i: {f: v for f, v in k.items() if f != "lastUsedAt"}
                for i, k in listed(shipline).items()}

    before = keys()
    r = shipline.request("POST", KEYS, body=body)
    assert r.status == 400, r.body
    assert r.body["field"] == field and r.body["code"] == "INVALID_ARGUMENT", r.body
    assert keys() == before


def test_an_expired_key_gets_401(shipline):
    made = create(shipline, "short", ["read"], expiresAt=iso(2))
    path = "/api/v1/events?after=0&limit=1"
    first = shipline.request("GET", path, key=made["key"]).status
    assert first in (200, 401)  # 401 only if this machine took 2 s to get here
    assert wait_until(lambda: shipline.request("GET", path, key=made["key"]).status == 401, 15)
    code, _, err = cli(shipline, "create", "--tenant", "t", "--name", "old",
                       "--expires", "2001-01-01T00:00:00Z")
    assert code == 2 and "expiresAt must be in the future" in err, err


def test_the_last_admin_key_cannot_revoke_itself(shipline):
    only = shipline.create_key("solo", "only-admin")
    me = [k for k in listed(shipline, key=only).values()]
    assert len(me) == 1
    r = shipline.request("DELETE", f"{KEYS}/{me[0]['id']}", key=only)
    assert r.status == 409 and r.body["code"] == "CONFLICT", r.body
    # A read or write key does not count as an admin.
    create(shipline, "writer", ["write", "read"], key=only)
    assert shipline.request("DELETE", f"{KEYS}/{me[0]['id']}", key=only).status == 409
    second = create(shipline, "second-admin", ["admin"], key=only)
    r = shipline.request("DELETE", f"{KEYS}/{me[0]['id']}", key=only)
    assert r.status == 204, r.body
    assert shipline.request("GET", KEYS, key=only).status == 401
    r = shipline.request("DELETE", f"{KEYS}/{second['id']}", key=second["key"])
    assert r.status == 409, r.body


def test_each_scope_is_enforced_in_each_contracts_error_shape(shipline):
    shipline.create_order(order_body("100001"))
    read = create(shipline, "reader", ["read"])["key"]
    write = create(shipline, "writer", ["write"])["key"]

    # read: GET only.
    assert shipline.request("GET", "/api/v1/orders/100001", key=read).status == 200
    r = shipline.request("POST", "/api/v1/orders", body=order_body("100002"), key=read)
    assert r.status == 403 and r.body["code"] == "PERMISSION_DENIED", r.body
    assert "write" in r.body["error"]
    r = shipline.complete("100001-1", TRACKING, key=read)
    assert r.status == 403 and set(r.body) == {"error"}, r.body
    r = shipline.request("POST", "/api/shipping-orders/v1/shipments", body={}, key=read)
    assert r.status == 403 and r.body["type"] == "FORBIDDEN" and r.body["code"] == 403, r.body
    r = shipline.request("POST", "/api/v2/client/invoices/1/shipments", body={}, key=read)
    assert r.status == 403 and r.body["errors"][0]["status"] == "403", r.body
    r = shipline.request("POST", "/api/order/shipment", body={}, key=read)
    assert r.status == 403 and r.body["status"] == "no" and "write" in r.body["msg"], r.body
    assert shipline.shipment("100001-1")["status"] == "RELEASED"

    # write: a merchant integration, not the administration.
    assert shipline.request("GET", "/api/v1/shipments/100001-1", key=write).status == 200
    assert shipline.complete("100001-1", TRACKING, key=write).status == 200
    for method, path, body in [("GET", KEYS, None), ("POST", KEYS, {"name": "x", "scopes": ["read"]}),
                               ("POST", "/api/v1/webhooks", {"url": "https://example.com/h"}),
                               ("PUT", "/api/v1/stores/main", {}),
                               ("POST", "/api/v1/integrations/3pl/connections", {"name": "w"}),
                               ("POST", "/api/v1/locations", {})]:
        r = shipline.request(method, path, body=body, key=write)
        assert r.status == 403 and r.body["code"] == "PERMISSION_DENIED", (method, path, r.body)
    assert shipline.request("GET", "/api/v1/webhooks", key=write).status == 200


def test_keys_commands_work_while_the_server_runs(shipline):
    key = shipline.create_key("cli-tenant", "cli-key", scopes="read,write",
                              expires=iso(86400))
    assert shipline.request("GET", "/api/v1/events?after=0&limit=1", key=key).status == 200
    assert shipline.request("GET", KEYS, key=key).status == 403

    code, out, err = cli(shipline, "list", "--tenant", "cli-tenant")
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["name"], r["scopes"], r["prefix"]) for r in rows] == [
        ("cli-key", ["read", "write"], key[:11])]
    assert rows[0]["expiresAt"] is not None and rows[0]["tenantId"] > 0
    code, out, err = cli(shipline, "list")
    assert code == 0 and len(out.splitlines()) >= 2, (out, err)
    assert cli(shipline, "list", "--tenant", "nobody")[0] == 2
    assert cli(shipline, "create", "--tenant", "t", "--name", "n", "--scopes", "root")[0] == 2

    code, out, err = cli(shipline, "revoke", str(rows[0]["id"]))
    assert code == 0, err
    # The server notices within a second (its cache's lifetime).
    assert wait_until(lambda: shipline.request(
        "GET", "/api/v1/events?after=0&limit=1", key=key).status == 401, 5)
    assert cli(shipline, "revoke", str(rows[0]["id"]))[0] == 2


def test_last_use_is_recorded_in_the_background(shipline):
    made = create(shipline, "used", ["read"])
    for _ in range(20):
        assert shipline.request("GET", "/api/v1/events?after=0&limit=1",
                                key=made["key"]).status == 200
    used = wait_until(lambda: listed(shipline)[made["id"]]["lastUsedAt"], 15)
    assert used is not None
    # At most one write a minute: later uses in the same minute leave it.
    assert shipline.request("GET", "/api/v1/events?after=0&limit=1",
                            key=made["key"]).status == 200
    # A clean stop writes what the once-a-minute rule lets it write: nothing.
    shipline.restart()
    assert listed(shipline)[made["id"]]["lastUsedAt"] == used


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="several nodes need PostgreSQL")
def test_a_revoked_key_is_refused_by_another_node_within_five_seconds(make_shipline):
    a = make_shipline()
    b = make_shipline(database=a.database)
    made = create(a, "roaming", ["read"])
    path = "/api/v1/events?after=0&limit=1"
    assert b.request("GET", path, key=made["key"]).status == 200
    assert a.request("DELETE", f"{KEYS}/{made['id']}").status == 204
    assert a.request("GET", path, key=made["key"]).status == 401
    assert wait_until(lambda: b.request("GET", path, key=made["key"]).status == 401, 5)
