// The radix sort must give exactly the comparator sort's order: UTF-16 code units, stable.
import fc from 'fast-check';
import { rowComparator, sortRows } from '../src/keys/rowOrder';
import { sortedOrder, sortRowsByStringField } from '../src/keys/stringRadixSort';

type Row = unknown[];

const byComparator = (rows: Row[], field: number, desc: boolean): Row[] => [...rows].sort(rowComparator([{ field, desc }]));

// Few distinct code units so keys share prefixes and tie often; wide units (>= 255), surrogate
// halves and NUL exercise the comparison fallback and the end-of-key bucket.
const unit = fc.constantFrom('a', 'b', 'ab', '\u0000', '\u00fe', '\u00ff', '\u0100', '\uffff', '\ud83d', '\ude00', 'Z', ' ');
const key = fc.array(unit, { maxLength: 12 }).map((us) => us.join(''));
const prefixedKey = fc.tuple(fc.constantFrom('', 'shared-prefix/', 'shared-prefix/x'), key).map(([p, k]) => p + k);

describe('string radix sort', () => {
  test('equals the stable comparator sort, ascending and descending (property)', () => {
    fc.assert(
      fc.property(fc.array(prefixedKey, { maxLength: 600 }), fc.boolean(), (keys, desc) => {
        const rows: Row[] = keys.map((k, i) => [i, k]);
        const got = sortRowsByStringField(rows, 1, desc)!;
        const want = byComparator(rows, 1, desc);
        expect(got.map((r) => r[0])).toEqual(want.map((r) => r[0]));
      }),
      { numRuns: 300 },
    );
  });

  test('large inputs with long shared prefixes and many duplicates', () => {
    const keys: string[] = [];
    let s = 12345;
    for (let i = 0; i < 20000; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      keys.push(`user/${String(s % 997).padStart(6, '0')}/${s % 3 === 0 ? 'é' : 'e'}`);
    }
    for (const desc of [false, true]) {
      const rows: Row[] = keys.map((k, i) => [k, i]);
      expect(sortRowsByStringField(rows, 0, desc)!.map((r) => r[1])).toEqual(byComparator(rows, 0, desc).map((r) => r[1]));
    }
    expect(Array.from(sortedOrder(['b', 'a', 'b', ''], false))).toEqual([3, 1, 0, 2]);
  });

  test('a row whose field is not a string leaves the sort to the comparator, which orders mixed kinds', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 100; i++) rows.push([i % 10 === 0 ? i : `s${i % 7}`, i]);
    expect(sortRowsByStringField(rows, 0, false)).toBeUndefined();
    const sorted = sortRows([...rows], [{ field: 0, desc: false }]);
    expect(sorted.map((r) => r[1])).toEqual(byComparator(rows, 0, false).map((r) => r[1]));
    expect(typeof sorted[0][0]).toBe('number'); // numbers sort before strings
  });
});
