// The query language: every construct parses to what it means, keywords in any case, equal
// predicates written differently get one canonical text, and bad text fails with a message and
// the 0-based position where it goes wrong.
import { parseQuery, QuerySyntaxError } from '@gleam/queries';

function errorOf(text: string): { error: string; position: number } {
  try {
    parseQuery(text);
  } catch (e) {
    expect(e).toBeInstanceOf(QuerySyntaxError);
    return (e as QuerySyntaxError).toJSON();
  }
  throw new Error(`expected ${text} to fail`);
}

describe('parseQuery', () => {
  test('every clause, keywords in any case', () => {
    const q = parseQuery("sElEcT user.lang, COUNT(*) AS n, sum(x), Avg(x), min(x), max(name) FROM events WHERE x > 1 GROUP BY user.lang ORDER BY n DESC, 1 asc LIMIT 5 WINDOW 3 BATCHES");
    expect(q.columns).toEqual(['user.lang', 'n', 'sum(x)', 'avg(x)', 'min(x)', 'max(name)']);
    expect(q.ast.from).toBe('events');
    expect(q.aggregate).toBe(true);
    expect(q.groupBy).toEqual(['user.lang']);
    expect(q.aggs.map((a) => a.text)).toEqual(['count(*)', 'sum(x)', 'avg(x)', 'min(x)', 'max(name)']);
    expect(q.order).toEqual([{ col: 1, desc: true }, { col: 0, desc: false }]);
    expect(q.limit).toBe(5);
    expect(q.window).toEqual({ n: 3, unit: 'batches' });
    expect(parseQuery('select count(x) window 10 seconds').window).toEqual({ n: 10, unit: 'seconds' });
  });

  test('items: fields, dotted paths, quoted names, literals, *, count(f)', () => {
    const q = parseQuery(`SELECT a, user.lang AS l, "odd name", 'text', 42, -1.5e3, TRUE, NULL, * WHERE a = 1`);
    expect(q.columns).toEqual(['a', 'l', 'odd name', "'text'", '42', '-1500', 'TRUE', 'NULL', '*']);
    expect(q.items.map((i) => i.kind)).toEqual(['field', 'field', 'field', 'literal', 'literal', 'literal', 'literal', 'literal', 'star']);
    expect(q.aggregate).toBe(false);
    expect(q.limit).toBe(100);
    expect(parseQuery('SELECT count(f) AS k').aggs).toEqual([{ fn: 'count', arg: 'f', text: 'count(f)' }]);
    // A function name is a field unless "(" follows.
    expect(parseQuery('SELECT count, sum FROM s').columns).toEqual(['count', 'sum']);
  });

  test('conditions: every operator, with AND / OR / NOT and parentheses', () => {
    const where = (c: string): string => parseQuery(`SELECT a WHERE ${c}`).whereText!;
    expect(where('a = 1')).toBe('a = 1');
    expect(where('a != 1')).toBe('a != 1');
    expect(where('a <> 1')).toBe('a != 1');
    expect(where('a < 1')).toBe('a < 1');
    expect(where('a <= 1')).toBe('a <= 1');
    expect(where('a > 1')).toBe('a > 1');
    expect(where('a >= 1')).toBe('a >= 1');
    expect(where("t CONTAINS 'x'")).toBe("t CONTAINS 'x'");
    expect(where("t like 'ab%'")).toBe("t LIKE 'ab%'");
    expect(where("t NOT LIKE 'ab%'")).toBe("NOT (t LIKE 'ab%')");
    expect(where("t MATCHES '^a+b$'")).toBe("t MATCHES '^a+b$'");
    expect(where("t IN (1, 'b', NULL)")).toBe("t IN (1, 'b', NULL)");
    expect(where('t NOT IN (1)')).toBe('NOT (t IN (1))');
    expect(where('t IS NULL')).toBe('t IS NULL');
    expect(where('t is not null')).toBe('NOT (t IS NULL)');
    expect(where("a = 1 AND (b = 2 OR NOT c = 'it''s')")).toBe("(NOT (c = 'it''s') OR b = 2) AND a = 1");
  });

  test('equal predicates written differently have one canonical text', () => {
    const a = parseQuery("SELECT x WHERE lang = 'en' AND n > 3");
    const b = parseQuery("select y where 3 < N and 'en' = lang".replace('N', 'n'));
    expect(a.whereText).toBe(b.whereText);
    expect(a.predicates.sort()).toEqual(b.predicates.sort());
    expect(parseQuery('SELECT x WHERE NOT NOT a = 1').whereText).toBe('a = 1');
    expect(parseQuery('SELECT x WHERE a = 1 AND a = 1').whereText).toBe('a = 1');
    expect(parseQuery('SELECT x WHERE (a = 1 AND b = 2) AND c = 3').whereText).toBe('a = 1 AND b = 2 AND c = 3');
  });

  test('ORDER BY: alias, expression, column number, or (without aggregates) any field', () => {
    expect(parseQuery('SELECT g, count(*) AS n GROUP BY g ORDER BY count(*)').order).toEqual([{ col: 1, desc: false }]);
    const q = parseQuery('SELECT name ORDER BY ts DESC LIMIT 3');
    expect(q.columns).toEqual(['name']);
    expect(q.items.length).toBe(2);
    expect(q.order).toEqual([{ col: 1, desc: true }]);
  });

  test('errors name the cause and the position', () => {
    expect(errorOf('')).toEqual({ error: 'empty query: expected SELECT ...', position: 0 });
    expect(errorOf('SELEC a')).toMatchObject({ position: 0 });
    expect(errorOf('SELECT a FROM')).toMatchObject({ position: 13 });
    expect(errorOf('SELECT a WHERE a >= ').position).toBe(20);
    expect(errorOf("SELECT a WHERE a = 'open").position).toBe(19);
    expect(errorOf('SELECT a, count(*)')).toEqual({ error: 'field a is selected with aggregates but is not in GROUP BY', position: 7 });
    expect(errorOf('SELECT *, count(*)').position).toBe(7);
    expect(errorOf("SELECT a WHERE a MATCHES '(x'")).toMatchObject({ position: 25 });
    expect(errorOf("SELECT a WHERE a MATCHES '(x'").error).toMatch(/MATCHES: invalid regular expression/);
    expect(errorOf('SELECT g, count(*) GROUP BY g ORDER BY h')).toMatchObject({ position: 39 });
    expect(errorOf('SELECT a ORDER BY 3')).toMatchObject({ position: 18 });
    expect(errorOf('SELECT a WINDOW 0 BATCHES').error).toMatch(/WINDOW/);
    expect(errorOf('SELECT a LIMIT x').position).toBe(15);
    expect(errorOf('SELECT a WHERE select = 1').position).toBe(15);
    expect(errorOf('SELECT a extra').position).toBe(9);
    expect(errorOf('SELECT a LIMIT 5 WHERE x = 1')).toEqual({
      error: 'Expected ";", "window", or end of input but "WHERE" found. The clauses go in this order: SELECT, FROM, WHERE, GROUP BY, ORDER BY, LIMIT, WINDOW.',
      position: 17,
    });
    expect(errorOf('SELECT count(*) WINDOW 5 MINUTES')).toEqual({ error: 'Expected "batch", "batches", "second", or "seconds" but "MINUTES" found.', position: 25 });
    const e = errorOf('SELECT a FROM');
    expect(e.error).toMatch(/Expected a name but end of input found/);
  });
});
