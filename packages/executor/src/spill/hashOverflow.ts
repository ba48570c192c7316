// Hash partitions on disk for keyed state over budget (the grace hash join's way out): rows of
// keys the stage no longer keeps in memory go to one of FANOUT files by a hash of their key,
// in input order, so each file later holds every row of its keys and can be processed alone.
import type { Row } from '../codec/rowCodec';
import { hashKey } from '../keys/keyHash';
import { SpillWriter } from './spillFile';
import type { TaskSpills } from './taskSpills';

const FANOUT = 16;
/** Levels of re-partitioning before a partition is processed whatever its size (4 hash bits each). */
export const MAX_SPILL_LEVEL = 7;

export class HashOverflow {
  private readonly writers: (SpillWriter | undefined)[] = new Array(FANOUT).fill(undefined);
  private readonly salt: number;
  constructor(private readonly spills: TaskSpills, private readonly keyFields: number[], readonly level: number) {
    // The shuffle already split keys by hash modulo the partition count: mix with a per-level salt
    // so the files split this task's keys evenly, and differently again at the next level.
    this.salt = Math.imul(level + 1, 0x9e3779b9);
  }

  /** Writes a row under the key in `keyFields` of `keyRow` (the row itself unless given). */
  add(row: Row, keyRow: Row = row): void {
    let h = Math.imul(hashKey(keyRow, this.keyFields) ^ this.salt, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    const p = (h ^ (h >>> 16)) >>> 28;
    let w = this.writers[p];
    if (w === undefined) w = this.writers[p] = new SpillWriter(this.spills);
    w.add(row);
  }

  /** Closes the files; their paths, partition by partition (empty ones left out). */
  finish(): string[] {
    const out: string[] = [];
    for (const w of this.writers) {
      if (w === undefined) continue;
      w.close();
      out.push(w.path);
    }
    return out;
  }
}
