// The agent's life line to the master: one Heartbeat stream, a beat right away and every
// interval; when the stream breaks, a new one every second for as long as it takes.
import { callMetadata, createMasterClient, tidyConnectionError, tlsHint, type AgentHeartbeat, type ClientTls, type grpc, type HeartbeatAck__Output, type MasterClient } from '@gleam/proto';
import type { Logger } from 'pino';

export interface HeartbeatLoopOptions {
  master: string;
  secret?: string;
  /** Speak TLS to the master, trusting this. */
  tls?: ClientTls;
  intervalMs: number;
  reconnectMs?: number;
  log: Logger;
  /** The figures of this beat. */
  beat: () => AgentHeartbeat;
}

export class HeartbeatLoop {
  private readonly client: MasterClient;
  private call: grpc.ClientDuplexStream<AgentHeartbeat, HeartbeatAck__Output> | undefined;
  private interval: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private connected = false;
  private everConnected = false;
  private failures = 0;
  private stopped = false;

  constructor(private readonly opts: HeartbeatLoopOptions) {
    this.client = createMasterClient(opts.master, opts.tls);
  }

  /** True while the master answers on the current stream. */
  get isConnected(): boolean {
    return this.connected;
  }

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.retry);
    this.call?.cancel();
    this.call = undefined;
    this.client.close();
  }

  private connect(): void {
    if (this.stopped) return;
    const { log, master } = this.opts;
    const call = this.client.Heartbeat(callMetadata(this.opts.secret));
    this.call = call;
    let ended = false;
    const answered = () => {
      if (this.connected) return;
      this.connected = true;
      this.failures = 0;
      log.info({ master }, this.everConnected ? 'master connection regained' : 'registered with master');
      this.everConnected = true;
    };
    const lost = (why: string) => {
      if (ended) return;
      ended = true;
      clearInterval(this.interval);
      this.interval = undefined;
      if (this.call === call) this.call = undefined;
      call.cancel();
      if (this.stopped) return;
      if (this.connected) log.warn({ master, err: why }, 'master connection lost; reconnecting every second');
      else if (this.failures === 0) log.warn({ master, err: why }, 'master unreachable; retrying every second');
      else log.debug({ master, err: why }, 'master still unreachable');
      this.connected = false;
      this.failures++;
      this.retry = setTimeout(() => this.connect(), this.opts.reconnectMs ?? 1000);
      this.retry.unref();
    };
    call.on('metadata', answered);
    call.on('data', answered);
    call.on('error', (e: Error) => {
      const why = tidyConnectionError((e as Partial<grpc.ServiceError>).details || e.message);
      lost(why + tlsHint(why, this.opts.tls !== undefined));
    });
    call.on('end', () => lost('the master ended the heartbeat stream'));
    const send = () => {
      try {
        call.write(this.opts.beat());
      } catch (e) {
        lost((e as Error).message);
      }
    };
    send();
    this.interval = setInterval(send, this.opts.intervalMs);
    this.interval.unref();
  }
}
