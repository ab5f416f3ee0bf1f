// Paired screens: the list, renaming one, and revoking one (the server closes its
// connection at once).
import { ApiError, get, patch, post } from "../api.js";
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

function nameCell(device, revoked) {
  const what = device.station ? `${strings.station}: ${device.station}` : "";
  return h("th", { scope: "row" }, h("span", { class: "office-strong" }, device.label),
    what ? h("span", { class: "office-sub" }, what) : null);
}

function row(device) {
  const revoked = Boolean(device.revoked_at);
  return h("tr", { dataset: { device: device.id }, class: revoked ? "is-revoked" : "" },
    nameCell(device, revoked),
    h("td", {}, strings.roles[device.role] || device.role),
    h("td", {}, device.paired_by || "—"),
    h("td", {}, time(device.paired_at)),
    h("td", {}, revoked ? strings.revoked : time(device.last_seen_at)),
    h("td", { class: "office-actions" }, revoked ? null : h("div", { class: "office-buttons" },
      h("button", { type: "button", class: "button button-secondary", dataset: { rename: device.id },
                    onclick: (event) => startRename(event.target.closest("tr"), device) },
        strings.rename),
      h("button", { type: "button", class: "button button-secondary", dataset: { revoke: device.id },
                    onclick: () => revoke(device) }, strings.revoke))));
}

/** The name turns into a field in its row: Enter or Save keeps it, Escape or Cancel not. */
function startRename(tr, device) {
  const input = h("input", { class: "office-input", value: device.label, maxlength: 80,
                             "aria-label": strings.screen_name, dataset: { renameInput: "" } });
  const cancel = () => tr.replaceWith(row(device));
  const save = async () => {
    try {
      const renamed = await patch(`/devices/${device.id}`, { label: input.value });
      tr.replaceWith(row(renamed));
      say(fill(strings.renamed, { label: renamed.label }), "success");
    } catch (error) {
      input.setAttribute("aria-invalid", "true");
      say(error instanceof ApiError ? error.message : strings.failed, "error");
    }
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") save();
    if (event.key === "Escape") cancel();
  });
  tr.firstElementChild.replaceChildren(input);
  tr.lastElementChild.replaceChildren(h("div", { class: "office-buttons" },
    h("button", { type: "button", class: "button button-primary", dataset: { renameSave: "" },
                  onclick: save }, strings.save),
    h("button", { type: "button", class: "button button-secondary", onclick: cancel },
      strings.cancel)));
  input.focus();
  input.select();
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
