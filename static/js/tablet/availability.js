// 86 from the tablet: a role that may (MENU_86: a bartender, a manager) holds a finger on an
// item's tile and says it is out, how many portions are left, or that it is back on. The
// server tells every tablet (the `availability` event); this one shows the answer at once.
import { ApiError, post } from "../api.js";
import { askQuantity, choose } from "./dialogs.js";
import { availabilityOf } from "./item_dialog.js";
import { nameOf, t } from "./util.js";

const MOST_PORTIONS = 9999; // the server's limit (pos/menu/schemas.py, Availability)

function stateText(item) {
  const state = availabilityOf(item);
  if (state === "out") return t("avail_is_out");
  if (state === "counted") return t("left", { count: item.count_left });
  return t("avail_is_in");
}

/**
 * The sheet a long press opens: "86", "portions left", "back on" (and the line's choices,
 * which a long press opens for everyone else). Resolves with "choices", a change for the
 * server ({available, count_left}), or null.
 */
export async function askAvailability(item, { canAdd = true } = {}) {
  const state = availabilityOf(item);
  const options = [
    state !== "out" ? { value: "out", label: t("avail_86"), detail: t("avail_86_hint"), icon: "close",
                        kind: "danger" } : null,
    { value: "count", label: t("avail_count"), detail: t("avail_count_hint"), icon: "list" },
    state !== "in" ? { value: "back", label: t("avail_back"), detail: t("avail_back_hint"), icon: "check" } : null,
    state !== "out" && canAdd
      ? { value: "choices", label: t("avail_choices"), detail: t("avail_choices_hint"), icon: "plus" } : null,
  ].filter(Boolean);
  const name = nameOf(item.names);
  const picked = await choose({ title: name, subtitle: stateText(item), options, className: "dlg-availability" });
  if (picked === "out") return { available: false, count_left: null };
  if (picked === "back") return { available: true, count_left: null };
  if (picked === "choices") return "choices";
  if (picked !== "count") return null;
  const count = await askQuantity({ title: t("avail_count_title", { name }), subtitle: stateText(item),
                                    current: item.count_left || 1, max: MOST_PORTIONS });
  return count ? { available: true, count_left: count } : null;
}

/** What the change did, for a toast. */
export function changedText(item, { available, count_left: countLeft }) {
  const name = nameOf(item.names);
  if (!available) return t("avail_done_out", { name });
  if (countLeft !== null && countLeft !== undefined) return t("avail_done_count", { name, count: countLeft });
  return t("avail_done_back", { name });
}

/** POST it; resolves with the server's answer ({kind, id, available, count_left}). */
export function saveAvailability(item, change) {
  return post(`/menu/items/${item.id}/availability`, change);
}

/** A refusal or a lost network, in words for a toast. */
export function failureText(error) {
  return error instanceof ApiError ? error.message : t("needs_connection");
}
