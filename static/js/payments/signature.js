// The guest's signature for a room charge: drawn with a finger, a pen or the mouse on a
// canvas, sent as a PNG (a data: URL). Blank means the guest signs a paper voucher.
import { h, t } from "./util.js";

const WIDTH = 600;
const HEIGHT = 200;

export class SignaturePad {
  constructor(onChange = () => {}) {
    this.onChange = onChange;
    this.strokes = 0;
    this.last = null;
    this.element = h("canvas", { class: "signature-pad", width: WIDTH, height: HEIGHT,
                                 dataset: { signaturePad: "" }, role: "img", "aria-label": t("signature") });
    this.context = this.element.getContext("2d");
    this.context.lineWidth = 3;
    this.context.lineCap = this.context.lineJoin = "round";
    this.context.strokeStyle = "#111827";
    this.element.addEventListener("pointerdown", (event) => this.start(event));
    this.element.addEventListener("pointermove", (event) => this.draw(event));
    for (const name of ["pointerup", "pointercancel", "pointerleave"]) {
      this.element.addEventListener(name, () => this.end());
    }
  }

  point(event) {
    const box = this.element.getBoundingClientRect();
    return [(event.clientX - box.left) * (WIDTH / box.width), (event.clientY - box.top) * (HEIGHT / box.height)];
  }

  start(event) {
    event.preventDefault();
    this.element.setPointerCapture?.(event.pointerId);
    this.last = this.point(event);
    this.context.beginPath();
    this.context.arc(this.last[0], this.last[1], 1, 0, 2 * Math.PI);
    this.context.stroke();
  }

  draw(event) {
    if (!this.last) return;
    const next = this.point(event);
    this.context.beginPath();
    this.context.moveTo(...this.last);
    this.context.lineTo(...next);
    this.context.stroke();
    this.last = next;
  }

  end() {
    if (!this.last) return;
    this.last = null;
    this.strokes++;
    this.element.dataset.signed = "1";
    this.onChange();
  }

  clear() {
    this.context.clearRect(0, 0, WIDTH, HEIGHT);
    this.strokes = 0;
    delete this.element.dataset.signed;
    this.onChange();
  }

  /** The signature as a PNG data: URL, or null while nothing is drawn. */
  dataUrl() {
    return this.strokes ? this.element.toDataURL("image/png") : null;
  }
}
