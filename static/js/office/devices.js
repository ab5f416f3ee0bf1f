// Paired screens: the list, and revoking one (the server closes its connection at once).
import { ApiError, get, post } from "../api.js";
import { venueFormat } from "../clock.js";
import { h } from "../dom.js";
import { fill, readStrings } from "../session.js";

const strings = readStrings();
const body = document.querySelector("[data-devices] tbody");
const message = document.querySelector("[data-message]");
const when = venueFormat({ dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });

function say(text, kind = "info") {
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
}

function time(value) {
  return value ? when.format(new Date(value)) : strings.never;
}

function row(device) {
  const revoked = Boolean(device.revoked_at);
  const what = device.station ? `${strings.station}: ${device.station}` : "";
  return h("tr", { dataset: { device: device.id }, class: revoked ? "is-revoked" : "" },
    h("th", { scope: "row" }, h("span", { class: "office-strong" }, device.label),
      what ? h("span", { class: "office-sub" }, what) : null),
    h("td", {}, strings.roles[device.role] || device.role),
    h("td", {}, device.paired_by || "—"),
    h("td", {}, time(device.paired_at)),
    h("td", {}, revoked ? strings.revoked : time(device.last_seen_at)),
    h("td", { class: "office-actions" }, revoked ? null : h("button", {
      type: "button", class: "button button-secondary", dataset: { revoke: device.id },
      onclick: () => revoke(device),
    }, strings.revoke)));
}

async function load() {
  const devices = await get("/devices");
  body.replaceChildren(...devices.map(row));
  if (!devices.length) say(strings.empty);
}

async function revoke(device) {
  if (!window.confirm(fill(strings.confirm, { label: device.label }))) return;
  try {
    await post(`/devices/${device.id}/revoke`);
    say(fill(strings.done, { label: device.label }), "success");
    await load();
  } catch (error) {
    say(error instanceof ApiError ? error.message : strings.failed, "error");
  }
}

load().catch((error) => say(error.message || strings.failed, "error"));
