// tf-idf: the terms that characterise each document of a set.
//   tf(d, t)  = how many times term t occurs in document d
//   df(t)     = how many documents contain t
//   tfidf     = tf(d, t) * ln(N / df(t)), N = the number of documents
// Every document is its own textFile, its words tagged with the document's name through
// `params`; the tagged datasets are unioned. Prints the 3 best terms of every document
// (score descending, then term), documents in name order: "doc<TAB>term<TAB>score".
//   npx ts-node examples/tfidf.ts ['dir/*.txt']
//   gleam run examples/tfidf.ts ['dir/*.txt'] [--master host:port]
// The argument is a file, a directory (its files) or a glob in the file name part (quote it
// so the shell leaves it alone); terms are runs of letters, lower-cased.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';

/** Inside UDFs, the values given with `{ params }` (UDFs cannot see driver variables). */
declare const params: { doc: string; n: number; top: number };

const pattern = process.argv[2] ?? path.join(__dirname, 'data', 'docs', '*.txt');
const TOP = 3;

/** The documents: a file, a directory's files, or `dir/<glob>` (`*`, `?`, `[abc]` in the name). */
function documents(p: string): string[] {
  const abs = path.resolve(p);
  let dir = abs;
  let match = (_name: string) => true;
  if (/[*?[]/.test(path.basename(abs))) {
    dir = path.dirname(abs);
    const re = new RegExp(`^${path.basename(abs).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.').replace(/\[!/g, '[^')}$`);
    match = (name) => re.test(name);
  } else if (!fs.statSync(abs).isDirectory()) return [abs];
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.startsWith('_') && match(e.name))
    .map((e) => path.join(dir, e.name))
    .sort();
  if (files.length === 0) throw new Error(`no document matches ${p}`);
  return files;
}

async function main(): Promise<void> {
  const files = documents(pattern);
  const names = files.map((f) => path.basename(f));
  if (new Set(names).size !== names.length) throw new Error('two documents have the same file name');
  const n = files.length;

  const flow = new Flow('tf-idf');
  // [doc, term, 1] for every word of every document.
  const tagged = files.map((file, i) =>
    flow
      .textFile(file)
      .flatMap((line: string) => line.toLowerCase().match(/[a-z]+/g) ?? [])
      .map((term: string) => [params.doc, term, 1], { params: { doc: names[i] } }),
  );
  const words = tagged[0].union(...tagged.slice(1));

  // [doc, term, tf]
  const tf = words.reduceBy((a: number, b: number) => a + b, { by: [1, 2] });
  // [term, df]
  const df = tf.map((_doc, term) => [term, 1]).reduceBy((a: number, b: number) => a + b);
  // [term, doc, tf, df]
  const joined = tf.map((doc, term, count) => [term, doc, count]).join(df);
  // [doc, [[term, score], ...]]
  const scored = joined
    .map((term, doc, count, docs) => [doc, term, count * Math.log(params.n / docs)], { params: { n } })
    .groupBy({ by: [1] });

  await scored
    .flatMap(
      (doc, terms) =>
        [...terms]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .slice(0, params.top)
          .map(([term, score], rank) => [doc, rank, term, score]),
      { params: { top: TOP } },
    )
    .sort({ by: [1, 2] })
    .select(1, 3, 4)
    .printf('%s\t%s\t%.4f\n')
    .run();
}

main().catch((e) => {
  process.stderr.write(`tfidf: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
