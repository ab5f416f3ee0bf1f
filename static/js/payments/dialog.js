// One dialog frame for the payment screens: a native <dialog> (focus and the back layer
// are the browser's) drawn with the same classes as the tablet's dialogs, so a payment
// looks the same on the cashier station and at the table.
import { h, icon, t } from "./util.js";

/**
 * openDialog({title, subtitle, body, actions, className}) → {element, body, foot, close,
 * result, setTitle, setDismissable}. `result` resolves with close()'s value, or null when
 * dismissed (the close button, Escape, a tap beside it) while dismissable.
 */
export function openDialog({ title, subtitle = "", body = [], actions = [], className = "" }) {
  let resolve;
  const result = new Promise((r) => { resolve = r; });
  let dismissable = true;
  const titleId = `pay-dlg-${Math.random().toString(36).slice(2, 8)}`;
  const closeButton = h("button", { type: "button", class: "dlg-close", "aria-label": t("close"),
                                    dataset: { dialogClose: "" } }, icon("close", 24));
  const titleElement = h("h2", { class: "dlg-title", id: titleId }, title);
  const subtitleElement = h("p", { class: "dlg-subtitle", hidden: !subtitle }, subtitle);
  const bodyElement = h("div", { class: "dlg-body" }, body);
  const foot = h("footer", { class: "dlg-foot", hidden: !actions.length }, actions);
  const element = h("dialog", { class: `dlg ${className}`, "aria-labelledby": titleId },
    h("div", { class: "dlg-frame" },
      h("header", { class: "dlg-head" },
        h("div", { class: "dlg-titles" }, titleElement, subtitleElement), closeButton),
      bodyElement, foot));
  let done = false;
  const close = (value = null) => {
    if (done) return;
    done = true;
    element.close();
    element.remove();
    resolve(value);
  };
  closeButton.addEventListener("click", () => { if (dismissable) close(null); });
  element.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (dismissable) close(null);
  });
  element.addEventListener("click", (event) => {
    if (event.target === element && dismissable) close(null); // a tap on the backdrop
  });
  document.body.append(element);
  element.showModal();
  return {
    element, body: bodyElement, foot, close, result,
    setTitle(text, sub = "") {
      titleElement.textContent = text;
      subtitleElement.textContent = sub;
      subtitleElement.hidden = !sub;
    },
    /** While money is on its way, the dialog stays: closing it would hide the answer. */
    setDismissable(value) {
      dismissable = value;
      closeButton.disabled = !value;
    },
    setActions(...buttons) {
      foot.replaceChildren(...buttons.flat().filter(Boolean));
      foot.hidden = !foot.children.length;
    },
  };
}

export function button(label, { kind = "secondary", onclick, iconName = null, attrs = {} } = {}) {
  return h("button", { type: "button", class: `button button-${kind} button-lg`, onclick, ...attrs },
           iconName ? icon(iconName, 22) : null, h("span", {}, label));
}
