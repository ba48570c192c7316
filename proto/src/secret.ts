// Closed by default: a cluster secret travels in every call's metadata, and servers refuse
// calls without it.
import { timingSafeEqual, createHash } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

export const SECRET_METADATA_KEY = 'x-gleam-secret';
export const SHARD_METADATA_KEY = 'x-gleam-shard';

/** Metadata for a call: the secret (if any) and extra string entries. */
export function callMetadata(secret?: string, extra: Record<string, string> = {}): grpc.Metadata {
  const md = new grpc.Metadata();
  if (secret) md.set(SECRET_METADATA_KEY, secret);
  for (const [k, v] of Object.entries(extra)) md.set(k, v);
  return md;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

/** True when the server has no secret, or the call carries the right one (constant time). */
export function secretMatches(metadata: grpc.Metadata, secret: string | undefined): boolean {
  if (!secret) return true;
  const got = metadata.get(SECRET_METADATA_KEY)[0];
  if (typeof got !== 'string') return false;
  return timingSafeEqual(digest(got), digest(secret));
}

export const UNAUTHENTICATED_MESSAGE = 'missing or wrong cluster secret (set GLEAM_SECRET or pass --secret-file FILE)';

/**
 * True only for real loopback addresses: `localhost`, 127.0.0.0/8 in dotted form, `::1` and
 * `[::1]`. A prefix test would pass `127.0.0.1.evil.example`, a name anyone can point anywhere.
 */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1' || host === '[::1]') return true;
  const parts = host.split('.');
  // Dotted decimal only, each part 0-255 without leading zeros (inet_aton would read "010" as octal).
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/**
 * Wraps service handlers so that every call without the right secret is refused with
 * UNAUTHENTICATED before the handler runs.
 */
export function guardHandlers(handlers: grpc.UntypedServiceImplementation, secret: string | undefined): grpc.UntypedServiceImplementation {
  if (!secret) return handlers;
  const out: grpc.UntypedServiceImplementation = {};
  for (const [name, h] of Object.entries(handlers)) {
    out[name] = ((call: any, callback?: any) => {
      if (secretMatches(call.metadata, secret)) return (h as any)(call, callback);
      const err = { code: grpc.status.UNAUTHENTICATED, details: UNAUTHENTICATED_MESSAGE, metadata: new grpc.Metadata() };
      if (typeof callback === 'function') return callback(err);
      // Streaming calls: grpc-js turns an 'error' event into the call's status (destroy() would
      // end the call without a status and leave the client waiting).
      return call.emit('error', err);
    }) as grpc.UntypedHandleCall;
  }
  return out;
}
