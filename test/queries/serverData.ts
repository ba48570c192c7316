// Test data of the query server's tests: JSON-lines events with a nested key, and what a few
// query shapes must answer over them (computed here in plain JS, independently of the engine).

export interface Ev {
  user: { lang: string };
  kind: string;
  v: number;
}

const LANGS = ['de', 'en', 'fr'];
const KINDS = ['click', 'view', 'buy'];

/** `n` events of file number `f` (deterministic). */
export function events(f: number, n: number): Ev[] {
  const out: Ev[] = [];
  for (let i = 0; i < n; i++) out.push({ user: { lang: LANGS[(i + f) % 3] }, kind: KINDS[(i * 7 + f) % 3], v: (i * 13 + f * 5) % 100 });
  return out;
}

export const lines = (evs: Ev[]): string[] => evs.map((e) => JSON.stringify(e));

export interface QueryCase {
  text: string;
  expected(evs: Ev[]): unknown[][];
}

function groups<K extends string>(evs: Ev[], key: (e: Ev) => K): Map<K, Ev[]> {
  const m = new Map<K, Ev[]>();
  for (const e of evs) m.set(key(e), [...(m.get(key(e)) ?? []), e]);
  return m;
}

const byFirst = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]));

/** Query number i of the 20-query test: four shapes, thresholds varied so that no two are the same. */
export function queryCase(i: number): QueryCase {
  switch (i % 4) {
    case 0:
      return {
        text: `SELECT count(*) AS n, sum(v) AS s WHERE v >= ${i}`,
        expected: (evs) => {
          const m = evs.filter((e) => e.v >= i);
          return [[m.length, m.reduce((s, e) => s + e.v, 0)]];
        },
      };
    case 1:
      return {
        text: `SELECT user.lang, count(*) AS n WHERE kind = 'click' AND v >= ${i} GROUP BY user.lang ORDER BY user.lang`,
        expected: (evs) => [...groups(evs.filter((e) => e.kind === 'click' && e.v >= i), (e) => e.user.lang)].map(([k, g]) => [k, g.length]).sort(byFirst),
      };
    case 2:
      return {
        text: `SELECT kind, max(v) AS m, min(v) AS lo WHERE v >= ${i} GROUP BY kind ORDER BY kind`,
        expected: (evs) => [...groups(evs.filter((e) => e.v >= i), (e) => e.kind)].map(([k, g]) => [k, Math.max(...g.map((e) => e.v)), Math.min(...g.map((e) => e.v))]).sort(byFirst),
      };
    default:
      // The same WHERE as shape 1 with another grouping: shares the scan and the filter.
      return {
        text: `SELECT user.lang, kind, count(*) AS n WHERE kind = 'click' AND v >= ${i - 2} GROUP BY user.lang, kind ORDER BY user.lang`,
        expected: (evs) => [...groups(evs.filter((e) => e.kind === 'click' && e.v >= i - 2), (e) => e.user.lang)].map(([k, g]) => [k, 'click', g.length]).sort(byFirst),
      };
  }
}
