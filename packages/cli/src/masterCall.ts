// One way for the CLI's client commands (status, jobs, cancel) to find the master, carry the
// secret, speak TLS when told to, and turn gRPC failures into one line a person can act on.
import { Command } from 'commander';
import type { ClientTls, MasterClient, grpc } from '@gleam/proto';
import { resolveSecret, secretOptions, warnOnStderr, type SecretFlags } from './secretOption';
import { clientTls, clientTlsOption } from './tlsOptions';

/** Every call of a client command gets this long. */
export const MASTER_CALL_TIMEOUT_MS = 5000;

/** The flags of a command that calls the master. */
export interface MasterFlags extends SecretFlags {
  master?: string;
  tlsCa?: string;
}

/** Where the master is and how to reach it. */
export interface MasterTarget {
  master: string;
  secret?: string;
  tls?: ClientTls;
}

/** Adds --master, the secret options and --tls-ca to a client command. */
export function withMasterOptions(cmd: Command): Command {
  cmd.option('--master <host:port>', 'the master (default: GLEAM_MASTER, then 127.0.0.1:45326)');
  for (const o of [...secretOptions(), clientTlsOption()]) cmd.addOption(o);
  return cmd;
}

export function masterTarget(flags: MasterFlags): MasterTarget {
  return { master: masterAddress(flags.master), secret: resolveSecret(flags, warnOnStderr), tls: clientTls(flags.tlsCa) };
}

/** --master, else GLEAM_MASTER, else the default master on this machine. */
export function masterAddress(given: string | undefined): string {
  // Loaded here: the default port lives with the master.
  const { DEFAULT_MASTER_PORT } = require('@gleam/master') as typeof import('@gleam/master');
  return given || process.env.GLEAM_MASTER || `127.0.0.1:${DEFAULT_MASTER_PORT}`;
}

/** Runs `fn` with a client of the master and closes it; a gRPC failure becomes a clear Error. */
export async function withMaster<T>(target: MasterTarget, fn: (client: MasterClient) => Promise<T>): Promise<T> {
  const { createMasterClient } = await import('@gleam/proto');
  const client = createMasterClient(target.master, target.tls);
  try {
    return await fn(client);
  } catch (e) {
    throw new Error(describeMasterError(target.master, e as Partial<grpc.ServiceError>, target.tls !== undefined));
  } finally {
    client.close();
  }
}

function describeMasterError(master: string, err: Partial<grpc.ServiceError>, usingTls: boolean): string {
  const { grpc, tidyConnectionError, tlsHint } = require('@gleam/proto') as typeof import('@gleam/proto');
  const why = tidyConnectionError(String(err.details || err.message));
  if (err.code === grpc.status.UNAUTHENTICATED) return `the master at ${master} refused the secret: ${why}`;
  if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED) return `cannot reach the master at ${master}: ${why}${tlsHint(why, usingTls)}`;
  if (err.code === grpc.status.UNIMPLEMENTED) return `the master at ${master} is too old for this command: ${why}`;
  return `the master at ${master} failed: ${why}`;
}
