// What the waiter has tapped but the kitchen has not yet received, kept in localStorage
// per check as each line is tapped: a reload, a crash or a flat battery loses nothing.
//
// A draft: {check_id, label, lines: [line], pending: null | {client_id, body, lines, …}}
//   line: {key, client_id, item_id, names, unit_price, quantity, modifier_ids,
//          modifiers: [{id, names, price_delta}], seat, course_id, note, error}
//   pending: one tap of Send, stored with its client id *before* the request goes out
//   and sent again, byte for byte, until the server has answered it.

// Drafts belong to the waiter who tapped them: another waiter signing in on this tablet
// sees none of them, and they are there again when their owner comes back.
const ROOT = "masa.tablet.draft.";
let PREFIX = ROOT;
let storageBroken = false;
let onStorageError = () => {};

export function whenStorageFails(handler) {
  onStorageError = handler;
}

/** Whose drafts this page reads and writes; drafts kept before owners existed become theirs. */
export function setOwner(staffId) {
  PREFIX = `${ROOT}${staffId}.`;
  try {
    const legacy = [];
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i);
      if (/^masa\.tablet\.draft\.\d+$/.test(name)) legacy.push(name);
    }
    for (const name of legacy) {
      localStorage.setItem(PREFIX + name.slice(ROOT.length), localStorage.getItem(name));
      localStorage.removeItem(name);
    }
  } catch { /* storage unavailable: nothing kept anyway */ }
}

function key(checkId) {
  return PREFIX + checkId;
}

export function load(checkId) {
  try {
    const text = localStorage.getItem(key(checkId));
    if (text) return JSON.parse(text);
  } catch { /* a broken entry reads as empty */ }
  return { check_id: Number(checkId), label: "", lines: [], pending: null };
}

export function save(draft) {
  try {
    if (!draft.lines.length && !draft.pending) localStorage.removeItem(key(draft.check_id));
    else localStorage.setItem(key(draft.check_id), JSON.stringify(draft));
    storageBroken = false;
  } catch (error) {
    if (!storageBroken) onStorageError(error);
    storageBroken = true;
  }
  return draft;
}

/** Change a check's draft in one read–modify–write. */
export function update(checkId, change) {
  const draft = load(checkId);
  change(draft);
  return save(draft);
}

export function remove(checkId) {
  try {
    localStorage.removeItem(key(checkId));
  } catch { /* nothing kept anyway */ }
}

/** Check ids with lines tapped but not yet sent (or waiting to be). */
export function unsentCheckIds() {
  return new Set(all().filter((d) => d.lines.length || d.pending).map((d) => Number(d.check_id)));
}

export function all() {
  const drafts = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const name = localStorage.key(i);
      if (name?.startsWith(PREFIX)) drafts.push(load(name.slice(PREFIX.length)));
    }
  } catch { /* storage unavailable: nothing kept */ }
  return drafts;
}

export function withPending() {
  return all().filter((draft) => draft.pending);
}

/** The request a draft line becomes in POST /checks/{id}/send. */
export function lineRequest(line) {
  return {
    item_id: line.item_id,
    quantity: line.quantity,
    modifier_ids: line.modifier_ids,
    seat: line.seat ?? null,
    course_id: line.course_id ?? null,
    note: line.note || null,
    client_id: line.client_id,
  };
}

/** The menu's price of one draft line, in minor units: shown on the line until the server's
 * quote prices it; never added up into a total (the total is the server's quote). */
export function lineTotal(line) {
  const modifiers = (line.modifiers || []).reduce((sum, m) => sum + (m.price_delta || 0), 0);
  return (line.unit_price + modifiers) * line.quantity;
}

/** The draft line a plain tap on `item` adds one to (the last line, the same item with no
 * choice, note, course or error, for the same seat), or null: a new line. */
export function mergeTarget(draft, item, seat) {
  const last = draft.lines.at(-1);
  return last && last.item_id === item.id && !last.modifier_ids.length && !last.note
    && last.seat === seat && last.course_id === null && !last.error ? last : null;
}

/** One line now asks for `quantity` (what is left), and is no longer marked refused. */
export function setQuantity(checkId, key, quantity) {
  return update(checkId, (draft) => {
    const line = draft.lines.find((l) => l.key === key);
    if (line) Object.assign(line, { quantity, error: null });
  });
}
