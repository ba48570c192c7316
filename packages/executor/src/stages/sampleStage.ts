import { ForwardingStage, type Row, type Stage } from './stage';

/**
 * Seeded sampling: without replacement each row is kept with probability `fraction`
 * (Bernoulli; with a lowerBound, when its draw is in [lowerBound, fraction)); with replacement each row is emitted k ~ Poisson(fraction) times. The generator
 * is seeded from (seed, partition), so a run, or a retry, samples the same rows.
 */
export class SampleStage extends ForwardingStage {
  private state: number;
  constructor(private readonly withReplacement: boolean, private readonly fraction: number, seed: number, partition: number, next: Stage, private readonly lowerBound = 0) {
    super(next);
    let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(partition + 1, 0x85ebca6b)) >>> 0;
    h ^= h >>> 16;
    this.state = h || 0x6d2b79f5;
  }
  // mulberry32: small, fast, good enough for sampling.
  private random(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  push(row: Row): void {
    if (!this.withReplacement) {
      const x = this.random();
      if (x < this.fraction && x >= this.lowerBound) this.next.push(row);
      return;
    }
    // Poisson(fraction) by inversion: fine for the small means sampling uses.
    const l = Math.exp(-this.fraction);
    let k = 0;
    let p = this.random();
    while (p > l) {
      k++;
      p *= this.random();
    }
    for (let i = 0; i < k; i++) this.next.push(row);
  }
}
