// Shipping orders (dispatched through delivery providers): the list of the
// last day (the Shipping Order API lists by POST, so it needs a write key),
// one order with provider, estimates and status history; retry and cancel.

import { can, call, del, enc, get, post } from "./api.js";
import { actionButton, dl, errorBox, fill, h, notice, section, statusBadge, table, time } from "./ui.js";

const BASE = "/api/shipping-orders/v1/shipments";
const millis = (ms) => (ms ? time(new Date(ms).toISOString()) : null);
const window_ = (w) => (w && (w.startsAt || w.endsAt)
  ? h("span", {}, millis(w.startsAt) || "…", " – ", millis(w.endsAt) || "…") : null);

export async function shippingOrdersPage(view, params) {
  fill(view, h("h1", {}, "Shipping orders"));
  if (!can("write")) {
    view.append(h("p", { class: "refused-page" },
      "The Shipping Order API lists by POST: listing needs a key with the write scope. ",
      "Open one by its external id: ", h("a", { href: "#/search" }, "search"), "."));
    return;
  }
  const hours = Number(params.get("hours") || 24);
  const body = { limit: 100, lastUpdatedAt: { startsAt: Date.now() - hours * 3600000, endsAt: Date.now() } };
  if (params.get("status")) body.status = [params.get("status")];
  if (params.get("token")) body.paginationToken = params.get("token");
  view.append(h("p", { class: "muted", role: "status" }, "Loading…"));
  try {
    const page = await call("POST", `${BASE}/list`, body);
    const rows = (page.data || []).map((o) => [
      h("a", { href: `#/shipping-orders/${enc(o.orderExternalId)}` }, o.orderExternalId),
      o.locationExternalId || "", statusBadge(o.status), (o.provider && o.provider.name) || "",
      o.trackingId || "", millis(o.lastUpdatedAt) || time(o.lastUpdatedAt),
    ]);
    const pager = h("nav", { class: "pager", "aria-label": "Pages" });
    const next = page.paginationToken && page.paginationToken.next;
    if (next) {
      const p = new URLSearchParams(params);
      p.set("token", next);
      pager.append(h("a", { href: `#/shipping-orders?${p}`, rel: "next" }, "Next page"));
    }
    view.lastChild.replaceWith(
      h("p", {}, `Changed in the last ${hours} hours. `,
        h("a", { href: "#/shipping-orders?hours=720" }, "Last 30 days")),
      table(["Order", "Location", "Status", "Provider", "Tracking", "Changed"], rows, "Shipping orders"),
      pager);
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, "Could not list shipping orders"));
  }
}

export async function shippingOrderPage(view, params, id) {
  fill(view, h("h1", {}, `Shipping order ${id}`), h("p", { class: "muted", role: "status" }, "Loading…"));
  let order;
  let history;
  try {
    [order, history] = await Promise.all([get(`${BASE}/${enc(id)}`),
      get(`${BASE}/${enc(id)}/status-history`)]);
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, `Could not load shipping order ${id}`));
    return;
  }
  const status = h("div", { "aria-live": "polite" });
  const act = (label, fn, done) => async () => {
    try {
      await fn();
      await shippingOrderPage(view, params, id);
      view.querySelector("h1").after(notice(done));
    } catch (error) {
      status.replaceChildren(errorBox(error, label));
    }
  };
  const changes = (Array.isArray(history) ? history : [history]).flatMap((x) => (x && x.orderStatus) || []);
  fill(view,
    h("h1", {}, `Shipping order ${order.orderExternalId} `, statusBadge(order.status)), status,
    h("div", { class: "actions" },
      actionButton("Retry", "write", act("Retry refused", () => post(`${BASE}/${enc(id)}/retry`),
        "Dispatch retried.")),
      actionButton("Cancel", "write", act("Cancel refused", async () => {
        if (!window.confirm(`Cancel shipping order ${id}?`)) throw new Error("not cancelled");
        await del(`${BASE}/${enc(id)}`);
      }, "Shipping order cancelled."))),
    section("Dispatch", dl([
      ["Location", order.locationExternalId], ["Sub-status", order.subStatus],
      ["Provider", order.provider ? `${order.provider.displayName || order.provider.name} (${order.provider.serviceType || order.provider.serviceId || ""})` : null],
      ["Tracking", order.trackingId], ["Fee", order.fee !== undefined && order.fee !== null ? `${order.fee} ${order.currencyCode || ""}` : null],
      ["Estimated pickup", window_(order.estimatedPickupTime)],
      ["Estimated delivery", window_(order.estimatedDeliveryTime)],
      ["Created", millis(order.createdAt) || time(order.createdAt)],
    ])),
    section("Status history", table(["Status", "At", "By", "Note"], changes.map((c) => [
      h("span", {}, statusBadge(c.status), c.subStatus ? ` ${c.subStatus}` : ""), time(c.updatedAt),
      c.statusUser || "", (c.eventReason && (c.eventReason.title || c.eventReason.code)) || c.note || "",
    ]), "Status changes")));
}
