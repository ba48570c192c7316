// `params` inside UDFs under --strict: the opt-in global declaration (fields `any` unless named
// by merging into GleamUdfParams), and what params may carry.
import type {} from '@gleam/flow-dsl/dist/udfParams';
import { Flow } from '@gleam/flow-dsl';
import { check, type Equal, type RowOf } from './assert';

declare global {
  interface GleamUdfParams {
    threshold: number;
  }
}

const flow = new Flow('params');
const nums = flow.ints([1, 2, 3]);
// A named field is typed...
const kept = nums.filter((n) => n > params.threshold, { params: { threshold: 2 } });
check<Equal<RowOf<typeof kept>, [number]>>();
// ...the others are any, so strict code needs no cast.
const scaled = nums.map((n) => n * params.factor, { params: { factor: 10 } });
check<Equal<RowOf<typeof scaled>, [number]>>();
// Broadcasts and accumulators travel in params too.
const big = flow.broadcast(new Map([[1, 'one']]));
const hits = flow.accumulator(0);
nums.map((n) => { params.hits.add(1); return [n, params.big.get(n) ?? '']; }, { params: { big, hits } });

// @ts-expect-error params is an object of named values
nums.map((n) => n, { params: 3 });
// @ts-expect-error a named field keeps its type
const wrong: string = params.threshold;
void wrong;
