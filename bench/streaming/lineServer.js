// The line source of the streaming benchmark, run as a child process (fork) so that writing lines
// does not take event-loop time from the driver it measures: a TCP server on 127.0.0.1 that
// writes pre-generated lines of about 100 bytes (WORDS_PER_LINE words of a fixed vocabulary) to
// the one client that connects (the driver's socketTextStream), at a rate the parent sets,
// paced every TICK_MS. About PROBES_PER_S lines are "probe" lines whose first word is
// `probe-<id>-<send time in ms>`, made when written; the rest are slices of one Buffer, so a
// tick costs one or two write() calls whatever the rate.
//
// Messages from the parent: { type: 'rate', rate } (lines/s; 0 pauses), { type: 'stats' },
// { type: 'totals' } (the counts of every word written so far), { type: 'stop' }.
// To the parent: { type: 'ready', port, wordsPerLine, lineBytes }, { type: 'stats', ... },
// { type: 'totals', ... }.
'use strict';
const net = require('node:net');
const { WORDS_PER_LINE, makeLines, probeSuffix, addWords } = require('./lines');

const TICK_MS = 10;
const PROBES_PER_S = 100;
const POOL_LINES = 1 << 16;
/** Bytes queued in the socket's user-space buffer past which a tick writes nothing (the reader is behind). */
const MAX_QUEUED = 4 << 20;
/** At most this many ticks' worth of lines in one tick when catching up after a stall. */
const MAX_CATCH_UP_TICKS = 5;

const pool = makeLines(POOL_LINES);
const suffix = probeSuffix();

let socket;
let rate = 0;
let rateStart = 0;
let dueBase = 0;
let lines = 0;
let bytes = 0;
let poolPos = 0;
/** Whole passes over the pool, and lines into the current pass. */
let passes = 0;
let probes = 0;
let nextProbeMs = 0;
let stalledTicks = 0;
let ticks = 0;
let timer;

const server = net.createServer((s) => {
  if (socket) {
    // One reader only: a second connection would split the lines between two receivers.
    s.destroy();
    return;
  }
  socket = s;
  s.setNoDelay(true);
  s.on('error', () => undefined);
  s.on('close', () => {
    if (socket === s) socket = undefined;
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port, wordsPerLine: WORDS_PER_LINE, lineBytes: pool.buffer.length / POOL_LINES });
  timer = setInterval(tick, TICK_MS);
});

function setRate(r) {
  rate = r;
  rateStart = Date.now();
  dueBase = lines;
  nextProbeMs = rateStart;
}

function tick() {
  ticks++;
  if (rate === 0 || !socket || socket.destroyed) return;
  if (socket.writableLength > MAX_QUEUED) {
    stalledTicks++;
    return;
  }
  const now = Date.now();
  let due = Math.floor((rate * (now - rateStart)) / 1000) - (lines - dueBase);
  if (due <= 0) return;
  const maxPerTick = Math.ceil((rate * TICK_MS * MAX_CATCH_UP_TICKS) / 1000);
  if (due > maxPerTick) {
    // Behind by more than a few ticks (the reader paused us): the lost time is not made up later.
    dueBase -= due - maxPerTick;
    due = maxPerTick;
  }
  if (now >= nextProbeMs) {
    // A probe line: unique token with its send time, then fixed filler words.
    const line = `probe-${probes}-${now} ${suffix}\n`;
    probes++;
    socket.write(line);
    bytes += line.length;
    lines++;
    due--;
    nextProbeMs += 1000 / PROBES_PER_S;
    if (nextProbeMs < now) nextProbeMs = now + 1000 / PROBES_PER_S;
  }
  while (due > 0) {
    const n = Math.min(due, POOL_LINES - poolPos);
    const from = pool.offsets[poolPos];
    const to = pool.offsets[poolPos + n];
    socket.write(pool.buffer.subarray(from, to));
    bytes += to - from;
    lines += n;
    due -= n;
    poolPos += n;
    if (poolPos === POOL_LINES) {
      poolPos = 0;
      passes++;
    }
  }
}

/** The count of every word written: whole passes over the pool, the current pass so far, and the probes' fillers. */
function totals() {
  const counts = new Map();
  const perPass = new Map();
  for (let i = 0; i < POOL_LINES; i++) addWords(perPass, pool.text(i), 1);
  for (const [w, n] of perPass) counts.set(w, n * passes);
  for (let i = 0; i < poolPos; i++) addWords(counts, pool.text(i), 1);
  addWords(counts, suffix, probes);
  return { lines, probes, bytes, counts: [...counts] };
}

process.on('message', (m) => {
  if (m.type === 'rate') {
    setRate(m.rate);
    process.send({ type: 'rateSet', rate: m.rate });
  } else if (m.type === 'stats') {
    process.send({ type: 'stats', timeMs: Date.now(), lines, bytes, probes, stalledTicks, ticks, queued: socket ? socket.writableLength : 0, connected: Boolean(socket) });
  } else if (m.type === 'totals') {
    process.send({ type: 'totals', ...totals() });
  } else if (m.type === 'stop') {
    stop();
  }
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  socket?.destroy();
  server.close();
  if (process.connected) process.disconnect();
  setTimeout(() => process.exit(0), 100).unref();
}

// The parent gone (crashed or killed): nothing left to serve.
process.on('disconnect', stop);
