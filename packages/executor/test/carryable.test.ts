// Values rows cannot carry faithfully are refused at encode time, naming the step, the field
// and the row; values msgpack does carry (Date, Set, typed arrays, plain data) pass.
import { checkRows, decodeRows, encodeRows, findUncarryable, FrameBuilder } from '../src';

class Point {
  constructor(readonly x: number) {}
}

function errorOf(rows: unknown[][], step = 'map#2'): string {
  try {
    checkRows(rows, step);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('checkRows', () => {
  test('a Map names the step, the field, what it would become and the row', () => {
    expect(errorOf([['ok', 1], ['a', new Map([['k', 1]])]])).toBe(
      'step "map#2": row field 2 is a Map, which rows cannot carry (it would arrive as a plain object); convert it, e.g. Object.fromEntries(m)\n  row: ["a","<Map(1)>"]',
    );
  });

  test('functions, symbols, Promises, thenables, class instances and cycles, at any depth', () => {
    function area() {
      return 1;
    }
    expect(errorOf([[1, { f: area }]])).toBe(
      'step "map#2": row field 2.f is a function (area), which rows cannot carry (it would arrive as null); call it in the UDF and keep its result, or pass code as a string\n  row: [1,{"f":"<function area>"}]',
    );
    expect(errorOf([[Symbol('s')]])).toBe(
      'step "map#2": row field 1 is a symbol (Symbol(s)), which rows cannot carry (msgpack has no symbols); use a string instead, e.g. its description\n  row: ["<Symbol(s)>"]',
    );
    const p = Promise.resolve(1);
    expect(errorOf([['x', [1, p]]])).toBe(
      'step "map#2": row field 2[1] is a Promise, which rows cannot carry (it would arrive as {}); await it: use mapAsync / flatMapAsync for UDFs that return Promises\n  row: ["x",[1,"<Promise>"]]',
    );
    expect(errorOf([[{ then: () => 1 }]])).toMatch(/^step "map#2": row field 1 is a thenable \(an object with a then method\), which rows cannot carry \(it would arrive as \{\}\)/);
    expect(errorOf([[1, 2, new Point(3)]])).toBe(
      'step "map#2": row field 3 is an instance of class Point, which rows cannot carry (it would arrive as a plain object, without its prototype); convert it to a plain object or an array\n  row: [1,2,{"x":3}]',
    );
    const cyc: Record<string, unknown> = { name: 'a' };
    cyc.self = { back: cyc };
    expect(errorOf([['k', cyc]])).toBe(
      'step "map#2": row field 2.self.back refers back to field 2 (a circular value), which rows cannot carry (encoding it would never end); break the cycle, e.g. keep ids instead of references\n  row: ["k",{"name":"a","self":{"back":"<circular>"}}]',
    );
    expect(errorOf([[new Set([new Map()])]])).toMatch(/^step "map#2": row field 1 \(Set item 0\) is a Map/);
    expect(errorOf([[{ 'a b': [new WeakMap()] }]])).toMatch(/^step "map#2": row field 1\["a b"\]\[0\] is an instance of class WeakMap/);
  });

  test('plain data, Date, Set, typed arrays and shared (not circular) references pass and round-trip', () => {
    const shared = { s: 1 };
    const nullProto = Object.assign(Object.create(null), { a: 1 });
    const rows = [['a', 1, 2n, true, null, undefined, new Date(5), new Set([1, 'x']), new Uint8Array([1]), Buffer.from('hi'), new Float64Array([1.5]), [shared, shared], { o: { p: [1] } }, nullProto]];
    expect(errorOf(rows)).toBe('no error');
    const [back] = decodeRows(encodeRows(rows));
    expect(back[6]).toEqual(new Date(5));
    expect(back[7]).toEqual(new Set([1, 'x']));
    // (typed arrays other than bytes are not compared here: jest's Float64Array is of another
    // realm than msgpackr's TypedArray, so under jest it packs as an object; plain Node is fine)
    expect(back[11]).toEqual([{ s: 1 }, { s: 1 }]);
  });

  test('FrameBuilder checks every frame when given the step, and not otherwise', () => {
    const frames: Uint8Array[] = [];
    const checked = new FrameBuilder((f) => frames.push(f), { check: 'flatMap#3' });
    checked.add(['fine']);
    checked.add(['bad', () => 1]);
    expect(() => checked.flush()).toThrow(/^step "flatMap#3": row field 2 is a function/);
    const unchecked = new FrameBuilder((f) => frames.push(f));
    unchecked.add([() => 1]);
    unchecked.flush();
    expect(decodeRows(frames[0])).toEqual([[null]]);
  });

  test('findUncarryable reports params paths', () => {
    expect(findUncarryable({ centroids: [[1, 2], [3, 4], { f: () => 0 }] }, 'params')?.path).toBe('params.centroids[2].f');
    expect(findUncarryable({ centroids: [[1, 2]], at: new Date(0) }, 'params')).toBeUndefined();
  });
});
