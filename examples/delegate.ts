// delegate: every row goes to a remote scoring service and comes back with its answer. The
// service here is a small HTTP server of the script's own (on a free port of 127.0.0.1); in real
// use it is a REST endpoint or a Lambda function URL.
//   npx ts-node examples/delegate.ts [file-or-glob]
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';

const input = process.argv[2] ?? path.join(__dirname, 'data', 'sample.txt');

// The scoring service: POST a word, get { letters, vowels } back after a short pause; it wants a
// bearer token (delegate's headers, never printed by Gleam).
const TOKEN = 'Bearer example-token';
function score(word: string): { letters: number; vowels: number } {
  return { letters: word.length, vowels: (word.match(/[aeiou]/g) ?? []).length };
}
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.headers.authorization !== TOKEN) {
      res.writeHead(401).end('who are you?');
      return;
    }
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(score(JSON.parse(body))));
    }, 5);
  });
});

async function main(): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`;
  const flow = new Flow('delegate example');
  try {
    const rows = await flow
      .textFile(input)
      .flatMap('(line) => line.toLowerCase().split(/[^a-z]+/).filter(Boolean)')
      .distinct()
      .delegate({ url, headers: { authorization: TOKEN }, retries: 2 })
      // [word, { letters, vowels }] -> [word, letters, vowels]
      .map((word: string, s: { letters: number; vowels: number }) => [word, s.letters, s.vowels])
      .sort({ by: [[3, 'desc'], 1] })
      .limit(10)
      .collect();
    console.log('word\tletters\tvowels');
    for (const [word, letters, vowels] of rows) console.log(`${word}\t${letters}\t${vowels}`);
  } finally {
    await flow.close();
    server.close();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  server.close();
  process.exitCode = 1;
});
