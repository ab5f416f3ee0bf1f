// Building the screens' DOM without a framework, and client ids: shared by every screen.

/**
 * h("button", {class: "x", onclick}, "text", child) → an element.
 * Attributes: class, dataset ({…}), style (string or object), on* handlers, aria-*,
 * booleans (true → present, false/null → absent).
 */
export function h(tag, attributes = {}, ...children) {
  const element = tag === "svg" || tag === "use" || tag === "path"
    ? document.createElementNS("http://www.w3.org/2000/svg", tag)
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") Object.assign(element.dataset, value);
    else if (key === "style" && typeof value === "object") {
      for (const [name, v] of Object.entries(value)) {
        if (name.startsWith("--")) element.style.setProperty(name, v);
        else element.style[name] = v;
      }
    }
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), value);
    } else if (key === "text") element.textContent = value;
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An icon from the page's SVG sprite (<symbol id="{prefix}-name">). */
export function icon(name, size = 22, prefix = "i") {
  const svg = h("svg", { class: "icon", width: size, height: size, "aria-hidden": "true",
                         focusable: "false" });
  const use = h("use");
  use.setAttribute("href", `#${prefix}-${name}`);
  svg.append(use);
  return svg;
}

/**
 * A client id for an idempotent write. crypto.randomUUID() exists only in secure
 * contexts, and a venue's server is often plain http on the local network.
 */
export function uuid() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
