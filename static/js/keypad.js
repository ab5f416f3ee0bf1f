// A PIN entry (templates/_keypad.html): 4–6 digits by touch or keyboard, OK submits.
// Used by the PIN pad page, the tablet's "sign in again" prompt and pairing a screen.
//
// onSubmit(pin) returns {status, data, headers} (session.js's shape): 2xx is the caller's
// success; 429 locks the entry for the server's delay; anything else shakes and says why.
import { fill } from "./session.js";

const MIN_DIGITS = 4;
const MAX_DIGITS = 6;

export class PinEntry {
  constructor(root, { strings, onSubmit, onSuccess, shakeTarget = root, keyboard = true }) {
    this.root = root;
    this.strings = strings || {};
    this.onSubmit = onSubmit;
    this.onSuccess = onSuccess;
    this.shakeTarget = shakeTarget;
    this.dots = root.querySelector("[data-pin-dots]");
    this.message = root.querySelector("[data-pin-message]");
    this.okButton = root.querySelector('.pin-ok');
    this.keys = [...root.querySelectorAll(".keypad .key")];
    this.pin = "";
    this.busy = false;
    this.lockTimer = null;
    this.active = true;
    root.querySelector(".keypad").addEventListener("click", (event) => {
      const button = event.target.closest(".key");
      if (button) this.press(button.dataset.key);
    });
    this.okButton.addEventListener("click", () => this.press("ok"));
    if (keyboard) document.addEventListener("keydown", (event) => this.onKey(event));
    this.render();
  }

  get locked() {
    return this.lockTimer !== null;
  }

  render() {
    const slots = Math.max(MIN_DIGITS, this.pin.length);
    this.dots.replaceChildren(...Array.from({ length: slots }, (_, i) => {
      const dot = document.createElement("span");
      dot.className = i < this.pin.length ? "pin-dot is-filled" : "pin-dot";
      return dot;
    }));
    this.dots.setAttribute("aria-label", fill(this.strings.digits, { count: this.pin.length }));
    const disabled = this.busy || this.locked;
    this.keys.forEach((key) => { key.disabled = disabled; });
    this.okButton.disabled = disabled || this.pin.length < MIN_DIGITS;
    this.shakeTarget.classList.toggle("is-locked", this.locked);
  }

  say(text, kind = "info") {
    this.message.textContent = text || "";
    this.message.dataset.kind = text ? kind : "";
  }

  clear() {
    this.pin = "";
    this.busy = false;
    this.say("");
    this.render();
  }

  press(key) {
    if (!this.active || this.busy || this.locked) return;
    if (key === "ok") {
      this.submit();
      return;
    }
    if (this.message.dataset.kind === "error" || this.message.dataset.kind === "info") this.say("");
    if (key === "clear") this.pin = "";
    else if (key === "back") this.pin = this.pin.slice(0, -1);
    else if (/^\d$/.test(key) && this.pin.length < MAX_DIGITS) this.pin += key;
    this.render();
  }

  shake() {
    const target = this.shakeTarget;
    target.classList.remove("is-shaking");
    void target.offsetWidth; // restart the animation on a second wrong PIN
    target.classList.add("is-shaking");
    setTimeout(() => target.classList.remove("is-shaking"), 500);
  }

  async submit() {
    if (this.busy || this.locked) return;
    if (this.pin.length < MIN_DIGITS) {
      this.say(this.strings.too_short, "error");
      this.shake();
      return;
    }
    this.busy = true;
    this.say(this.strings.checking, "progress");
    this.render();
    const pin = this.pin;
    let result;
    try {
      result = await this.onSubmit(pin);
    } catch {
      this.busy = false;
      this.say(this.strings.offline, "error");
      this.render();
      return;
    }
    this.pin = "";
    this.busy = false;
    const error = result.data?.error || {};
    if (result.status >= 200 && result.status < 300) {
      this.busy = true; // stay disabled while the caller moves on
      this.render();
      await this.onSuccess?.(result.data, pin);
      return;
    }
    if (result.status === 429) {
      const seconds = Number(error.retry_after || result.headers?.get?.("Retry-After")) || 30;
      this.lock(seconds);
      return;
    }
    this.shake();
    this.say(error.message || (result.status === 401 ? this.strings.wrong_pin : this.strings.failed),
             "error");
    this.render();
  }

  lock(seconds) {
    const until = Date.now() + seconds * 1000;
    clearInterval(this.lockTimer);
    const tick = () => {
      const left = Math.ceil((until - Date.now()) / 1000);
      if (left > 0) {
        this.say(fill(this.strings.locked, { seconds: left }), "locked");
        return;
      }
      clearInterval(this.lockTimer);
      this.lockTimer = null;
      this.say(this.strings.unlocked, "info");
      this.render();
    };
    this.lockTimer = setInterval(tick, 250);
    this.pin = "";
    tick();
    this.render();
  }

  flash(key) {
    const button = key === "ok" ? this.okButton : this.keys.find((k) => k.dataset.key === key);
    if (!button || button.disabled) return;
    button.classList.add("is-pressed");
    setTimeout(() => button.classList.remove("is-pressed"), 120);
  }

  onKey(event) {
    if (!this.active || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest?.("input, textarea, select")) return;
    let key = null;
    if (/^\d$/.test(event.key)) key = event.key;
    else key = { Backspace: "back", Delete: "clear", Escape: "clear", Enter: "ok" }[event.key] || null;
    if (!key) return;
    event.preventDefault(); // Enter on a focused key must not also "click" it
    this.flash(key);
    this.press(key);
  }
}
