// Short tones made with the Web Audio API (no sound files): a new ticket on a kitchen
// screen, a course ready on a waiter's tablet. Browsers keep audio off until the first
// tap or key press on the page; `unlock()` is called on that first touch.

let context = null;
let muted = false;
let lastPlayed = 0; // a burst of tickets (a replay after a drop) beeps once

function audio() {
  if (context) return context;
  const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
  if (!Context) return null;
  try {
    context = new Context();
  } catch {
    context = null;
  }
  return context;
}

/** Start audio on a user gesture; true when sound can play. */
export function unlock() {
  const ctx = audio();
  if (ctx && ctx.state === "suspended") ctx.resume().catch(() => {});
  return soundReady();
}

export function soundReady() {
  return Boolean(context && context.state === "running");
}

export function setMuted(value) {
  muted = Boolean(value);
}

export function isMuted() {
  return muted;
}

/** notes: [[frequency Hz, start s, length s], …] */
function play(notes, volume = 0.25) {
  if (muted) return;
  const ctx = audio();
  if (!ctx || ctx.state !== "running") return;
  if (performance.now() - lastPlayed < 700) return;
  lastPlayed = performance.now();
  const start = ctx.currentTime + 0.01;
  for (const [frequency, at, length] of notes) {
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.type = "square";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + at);
    gain.gain.exponentialRampToValueAtTime(volume, start + at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + at + length);
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start(start + at);
    oscillator.stop(start + at + length + 0.02);
  }
}

/** Two short high beeps: a new ticket (cuts through a noisy kitchen). */
export function beepTicket() {
  play([[1320, 0, 0.12], [1320, 0.18, 0.12]]);
}

/** Three falling beeps: a ticket came back (recalled) or a rush. */
export function beepRush() {
  play([[1568, 0, 0.1], [1320, 0.14, 0.1], [1568, 0.28, 0.16]], 0.3);
}

/** A rising chime: food is ready at the pass. */
export function chimeReady() {
  play([[784, 0, 0.16], [988, 0.16, 0.16], [1175, 0.32, 0.3]], 0.22);
}
