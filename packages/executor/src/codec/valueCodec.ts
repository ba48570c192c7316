// One value (a task spec, an error) as msgpack bytes, with the row codec's type rules
// (bigint, bytes and nested values keep their types).
import { decodeRows, encodeRows } from './rowCodec';

export function encodeValue(v: unknown): Uint8Array {
  return encodeRows([v as unknown[]]);
}

export function decodeValue<T>(bytes: Uint8Array): T {
  return decodeRows(bytes)[0] as T;
}
