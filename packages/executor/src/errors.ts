// Errors are values with context: which step, which row, what to do.

/** An error the user should see as one clear message (no stack unless asked). */
export class GleamError extends Error {
  constructor(message: string, readonly step?: string) {
    super(message);
    this.name = 'GleamError';
  }
}

/** Plain data form of an error, for crossing threads and processes. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  step?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    return { name: e.name, message: e.message, stack: e.stack, step: (e as GleamError).step };
  }
  return { name: 'Error', message: String(e) };
}

export function deserializeError(s: SerializedError): GleamError {
  const err = new GleamError(s.message, s.step);
  err.name = s.name === 'Error' ? 'GleamError' : s.name;
  if (s.stack) err.stack = s.stack;
  return err;
}

/** Short, single-line rendering of a row for error messages. */
export function describeRow(row: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(row, describeReplacer);
  } catch {
    text = describeCircular(row);
  }
  if (text === undefined) text = String(row);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// A circular value: a second visit of an object shows as <circular> (shared ones too: it is a message).
function describeCircular(row: unknown): string {
  const seen = new Set<unknown>();
  try {
    return JSON.stringify(row, (k, v) => {
      const d = describeReplacer(k, v);
      if (d === null || typeof d !== 'object') return d;
      if (seen.has(d)) return '<circular>';
      seen.add(d);
      return d;
    });
  } catch {
    return String(row);
  }
}

// JSON shows a Map or a Promise as {} and drops functions: name them instead.
function describeReplacer(_k: string, v: unknown): unknown {
  switch (typeof v) {
    case 'bigint':
      return `${v}n`;
    case 'function':
      return `<function${v.name ? ` ${v.name}` : ''}>`;
    case 'symbol':
      return `<${String(v)}>`;
    case 'object':
      if (v instanceof Uint8Array) return `<${v.length} bytes>`;
      if (v instanceof Map) return `<Map(${v.size})>`;
      if (v instanceof Set) return `<Set(${v.size})>`;
      if (v instanceof Promise) return '<Promise>';
      return v;
    default:
      return v;
  }
}
