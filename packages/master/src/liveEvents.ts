// Server-sent events for the web UI's live parts: the server re-renders a part every LIVE_EVERY_MS
// and sends it only when it changed, so a page follows a job without reloading. A part that is
// final (a finished job) is sent once more, then the stream ends with an `end` event.
import type { IncomingMessage, ServerResponse } from 'node:http';

const LIVE_EVERY_MS = 300;
/** A comment this often keeps proxies from closing a quiet stream. */
const PING_EVERY_MS = 15000;
/** Open event streams at once; more are refused (each costs a render per tick). */
export const MAX_LIVE_STREAMS = 200;

export interface LivePart {
  html: string;
  /** Nothing will change any more: send, then end the stream. */
  final: boolean;
}

export class LiveStreams {
  private open = 0;

  /** Serves one event stream; `render` returns undefined when the part is gone (the stream ends). */
  serve(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, render: () => LivePart | undefined): void {
    if (this.open >= MAX_LIVE_STREAMS) {
      res.writeHead(503, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
      res.end(`too many live pages open (at most ${MAX_LIVE_STREAMS})\n`);
      return;
    }
    this.open++;
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    let last = '';
    let lastWriteMs = Date.now();
    const tick = () => {
      const part = render();
      if (!part) return stop(true);
      if (part.html !== last) {
        last = part.html;
        lastWriteMs = Date.now();
        res.write(`event: html\ndata: ${JSON.stringify(part.html)}\n\n`);
      } else if (Date.now() - lastWriteMs > PING_EVERY_MS) {
        lastWriteMs = Date.now();
        res.write(': ping\n\n');
      }
      if (part.final) stop(true);
    };
    const timer = setInterval(tick, LIVE_EVERY_MS);
    let stopped = false;
    const stop = (end: boolean) => {
      if (stopped) return;
      stopped = true;
      this.open--;
      clearInterval(timer);
      if (end) res.end('event: end\ndata: \n\n');
    };
    req.on('close', () => stop(false));
    res.on('error', () => stop(false));
    tick();
  }
}
