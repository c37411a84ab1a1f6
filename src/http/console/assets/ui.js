// Small DOM helpers: elements built from data (never from HTML strings, so
// nothing the API returns can become markup), times, errors and the buttons
// that a key's scopes may disable.

import { can, session } from "./api.js";

// h("a", {href: "#/"}, "text", child, ...): attributes starting with "on"
// are listeners; null and false children are skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "class") el.className = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

// Replaces el's children with `children` (nested arrays, null and false
// skipped, as h() takes them).
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// A time in the browser's zone, with the UTC time on hover.
export function time(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso);
  const local = at.toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  return h("time", { datetime: at.toISOString(), title: `UTC: ${at.toISOString()}` }, local);
}

export function statusBadge(status) {
  const value = String(status || "");
  return h("span", { class: `badge s-${value.toLowerCase().replace(/[^a-z_]/g, "")}` }, value);
}

// An error said in words, next to what caused it; announced to screen readers.
export function errorBox(error, context) {
  const words = error && error.message ? error.message : String(error);
  const status = error && error.status ? ` (${error.status})` : "";
  return h("p", { class: "error", role: "alert" },
    context ? `${context}: ` : "", words, status);
}

export function notice(text) {
  return h("p", { class: "notice", role: "status" }, text);
}

// A button for an action that needs `scope`. Without it the button is
// disabled and the reason is shown beside it (and read with it).
let reasonCount = 0;
export function actionButton(label, scope, onclick, attrs = {}) {
  if (can(scope)) return h("button", { type: "button", ...attrs, onclick }, label);
  const id = `reason-${++reasonCount}`;
  const s = session();
  const held = (s && s.who && s.who.scopes || []).join(", ") || "none";
  return h("span", { class: "refused" },
    h("button", { type: "button", ...attrs, disabled: true, "aria-describedby": id }, label),
    h("span", { id, class: "reason" }, `Needs the ${scope} scope (this key has: ${held}).`));
}

// A form whose submit button needs `scope`; `fields` are label/input pairs.
// onsubmit(values, form) may throw an ApiError: it is shown in the form, by
// the field it names when it names one.
export function actionForm(title, scope, fields, submitLabel, onsubmit) {
  const status = h("div", { class: "form-status", "aria-live": "polite" });
  const inputs = {};
  const rows = fields.map((f) => {
    const id = `f-${Math.random().toString(36).slice(2, 9)}`;
    const input = f.options
      ? h("select", { id, name: f.name }, f.options.map((o) => h("option", { value: o }, o)))
      : h("input", {
        id, name: f.name, type: f.type || "text", required: f.required,
        placeholder: f.placeholder, value: f.value, autocomplete: "off",
      });
    inputs[f.name] = input;
    return h("div", { class: "field" }, h("label", { for: id }, f.label), input);
  });
  const submit = actionButton(submitLabel, scope, null, {});
  const button = submit.tagName === "BUTTON" ? submit : submit.querySelector("button");
  button.type = "submit";
  const form = h("form", { class: "action-form", "aria-label": title }, rows, submit, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    const values = {};
    for (const [name, input] of Object.entries(inputs)) values[name] = input.value.trim();
    status.replaceChildren();
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    button.disabled = true;
    try {
      await onsubmit(values, form);
    } catch (error) {
      const field = error && error.field && inputs[error.field];
      if (field) field.setAttribute("aria-invalid", "true");
      status.replaceChildren(errorBox(error));
      (field || button).focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

export function table(headers, rows, caption) {
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h("table", {},
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, rows.length
        ? rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))
        : h("tr", {}, h("td", { colspan: headers.length, class: "muted" }, "Nothing here.")))));
}

export function section(title, ...children) {
  return h("section", { class: "card" }, h("h2", {}, title), children);
}

export function dl(pairs) {
  return h("dl", { class: "facts" },
    pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
}
