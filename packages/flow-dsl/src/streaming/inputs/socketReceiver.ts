// socketTextStream(host, port): a TCP client reading lines (UTF-8, \n or \r\n), one row per
// line. While the buffer is full it stops reading the socket, so TCP flow control slows the
// sender instead of the driver growing; a dropped or refused connection is retried every second
// (as Spark's socket receiver restarts).
import * as net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { GleamError, type Row } from '@gleam/executor';
import type { Push, Receiver } from './receiverStream';

const RECONNECT_MS = 1000;

export class SocketReceiver implements Receiver {
  private socket: net.Socket | undefined;
  private push: Push | undefined;
  private stopped = false;
  private decoder = new StringDecoder('utf8');
  private carry = '';
  /** Lines read while the buffer was full: pushed when it has room (the socket is paused meanwhile). */
  private pending: Row[] = [];
  private reconnectTimer: NodeJS.Timeout | undefined;
  private lastError = '';

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly onError: (e: Error) => void,
  ) {
    if (typeof host !== 'string' || host === '') throw new GleamError('socketTextStream: expected a host name or address');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new GleamError(`socketTextStream: port must be an integer from 1 to 65535, got ${JSON.stringify(port)}`);
  }

  onStart(push: Push): void {
    this.push = push;
    this.connect();
  }

  onStop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = net.connect({ host: this.host, port: this.port });
    this.socket = socket;
    this.decoder = new StringDecoder('utf8');
    this.carry = '';
    socket.on('connect', () => {
      this.lastError = '';
    });
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('end', () => this.flushLast());
    socket.on('error', (e) => {
      // One report per distinct cause: a server that stays down is not a report per second.
      const msg = `socketTextStream ${this.host}:${this.port}: ${e.message}`;
      if (msg !== this.lastError) this.onError(new GleamError(msg));
      this.lastError = msg;
    });
    socket.on('close', () => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = undefined;
      this.reconnectTimer = setTimeout(() => this.connect(), RECONNECT_MS);
      this.reconnectTimer.unref();
    });
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    const text = this.carry + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.carry = lines.pop()!;
    if (lines.length === 0) return;
    const rows: Row[] = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      rows[i] = [l.charCodeAt(l.length - 1) === 13 ? l.slice(0, -1) : l];
    }
    this.offer(socket, rows);
  }

  /** The last line of a connection, if it had no newline. */
  private flushLast(): void {
    const rest = this.carry + this.decoder.end();
    this.carry = '';
    if (rest !== '' && this.socket) this.offer(this.socket, [[rest.endsWith('\r') ? rest.slice(0, -1) : rest]]);
  }

  /** Pushes what fits; holds the rest and pauses the socket until the buffer has room. */
  private offer(socket: net.Socket, rows: Row[]): void {
    const push = this.push!;
    if (this.pending.length > 0) {
      for (const r of rows) this.pending.push(r);
      return;
    }
    const room = roomOf(push, rows.length);
    if (room >= rows.length) {
      push(rows);
      return;
    }
    if (room > 0) push(rows.slice(0, room));
    this.pending = rows.slice(room);
    socket.pause();
    void this.drainPending(socket);
  }

  private async drainPending(socket: net.Socket): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      await this.push!.whenRoom();
      if (this.stopped) break;
      const room = roomOf(this.push!, this.pending.length);
      if (room === 0) continue;
      this.push!(this.pending.slice(0, room));
      this.pending = this.pending.slice(room);
    }
    this.pending = [];
    if (!this.stopped && this.socket === socket) socket.resume();
  }
}

/** How many of n rows fit in the buffer now. */
function roomOf(push: Push, n: number): number {
  return Math.min(n, push.room);
}
