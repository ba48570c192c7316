// csv and tsv sources: one partition per file, RFC 4180 quotes, errors naming file:line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { Flow } from '@gleam/flow-dsl';
import { EXECUTORS, partitionsOf, runAll, sorted, tempDir } from './helpers';

jest.setTimeout(30000);

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('csv')));
afterAll(() => cleanup());

const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};

// Gleam's CSV example (examples/csv): two files with the same header, and one with quotes.
const HEADER = 'id,state,county,value,construction\n';
beforeAll(() => {
  write('gleam/a1.csv', HEADER + '119736,FL,CLAY COUNTY,79520.76,Masonry\n448094,FL,CLAY COUNTY,1322376.3,Masonry\n206893,FL,CLAY COUNTY,190724.4,Wood\n');
  write('gleam/a2.csv', HEADER + '333743,FL,DUVAL COUNTY,79520.76,Wood\r\n172534,FL,CLAY COUNTY,254281.5,Wood\r\n');
  write(
    'gleam/b.csv',
    'id,state,county,value,construction\n' +
      '1,FL,"CLAY,COUNTY",10,"Masonry"\n' +
      "2,FL,'CLAY COUNTY',20,Wood\n" +
      '3,FL,"CLAY"" COUNTY",30,""\n' +
      '4,FL,"CLAY\nCOUNTY",40,\n',
  );
});

describe('csv', () => {
  test.each(EXECUTORS)('header: true over a glob of several files: each file skips its own header, partitions in file order (%i executors)', async (executors) => {
    const f = new Flow('csv files');
    const out = await runAll(f, {
      rows: f.csv(path.join(dir, 'gleam', 'a*.csv'), { header: true }),
      parts: partitionsOf(f.csv(path.join(dir, 'gleam', 'a*.csv'), { header: true }).map((id: string) => id)),
    }, { executors });
    expect(out.rows).toEqual([
      ['119736', 'FL', 'CLAY COUNTY', '79520.76', 'Masonry'],
      ['448094', 'FL', 'CLAY COUNTY', '1322376.3', 'Masonry'],
      ['206893', 'FL', 'CLAY COUNTY', '190724.4', 'Wood'],
      ['333743', 'FL', 'DUVAL COUNTY', '79520.76', 'Wood'],
      ['172534', 'FL', 'CLAY COUNTY', '254281.5', 'Wood'],
    ]);
    // one partition per file, whatever the executor count
    expect(out.parts).toEqual([[[['119736'], ['448094'], ['206893']]], [[['333743'], ['172534']]]]);
  });

  test('collect({ executors: 2 }) over several files, with and without header', async () => {
    write('many/p1.csv', 'k,v\nx,1\ny,2\n');
    write('many/p2.csv', 'k,v\nz,3');
    write('many/p3.csv', 'k,v\n');
    expect(await new Flow('with header').csv(path.join(dir, 'many', '*.csv'), { header: true }).collect({ executors: 2 })).toEqual([['x', '1'], ['y', '2'], ['z', '3']]);
    expect(await new Flow('no header').csv(path.join(dir, 'many')).collect({ executors: 2 })).toEqual([
      ['k', 'v'], ['x', '1'], ['y', '2'], ['k', 'v'], ['z', '3'], ['k', 'v'],
    ]);
  });

  test("Gleam's quoted example: delimiters and newlines inside quotes, doubled quotes; single quotes are ordinary", async () => {
    const rows = await new Flow('quoted').csv(path.join(dir, 'gleam', 'b.csv'), { header: true }).select(1, 3, 5).collect({ executors: 2 });
    expect(rows).toEqual([
      ['1', 'CLAY,COUNTY', 'Masonry'],
      ['2', "'CLAY COUNTY'", 'Wood'],
      ['3', 'CLAY" COUNTY', ''],
      ['4', 'CLAY\nCOUNTY', ''],
    ]);
  });

  test('a flow that reduces and joins csv columns', async () => {
    const f = new Flow('csv join');
    const totals = f
      .csv(path.join(dir, 'gleam', 'a*.csv'), { header: true })
      .map((_id: string, _state: string, county: string, value: string) => [county, Number(value)])
      .reduceBy((a: number, b: number) => a + b);
    const counts = f
      .csv(path.join(dir, 'gleam', 'a*.csv'), { header: true })
      .map((_id: string, _s: string, county: string) => [county, 1])
      .reduceBy((a: number, b: number) => a + b);
    const out = await runAll(f, { joined: totals.join(counts) }, { executors: 2 });
    const rows = sorted(out.joined) as [string, number, number][];
    expect(rows.map(([c, , n]) => [c, n])).toEqual([['CLAY COUNTY', 4], ['DUVAL COUNTY', 1]]);
    expect(rows[0][1]).toBeCloseTo(79520.76 + 1322376.3 + 190724.4 + 254281.5, 6);
    expect(rows[1][1]).toBeCloseTo(79520.76, 6);
  });

  test('another delimiter; partitions is accepted but a file is still one partition', async () => {
    const file = write('semi.csv', 'a;"b;c"\n1;2\n');
    expect(await new Flow('semicolon').csv(file, { delimiter: ';' }).collect({ executors: 2 })).toEqual([['a', 'b;c'], ['1', '2']]);
    expect(await partitionsOf(new Flow('partitions').csv(file, { delimiter: ';', partitions: 4 })).collect({ executors: 2 })).toEqual([[[['a', 'b;c'], ['1', '2']]]]);
  });

  test('the plan shows a Csv step reading the whole file', async () => {
    let text = '';
    const planOutput = new Writable({
      write(c, _e, cb) {
        text += c.toString();
        cb();
      },
    });
    await expect(new Flow('csv plan').csv(path.join(dir, 'gleam', 'a1.csv')).collect({ plan: true, planOutput, executors: 2 })).rejects.toThrow('planner mode');
    expect(text).toMatch(/step: Csv/);
    expect(text).toMatch(/file: \S*a1\.csv\n/);
  });
});

describe('tsv', () => {
  test('tab-separated fields, quotes per RFC 4180, header per file', async () => {
    const a = write('t/a.tsv', 'name\tnote\nann\t"tab\there"\n');
    write('t/b.tsv', 'name\tnote\r\nbob\t"say ""hi"""\r\ncid\t\r\n');
    expect(await new Flow('tsv').tsv(path.join(dir, 't', '*.tsv'), { header: true }).collect({ executors: 2 })).toEqual([
      ['ann', 'tab\there'],
      ['bob', 'say "hi"'],
      ['cid', ''],
    ]);
    expect(await new Flow('tsv no header').tsv(a).collect({ executors: 1 })).toEqual([['name', 'note'], ['ann', 'tab\there']]);
  });
});

describe('errors reach the user', () => {
  test('a malformed row rejects the run naming the step, the file and the line', async () => {
    const bad = write('bad/rows.csv', 'id,name\n1,a\n2,"b\nb",x\n');
    await expect(new Flow('bad').csv(bad, { header: true }).collect({ executors: 2 })).rejects.toThrow(
      `step "csv#1": malformed CSV at ${bad}:3: expected 2 fields (as in the header), got 3`,
    );
    const quote = write('bad/quote.csv', 'a,b\nc,"d"e\n');
    await expect(new Flow('bad quote').csv(quote).map((x: string) => [x]).collect({ executors: 1 })).rejects.toThrow(
      `malformed CSV at ${quote}:2: unexpected character "e" after a closing quote`,
    );
    const open = write('bad/open.tsv', 'a\tb\n"never closed\n');
    await expect(new Flow('bad tsv').tsv(open).collect({ executors: 1 })).rejects.toThrow(`step "tsv#1": malformed CSV at ${open}:2: unterminated quoted field`);
  });

  test('a bad delimiter or header option names the step', () => {
    for (const delimiter of ['', '::', '"', '\n', '\r']) {
      expect(() => new Flow('bad delimiter').csv('x.csv', { delimiter })).toThrow(/step "csv#1": csv delimiter must be a single character/);
    }
    expect(() => new Flow('bad header').tsv('x.tsv', { header: 'yes' as never })).toThrow(/step "tsv#1": tsv option header must be true or false/);
  });

  test('a missing file or a glob matching nothing rejects, naming the input', async () => {
    await expect(new Flow('missing').csv(path.join(dir, 'nope.csv')).collect({ executors: 1 })).rejects.toThrow(/nope\.csv/);
    await expect(new Flow('no match').tsv(path.join(dir, 'zz*.tsv')).collect({ executors: 1 })).rejects.toThrow(/zz\*\.tsv/);
  });
});
