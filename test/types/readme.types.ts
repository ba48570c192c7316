// The README's word count, as written there: it must compile under tsc --strict.
import { Flow } from '@gleam/flow-dsl';

new Flow('word count')
  .textFile('/etc/passwd')
  .flatMap('(line) => line.split(/[^A-Za-z]+/).filter(Boolean)')
  .map((word: string) => [word, 1])
  .reduceBy((x: number, y: number) => x + y)
  .sort({ by: [[2, 'desc']] })
  .printf('%s\t%d\n')
  .run();
