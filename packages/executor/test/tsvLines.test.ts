import { formatField, LineSplitter, rowsToTsv } from '../src/pipe/tsvLines';

describe('formatField', () => {
  it('stringifies every field type', () => {
    expect(formatField('a b')).toBe('a b');
    expect(formatField(0)).toBe('0');
    expect(formatField(-1.5)).toBe('-1.5');
    expect(formatField(12345678901234567890n)).toBe('12345678901234567890');
    expect(formatField(true)).toBe('true');
    expect(formatField(false)).toBe('false');
    expect(formatField(null)).toBe('');
    expect(formatField(undefined)).toBe('');
    expect(formatField(new TextEncoder().encode('héllo'))).toBe('héllo');
    expect(formatField(Buffer.from('buf'))).toBe('buf');
    expect(formatField([1, 'x', null])).toBe('[1,"x",null]');
    expect(formatField({ a: 1, b: [2n] })).toBe('{"a":1,"b":["2"]}');
  });
});

describe('rowsToTsv', () => {
  it('joins fields with tabs and ends rows with newlines', () => {
    expect(rowsToTsv([])).toBe('');
    expect(rowsToTsv([['a'], [1, 2], [], ['x', null, 3n, true]])).toBe('a\n1\t2\n\nx\t\t3\ttrue\n');
    expect(rowsToTsv([[0], [NaN, -0]])).toBe('0\nNaN\t0\n');
  });
});

describe('LineSplitter', () => {
  it('splits lines and tabs, keeps empty lines and carries partial lines', () => {
    const s = new LineSplitter();
    expect(s.push('a\tb\n\nc')).toEqual([['a', 'b'], ['']]);
    expect(s.push('d\te')).toEqual([]);
    expect(s.push('f\r\n\t\n')).toEqual([['cd', 'ef\r'], ['', '']]);
    expect(s.push('last')).toEqual([]);
    expect(s.end()).toEqual([['last']]);
    expect(s.end()).toEqual([]);
  });

  it('gives nothing for empty output and one row for a lone newline', () => {
    const a = new LineSplitter();
    expect(a.push('')).toEqual([]);
    expect(a.end()).toEqual([]);
    const b = new LineSplitter();
    expect(b.push('\n')).toEqual([['']]);
    expect(b.end()).toEqual([]);
  });

  it('round-trips rowsToTsv for string rows, chunked anywhere', () => {
    const rows = [['a', 'b'], [''], ['x', '', 'z'], ['ü€😀']];
    const text = rowsToTsv(rows);
    for (let cut = 0; cut <= text.length; cut++) {
      const s = new LineSplitter();
      const got = [...s.push(text.slice(0, cut)), ...s.push(text.slice(cut)), ...s.end()];
      expect(got).toEqual(rows);
    }
  });
});
