// The order screen on a phone: one column, the menu or the check, switched by a tab bar at
// the bottom. The check's tab counts what is not sent yet; Send stays above the tab bar in
// both, under the thumb. On a tablet the bar is hidden and nothing here changes the screen.
import { h, icon, t } from "./util.js";

const PHONE = window.matchMedia("(max-width: 600px)"); // as static/css/tablet-phone.css
const orderView = document.getElementById("order-view");
const sendCount = orderView.querySelector("[data-send-count]");
const categories = orderView.querySelector("[data-categories]");

const tabs = {
  menu: paneTab("menu", "list", t("phone_menu")),
  order: paneTab("order", "receipt", t("phone_order"), h("span", { class: "phone-tab-count", hidden: true })),
};
const bar = h("nav", { class: "phone-tabs", role: "tablist", "aria-label": t("phone_panes") },
  tabs.menu, tabs.order);

function paneTab(pane, iconName, label, ...extra) {
  return h("button", {
    type: "button", role: "tab", class: "phone-tab", dataset: { phonePane: pane },
    onclick: () => showPane(pane),
  }, icon(iconName, 22), h("span", { class: "phone-tab-label" }, label), ...extra);
}

/** Show the menu ("menu") or the check ("order"). */
function showPane(pane) {
  orderView.dataset.phonePane = pane;
  for (const [name, tab] of Object.entries(tabs)) tab.setAttribute("aria-selected", String(name === pane));
}

/** The check's tab says how many items Send would pass on, as the Send button does. */
function countUnsent() {
  const count = tabs.order.querySelector(".phone-tab-count");
  const before = Number(count.textContent) || 0;
  const now = sendCount.hidden ? 0 : Number(sendCount.textContent) || 0;
  count.textContent = String(now);
  count.hidden = now === 0;
  if (now > before && orderView.dataset.phonePane === "menu") {
    count.classList.remove("is-bumped");
    void count.offsetWidth; // restart the animation on every item tapped in
    count.classList.add("is-bumped");
  }
}

function fitScreen() {
  bar.hidden = !PHONE.matches;
  // On a phone the categories are one row that scrolls sideways; on a tablet, a column.
  categories?.setAttribute("aria-orientation", PHONE.matches ? "horizontal" : "vertical");
}

orderView.append(bar);
showPane("menu");
fitScreen();
PHONE.addEventListener("change", fitScreen);
new MutationObserver(countUnsent).observe(sendCount, {
  attributes: true, attributeFilter: ["hidden"], childList: true, characterData: true, subtree: true,
});
// Another check opened: start from its menu, where a new round begins.
window.addEventListener("hashchange", () => {
  if (/^#\/check\/\d+/.test(location.hash)) showPane("menu");
});
