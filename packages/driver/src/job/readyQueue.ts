// Tasks ready to run, lowest plan index first (a binary min-heap): the plan's order is stage by
// stage, so earlier stages (and pipelining consumers right after their producers) go first.
export class ReadyQueue {
  private readonly heap: number[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(i: number): void {
    const h = this.heap;
    h.push(i);
    let k = h.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (h[parent] <= i) break;
      h[k] = h[parent];
      k = parent;
    }
    h[k] = i;
  }

  pop(): number | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && h[l + 1] < h[l] ? l + 1 : l;
        if (h[c] >= last) break;
        h[k] = h[c];
        k = c;
      }
      h[k] = last;
    }
    return top;
  }
}
