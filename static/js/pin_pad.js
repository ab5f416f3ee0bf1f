// The PIN pad on a shared tablet: type a 4–6 digit PIN, OK signs in (or switches staff).
import { startVenueClock } from "./clock.js";
import { PinEntry } from "./keypad.js";
import { fill, readStrings, signIn, signOut, startIdleSignout, whoIsSignedIn } from "./session.js";

const strings = readStrings();
const root = document.getElementById("signin");
const pad = document.getElementById("pad");
const nextUrl = root.dataset.nextUrl || "/";

let idle = null;

const entry = new PinEntry(pad, {
  strings: strings.pin,
  onSubmit: (pin) => signIn(pin),
  onSuccess(session) {
    idle?.stop();
    entry.say(fill(strings.welcome, { name: session.staff.name }), "success");
    location.assign(nextUrl);
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
