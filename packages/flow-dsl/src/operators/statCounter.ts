// Statistics in one pass per partition (Welford), merged in the driver (Chan et al.), like
// Spark's StatCounter; population and sample variants are named explicitly.
export interface StatCounter {
  count: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  /** Population variance (divides by n): Spark's variance(). */
  popVariance: number;
  /** Sample variance (divides by n - 1): Spark's sampleVariance(). */
  sampleVariance: number;
  popStdev: number;
  sampleStdev: number;
}

/** Partial [count, mean, m2, min, max, sum] of a partition's one-field numeric rows. */
export const STATS_PARTIAL = `(rows) => {
  let n = 0, mean = 0, m2 = 0, min = Infinity, max = -Infinity, sum = 0;
  for (const r of rows) {
    const v = r[0];
    if (typeof v !== 'number' && typeof v !== 'bigint') throw new TypeError('statistics need numeric one-field rows, got ' + JSON.stringify(r, (k, x) => typeof x === 'bigint' ? String(x) : x));
    const x = Number(v);
    n++; sum += x;
    const d = x - mean; mean += d / n; m2 += d * (x - mean);
    if (x < min) min = x; if (x > max) max = x;
  }
  return n > 0 ? [[n, mean, m2, min, max, sum]] : [];
}`;

export function mergeStats(partials: number[][]): StatCounter {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const [pn, pmean, pm2, pmin, pmax, psum] of partials) {
    if (pn === 0) continue;
    const d = pmean - mean;
    const total = n + pn;
    mean += (d * pn) / total;
    m2 += pm2 + (d * d * n * pn) / total;
    n = total;
    if (pmin < min) min = pmin;
    if (pmax > max) max = pmax;
    sum += psum;
  }
  if (n === 0) return { count: 0, sum: 0, mean: NaN, min: NaN, max: NaN, popVariance: NaN, sampleVariance: NaN, popStdev: NaN, sampleStdev: NaN };
  const popVariance = m2 / n;
  const sampleVariance = n > 1 ? m2 / (n - 1) : NaN;
  return { count: n, sum, mean, min, max, popVariance, sampleVariance, popStdev: Math.sqrt(popVariance), sampleStdev: Math.sqrt(sampleVariance) };
}

