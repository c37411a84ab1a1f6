// The console's only way to the server: the public API, with the key of
// this browser tab (sessionStorage: gone when the tab closes, never sent to
// another origin) as a bearer token.

const KEY = "shipline.key";
const WHO = "shipline.who";

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export function session() {
  const key = sessionStorage.getItem(KEY);
  if (!key) return null;
  let who = null;
  try {
    who = JSON.parse(sessionStorage.getItem(WHO) || "null");
  } catch {
    who = null;
  }
  return { key, who };
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(WHO);
}

// Checks `key` with GET /api/v1/whoami and keeps it for this tab.
export async function signIn(key) {
  const who = await call("GET", "/api/v1/whoami", undefined, key);
  sessionStorage.setItem(KEY, key);
  sessionStorage.setItem(WHO, JSON.stringify(who));
  return who;
}

export function can(scope) {
  const s = session();
  const scopes = (s && s.who && s.who.scopes) || [];
  if (scope === "read") return scopes.length > 0;
  if (scope === "write") return scopes.includes("write") || scopes.includes("admin");
  return scopes.includes("admin");
}

// Every contract has its own error shape; this finds the words in each.
function messageOf(body, status) {
  if (body && typeof body === "object") {
    if (typeof body.error === "string") return body.error;
    if (body.error && typeof body.error.message === "string") return body.error.message;
    if (typeof body.message === "string") return body.message;
    if (Array.isArray(body.errors) && body.errors[0]) {
      const e = body.errors[0];
      return e.detail || e.title || e.message || JSON.stringify(e);
    }
  }
  if (status === 0) return "the server could not be reached";
  return `the server answered ${status}`;
}

// Listeners told when the server refuses the tab's key (401).
const refusedListeners = [];
export function onKeyRefused(fn) {
  refusedListeners.push(fn);
}

// Sends one request; resolves to the parsed JSON body (null for none) or
// rejects with an ApiError that says, in words, what went wrong.
export async function call(method, path, body, key) {
  const useKey = key || (session() || {}).key;
  const headers = { Accept: "application/json" };
  if (useKey) headers.Authorization = `Bearer ${useKey}`;
  const init = { method, headers, credentials: "omit", cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "the server could not be reached");
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const field = parsed && typeof parsed === "object" ? parsed.field : undefined;
    const error = new ApiError(response.status, messageOf(parsed, response.status), field);
    if (response.status === 401 && !key) refusedListeners.forEach((fn) => fn(error));
    throw error;
  }
  return parsed;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body === undefined ? {} : body);
export const put = (path, body) => call("PUT", path, body);
export const patch = (path, body) => call("PATCH", path, body);
export const del = (path) => call("DELETE", path);

// A path segment or query value, encoded.
export const enc = encodeURIComponent;
