// How values compare, count and sum: the same functions run in the driver (merging, ordering)
// and, as source text, inside the generated per-partition kernel (kernel.ts embeds them with
// Function.prototype.toString), so each has no free variables and uses no imports.

/**
 * SQL comparison of a field value with another value: NaN when they cannot be compared (a null
 * on either side, a string that is no number against a number, objects that differ), so every
 * comparison with them is false. A numeric string compares with a number as a number.
 */
export function sqlCompare(a: unknown, b: unknown): number {
  if (a === null || a === undefined || b === null || b === undefined) return NaN;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === tb) {
    if (a === b) return 0;
    if (ta === 'object') return JSON.stringify(a) === JSON.stringify(b) ? 0 : NaN;
    return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : NaN;
  }
  if (ta === 'number' && tb === 'string') {
    const n = (b as string).trim() === '' ? NaN : Number(b);
    return (a as number) < n ? -1 : (a as number) > n ? 1 : (a as number) === n ? 0 : NaN;
  }
  if (ta === 'string' && tb === 'number') {
    const n = (a as string).trim() === '' ? NaN : Number(a);
    return n < (b as number) ? -1 : n > (b as number) ? 1 : n === (b as number) ? 0 : NaN;
  }
  return NaN;
}

/** A total order for sorting results: nulls first, then booleans, numbers, strings, objects. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  // The common cases first, without the ranking closure below.
  const ta = typeof a;
  if (ta === typeof b && (ta === 'number' || ta === 'string')) return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  const rank = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : typeof v === 'string' ? 3 : 4);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 4) {
    const sa = JSON.stringify(a);
    const sb = JSON.stringify(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** The value as text for CONTAINS, LIKE and MATCHES (null stays null: those predicates are false). */
export function asText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return null;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** IN-list membership key: a number and a numeric string are the same member, as with `=`. */
export function inKey(v: unknown): string {
  if (typeof v === 'number') return 'n' + v;
  if (typeof v === 'string') {
    const n = v.trim() === '' ? NaN : Number(v);
    return n === n ? 'n' + n : 's' + v;
  }
  if (typeof v === 'boolean') return 'b' + v;
  return 'o' + JSON.stringify(v);
}

/** The number sum and avg add, or NaN for a value that is none (skipped, as SQL skips nulls). */
export function asNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/**
 * One CSV record's fields from a line (RFC 4180 quoting within the line): `"` opens a quoted
 * field where `""` is a quote. Empty fields are null; fields that read as numbers are numbers.
 */
export function splitCsvLine(line: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    let field: string;
    let quoted = false;
    if (line.charCodeAt(i) === 34) {
      quoted = true;
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          s += line.slice(i);
          i = n;
          break;
        }
        s += line.slice(i, q);
        if (line.charCodeAt(q + 1) === 34) {
          s += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = s;
      const c = line.indexOf(',', i);
      i = c < 0 ? n + 1 : c + 1;
    } else {
      const c = line.indexOf(',', i);
      field = c < 0 ? line.slice(i) : line.slice(i, c);
      i = c < 0 ? n + 1 : c + 1;
    }
    if (field.length > 0 && field.charCodeAt(field.length - 1) === 13 && i > n) field = field.slice(0, -1);
    if (!quoted && field === '') out.push(null);
    else if (!quoted && field.trim() !== '' && Number(field) === Number(field)) out.push(Number(field));
    else out.push(field);
    if (i > n) return out;
  }
}
