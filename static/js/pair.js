// Pairing a screen from the screen itself: choose what it shows, a manager types their
// PIN, and the screen becomes a paired device (its token in an HttpOnly cookie).
import { PinEntry } from "./keypad.js";
import { fill, readStrings } from "./session.js";

const strings = readStrings();
const config = JSON.parse(document.getElementById("pair-config").textContent);
const pad = document.getElementById("pad");
const choicesBox = document.querySelector("[data-choices]");
const labelInput = document.querySelector("[data-label]");

let chosen = config.choices.find((choice) => choice.code === config.chosen) || null;
let labelTouched = false;

function renderChoices() {
  choicesBox.replaceChildren(...config.choices.map((choice) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "pair-option";
    button.setAttribute("role", "radio");
    button.setAttribute("aria-checked", String(choice === chosen));
    button.dataset.choice = choice.code;
    button.textContent = choice.name;
    button.addEventListener("click", () => choose(choice));
    return button;
  }));
}

function choose(choice) {
  chosen = choice;
  if (!labelTouched) labelInput.value = fill(strings.label_for, { name: choice.name });
  renderChoices();
  entry.say("");
}

labelInput.addEventListener("input", () => { labelTouched = true; });

async function pair(pin) {
  if (!chosen) {
    return { status: 422, data: { error: { message: strings.choose_first } } };
  }
  const response = await fetch("/api/v1/devices/pair-here", {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify({
      manager_pin: pin,
      label: labelInput.value.trim() || fill(strings.label_for, { name: chosen.name }),
      role: config.role,
      station: chosen.code,
    }),
  });
  const data = await response.json().catch(() => ({}));
  return { status: response.status, headers: response.headers, data };
}

const entry = new PinEntry(pad, {
  strings: strings.pin,
  onSubmit: pair,
  onSuccess(device) {
    entry.say(fill(strings.paired, { label: device.label }), "success");
    location.assign(config.next.replace("{code}", encodeURIComponent(device.station)));
  },
});

renderChoices();
if (chosen) choose(chosen);
