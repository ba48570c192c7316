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
    text = JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
  } catch {
    text = String(row);
  }
  if (text === undefined) text = String(row);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
