#!/usr/bin/env node
// 100-byte sort records in the format of ../shared/bench-data/gen_records.py, written here so the
// memory benchmark needs nothing outside the repository:
//   10-byte key of random '!'..'~' (no space), ' ', 32 upper-case hex digits of the record number,
//   56 filler letters (14 groups of 4 identical letters, chosen by record number mod 26), '\n'.
// The keys come from a seeded xorshift generator, not Python's Mersenne Twister: same format and
// distribution, not the same bytes as gen_records.py.
//
//   node genRecords.js OUT N [seed]
'use strict';
const fs = require('node:fs');

const FILLERS = Array.from({ length: 26 }, (_, k) => {
  let s = '';
  for (let g = 0; g < 14; g++) s += String.fromCharCode(65 + ((k + g) % 26)).repeat(4);
  return s;
});

function generate(out, n, seed = 42) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const fd = fs.openSync(out, 'w');
  const CHUNK = 50000;
  const buf = Buffer.alloc(CHUNK * 100);
  try {
    for (let i = 0; i < n; i += CHUNK) {
      const m = Math.min(CHUNK, n - i);
      let o = 0;
      for (let j = 0; j < m; j++) {
        const rec = i + j;
        for (let c = 0; c < 10; c++) buf[o++] = 33 + (next() % 94);
        buf[o++] = 32;
        o += buf.write(rec.toString(16).toUpperCase().padStart(32, '0'), o, 'latin1');
        o += buf.write(FILLERS[rec % 26], o, 'latin1');
        buf[o++] = 10;
      }
      fs.writeSync(fd, buf, 0, o);
    }
  } finally {
    fs.closeSync(fd);
  }
}

module.exports = { generate };

if (require.main === module) {
  const [out, n, seed] = process.argv.slice(2);
  if (!out || !n) {
    process.stderr.write('usage: node genRecords.js OUT N [seed]\n');
    process.exit(2);
  }
  generate(out, Number(n), seed === undefined ? 42 : Number(seed));
}
