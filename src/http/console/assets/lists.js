// Orders and shipments: the query API's lists, with their filters in the
// page's address (#/orders?status=unshipped&email=...), so a view can be
// bookmarked and shared; paging by the API's cursor.

import { enc, get } from "./api.js";
import { errorBox, fill, h, statusBadge, table, time } from "./ui.js";

const ORDER_STATES = ["unshipped", "partially_shipped", "shipped", "cancelled"];
const SHIPMENT_STATES = ["PENDING", "RELEASED", "SHIPPED", "DELIVERED", "CANCELLED"];

const ORDERS = {
  title: "Orders",
  route: "#/orders",
  api: "/api/v1/orders",
  key: "orders",
  statuses: ORDER_STATES,
  fields: [
    ["number", "Order number starts with"],
    ["email", "Customer email"],
    ["store", "Store"],
    ["createdFrom", "Created from (ISO 8601)"],
    ["createdTo", "Created to (ISO 8601)"],
  ],
  headers: ["Order", "Customer", "Store", "Shipping state", "Shipments", "Created"],
  row: (o) => [
    h("a", { href: `#/orders/${enc(o.orderNumber)}` }, o.orderNumber),
    (o.customer && o.customer.email) || "",
    o.store || "",
    statusBadge(o.shippingState),
    String((o.shipments || []).length),
    time(o.createdAt),
  ],
};

const SHIPMENTS = {
  title: "Shipments",
  route: "#/shipments",
  api: "/api/v1/shipments",
  key: "shipments",
  statuses: SHIPMENT_STATES,
  fields: [
    ["tracking", "Tracking number"],
    ["order", "Order number"],
    ["carrier", "Carrier"],
    ["updatedFrom", "Changed from (ISO 8601)"],
    ["updatedTo", "Changed to (ISO 8601)"],
  ],
  headers: ["Shipment", "Order", "Status", "Carrier", "Tracking", "Changed"],
  row: (s) => [
    h("a", { href: `#/orders/${enc(s.orderNumber)}?shipment=${enc(s.shipmentNumber)}` },
      s.shipmentNumber),
    h("a", { href: `#/orders/${enc(s.orderNumber)}` }, s.orderNumber),
    statusBadge(s.status),
    s.carrier || "",
    s.carrierTrackingNumber || "",
    time(s.updatedAt),
  ],
};

function filterForm(kind, params) {
  const status = new Set(params.getAll("status"));
  const boxes = kind.statuses.map((value) => {
    const id = `st-${value}`;
    return h("span", { class: "check" },
      h("input", { type: "checkbox", id, name: "status", value, checked: status.has(value) }),
      h("label", { for: id }, value));
  });
  const inputs = kind.fields.map(([name, label]) => {
    const id = `q-${name}`;
    return h("div", { class: "field" }, h("label", { for: id }, label),
      h("input", { id, name, value: params.get(name) || "", autocomplete: "off" }));
  });
  const form = h("form", { class: "filters", role: "search", "aria-label": `Filter ${kind.key}` },
    h("fieldset", {}, h("legend", {}, "Status"), boxes),
    h("div", { class: "field-row" }, inputs),
    h("div", { class: "buttons" },
      h("button", { type: "submit" }, "Apply filters"),
      h("a", { href: kind.route, class: "button-link" }, "Clear")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (String(value).trim()) next.append(name, String(value).trim());
    location.hash = `${kind.route}${next.toString() ? `?${next}` : ""}`;
  });
  return form;
}

async function list(kind, view, params) {
  fill(view, h("h1", {}, kind.title), filterForm(kind, params),
    h("p", { class: "muted", role: "status" }, "Loading…"));
  const query = new URLSearchParams(params);
  if (!query.has("limit")) query.set("limit", "50");
  try {
    const body = await get(`${kind.api}?${query}`);
    const rows = body[kind.key] || [];
    const pager = h("nav", { class: "pager", "aria-label": "Pages" });
    if (params.has("cursor")) {
      const first = new URLSearchParams(params);
      first.delete("cursor");
      pager.append(h("a", { href: `${kind.route}?${first}` }, "First page"));
    }
    if (body.next) {
      const next = new URLSearchParams(params);
      next.set("cursor", body.next);
      pager.append(h("a", { href: `${kind.route}?${next}`, rel: "next" }, "Next page"));
    }
    view.lastChild.replaceWith(
      table(kind.headers, rows.map(kind.row), `${kind.title} (${rows.length} on this page)`),
      pager);
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, `Could not list ${kind.key}`));
  }
}

export const ordersPage = (view, params) => list(ORDERS, view, params);
export const shipmentsPage = (view, params) => list(SHIPMENTS, view, params);

// One box for what support people have at hand: an order number, a
// customer's email or a tracking number.
export async function searchPage(view, params) {
  const q = (params.get("q") || "").trim();
  fill(view, h("h1", {}, `Search: ${q}`), h("p", { class: "muted", role: "status" }, "Searching…"));
  if (!q) {
    view.lastChild.replaceWith(h("p", {}, "Type an order number, a customer email or a tracking number."));
    return;
  }
  try {
    const byEmail = q.includes("@");
    const [orders, shipments] = await Promise.all([
      get(`/api/v1/orders?limit=50&${byEmail ? "email" : "number"}=${enc(q)}`),
      byEmail ? { shipments: [] } : get(`/api/v1/shipments?limit=50&tracking=${enc(q)}`),
    ]);
    const exact = (orders.orders || []).find((o) => o.orderNumber === q);
    view.lastChild.replaceWith(
      exact ? h("p", {}, "Exact match: ", h("a", { href: `#/orders/${enc(q)}` }, `order ${q}`)) : "",
      table(ORDERS.headers, (orders.orders || []).map(ORDERS.row), "Orders found"),
      byEmail ? "" : table(SHIPMENTS.headers, (shipments.shipments || []).map(SHIPMENTS.row),
        "Shipments with this tracking number"));
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, "Search failed"));
  }
}
