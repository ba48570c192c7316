// Shared test plumbing: a recording master, agent clients and shard helpers.
import pino from 'pino';
import { startAgent, type AgentHandle, type AgentOptions } from '../src';
import {
  bindServer,
  callMetadata,
  createAgentClient,
  grpc,
  guardHandlers,
  masterServiceDefinition,
  newServer,
  openShardWriter,
  readShardFrames,
  type AgentClient,
  type AgentHeartbeat__Output,
  type ExecuteRequest,
  type TaskEvent__Output,
} from '@gleam/proto';

export const silent = pino({ level: 'silent' });

export interface RecordingMaster {
  address: string;
  port: number;
  beats: AgentHeartbeat__Output[];
  stop(): Promise<void>;
}

/** A master that implements only Heartbeat: records every beat and acks it. */
export async function startRecordingMaster(opts: { port?: number; secret?: string } = {}): Promise<RecordingMaster> {
  const beats: AgentHeartbeat__Output[] = [];
  const calls = new Set<grpc.ServerDuplexStream<AgentHeartbeat__Output, unknown>>();
  const server = newServer();
  const handlers = {
    Heartbeat(call: grpc.ServerDuplexStream<AgentHeartbeat__Output, unknown>) {
      calls.add(call);
      call.on('data', (hb: AgentHeartbeat__Output) => {
        beats.push(hb);
        call.write({ masterTimeMs: Date.now() });
      });
      call.on('end', () => call.end());
      call.on('error', () => undefined);
      call.on('close', () => calls.delete(call));
    },
  };
  server.addService(masterServiceDefinition(), guardHandlers(handlers as unknown as grpc.UntypedServiceImplementation, opts.secret));
  const port = await bindServer(server, '127.0.0.1', opts.port ?? 0);
  return {
    address: `127.0.0.1:${port}`,
    port,
    beats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.forceShutdown();
        resolve();
      }),
  };
}

export async function waitFor(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// One definition of a free loopback port for every test of the repository.
export { freePort } from '../../../test/helpers/cluster';

const clients: AgentClient[] = [];

export function client(address: string): AgentClient {
  const c = createAgentClient(address);
  clients.push(c);
  return c;
}

export function closeClients(): void {
  for (const c of clients.splice(0)) c.close();
}

export async function writeShard(c: AgentClient, shard: string, frames: Uint8Array[], secret?: string): Promise<{ frames: number; bytes: number }> {
  const w = openShardWriter(c, shard, secret);
  for (const f of frames) await w.write(f);
  return w.end();
}

export async function readShard(c: AgentClient, shard: string, opts: { secret?: string; signal?: AbortSignal } = {}): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const f of readShardFrames(c, shard, opts)) out.push(new Uint8Array(f));
  return out;
}

/** Runs ExecuteTask and collects its events; `onCall` gets the call (to cancel it). */
export function execute(
  c: AgentClient,
  req: ExecuteRequest,
  opts: { secret?: string; onEvent?: (e: TaskEvent__Output, call: grpc.ClientReadableStream<TaskEvent__Output>) => void } = {},
): Promise<TaskEvent__Output[]> {
  return new Promise((resolve, reject) => {
    const events: TaskEvent__Output[] = [];
    const call = c.ExecuteTask(req, callMetadata(opts.secret));
    call.on('data', (e: TaskEvent__Output) => {
      events.push(e);
      opts.onEvent?.(e, call);
    });
    call.on('end', () => resolve(events));
    call.on('error', (e) => reject(Object.assign(e, { events })));
  });
}

export function unaryCall<Res>(fn: (md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown, secret?: string): Promise<Res> {
  return new Promise((resolve, reject) => fn(callMetadata(secret), (err, res) => (err ? reject(err) : resolve(res as Res))));
}

/**
 * One in-process agent, with a recording master, for the tests of a file: started before them,
 * stopped (with every client) after. Read `fx.agent` and `fx.master` inside the tests.
 */
export function useAgent(opts: Omit<AgentOptions, 'master' | 'port' | 'logger'>, timeoutMs: number): { readonly agent: AgentHandle; readonly master: RecordingMaster } {
  const fx = {} as { agent: AgentHandle; master: RecordingMaster };
  beforeAll(async () => {
    fx.master = await startRecordingMaster();
    fx.agent = await startAgent({ master: fx.master.address, port: 0, logger: silent, ...opts });
  }, timeoutMs);
  afterAll(async () => {
    closeClients();
    await fx.agent?.stop();
    await fx.master?.stop();
  }, timeoutMs);
  return fx;
}
