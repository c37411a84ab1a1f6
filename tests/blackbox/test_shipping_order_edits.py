"""Edits of shipping orders after dispatch, with the contract's own example edit
body, against two provider servers speaking docs/providers.md over loopback:
the provider updates its booking; it cannot, and the order is quoted again and
dispatched to another provider by the rules; no provider matches; the package is
refused. Also the tenant-wide default time zone of status histories
(/api/v1/delivery-settings)."""

import copy
import json

import pytest

from test_shipping_orders import (ALLOW_PRIVATE, BASE, BOSTON, ProviderServer, assert_error,
                                  history, location, ok, order_body, provider,
                                  set_history_times)

# The Edit Shipment example of the Shipping Order API document, as it is.
EDIT_EXAMPLE = {
    "pickupTime": {"startsAt": 1655468102000},
    "deliveryTime": {"endsAt": 1655554502000},
    "deliveryContact": {"name": "John Smith", "phone": "232-323-2323",
                        "email": "john.smith@email.com"},
    "deliveryAddress": {"street1": "5411 Mercedes Avenue", "street2": "", "city": "Dallas",
                        "state": "TX", "postalCode": "75206", "countryCode": "US"},
    "package": {"name": "custom", "size": {"height": 2, "width": 2, "length": 2, "unit": "in"},
                "weight": {"value": 2, "unit": "lb"}, "itemQuantity": 2,
                "description": "Package Description"},
    "orderExternalId": "19082413",
    "orderValue": 160.99,
}


@pytest.fixture
def servers():
    first, second = ProviderServer(fee="5.00").start(), ProviderServer(fee="8.00").start()
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def two_providers(make_shipline, servers):
    """Location 7709 with provider "first" (cheaper, so it is booked first) and
    "second", both HTTP provider servers."""
    s = make_shipline(extra_args=ALLOW_PRIVATE)
    for pid, server in zip(("first", "second"), servers):
        provider(s, pid, {"url": server.url, "timeoutMs": 2000}, kind="http",
                 name=pid.title())
    location(s, "7709", ["first", "second"])
    return s


def dispatched(s, oid="19082412"):
    """An order booked with "first", with the example's package, so the example
    edit leaves the package as it is."""
    body = order_body(oid, package=copy.deepcopy(EDIT_EXAMPLE["package"]))
    o = ok(s.request("POST", BASE, body=body), 201)
    assert o["status"] == "ORDER_DISPATCHED" and o["provider"]["id"] == "first", o
    return o


def test_the_provider_updates_its_booking(two_providers, servers):
    first, second = servers
    before = dispatched(two_providers)
    o = ok(two_providers.request("PUT", f"{BASE}/19082412", body=EDIT_EXAMPLE))
    assert o["orderExternalId"] == "19082413" and o["orderValue"] == 160.99
    assert o["deliveryAddress"]["city"] == "Dallas" and o["deliveryAddress"]["postalCode"] == "75206"
    assert o["deliveryContact"]["name"] == "John Smith"
    assert o["pickupTime"]["startsAt"] == 1655468102000
    assert o["deliveryTime"]["endsAt"] == 1655554502000
    assert o["status"] == "ORDER_DISPATCHED" and o["provider"]["id"] == "first"
    assert o["trackingId"] == before["trackingId"]
    # The provider was asked to change the booking it holds, with the edit.
    [update] = first.calls("PUT")
    assert update["path"] == "/orders/hp-1"
    assert update["body"]["delivery"]["address"]["city"] == "Dallas"
    assert update["body"]["delivery"]["time"]["endsAt"] == 1655554502000
    assert update["body"]["orderExternalId"] == "19082413"
    assert update["headers"].get("idempotency-key")
    assert first.calls("DELETE") == [] and len(second.calls("POST", "/quotes")) == 1
    assert second.calls("POST", "/orders") == []
    # The order moved to its new id, with its history.
    assert two_providers.request("GET", f"{BASE}/19082412").status == 404
    got = ok(two_providers.request("GET", f"{BASE}/19082413"))
    assert got["deliveryAddress"]["city"] == "Dallas"
    assert [c["status"] for c in history(two_providers, "19082413")] == [
        "REQUEST_RECEIVED", "ESTIMATES_RECEIVED", "ORDER_DISPATCHED"]
    # Contact, value and instructions alone need no provider call.
    ok(two_providers.request("PUT", f"{BASE}/19082413", body={
        "deliveryInstructions": "ring twice", "signature": "required", "locale": "en-US",
        "groupId": "g-1", "createdDate": 1655468000000, "orderAttributes": {"payment": "Cash"}}))
    assert len(first.calls("PUT")) == 1
    got = ok(two_providers.request("GET", f"{BASE}/19082413"))
    assert got["groupId"] == "g-1" and got["locale"] == "en-US"
    assert got["createdDate"] == 1655468000000 and got["orderAttributes"] == {"payment": "Cash"}


@pytest.mark.parametrize("refusal", [409, 404])
def test_a_refused_update_is_quoted_again_and_dispatched_elsewhere(two_providers, servers,
                                                                  refusal):
    """409: the provider refuses this change; 404: it has no update call."""
    first, second = servers
    dispatched(two_providers)
    first.update_status = refusal
    first.quote_refused = True  # it does not serve Dallas
    r = two_providers.request("PUT", f"{BASE}/19082412", body=EDIT_EXAMPLE)
    o = ok(r)
    assert o["status"] == "ORDER_DISPATCHED" and o["provider"]["id"] == "second"
    assert o["trackingId"] == "TRK1" and o["deliveryAddress"]["city"] == "Dallas"
    assert any("placed again" in w["message"] for w in o["warnings"]), o
    # The old booking was cancelled, the new one booked with the edit.
    assert [c["path"] for c in first.calls("DELETE")] == ["/orders/hp-1"]
    [booking] = second.calls("POST", "/orders")
    assert booking["body"]["delivery"]["address"]["postalCode"] == "75206"
    # The history is kept and says what happened.
    changes = history(two_providers, "19082413")
    assert [c["status"] for c in changes] == [
        "REQUEST_RECEIVED", "ESTIMATES_RECEIVED", "ORDER_DISPATCHED", "ORDER_DISPATCHED"]
    assert "Second" in changes[-1]["note"] and "First" in changes[-1]["note"]


def test_no_provider_matches_the_edit_and_the_order_stays_as_it_was(two_providers, servers):
    first, second = servers
    before = dispatched(two_providers)
    first.update_status = 409
    first.quote_refused = second.quote_refused = True
    assert_error(two_providers.request("PUT", f"{BASE}/19082412", body=EDIT_EXAMPLE), 422,
                 "NO_PROVIDER_MATCHED", "hard")
    after = ok(two_providers.request("GET", f"{BASE}/19082412"))
    for field in ("status", "provider", "trackingId", "deliveryAddress", "deliveryContact",
                  "orderValue", "pickupTime", "deliveryTime"):
        assert after[field] == before[field], field
    assert first.calls("DELETE") == [] and second.calls("POST", "/orders") == []
    assert two_providers.request("GET", f"{BASE}/19082413").status == 404
    # The order can still be edited once a provider serves the address.
    second.quote_refused = False
    assert ok(two_providers.request("PUT", f"{BASE}/19082412",
                                    body=EDIT_EXAMPLE))["provider"]["id"] == "second"


def test_an_uncancellable_booking_is_place_order_failed(make_shipline, servers):
    first, second = servers
    s = make_shipline(extra_args=ALLOW_PRIVATE)
    provider(s, "first", {"url": first.url, "cancelAllowed": False}, kind="http")
    provider(s, "second", {"url": second.url}, kind="http")
    location(s, "7709", ["first", "second"])
    before = dispatched(s)
    first.update_status = 409
    assert_error(s.request("PUT", f"{BASE}/19082412", body=EDIT_EXAMPLE), 422,
                 "PLACE_ORDER_FAILED", "transient")
    after = ok(s.request("GET", f"{BASE}/19082412"))
    assert after["deliveryAddress"] == before["deliveryAddress"]
    assert after["provider"]["id"] == "first" and first.calls("DELETE") == []


def test_geocoding_failed_when_every_provider_needs_coordinates(make_shipline, servers):
    first, _ = servers
    s = make_shipline(extra_args=ALLOW_PRIVATE)
    provider(s, "first", {"url": first.url, "needsCoordinates": True}, kind="http")
    location(s, "7709", ["first"])
    dispatched(s)
    assert_error(s.request("PUT", f"{BASE}/19082412", body=EDIT_EXAMPLE), 422,
                 "GEOCODING_FAILED", "hard")
    assert first.calls("PUT") == []
    assert ok(s.request("GET", f"{BASE}/19082412"))["deliveryAddress"]["city"] == "Boston"


def test_the_package_is_refused_after_dispatch_and_nothing_changes(two_providers, servers):
    first, _ = servers
    before = dispatched(two_providers)
    body = copy.deepcopy(EDIT_EXAMPLE)
    body["package"]["weight"] = {"value": 20, "unit": "lb"}
    r = two_providers.request("PUT", f"{BASE}/19082412", body=body)
    assert_error(r, 400, "VALIDATION_ERROR", "hard")
    assert r.body["message"] == "packages parameter cannot be changed post order dispatch"
    after = ok(two_providers.request("GET", f"{BASE}/19082412"))
    assert after["package"] == before["package"] and after["deliveryAddress"]["city"] == "Boston"
    assert first.calls("PUT") == []


def test_a_taken_order_id_is_duplicate_id(two_providers):
    dispatched(two_providers, "a-1")
    dispatched(two_providers, "a-2")
    assert_error(two_providers.request("PUT", f"{BASE}/a-1", body={"orderExternalId": "a-2"}),
                 422, "DUPLICATE_ID")


def test_proposed_providers_choose_among_the_estimates(two_providers, servers):
    body = order_body("pp-1", proposedProviders=[{"name": "second",
                                                  "services": [{"id": "courier"}]}])
    assert ok(two_providers.request("POST", BASE, body=body), 201)["provider"]["id"] == "second"
    body = order_body("pp-2", proposedProviders=[{"name": "DoorDash"}])
    assert_error(two_providers.request("POST", BASE, body=body), 422, "NO_PROVIDER_MATCHED")


# -- the tenant's default time zone ---------------------------------------------------

def test_tenant_default_time_zone_in_the_status_history(make_shipline):
    s = make_shipline()
    provider(s, "instant", {"currency": "USD", "services": [{"id": "now", "baseFee": 1}]})
    location(s, "7709", ["instant"])  # no zone of its own
    r = s.request("POST", "/api/v1/locations", body={
        "locationExternalId": "tokyo", "name": "Tokyo", "address": BOSTON,
        "providers": ["instant"], "timeZone": "Asia/Tokyo"})
    ok(r, 201)
    assert ok(s.request("GET", "/api/v1/delivery-settings")) == {"timeZone": None}
    for oid, lid in (("tz-1", "7709"), ("tz-2", "tokyo")):
        ok(s.request("POST", BASE, body=order_body(oid, lid)), 201)
        set_history_times(s, oid, {"REQUEST_RECEIVED": 1651045545000})  # 07:45:45Z
    first = lambda oid: history(s, oid)[0]["updatedAt"]  # noqa: E731
    assert first("tz-1") == "April 27th 2022, 7:45:45 am UTC"
    saved = ok(s.request("PUT", "/api/v1/delivery-settings", body={"timeZone": "America/Chicago"}))
    assert saved == {"timeZone": "America/Chicago"}
    assert first("tz-1") == "April 27th 2022, 2:45:45 am CDT"
    assert first("tz-2") == "April 27th 2022, 4:45:45 pm JST"  # the location's own comes first
    # A bad zone is refused naming the field, and changes nothing.
    for bad in ({"timeZone": "Mars/Olympus"}, {"timeZone": 5}, {}):
        r = s.request("PUT", "/api/v1/delivery-settings", body=bad)
        assert r.status == 400 and r.body["field"] == "timeZone", (bad, r.body)
    assert ok(s.request("GET", "/api/v1/delivery-settings"))["timeZone"] == "America/Chicago"
    # Administration: a write key may read the setting but not change it.
    writer = s.create_key(s.tenant, "writer", scopes="read,write")
    assert ok(s.request("GET", "/api/v1/delivery-settings", key=writer))["timeZone"]
    assert s.request("PUT", "/api/v1/delivery-settings", body={"timeZone": None},
                     key=writer).status == 403
    # Back to UTC with null.
    assert ok(s.request("PUT", "/api/v1/delivery-settings",
                        body={"timeZone": None})) == {"timeZone": None}
    assert first("tz-1") == "April 27th 2022, 7:45:45 am UTC"


def test_tenant_default_time_zone_is_the_tenants_own(make_shipline):
    s = make_shipline()
    ok(s.request("PUT", "/api/v1/delivery-settings", body={"timeZone": "America/Chicago"}))
    other = s.create_key("other", "other-admin")
    assert ok(s.request("GET", "/api/v1/delivery-settings", key=other)) == {"timeZone": None}
    ok(s.request("PUT", "/api/v1/delivery-settings", body={"timeZone": "Asia/Tokyo"}, key=other))
    assert ok(s.request("GET", "/api/v1/delivery-settings"))["timeZone"] == "America/Chicago"
    assert json.dumps(ok(s.request("GET", "/api/v1/delivery-settings", key=other))).count(
        "Tokyo") == 1
