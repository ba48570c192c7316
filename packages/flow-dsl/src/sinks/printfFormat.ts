// printf formats applied to a row's fields in order: %s %d %i %f %.Nf %v %j %%,
// with optional '-' (left align) and width, e.g. %-10s %5d.
import { formatField, GleamError, type Row } from '@gleam/executor';

type Piece = string | { verb: string; left: boolean; width: number; precision: number | undefined };

export function compileFormat(format: string, step: string): (row: Row) => string {
  const pieces: Piece[] = [];
  const re = /%(-?)(\d*)(?:\.(\d+))?([sdifvj%])|%/g;
  let last = 0;
  for (let m = re.exec(format); m; m = re.exec(format)) {
    if (m[4] === undefined) throw new GleamError(`step "${step}": unsupported printf conversion at "${format.slice(m.index, m.index + 4)}" (use %s %d %i %f %.Nf %v %j %%)`, step);
    if (m.index > last) pieces.push(format.slice(last, m.index));
    last = re.lastIndex;
    if (m[4] === '%') pieces.push('%');
    else pieces.push({ verb: m[4], left: m[1] === '-', width: m[2] ? Number(m[2]) : 0, precision: m[3] === undefined ? undefined : Number(m[3]) });
  }
  if (last < format.length) pieces.push(format.slice(last));
  return (row: Row) => {
    let out = '';
    let f = 0;
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const text = convert(p.verb, row[f++], p.precision);
      out += p.width > text.length ? (p.left ? text.padEnd(p.width) : text.padStart(p.width)) : text;
    }
    return out;
  };
}

function convert(verb: string, v: unknown, precision: number | undefined): string {
  switch (verb) {
    case 'd':
    case 'i':
      if (typeof v === 'number') return Number.isFinite(v) ? String(Math.trunc(v)) : String(v);
      return formatField(v);
    case 'f': {
      const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(formatField(v));
      return n.toFixed(precision ?? 6);
    }
    case 'j':
      return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Array.from(x) : x)) ?? 'null';
    default:
      return formatField(v);
  }
}
