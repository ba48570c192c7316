// Word count, as in API.md: words of a text file, counted, most frequent first.
//   npx ts-node examples/wordcount.ts [file-or-glob]
//   gleam run examples/wordcount.ts [file-or-glob] [--master host:port]
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';

const input = process.argv[2] ?? path.join(__dirname, 'data', 'sample.txt');

new Flow('word count')
  .textFile(input)
  .flatMap('(line) => line.split(/[^A-Za-z]+/).filter(Boolean)')
  .map((word: string) => [word, 1])
  .reduceBy((x: number, y: number) => x + y)
  .sort({ by: [[2, 'desc'], 1] })
  .printf('%s\t%d\n')
  .run();
