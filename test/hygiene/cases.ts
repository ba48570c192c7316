// No silent wrong answer, no hang, no leak: cases run locally (local.test.ts) and on a master +
// 2 agents (cluster.test.ts), each asserting exact rows or an exact error message. Every case
// builds its own Flow, so step names (map#2) are the same everywhere.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Flow, type RunOptions } from '@gleam/flow-dsl';

export interface HygieneCase {
  name: string;
  /** Runs the case; `dir` is a fresh temporary directory of its own. */
  run: (opts: RunOptions, dir: string) => Promise<unknown>;
  /** The exact result… */
  expected?: unknown;
  /** …or the exact error message (a RegExp where a UDF stack follows). */
  error?: string | RegExp;
}

const flow = (name: string) => new Flow(name);
/** Field 2 values of a row set, as plain data: Set, Date and typed values by their tag and content. */
const tagged = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v instanceof Object && !Array.isArray(v) ? [Object.prototype.toString.call(v), v instanceof Date ? v.getTime() : [...(v as Iterable<unknown>)]] : v)));

const COUNTS = [['pear', 3], ['apple', 7], ['fig', 4], ['kiwi', 1], ['date', 9], ['lime', 2], ['plum', 8], ['banana', 5]];

export const cases: HygieneCase[] = [
  // ---- top(n, { by }) follows API.md: a plain field number means descending ----
  {
    name: "top(3, { by: [[2, 'desc']] }) is the 3 largest by field 2, largest first",
    run: (o) => flow('top desc').slices(COUNTS, 3).top(3, { by: [[2, 'desc']] }).collect(o),
    expected: [['date', 9], ['plum', 8], ['apple', 7]],
  },
  {
    name: 'top(3, { by: [2] }) is the same as desc',
    run: (o) => flow('top plain').slices(COUNTS, 3).top(3, { by: [2] }).collect(o),
    expected: [['date', 9], ['plum', 8], ['apple', 7]],
  },
  {
    name: "top(3, { by: [[2, 'asc']] }) is the 3 smallest, smallest first",
    run: (o) => flow('top asc').slices(COUNTS, 3).top(3, { by: [[2, 'asc']] }).collect(o),
    expected: [['kiwi', 1], ['lime', 2], ['pear', 3]],
  },
  {
    name: 'top(2) without by: field 1, largest first',
    run: (o) => flow('top default').slices(COUNTS, 3).top(2).collect(o),
    expected: [['plum', 8], ['pear', 3]],
  },
  {
    name: 'takeOrdered, min and max keep their meaning',
    run: async (o) => {
      const ds = flow('ordered').ints([5, -2, 11, 3, 7], 3);
      return [await ds.takeOrdered(2, o), await ds.takeOrdered(2, { by: [[1, 'desc']], ...o }), await ds.min(o), await ds.max(o)];
    },
    expected: [[[-2], [3]], [[11], [7]], -2, 11],
  },

  // ---- values rows cannot carry fail naming the step, the field and the row ----
  {
    name: 'a Map in a row',
    run: (o) => flow('map field').ints([1], 1).map((x: number) => [x, new Map([['a', x]])]).collect(o),
    error: 'step "map#2": row field 2 is a Map, which rows cannot carry (it would arrive as a plain object); convert it, e.g. Object.fromEntries(m)\n  row: [1,"<Map(1)>"]',
  },
  {
    name: 'a function deep in a row',
    run: (o) => flow('fn field').strings(['a'], 1).map((s: string) => [s, { list: [1, { area() { return 1; } }] }]).collect(o),
    error: 'step "map#2": row field 2.list[1].area is a function (area), which rows cannot carry (it would arrive as null); call it in the UDF and keep its result, or pass code as a string\n  row: ["a",{"list":[1,{"area":"<function area>"}]}]',
  },
  {
    name: 'a symbol in a row (flatMap)',
    run: (o) => flow('symbol field').strings(['a'], 1).flatMap((s: string) => [[s, Symbol('tag')]]).collect(o),
    error: 'step "flatMap#2": row field 2 is a symbol (Symbol(tag)), which rows cannot carry (msgpack has no symbols); use a string instead, e.g. its description\n  row: ["a","<Symbol(tag)>"]',
  },
  {
    name: 'a class instance in a row, named by the last step of the task group',
    run: (o) =>
      flow('class field')
        .ints([1], 1)
        .map((x: number) => {
          class Point {
            constructor(readonly x: number) {}
          }
          return [new Point(x)];
        })
        .filter(() => true)
        .collect(o),
    error: 'step "filter#3": row field 1 is an instance of class Point, which rows cannot carry (it would arrive as a plain object, without its prototype); convert it to a plain object or an array\n  row: [{"x":1}]',
  },
  {
    name: 'a circular value in a row, before a shuffle',
    run: (o) =>
      flow('circular field')
        .ints([1], 1)
        .map((x: number) => {
          const node: Record<string, unknown> = { x };
          node.next = { prev: node };
          return [x, node];
        })
        .groupBy()
        .collect(o),
    error: 'step "map#2": row field 2.next.prev refers back to field 2 (a circular value), which rows cannot carry (encoding it would never end); break the cycle, e.g. keep ids instead of references\n  row: [1,{"x":1,"next":{"prev":"<circular>"}}]',
  },
  {
    name: 'a Promise in a row written by saveAsTextFile (text output)',
    run: (o, dir) => flow('promise field').ints([1], 1).map((x: number) => [x, Promise.resolve(x)]).saveAsTextFile(path.join(dir, 'out')).run(o),
    error: 'step "map#2": row field 2 is a Promise, which rows cannot carry (it would arrive as {}); await it: use mapAsync / flatMapAsync for UDFs that return Promises\n  row: [1,"<Promise>"]',
  },
  {
    name: 'a Map in a driver source names the source step',
    run: (o) => flow('source map').parallelize([[1, 'a'], [2, new Map()]], 2).collect(o),
    error: 'step "parallelize#1": row field 2 is a Map, which rows cannot carry (it would arrive as a plain object); convert it, e.g. Object.fromEntries(m)\n  row: [2,"<Map(0)>"]',
  },
  {
    name: 'Date, Set and nested plain data travel as themselves',
    run: async (o) => tagged(await flow('carried').ints([1, 2], 2).map((x: number) => [x, new Set([x, 'x']), new Date(x * 1000)]).collect(o)),
    expected: [[1, ['[object Set]', [1, 'x']], ['[object Date]', 1000]], [2, ['[object Set]', [2, 'x']], ['[object Date]', 2000]]],
  },

  // ---- params are checked when the step is defined ----
  {
    name: 'a function in params fails at definition with its path',
    run: async () => flow('params fn').ints([1]).map((x: number) => x, { params: { centroids: [[0, 0], [1, 1], { f: (v: number) => v }] } }),
    error: 'step "map#2": params.centroids[2].f is a function (f), which params cannot carry (it would arrive as null); params carry data: put the code in the UDF, or pass its source as a string',
  },
  {
    name: 'a Map in reduceBy params, a class in mapValues params, a circular zero value',
    run: async () => {
      const messages: string[] = [];
      const f = flow('params kinds');
      const pairs = f.slices([['a', 1]]);
      for (const define of [
        () => pairs.reduceBy((a: number, b: number) => a + b, { params: { table: new Map() } }),
        () => pairs.mapValues((v: number) => v, { params: { at: new URL('http://x/') } }),
        () => {
          const zero: Record<string, unknown> = {};
          zero.self = zero;
          return pairs.aggregateByKey(zero, (a: unknown) => a, (a: unknown) => a);
        },
      ]) {
        try {
          define();
          messages.push('defined');
        } catch (e) {
          messages.push((e as Error).message);
        }
      }
      return messages;
    },
    expected: [
      'step "reduceBy#2": params.table is a Map, which params cannot carry (it would arrive as a plain object); convert it, e.g. Object.fromEntries(m)',
      'step "mapValues#2": params.at is an instance of class URL, which params cannot carry (it would arrive as a plain object, without its prototype); convert it to a plain object or an array',
      'step "aggregateByKey#2": zero.self refers back to zero (a circular value), which params cannot carry (encoding it would never end); break the cycle, e.g. keep ids instead of references',
    ],
  },

  // ---- async UDFs: sync steps refuse Promises; mapAsync / flatMapAsync run them ----
  {
    name: 'an async map UDF points to mapAsync',
    run: (o) => flow('async map').ints([1], 1).map(async (x: number) => [x]).collect(o),
    error: 'step "map#2": the UDF returned a Promise (is it an async function?); map needs the new row at once — use mapAsync(fn, { concurrency }) for UDFs that return Promises\n  row: [1]',
  },
  {
    name: 'an async filter UDF fails instead of keeping every row',
    run: (o) => flow('async filter').ints([1], 1).filter(async (x: number) => x > 5).collect(o),
    error: 'step "filter#2": the UDF returned a Promise (is it an async function?); filter needs true or false at once (a Promise is always truthy) — to filter on an async result use flatMapAsync and return [row] to keep it, [] to drop it\n  row: [1]',
  },
  {
    name: 'an async generator in flatMap points to flatMapAsync',
    run: (o) => flow('async flatMap').strings(['a'], 1).flatMap(async function* (s: string) { yield s; }).collect(o),
    error: 'step "flatMap#2": the UDF returned an async iterable (is it an async generator?); flatMap needs an iterable at once — use flatMapAsync(fn, { concurrency }) for UDFs that return Promises or async iterables\n  row: ["a"]',
  },
  {
    name: 'an async mapPartitions UDF fails',
    run: (o) => flow('async mapPartitions').ints([1], 1).mapPartitions(async (rows: Iterable<unknown[]>) => [...rows]).collect(o),
    error: 'step "mapPartitions#2": the UDF returned a Promise (is it an async function?); mapPartitions needs an iterable at once — for async work per row use mapAsync(fn, { concurrency }) or flatMapAsync',
  },
  {
    name: 'mapAsync keeps input order within partitions, drops undefined, makes rows as map does',
    run: (o) =>
      flow('mapAsync')
        .ints(Array.from({ length: 30 }, (_, i) => i), 3)
        .mapAsync(
          async (x: number) => {
            await new Promise((r) => setTimeout(r, (x * 7) % 11));
            return x % 5 === 0 ? undefined : x % 2 ? [x, 'odd'] : x * 10;
          },
          { concurrency: 4 },
        )
        .collect(o),
    expected: Array.from({ length: 30 }, (_, x) => x).filter((x) => x % 5 !== 0).map((x) => (x % 2 ? [x, 'odd'] : [x * 10])),
  },
  {
    name: 'mapAsync never has more than concurrency calls in flight in a task',
    run: async (o) => {
      const rows = await flow('mapAsync concurrency')
        .ints(Array.from({ length: 40 }, (_, i) => i), 1)
        .mapAsync(
          async (x: number) => {
            const g = globalThis as { inFlight?: number; most?: number };
            g.inFlight = (g.inFlight ?? 0) + 1;
            g.most = Math.max(g.most ?? 0, g.inFlight);
            await new Promise((r) => setTimeout(r, 3));
            g.inFlight--;
            return [x, g.most];
          },
          { concurrency: 3 },
        )
        .collect(o);
      return [rows.map((r) => r[0]), Math.max(...rows.map((r) => r[1] as number))];
    },
    expected: [Array.from({ length: 40 }, (_, i) => i), 3],
  },
  {
    name: 'flatMapAsync takes Promises of iterables and async generators, with params',
    run: (o) =>
      flow('flatMapAsync')
        .ints([1, 2, 3], 2)
        .flatMapAsync(async function* (x: number) {
          for (let i = 0; i < x; i++) yield [x, params.tag];
        }, { params: { tag: 't' }, concurrency: 2 })
        .collect(o),
    expected: [[1, 't'], [2, 't'], [2, 't'], [3, 't'], [3, 't'], [3, 't']],
  },
  {
    name: 'a rejected mapAsync call fails the step with the row',
    run: (o) =>
      flow('mapAsync rejects')
        .ints([1, 2, 3], 1)
        .mapAsync(async (x: number) => {
          if (x === 2) throw new RangeError('two is out of range');
          return x;
        })
        .collect(o),
    error: /^step "mapAsync#2": the UDF threw RangeError: two is out of range\n {2}row: \[2\]\n {2}UDF stack:\n/,
  },

  // ---- pipes are bounded ----
  {
    name: 'pipe timeoutMs fails the step naming the command and the bound',
    run: (o) => flow('pipe timeout').strings(['a'], 1).pipe('sleep 100000', { timeoutMs: 400 }).collect(o),
    error: "step \"pipe#2\" failed: command 'sleep 100000' ran longer than its timeoutMs (400 ms), and was killed",
  },
  {
    name: 'pipe idleTimeoutMs fails a command that stops reading and writing',
    run: (o) => flow('pipe idle').strings(['a', 'b'], 1).pipe('cat >/dev/null; sleep 100000', { idleTimeoutMs: 500 }).collect(o),
    error: "step \"pipe#2\" failed: command 'cat >/dev/null; sleep 100000' neither read input nor wrote output for 500 ms (idleTimeoutMs; the default is GLEAM_PIPE_IDLE_MS or 600000), and was killed",
  },
  {
    name: 'pipeAsArgs timeoutMs bounds each run',
    run: (o) => flow('pipeAsArgs timeout').strings(['0', '100'], 1).pipeAsArgs('sleep $1; echo done $1', { timeoutMs: 1000 }).collect(o),
    error: "step \"pipeAsArgs#2\" failed: command 'sleep '\\''100'\\''; echo done '\\''100'\\''' ran longer than its timeoutMs (1000 ms), and was killed",
  },

  // ---- file sources read regular files ----
  {
    name: 'textFile of a FIFO is refused at plan time',
    run: async (o, dir) => {
      execFileSync('mkfifo', [path.join(dir, 'fifo')]);
      return flow('fifo').textFile(path.join(dir, 'fifo')).collect(o);
    },
    error: /^step "textFile#1": \/.*\/fifo is a FIFO \(named pipe\); textFile reads regular files — use source\(\) to read a stream$/,
  },
  {
    name: 'csv of a socket found in an input directory is refused',
    run: async (o, dir) => {
      fs.writeFileSync(path.join(dir, 'a.csv'), 'x,1\n');
      const server = net.createServer().listen(path.join(dir, 'b.sock'));
      await new Promise((r) => server.once('listening', r));
      try {
        return await flow('socket').csv(dir).collect(o);
      } finally {
        server.close();
      }
    },
    error: /^step "csv#1": \/.*\/b\.sock is a socket; csv reads regular files — use source\(\) to read a stream$/,
  },
  {
    name: 'tsv of a character device is refused',
    run: (o) => flow('device').tsv('/dev/null').collect(o),
    error: 'step "tsv#1": /dev/null is a character device; tsv reads regular files — use source() to read a stream',
  },
  {
    name: 'a /proc file (stat size 0) is read whole as one partition',
    run: async (o) => [await flow('proc').textFile('/proc/filesystems').collect(o), fs.readFileSync('/proc/filesystems', 'utf8').split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').map((l) => [l])],
    expected: 'same',
  },

  // ---- saveAsTextFile ----
  {
    name: 'saveAsTextFile onto a file fails at plan time naming the step and the path',
    run: async (o, dir) => {
      fs.writeFileSync(path.join(dir, 'taken'), 'x');
      return flow('sink file').ints([1]).saveAsTextFile(path.join(dir, 'taken')).run(o);
    },
    error: /^step "saveAsTextFile#2": the output path \/.*\/taken exists and is not a directory; saveAsTextFile writes a directory of part files — remove it or choose another path$/,
  },
  {
    name: 'a job failing mid-way leaves no _temporary-* and no part files; earlier output stays',
    run: async (o, dir) => {
      const fresh = path.join(dir, 'fresh');
      const kept = path.join(dir, 'kept');
      fs.mkdirSync(kept);
      fs.writeFileSync(path.join(kept, 'part-00000'), 'old\n');
      fs.writeFileSync(path.join(kept, '_SUCCESS'), '');
      const errors: string[] = [];
      for (const out of [fresh, kept]) {
        try {
          await flow('sink fails')
            .ints(Array.from({ length: 8 }, (_, i) => i), 4)
            .map((x: number) => {
              // The last partition fails late, after the sink wrote the first ones.
              if (x === 7) {
                const until = Date.now() + 1000;
                while (Date.now() < until);
                throw new Error('seven');
              }
              return [x];
            })
            .saveAsTextFile(out)
            .run(o);
        } catch (e) {
          errors.push((e as Error).message.split('\n')[0]);
        }
      }
      return [errors, fs.existsSync(fresh), fs.readdirSync(kept).sort(), fs.readFileSync(path.join(kept, 'part-00000'), 'utf8')];
    },
    expected: [['step "map#2": the UDF threw Error: seven', 'step "map#2": the UDF threw Error: seven'], false, ['_SUCCESS', 'part-00000'], 'old\n'],
  },
];
