// Top-k: the k most frequent words (ties broken by the word), largest first.
//   npx ts-node examples/topk.ts [file-or-glob] [k]
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';

const input = process.argv[2] ?? path.join(__dirname, 'data', 'sample.txt');
const k = Number(process.argv[3] ?? 10);

new Flow('top k words')
  .textFile(input)
  .flatMap('(line) => line.toLowerCase().split(/[^a-z]+/).filter(Boolean)')
  .map('(word) => [word, 1]')
  .reduceBy('(a, b) => a + b')
  .top(k, { by: [2] })
  .printf('%s\t%d\n')
  .run();
