// k-means over 2-D points: the points are parsed once and cached; every iteration is one flow
// action that assigns each point to its nearest centroid (the current centroids travel to the
// executors through `params`) and sums coordinates and counts per cluster; the driver divides.
// Stops when no centroid moves by 1e-6 or more, or after 20 iterations.
//   npx ts-node examples/kmeans.ts [points-file] [k] [partitions]
//   gleam run examples/kmeans.ts [points-file] [k] [partitions] [--master host:port]
// Input: one "x y" point per line (blank lines are skipped). The initial centroids are the
// first k points of the file. Output: the final centroids sorted by x, with their point counts,
// then the number of iterations.
import * as path from 'node:path';
import { Flow, PlannerModeError } from '@gleam/flow-dsl';

/** Inside UDFs, the values given with `{ params }` (UDFs cannot see driver variables). */
declare const params: { centroids: [number, number][] };

const input = process.argv[2] ?? path.join(__dirname, 'data', 'points.txt');
const k = Number(process.argv[3] ?? 3);
const partitions = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const MAX_ITERATIONS = 20;
const EPSILON = 1e-6;
const planOnly = ((v) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false')(process.env.GLEAM_PLAN);

async function main(): Promise<void> {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${process.argv[3]}`);
  const flow = new Flow('k-means');
  try {
    const points = flow
      .textFile(input, { partitions })
      .map((line: string) => {
        const f = line.trim().split(/\s+/);
        if (f[0] === '') return undefined;
        const x = Number(f[0]);
        const y = Number(f[1]);
        if (f.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`not an "x y" point: ${JSON.stringify(line)}`);
        return [x, y];
      })
      .cache();

    // The first action computes (and keeps) the cached points. Planner mode shows an iteration's
    // plan instead: actions there print their plan and reject, so it starts from made-up centroids.
    let centroids: [number, number][] = planOnly ? Array.from({ length: k }, () => [0, 0]) : await points.take(k);
    if (centroids.length < k) throw new Error(`k = ${k} but ${input} has only ${centroids.length} points`);

    let counts: number[] = new Array(k).fill(0);
    let iterations = 0;
    let moved = Infinity;
    while (iterations < MAX_ITERATIONS && moved >= EPSILON) {
      iterations++;
      // [cluster, sumX, sumY, count] per cluster that has points.
      const sums = await points
        .map(
          (x: number, y: number) => {
            const cs = params.centroids;
            let best = 0;
            let bestD = Infinity;
            for (let i = 0; i < cs.length; i++) {
              const dx = x - cs[i][0];
              const dy = y - cs[i][1];
              const d = dx * dx + dy * dy;
              if (d < bestD) {
                bestD = d;
                best = i;
              }
            }
            return [best, x, y, 1];
          },
          { params: { centroids } },
        )
        .reduceBy((a: number[], b: number[]) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]])
        .collect();
      // A cluster that lost all its points keeps its centroid.
      const next = centroids.map((c) => [c[0], c[1]] as [number, number]);
      counts = new Array(k).fill(0);
      for (const [i, sx, sy, n] of sums) {
        next[i] = [sx / n, sy / n];
        counts[i] = n;
      }
      moved = Math.max(...next.map((c, i) => Math.hypot(c[0] - centroids[i][0], c[1] - centroids[i][1])));
      centroids = next;
    }

    const order = centroids.map((c, i) => ({ c, n: counts[i] })).sort((a, b) => a.c[0] - b.c[0] || a.c[1] - b.c[1]);
    for (const { c, n } of order) process.stdout.write(`${c[0].toFixed(4)}\t${c[1].toFixed(4)}\t${n}\n`);
    process.stdout.write(`iterations\t${iterations}${moved < EPSILON ? '' : ' (not converged)'}\n`);
  } finally {
    await flow.close();
  }
}

main().catch((e) => {
  // Planner mode ends at the first action, once its plan is printed.
  if (e instanceof PlannerModeError) return;
  process.stderr.write(`kmeans: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
