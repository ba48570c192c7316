// Server-sent events: `/queries/ID/events` (one `data:` JSON per update of that query) and
// `/events` (every query's updates and removals, for the web page: one connection whatever the
// number of queries, since browsers open at most 6 per server over HTTP/1.1).
import type { ServerResponse } from 'node:http';
import type { QueryResult } from '../engine/types';

/** A client this far behind (bytes queued) is dropped rather than buffered without bound. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

interface Client {
  res: ServerResponse;
  /** undefined: the all-queries stream. */
  queryId: string | undefined;
}

export class EventStreams {
  private readonly clients = new Set<Client>();
  private readonly heartbeat: NodeJS.Timeout;

  /** heartbeatMs: a comment line this often keeps proxies and browsers from closing idle streams. */
  constructor(heartbeatMs: number) {
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) this.write(c, ': ping\n\n');
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Opens an event stream on `res`; `initial` events are sent first (the current state). */
  open(res: ServerResponse, queryId: string | undefined, initial: string[]): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise hold the events back.
      'x-accel-buffering': 'no',
    });
    const client: Client = { res, queryId };
    this.clients.add(client);
    // A client that goes away (tab closed, curl stopped) is forgotten at once.
    res.on('close', () => this.clients.delete(client));
    this.write(client, `retry: 2000\n\n${initial.join('')}`);
  }

  update(result: QueryResult): void {
    const own = dataEvent(result);
    const all = updateEvent(result);
    for (const c of this.clients) {
      if (c.queryId === undefined) this.write(c, all);
      else if (c.queryId === result.id) this.write(c, own);
    }
  }

  /** A query was removed: its own streams get a `removed` event and end; the page's stream is told. */
  removed(id: string): void {
    const msg = `event: removed\ndata: ${JSON.stringify({ id })}\n\n`;
    for (const c of [...this.clients]) {
      if (c.queryId === undefined) this.write(c, msg);
      else if (c.queryId === id) {
        this.write(c, msg);
        this.clients.delete(c);
        c.res.end();
      }
    }
  }

  private write(c: Client, text: string): void {
    if (c.res.destroyed) return void this.clients.delete(c);
    if (c.res.writableLength > MAX_QUEUED_BYTES) {
      this.clients.delete(c);
      c.res.destroy();
      return;
    }
    c.res.write(text);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}

/** The event text of an update on the all-queries stream. */
export function updateEvent(result: QueryResult): string {
  return `event: update\ndata: ${JSON.stringify(result)}\n\n`;
}

/** The event text of an update on a query's own stream. */
export function dataEvent(result: QueryResult): string {
  return `data: ${JSON.stringify(result)}\n\n`;
}
