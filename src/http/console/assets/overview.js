// The overview: shipments by status, completions per hour over the last
// day (an inline SVG chart), the event consumers' lag on this tenant's events,
// failing webhook subscriptions and rejected 3PL notifications, each linking
// to the list behind it. Counts stop at the
// query API's page size (500), shown as "500+".

import { enc, get } from "./api.js";
import { errorBox, fill, h, section, table, time } from "./ui.js";

const PAGE = 500;
const STATUSES = ["PENDING", "RELEASED", "SHIPPED", "DELIVERED", "CANCELLED"];
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  children.forEach((c) => el.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return el;
}

const countText = (rows, next) => (next ? `${rows.length}+` : String(rows.length));

// 24 bars, one per hour ending now; each bar's title says its count.
function hourlyChart(shippedAts, now) {
  const buckets = new Array(24).fill(0);
  for (const at of shippedAts) {
    const hoursAgo = Math.floor((now - Date.parse(at)) / 3600000);
    if (hoursAgo >= 0 && hoursAgo < 24) buckets[23 - hoursAgo] += 1;
  }
  const max = Math.max(1, ...buckets);
  const width = 480;
  const height = 120;
  const bar = width / 24;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 20}`, role: "img",
    "aria-label": `Completions per hour over the last 24 hours: ${buckets.join(", ")}`, class: "chart" });
  buckets.forEach((n, i) => {
    const tall = Math.round((n / max) * height);
    const start = new Date(now - (24 - i) * 3600000);
    chart.append(svg("rect", { x: i * bar + 2, y: height - tall, width: bar - 4, height: tall, class: "bar" },
      svg("title", {}, `${n} from ${start.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`)));
  });
  chart.append(svg("line", { x1: 0, x2: width, y1: height, y2: height, class: "axis" }));
  chart.append(svg("text", { x: 0, y: height + 16, class: "tick" }, "24 h ago"));
  chart.append(svg("text", { x: width, y: height + 16, class: "tick", "text-anchor": "end" }, "now"));
  chart.append(svg("text", { x: 2, y: 12, class: "tick" }, `max ${max}`));
  return chart;
}

export async function overviewPage(view) {
  fill(view, h("h1", {}, "Overview"), h("p", { class: "muted", role: "status" }, "Loading…"));
  const now = Date.now();
  const dayAgo = new Date(now - 24 * 3600000).toISOString().replace(/\.\d+Z$/, "Z");
  const jobs = [
    ...STATUSES.map((s) => get(`/api/v1/shipments?status=${s}&limit=${PAGE}`)),
    get(`/api/v1/shipments?status=SHIPPED&status=DELIVERED&shippedFrom=${enc(dayAgo)}&limit=${PAGE}`),
    get("/api/v1/webhooks"),
    get("/api/v1/integrations/3pl/notifications?status=rejected&limit=100"),
    get("/api/v1/consumers"),
  ];
  const results = await Promise.allSettled(jobs);
  const value = (i) => (results[i].status === "fulfilled" ? results[i].value : null);
  const failure = (i, what) => (results[i].status === "rejected" ? errorBox(results[i].reason, what) : null);

  const counts = table(["Status", "Shipments"], STATUSES.map((s, i) => [
    h("a", { href: `#/shipments?status=${s}` }, s),
    value(i) ? countText(value(i).shipments, value(i).next) : failure(i, "count failed"),
  ]), "Shipments by status");

  const shipped = value(5);
  const chart = shipped
    ? [hourlyChart(shipped.shipments.map((s) => s.shippedAt).filter(Boolean), now),
      h("p", {}, h("a", { href: `#/shipments?status=SHIPPED&status=DELIVERED&shippedFrom=${enc(dayAgo)}` },
        `${countText(shipped.shipments, shipped.next)} shipped in the last 24 hours`))]
    : failure(5, "Could not read completions");

  const hooks = value(6);
  const failing = hooks ? hooks.webhooks.filter((w) => w.failingSince || !w.enabled) : [];
  const hooksBlock = hooks
    ? table(["Subscription", "URL", "State"], failing.map((w) => [
      h("a", { href: `#/webhooks/${enc(w.id)}?status=failed` }, String(w.id)), w.url,
      w.enabled ? h("span", {}, "failing since ", time(w.failingSince)) : `disabled: ${w.disabledReason || ""}`,
    ]), `Failing or disabled subscriptions (${failing.length})`)
    : failure(6, "Could not list webhook subscriptions");

  const rejected = value(7);
  const rejectedBlock = rejected
    ? table(["Notification", "Shipment", "Reason", "Received"], (rejected.notifications || []).map((n) => [
      h("a", { href: "#/3pl?status=rejected" }, String(n.id)), n.shipmentNumber || "", n.reason || n.code || "", time(n.receivedAt),
    ]), `Rejected 3PL notifications (${countText(rejected.notifications || [], rejected.next)})`)
    : failure(7, "Could not list 3PL notifications");

  const lags = value(8);
  const lagBlock = lags
    ? [table(["Consumer", "Handled to", "Waiting", "Oldest"], lags.consumers.map((c) => [
      c.kind === "deliveries" ? h("a", { href: "#/webhooks" }, "webhook deliveries") : c.consumer,
      c.position === null ? "—" : `event ${c.position}`,
      `${c.lag}${c.lagCapped ? "+" : ""}`,
      c.oldestUnhandledAt ? time(c.oldestUnhandledAt) : "—",
    ]), `Consumers (newest event ${lags.newestEventId})`),
    h("p", { class: "muted" }, "Each consumer reads the events in order: the email handler, the "
      + "broker publisher (when one is configured) and webhook deliveries. Waiting counts only "
      + "this account's events not handled yet (for webhooks: deliveries still pending, see the "
      + "webhook subscriptions); 0 means caught up.")]
    : failure(8, "Could not read the consumers' lag");

  fill(view, h("h1", {}, "Overview"),
    h("div", { class: "grid" },
      section("Shipments by status", counts),
      section("Completions per hour, last 24 hours", chart),
      section("Event consumers", lagBlock),
      section("Webhooks", hooksBlock),
      section("3PL notifications", rejectedBlock)));
}
