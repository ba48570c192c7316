// One way for the CLI's client commands (status, jobs, cancel) to find the master, carry the
// secret, and turn gRPC failures into one line a person can act on.
import type { MasterClient, grpc } from '@gleam/proto';

/** Every call of a client command gets this long. */
export const MASTER_CALL_TIMEOUT_MS = 5000;

export interface MasterTarget {
  master?: string;
  secret?: string;
}

/** --master, else GLEAM_MASTER, else the default master on this machine. */
export function masterAddress(given: string | undefined): string {
  // Loaded here: the default port lives with the master.
  const { DEFAULT_MASTER_PORT } = require('@gleam/master') as typeof import('@gleam/master');
  return given || process.env.GLEAM_MASTER || `127.0.0.1:${DEFAULT_MASTER_PORT}`;
}

export function clusterSecret(given: string | undefined): string | undefined {
  return given || process.env.GLEAM_SECRET || undefined;
}

/** Runs `fn` with a client of the master and closes it; a gRPC failure becomes a clear Error. */
export async function withMaster<T>(master: string, fn: (client: MasterClient) => Promise<T>): Promise<T> {
  const { createMasterClient } = await import('@gleam/proto');
  const client = createMasterClient(master);
  try {
    return await fn(client);
  } catch (e) {
    throw new Error(describeMasterError(master, e as Partial<grpc.ServiceError>));
  } finally {
    client.close();
  }
}

function describeMasterError(master: string, err: Partial<grpc.ServiceError>): string {
  const { grpc } = require('@gleam/proto') as typeof import('@gleam/proto');
  // grpc-js appends an empty "Resolution note:" to connection errors.
  const why = String(err.details || err.message).replace(/\s*Resolution note:\s*$/, '');
  if (err.code === grpc.status.UNAUTHENTICATED) return `the master at ${master} refused the secret: ${why}`;
  if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED) return `cannot reach the master at ${master}: ${why}`;
  if (err.code === grpc.status.UNIMPLEMENTED) return `the master at ${master} is too old for this command: ${why}`;
  return `the master at ${master} failed: ${why}`;
}
