// One order: its line items (ordered and fulfilled), payment, and every
// shipment with its history, tracking, the events written for it, the email
// sent for each event and each event's webhook deliveries with every attempt.
// Actions go through the public API: release (PENDING), complete (RELEASED,
// the order API's completion), update tracking (SHIPPED), cancel (PENDING or
// RELEASED, after a confirmation).

import { enc, get, post, put } from "./api.js";
import {
  actionButton, actionForm, dl, errorBox, fill, h, notice, section, statusBadge, table, time,
} from "./ui.js";

// Deliveries are read for at most this many events of an order, newest
// first; the rest say so.
const MAX_DELIVERY_LOOKUPS = 40;

function money(value, currency) {
  return value === null || value === undefined ? "—" : `${value} ${currency || ""}`.trim();
}

function lineItems(order) {
  return table(["SKU", "Title", "Unit price", "Ordered", "Fulfilled"],
    (order.lineItems || []).map((li) => [
      li.sku, li.title || "", money(li.unitPrice, order.currency), String(li.quantity),
      String(li.fulfilledQuantity ?? 0),
    ]), "Line items");
}

function payment(order) {
  const p = order.payment;
  if (!p) return section("Payment", h("p", { class: "muted" }, "No payment recorded."));
  const captures = p.captures || [];
  return section("Payment",
    dl([["Provider", p.provider], ["Reference", p.reference],
      ["Authorized", money(p.amountAuthorized, order.currency)],
      ["Captured", money(p.amountCaptured, order.currency)]]),
    captures.length ? table(["Shipment", "Amount", "At"], captures.map((c) => [
      c.shipmentNumber || "", money(c.amount, order.currency), time(c.at || c.createdAt),
    ]), "Captures") : null);
}

function attemptsTable(delivery) {
  return table(["At", "Answer", "Latency", "Excerpt or error"],
    (delivery.attempts || []).map((a) => [
      time(a.at), a.statusCode ? String(a.statusCode) : "no answer",
      a.latencyMs === undefined || a.latencyMs === null ? "" : `${a.latencyMs} ms`,
      a.error || a.response || "",
    ]), `Attempts of delivery ${delivery.id}`);
}

export function deliveryBlock(delivery, onChange) {
  const replay = actionButton("Replay", "admin", async (event) => {
    const button = event.currentTarget;
    const place = button;
    try {
      await post(`/api/v1/webhook-deliveries/${enc(delivery.id)}/replay`);
    } catch (error) {
      place.after(errorBox(error, "Replay refused"));
      return;
    }
    const message = `Delivery ${delivery.id} queued again.`;
    try {
      if (onChange) await onChange(message);
      else place.after(notice(message));
    } catch (error) {
      place.after(errorBox(error, "Could not show the replayed delivery"));
    }
  }, { "aria-label": `Replay delivery ${delivery.id}` });
  return h("div", { class: "delivery", "data-delivery": delivery.id },
    h("p", {}, h("strong", {}, `Delivery ${delivery.id}`), " to subscription ",
      h("a", { href: `#/webhooks/${enc(delivery.subscriptionId)}` }, String(delivery.subscriptionId)),
      " ", statusBadge(delivery.status), ` ${delivery.attemptCount} attempt(s) `,
      delivery.lastError ? h("span", { class: "muted" }, `— ${delivery.lastError}`) : "", " ",
      replay),
    attemptsTable(delivery));
}

function emailLine(email) {
  if (!email) return h("span", { class: "muted" }, "No email for this event.");
  if (email.failure) {
    return h("span", { class: "warn" }, `Email to ${email.recipient} given up: ${email.failure} `,
      time(email.at));
  }
  return h("span", {}, `Email “${email.subject}” sent to ${email.recipient} (${email.transport}) `,
    time(email.at));
}

function eventsBlock(events, deliveries, refresh) {
  if (!events.length) return h("p", { class: "muted" }, "No events.");
  return h("ol", { class: "events" }, events.map((e) => h("li", { class: "event" },
    h("p", {}, h("strong", {}, e.type), " ", time(e.createdAt), ` · event ${e.id}`),
    h("p", { class: "email" }, emailLine(e.email)),
    deliveries.has(e.id)
      ? (deliveries.get(e.id).length
        ? deliveries.get(e.id).map((d) => deliveryBlock(d, refresh))
        : h("p", { class: "muted" }, "No webhook deliveries."))
      : h("p", { class: "muted" }, "Webhook deliveries not loaded (older event)."))));
}

function shipmentActions(order, s, refresh) {
  const done = async (promise, message) => {
    await promise;
    await refresh(message);
  };
  const items = [];
  if (s.status === "PENDING") {
    items.push(actionButton("Release", "write", async (event) => {
      const button = event.currentTarget;
      try {
        await done(post(`/api/v1/shipments/${enc(s.shipmentNumber)}/release`),
          `Shipment ${s.shipmentNumber} released.`);
      } catch (error) {
        button.after(errorBox(error, "Release refused"));
      }
    }, { "aria-label": `Release shipment ${s.shipmentNumber}` }));
  }
  if (s.status === "RELEASED") {
    items.push(actionForm(`Complete shipment ${s.shipmentNumber}`, "write", [
      { name: "tracking", label: "Tracking number", required: true },
      { name: "carrier", label: "Carrier (optional)" },
    ], "Complete shipment", (v) => {
      const body = { order: order.orderNumber, shipment: s.shipmentNumber, tracking: v.tracking };
      if (v.carrier) body.carrier = v.carrier;
      return done(post("/api/order/shipment", body), `Shipment ${s.shipmentNumber} completed.`);
    }));
  }
  if (s.status === "PENDING" || s.status === "RELEASED") {
    items.push(actionButton("Cancel shipment", "write", async (event) => {
      const button = event.currentTarget;
      if (!window.confirm(`Cancel shipment ${s.shipmentNumber}? It cannot be shipped afterwards.`)) {
        return;
      }
      try {
        await done(post(`/api/v1/orders/${enc(order.orderNumber)}/shipments/${enc(s.shipmentNumber)}/cancel`),
          `Shipment ${s.shipmentNumber} cancelled.`);
      } catch (error) {
        button.after(errorBox(error, "Cancel refused"));
      }
    }, { "aria-label": `Cancel shipment ${s.shipmentNumber}` }));
  }
  if (s.status === "SHIPPED" || s.status === "DELIVERED") {
    items.push(actionForm(`Update tracking of ${s.shipmentNumber}`, "write", [
      { name: "trackingNumber", label: "New tracking number", required: true,
        value: s.carrierTrackingNumber || "" },
      { name: "carrier", label: "Carrier (optional)", value: s.carrier || "" },
    ], "Update tracking", (v) => {
      const body = { trackingNumber: v.trackingNumber };
      if (v.carrier) body.carrier = v.carrier;
      return done(put(`/api/v1/shipments/${enc(s.shipmentNumber)}/tracking`, body),
        `Tracking of ${s.shipmentNumber} updated.`);
    }));
  }
  return items.length ? h("div", { class: "actions" }, items) : null;
}

function shipmentCard(order, s, events, deliveries, refresh) {
  const tracking = s.carrierTrackingNumber
    ? (s.trackingUrl && /^https?:\/\//.test(s.trackingUrl)
      ? h("a", { href: s.trackingUrl, rel: "noopener noreferrer", target: "_blank" },
        s.carrierTrackingNumber)
      : s.carrierTrackingNumber)
    : null;
  return h("section", { class: "card shipment", id: `shipment-${s.shipmentNumber}`,
    "aria-label": `Shipment ${s.shipmentNumber}` },
  h("h2", {}, `Shipment ${s.shipmentNumber} `, statusBadge(s.status)),
  dl([["Carrier", s.carrier], ["Service", s.service], ["Tracking", tracking],
    ["Packages", String(s.packages ?? 0)], ["Return tracking", s.returnTrackingNumber],
    ["Shipped", s.shippedAt ? time(s.shippedAt) : null], ["Comment", s.internalComment]]),
  table(["SKU", "Quantity"], (s.items || []).map((i) => [i.sku, String(i.quantity)]),
    "Items in this shipment"),
  table(["Status", "At", "By", "Note"], (s.statusHistory || []).map((c) => [
    statusBadge(c.status), time(c.at), c.by || "", c.note || "",
  ]), "Status history"),
  shipmentActions(order, s, refresh),
  h("h3", {}, "Events"),
  eventsBlock(events, deliveries, refresh));
}

export async function orderPage(view, params, number) {
  const flash = params.get("done");
  fill(view, h("h1", {}, `Order ${number}`), h("p", { class: "muted", role: "status" }, "Loading…"));
  const refresh = async (message) => {
    const next = new URLSearchParams(params);
    if (message) next.set("done", message);
    else next.delete("done");
    const target = `#/orders/${enc(number)}?${next}`;
    if (location.hash === target) await orderPage(view, next, number);
    else location.hash = target;
  };
  let order;
  let events;
  try {
    [order, { events }] = await Promise.all([
      get(`/api/v1/orders/${enc(number)}`), get(`/api/v1/orders/${enc(number)}/events`),
    ]);
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, `Could not load order ${number}`));
    return;
  }
  const deliveries = new Map();
  const recent = events.slice(-MAX_DELIVERY_LOOKUPS);
  const lookups = await Promise.allSettled(
    recent.map((e) => get(`/api/v1/events/${enc(e.id)}/deliveries`)));
  lookups.forEach((r, i) => {
    if (r.status === "fulfilled") deliveries.set(recent[i].id, r.value.deliveries || []);
  });
  const failed = lookups.find((r) => r.status === "rejected");
  const bySubject = (subject) => events.filter((e) => e.subject === subject);
  const shipmentNumbers = new Set((order.shipments || []).map((s) => s.shipmentNumber));
  const orderEvents = events.filter((e) => !shipmentNumbers.has(e.subject));
  fill(view, 
    h("h1", {}, `Order ${order.orderNumber} `, statusBadge(order.shippingState)),
    flash ? notice(flash) : null,
    failed ? errorBox(failed.reason, "Some webhook deliveries could not be read") : null,
    h("div", { class: "buttons" },
      h("button", { type: "button", onclick: () => refresh() }, "Refresh")),
    section("Order",
      dl([["Store", order.store], ["Customer", order.customer && order.customer.name],
        ["Email", order.customer && order.customer.email], ["Currency", order.currency],
        ["Created", time(order.createdAt)], ["Changed", time(order.updatedAt)]]),
      lineItems(order)),
    payment(order),
    (order.shipments || []).map((s) => shipmentCard(order, s, bySubject(s.shipmentNumber),
      deliveries, refresh)),
    section("Order events", eventsBlock(orderEvents, deliveries, refresh)));
  const focus = params.get("shipment");
  if (focus) {
    const el = document.getElementById(`shipment-${focus}`);
    if (el) el.scrollIntoView();
  }
}
