// Purchasing: suggestions from par levels (made into draft purchase orders, one per
// supplier), the purchase orders (sent, received in part or in full, cancelled, as a PDF)
// and the suppliers with what each sells.
import { ApiError, get, patch, post } from "../api.js";
import { venueFormat } from "../clock.js";
import { h, uuid } from "../dom.js";
import { exponentOf, formatMoney } from "../money.js";
import { fill, readStrings } from "../session.js";

const strings = readStrings();
const lang = document.documentElement.lang || "en";
const currency = strings.currency;
const exponent = exponentOf(currency);
const when = venueFormat({ dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
const message = document.querySelector("[data-message]");
const suggestionBody = document.querySelector("[data-suggestions] tbody");
const orderBody = document.querySelector("[data-orders] tbody");
const supplierBody = document.querySelector("[data-suppliers] tbody");
const supplierDialog = document.querySelector("[data-supplier-dialog]");
const supplierForm = document.querySelector("[data-supplier-form]");
const itemBody = document.querySelector("[data-supplier-items]");
const orderDialog = document.querySelector("[data-order-dialog]");
const orderForm = document.querySelector("[data-order-form]");
const orderLines = document.querySelector("[data-order-lines]");
const orderError = document.querySelector("[data-order-error]");
const makeOrders = document.querySelector("[data-make-orders]");
const UNITS = ["g", "kg", "ml", "l", "piece"];

let ingredients = new Map();
let suppliers = [];
let editing = null; // the supplier in the dialog (null: a new one)
let shownOrder = null;

const money = (minor) => formatMoney(minor, currency, exponent, lang);
const number = (value) => new Intl.NumberFormat(lang, { maximumFractionDigits: 3 }).format(value);
const nameOf = (names) => (names && (names[lang] || names.en || Object.values(names)[0])) || "";

function say(text, kind = "info") {
  message.hidden = !text;
  message.textContent = text || "";
  message.dataset.kind = kind;
}

function none(body, columns, text) {
  body.replaceChildren(h("tr", {}, h("td", { colspan: columns, class: "office-none" }, text)));
}

function showError(box, form, error) {
  for (const element of form.querySelectorAll("[data-invalid]")) element.removeAttribute("data-invalid");
  const field = error instanceof ApiError && error.field ? error.field.split(".")[0] : null;
  form.querySelector(`[data-field="${field}"]`)?.setAttribute("data-invalid", "");
  box.textContent = error instanceof ApiError ? error.message : strings.failed;
  box.hidden = false;
}

// --- suggestions -------------------------------------------------------------------------

function suggestionRows(group) {
  return group.lines.map((line, index) => h("tr", { dataset: { ingredient: line.ingredient_id } },
    index === 0
      ? h("th", { scope: "row", rowspan: group.lines.length },
        group.supplier || h("span", { class: "office-sub" }, strings.no_supplier))
      : null,
    h("td", {}, nameOf(line.names)),
    h("td", { class: "is-number" }, `${number(line.on_hand)} ${line.unit}`),
    h("td", { class: "is-number" }, `${number(line.on_order)} ${line.unit}`),
    h("td", { class: "is-number" }, `${number(line.par_level)} ${line.unit}`),
    h("td", { class: "is-number" }, h("span", { class: "office-strong" }, `${number(line.quantity)} ${line.order_unit}`),
      line.packs ? h("span", { class: "office-sub" }, fill(strings.packs, {
        packs: line.packs, size: number(line.pack_size), unit: line.pack_unit })) : null),
    h("td", { class: "is-number" }, money(line.total)),
    h("td", {})));
}

async function loadSuggestions() {
  const data = await get("/inventory/purchase-suggestions");
  if (!data.groups.length) none(suggestionBody, 8, strings.no_suggestions);
  else suggestionBody.replaceChildren(...data.groups.flatMap(suggestionRows));
  makeOrders.disabled = !data.groups.some((group) => group.supplier_id !== null);
}

makeOrders.addEventListener("click", async () => {
  makeOrders.disabled = true;
  try {
    const data = await post("/inventory/purchase-orders/from-suggestions", {});
    say(fill(strings.made, { count: data.orders.length }), "success");
    await Promise.all([loadSuggestions(), loadOrders()]);
  } catch (error) {
    say(error instanceof ApiError ? error.message : strings.failed, "error");
    makeOrders.disabled = false;
  }
});

// --- purchase orders ---------------------------------------------------------------------

function status(order) {
  return h("span", { class: "office-pill purchasing-status", dataset: { status: order.status } },
    strings[`status_${order.status}`]);
}

function orderRow(order) {
  return h("tr", { dataset: { order: order.id, status: order.status } },
    h("th", { scope: "row" }, `#${order.id}`),
    h("td", {}, order.supplier),
    h("td", {}, status(order)),
    h("td", {}, h("time", { datetime: order.created_at }, when.format(new Date(order.created_at)))),
    h("td", { class: "is-number" }, money(order.total)),
    h("td", { class: "office-buttons" }, h("button", {
      type: "button", class: "button button-secondary", onclick: () => openOrder(order.id),
    }, strings.open)));
}

async function loadOrders() {
  const data = await get("/inventory/purchase-orders");
  if (!data.orders.length) none(orderBody, 6, strings.no_orders);
  else orderBody.replaceChildren(...data.orders.map(orderRow));
}

function showOrder(order) {
  shownOrder = order;
  const open = ["sent", "partly_received"].includes(order.status);
  orderDialog.querySelector("[data-order-title]").textContent =
    fill(strings.order_title, { number: order.id, supplier: order.supplier });
  const pill = orderDialog.querySelector("[data-order-status]");
  pill.textContent = strings[`status_${order.status}`];
  pill.dataset.status = order.status;
  orderLines.replaceChildren(...order.lines.map((line) => h("tr", { dataset: { line: line.id } },
    h("th", { scope: "row" }, nameOf(line.names)),
    h("td", { class: "is-number" }, `${number(line.quantity)} ${line.unit}`),
    h("td", { class: "is-number" }, `${number(line.received)} ${line.unit}`),
    h("td", { class: "is-number" }, `${number(line.due)} ${line.unit}`),
    h("td", { class: "is-number" }, fill(strings.per_unit, { price: money(line.unit_cost), unit: line.unit })),
    h("td", {}, open && line.due > 0
      ? h("input", { class: "office-input", type: "number", min: "0", step: "any", inputmode: "decimal",
                     name: `receive-${line.id}`, "aria-label": nameOf(line.names), placeholder: number(line.due) })
      : "—"))));
  orderDialog.querySelector("[data-order-pdf]").href =
    `/api/v1/inventory/purchase-orders/${order.id}.pdf?lang=${lang}`;
  orderDialog.querySelector("[data-order-send]").hidden = order.status !== "draft";
  orderDialog.querySelector("[data-order-cancel]").hidden = !["draft", "sent", "partly_received"].includes(order.status);
  orderDialog.querySelector("[data-order-receive]").hidden = !open;
  orderError.hidden = true;
}

async function openOrder(id) {
  try {
    showOrder(await get(`/inventory/purchase-orders/${id}`));
    if (!orderDialog.open) orderDialog.showModal();
  } catch (error) {
    say(error instanceof ApiError ? error.message : strings.failed, "error");
  }
}

async function orderAction(action, body) {
  try {
    showOrder(await post(`/inventory/purchase-orders/${shownOrder.id}/${action}`, body));
    await Promise.all([loadOrders(), loadSuggestions()]);
    return true;
  } catch (error) {
    showError(orderError, orderForm, error);
    return false;
  }
}

orderDialog.querySelector("[data-print]").addEventListener("click", async () => {
  try {
    await post(`/inventory/purchase-orders/${shownOrder.id}/print`, {
      printer_id: Number(orderDialog.querySelector("[data-printer]").value), language: lang });
    orderError.hidden = true;
    say(strings.printing, "success");
  } catch (error) {
    showError(orderError, orderForm, error);
  }
});

async function loadPrinters() {
  try {
    const printers = await get("/printers");
    const select = orderDialog.querySelector("[data-printer]");
    select.replaceChildren(...printers.map((printer) => h("option", { value: printer.id }, printer.name)));
    orderDialog.querySelector("[data-order-print]").hidden = !printers.length;
  } catch {
    // without the devices permission there is no printer to choose: the PDF remains
  }
}

orderDialog.querySelector("[data-order-send]").addEventListener("click", () => orderAction("send", {}));
orderDialog.querySelector("[data-order-cancel]").addEventListener("click", () => orderAction("cancel", {}));
orderDialog.querySelector("[data-close-order]").addEventListener("click", () => orderDialog.close());
orderForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const lines = [];
  for (const input of orderLines.querySelectorAll("input")) {
    if (input.value.trim() === "") continue;
    lines.push({ line_id: Number(input.closest("tr").dataset.line), quantity: Number(input.value) });
  }
  if (!lines.length) {
    orderError.textContent = strings.nothing_to_receive;
    orderError.hidden = false;
    return;
  }
  if (await orderAction("receipts", { client_id: uuid(), lines })) say(strings.received, "success");
});

// --- suppliers ---------------------------------------------------------------------------

function supplierRow(supplier) {
  return h("tr", { dataset: { supplier: supplier.id } },
    h("th", { scope: "row" }, supplier.name),
    h("td", {}, supplier.contact || ""),
    h("td", {}, supplier.email || ""),
    h("td", {}, supplier.phone || ""),
    h("td", {}, fill(strings.sells, { count: supplier.items.length })),
    h("td", { class: "office-buttons" }, h("button", {
      type: "button", class: "button button-secondary", onclick: () => editSupplier(supplier),
    }, strings.edit)));
}

async function loadSuppliers() {
  suppliers = await get("/inventory/suppliers");
  if (!suppliers.length) none(supplierBody, 6, strings.no_suppliers);
  else supplierBody.replaceChildren(...suppliers.map(supplierRow));
}

function itemRow(item = {}) {
  const select = h("select", { class: "office-input", name: "ingredient_id", "aria-label": "ingredient" },
    [...ingredients.values()].map((ingredient) => h("option", {
      value: ingredient.id, selected: ingredient.id === item.ingredient_id,
    }, nameOf(ingredient.names))));
  const unit = h("select", { class: "office-input", name: "pack_unit", "aria-label": "unit" },
    UNITS.map((name) => h("option", { value: name, selected: name === item.pack_unit }, name)));
  return h("tr", {},
    h("td", {}, select),
    h("td", {}, h("input", { class: "office-input", name: "pack_size", type: "number", min: "0", step: "any",
                             value: item.pack_size ?? "", "aria-label": "pack size" })),
    h("td", {}, unit),
    h("td", {}, h("input", { class: "office-input", name: "pack_price", type: "number", min: "0", step: "any",
                             value: item.pack_price == null ? "" : item.pack_price / 10 ** exponent,
                             "aria-label": "pack price" })),
    h("td", {}, h("button", { type: "button", class: "button button-secondary",
                              onclick: (event) => event.target.closest("tr").remove() }, strings.remove)));
}

function editSupplier(supplier) {
  editing = supplier;
  supplierForm.reset();
  supplierDialog.querySelector("[data-supplier-title]").textContent =
    supplier ? strings.edit_supplier : strings.new_supplier;
  for (const name of ["name", "contact", "email", "phone", "notes"]) {
    supplierForm.elements[name].value = supplier?.[name] || "";
  }
  itemBody.replaceChildren(...(supplier?.items || []).map(itemRow));
  supplierForm.querySelector("[data-form-error]").hidden = true;
  supplierDialog.showModal();
}

function supplierBodyOf() {
  const body = {};
  for (const name of ["name", "contact", "email", "phone", "notes"]) {
    const value = supplierForm.elements[name].value.trim();
    body[name] = value || (name === "name" ? "" : null);
  }
  body.items = [...itemBody.querySelectorAll("tr")].map((row) => {
    const size = row.querySelector('[name="pack_size"]').value;
    const price = row.querySelector('[name="pack_price"]').value;
    return {
      ingredient_id: Number(row.querySelector('[name="ingredient_id"]').value),
      pack_unit: row.querySelector('[name="pack_unit"]').value,
      pack_size: size === "" ? null : Number(size),
      pack_price: price === "" ? null : Math.round(Number(price) * 10 ** exponent),
    };
  });
  return body;
}

supplierDialog.querySelector("[data-add-item]").addEventListener("click", () => {
  const first = ingredients.values().next().value;
  itemBody.append(itemRow({ ingredient_id: first?.id, pack_unit: first?.unit }));
});
supplierDialog.querySelector("[data-cancel]").addEventListener("click", () => supplierDialog.close());
document.querySelector("[data-add-supplier]").addEventListener("click", () => editSupplier(null));
supplierForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = supplierBodyOf();
  try {
    if (editing) await patch(`/inventory/suppliers/${editing.id}`, body);
    else await post("/inventory/suppliers", body);
    supplierDialog.close();
    await Promise.all([loadSuppliers(), loadSuggestions()]);
  } catch (error) {
    showError(supplierForm.querySelector("[data-form-error]"), supplierForm, error);
  }
});

async function start() {
  try {
    const list = await get("/inventory/ingredients");
    ingredients = new Map(list.filter((i) => i.active).map((i) => [i.id, i]));
    await Promise.all([loadSuggestions(), loadOrders(), loadSuppliers(), loadPrinters()]);
  } catch (error) {
    say(error instanceof ApiError ? error.message : strings.failed, "error");
  }
}

start();
