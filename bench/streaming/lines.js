// The benchmark's lines: WORDS_PER_LINE words (lower-case letters) from a fixed vocabulary,
// picked with a Zipf-like skew by a seeded generator, so every run writes the same text; about
// 100 bytes with the newline. Shared by the line server (which writes them and adds up what it
// wrote) and the driver (which reads the probe tokens back).
'use strict';

const WORDS_PER_LINE = 13;
const VOCABULARY = 5000;
const SEED = 20261207;

/** mulberry32: a small seeded generator, enough for repeatable text. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** VOCABULARY distinct words of 4 to 10 letters. */
function vocabulary() {
  const rnd = random(SEED);
  const words = new Set();
  while (words.size < VOCABULARY) {
    const len = 4 + Math.floor(rnd() * 7);
    let w = '';
    for (let i = 0; i < len; i++) w += String.fromCharCode(97 + Math.floor(rnd() * 26));
    words.add(w);
  }
  return [...words];
}

/**
 * n lines in one Buffer (each ending in \n) with offsets[i] .. offsets[i + 1] the bytes of line
 * i; text(i) is line i without its newline.
 */
function makeLines(n) {
  const words = vocabulary();
  const rnd = random(SEED + 1);
  // Zipf-like: word k (0-based) picked with weight 1 / (k + 1), by inverting the cumulative sums.
  const cumulative = new Float64Array(words.length);
  let sum = 0;
  for (let k = 0; k < words.length; k++) cumulative[k] = sum += 1 / (k + 1);
  const pick = () => {
    const x = rnd() * sum;
    let lo = 0;
    let hi = words.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
  const texts = new Array(n);
  for (let i = 0; i < n; i++) {
    const ws = new Array(WORDS_PER_LINE);
    for (let j = 0; j < WORDS_PER_LINE; j++) ws[j] = pick();
    texts[i] = ws.join(' ');
  }
  const buffer = Buffer.from(`${texts.join('\n')}\n`, 'latin1');
  const offsets = new Uint32Array(n + 1);
  for (let i = 0, at = 0; i < n; i++) {
    offsets[i] = at;
    at += texts[i].length + 1;
  }
  offsets[n] = buffer.length;
  return { buffer, offsets, text: (i) => texts[i] };
}

/** The words after a probe's token: WORDS_PER_LINE - 1 fixed words of the vocabulary. */
function probeSuffix() {
  return vocabulary().slice(0, WORDS_PER_LINE - 1).join(' ');
}

/** Adds each space-separated word of `line` `times` times to counts. */
function addWords(counts, line, times) {
  for (const w of line.split(' ')) counts.set(w, (counts.get(w) || 0) + times);
}

const isProbe = (word) => word.startsWith('probe-');

/** The send time (ms) in a probe token `probe-<id>-<ms>`. */
function probeSentMs(word) {
  return Number(word.slice(word.lastIndexOf('-') + 1));
}

module.exports = { WORDS_PER_LINE, makeLines, probeSuffix, addWords, isProbe, probeSentMs };
