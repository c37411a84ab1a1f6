"""What the operator console needs from the server, on both engines: its
files served without a key under a strict Content-Security-Policy with
ETags, `/` sending browsers there, and the two read routes it added:
GET /api/v1/whoami and GET /api/v1/orders/{n}/events (each event with its
email), each kept to the key's tenant."""

import re

from conftest import TRACKING, order_body, wait_until

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")


def test_the_root_redirects_to_the_console(shipline):
    r = shipline.request("GET", "/", key=None)
    assert r.status == 308
    assert r.headers["Location"] == "/console/"
    r = shipline.request("GET", "/console", key=None)
    assert r.status == 308 and r.headers["Location"] == "/console/"


def test_console_files_carry_a_strict_policy_types_and_etags(shipline):
    page = shipline.request("GET", "/console/", key=None)
    assert page.status == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Security-Policy"] == CSP
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-cache"
    html = page.raw.decode()
    # Nothing inline: every script and stylesheet is a file of this origin.
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/console/' in attrs and not body.strip()
                           for attrs, body in scripts)
    assert "http://" not in html and "https://" not in html
    total = len(page.raw)
    for name in re.findall(r"(?:src|href)=\"/console/([^\"]+)\"", html):
        r = shipline.request("GET", f"/console/{name}", key=None)
        assert r.status == 200, name
        assert r.headers["Content-Security-Policy"] == CSP
        total += len(r.raw)
    app = shipline.request("GET", "/console/app.js", key=None)
    assert app.headers["Content-Type"] == "text/javascript; charset=utf-8"
    css = shipline.request("GET", "/console/style.css", key=None)
    assert css.headers["Content-Type"] == "text/css; charset=utf-8"
    assert total < 200 * 1024
    # Revalidation: the same ETag gets 304 without a body; another gets the file.
    etag = app.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{16}"', etag)
    again = shipline.request("GET", "/console/app.js", key=None, headers={"If-None-Match": etag})
    assert again.status == 304 and again.raw == b""
    other = shipline.request("GET", "/console/app.js", key=None, headers={"If-None-Match": '"x"'})
    assert other.status == 200 and other.raw == app.raw


def test_unknown_console_files_are_404_and_nothing_else_is_reached(shipline):
    for path in ("/console/nope.js", "/console/..%2Fshipline.db", "/console/%2E%2E",
                 "/console/a/b"):
        r = shipline.request("GET", path, key=None)
        assert r.status == 404, path
    assert shipline.request("POST", "/console/", key=None).status == 405


def test_whoami_names_the_key_and_its_scopes(shipline):
    r = shipline.request("GET", "/api/v1/whoami")
    assert r.status == 200
    assert r.body["name"] == shipline.key_name
    assert r.body["scopes"] == ["admin"]  # which includes write and read
    reader = shipline.create_key(shipline.tenant, "reader", scopes="read")
    r = shipline.request("GET", "/api/v1/whoami", key=reader)
    assert r.status == 200 and r.body["name"] == "reader" and r.body["scopes"] == ["read"]
    assert r.body["keyId"] > 0
    assert "key" not in r.body and reader not in r.raw.decode()
    assert shipline.request("GET", "/api/v1/whoami", key=None).status == 401


def test_order_events_with_their_emails_and_only_the_tenants(shipline):
    s = shipline
    s.create_order(order_body("400001", email_addr="eve@example.com"))
    s.create_order(order_body("400002"))
    assert s.complete("400001-1", TRACKING).status == 200
    assert s.complete("400002-1", TRACKING).status == 200

    def with_email():
        body = s.request("GET", "/api/v1/orders/400001/events").body
        return body if body["events"] and body["events"][-1]["email"] else None

    body = wait_until(with_email, 20)
    assert body, s.request("GET", "/api/v1/orders/400001/events").body
    [event] = body["events"]
    assert event["type"] == "order-shipment-shipped" and event["subject"] == "400001-1"
    email = event["email"]
    assert email["recipient"] == "eve@example.com"
    assert email["transport"] == "file" and email["failure"] is None
    assert "400001" in email["subject"] and email["at"].endswith("Z")

    # Another tenant's key sees no such order; an unknown order is 404.
    other = s.create_key("console-other", "other")
    r = s.request("GET", "/api/v1/orders/400001/events", key=other)
    assert r.status == 404 and "400001-1" not in r.raw.decode()
    assert s.request("GET", "/api/v1/orders/999999/events").status == 404
    reader = s.create_key(s.tenant, "reader", scopes="read")
    assert s.request("GET", "/api/v1/orders/400001/events", key=reader).status == 200
