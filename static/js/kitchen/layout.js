// Cards of different heights packed without holes (a masonry grid): the board's grid has
// 4 px rows and each card spans as many as its height needs, kept right as cards change.
// Heights are read from the ResizeObserver's own measurements, after the browser's layout,
// so adding 500 cards costs one layout, not one each.
const ROW_PX = 4;

export class Packer {
  constructor(board) {
    this.board = board;
    this.gap = null;
    this.observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const box = entry.borderBoxSize?.[0];
        this.fit(entry.target, box ? box.blockSize : entry.target.getBoundingClientRect().height);
      }
    });
  }

  fit(card, height) {
    if (!card.isConnected) return;
    if (this.gap === null) this.gap = parseFloat(getComputedStyle(card).marginBottom) || 0;
    const span = Math.max(1, Math.ceil((height + this.gap) / ROW_PX));
    if (card.style.gridRowEnd !== `span ${span}`) card.style.gridRowEnd = `span ${span}`;
  }

  add(card) {
    this.observer.observe(card);  // its first measurement arrives after the next layout
  }

  remove(card) {
    this.observer.unobserve(card);
  }
}
