// The allocator's invariant under any sequence of requests, releases and agent deaths.
import fc from 'fast-check';
import { SlotAllocator } from '../src/slotAllocator';

const AGENTS = [
  { address: 'a:1', executors: 3 },
  { address: 'b:1', executors: 1 },
  { address: 'c:1', executors: 4 },
];

test('never grants an agent more than its executors, and grants all it can', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('allocate' as const), job: fc.integer({ min: 0, max: 3 }), want: fc.integer({ min: 0, max: 10 }), alive: fc.subarray([0, 1, 2]) }),
    fc.record({ kind: fc.constant('release' as const), job: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('drop' as const), agent: fc.integer({ min: 0, max: 2 }) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
      const s = new SlotAllocator();
      for (const o of ops) {
        if (o.kind === 'allocate') {
          const alive = o.alive.map((i) => AGENTS[i]);
          const freeBefore = alive.reduce((n, a) => n + a.executors - s.allocatedOn(a.address), 0);
          const grants = s.allocate(`j${o.job}`, o.want, alive);
          const got = grants.reduce((n, g) => n + g.slots, 0);
          expect(got).toBe(Math.min(o.want, freeBefore));
          for (const g of grants) expect(alive.map((a) => a.address)).toContain(g.agent);
        } else if (o.kind === 'release') s.release(`j${o.job}`);
        else s.dropAgent(AGENTS[o.agent].address);
        for (const a of AGENTS) {
          const sum = s.jobIds().reduce((n, j) => n + s.grantsOf(j).filter((g) => g.agent === a.address).reduce((m, g) => m + g.slots, 0), 0);
          expect(s.allocatedOn(a.address)).toBe(sum);
          expect(sum).toBeLessThanOrEqual(a.executors);
        }
      }
    }),
    { numRuns: 300 },
  );
});

test('successive one-slot requests rotate over the agents', () => {
  const s = new SlotAllocator();
  const agents = [
    { address: 'a:1', executors: 8 },
    { address: 'b:1', executors: 8 },
  ];
  const first = s.allocate('x', 1, agents)[0].agent;
  const second = s.allocate('y', 1, agents)[0].agent;
  expect(new Set([first, second]).size).toBe(2);
});
