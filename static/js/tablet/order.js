// The order screen: the menu on one side, the check on the other. New lines are the
// waiter's until Send (kept in the draft as they are tapped); sent lines are the server's,
// grouped by course, with fire, recall and rush, and void, comp and discount per line.
import { MAX_QUANTITY, choose } from "./dialogs.js";
import * as drafts from "./drafts.js";
import { askAvailability, changedText, failureText, saveAvailability } from "./availability.js";
import { allergenText, availabilityOf, choicesLabel, choicesMark, confirmLine, itemDialog } from "./item_dialog.js";
import { clock, h, icon, money, nameOf, onLongPress, t, uuid, venue } from "./util.js";

export class OrderView {
  /**
   * ctx: {menu, outbox, quoter, can, locked() (the business day is closed), onSend(),
   *       onCourse(courseId, action), onLineAction(line), onRepeat(), toast(text, kind)}
   */
  constructor(root, ctx) {
    this.root = root;
    this.ctx = ctx;
    this.check = null;
    this.categoryId = null;
    this.query = "";
    this.seat = 0;

    this.categoriesElement = root.querySelector("[data-categories]");
    this.itemsElement = root.querySelector("[data-items]");
    this.search = root.querySelector("[data-search]");
    this.searchClear = root.querySelector("[data-search-clear]");
    this.seatBar = root.querySelector("[data-seats]");
    this.linesElement = root.querySelector("[data-lines]");
    this.totalsElement = root.querySelector("[data-totals]");
    this.sendButton = root.querySelector("[data-send]");
    this.repeatButton = root.querySelector("[data-repeat]");
    this.titleElement = root.querySelector("[data-check-title]");
    this.detailElement = root.querySelector("[data-check-detail]");
    this.guestsButton = root.querySelector("[data-change-guests]");

    this.search.addEventListener("input", () => {
      this.query = this.search.value;
      this.searchClear.hidden = !this.query;
      this.renderItems();
    });
    this.search.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      const results = this.ctx.menu.search(this.query);
      if (results.length === 1) this.tapItem(results[0]); // typed the number: ring it in
    });
    this.searchClear.addEventListener("click", () => this.clearSearch());
    // A long press asks for an item's choices, even those a tap does not ask for; a role
    // that may 86 (ctx.can.menu_86) gets "86 / portions left / back on" first.
    onLongPress(this.itemsElement, "[data-item-id]", (tile) => {
      const item = this.ctx.menu.items.get(Number(tile.dataset.itemId));
      if (this.ctx.can?.menu_86) this.changeAvailability(item);
      else this.tapItem(item, { withChoices: true });
    });
    this.itemsElement.addEventListener("click", (event) => {
      const tile = event.target.closest("[data-item-id]");
      if (tile && !tile.disabled) this.tapItem(this.ctx.menu.items.get(Number(tile.dataset.itemId)));
    });
    this.seatBar.addEventListener("click", (event) => {
      if (event.target.closest("[data-seat-more]")) {
        this.toggleSeatPicker();
        return;
      }
      const button = event.target.closest("[data-seat]");
      if (!button) return;
      this.chooseSeat(Number(button.dataset.seat));
    });
    // A tablet turned, a phone's pane shown: as many seats in the row as fit it now.
    let seatBarWidth = 0;
    new ResizeObserver(() => {
      if (this.seatBar.clientWidth === seatBarWidth || !this.check) return;
      seatBarWidth = this.seatBar.clientWidth;
      this.renderSeats();
    }).observe(this.seatBar);
    this.linesElement.addEventListener("click", (event) => this.tapLine(event));
    this.sendButton.addEventListener("click", () => this.ctx.onSend());
    this.repeatButton.addEventListener("click", () => this.ctx.onRepeat());
  }

  get menu() {
    return this.ctx.menu;
  }

  get draft() {
    return this.check ? drafts.load(this.check.id) : null;
  }

  get locked() {
    return Boolean(this.ctx.locked?.());
  }

  /** The lines on this tablet the check does not hold yet: tapped, and sent but unanswered. */
  unsentLines(draft = this.draft) {
    const onCheck = new Set(this.check.lines.map((l) => l.client_id).filter(Boolean));
    return [...draft.lines, ...(draft.pending?.lines || []).filter((l) => !onCheck.has(l.client_id))];
  }

  /** Another check is opened. */
  show(check) {
    const same = this.check?.id === check.id;
    this.check = check;
    if (!same) {
      this.seat = 0;
      this.clearSearch(false);
      this.categoryId ??= this.menu.categories[0]?.id ?? null;
    }
    this.renderAll();
  }

  /** The same check, newer (a response, or a reload after an event). */
  setCheck(check) {
    this.check = check;
    this.renderHeader();
    this.renderSeats();
    this.renderTicket();
  }

  clearSearch(render = true) {
    this.query = "";
    this.search.value = "";
    this.searchClear.hidden = true;
    if (render) this.renderItems();
  }

  renderAll() {
    this.renderHeader();
    this.renderCategories();
    this.renderItems();
    this.renderSeats();
    this.renderTicket();
  }

  // --- header ------------------------------------------------------------------------

  title() {
    const check = this.check;
    if (check.kind === "table") return t("table_n", { name: check.table });
    return check.name || t(`kind_${check.kind}`);
  }

  renderHeader() {
    const check = this.check;
    this.titleElement.textContent = this.title();
    this.detailElement.textContent = [
      check.kind === "table" ? null : t(`kind_${check.kind}`),
      t("check_n", { id: check.id }),
      check.server,
    ].filter(Boolean).join(" · ");
    this.guestsButton.querySelector("[data-guest-count]").textContent = String(check.guest_count);
    this.guestsButton.setAttribute("aria-label", t("guests_change", { count: check.guest_count }));
  }

  // --- menu ----------------------------------------------------------------------------

  renderCategories() {
    this.categoriesElement.replaceChildren(...this.menu.categories.map((category) => h("button", {
      type: "button", class: "category", role: "tab",
      "aria-selected": String(!this.query && category.id === this.categoryId),
      style: { "--cat": category.color },
      dataset: { categoryId: category.id },
      onclick: () => {
        this.categoryId = category.id;
        this.clearSearch(false);
        this.renderCategories();
        this.renderItems();
        this.itemsElement.scrollTop = 0;
      },
    }, h("span", { class: "category-name" }, nameOf(category.names)))));
  }

  renderItems() {
    const searching = this.query.trim() !== "";
    const items = searching ? this.menu.search(this.query) : this.menu.itemsOf(this.categoryId);
    this.categoriesElement.querySelectorAll("[data-category-id]").forEach((b) =>
      b.setAttribute("aria-selected", String(!searching && Number(b.dataset.categoryId) === this.categoryId)));
    if (!items.length) {
      this.itemsElement.replaceChildren(h("p", { class: "items-empty" }, icon("search", 28),
        h("span", {}, searching ? t("no_items_found") : t("no_items"))));
      return;
    }
    this.itemsElement.replaceChildren(...items.map((item) => this.itemTile(item)));
  }

  itemTile(item) {
    const category = this.menu.categoryById.get(item.category_id);
    const state = availabilityOf(item);
    const locked = this.locked;
    return h("button", {
      type: "button", class: `item-tile${state === "out" ? " is-out" : ""}${locked ? " is-locked" : ""}${item.image_url ? " has-image" : ""}`,
      // An 86'd tile stays pressable: a tap says why nothing is added, a long press brings it back.
      disabled: locked, "aria-disabled": state === "out" ? "true" : null, style: { "--cat": category?.color || "#64748b" },
      dataset: { itemId: item.id, number: item.number },
      "aria-label": [nameOf(item.names), money(item.price), state === "out" ? t("out") : choicesLabel(this.menu, item)]
        .filter(Boolean).join(", "),
    },
    h("span", { class: "item-top" },
      h("span", { class: "item-number" }, String(item.number)),
      // Its photo, small beside its number; decoration only (the label says what it is).
      item.image_url ? h("img", { class: "item-image", src: item.image_url, alt: "", loading: "lazy",
        decoding: "async", width: 28, height: 28, draggable: "false" }) : null,
      state === "out" ? h("span", { class: "badge badge-out", dataset: { badge: "out" } }, t("out")) : null,
      state === "counted" ? h("span", { class: "badge badge-left", dataset: { badge: "left" } },
        t("left", { count: item.count_left })) : null,
      state !== "out" ? choicesMark(this.menu, item) : null),
    h("span", { class: "item-name" }, nameOf(item.names)),
    h("span", { class: "item-bottom" },
      h("span", { class: "item-price" }, money(item.price)),
      item.allergens.length ? h("span", { class: "item-allergens", title: allergenText(item.allergens) },
        allergenText(item.allergens)) : null));
  }

  /** An `availability` event: redraw that tile (and the check's new lines). */
  availabilityChanged(kind) {
    if (!this.check) return;
    this.renderItems();
    if (kind) this.renderTicket();
  }

  /** A long press by a role that may 86: out, portions left, back on, or the line's choices. */
  async changeAvailability(item) {
    if (!item) return;
    const change = await askAvailability(item, { canAdd: Boolean(this.check) && !this.locked });
    if (change === "choices") return this.tapItem(item, { withChoices: true });
    if (!change) return;
    try {
      const answer = await saveAvailability(item, change);
      this.menu.setAvailability(answer); // the event tells the other tablets (and this one again)
      this.availabilityChanged("item");
      this.ctx.toast(changedText(item, answer), "success");
    } catch (error) {
      this.ctx.toast(failureText(error), "error");
    }
  }

  async tapItem(item, { withChoices = false } = {}) {
    if (!item || !this.check) return;
    if (this.locked) {
      this.ctx.toast(t("day_closed"), "warning");
      return;
    }
    if (this.menu.outOf(item.id).length) {
      const name = nameOf(item.names);
      this.ctx.toast(this.ctx.can?.menu_86 ? t("item_out_hold", { name }) : t("item_out", { name }), "error");
      return;
    }
    if (withChoices || this.menu.choicesOf(item) === "required") { // optional choices: a long press
      const fields = await itemDialog({ menu: this.menu, item, seats: this.check.guest_count, seat: this.seat });
      if (fields) this.addLine(item, fields);
      return;
    }
    const into = drafts.mergeTarget(this.draft, item, this.seat);
    const quantity = (into?.quantity ?? 0) + 1;
    if (quantity > MAX_QUANTITY) return this.ctx.toast(t("quantity_at_most", { max: MAX_QUANTITY }), "warning");
    if (!(await confirmLine({ name: nameOf(item.names), quantity, amount: item.price * quantity }))) return;
    this.addLine(item, { quantity: 1, modifier_ids: [], modifiers: [], seat: this.seat, course_id: null, note: null },
                 { merge: true });
  }

  addLine(item, fields, { merge = false } = {}) {
    let changedKey = null;
    drafts.update(this.check.id, (draft) => {
      draft.label = this.title();
      const last = draft.lines.at(-1);
      if (merge && last && last.item_id === item.id && !last.modifier_ids.length && !last.note
          && last.seat === fields.seat && last.course_id === null && !last.error) {
        last.quantity = Math.min(99, last.quantity + 1); // a second tap: two of them
        changedKey = last.key;
        return;
      }
      const line = { key: uuid(), client_id: uuid(), item_id: item.id, names: item.names,
                     unit_price: item.price, error: null, ...fields };
      draft.lines.push(line);
      changedKey = line.key;
    });
    this.renderTicket(changedKey);
  }

  async editLine(key) {
    const line = this.draft.lines.find((l) => l.key === key);
    const item = line && this.menu.items.get(line.item_id);
    if (!item) {
      drafts.update(this.check.id, (d) => { d.lines = d.lines.filter((l) => l.key !== key); });
      this.renderTicket();
      return;
    }
    const fields = await itemDialog({ menu: this.menu, item, line, seats: this.check.guest_count, seat: this.seat });
    if (!fields) return;
    drafts.update(this.check.id, (draft) => {
      if (fields.remove) draft.lines = draft.lines.filter((l) => l.key !== key);
      else {
        const target = draft.lines.find((l) => l.key === key);
        if (target) Object.assign(target, fields, { unit_price: item.price, names: item.names, error: null });
      }
    });
    this.renderTicket(fields.remove ? null : key);
  }

  // --- seats ---------------------------------------------------------------------------

  /**
   * "Shared" and a chip per guest, in one row. When the guests do not fit (six on a
   * tablet's check, twelve on any screen), the row ends in a chip for the others ("5–12",
   * or the seat chosen among them) that opens every seat as a grid; every target stays a
   * thumb's width.
   */
  renderSeats() {
    const seats = this.check?.guest_count || 0;
    if (this.seat > seats) this.seat = 0;
    this.closeSeatPicker();
    const options = [0, ...Array.from({ length: seats }, (_, i) => i + 1)];
    const chips = h("div", { class: "seat-chips", role: "group", "aria-label": t("seat") },
      options.map((n) => this.seatChip(n)));
    this.seatBar.replaceChildren(h("span", { class: "seat-label" }, t("seat")), chips);
    if (!this.seatBar.clientWidth || chips.scrollWidth <= chips.clientWidth + 1) return;
    // Too many for the row: the last ones go behind a chip that opens them all.
    const more = h("button", { type: "button", class: "chip seat-chip seat-more", dataset: { seatMore: "" },
                               "aria-haspopup": "dialog", "aria-expanded": "false" });
    chips.append(more);
    let shown = seats;
    do {
      chips.querySelector(`[data-seat="${shown}"]`)?.remove();
      shown -= 1;
      this.labelMoreChip(more, shown + 1, seats);
    } while (shown > 1 && chips.scrollWidth > chips.clientWidth + 1);
  }

  seatChip(n, { inPicker = false } = {}) {
    return h("button", {
      type: "button", class: `chip seat-chip${inPicker ? " seat-cell" : ""}`,
      "aria-pressed": String(n === this.seat), dataset: { seat: n },
      "aria-label": n === 0 ? t("seat_table") : t("seat_n", { n }),
    }, n === 0 ? t("seat_table") : String(n));
  }

  /** "5–12", or the chosen seat when it is one of those (pressed, so the waiter sees it). */
  labelMoreChip(more, first, last) {
    const chosen = this.seat >= first;
    more.setAttribute("aria-pressed", String(chosen));
    more.setAttribute("aria-label", chosen ? `${t("seat_n", { n: this.seat })} · ${t("seats_all")}` : t("seats_all"));
    more.replaceChildren(h("span", {}, chosen ? String(this.seat) : first === last ? String(first) : `${first}–${last}`),
      icon("chevron", 16));
  }

  chooseSeat(n) {
    this.seat = n;
    this.renderSeats();
  }

  /** Every seat as a grid under the row, over the check's lines (closed by a choice,
   * a tap outside or Escape). */
  toggleSeatPicker() {
    if (this.seatPicker) {
      this.closeSeatPicker();
      return;
    }
    const seats = this.check?.guest_count || 0;
    const picker = h("div", { class: "seat-picker", role: "dialog", "aria-label": t("seats_all"), dataset: { seatPicker: "" } },
      [0, ...Array.from({ length: seats }, (_, i) => i + 1)].map((n) => this.seatChip(n, { inPicker: true })));
    picker.addEventListener("click", (event) => {
      const button = event.target.closest("[data-seat]");
      if (button) this.chooseSeat(Number(button.dataset.seat));
    });
    const away = (event) => {
      if (!picker.contains(event.target) && !event.target.closest("[data-seat-more]")) this.closeSeatPicker();
    };
    const escape = (event) => { if (event.key === "Escape") this.closeSeatPicker(); };
    document.addEventListener("pointerdown", away, true);
    document.addEventListener("keydown", escape);
    this.seatPicker = { element: picker, forget: () => {
      document.removeEventListener("pointerdown", away, true);
      document.removeEventListener("keydown", escape);
    } };
    this.seatBar.after(picker);
    picker.style.top = `${this.seatBar.offsetTop + this.seatBar.offsetHeight + 4}px`;
    this.seatBar.querySelector("[data-seat-more]")?.setAttribute("aria-expanded", "true");
  }

  closeSeatPicker() {
    if (!this.seatPicker) return;
    this.seatPicker.forget();
    this.seatPicker.element.remove();
    this.seatPicker = null;
    this.seatBar.querySelector("[data-seat-more]")?.setAttribute("aria-expanded", "false");
  }

  // --- the check ----------------------------------------------------------------------------

  tapLine(event) {
    const course = event.target.closest("[data-course-action]");
    if (course) {
      this.ctx.onCourse(Number(course.dataset.courseId), course.dataset.courseAction);
      return;
    }
    const row = event.target.closest("[data-line-key], [data-line-id]");
    if (!row) return;
    if (row.dataset.lineKey) this.editLine(row.dataset.lineKey);
    else {
      const line = this.check.lines.find((l) => l.id === Number(row.dataset.lineId));
      if (line) this.ctx.onLineAction(line);
    }
  }

  renderTicket(flashKey = null) {
    if (!this.check) return;
    const draft = this.draft;
    const scroll = this.linesElement;
    const atBottom = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 40;
    const sections = [];
    sections.push(...this.sentSections());
    // A send whose answer was lost may be on the check already: show its lines once.
    const onCheck = new Set(this.check.lines.map((l) => l.client_id).filter(Boolean));
    const waiting = draft.pending?.lines.filter((l) => !onCheck.has(l.client_id)) || [];
    this.ctx.quoter.want(this.check, this.unsentLines(draft), { locked: this.locked }); // the server prices them
    if (waiting.length) sections.push(this.pendingSection(waiting));
    if (draft.lines.length) sections.push(this.newSection(draft.lines));
    if (!sections.length) {
      sections.push(h("div", { class: "ticket-empty" }, icon("receipt", 40),
        h("p", { class: "ticket-empty-title" }, t("empty_check")),
        h("p", { class: "ticket-empty-text" }, t("empty_check_hint"))));
    }
    scroll.replaceChildren(...sections);
    if (flashKey) {
      const row = scroll.querySelector(`[data-line-key="${flashKey}"]`);
      row?.classList.add("is-flash");
      row?.scrollIntoView({ block: "nearest" });
    } else if (atBottom) {
      scroll.scrollTop = scroll.scrollHeight;
    }
    this.renderTotals(draft);
    this.renderActions(draft);
  }

  sentSections() {
    const lines = this.check.lines.filter((l) => l.status !== "new");
    const byCourse = new Map();
    for (const line of lines) {
      const key = line.course_id ?? 0;
      if (!byCourse.has(key)) byCourse.set(key, []);
      byCourse.get(key).push(line);
    }
    const courses = [...byCourse.keys()].sort((a, b) => this.menu.coursePosition(a) - this.menu.coursePosition(b));
    return courses.map((courseId) => {
      const courseLines = byCourse.get(courseId);
      const live = courseLines.filter((l) => l.status === "sent");
      const held = live.some((l) => l.held);
      const state = this.check.courses.find((c) => c.course_id === courseId);
      const immediate = this.menu.courseById.get(courseId)?.fires_immediately;
      const kitchen = held ? "held" : state?.kitchen_state || null;
      const badges = [];
      const actions = [];
      if (live.length && courseId) {
        badges.push(this.courseBadge(kitchen, state));
        if (held) {
          actions.push(this.courseButton(courseId, "fire", t("fire"), "flame", "primary"));
        } else {
          const out = kitchen === "ready" || kitchen === "picked_up";
          if (state?.rushed && !out) badges.push(h("span", { class: "course-badge is-rushed" }, icon("bolt", 14), t("rushed")));
          // Hold again only before a station has started it; Rush only until it is out.
          if (!immediate && state?.fired_at && (!kitchen || kitchen === "fired")) {
            actions.push(this.courseButton(courseId, "recall", t("recall"), "undo"));
          }
          if (!state?.rushed && !out) actions.push(this.courseButton(courseId, "rush", t("rush"), "bolt"));
        }
      }
      return h("section", { class: `course-group${held ? " is-held" : ""}`, dataset: { courseId, kitchenState: kitchen || "sent" } },
        h("header", { class: "course-head" },
          h("h3", { class: "course-name" }, courseId ? this.menu.courseName(courseId) : t("no_course")),
          badges),
        actions.length ? h("div", { class: "course-actions" }, actions) : null,
        courseLines.map((line) => this.sentLine(line)));
    });
  }

  /** Where the course is: held, fired (at what time), cooking, ready at the pass, picked up. */
  courseBadge(kitchen, state) {
    const [className, iconName, label] = {
      held: ["is-held", "pause", t("held")],
      cooking: ["is-cooking", "flame", t("cooking")],
      ready: ["is-ready", "bell", t("course_ready")],
      picked_up: ["is-picked-up", "check", t("picked_up")],
    }[kitchen] || ["is-fired", "flame", state?.fired_at ? t("fired_at", { time: clock(state.fired_at) }) : t("sent")];
    return h("span", { class: `course-badge ${className}`, dataset: { courseState: kitchen || "sent" } },
      icon(iconName, 14), label);
  }

  /** A `course` event: the kitchen moved one of this check's courses along. */
  courseChanged(data) {
    if (!this.check || data.check_id !== this.check.id) return;
    const known = this.check.courses.find((c) => c.course_id === data.course_id);
    const course = known
      ? { ...known, kitchen_state: data.kitchen_state, kitchen_state_at: data.kitchen_state_at }
      : { course_id: data.course_id, fired_at: data.fired_at, rushed: data.rushed,
          kitchen_state: data.kitchen_state, kitchen_state_at: data.kitchen_state_at };
    const others = this.check.courses.filter((c) => c.course_id !== data.course_id);
    this.check = { ...this.check, courses: [...others, course] };
    this.renderTicket();
  }

  courseButton(courseId, action, label, iconName, kind = "quiet") {
    return h("button", { type: "button", class: `course-button course-button-${kind}`,
                         dataset: { courseAction: action, courseId } },
             icon(iconName, 18), h("span", {}, label));
  }

  lineBody(line, { tags = [] } = {}) {
    const seat = line.seat;
    // Shared by the table is the usual case: only a guest's seat is worth a tag.
    const seatLabel = seat ? t("seat_short", { n: seat }) : null;
    const allTags = [
      seatLabel ? h("span", { class: "line-tag line-seat", dataset: { seatLabel: seat } }, seatLabel) : null,
      ...tags,
    ].filter(Boolean);
    return [
      h("span", { class: "line-qty" }, `${line.quantity}×`),
      h("span", { class: "line-main" },
        h("span", { class: "line-name" }, nameOf(line.names)),
        line.modifiers?.length ? h("span", { class: "line-mods" },
          line.modifiers.map((m) => nameOf(m.names)).join(", ")) : null,
        line.note ? h("span", { class: "line-note" }, icon("note", 14), h("span", {}, line.note)) : null,
        allTags.length ? h("span", { class: "line-tags" }, allTags) : null),
    ];
  }

  sentLine(line) {
    const voided = line.status === "void";
    const gross = (line.unit_price + line.modifiers_price) * line.quantity;
    const marks = [];
    if (voided) marks.push(h("span", { class: "line-tag is-void" }, t("voided_because", { reason: line.void_reason || "" })));
    if (line.comped) marks.push(h("span", { class: "line-tag is-comp" }, t("comped")));
    if (line.discount_bp) marks.push(h("span", { class: "line-tag is-discount" }, `−${percentText(line.discount_bp)} %`));
    if (line.discount_amount) marks.push(h("span", { class: "line-tag is-discount" }, `−${money(line.discount_amount)}`));
    return h("button", {
      type: "button", class: `line line-sent${voided ? " is-void" : ""}${line.held ? " is-held" : ""}`,
      dataset: { lineId: line.id, status: line.status }, disabled: voided,
    },
    this.lineBody(line, { tags: marks }),
    h("span", { class: "line-price" },
      line.total !== gross && !voided ? h("s", { class: "line-gross" }, money(gross)) : null,
      h("span", {}, money(voided ? gross : line.total))));
  }

  newLineRow(line, { pending = false } = {}) {
    const item = this.menu.items.get(line.item_id);
    const course = line.course_id ?? (item ? this.menu.defaultCourse(item) : null);
    const out = !pending && this.menu.outOf(line.item_id, line.modifier_ids, line.quantity).length > 0;
    const error = line.error || (out ? this.menu.shortageText(line) : null);
    const attrs = pending
      ? { class: "line line-pending", dataset: { pendingKey: line.key } }
      : { type: "button", class: `line line-new${error ? " has-error" : ""}`, dataset: { lineKey: line.key } };
    // The server's figure once quoted (a discount on the whole check takes its share);
    // until then the menu's price for the line.
    const quoted = this.quotedLine(line);
    const price = quoted ? quoted.total : drafts.lineTotal(line);
    const gross = quoted ? quoted.gross : price;
    return h(pending ? "div" : "button", attrs,
      this.lineBody(line, { tags: course
        ? [h("span", { class: "line-tag line-course", dataset: { courseLabel: course } }, this.menu.courseName(course))]
        : [] }),
      h("span", { class: "line-price" },
        price !== gross ? h("s", { class: "line-gross" }, money(gross)) : null,
        h("span", {}, money(price))),
      error ? h("span", { class: "line-error", role: "alert" }, icon("alert", 16), h("span", {}, error)) : null);
  }

  /** A quote came (or failed): the totals and the new lines' prices follow, in place. */
  quoteChanged() {
    if (!this.check) return;
    const draft = this.draft;
    const section = this.linesElement.querySelector("[data-new-lines]");
    if (section && draft.lines.length) section.replaceWith(this.newSection(draft.lines));
    this.renderTotals(draft);
  }

  /** This draft line as the last quote priced it, if the quote is for the draft as it is. */
  quotedLine(line) {
    const quoter = this.ctx.quoter;
    if (!quoter.fresh || quoter.checkId !== this.check?.id) return null;
    return quoter.result.lines.find((l) => l.client_id === line.client_id) || null;
  }

  newSection(lines) {
    return h("section", { class: "new-group", dataset: { newLines: "" } },
      h("header", { class: "new-head" },
        h("h3", { class: "new-title" }, icon("edit", 18), h("span", {}, t("new_lines")))),
      lines.map((line) => this.newLineRow(line)));
  }

  pendingSection(lines) {
    const failing = this.ctx.outbox.isFailing(this.check.id);
    return h("section", { class: `pending-group${failing ? " is-offline" : ""}`, dataset: { pending: "" } },
      h("header", { class: "new-head" },
        h("h3", { class: "new-title" }, icon(failing ? "cloud-off" : "send", 18),
          h("span", {}, failing ? t("waiting_to_send") : t("sending")))),
      lines.map((line) => this.newLineRow(line, { pending: true })));
  }

  /**
   * The check's figures, always the server's: the check's own totals, or — with lines not
   * sent yet — the quote for them (tax on top in a tax-exclusive venue, a check discount
   * shared). While the quote is on its way, offline or refused, the last figures the server
   * gave stay, marked as not updated: the tablet never adds prices up itself.
   */
  renderTotals(draft = this.draft) {
    if (!this.check) return;
    const check = this.check;
    const quoter = this.ctx.quoter;
    const unsent = this.unsentLines(draft);
    let state = "none";
    let totals = check.totals;
    if (unsent.length) {
      state = quoter.fresh ? "fresh" : ["offline", "refused", "locked"].includes(quoter.state) ? quoter.state : "pending";
      const last = quoter.checkId === check.id ? quoter.result : null;
      if (last && (state === "fresh" || last.version === check.version)) totals = last.totals;
    }
    const stale = state !== "none" && state !== "fresh";
    const rows = [];
    if (totals.comps) rows.push(["comps", t("comps"), -totals.comps]);
    if (totals.discounts) rows.push(["discounts", t("discounts"), -totals.discounts]);
    if (venue.tax_mode === "exclusive") {
      for (const tax of totals.tax || []) {
        rows.push([`tax-${tax.rate_bp}`, t("tax_rate", { rate: percentText(tax.rate_bp) }), tax.tax]);
      }
    }
    const line = (key, label, text, className = "") => h("div", {
      class: `money-line${className ? ` ${className}` : ""}`, dataset: key ? { total: key } : {},
    }, h("span", {}, label), h("span", { class: "money" }, text));
    this.totalsElement.dataset.quote = state;
    this.totalsElement.replaceChildren(...[
      rows.length ? line("subtotal", t("subtotal"), money(totals.subtotal)) : null,
      ...rows.map(([key, label, amount]) => line(key, label, money(amount))),
      unsent.length ? line("unsent", t("not_sent_yet"),
        state === "fresh" ? `+${money(totals.total - check.totals.total)}` : "…", "is-unsent") : null,
      line("total", t("total"), money(totals.total), `is-total${stale ? " is-stale" : ""}`),
      stale ? h("p", { class: "totals-note", role: "status", dataset: { totalsNote: state } },
        icon({ offline: "cloud-off", refused: "alert", locked: "lock" }[state] || "info", 14),
        h("span", {}, t(`total_${state}`))) : null,
    ].filter(Boolean));
  }

  renderActions(draft) {
    const count = draft.lines.reduce((n, l) => n + l.quantity, 0);
    const busy = Boolean(draft.pending);
    const failing = busy && this.ctx.outbox.isFailing(this.check.id);
    const locked = this.locked;
    this.sendButton.disabled = busy || locked || draft.lines.length === 0;
    this.sendButton.classList.toggle("is-locked", locked);
    this.sendButton.querySelector("[data-send-label]").textContent = busy ? t("sending") : t("send");
    const badge = this.sendButton.querySelector("[data-send-count]");
    badge.textContent = String(count);
    badge.hidden = busy || count === 0;
    this.sendButton.classList.toggle("is-offline", failing);
    this.repeatButton.disabled = locked || !this.lastRound().length;
  }

  /** The lines of the last send, still standing. */
  lastRound() {
    if (!this.check) return [];
    const sent = this.check.lines.filter((l) => l.status === "sent" && l.send_id);
    const last = Math.max(0, ...sent.map((l) => l.send_id));
    return sent.filter((l) => l.send_id === last);
  }

  /** A sent line's menu: void, comp, discount, order again. */
  lineMenu(line) {
    const options = [
      { value: "again", label: t("order_again"), icon: "repeat", disabled: this.locked },
      { value: "comp", label: t("comp"), icon: "gift", detail: this.ctx.can.comp ? null : t("needs_manager"), disabled: line.comped },
      { value: "discount", label: t("discount_line"), icon: "percent", detail: this.ctx.can.discount ? null : t("needs_manager") },
      { value: "void", label: t("void"), icon: "trash", kind: "danger", detail: this.ctx.can.void ? null : t("needs_manager") },
    ];
    const mods = line.modifiers.map((m) => nameOf(m.names)).join(" · ");
    return choose({ title: `${line.quantity}× ${nameOf(line.names)}`, subtitle: [mods, money(line.total)].filter(Boolean).join(" — "),
                    options, className: "dlg-line-menu" });
  }
}

/** 1900 basis points → "19", 550 → "5,5" (in the waiter's language). */
function percentText(bp) {
  return new Intl.NumberFormat(document.documentElement.lang || "ro", { maximumFractionDigits: 2 })
    .format(bp / 100);
}

/**
 * The check on screen after one of its sends was answered, or null when it must be
 * loaded again. The answer is what the send changed — its lines, the check's version,
 * totals and course states — merged here when it follows the check on screen directly
 * (version + 1). An answer older than the screen (a retry's replay) changes nothing if
 * the screen already holds its lines. A server that still answers with the whole check
 * ({send_id, tickets, check}) is taken as it is.
 */
export function mergeSent(check, result) {
  if (!result || !check) return null;
  if (result.check) return result.check.version >= check.version ? result.check : null;
  if (!Array.isArray(result.lines) || (result.check_id ?? check.id) !== check.id) return null;
  const known = new Set(check.lines.map((l) => l.id));
  if (result.version <= check.version) return result.lines.every((l) => known.has(l.id)) ? check : null;
  if (result.version !== check.version + 1) return null; // changed elsewhere as well: reload
  const sent = new Map(result.lines.map((l) => [l.id, l]));
  const lines = check.lines.map((l) => sent.get(l.id) || l);
  for (const line of result.lines) if (!known.has(line.id)) lines.push(line);
  return { ...check, lines, version: result.version, status: result.status ?? check.status,
           totals: result.totals ?? check.totals, courses: result.courses ?? check.courses };
}
