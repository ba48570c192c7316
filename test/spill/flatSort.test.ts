// The sort that keeps rows encoded (keys/flatRows.ts) must order exactly as the typed order:
// strings by UTF-16 code unit (so '\uE000' after '😀', which UTF-8 byte order would reverse),
// stable for equal keys, descending too; frames with other key kinds fall back to decoded rows.
import { Flow } from '@gleam/flow-dsl';

jest.setTimeout(60000);

const WORDS = ['', 'a', 'ab', 'b', 'é', 'z', '\u00ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '😀', 'a\u0000', 'A', '~', ' '];

function rows(n: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) out.push([WORDS[(i * 7) % WORDS.length] + WORDS[(i * 3) % 5], i]);
  return out;
}

function expected(input: unknown[][], desc: boolean): unknown[][] {
  // Array.prototype.sort is stable; JS `<` on strings compares UTF-16 code units.
  return input.slice().sort((a, b) => {
    const x = a[0] as string;
    const y = b[0] as string;
    const c = x < y ? -1 : x > y ? 1 : 0;
    return desc ? -c : c;
  });
}

test.each([1, 2])('sorting by a string field orders by UTF-16 code unit, stably, ascending and descending (%i executors)', async (executors) => {
  const input = rows(3000);
  const f = new Flow('flat sort');
  const asc = await f.slices(input, 3).sort({ by: [1], partitions: 1 }).collect({ executors });
  expect(asc).toEqual(expected(input, false));
  const desc = await new Flow('flat sort desc').slices(input, 3).sort({ by: [[1, 'desc']], partitions: 1 }).collect({ executors });
  expect(desc).toEqual(expected(input, true));
});

test('keys that are not all strings fall back to the typed order of decoded rows', async () => {
  const input: unknown[][] = [...rows(500), [3, 'n'], [null, 'null'], ['zz', 'last string'], [2.5, 'n'], [[1], 'array']];
  const out = await new Flow('mixed').slices(input, 2).sort({ by: [1], partitions: 1 }).collect({ executors: 2 });
  expect(out.slice(0, 4)).toEqual([[null, 'null'], [2.5, 'n'], [3, 'n'], ...expected(input.filter((r) => typeof r[0] === 'string'), false).slice(0, 1)]);
  expect(out[out.length - 1]).toEqual([[1], 'array']);
  expect(out.length).toBe(input.length);
});

test('the sorted rows written as text and with a tiny budget keep every field', async () => {
  const input = rows(20000).map((r) => [r[0], `payload ${r[1]}`, r[1]]);
  const f = new Flow('flat sort spill');
  const out = await f.slices(input, 4).sort({ by: [2] }).collect({ executors: 2, memoryMB: 0.5 });
  expect(out).toEqual(input.slice().sort((a, b) => ((a[1] as string) < (b[1] as string) ? -1 : (a[1] as string) > (b[1] as string) ? 1 : 0)));
});

test('a sort spilled in flat runs and merged feeds a following map the same rows, descending too', async () => {
  const input = rows(20000).map((r) => [r[0], `payload ${r[1]}`, r[1]]);
  const byKey = (desc: boolean) => (a: unknown[], b: unknown[]) => {
    const x = a[0] as string;
    const y = b[0] as string;
    return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
  };
  for (const desc of [false, true]) {
    const out = await new Flow('flat merge then map')
      .slices(input, 4)
      .sort({ by: [[1, desc ? 'desc' : 'asc']], partitions: 1 })
      .map((k: string, p: string, i: number) => [k, p, i * 2])
      .collect({ executors: 2, memoryMB: 0.5 });
    expect(out).toEqual(input.slice().sort(byKey(desc)).map((r) => [r[0], r[1], (r[2] as number) * 2]));
  }
});
