// API keys (admin): list, create (the secret shown once, with a copy
// button), revoke after a confirmation.

import { can, del, enc, get, post } from "./api.js";
import {
  actionButton, actionForm, errorBox, fill, h, notice, section, table, time,
} from "./ui.js";

function shownOnce(created) {
  const code = h("code", { id: "new-key" }, created.key);
  const copied = h("span", { "aria-live": "polite" });
  const copy = h("button", { type: "button", onclick: async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      copied.textContent = "Copied.";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      copied.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  } }, "Copy key");
  return h("div", { class: "secret", role: "status" },
    h("p", {}, `Key “${created.name}” created. Its secret is shown this once; keep it now:`),
    code, " ", copy, " ", copied);
}

export async function keysPage(view) {
  fill(view, h("h1", {}, "API keys"));
  if (!can("admin")) {
    view.append(h("p", { class: "refused-page" },
      "Listing and changing API keys needs a key with the admin scope."));
    return;
  }
  view.append(h("p", { class: "muted", role: "status" }, "Loading…"));
  let keys;
  try {
    keys = (await get("/api/v1/api-keys")).apiKeys || [];
  } catch (error) {
    view.lastChild.replaceWith(errorBox(error, "Could not list API keys"));
    return;
  }
  const status = h("div", { "aria-live": "polite" });
  const rows = keys.map((k) => [
    k.name, (k.scopes || []).join(", "), k.prefix || "—", time(k.createdAt), time(k.lastUsedAt),
    k.expiresAt ? time(k.expiresAt) : "never",
    k.revokedAt ? h("span", {}, "revoked ", time(k.revokedAt)) : actionButton("Revoke", "admin",
      async () => {
        if (!window.confirm(`Revoke key “${k.name}” (${k.prefix || k.id})? Requests with it will be refused.`)) return;
        try {
          await del(`/api/v1/api-keys/${enc(k.id)}`);
          await keysPage(view);
          view.querySelector("h1").after(notice(`Key “${k.name}” revoked.`));
        } catch (error) {
          status.replaceChildren(errorBox(error, `Revoking “${k.name}” refused`));
        }
      }, { "aria-label": `Revoke key ${k.name}` }),
  ]);
  fill(view, h("h1", {}, "API keys"), status,
    table(["Name", "Scopes", "Prefix", "Created", "Last used", "Expires", "State"], rows, "Keys"),
    section("New key", actionForm("New key", "admin", [
      { name: "name", label: "Name", required: true },
      { name: "scopes", label: "Scope", options: ["read", "write", "admin"] },
      { name: "expiresAt", label: "Expires at (ISO 8601, optional)" },
    ], "Create key", async (v) => {
      const body = { name: v.name, scopes: [v.scopes] };
      if (v.expiresAt) body.expiresAt = v.expiresAt;
      const created = await post("/api/v1/api-keys", body);
      await keysPage(view);
      view.querySelector("h1").after(shownOnce(created));
    })));
}
