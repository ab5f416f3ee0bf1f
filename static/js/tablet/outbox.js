// Sends that must reach the kitchen exactly once.
//
// Tapping Send stores {client_id, body} in the check's draft first, then posts it. A lost
// network keeps it stored and it is posted again — on `online`, when the live connection
// comes back, every few seconds, and after a reload — with the same client id and the same
// bytes, so the server answers a repeat with its first answer and sends nothing twice.
import { ApiError, isRetryable, post } from "../api.js";
import * as drafts from "./drafts.js";
import { uuid } from "./util.js";

const RETRY_MS = 4000;

export class Outbox {
  /**
   * onSent(checkId, result|null, pending): the server has it (result null: it was sent
   *   before, by another sign-in on this tablet).
   * onRefused(checkId, error, pending): the server said no (stale check, 86, invalid);
   *   the lines are back in the draft, marked, for the waiter to look at and send again.
   * onSignedOut(error): the sign-in has ended; the send waits for the waiter's PIN.
   * onChange(): the number of waiting sends or their state changed.
   */
  constructor({ onSent, onRefused, onSignedOut, onChange }) {
    this.onSent = onSent;
    this.onRefused = onRefused;
    this.onSignedOut = onSignedOut;
    this.onChange = onChange;
    this.inFlight = new Map();
    this.failing = new Set(); // checks whose last attempt could not reach the server
  }

  start() {
    window.addEventListener("online", () => this.flush());
    this.timer = setInterval(() => this.flush(), RETRY_MS);
    return this.flush();
  }

  /** Store the send, then post it. Returns when it was answered or found offline. */
  send(checkId, version, lines, label) {
    const draft = drafts.load(checkId);
    if (draft.pending || !lines.length) return Promise.resolve();
    const clientId = uuid(); // made at the tap, kept until the server has answered
    draft.label = label || draft.label;
    draft.pending = {
      client_id: clientId,
      label: draft.label,
      body: { client_id: clientId, version, lines: lines.map(drafts.lineRequest) },
      lines,
      created_at: new Date().toISOString(),
      attempts: 0,
    };
    const sentKeys = new Set(lines.map((line) => line.key));
    draft.lines = draft.lines.filter((line) => !sentKeys.has(line.key));
    drafts.save(draft);
    this.onChange();
    return this.attempt(checkId);
  }

  flush() {
    return Promise.all(drafts.withPending().map((draft) => this.attempt(draft.check_id)));
  }

  pending() {
    return drafts.withPending();
  }

  isFailing(checkId) {
    return this.failing.has(Number(checkId));
  }

  get offline() {
    return this.failing.size > 0;
  }

  busy(checkId) {
    return this.inFlight.has(Number(checkId));
  }

  attempt(checkId) {
    checkId = Number(checkId);
    if (this.inFlight.has(checkId)) return this.inFlight.get(checkId);
    const promise = this.post(checkId).finally(() => {
      this.inFlight.delete(checkId);
      this.onChange();
    });
    this.inFlight.set(checkId, promise);
    this.onChange();
    return promise;
  }

  async post(checkId) {
    const draft = drafts.load(checkId);
    const pending = draft.pending;
    if (!pending) return;
    try {
      const result = await post(`/checks/${checkId}/send`, pending.body);
      this.settle(checkId, pending);
      this.onSent(checkId, result, pending);
    } catch (error) {
      if (isRetryable(error)) {
        this.failing.add(checkId);
        drafts.update(checkId, (d) => {
          if (d.pending?.client_id === pending.client_id) d.pending.attempts += 1;
        });
      } else if (error instanceof ApiError && error.status === 401) {
        this.failing.delete(checkId);
        this.onSignedOut(error);
      } else if (error instanceof ApiError && error.code === "idempotency_key_reused") {
        // Only a request that succeeded is remembered: it went through, answered to the
        // staff member who was signed in then.
        this.settle(checkId, pending);
        this.onSent(checkId, null, pending);
      } else {
        this.failing.delete(checkId);
        drafts.update(checkId, (d) => {
          if (d.pending?.client_id !== pending.client_id) return;
          d.lines = [...pending.lines.map((line) => ({ ...line, error: null })), ...d.lines];
          d.pending = null;
        });
        this.onRefused(checkId, error, pending);
      }
    }
  }

  settle(checkId, pending) {
    this.failing.delete(checkId);
    drafts.update(checkId, (d) => {
      if (d.pending?.client_id === pending.client_id) d.pending = null;
    });
  }
}
