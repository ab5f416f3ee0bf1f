// The PIN pad on a shared tablet: type a 4–6 digit PIN, OK signs in (or switches staff).
import { fill, readStrings, signIn, signOut, startIdleSignout, whoIsSignedIn } from "./session.js";

const MIN_DIGITS = 4;
const MAX_DIGITS = 6;

const strings = readStrings();
const root = document.getElementById("signin");
const pad = document.getElementById("pad");
const dots = document.getElementById("pin-dots");
const message = document.getElementById("pad-message");
const okButton = document.getElementById("pin-ok");
const keys = [...document.querySelectorAll("#keypad .key")];
const nextUrl = root.dataset.nextUrl || "/";

let pin = "";
let busy = false;
let lockTimer = null;
let idle = null;

function locked() {
  return lockTimer !== null;
}

function render() {
  const slots = Math.max(MIN_DIGITS, pin.length);
  dots.replaceChildren(...Array.from({ length: slots }, (_, i) => {
    const dot = document.createElement("span");
    dot.className = i < pin.length ? "pin-dot is-filled" : "pin-dot";
    return dot;
  }));
  dots.setAttribute("aria-label", fill(strings.digits, { count: pin.length }));
  const disabled = busy || locked();
  keys.forEach((key) => { key.disabled = disabled; });
  okButton.disabled = disabled || pin.length < MIN_DIGITS;
  pad.classList.toggle("is-locked", locked());
}

function say(text, kind = "info") {
  message.textContent = text || "";
  message.dataset.kind = text ? kind : "";
}

function press(key) {
  if (busy || locked()) return;
  if (key === "ok") {
    submit();
    return;
  }
  if (message.dataset.kind === "error" || message.dataset.kind === "info") say("");
  if (key === "clear") pin = "";
  else if (key === "back") pin = pin.slice(0, -1);
  else if (/^\d$/.test(key) && pin.length < MAX_DIGITS) pin += key;
  render();
}

function shake() {
  pad.classList.remove("is-shaking");
  void pad.offsetWidth; // restart the animation on a second wrong PIN
  pad.classList.add("is-shaking");
  setTimeout(() => pad.classList.remove("is-shaking"), 500);
}

async function submit() {
  if (busy || locked()) return;
  if (pin.length < MIN_DIGITS) {
    say(strings.too_short, "error");
    shake();
    return;
  }
  busy = true;
  say(strings.signing_in, "progress");
  render();
  let result;
  try {
    result = await signIn(pin);
  } catch {
    busy = false;
    say(strings.offline, "error");
    render();
    return;
  }
  pin = "";
  busy = false;
  const error = result.data?.error || {};
  if (result.status === 200) {
    busy = true; // stay disabled while the next screen loads
    idle?.stop();
    say(fill(strings.welcome, { name: result.data.staff.name }), "success");
    render();
    location.assign(nextUrl);
    return;
  }
  if (result.status === 429) {
    const seconds = Number(error.retry_after || result.headers.get("Retry-After")) || 30;
    lock(seconds);
    return;
  }
  shake();
  say(error.message || (result.status === 401 ? strings.wrong_pin : strings.failed), "error");
  render();
}

function lock(seconds) {
  const until = Date.now() + seconds * 1000;
  clearInterval(lockTimer);
  const tick = () => {
    const left = Math.ceil((until - Date.now()) / 1000);
    if (left > 0) {
      say(fill(strings.locked, { seconds: left }), "locked");
      return;
    }
    clearInterval(lockTimer);
    lockTimer = null;
    say(strings.unlocked, "info");
    render();
  };
  lockTimer = setInterval(tick, 250);
  pin = "";
  tick();
  render();
}

function flash(key) {
  const button = key === "ok" ? okButton : keys.find((k) => k.dataset.key === key);
  if (!button || button.disabled) return;
  button.classList.add("is-pressed");
  setTimeout(() => button.classList.remove("is-pressed"), 120);
}

function keyFor(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (/^\d$/.test(event.key)) return event.key;
  return { Backspace: "back", Delete: "clear", Escape: "clear", Enter: "ok" }[event.key] || null;
}

document.addEventListener("keydown", (event) => {
  const key = keyFor(event);
  if (!key) return;
  event.preventDefault(); // Enter on a focused key must not also "click" it
  flash(key);
  press(key);
});

document.getElementById("keypad").addEventListener("click", (event) => {
  const button = event.target.closest(".key");
  if (button) press(button.dataset.key);
});
okButton.addEventListener("click", () => press("ok"));

// Who is signed in on this screen now; another PIN simply replaces them.
const current = document.getElementById("current-staff");
const hint = document.getElementById("switch-hint");

function showCurrent(session) {
  current.hidden = !session;
  hint.hidden = !session;
  if (!session) return;
  const { name, role } = session.staff;
  document.getElementById("current-name").textContent = name;
  document.getElementById("current-role").textContent = strings.roles?.[role] || role;
  document.getElementById("current-initials").textContent = name
    .split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0].toUpperCase()).join("");
}

document.getElementById("sign-out").addEventListener("click", async () => {
  idle?.stop();
  try {
    await signOut();
    showCurrent(null);
    say(strings.signed_out, "info");
  } catch {
    say(strings.offline, "error");
  }
});

whoIsSignedIn().then(async (session) => {
  showCurrent(session);
  if (session) idle = await startIdleSignout({ onIdle: () => showCurrent(null) });
}).catch(() => showCurrent(null));

// The live clock, in the venue's time zone.
function startClock() {
  const lang = document.documentElement.lang || undefined;
  const zone = root.dataset.timezone || undefined;
  const make = (options) => {
    try {
      return new Intl.DateTimeFormat(lang, { ...options, timeZone: zone });
    } catch {
      return new Intl.DateTimeFormat(lang, options);
    }
  };
  const time = make({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }); // service runs on 24 h
  const date = make({ weekday: "long", day: "numeric", month: "long" });
  const timeEl = document.querySelector('[data-clock="time"]');
  const dateEl = document.querySelector('[data-clock="date"]');
  const update = () => {
    const now = new Date();
    timeEl.textContent = time.format(now);
    timeEl.dateTime = now.toISOString();
    dateEl.textContent = date.format(now);
  };
  update();
  setInterval(update, 1000);
}

startClock();
render();
