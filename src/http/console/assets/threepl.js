// 3PL: the connections warehouses notify shipline with, and the
// notifications received, rejected ones with their reason; replay one after
// fixing its cause.

import { del, enc, get, post } from "./api.js";
import { actionButton, actionForm, errorBox, fill, h, notice, section, statusBadge, table, time } from "./ui.js";

const BASE = "/api/v1/integrations/3pl";

export async function threeplPage(view, params) {
  fill(view, h("h1", {}, "3PL"), h("p", { class: "muted", role: "status" }, "Loading…"));
  const query = new URLSearchParams({ limit: "50" });
  if (params.get("status")) query.set("status", params.get("status"));
  if (params.get("before")) query.set("before", params.get("before"));
  const [connections, notifications] = await Promise.allSettled([
    get(`${BASE}/connections`), get(`${BASE}/notifications?${query}`)]);
  const status = h("div", { "aria-live": "polite" });
  const reload = async (message) => {
    await threeplPage(view, params);
    if (message) view.querySelector("h1").after(notice(message));
  };
  const act = (label, fn) => async () => {
    try {
      await reload(await fn());
    } catch (error) {
      status.replaceChildren(errorBox(error, label));
    }
  };
  const connectionBlock = connections.status === "fulfilled"
    ? table(["Name", "Username", "Created", "State"], (connections.value.connections || []).map((c) => [
      c.name, h("code", {}, c.username), time(c.createdAt),
      c.revokedAt ? h("span", {}, "revoked ", time(c.revokedAt)) : actionButton("Revoke", "admin",
        act("Revoke refused", async () => {
          if (!window.confirm(`Revoke the 3PL connection “${c.name}”?`)) return null;
          await del(`${BASE}/connections/${enc(c.id)}`);
          return `Connection “${c.name}” revoked.`;
        }), { "aria-label": `Revoke connection ${c.name}` }),
    ]), "Connections")
    : errorBox(connections.reason, "Could not list 3PL connections");
  let notificationBlock;
  if (notifications.status === "fulfilled") {
    const page = notifications.value;
    const pager = h("nav", { class: "pager", "aria-label": "Pages" });
    if (page.next) {
      const p = new URLSearchParams(params);
      p.set("before", page.next);
      pager.append(h("a", { href: `#/3pl?${p}`, rel: "next" }, "Older notifications"));
    }
    notificationBlock = [
      h("p", {}, "Show: ", h("a", { href: "#/3pl" }, "all"), " · ",
        h("a", { href: "#/3pl?status=rejected" }, "rejected"), " · ",
        h("a", { href: "#/3pl?status=applied" }, "applied")),
      table(["Id", "Order", "Shipment", "Status", "Reason", "Received", ""],
        (page.notifications || []).map((n) => [
          String(n.id), n.orderNumber ? h("a", { href: `#/orders/${enc(n.orderNumber)}` }, n.orderNumber) : "",
          n.shipmentNumber || "", statusBadge(n.status),
          n.reason ? `${n.reason}${n.code ? ` (${n.code})` : ""}` : "", time(n.receivedAt),
          n.status === "rejected" ? actionButton("Replay", "write", act("Replay refused", async () => {
            const r = await post(`${BASE}/notifications/${enc(n.id)}/replay`);
            return `Notification ${n.id} replayed: ${(r && r.status) || "done"}.`;
          }), { "aria-label": `Replay notification ${n.id}` }) : "",
        ]), "Notifications"),
      pager];
  } else {
    notificationBlock = errorBox(notifications.reason, "Could not list 3PL notifications");
  }
  fill(view, h("h1", {}, "3PL"), status,
    section("Connections", connectionBlock, actionForm("New connection", "admin", [
      { name: "name", label: "Warehouse name", required: true },
    ], "Create connection", async (v) => {
      const created = await post(`${BASE}/connections`, { name: v.name });
      await reload();
      view.querySelector("h1").after(h("div", { class: "secret", role: "status" },
        h("p", {}, `Connection “${created.name}” created. Its password is shown this once:`),
        h("p", {}, "Username ", h("code", {}, created.username), ", password ", h("code", {}, created.password)),
        created.endpoint ? h("p", {}, "Endpoint ", h("code", {}, created.endpoint)) : null));
    })),
    section("Notifications", notificationBlock));
}
