// The hygiene cases in local mode (2 executor threads).
import { cases } from './cases';
import { checkCase } from './support';

jest.setTimeout(30000);

test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
  await checkCase(c, { executors: 2 });
});
