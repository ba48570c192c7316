#!/usr/bin/env node
// Gleam CSV inner join, local mode: orders (key,order_id,amount) with customers
// (key,name,segment) on key.
//
//   node gleam-join.js <orders.csv> <customers.csv> <outDir> [executors]
//
// Writes "key\torder_id\tamount\tname\tsegment" lines to <outDir>/part-NNNNN; prints nothing.
'use strict';
const { Flow } = require('@gleam/flow-dsl');

const [orders, customers, outDir, executors = '2'] = process.argv.slice(2);
if (!orders || !customers || !outDir) {
  process.stderr.write('usage: node gleam-join.js <orders.csv> <customers.csv> <outDir> [executors]\n');
  process.exit(2);
}

const flow = new Flow('bench csv join');
flow.csv(orders, { header: true })
  .join(flow.csv(customers, { header: true }), { by: [1] })
  .saveAsTextFile(outDir)
  .run({ executors: Number(executors) })
  .catch((err) => {
    process.stderr.write(`gleam-join: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
