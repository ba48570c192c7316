#!/usr/bin/env node
// The groupBy and join of the bounded-memory benchmark, on 100-byte records (gen_records.py):
//
//   node gleam-jobs.js groupBy <records> <outDir> <master>   # [key[0:3], count, least id] lines
//   node gleam-jobs.js join <records> <small records> <master>  # prints the joined row count
//
// groupBy keys each record by its first 3 key characters and holds every record's 32-character
// id until its group is complete; join joins the records with a second file on the same 3
// characters (a sort-merge join: both sides' rows are held per partition).
'use strict';
const { Flow } = require('@gleam/flow-dsl');

const [job, file, other, master] = process.argv.slice(2);
if (!['groupBy', 'join'].includes(job) || !file || !other || !master) {
  process.stderr.write('usage: node gleam-jobs.js groupBy <records> <outDir> <master> | join <records> <small records> <master>\n');
  process.exit(2);
}

const keyed = '(line) => [line.slice(0, 3), line.slice(11, 43)]';
const f = new Flow(`bench memory ${job}`);
const run =
  job === 'groupBy'
    ? f
        .textFile(file)
        .map(keyed)
        .groupBy()
        .map('(k, ids) => [k, ids.length, ids.reduce((a, b) => (b < a ? b : a))]')
        .saveAsTextFile(other)
        .run({ master })
    : f
        .textFile(file)
        .map(keyed)
        .join(f.textFile(other).map(keyed))
        .count({ master })
        .then((n) => process.stdout.write(`${n}\n`));

run.catch((err) => {
  process.stderr.write(`gleam-jobs ${job}: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
