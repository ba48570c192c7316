#!/usr/bin/env node
// HEALTHCHECK of the image (and `exec` probe in Kubernetes): the master's or agent's gRPC port
// accepts a TCP connection within 3 s. The entrypoint writes host:port to GLEAM_HEALTH_FILE
// before it starts the server; a container running anything else has no file and is healthy.
'use strict';
const fs = require('node:fs');
const net = require('node:net');

const file = process.env.GLEAM_HEALTH_FILE || '/tmp/gleam-listen';
let target;
try {
  target = fs.readFileSync(file, 'utf8').trim();
} catch {
  process.exit(0);
}
const at = target.lastIndexOf(':');
const host = target.slice(0, at);
const port = Number(target.slice(at + 1));
const socket = net.connect({ host: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host, port });
const fail = (why) => {
  process.stderr.write(`unhealthy: ${target}: ${why}\n`);
  process.exit(1);
};
socket.setTimeout(3000, () => fail('no connection within 3000 ms'));
socket.once('error', (e) => fail(e.message));
socket.once('connect', () => {
  socket.end();
  process.stdout.write(`healthy: ${target} accepts connections\n`);
  process.exit(0);
});
