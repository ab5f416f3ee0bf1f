// Signed out in place: when the server says the waiter's sign-in has ended (idle, signed
// out elsewhere), a PIN prompt opens over the tablet instead of leaving it. The drafts and
// any waiting send stay; the same PIN picks up where the waiter was and the send goes out
// (once: it keeps its client id). Another waiter's PIN switches the tablet to them, and
// they see nothing of the first waiter's drafts (drafts belong to their owner).
import { PinEntry } from "../keypad.js";
import { signIn } from "../session.js";
import { strings } from "./util.js";

export class SignInAgain {
  constructor({ me, onBack }) {
    this.me = me;
    this.onBack = onBack;
    this.dialog = document.getElementById("reauth");
    this.reason = this.dialog?.querySelector("[data-reauth-reason]");
    this.waiting = null;
    if (!this.dialog) return;
    this.dialog.addEventListener("cancel", (event) => event.preventDefault()); // no way around it
    this.entry = new PinEntry(this.dialog.querySelector("[data-reauth-pad]"), {
      strings: strings.pin,
      onSubmit: (pin) => signIn(pin),
      onSuccess: (session) => this.signedIn(session),
    });
    this.entry.active = false;
  }

  get open() {
    return this.waiting !== null;
  }

  /** Open the prompt (once, however many requests were refused); resolves when back. */
  prompt(error = {}) {
    if (!this.dialog) {
      location.reload();
      return new Promise(() => {});
    }
    this.reason.textContent = error.message || strings.reauth_reason;
    if (this.waiting) return this.waiting.promise;
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    this.waiting = { promise, resolve };
    this.entry.clear();
    this.entry.active = true;
    this.dialog.showModal();
    return promise;
  }

  async signedIn(session) {
    if (session.staff.id !== this.me.id) {
      location.reload(); // another waiter: their tablet, their drafts
      return;
    }
    this.entry.active = false;
    this.dialog.close();
    const { resolve } = this.waiting;
    this.waiting = null;
    await this.onBack?.();
    resolve(session);
  }
}
