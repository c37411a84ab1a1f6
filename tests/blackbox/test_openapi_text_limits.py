"""The OpenAPI document declares the text limits the server enforces, and the
two cannot drift apart.

The documents name a kind of text per field ("x-shipline-text": "address") and
the merge step fills maxLength from the decoders' own table
(src/domain/text_limits.hpp). These tests check, against the served document:
- every string a client can send (request body, query or path parameter) is
  bounded: a maxLength, an enum, a format, or a pattern with a bounded length;
- every named kind is a kind of the table, and its maxLength is the table's;
- for each operation below, every string of a valid request body is accepted at
  the document's maxLength and refused one character past it, so a document
  whose kind differs from the decoder's fails here."""

import base64
import re

import pytest

from conftest import COMPLETE_PATH, TRACKING, order_body

# The table (src/domain/text_limits.hpp), by the names the documents use.
KINDS = {"code": 64, "id": 128, "name": 200, "address": 200, "phone": 64, "email": 254,
         "url": 2048, "note": 512, "secret": 4096, "long-text": 10_000, "external-id": 100}
METHODS = ("get", "post", "put", "patch", "delete")
BOUNDED_PATTERN = re.compile(r"\{\d+,\d+\}\$?$|\{\d+\}\$?$")


def served(shipline):
    r = shipline.request("GET", "/openapi.json")
    assert r.status == 200
    return r.body


def resolve(document, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        _, _, kind, name = schema["$ref"].split("/")
        schema = document["components"][kind][name]
    return schema


def strings(document, schema, path="", seen=frozenset()):
    """(path, schema) of every string a request with `schema` may carry."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if ref in seen:
        return
    seen = seen | {ref} if ref else seen
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        return
    for key in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(key, []):
            yield from strings(document, part, path, seen)
    kind = schema.get("type")
    if kind == "string" or (isinstance(kind, list) and "string" in kind):
        yield path, schema
    for name, member in schema.get("properties", {}).items():
        yield from strings(document, member, f"{path}.{name}" if path else name, seen)
    if "items" in schema:
        yield from strings(document, schema["items"], path + "[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from strings(document, schema["additionalProperties"], path + "{}", seen)


def request_strings(document):
    """(operation, path, schema) of every string of every request."""
    for route, item in document["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {route}"
            for parameter in operation.get("parameters", []):
                parameter = resolve(document, parameter)
                if parameter["in"] in ("query", "path"):
                    for path, schema in strings(document, parameter.get("schema", {}),
                                                f"{parameter['in']}:{parameter['name']}"):
                        yield where, path, schema
            body = resolve(document, operation.get("requestBody", {}))
            for media, content in body.get("content", {}).items():
                for path, schema in strings(document, content.get("schema", {})):
                    yield f"{where} ({media})", path, schema


def bounded(schema):
    if "enum" in schema or "format" in schema or "maxLength" in schema:
        return True
    return bool(BOUNDED_PATTERN.search(schema.get("pattern", "")))


def test_every_request_string_is_bounded_by_the_table(shipline):
    document = served(shipline)
    unbounded, wrong = [], []
    count = 0
    for where, path, schema in request_strings(document):
        count += 1
        if not bounded(schema):
            unbounded.append(f"{where} {path}")
        kind = schema.get("x-shipline-text")
        if kind is not None:
            if kind not in KINDS:
                wrong.append(f"{where} {path}: unknown kind {kind}")
            elif schema.get("maxLength") != KINDS[kind]:
                wrong.append(f"{where} {path}: {kind} has maxLength {schema.get('maxLength')}")
    assert count > 250, count  # the walk found the requests
    assert unbounded == [], unbounded
    assert wrong == [], wrong


# -- behaviour: the declared limit is the enforced one ---------------------------

def leaves(value, path=""):
    """(path, text) of every string in a JSON value; list elements as "[]"."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, member in value.items():
            yield from leaves(member, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for member in value[:1]:
            yield from leaves(member, path + "[]")


def replaced(value, path, text):
    """A copy of `value` with the string at `path` (as leaves() names it) set to `text`."""
    if not path:
        return text
    if isinstance(value, list):
        head, rest = "[]", path[2:].lstrip(".")
        return [replaced(value[0], rest, text)] + value[1:]
    key, _, rest = path.partition(".")
    if key.endswith("[]"):
        key, rest = key[:-2], "[]" + ("." + rest if rest else "")
    return {**value, key: replaced(value[key], rest, text)}


def declared(document, operation_schema, path):
    for found, schema in strings(document, operation_schema):
        if found == path:
            return schema
    return None


def padded(text, length):
    """`text` lengthened to `length` characters, still of its shape."""
    if "@" in text:
        return "a" * (length - len(text)) + text
    return text + "a" * (length - len(text))


def refused_for_length(r, leaf):
    return r.status in (400, 422) and leaf in r.raw.decode(errors="replace")


ADDRESS = {"street1": "345 Harrison Avenue", "city": "Boston", "postalCode": "02118",
           "countryCode": "US", "state": "MA", "latitude": 42.3452369, "longitude": -71.0639399}
RATE_TABLE = {"currency": "USD", "services": [{"id": "ground", "serviceType": "Ground",
                                               "baseFee": "3.00", "perKm": "0.10"}]}


PROBED = []


def probe(shipline, document, method, route, body, fresh=None, skip=(), target=None):
    """Sends `body` with each of its strings at its declared maxLength (accepted)
    and one past it (refused naming it). `fresh(n)` gives the n-th probe's own
    body (new ids), or (target, body); `skip` names strings that are not free
    text (checked against other data). Returns the problems found."""
    media = "application/json"
    schema = document["paths"][route][method.lower()]["requestBody"]["content"][media]["schema"]
    problems = []
    for n, (path, text) in enumerate(leaves(body)):
        if path in skip or any(path.startswith(prefix + ".") for prefix in skip):
            continue
        declared_schema = declared(document, schema, path)
        if declared_schema is None:
            problems.append(f"{method} {route} {path}: not in the document")
            continue
        if "maxLength" not in declared_schema or "enum" in declared_schema or \
                "format" in declared_schema or "pattern" in declared_schema:
            continue
        limit = declared_schema["maxLength"]
        PROBED.append(f"{method} {route} {path}")
        leaf = path.split(".")[-1].replace("[]", "")
        where, base = target or route, body
        if fresh:
            made = fresh(n)
            where, base = made if isinstance(made, tuple) else (where, made)
        at = shipline.request(method, where, body=replaced(base, path, padded(text, limit)))
        if at.status >= 400 and at.status not in (404, 409):
            problems.append(f"{method} {route} {path}: {limit} refused ({at.status} {at.body})")
        over = shipline.request(method, where, body=replaced(base, path, padded(text, limit + 1)))
        if not refused_for_length(over, leaf):
            problems.append(f"{method} {route} {path}: {limit + 1} not refused "
                            f"({over.status} {over.body})")
    return problems


# Strings whose value must match other data, so that a longer one is refused
# for that: skus name the order's line items, providers[] existing providers, a
# time zone the tz database; a provider's config is its kind's own document.
REFERENCES = ("lineItems[].sku", "shipments[].items[].sku", "items[].sku", "providers[]",
              "timeZone", "config")


def test_declared_limits_are_the_enforced_ones(shipline):
    document = served(shipline)
    problems = []

    def order(n):
        return order_body(f"7{n:05d}")
    problems += probe(shipline, document, "POST", "/api/v1/orders", order(0), fresh=order,
                      skip=REFERENCES)

    provider = {"id": "cheap", "name": "Cheap", "displayName": "Cheap", "kind": "rate-table",
                "config": RATE_TABLE}
    ok = shipline.request("POST", "/api/v1/providers", body=provider)
    assert ok.status == 201, ok.body
    problems += probe(shipline, document, "POST", "/api/v1/providers", provider,
                      fresh=lambda n: {**provider, "id": f"p{n}"}, skip=REFERENCES)
    location = {"locationExternalId": "7709", "name": "Store", "address": ADDRESS,
                "contact": {"name": "Dock", "phone": "+1 617 555 0100",
                            "email": "d@example.com"},
                "providers": ["cheap"], "timeZone": "America/New_York"}
    problems += probe(shipline, document, "POST", "/api/v1/locations", location,
                      fresh=lambda n: {**location, "locationExternalId": f"l{n}"},
                      skip=REFERENCES)

    shipment = {"carrier": "UPS", "carrierTrackingNumber": TRACKING,
                "trackingUrl": "https://ups.example/t", "service": "ground",
                "returnTrackingNumber": "R1", "internalComment": "c", "note": "n",
                "items": [{"sku": "A", "quantity": 1}]}

    def new_shipment(n):
        number = f"8{n:05d}"
        shipline.create_order(order_body(number, shipments=[]))
        return f"/api/v1/orders/{number}/shipments", shipment
    problems += probe(shipline, document, "POST", "/api/v1/orders/{orderNumber}/shipments",
                      shipment, fresh=new_shipment, skip=REFERENCES)
    settings = {"sender": "shop@example.com",
                "carriers": [{"code": "acme", "name": "Acme", "aliases": ["ac"],
                              "trackingUrlTemplate": "https://acme.example/%s"}],
                "shipFrom": {"name": "Dock", "company": "Shop", "line1": "1 Main St",
                             "line2": "Unit 2", "city": "Boston", "region": "MA",
                             "postalCode": "02118", "country": "US",
                             "phone": "+1 617 555 0100", "email": "dock@example.com"}}
    problems += probe(shipline, document, "PUT", "/api/v1/stores/{store}", settings,
                      target="/api/v1/stores/main")
    shipline.create_order(order_body("800900"))
    problems += probe(shipline, document, "PUT", "/api/v1/shipments/{shipmentNumber}/tracking",
                      {"carrier": "UPS", "carrierTrackingNumber": TRACKING,
                       "trackingUrl": "https://ups.example/t", "note": "n"},
                      target="/api/v1/shipments/800900-1/tracking")
    problems += probe(shipline, document, "POST", "/api/v1/webhooks",
                      {"url": "https://hooks.example/in", "eventTypes": ["*"], "store": "main",
                       "auth": {"basic": {"username": "u", "password": "p"}},
                       "description": "d"}, skip=("eventTypes[]",))
    problems += probe(shipline, document, "POST", "/api/v1/api-keys",
                      {"name": "sync", "scopes": ["read"]})
    problems += probe(shipline, document, "POST", "/api/v1/integrations/3pl/connections",
                      {"name": "FL1"})

    def shipping_order(n):
        return {"locationExternalId": "7709", "orderExternalId": f"so-{n}", "orderValue": 10,
                "groupId": "g1", "brandExternalId": "b1", "signature": "none", "locale": "en-US",
                "currencyCode": "USD", "pickupInstructions": "p", "deliveryInstructions": "d",
                "deliveryContact": {"name": "Ada", "phone": "+1 234-567-8900",
                                    "email": "ada@example.com"},
                "deliveryAddress": {"street1": "725 Albany Street", "street2": "Unit 2",
                                    "apartmentNumber": "2", "city": "Boston", "state": "MA",
                                    "countryCode": "US", "postalCode": "02118",
                                    "latitude": 42.3346944, "longitude": -71.071818},
                "package": {"name": "Solid", "description": "pack 1", "barcode": "B1"},
                "itemList": [{"sku": "sku 1", "quantity": 1, "price": 3, "title": "Watch"}]}
    saved = shipline.request("POST", "/api/v1/locations", body=location)
    assert saved.status == 201, saved.body
    problems += probe(shipline, document, "POST", "/api/shipping-orders/v1/shipments",
                      shipping_order(0), fresh=shipping_order,
                      skip=("locationExternalId", "currencyCode", "deliveryAddress.countryCode"))
    problems += probe(shipline, document, "POST", COMPLETE_PATH,
                      {"shipmentNumber": "800900-1", "carrierTrackingNumber": TRACKING})
    shipline.create_order(order_body("800901"))
    problems += probe(shipline, document, "PUT", "/api/order/shipment",
                      {"order": "800901", "shipment": "800901-1", "carrier": "UPS",
                       "service": "ground", "tracking": TRACKING, "returnSlipTracking": "R1",
                       "internalComment": "c"}, skip=("order", "shipment"))
    for problem in problems:
        print(problem)
    assert problems == []
    assert len(PROBED) > 60, PROBED  # the probes reached the strings


def test_declared_query_limits_are_the_enforced_ones(shipline):
    """Every free-text query parameter of the lists is accepted at its declared
    maxLength and refused one character past it, naming the parameter. The
    cursor is left out: it is an opaque token the server issues (never near
    its limit), and any other value is refused as a bad cursor."""
    document = served(shipline)
    problems, probed = [], []
    for route in ("/api/v1/orders", "/api/v1/shipments", "/api/v1/locations"):
        for parameter in document["paths"][route]["get"].get("parameters", []):
            parameter = resolve(document, parameter)
            schema = resolve(document, parameter.get("schema", {}))
            name = parameter["name"]
            if parameter["in"] != "query" or "x-shipline-text" not in schema or name == "cursor":
                continue
            limit = schema["maxLength"]
            probed.append(f"{route}?{name}")
            at = shipline.request("GET", f"{route}?{name}={padded('a@b.example', limit)}")
            if at.status != 200:
                problems.append(f"{route}?{name}: {limit} refused ({at.status} {at.body})")
            over = shipline.request("GET", f"{route}?{name}={padded('a@b.example', limit + 1)}")
            if not refused_for_length(over, name):
                problems.append(f"{route}?{name}: {limit + 1} not refused ({over.status})")
    assert problems == []
    assert len(probed) >= 7, probed  # store, email, number, carrier, tracking, order, after


def test_the_check_finds_a_drifted_document(shipline):
    """The check can fail: a document that declared customer.name as an id
    (128) while the decoder holds it to a name (200) is caught both ways."""
    document = served(shipline)
    customer = resolve(document, document["components"]["schemas"]["NewOrder"]
                       ["properties"]["customer"])
    for declared_limit in (128, 250):
        customer["properties"]["name"]["maxLength"] = declared_limit
        problems = probe(shipline, document, "POST", "/api/v1/orders", order_body("600000"),
                         fresh=lambda n: order_body(f"6{declared_limit}{n:03d}"),
                         skip=REFERENCES)
        assert [p for p in problems if "customer.name" in p], problems
