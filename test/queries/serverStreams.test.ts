// Event streams of the query server, in process over a real QueryEngine and real sockets: a client
// that disconnects is forgotten at once, removing a query ends its own streams (the page's stream
// is told), and close() ends every stream so that the server stops without waiting.
import { QueryEngine, startQueryServer, type QueryServer } from '@gleam/queries';
import { waitFor } from '../helpers/processes';
import { addQuery, api, dropFile, openEvents, tempArea, type EventClient } from './serverProcess';

jest.setTimeout(60000);

let area: ReturnType<typeof tempArea>;
let engine: QueryEngine;
let server: QueryServer;
let base: string;
const clients: EventClient[] = [];

beforeEach(async () => {
  area = tempArea('serve-streams');
  engine = new QueryEngine({ watchDir: area.watch, format: 'text', batchMs: 100, executors: 1 });
  await engine.start();
  server = await startQueryServer({ engine, host: '127.0.0.1', port: 0, heartbeatMs: 200 });
  base = server.url.replace(/\/$/, '');
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
  await engine.stop();
  area.remove();
});

async function open(path: string): Promise<EventClient> {
  const c = await openEvents(base, path);
  clients.push(c);
  return c;
}

test('disconnected clients are dropped; a removed query ends its streams; the page stream hears of adds, updates and removals', async () => {
  const a = await addQuery(base, "SELECT count(*) AS n WHERE line CONTAINS 'a'");
  const b = await addQuery(base, 'SELECT line LIMIT 2');
  const page = await open('/events');
  const ownA = await open(`/queries/${a}/events`);
  const ownA2 = await open(`/queries/${a}/events`);
  const ownB = await open(`/queries/${b}/events`);
  expect(server.eventClients()).toBe(4);
  // The page stream starts with the ids, then each query's current result.
  await waitFor(() => page.events.length >= 3, 'the page stream\'s first events', 5000);
  expect(page.events.map((e) => e.event)).toEqual(['snapshot', 'update', 'update']);
  expect(page.events[0].data).toEqual([a, b]);

  ownA2.close();
  await waitFor(() => server.eventClients() === 3, 'the closed client to be dropped', 5000);

  dropFile(area.watch, 'one.txt', ['apple', 'pear', 'kiwi', 'banana']);
  await waitFor(() => ownA.events.some((e) => JSON.stringify(e.data.rows) === '[[3]]'), "query a's update", 10000);
  await waitFor(() => ownB.events.some((e) => e.data.rows.length === 2), "query b's update", 10000);
  // Each own stream carries its query only.
  expect(ownA.events.every((e) => e.data.id === a)).toBe(true);
  expect(ownB.events.every((e) => e.data.id === b)).toBe(true);
  await waitFor(() => page.events.some((e) => e.event === 'update' && e.data.id === a && e.data.batches >= 1), 'the page stream to get the update', 10000);
  await waitFor(() => ownB.comments >= 1, 'a heartbeat', 5000);

  expect((await api(base, 'DELETE', `/queries/${a}`)).status).toBe(200);
  await waitFor(() => ownA.ended, "query a's stream to end", 5000);
  await waitFor(() => server.eventClients() === 2, 'the ended stream to be dropped', 5000);
  await waitFor(() => page.events.some((e) => e.event === 'removed' && e.data.id === a), 'the page to hear of the removal', 5000);
  const c = await addQuery(base, 'SELECT line');
  await waitFor(() => page.events.some((e) => e.event === 'update' && e.data.id === c), 'the page to hear of the new query', 5000);

  // close() ends the streams still open instead of waiting for their clients.
  const t0 = Date.now();
  await server.close();
  expect(Date.now() - t0).toBeLessThan(2000);
  await waitFor(() => page.ended && ownB.ended, 'the open streams to end', 5000);
  expect(server.eventClients()).toBe(0);
});
