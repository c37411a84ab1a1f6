// The console's entry: sign-in, the header, and the router. Pages live in
// the address's fragment (#/orders?status=unshipped), so every view can be
// bookmarked and the server serves one page.

import { ApiError, onKeyRefused, session, signIn, signOut } from "./api.js";
import { keysPage } from "./keys.js";
import { ordersPage, searchPage, shipmentsPage } from "./lists.js";
import { orderPage } from "./order.js";
import { overviewPage } from "./overview.js";
import { shippingOrderPage, shippingOrdersPage } from "./shipping.js";
import { threeplPage } from "./threepl.js";
import { errorBox, fill, h } from "./ui.js";
import { webhookPage, webhooksPage } from "./webhooks.js";

const view = () => document.getElementById("main");

const ROUTES = [
  [/^\/?$/, overviewPage],
  [/^\/orders$/, ordersPage],
  [/^\/orders\/([^/]+)$/, orderPage],
  [/^\/shipments$/, shipmentsPage],
  [/^\/search$/, searchPage],
  [/^\/webhooks$/, webhooksPage],
  [/^\/webhooks\/([^/]+)$/, webhookPage],
  [/^\/keys$/, keysPage],
  [/^\/shipping-orders$/, shippingOrdersPage],
  [/^\/shipping-orders\/([^/]+)$/, shippingOrderPage],
  [/^\/3pl$/, threeplPage],
];

function signInPage(reason) {
  const input = h("input", { id: "api-key", name: "key", type: "password", required: true,
    autocomplete: "off", spellcheck: "false" });
  const status = h("div", { "aria-live": "polite" }, reason ? errorBox(reason) : null);
  const form = h("form", { class: "card signin", "aria-label": "Sign in" },
    h("h1", {}, "Sign in"),
    h("p", {}, "Paste an API key. It stays in this browser tab only and is sent to this server alone."),
    h("div", { class: "field" }, h("label", { for: "api-key" }, "API key"), input),
    h("button", { type: "submit" }, "Sign in"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.replaceChildren();
    try {
      await signIn(input.value.trim());
      header();
      route();
    } catch (error) {
      const words = error instanceof ApiError && error.status === 401
        ? new ApiError(401, "the server refused this key (unknown, revoked or expired)")
        : error;
      status.replaceChildren(errorBox(words, "Sign-in failed"));
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  });
  fill(view(), form);
  input.focus();
}

function header() {
  const s = session();
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  nav.hidden = !s;
  if (!s) {
    who.replaceChildren();
    return;
  }
  const search = h("input", { id: "q", name: "q", type: "search", placeholder: "Order, email or tracking",
    "aria-label": "Search by order number, customer email or tracking number" });
  const form = h("form", { role: "search", class: "search" }, search,
    h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(search.value.trim())}`;
  });
  const scopes = (s.who && s.who.scopes || []).join(", ");
  who.replaceChildren(form,
    h("span", { class: "key-name" }, `${(s.who && s.who.name) || "key"} (${scopes})`),
    h("button", { type: "button", class: "link", onclick: () => {
      signOut();
      header();
      location.hash = "#/";
      signInPage();
    } }, "Sign out"));
}

function markCurrent(path) {
  for (const a of document.querySelectorAll("#nav a")) {
    const target = a.getAttribute("href").slice(1);
    const current = target === "/" ? path === "/" || path === "" : path.startsWith(target);
    if (current) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

async function route() {
  if (!session()) {
    signInPage();
    return;
  }
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  markCurrent(path);
  for (const [pattern, page] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    const args = match.slice(1).map(decodeURIComponent);
    document.title = `shipline · ${path.split("/")[1] || "overview"}`;
    // Each visit renders into a container of its own: a slower earlier
    // visit that finishes later writes into a detached element, never over
    // the page now shown.
    const container = h("div", { class: "page" });
    fill(view(), container);
    try {
      await page(container, params, ...args);
    } catch (error) {
      fill(container, errorBox(error, "This page failed"));
    }
    return;
  }
  fill(view(), h("h1", {}, "Not found"), h("p", {}, "No console page here. ",
    h("a", { href: "#/" }, "Back to the overview")));
}

// After the page that asked has shown its own error: the sign-in form then
// replaces it, with the reason.
onKeyRefused((error) => {
  signOut();
  header();
  setTimeout(() => signInPage(
    new ApiError(401, `the server refused this key (${error.message}); sign in again`)), 0);
});

window.addEventListener("hashchange", () => {
  route();
  view().focus({ preventScroll: true });
});
header();
route();
