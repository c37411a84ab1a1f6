"""No secret in a log line: one server holding a secret of every kind (API
keys, webhook signing secret and Basic password, a delivery provider's token,
a 3PL password, the SMTP password, the payment secret, the master key) uses each of them, right and wrong, through a scenario; then
everything it wrote to standard error, over two starts, is searched for each
value."""

import base64
import json
import os

from conftest import TRACKING, http_payment_args, order_body, wait_until
from test_shipping_orders import order_body as shipping_order_body
from webhook_receiver import WebhookReceiver

NOTIFY = "/api/v1/integrations/3pl/shipment-notification"
SMTP_PASSWORD = "smtp-pass-4c1d7e"
PAYMENT_SECRET = "sk_live_payment-6b2f90"
PROVIDER_TOKEN = "provider-token-a81c33"
BASIC_PASSWORD = "basic-pass-e4470b"
MASTER_KEY = base64.b64encode(os.urandom(32)).decode()


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": "Basic " + token, "Content-Type": "application/json"}


def test_no_secret_appears_in_any_log_line(make_shipline, payment_server, smtp_sink):
    receiver = WebhookReceiver().start()
    try:
        s = make_shipline(
            extra_args=["--allow-private-targets",
                        "--smtp", f"smtp://shop:{SMTP_PASSWORD}@127.0.0.1:{smtp_sink.port}",
                        *http_payment_args(payment_server, PAYMENT_SECRET)],
            env={"SHIPLINE_MASTER_KEY": MASTER_KEY})
        secrets = [SMTP_PASSWORD, PAYMENT_SECRET, PROVIDER_TOKEN,
                   BASIC_PASSWORD, MASTER_KEY, s.key]

        sub = s.request("POST", "/api/v1/webhooks", body={
            "url": receiver.url(), "auth": {"basic": {"username": "shop",
                                                      "password": BASIC_PASSWORD}}})
        assert sub.status == 201, sub.body
        secrets.append(sub.body["secret"])
        rotated = s.request("POST", f"/api/v1/webhooks/{sub.body['id']}/rotate-secret",
                            body={"graceSeconds": 3600})
        assert rotated.status == 200, rotated.body
        secrets.append(rotated.body["secret"])

        key = s.request("POST", "/api/v1/api-keys", body={"name": "k", "scopes": ["read"]})
        assert key.status == 201, key.body
        secrets.append(key.body["key"])
        assert s.request("GET", "/api/v1/orders", key=key.body["key"]).status == 200
        assert s.request("GET", "/api/v1/orders", key=key.body["key"] + "x").status == 401

        conn = s.request("POST", "/api/v1/integrations/3pl/connections", body={"name": "FL1"})
        assert conn.status == 201, conn.body
        secrets.append(conn.body["password"])

        # Completion: capture with the payment secret, a signed webhook with
        # Basic auth, an email refused for want of STARTTLS.
        s.create_order(order_body("100001"))
        assert s.complete("100001-1", TRACKING).status == 200
        receiver.wait_for(1)
        assert wait_until(lambda: "offers no STARTTLS" in s.stderr_text(), 30)

        # 3PL notifications, with the right and a wrong password.
        s.create_order(order_body("100002"))
        body = json.dumps({"order_key": "100002", "order_number": "100002",
                           "shipped_at": "2026-11-22T05:18:00Z",
                           "items": [{"sku": "A", "name": "Widget", "ordered_quantity": 2,
                                      "fulfilled_quantity": 2}],
                           "packages": [{"tracking_number": TRACKING, "carrier": "UPS",
                                         "service": "Ground"}]})
        username, password = conn.body["username"], conn.body["password"]
        assert s.request("POST", NOTIFY, raw=body, key=None,
                         headers=basic(username, password)).status == 200
        assert s.request("POST", NOTIFY, raw=body, key=None,
                         headers=basic(username, password + "x")).status == 401

        # A provider on a closed port: its call fails and is logged.
        provider = s.request("POST", "/api/v1/providers", body={
            "id": "remote", "kind": "http",
            "config": {"url": "http://127.0.0.1:9/p",
                       "token": PROVIDER_TOKEN, "timeoutMs": 1000}})
        assert provider.status == 201, provider.body
        location = s.request("POST", "/api/v1/locations", body={
            "locationExternalId": "7709", "name": "Store",
            "address": {"street1": "1 Main St", "city": "Boston", "state": "MA",
                        "postalCode": "02118", "countryCode": "US", "latitude": 42.33,
                        "longitude": -71.07},
            "contact": {"name": "Dock", "phone": "+1 617 555 0100"}, "providers": ["remote"]})
        assert location.status == 201, location.body
        s.request("POST", "/api/shipping-orders/v1/shipments", body=shipping_order_body("so-1"))
        assert wait_until(lambda: '"provider call"' in s.stderr_text(), 30)

        s.restart()  # start-up logs, once more with secrets in the database
        assert s.request("GET", "/api/v1/providers/remote").status == 200
    finally:
        receiver.stop()
    s.stop()

    logs = "".join(p.read_text(errors="replace") for p in s.stderr_paths)
    assert '"provider call"' in logs
    for secret in secrets:
        assert secret not in logs, secret
        assert secret.removeprefix("whsec_") not in logs, secret
    # Standard output holds only the first start's admin key, printed once.
    out = "".join(p.read_text(errors="replace") for p in s.stdout_paths)
    for secret in secrets:
        assert secret not in out, secret
