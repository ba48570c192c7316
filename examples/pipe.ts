// Unix tools as steps: words go through `sort` and `uniq -c` inside the flow.
//   npx ts-node examples/pipe.ts [file-or-glob]
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';

const input = process.argv[2] ?? path.join(__dirname, 'data', 'sample.txt');

new Flow('pipe word count')
  .textFile(input, { partitions: 1 })
  .flatMap('(line) => line.split(/[^A-Za-z]+/).filter(Boolean)')
  .pipe('LC_ALL=C sort')
  .pipe('uniq -c')
  .map((line: string) => {
    const m = /^\s*(\d+) (.*)$/.exec(line);
    return m ? [m[2], Number(m[1])] : undefined;
  })
  .printf('%s\t%d\n')
  .run();
