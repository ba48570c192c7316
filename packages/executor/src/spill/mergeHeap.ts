// The binary min-heap of a k-way merge: one entry per source, the least on top.
export class MergeHeap<T> {
  constructor(private readonly items: T[], private readonly less: (a: T, b: T) => boolean) {
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  get top(): T {
    return this.items[0];
  }

  /** The top entry moved on to a later item: put it back in order. */
  fixTop(): void {
    this.siftDown(0);
  }

  /** The top entry's source is exhausted: drop it. */
  popTop(): void {
    const last = this.items.pop()!;
    if (this.items.length === 0) return;
    this.items[0] = last;
    this.siftDown(0);
  }

  private siftDown(i: number): void {
    const h = this.items;
    const n = h.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && this.less(h[r], h[l]) ? r : l;
      if (!this.less(h[m], h[i])) return;
      const t = h[m];
      h[m] = h[i];
      h[i] = t;
      i = m;
    }
  }
}
