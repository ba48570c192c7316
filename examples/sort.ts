// Global sort of 100-byte records (gensort style: a 10-byte key, a space, a payload) by key.
// Output is in total key order across partitions (sampled range partitioning).
//   npx ts-node examples/sort.ts [records-file] [partitions]
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';

const input = process.argv[2] ?? path.join(__dirname, 'data', 'records.txt');
const partitions = Number(process.argv[3] ?? 4);

new Flow('sort records')
  .textFile(input)
  .map((line: string) => [line.slice(0, 10), line.slice(11)])
  .sort({ by: [1], partitions })
  .printf('%s %s\n')
  .run();
