// Dialogs on the tablet: one frame (a native <dialog>, so focus and the back layer are the
// browser's), and the questions a waiter answers with a tap: how many guests, which check,
// which table, why, and — for what a waiter may not do alone — a manager's PIN.
import { ApiError } from "../api.js";
import { amountText, h, icon, money, nameOf, parseAmount, t, venue } from "./util.js";

/**
 * openDialog({title, subtitle, body, actions, className}) → {element, close(value), result, show(step)}
 * `result` resolves with the value given to close(), or null when dismissed. show({title,
 * subtitle, body, actions, step}) redraws the dialog for the next step of a longer task.
 */
export function openDialog({ title, subtitle = "", body = [], actions = [], className = "",
                             dismissable = true, labelledBy = null }) {
  let resolve;
  const result = new Promise((r) => { resolve = r; });
  const titleId = `dlg-title-${Math.random().toString(36).slice(2, 8)}`;
  const closeButton = h("button", { type: "button", class: "dlg-close", "aria-label": t("close") },
                        icon("close", 24));
  const titleElement = h("h2", { class: "dlg-title", id: titleId }, title);
  const subtitleElement = h("p", { class: "dlg-subtitle", hidden: !subtitle }, subtitle);
  const head = h("header", { class: "dlg-head" },
    h("div", { class: "dlg-titles" }, titleElement, subtitleElement),
    dismissable ? closeButton : null);
  const bodyElement = h("div", { class: "dlg-body" }, body);
  const foot = h("footer", { class: "dlg-foot", hidden: !actions.length }, actions);
  const element = h("dialog", { class: `dlg ${className}`, "aria-labelledby": labelledBy || titleId },
                    h("div", { class: "dlg-frame" }, head, bodyElement, foot));
  let done = false;
  const close = (value = null) => {
    if (done) return;
    done = true;
    element.close();
    element.remove();
    resolve(value);
  };
  closeButton.addEventListener("click", () => close(null));
  element.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (dismissable) close(null);
  });
  element.addEventListener("click", (event) => {
    if (event.target === element && dismissable) close(null); // a tap on the backdrop
  });
  const show = (step) => {
    titleElement.textContent = step.title;
    subtitleElement.textContent = step.subtitle || "";
    subtitleElement.hidden = !step.subtitle;
    bodyElement.replaceChildren(...[step.body].flat(Infinity).filter(Boolean));
    foot.replaceChildren(...[step.actions || []].flat(Infinity).filter(Boolean));
    foot.hidden = !foot.children.length;
    if (step.step) element.dataset.step = step.step;
    bodyElement.scrollTop = 0;
    titleElement.tabIndex = -1; // the tapped button is gone: start again at the title
    titleElement.focus({ preventScroll: true });
  };
  document.body.append(element);
  element.showModal();
  return { element, body: bodyElement, foot, close, result, show };
}

export function button(label, { kind = "secondary", onclick, iconName = null, attrs = {} } = {}) {
  return h("button", { type: "button", class: `button button-${kind} button-lg`, onclick, ...attrs },
           iconName ? icon(iconName, 22) : null, h("span", {}, label));
}

/** Big buttons 1–8 and "more": how many guests sit down. */
export function askGuests({ title, subtitle = "", current = null }) {
  let more = Math.max(9, current && current > 8 ? current : 9);
  const moreValue = h("output", { class: "stepper-value" }, String(more));
  const dialog = openDialog({
    title, subtitle, className: "dlg-guests",
    body: [
      h("div", { class: "guest-grid", role: "group", "aria-label": title },
        [1, 2, 3, 4, 5, 6, 7, 8].map((n) => h("button", {
          type: "button", class: `guest-key${n === current ? " is-current" : ""}`,
          dataset: { guests: n }, onclick: () => dialog.close(n),
        }, String(n)))),
      h("div", { class: "guest-more" },
        h("span", { class: "guest-more-label" }, t("more_guests")),
        h("div", { class: "stepper" },
          h("button", { type: "button", class: "stepper-button", "aria-label": t("fewer"),
                        onclick: () => { more = Math.max(9, more - 1); moreValue.textContent = more; } },
            icon("minus", 22)),
          moreValue,
          h("button", { type: "button", class: "stepper-button", "aria-label": t("more"),
                        dataset: { more: "" },
                        onclick: () => { more = Math.min(99, more + 1); moreValue.textContent = more; } },
            icon("plus", 22))),
        h("button", { type: "button", class: "button button-secondary button-lg",
                      dataset: { guestsMore: "" }, onclick: () => dialog.close(more) }, t("ok"))),
    ],
  });
  return dialog.result;
}

/** The most one line holds (the server's limit, pos/ordering/schemas.py NewLine.quantity). */
export const MAX_QUANTITY = 99;

/**
 * A number pad for how many: the digits typed replace the number shown; a digit that would
 * go past `max` is disabled, and the limit is said under the number. Resolves with the
 * number, or null.
 */
export function askQuantity({ title, subtitle = "", current = 1, max = MAX_QUANTITY }) {
  let typed = "";
  const shown = () => (typed === "" ? current : Number(typed));
  const display = h("output", { class: "qty-display", "aria-live": "polite", dataset: { qtyDisplay: "" } });
  const limit = h("p", { class: "qty-limit", dataset: { qtyLimit: "" } });
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"];
  const keyButtons = keys.map((key) => h("button", {
    type: "button", class: `key mini-key${/\d/.test(key) ? "" : " key-action"}`,
    dataset: { qtyKey: key }, onclick: () => press(key),
    "aria-label": key === "back" ? t("delete_digit") : null,
  }, key === "back" ? icon("backspace", 26) : key === "clear" ? t("clear") : key));
  const ok = button(t("ok"), { kind: "primary", attrs: { dataset: { qtyOk: "" } } });
  const wouldBe = (digit) => Number(`${typed}${digit}`);

  function press(key) {
    if (key === "clear") typed = "";
    else if (key === "back") typed = typed.slice(0, -1);
    else if (/^\d$/.test(key) && !(typed === "" && key === "0") && wouldBe(key) <= max) typed += key;
    refresh();
  }

  function refresh() {
    display.textContent = String(shown());
    display.classList.toggle("is-untouched", typed === "");
    for (const key of keyButtons) {
      const digit = key.dataset.qtyKey;
      if (/^\d$/.test(digit)) key.disabled = (typed === "" && digit === "0") || wouldBe(digit) > max;
    }
    limit.textContent = t("quantity_range", { max });
    limit.classList.toggle("is-reached", shown() >= max);
    ok.disabled = !(shown() >= 1);
  }

  const dialog = openDialog({
    title, subtitle, className: "dlg-quantity",
    body: h("div", { class: "qty-pad" }, display, limit, h("div", { class: "mini-keypad" }, keyButtons)),
    actions: [button(t("cancel"), { onclick: () => dialog.close(null) }), ok],
  });
  ok.addEventListener("click", () => dialog.close(shown()));
  dialog.element.addEventListener("keydown", (event) => {
    const key = /^\d$/.test(event.key) ? event.key
      : { Backspace: "back", Delete: "clear", Enter: "ok" }[event.key];
    if (!key) return;
    event.preventDefault();
    if (key === "ok") { if (!ok.disabled) dialog.close(shown()); } else press(key);
  });
  refresh();
  return dialog.result;
}

/** "Add 25 × Water?": a line above the venue's limits (reasons say which) needs a yes. */
export async function confirmLargeLine({ name, quantity, amount, reasons }) {
  const dialog = openDialog({
    title: t("confirm_line", { count: quantity, name }), subtitle: money(amount),
    className: "dlg-confirm-line",
    body: h("ul", { class: "confirm-reasons" }, reasons.map((reason) =>
      h("li", { class: "dlg-note" }, icon("alert", 20), h("span", {}, reason)))),
    actions: [
      button(t("change"), { onclick: () => dialog.close(false), attrs: { dataset: { confirmChange: "" } } }),
      button(t("confirm_add", { count: quantity }), { kind: "primary", iconName: "check",
        onclick: () => dialog.close(true), attrs: { dataset: { confirmAdd: "" } } }),
    ],
  });
  return (await dialog.result) === true;
}

/** "Only 2 left of Salmon": take the 2 (one tap), or go back and change the order. */
export async function offerWhatIsLeft({ name, wanted, left }) {
  const dialog = openDialog({
    title: t("only_left", { count: left, name }),
    subtitle: t("you_asked_for", { count: wanted }),
    className: "dlg-only-left",
    actions: [
      button(t("change"), { onclick: () => dialog.close(false), attrs: { dataset: { keepOrder: "" } } }),
      button(t("take_left", { count: left }), { kind: "primary", iconName: "check",
        onclick: () => dialog.close(true), attrs: { dataset: { takeLeft: left } } }),
    ],
  });
  return (await dialog.result) === true;
}

/** A name for a bar tab or take-away. */
export function askName({ title, label, placeholder = "", value = "" }) {
  const input = h("input", { class: "text-input", type: "text", maxlength: 60, value,
                             placeholder, autocomplete: "off", enterkeyhint: "done",
                             "aria-label": label });
  const ok = button(t("open"), { kind: "primary", attrs: { disabled: !value, dataset: { ok: "" } } });
  const dialog = openDialog({
    title, className: "dlg-name",
    body: [h("label", { class: "field" }, h("span", { class: "field-label" }, label), input)],
    actions: [button(t("cancel"), { onclick: () => dialog.close(null) }), ok],
  });
  const submit = () => {
    const name = input.value.trim();
    if (name) dialog.close(name);
  };
  input.addEventListener("input", () => { ok.disabled = !input.value.trim(); });
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") submit(); });
  ok.addEventListener("click", submit);
  setTimeout(() => input.focus(), 30);
  return dialog.result;
}

/** A list of choices, one tap each (an action sheet). option: {label, detail, value, icon, kind}. */
export function choose({ title, subtitle = "", options, className = "" }) {
  const dialog = openDialog({
    title, subtitle, className: `dlg-choose ${className}`,
    body: h("div", { class: "choice-list" }, options.map((option) => h("button", {
      type: "button", class: `choice${option.kind ? ` choice-${option.kind}` : ""}`,
      dataset: { choice: option.value }, disabled: option.disabled || false,
      onclick: () => dialog.close(option.value),
    },
    option.icon ? h("span", { class: "choice-icon" }, icon(option.icon, 24)) : null,
    h("span", { class: "choice-text" },
      h("span", { class: "choice-label" }, option.label),
      option.detail ? h("span", { class: "choice-detail" }, option.detail) : null),
    option.aside ? h("span", { class: "choice-aside" }, option.aside) : null))),
  });
  return dialog.result;
}

/** A table on any floor (to move a check to). */
export function pickTable({ title, floors, currentTableId }) {
  const dialog = openDialog({
    title, className: "dlg-tables",
    body: floors.map((floor) => h("section", { class: "pick-floor" },
      h("h3", { class: "pick-floor-title" }, nameOf(floor.names)),
      h("div", { class: "pick-table-grid" }, floor.tables.map((table) => h("button", {
        type: "button", class: `pick-table state-${table.state}`,
        disabled: table.id === currentTableId, dataset: { tableId: table.id },
        onclick: () => dialog.close(table.id),
      }, h("span", { class: "pick-table-name" }, table.name),
      h("span", { class: "pick-table-state" }, t(`state_${table.state}`))))))),
  });
  return dialog.result;
}

/** A manager's PIN pad, inside another dialog. */
function pinPad() {
  let pin = "";
  const dots = h("div", { class: "mini-dots", "aria-live": "polite" });
  const render = () => {
    dots.replaceChildren(...Array.from({ length: Math.max(4, pin.length) }, (_, i) =>
      h("span", { class: i < pin.length ? "pin-dot is-filled" : "pin-dot" })));
    dots.setAttribute("aria-label", t("digits_typed", { count: pin.length }));
  };
  const press = (key) => {
    if (key === "clear") pin = "";
    else if (key === "back") pin = pin.slice(0, -1);
    else if (pin.length < 6) pin += key;
    render();
    pad.dispatchEvent(new Event("change"));
  };
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"];
  const pad = h("div", { class: "manager-pad" },
    h("p", { class: "manager-pad-title" }, icon("lock", 20), h("span", {}, t("manager_pin"))),
    dots,
    h("div", { class: "mini-keypad" }, keys.map((key) => h("button", {
      type: "button", class: `key mini-key${/\d/.test(key) ? "" : " key-action"}`,
      dataset: { pinKey: key }, onclick: () => press(key),
      "aria-label": key === "back" ? t("delete_digit") : null,
    }, key === "back" ? icon("backspace", 26) : key === "clear" ? t("clear") : key))));
  render();
  return {
    element: pad,
    get pin() { return pin; },
    reset() { pin = ""; render(); },
    shake() {
      pad.classList.remove("is-shaking");
      void pad.offsetWidth;
      pad.classList.add("is-shaking");
    },
  };
}

/**
 * Void, comp or discount: a reason (and how many, or how much), and a manager's PIN on
 * the same screen when the waiter may not do it alone.
 *
 * submit({reason, quantity, percent_bp, amount, manager_pin}) calls the API; a 403 on
 * manager_pin keeps the dialog open for another PIN. Resolves with submit's result.
 */
export function approve({ title, subtitle, reasons, needPin, verb, danger = false,
                          quantityMax = 0, discount = false, submit }) {
  let reason = null;
  let quantity = quantityMax;
  let percent = null;
  const other = h("input", { class: "text-input", type: "text", maxlength: 120,
                             placeholder: t("other_reason"), "aria-label": t("other_reason") });
  const message = h("p", { class: "dlg-message", role: "alert" });
  const reasonButtons = reasons.map((label) => h("button", {
    type: "button", class: "chip chip-lg", "aria-pressed": "false", dataset: { reason: label },
    onclick: () => { reason = label; other.value = ""; refresh(); },
  }, label));
  other.addEventListener("input", () => { reason = other.value.trim() || null; refresh(); });

  const quantityValue = h("output", { class: "stepper-value" }, String(quantity));
  const quantityBlock = quantityMax > 1 ? h("div", { class: "approve-row" },
    h("span", { class: "field-label" }, t("how_many")),
    h("div", { class: "stepper" },
      h("button", { type: "button", class: "stepper-button", "aria-label": t("fewer"),
                    onclick: () => { quantity = Math.max(1, quantity - 1); refresh(); } }, icon("minus", 22)),
      quantityValue,
      h("button", { type: "button", class: "stepper-button", "aria-label": t("more"),
                    onclick: () => { quantity = Math.min(quantityMax, quantity + 1); refresh(); } },
        icon("plus", 22)))) : null;

  // An example in the venue's own currency: "15,50" (RON), "1550" (JPY), "1,550" (KWD).
  const example = amountText(1550);
  const amountInput = h("input", { class: "text-input", type: "text",
                                   inputmode: venue.exponent ? "decimal" : "numeric",
                                   placeholder: t("amount_example", { example }),
                                   "aria-label": t("amount_example", { example }),
                                   dataset: { amount: "" } });
  const amountHint = h("p", { class: "field-error", role: "alert", dataset: { amountError: "" }, hidden: true });
  const percents = [10, 15, 20, 25, 50, 100];
  const percentButtons = percents.map((p) => h("button", {
    type: "button", class: "chip chip-lg", "aria-pressed": "false", dataset: { percent: p },
    onclick: () => { percent = p; amountInput.value = ""; refresh(); },
  }, `${p} %`));
  amountInput.addEventListener("input", () => { percent = null; refresh(); });
  const discountBlock = discount ? h("div", { class: "approve-block" },
    h("span", { class: "field-label" }, t("discount_how_much")),
    h("div", { class: "chip-grid chip-grid-3" }, percentButtons),
    amountInput, amountHint) : null;

  const pad = needPin ? pinPad() : null;
  const confirm = button(verb, { kind: danger ? "danger" : "primary", attrs: { dataset: { confirm: "" } } });
  // Parsed as text, in the currency's minor units: "1.234" KWD is 1234, "500" JPY is 500.
  const amountMinor = () => parseAmount(amountInput.value);

  function refresh() {
    reasonButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.reason === reason)));
    percentButtons.forEach((b) => b.setAttribute("aria-pressed", String(Number(b.dataset.percent) === percent)));
    quantityValue.textContent = quantity;
    const typed = discount && percent === null && amountInput.value.trim() !== "";
    const unreadable = typed && amountMinor() === null;
    amountHint.hidden = !unreadable;
    amountHint.textContent = unreadable ? t("amount_invalid", { currency: venue.currency, example }) : "";
    amountInput.classList.toggle("is-invalid", unreadable);
    const howMuch = !discount || percent !== null || (amountMinor() ?? 0) > 0;
    const pinOk = !pad || pad.pin.length >= 4;
    confirm.disabled = !reason || !howMuch || !pinOk;
  }
  pad?.element.addEventListener("change", () => { message.textContent = ""; refresh(); });

  const dialog = openDialog({
    title, subtitle, className: `dlg-approve${pad ? " has-pin" : ""}`,
    body: h("div", { class: "approve-layout" },
      h("div", { class: "approve-main" },
        quantityBlock,
        discountBlock,
        h("div", { class: "approve-block" },
          h("span", { class: "field-label" }, t("reason")),
          h("div", { class: "chip-grid" }, reasonButtons),
          other),
        message),
      pad ? pad.element : null),
    actions: [button(t("cancel"), { onclick: () => dialog.close(null) }), confirm],
  });

  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    message.textContent = "";
    try {
      const result = await submit({
        reason,
        quantity: quantityMax > 1 && quantity < quantityMax ? quantity : undefined,
        percent_bp: discount && percent !== null ? percent * 100 : undefined,
        amount: discount && percent === null ? amountMinor() : undefined,
        manager_pin: pad ? pad.pin : undefined,
      });
      dialog.close(result ?? true);
    } catch (error) {
      if (error instanceof ApiError && error.field === "manager_pin" && pad) {
        message.textContent = error.message || t("wrong_manager_pin");
        pad.reset();
        pad.shake();
      } else if (error instanceof ApiError) {
        message.textContent = error.message;
        if (error.code === "stale_check") dialog.close(error);
      } else {
        message.textContent = t("needs_connection");
      }
      refresh();
    }
  });
  refresh();
  return dialog.result;
}

// --- moving lines between checks, merging checks ---------------------------------------------

/**
 * Tick sent lines, pick the check they go to (or a new one), see both totals, move.
 *
 * source: the open check; sourceTitle: "Table 5"; lines: the lines the server has (not
 * void); unsent: how many lines are only on this tablet (they stay); courseName(id);
 * loadTargets() → groups for checkPicker; loadCheck(id) → a full check;
 * newChecks: [{value, label, icon}]; pickNewCheck(value) → {table_id, guests, title, detail} | null;
 * submit({lineIds, target}) → what the dialog resolves with. A stale check closes the
 * dialog with the ApiError (the caller reloads); any other refusal is shown in it.
 */
export function moveLinesDialog({ source, sourceTitle, lines, unsent = 0, courseName, loadTargets,
                                  loadCheck, newChecks = [], pickNewCheck, submit }) {
  const selected = new Set(lines.length === 1 ? [lines[0].id] : []);
  let target = null; // {title, detail, check} or a new check: {isNew, table_id, guests, title, detail}
  const dialog = openDialog({ title: t("move_lines"), className: "dlg-move" });
  const moving = () => lines.filter((l) => selected.has(l.id));
  const amount = () => moving().reduce((sum, l) => sum + l.total, 0);
  const movingText = () => `${t("lines_n", { count: moving().length })} · ${money(amount())}`;

  function showLines() {
    const rows = lines.map((line) => h("button", {
      type: "button", class: "move-line", "aria-pressed": "false", dataset: { moveLine: line.id },
      onclick: () => {
        if (selected.has(line.id)) selected.delete(line.id); else selected.add(line.id);
        refresh();
      },
    }, h("span", { class: "tick", "aria-hidden": "true" }, icon("check", 18)), lineBody(line, courseName)));
    const allLabel = h("span", {});
    const all = h("button", {
      type: "button", class: "chip chip-lg select-all", dataset: { selectAll: "" },
      onclick: () => {
        if (selected.size === lines.length) selected.clear();
        else lines.forEach((l) => selected.add(l.id));
        refresh();
      },
    }, icon("list", 18), allLabel);
    const summary = h("span", { class: "move-foot-summary", "aria-live": "polite" });
    const next = h("button", { type: "button", class: "button button-primary button-lg", dataset: { next: "" },
                               onclick: () => showTargets() }, h("span", {}, t("next")), icon("chevron", 22));
    function refresh() {
      rows.forEach((row) => row.setAttribute("aria-pressed", String(selected.has(Number(row.dataset.moveLine)))));
      allLabel.textContent = selected.size === lines.length ? t("select_none") : t("select_all");
      summary.textContent = selected.size ? movingText() : t("nothing_ticked");
      summary.classList.toggle("is-empty", !selected.size);
      next.disabled = !selected.size;
    }
    dialog.show({
      step: "lines", title: t("move_lines"), subtitle: `${sourceTitle} · ${t("check_n", { id: source.id })}`,
      body: [
        h("div", { class: "move-intro" }, h("p", { class: "move-intro-text" }, t("tick_lines")),
          lines.length > 1 ? all : null),
        h("div", { class: "move-line-list", role: "group", "aria-label": t("tick_lines") }, rows),
        unsent ? h("p", { class: "dlg-note" }, icon("info", 20), h("span", {}, t("unsent_stay"))) : null,
      ],
      actions: h("div", { class: "dlg-foot-row" }, summary,
        h("div", { class: "dlg-foot-buttons" }, button(t("cancel"), { onclick: () => dialog.close(null) }), next)),
    });
    refresh();
  }

  async function showTargets() {
    const step = { step: "target", title: t("move_where"), subtitle: movingText(),
                   actions: [backButton(showLines), h("span", { class: "dlg-foot-spacer" })] };
    dialog.show({ ...step, body: loadingBlock() });
    let groups;
    try {
      groups = await loadTargets();
    } catch {
      dialog.show({ ...step, body: h("p", { class: "dlg-message", role: "alert" }, t("needs_connection")) });
      return;
    }
    const fresh = newChecks.length ? h("section", { class: "pick-floor pick-new" },
      h("h3", { class: "pick-floor-title" }, t("or_new_check")),
      h("div", { class: "new-check-row" }, newChecks.map((option) => h("button", {
        type: "button", class: "choice new-check", dataset: { newCheck: option.value },
        onclick: async () => {
          const picked = await pickNewCheck(option.value);
          if (!picked) return;
          target = { ...picked, isNew: true };
          showConfirm();
        },
      }, h("span", { class: "choice-icon" }, icon(option.icon, 24)),
      h("span", { class: "choice-text" }, h("span", { class: "choice-label" }, option.label)))))) : null;
    dialog.show({ ...step, body: [checkPicker(groups, pickExisting), fresh] });
  }

  async function pickExisting(option) {
    dialog.show({ step: "target", title: t("move_where"), subtitle: movingText(), body: loadingBlock(), actions: [] });
    try {
      const check = await loadCheck(option.id);
      if (check.status !== "open") throw new Error("closed");
      target = { check, title: option.title,
                 detail: `${t("check_n", { id: check.id })} · ${t("guests_n", { count: check.guest_count })}` };
      showConfirm();
    } catch {
      showTargets();
    }
  }

  function showConfirm() {
    const chosen = moving();
    const sum = amount();
    const exact = followsLines(source) && (target.isNew || followsLines(target.check));
    const targetNow = target.isNew ? 0 : target.check.totals.total;
    const message = h("p", { class: "dlg-message", role: "alert" });
    const confirm = h("button", { type: "button", class: "button button-primary button-lg", dataset: { confirm: "" } },
      icon("move-lines", 22), h("span", {}, t("move_n_lines", { count: chosen.length })));
    dialog.show({
      step: "confirm", title: t("confirm_move"), subtitle: `${sourceTitle} → ${target.title}`,
      body: [
        h("div", { class: "parties" },
          party({ kind: "from", caption: t("moving_from"), title: sourceTitle,
                  detail: `${t("check_n", { id: source.id })} · ${t("guests_n", { count: source.guest_count })}`,
                  now: source.totals.total, after: exact ? source.totals.total - sum : null,
                  afterLabel: t("total_after") }),
          h("span", { class: "party-arrow", "aria-hidden": "true" }, icon("arrow", 26)),
          party({ kind: "to", caption: t("moving_to"), title: target.title, detail: target.detail,
                  now: targetNow, after: exact ? targetNow + sum : null, afterLabel: t("total_after") })),
        movingList(chosen, courseName),
        message,
      ],
      actions: [backButton(showTargets), h("span", { class: "dlg-foot-spacer" }), confirm],
    });
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      message.textContent = "";
      try {
        dialog.close((await submit({ lineIds: chosen.map((l) => l.id), target })) ?? true);
      } catch (error) {
        if (error instanceof ApiError && (error.code === "stale_check" || error.status === 401)) {
          dialog.close(error);
          return;
        }
        message.textContent = error instanceof ApiError && !error.retryable ? error.message : t("needs_connection");
        confirm.disabled = false;
      }
    });
  }

  showLines();
  return dialog.result;
}

/**
 * Pick another open check and bring everything on it onto this one.
 * into: the open check; submit(other, title) → what the dialog resolves with. A 409
 * `discount_on_check` (or any refusal but a stale check) is shown in the dialog.
 */
export function mergeDialog({ into, intoTitle, courseName, loadTargets, loadCheck, submit }) {
  const dialog = openDialog({ title: t("merge_check"), className: "dlg-move dlg-merge" });
  const subtitle = t("merge_which", { label: `${intoTitle} · ${t("check_n", { id: into.id })}` });

  async function showTargets() {
    const step = { step: "target", title: t("merge_check"), subtitle,
                   actions: [button(t("cancel"), { onclick: () => dialog.close(null) })] };
    dialog.show({ ...step, body: loadingBlock() });
    try {
      const groups = await loadTargets();
      dialog.show({ ...step, body: checkPicker(groups, pick) });
    } catch {
      dialog.show({ ...step, body: h("p", { class: "dlg-message", role: "alert" }, t("needs_connection")) });
    }
  }

  async function pick(option) {
    dialog.show({ step: "target", title: t("merge_check"), subtitle, body: loadingBlock(), actions: [] });
    try {
      const other = await loadCheck(option.id);
      if (other.status !== "open") throw new Error("closed");
      showConfirm(other, option.title);
    } catch {
      showTargets();
    }
  }

  function showConfirm(other, otherTitle) {
    const lines = other.lines.filter((l) => l.status !== "void");
    const exact = followsLines(into) && followsLines(other);
    const guests = into.guest_count + other.guest_count;
    const message = h("p", { class: "dlg-message", role: "alert" });
    const confirm = h("button", { type: "button", class: "button button-primary button-lg", dataset: { confirm: "" } },
      icon("merge", 22), h("span", {}, t("merge")));
    const otherLabel = `${otherTitle} · ${t("check_n", { id: other.id })}`;
    dialog.show({
      step: "confirm", title: t("merge_title", { other: otherTitle, into: intoTitle }), subtitle: "",
      body: [
        h("div", { class: "parties" },
          party({ kind: "from", caption: t("moving_from"), title: otherTitle,
                  detail: `${t("check_n", { id: other.id })} · ${t("guests_n", { count: other.guest_count })}`,
                  now: other.totals.total }),
          h("span", { class: "party-arrow", "aria-hidden": "true" }, icon("arrow", 26)),
          party({ kind: "to", caption: t("moving_to"), title: intoTitle,
                  detail: `${t("check_n", { id: into.id })} · ${t("guests_n", { count: into.guest_count })}`,
                  now: into.totals.total })),
        h("div", { class: "merge-result", dataset: { mergeResult: "" } },
          h("span", { class: "merge-result-icon" }, icon("merge", 22)),
          h("span", { class: "merge-result-text" },
            h("span", { class: "merge-result-label" }, t("after_merge")),
            h("span", { class: "merge-result-detail" }, `${intoTitle} · ${t("guests_n", { count: guests })}`)),
          exact ? h("span", { class: "merge-result-total" }, money(into.totals.total + other.totals.total)) : null),
        movingList(lines, courseName),
        h("p", { class: "dlg-note" }, icon("info", 20), h("span", {}, t("merge_closes", { label: otherLabel }))),
        message,
      ],
      actions: [backButton(showTargets), h("span", { class: "dlg-foot-spacer" }), confirm],
    });
    confirm.addEventListener("click", async () => {
      confirm.disabled = true;
      message.textContent = "";
      try {
        dialog.close((await submit(other, otherTitle)) ?? true);
      } catch (error) {
        if (error instanceof ApiError && (error.code === "stale_check" || error.status === 401)) {
          dialog.close(error);
          return;
        }
        message.textContent = error instanceof ApiError && !error.retryable ? error.message : t("needs_connection");
        // The other check's discount must come off first: merging again would be refused again.
        confirm.disabled = error instanceof ApiError && error.code === "discount_on_check";
      }
    });
  }

  showTargets();
  return dialog.result;
}

/**
 * Open checks grouped by table, floor by floor, then bar tabs and take-aways; one tap picks
 * one. groups: [{title, cards: [{key, title, badge | icon, state, note,
 * checks: [{id, title, label, detail, total}]}]}]
 */
export function checkPicker(groups, onPick) {
  const shown = groups.filter((group) => group.cards.length);
  if (!shown.length) {
    return h("div", { class: "pick-empty" }, icon("receipt", 32), h("p", {}, t("no_other_checks")));
  }
  return shown.map((group) => h("section", { class: "pick-floor" },
    h("h3", { class: "pick-floor-title" }, group.title),
    h("div", { class: "target-grid" }, group.cards.map((card) => h("div", {
      class: `target-card${card.state ? ` state-${card.state}` : " is-tab"}`, dataset: { targetCard: card.key },
    },
    h("div", { class: "target-card-head" },
      h("span", { class: "target-badge" }, card.badge ?? icon(card.icon, 20)),
      h("span", { class: "target-card-title" }, card.title),
      card.note ? h("span", { class: "target-card-note" }, card.note) : null),
    card.checks.map((option) => h("button", {
      type: "button", class: "target-check", dataset: { targetCheck: option.id },
      onclick: () => onPick(option),
    },
    h("span", { class: "target-check-text" },
      h("span", { class: "target-check-label" }, option.label),
      option.detail ? h("span", { class: "target-check-detail" }, option.detail) : null),
    h("span", { class: "target-check-total" }, money(option.total)),
    icon("chevron", 20))))))));
}

/** The total is the sum of the lines (no discount on the whole check, prices with tax): what a
 * move does to it can be shown before it is done. */
function followsLines(check) {
  if (!check || check.discount_bp || check.discount_amount) return false;
  const sum = check.lines.filter((l) => l.status !== "void").reduce((total, l) => total + l.total, 0);
  return sum === check.totals.total;
}

function lineBody(line, courseName) {
  const tags = [
    line.seat ? h("span", { class: "line-tag line-seat" }, t("seat_short", { n: line.seat })) : null,
    line.course_id ? h("span", { class: "line-tag line-course" }, courseName(line.course_id)) : null,
    line.comped ? h("span", { class: "line-tag is-comp" }, t("comped")) : null,
  ].filter(Boolean);
  return [
    h("span", { class: "line-qty" }, `${line.quantity}×`),
    h("span", { class: "line-main" },
      h("span", { class: "line-name" }, nameOf(line.names)),
      line.modifiers?.length ? h("span", { class: "line-mods" },
        line.modifiers.map((m) => nameOf(m.names)).join(", ")) : null,
      tags.length ? h("span", { class: "line-tags" }, tags) : null),
    h("span", { class: "line-price" }, money(line.total)),
  ];
}

function movingList(lines, courseName) {
  const sum = lines.reduce((total, l) => total + l.total, 0);
  return h("section", { class: "moving" },
    h("h3", { class: "moving-title" }, h("span", {}, t("what_moves")),
      h("span", { class: "moving-count" }, `${t("lines_n", { count: lines.length })} · ${money(sum)}`)),
    lines.length
      ? h("div", { class: "moving-list" }, lines.map((line) => h("div", { class: "moving-line", dataset: { movingLine: line.id } },
        lineBody(line, courseName))))
      : h("p", { class: "moving-empty" }, t("empty_check")));
}

function party({ kind, caption, title, detail, now, after = null, afterLabel = "" }) {
  return h("div", { class: `party party-${kind}`, dataset: { party: kind } },
    h("span", { class: "party-caption" }, caption),
    h("span", { class: "party-title" }, title),
    h("span", { class: "party-detail" }, detail),
    h("div", { class: "party-totals" },
      h("div", { class: "party-total" }, h("span", {}, t("total_now")),
        h("span", { class: "money", dataset: { now: "" } }, money(now))),
      after !== null ? h("div", { class: "party-total is-after" }, h("span", {}, afterLabel),
        h("span", { class: "money", dataset: { after: "" } }, money(after))) : null));
}

function backButton(onclick) {
  return h("button", { type: "button", class: "button button-secondary button-lg", dataset: { stepBack: "" }, onclick },
    icon("back", 22), h("span", {}, t("back")));
}

function loadingBlock() {
  return h("div", { class: "dlg-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }),
    h("span", {}, t("loading")));
}
