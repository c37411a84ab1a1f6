// Webhook subscriptions (create, enable/disable, rotate the secret, send a
// test event, delete) and one subscription's deliveries with every attempt:
// replay one, or every failed one since a time.

import { del, enc, get, patch, post } from "./api.js";
import {
  actionButton, actionForm, dl, errorBox, fill, h, notice, section, statusBadge, table, time,
} from "./ui.js";
import { deliveryBlock } from "./order.js";

function secretNotice(title, secret) {
  return h("div", { class: "secret", role: "status" },
    h("p", {}, `${title} It is shown this once:`), h("code", {}, secret));
}

export async function webhooksPage(view) {
  fill(view, h("h1", {}, "Webhooks"), h("p", { class: "muted", role: "status" }, "Loading…"));
  let subs;
  try {
    subs = (await get("/api/v1/webhooks")).webhooks || [];
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, "Could not list webhook subscriptions"));
    return;
  }
  const status = h("div", { "aria-live": "polite" });
  const reload = () => webhooksPage(view);
  const act = (label, fn) => async () => {
    try {
      const shown = await fn();
      await reload();
      if (shown) view.querySelector("h1").after(shown);
    } catch (error) {
      status.replaceChildren(errorBox(error, label));
    }
  };
  const rows = subs.map((w) => [
    h("a", { href: `#/webhooks/${enc(w.id)}` }, String(w.id)),
    w.url,
    (w.eventTypes || []).join(", ") || "all",
    w.enabled ? "enabled" : h("span", { class: "warn" }, `disabled${w.disabledReason ? `: ${w.disabledReason}` : ""}`),
    w.failingSince ? h("span", { class: "warn" }, "failing since ", time(w.failingSince)) : "no",
    h("span", { class: "row-actions" },
      actionButton(w.enabled ? "Disable" : "Enable", "admin",
        act("Change refused", () => patch(`/api/v1/webhooks/${enc(w.id)}`, { enabled: !w.enabled })),
        { "aria-label": `${w.enabled ? "Disable" : "Enable"} subscription ${w.id}` }),
      actionButton("Send test", "admin",
        act("Test refused", async () => {
          await post(`/api/v1/webhooks/${enc(w.id)}/test`);
          return notice(`Test event sent to subscription ${w.id}.`);
        }), { "aria-label": `Send a test event to subscription ${w.id}` }),
      actionButton("Rotate secret", "admin",
        act("Rotation refused", async () => {
          const r = await post(`/api/v1/webhooks/${enc(w.id)}/rotate-secret`);
          return secretNotice(`New secret of subscription ${w.id}.`, r.secret);
        }), { "aria-label": `Rotate the secret of subscription ${w.id}` }),
      actionButton("Delete", "admin",
        act("Delete refused", async () => {
          if (!window.confirm(`Delete subscription ${w.id} (${w.url})?`)) return null;
          await del(`/api/v1/webhooks/${enc(w.id)}`);
          return notice(`Subscription ${w.id} deleted.`);
        }), { "aria-label": `Delete subscription ${w.id}` })),
  ]);
  fill(view, 
    h("h1", {}, "Webhooks"), status,
    table(["Id", "URL", "Events", "State", "Failing", "Actions"], rows, "Subscriptions"),
    section("New subscription", actionForm("New subscription", "admin", [
      { name: "url", label: "Receiver URL (https://…)", required: true, type: "url" },
      { name: "eventTypes", label: "Event types, comma-separated (empty: all)" },
      { name: "description", label: "Description" },
    ], "Create subscription", async (v) => {
      const body = { url: v.url };
      if (v.eventTypes) body.eventTypes = v.eventTypes.split(",").map((x) => x.trim()).filter(Boolean);
      if (v.description) body.description = v.description;
      const created = await post("/api/v1/webhooks", body);
      await reload();
      view.querySelector("h1").after(secretNotice(`Subscription ${created.id} created.`, created.secret));
    })));
}

export async function webhookPage(view, params, id) {
  fill(view, h("h1", {}, `Webhook subscription ${id}`),
    h("p", { class: "muted", role: "status" }, "Loading…"));
  const query = new URLSearchParams();
  if (params.get("status")) query.set("status", params.get("status"));
  if (params.get("before")) query.set("before", params.get("before"));
  let sub;
  let page;
  try {
    [sub, page] = await Promise.all([get(`/api/v1/webhooks/${enc(id)}`),
      get(`/api/v1/webhooks/${enc(id)}/deliveries?${query}`)]);
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, `Could not load subscription ${id}`));
    return;
  }
  const reload = async (message) => {
    await webhookPage(view, params, id);
    if (message) view.querySelector("h1").after(notice(message));
  };
  const deliveries = page.deliveries || [];
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  if (page.next) {
    const next = new URLSearchParams(params);
    next.set("before", page.next);
    pager.append(h("a", { href: `#/webhooks/${enc(id)}?${next}`, rel: "next" }, "Older deliveries"));
  }
  const dayAgo = new Date(Date.now() - 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  fill(view, 
    h("h1", {}, `Webhook subscription ${sub.id}`),
    dl([["URL", sub.url], ["State", sub.enabled ? "enabled" : `disabled: ${sub.disabledReason || ""}`],
      ["Events", (sub.eventTypes || []).join(", ") || "all"], ["Format", sub.format],
      ["Failing since", sub.failingSince ? time(sub.failingSince) : null],
      ["Created", time(sub.createdAt)]]),
    section("Edit", actionForm("Edit subscription", "admin", [
      { name: "url", label: "Receiver URL", required: true, type: "url", value: sub.url },
      { name: "eventTypes", label: "Event types, comma-separated (* for all)",
        value: (sub.eventTypes || []).join(", ") },
      { name: "description", label: "Description", value: sub.description || "" },
    ], "Save changes", async (v) => {
      const types = v.eventTypes.split(",").map((x) => x.trim()).filter(Boolean);
      const body = { url: v.url, description: v.description };
      if (types.length) body.eventTypes = types;
      await patch(`/api/v1/webhooks/${enc(id)}`, body);
      await reload("Subscription saved.");
    })),
    section("Replay failed deliveries", actionForm("Replay failed deliveries", "admin", [
      { name: "since", label: "Failed deliveries created since (ISO 8601)", required: true, value: dayAgo },
    ], "Replay failed", async (v) => {
      const r = await post(`/api/v1/webhooks/${enc(id)}/replay`, { since: v.since });
      await reload(`${r.replayed} deliveries queued again.`);
    })),
    h("div", { class: "buttons" }, h("button", { type: "button", onclick: () => reload() }, "Refresh")),
    h("h2", {}, "Deliveries"),
    deliveries.length ? deliveries.map((d) => h("div", { class: "card" },
      h("p", {}, "Event ", String(d.eventId), ` (${d.eventType || ""}) `, time(d.createdAt)),
      deliveryBlock(d, reload)))
      : h("p", { class: "muted" }, "No deliveries."),
    pager);
}
