// The signed-in staff member of this screen: sign in, sign out, and idle sign-out.
//
// Any screen used by signed-in staff imports it and calls startIdleSignout(): after
// `idle_signout_seconds` without a tap or a key press the screen signs out and goes
// back to the PIN pad. The server enforces the same limit; this keeps the screen honest.

export const SESSION_URL = "/api/v1/session";
const IDLE_KEY = "masa.idle_signout_seconds";
const ACTIVITY = ["pointerdown", "keydown"];

/** The translated strings a page put in <script type="application/json" id="strings">. */
export function readStrings(id = "strings") {
  try {
    return JSON.parse(document.getElementById(id)?.textContent || "{}");
  } catch {
    return {};
  }
}

/** "Try again in {seconds} s." + {seconds: 5} → "Try again in 5 s." */
export function fill(template, values) {
  return String(template ?? "").replace(/\{(\w+)\}/g, (whole, key) =>
    key in values ? String(values[key]) : whole);
}

/** Ask the server to answer in the page's language (it matters before anyone signs in). */
function inPageLanguage(url) {
  const lang = document.documentElement.lang;
  return lang ? `${url}?lang=${encodeURIComponent(lang)}` : url;
}

async function call(method, body, options = {}, url = SESSION_URL) {
  if (method !== "GET" && body === undefined) body = {}; // writes are JSON, always
  const response = await fetch(inPageLanguage(url), {
    method,
    credentials: "same-origin",
    headers: body === undefined
      ? { Accept: "application/json" }
      : { Accept: "application/json", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    ...options,
  });
  const data = await response.json().catch(() => ({}));
  return { status: response.status, headers: response.headers, data };
}

export function rememberSession(session) {
  const seconds = Number(session?.idle_signout_seconds);
  if (seconds > 0) sessionStorage.setItem(IDLE_KEY, String(seconds));
}

/** POST /api/v1/session: {status, data}; on 200 data is the session (staff, permissions…). */
export async function signIn(pin) {
  const result = await call("POST", { pin });
  if (result.status === 200) rememberSession(result.data);
  return result;
}

/** The session, or null when nobody is signed in on this screen. Asked of
 * GET /api/v1/session/state, which answers 200 either way: nobody signed in is no error
 * (a PIN pad asks on every load, and a 401 there is only noise in the browser's log). */
export async function whoIsSignedIn() {
  const result = await call("GET", undefined, {}, `${SESSION_URL}/state`);
  if (result.status !== 200 || !result.data?.signed_in) return null;
  rememberSession(result.data.session);
  return result.data.session;
}

export async function signOut({ keepalive = false } = {}) {
  sessionStorage.removeItem(IDLE_KEY);
  await call("DELETE", undefined, { keepalive });
}

export function signinUrl(next = location.pathname + location.search) {
  return `/signin?next=${encodeURIComponent(next)}`;
}

/**
 * Sign out after `idle_signout_seconds` without a tap or a key press.
 * `onIdle` replaces the default (going to the PIN pad with ?next=<this screen>).
 * Taps and keys also tell the server the screen is in use (at most every few seconds), so
 * a waiter building an order without a request is not signed out there; `onEnded` is
 * called if the server says the sign-in has ended all the same.
 * Returns {stop()} or null when nobody is signed in.
 */
export async function startIdleSignout({ onIdle, onEnded } = {}) {
  let seconds = Number(sessionStorage.getItem(IDLE_KEY));
  if (!(seconds > 0)) {
    const session = await whoIsSignedIn().catch(() => null);
    if (!session) {
      if (onIdle) onIdle(); else location.assign(signinUrl());
      return null;
    }
    seconds = Number(session.idle_signout_seconds);
  }
  let last = Date.now();
  let told = Date.now();
  const tellEvery = Math.max(5, Math.min(30, seconds / 4)) * 1000;
  const touched = () => {
    last = Date.now();
    if (last - told < tellEvery) return;
    told = last;
    call("GET").then((result) => {
      if (result.status === 401) onEnded?.(result.data?.error || {});
    }).catch(() => { /* offline: the next tap tries again */ });
  };
  ACTIVITY.forEach((type) => window.addEventListener(type, touched, { capture: true, passive: true }));
  // A clock check, not one long timeout: a tablet that slept still signs out when it wakes.
  const timer = setInterval(check, 1000);
  document.addEventListener("visibilitychange", check);

  function stop() {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", check);
    ACTIVITY.forEach((type) => window.removeEventListener(type, touched, { capture: true }));
  }

  async function check() {
    if (Date.now() - last < seconds * 1000) return;
    stop();
    await signOut({ keepalive: true }).catch(() => {});
    if (onIdle) onIdle(); else location.assign(signinUrl());
  }

  return { stop };
}
