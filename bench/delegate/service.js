// The bench's remote service, in a process of its own (forked by run.js): answers every POST
// after --delay-ms with { v: value * 2 } (a JSON array of those for a batch), and reports to its
// parent the requests it saw, the most in flight at once and the sockets it accepted.
'use strict';
const http = require('node:http');

const delayMs = Number(process.argv[2] ?? 20);
const stats = { requests: 0, maxInFlight: 0, connections: 0 };
let inFlight = 0;

/** The request's body, parsed, once it has all arrived. */
function readJson(req, then) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c)).on('end', () => then(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
}

const server = http.createServer((req, res) => {
  stats.requests++;
  stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
  res.on('close', () => inFlight--);
  readJson(req, (v) =>
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Array.isArray(v) ? v.map((x) => ({ v: x * 2 })) : { v: v * 2 }));
    }, delayMs),
  );
});
server.keepAliveTimeout = 30000;
server.on('connection', () => stats.connections++);

process.on('message', (m) => {
  if (m === 'stats') process.send({ stats });
  else if (m === 'reset') {
    stats.requests = 0;
    stats.maxInFlight = 0;
    stats.connections = 0;
    process.send({ reset: true });
  } else if (m === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
