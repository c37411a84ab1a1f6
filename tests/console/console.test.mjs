// Drives the operator console in Debian's chromium (headless, through
// playwright-core: no browser download) against a running shipline that
// tests/blackbox/test_console.py started and filled. Every scenario saves a
// screenshot into CONSOLE_SHOTS (a failing one too, named *-FAILED.png); an
// axe-core check runs on every page. Prints one line per scenario and exits
// 1 when any failed.
//
// CONSOLE_CONFIG (JSON): base, adminKey, readKey, victimKey, victimName,
// adminName, orderNumber, releasedShipment, pendingShipment, webhookId, failedDelivery,
// cancelOrder, cancelShipment.

import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const config = JSON.parse(process.env.CONSOLE_CONFIG);
const shots = process.env.CONSOLE_SHOTS;
mkdirSync(shots, { recursive: true });
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WAIT = 10000;
// With CONSOLE_DOC_SHOTS set (e.g. to docs/images), the README's pictures are
// taken again at the points marked docShot below.
const docShots = process.env.CONSOLE_DOC_SHOTS;

async function docShot(target, name) {
  if (docShots) await target.screenshot({ path: join(docShots, `${name}.png`) });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
  headless: true,
});

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// A fresh browser context (its own sessionStorage) with a page that fails
// the scenario on a script error or a Content-Security-Policy refusal.
async function openPage(width = 1280, height = 900) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`script error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content.Security.Policy|Refused to/i.test(m.text())) {
      page.problems.push(`CSP: ${m.text()}`);
    }
  });
  page.setDefaultTimeout(WAIT);
  return page;
}

async function signIn(page, key) {
  await page.goto(`${config.base}/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
}

// axe-core, evaluated through the DevTools protocol (which the page's CSP
// does not govern), on the page as it is: no serious or critical findings.
async function accessible(page, where) {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
  });
  check(found.length === 0, `accessibility on ${where}: ${found.join(" | ")}`);
}

async function refreshUntil(page, locator, what) {
  for (let i = 0; i < 40; i += 1) {
    if (await locator.count() > 0) return;
    await page.getByRole("button", { name: "Refresh" }).click();
    await page.waitForTimeout(250);
  }
  throw new Error(`never saw ${what}`);
}

const scenarios = [];
const scenario = (name, fn) => scenarios.push({ name, fn });

scenario("first-load-under-200kb-and-sign-in", async (page) => {
  let bytes = 0;
  page.on("requestfinished", async (request) => {
    const sizes = await request.sizes();
    bytes += sizes.responseHeadersSize + sizes.responseBodySize;
  });
  await page.goto(`${config.base}/`);
  await page.getByLabel("API key").waitFor();
  check(page.url() === `${config.base}/console/`, `/ led to ${page.url()}`);
  await page.waitForLoadState("networkidle");
  check(bytes > 0 && bytes < 200 * 1024, `first load transferred ${bytes} bytes`);
  console.log(`# first load: ${bytes} bytes`);
  await accessible(page, "sign-in");
  // A wrong key is refused in words next to the field.
  await page.getByLabel("API key").fill("sl_not_a_key");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("the server refused this key").waitFor();
  await page.getByLabel("API key").fill(config.adminKey);
  await page.keyboard.press("Enter");  // the keyboard alone signs in
  await page.getByText(`${config.adminName} (admin)`).waitFor();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await page.getByRole("heading", { name: "Shipments by status" }).waitFor();
  await accessible(page, "overview");
});

scenario("find-an-order-by-number-and-open-it", async (page) => {
  await signIn(page, config.adminKey);
  await page.getByLabel("Search by order number, customer email or tracking number").fill(config.orderNumber);
  await page.keyboard.press("Enter");
  await page.getByText("Exact match:").waitFor();
  await accessible(page, "search");
  await page.getByRole("link", { name: `order ${config.orderNumber}` }).click();
  await page.getByRole("heading", { name: `Order ${config.orderNumber}` }).waitFor();
  await page.getByRole("region", { name: `Shipment ${config.releasedShipment}` }).waitFor();
  await accessible(page, "order");
  // The list keeps its filters in the address.
  await page.goto(`${config.base}/console/#/orders?status=unshipped&number=${config.orderNumber}`);
  await page.getByRole("link", { name: config.orderNumber, exact: true }).waitFor();
  check(await page.getByLabel("unshipped").isChecked(), "the status filter is not shown as set");
  await accessible(page, "orders");
  await page.goto(`${config.base}/console/#/shipments?status=RELEASED`);
  await page.getByRole("link", { name: config.releasedShipment }).waitFor();
  await accessible(page, "shipments");
});

scenario("complete-a-released-shipment", async (page) => {
  await signIn(page, config.adminKey);
  await page.goto(`${config.base}/console/#/orders/${config.orderNumber}`);
  const card = page.getByRole("region", { name: `Shipment ${config.releasedShipment}` });
  await card.getByLabel("Tracking number").fill("1Z999AA10123456784");
  await card.getByLabel("Carrier (optional)").fill("UPS");
  await card.getByRole("button", { name: "Complete shipment" }).click();
  await page.getByText(`Shipment ${config.releasedShipment} completed.`).waitFor();
  const shipped = page.getByRole("region", { name: `Shipment ${config.releasedShipment}` });
  await shipped.locator("h2 .badge", { hasText: "SHIPPED" }).waitFor();
  await shipped.getByRole("region", { name: "Status history" }).getByText("SHIPPED").waitFor();
  await refreshUntil(page, page.getByRole("region", { name: `Shipment ${config.releasedShipment}` })
    .getByText(/sent to .*@example\.com/), "the shipping confirmation email");
  await accessible(page, "order after completion");
  await docShot(page.getByRole("region", { name: `Shipment ${config.releasedShipment}` }), "console-shipment");
});

scenario("cancel-a-shipment-after-confirming", async (page) => {
  await signIn(page, config.adminKey);
  await page.goto(`${config.base}/console/#/orders/${config.cancelOrder}`);
  const card = () => page.getByRole("region", { name: `Shipment ${config.cancelShipment}` });
  const cancel = card().getByRole("button", { name: `Cancel shipment ${config.cancelShipment}` });
  // Dismissing the confirmation changes nothing.
  page.once("dialog", (dialog) => dialog.dismiss());
  await cancel.click();
  await page.waitForTimeout(300);
  check(await card().locator("h2 .badge", { hasText: "PENDING" }).count() === 1,
    "the shipment changed without a confirmation");
  page.once("dialog", (dialog) => dialog.accept());
  await cancel.click();
  await page.getByText(`Shipment ${config.cancelShipment} cancelled.`).waitFor();
  await card().locator("h2 .badge", { hasText: "CANCELLED" }).waitFor();
  await card().getByRole("region", { name: "Status history" }).getByText("CANCELLED").waitFor();
  await card().getByText("shipment-status-changed").waitFor();
  check(await card().getByRole("button", { name: /Cancel shipment/ }).count() === 0,
    "a cancelled shipment still offers Cancel");
  await accessible(page, "order after cancelling");
});

scenario("replay-a-failed-webhook-delivery", async (page) => {
  await signIn(page, config.adminKey);
  await page.goto(`${config.base}/console/#/webhooks/${config.webhookId}`);
  const delivery = page.locator(`[data-delivery="${config.failedDelivery}"]`);
  await delivery.getByText("failed").first().waitFor();
  const before = await delivery.locator("tbody tr").count();
  await accessible(page, "webhook deliveries");
  await delivery.getByRole("button", { name: `Replay delivery ${config.failedDelivery}` }).click();
  await page.getByText(`Delivery ${config.failedDelivery} queued again.`).waitFor();
  await refreshUntil(page, page.locator(`[data-delivery="${config.failedDelivery}"] tbody tr`, { hasText: "200" }),
    "the replayed attempt answered 200");
  const after = await page.locator(`[data-delivery="${config.failedDelivery}"] tbody tr`).count();
  check(after === before + 1, `attempts went from ${before} to ${after}`);
  await docShot(page, "console-webhook-deliveries");
  await page.goto(`${config.base}/console/#/webhooks`);
  await page.getByRole("region", { name: "Subscriptions" }).waitFor();
  await accessible(page, "webhooks");
});

scenario("revoke-a-key-and-its-next-request-is-refused", async (page) => {
  const victim = await openPage();
  try {
    await signIn(victim, config.victimKey);
    await page.goto(`${config.base}/`);
    await signIn(page, config.adminKey);
    await page.goto(`${config.base}/console/#/keys`);
    await accessible(page, "API keys");
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: `Revoke key ${config.victimName}` }).click();
    await page.getByText(`Key “${config.victimName}” revoked.`).waitFor();
    await victim.goto(`${config.base}/console/#/orders`);
    await victim.getByText("the server refused this key").waitFor();
    await victim.getByLabel("API key").waitFor();
    await victim.screenshot({ path: join(shots, "revoked-key-refused.png") });
    check(victim.problems.length === 0, victim.problems.join("; "));
  } finally {
    await victim.context().close();
  }
});

scenario("create-a-key-shows-the-secret-once", async (page) => {
  await signIn(page, config.adminKey);
  await page.goto(`${config.base}/console/#/keys`);
  await page.getByLabel("Name").fill("console-made");
  await page.getByLabel("Scope").selectOption("read");
  await page.getByRole("button", { name: "Create key" }).click();
  await page.getByText("Its secret is shown this once").waitFor();
  const secret = await page.locator("#new-key").innerText();
  check(secret.startsWith("sl_"), `shown secret ${secret}`);
  await page.getByRole("button", { name: "Copy key" }).waitFor();
});

scenario("a-read-key-cannot-press-a-write-button", async (page) => {
  await signIn(page, config.readKey);
  await page.goto(`${config.base}/console/#/orders/${config.orderNumber}`);
  const card = page.getByRole("region", { name: `Shipment ${config.pendingShipment}` });
  const release = card.getByRole("button", { name: `Release shipment ${config.pendingShipment}` });
  await release.waitFor();
  check(await release.isDisabled(), "Release is enabled for a read key");
  const cancel = card.getByRole("button", { name: `Cancel shipment ${config.pendingShipment}` });
  check(await cancel.isDisabled(), "Cancel is enabled for a read key");
  // Each disabled button (Release, Cancel) has its reason beside it.
  const reasons = card.getByText("Needs the write scope (this key has: read).");
  await reasons.first().waitFor();
  check(await reasons.count() === 2, `${await reasons.count()} reasons shown, not 2`);
  await release.click({ force: true, timeout: 2000 }).catch(() => {});
  await page.waitForTimeout(300);
  check(await card.locator("h2 .badge", { hasText: "PENDING" }).count() === 1, "the shipment changed");
  await accessible(page, "order with a read key");
  await page.goto(`${config.base}/console/#/keys`);
  await page.getByText("needs a key with the admin scope").waitFor();
});

scenario("shipping-orders-and-3pl", async (page) => {
  await signIn(page, config.adminKey);
  await page.goto(`${config.base}/console/#/shipping-orders`);
  await page.getByRole("link", { name: config.shippingOrder }).click();
  await page.getByRole("heading", { name: `Shipping order ${config.shippingOrder}` }).waitFor();
  await page.getByRole("region", { name: "Status changes" }).getByText("REQUEST_RECEIVED").waitFor();
  await accessible(page, "shipping order");
  await page.goto(`${config.base}/console/#/3pl?status=rejected`);
  const rejected = page.getByRole("region", { name: "Notifications" });
  await rejected.getByText("NOT_FOUND").waitFor();
  await rejected.getByRole("button", { name: /Replay notification/ }).waitFor();
  await page.getByRole("region", { name: "Connections" }).getByText("Dock 7").waitFor();
  await accessible(page, "3PL");
  // The overview links its rejected notification to this list.
  await page.goto(`${config.base}/console/#/`);
  await page.getByRole("region", { name: /Rejected 3PL notifications \(1\)/ }).waitFor();
  const consumers = page.getByRole("region", { name: /^Consumers \(newest event \d+\)$/ });
  await consumers.getByRole("link", { name: "webhook deliveries" }).waitFor();
  await consumers.getByRole("cell", { name: "email", exact: true }).waitFor();
  await accessible(page, "overview with data");
  await docShot(page, "console-overview");
});

scenario("narrow-screen-390px", async (page) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, config.adminKey);
  await page.goto(`${config.base}/console/#/orders/${config.orderNumber}`);
  await page.getByRole("heading", { name: `Order ${config.orderNumber}` }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 392, `the page is ${width}px wide at 390px`);
  await accessible(page, "order at 390px");
});

let failed = 0;
for (const { name, fn } of scenarios) {
  const page = await openPage();
  try {
    await fn(page);
    check(page.problems.length === 0, page.problems.join("; "));
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    console.log(`ok ${name}`);
  } catch (error) {
    failed += 1;
    await page.screenshot({ path: join(shots, `${name}-FAILED.png`), fullPage: true }).catch(() => {});
    console.log(`not ok ${name}: ${error.message.split("\n").slice(0, 6).join(" / ")}`);
  } finally {
    await page.context().close();
  }
}
await browser.close();
console.log(`# screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
