// The PIN pad on a shared tablet: type a 4–6 digit PIN, OK signs in (or switches staff).
import { startVenueClock, venueTime } from "./clock.js";
import { uuid } from "./dom.js";
import { PinEntry } from "./keypad.js";
import { fill, readStrings, signIn, signOut, startIdleSignout, whoIsSignedIn } from "./session.js";

const strings = readStrings();
const root = document.getElementById("signin");
const pad = document.getElementById("pad");
// Signed in without a screen to return to, each role goes to its own.
const HOME = { waiter: "/tablet", bartender: "/tablet", host: "/tablet", cashier: "/cashier",
               kitchen: "/kitchen", front_desk: "/desk", manager: "/office", admin: "/office" };
const nextUrl = root.dataset.nextUrl || "/";

let idle = null;
// "signin", or a time clock punch without signing in: "in_out" or "break".
let mode = "signin";

const entry = new PinEntry(pad, {
  strings: strings.pin,
  onSubmit: (pin) => (mode === "signin" ? signIn(pin) : punch(pin, mode)),
  onSuccess(session) {
    if (mode !== "signin") {
      punched(session);
      return;
    }
    idle?.stop();
    entry.say(fill(strings.welcome, { name: session.staff.name }), "success");
    location.assign(nextUrl === "/" ? HOME[session.staff.role] || "/" : nextUrl);
  },
});

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
    entry.say(strings.signed_out, "info");
  } catch {
    entry.say(strings.pin.offline, "error");
  }
});

whoIsSignedIn().then(async (session) => {
  showCurrent(session);
  if (session) idle = await startIdleSignout({ onIdle: () => showCurrent(null) });
}).catch(() => showCurrent(null));

// The live clock, in the venue's time zone (static/js/clock.js).
startVenueClock(document.querySelector('[data-clock="time"]'),
  { dateElement: document.querySelector('[data-clock="date"]') });

// The time clock: a PIN typed in a clock mode punches its owner in or out (or on or off a
// break), says so, and leaves the pad ready for the next person. A punch whose answer was
// lost is sent again with the same client id, so it is never counted twice.
let attempt = null;

async function punch(pin, action) {
  if (!attempt || attempt.pin !== pin || attempt.action !== action) {
    attempt = { pin, action, client_id: uuid() };
  }
  const lang = document.documentElement.lang;
  const response = await fetch(`/api/v1/time-clock/punch${lang ? `?lang=${lang}` : ""}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify({ pin, action, client_id: attempt.client_id }),
  });
  attempt = null;
  const data = await response.json().catch(() => ({}));
  return { status: response.status, headers: response.headers, data };
}

function punched(answer) {
  const paid = answer.shift?.paid_minutes || 0;
  const text = fill(strings.clock[answer.kind], {
    name: answer.staff.name, time: venueTime(answer.at),
    hours: Math.floor(paid / 60), minutes: String(paid % 60).padStart(2, "0") });
  entry.clear();
  entry.say(text, "success");
  backToSignIn();
}

// A clock mode left on would clock out the next person who only meant to sign in: a while
// after the last tap, the pad signs in again.
const CLOCK_MODE_SECONDS = 20;
let modeTimer = null;

function backToSignIn() {
  clearTimeout(modeTimer);
  if (mode !== "signin") modeTimer = setTimeout(() => setMode("signin"), CLOCK_MODE_SECONDS * 1000);
}

["pointerdown", "keydown"].forEach((type) => document.addEventListener(type, () => {
  if (mode !== "signin") backToSignIn();
}, { capture: true, passive: true }));

function setMode(next) {
  if (entry.busy) return; // a PIN on its way is answered in the mode it was typed in
  mode = next;
  document.body.dataset.padMode = next;
  document.querySelectorAll("[data-pad-mode]").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.padMode === next));
  });
  document.getElementById("pad-title").textContent = strings.clock[next];
  document.querySelector(".pad-target")?.toggleAttribute("hidden", next !== "signin");
  entry.clear();
  backToSignIn();
}

document.querySelectorAll("[data-pad-mode]").forEach((button) => {
  button.addEventListener("click", () => setMode(button.dataset.padMode));
});
