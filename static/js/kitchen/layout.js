// Cards of different heights packed without holes (a masonry grid): the board's grid has
// 4 px rows and each card spans as many as its height needs, kept right as cards change.
const ROW_PX = 4;

export class Packer {
  constructor(board) {
    this.board = board;
    this.observer = new ResizeObserver((entries) => {
      for (const entry of entries) this.fit(entry.target);
    });
  }

  fit(card) {
    if (!card.isConnected) return;
    const gap = parseFloat(getComputedStyle(card).marginBottom) || 0;
    const height = card.getBoundingClientRect().height;
    const span = Math.max(1, Math.ceil((height + gap) / ROW_PX));
    if (card.style.gridRowEnd !== `span ${span}`) card.style.gridRowEnd = `span ${span}`;
  }

  add(card) {
    this.fit(card);
    this.observer.observe(card);
  }

  remove(card) {
    this.observer.unobserve(card);
  }
}
