import * as path from 'node:path';
// Logical DAG -> physical plan. Composite operators expand into instructions and shuffles;
// chains of narrow steps with one reader fuse into step groups (Gleam's rule); each step group
// becomes one task group per partition.
import { checkUdfSyntax, isFlowShard, type InstructionSpec, type OrderBy, type TaskGroupSpec, type TaskInput, type TaskOutput } from '@gleam/executor';
import type { DriverSink, DriverSource, PhysicalPlan } from '@gleam/driver';
import type { ResolvedOptions } from '../options';
import { planSplits, expandGlob } from '../sources/textFiles';
import type { LogicalNode } from '../steps';
import type { PlanDescription, StepGroupInfo, TaskGroupInfo } from './planTypes';
import { driverRowsSource, sourceFnSource } from '../sources/driverSources';

/** A sink on a dataset: the planner gives it the shards to read in partition order. */
export interface SinkRequest {
  node: LogicalNode;
  name: string;
  /** The sink writes rows as TSV lines, so it can take shards the executors wrote as text. */
  acceptsText?: boolean;
  /** text: the shards hold TSV text (see TaskOutput), not row frames. */
  make(shards: string[], text: boolean): DriverSink;
}

interface GroupDraft {
  index: number;
  partitions: number;
  inputs: TaskInput[];
  stepNames: string[];
  instructions: InstructionSpec[];
  output?: (p: number) => TaskOutput;
}

/** Rows of a dataset: still open (narrow steps may fuse into the group) or written to shards. */
type Rows = { kind: 'open'; group: GroupDraft } | { kind: 'shards'; shards: string[][] };

const SAMPLE_PER_PARTITION = 100;

const JOIN_STEP_NAMES = { inner: 'JoinPartitionedSorted', left: 'LeftOuterJoin', right: 'RightOuterJoin', full: 'FullOuterJoin' } as const;

/** What the planner knows of a Flow's cached datasets. */
export interface CacheView {
  /** Shard name prefix of this Flow's cached datasets (starts with FLOW_SHARD_PREFIX). */
  prefix: string;
  /** Shards (one per partition) of a cached dataset already computed, if any. */
  shardsOf(node: LogicalNode): string[] | undefined;
}

/** A cached dataset this plan computes: its shards are kept once the job succeeds. */
export interface CacheWrite {
  node: LogicalNode;
  shards: string[];
}

export interface PlannedFlow {
  plan: PhysicalPlan;
  description: PlanDescription;
  cacheWrites: CacheWrite[];
}

export function planFlow(flowName: string, sinks: SinkRequest[], opts: ResolvedOptions, cache?: CacheView): PlannedFlow {
  return new Planner(flowName, opts, cache).plan(sinks);
}

class Planner {
  private readonly groups: GroupDraft[] = [];
  private readonly driverGroups: StepGroupInfo[] = [];
  private readonly driverTaskGroups: { info: TaskGroupInfo; order: number }[] = [];
  private readonly sources: DriverSource[] = [];
  private readonly readers = new Map<LogicalNode, number>();
  private readonly memo = new Map<LogicalNode, Rows>();
  private groupCounter = 0;

  private readonly cacheWrites: CacheWrite[] = [];

  constructor(private readonly flowName: string, private readonly opts: ResolvedOptions, private readonly cache?: CacheView) {}

  plan(sinks: SinkRequest[]): PlannedFlow {
    this.countReaders(sinks.map((s) => s.node));
    for (const s of sinks) this.readers.set(s.node, (this.readers.get(s.node) ?? 0) + 1);
    const sinkShards: string[][] = [];
    for (const s of sinks) {
      const shards = this.materialize(s.node);
      const flat = shards.map((list) => {
        if (list.length !== 1) throw new Error('internal: a sink reads one shard per partition');
        return list[0];
      });
      sinkShards.push(flat);
      const index = this.groupCounter++;
      this.driverGroups.push({ index, partitions: 1, driverSide: true, steps: [s.name] });
      this.driverTaskGroups.push({ order: index, info: { name: `${s.name}.0`, stepGroup: index, inputs: flat.map((x) => `shard: ${x}`), outputs: [] } });
    }
    const taskGroups: TaskGroupSpec[] = [];
    const infos: { info: TaskGroupInfo; order: number }[] = [...this.driverTaskGroups];
    for (const g of this.groups) {
      if (!g.output) throw new Error(`internal: step group ${g.index} has no output`);
      for (let p = 0; p < g.partitions; p++) {
        const spec: TaskGroupSpec = {
          id: `tg${g.index}.${p}`,
          name: g.stepNames.map((n) => `${n}.${p}`).join('-'),
          stepGroup: g.index,
          partition: p,
          input: g.inputs[p],
          instructions: this.instructionsFor(g, p),
          output: g.output(p),
        };
        taskGroups.push(spec);
        infos.push({ order: g.index, info: describeTask(spec) });
      }
    }
    const driverSinks = sinks.map((s, i) => s.make(sinkShards[i], this.textOutputs(s, sinkShards[i], taskGroups)));
    const stepGroups: StepGroupInfo[] = [
      ...this.driverGroups,
      ...this.groups.map((g) => ({ index: g.index, partitions: g.partitions, driverSide: false, steps: g.stepNames })),
    ].sort((a, b) => a.index - b.index);
    infos.sort((a, b) => a.order - b.order);
    return {
      plan: { name: this.flowName, taskGroups, sources: this.sources, sinks: driverSinks },
      description: { flowName: this.flowName, stepGroups, taskGroups: infos.map((i) => i.info) },
      cacheWrites: this.cacheWrites,
    };
  }

  /**
   * Lets the tasks that write a text sink's shards write TSV text (formatted in parallel, no
   * msgpack on either side) when nothing else reads those shards: the sink is the dataset's only
   * reader, the shards are not a cached dataset's, and every one is a task's single output.
   */
  private textOutputs(sink: SinkRequest, shards: string[], taskGroups: TaskGroupSpec[]): boolean {
    if (!sink.acceptsText || this.readers.get(sink.node) !== 1 || shards.some(isFlowShard)) return false;
    const writers = shards.map((shard) => taskGroups.find((t) => t.output.kind === 'shard' && t.output.shard === shard));
    if (writers.some((t) => t === undefined)) return false;
    for (const t of writers) t!.output = { ...(t!.output as { kind: 'shard'; shard: string }), text: 'tsv' };
    return true;
  }

  private countReaders(roots: LogicalNode[]): void {
    const seen = new Set<LogicalNode>();
    const visit = (n: LogicalNode) => {
      if (seen.has(n)) return;
      seen.add(n);
      for (const i of n.inputs) {
        this.readers.set(i, (this.readers.get(i) ?? 0) + 1);
        visit(i);
      }
    };
    roots.forEach(visit);
  }

  private newGroup(partitions: number, inputs: TaskInput[]): GroupDraft {
    const g: GroupDraft = { index: this.groupCounter++, partitions, inputs, stepNames: [], instructions: [] };
    this.groups.push(g);
    return g;
  }

  /** The rows of a node; datasets read more than once are written to shards once. */
  private rowsOf(node: LogicalNode): Rows {
    const memo = this.memo.get(node);
    if (memo) return memo;
    if (node.cached && this.cache) {
      // Computed by an earlier action: read its shards. Else compute it into the Flow's shards.
      const kept = this.cache.shardsOf(node);
      let rows: Rows;
      if (kept) rows = { kind: 'shards', shards: kept.map((s) => [s]) };
      else {
        const g = this.open(this.build(node));
        // A dataset that is already shards (a driver source, a union) is copied by a task of its own.
        if (g.stepNames.length === 0) g.stepNames.push('Cache');
        rows = { kind: 'shards', shards: this.closeInto(g, node, `${this.cache.prefix}d${node.id}`) };
      }
      this.memo.set(node, rows);
      return rows;
    }
    let rows = this.build(node);
    if ((this.readers.get(node) ?? 0) > 1 && rows.kind === 'open') rows = { kind: 'shards', shards: this.close(rows.group, node.id) };
    if (rows.kind === 'shards') this.memo.set(node, rows);
    return rows;
  }

  private materialize(node: LogicalNode): string[][] {
    const rows = this.rowsOf(node);
    return rows.kind === 'shards' ? rows.shards : this.close(rows.group, node.id);
  }

  /** Ends an open group by writing partition p to shard d<id>-s<p>. */
  private close(g: GroupDraft, datasetId: number | string): string[][] {
    g.output = (p) => ({ kind: 'shard', shard: `d${datasetId}-s${p}` });
    return Array.from({ length: g.partitions }, (_, p) => [`d${datasetId}-s${p}`]);
  }

  /** Ends a group writing partition p to `<base>-s<p>`, recorded as a cache write. */
  private closeInto(g: GroupDraft, node: LogicalNode, base: string): string[][] {
    const shards = Array.from({ length: g.partitions }, (_, p) => `${base}-s${p}`);
    g.output = (p) => ({ kind: 'shard', shard: shards[p] });
    this.cacheWrites.push({ node, shards });
    return shards.map((s) => [s]);
  }

  private open(rows: Rows): GroupDraft {
    if (rows.kind === 'open') return rows.group;
    return this.newGroup(rows.shards.length, rows.shards.map((s) => ({ kind: 'shards', shards: s })));
  }

  /** Shuffle: each producer partition i writes shard d<id>-s<i>-<j> for every target j. */
  private shuffleShards(datasetId: number | string, producers: number, targets: number): { byProducer: string[][]; byTarget: string[][] } {
    const byProducer = Array.from({ length: producers }, (_, i) => Array.from({ length: targets }, (_, j) => `d${datasetId}-s${i}-${j}`));
    const byTarget = Array.from({ length: targets }, (_, j) => byProducer.map((row) => row[j]));
    return { byProducer, byTarget };
  }

  private hashShuffle(g: GroupDraft, node: LogicalNode, key: number[] | null, targets: number, stepName: string): GroupDraft {
    const byTarget = this.scatter(g, node.id, key, targets);
    const next = this.newGroup(targets, byTarget.map((shards) => ({ kind: 'shards', shards })));
    next.stepNames.push(stepName);
    return next;
  }

  /** Ends a group with a hash scatter into `targets` partitions; returns each target's shards. */
  private scatter(g: GroupDraft, tag: number | string, key: number[] | null, targets: number): string[][] {
    const { byProducer, byTarget } = this.shuffleShards(tag, g.partitions, targets);
    g.stepNames.push('ScatterPartitions');
    g.output = (p) => ({ kind: 'hash', key, shards: byProducer[p] });
    return byTarget;
  }

  /**
   * Two inputs hash-partitioned alike (by key, or by whole rows when key is null) and met
   * partition by partition: the left side is the task's input, the right side a side input.
   */
  private coPartitioned(node: LogicalNode, key: number[] | null, partitions: number | undefined, stepName: string, make: (side: string[]) => InstructionSpec): Rows {
    const n = partitions ?? this.opts.partitions;
    const left = this.scatter(this.open(this.rowsOf(node.inputs[0])), `${node.id}a`, key, n);
    const right = this.scatter(this.open(this.rowsOf(node.inputs[1])), `${node.id}b`, key, n);
    const g = this.newGroup(n, left.map((shards) => ({ kind: 'shards', shards })));
    g.stepNames.push(stepName);
    const base = make([]);
    g.instructions.push(base);
    this.perPartition.set(base, (p) => ({ ...base, side: right[p] }) as InstructionSpec);
    return { kind: 'open', group: g };
  }

  /** The second input broadcast whole to every partition of the first (which stays open). */
  private broadcast(node: LogicalNode, stepName: string, make: (side: string[]) => InstructionSpec): Rows {
    const small = this.materialize(node.inputs[1]).flat();
    const g = this.open(this.rowsOf(node.inputs[0]));
    g.stepNames.push(stepName);
    g.instructions.push(make(small));
    return { kind: 'open', group: g };
  }

  /** All partitions -> one, read in partition order. */
  private gather(g: GroupDraft, node: LogicalNode, stepName: string): GroupDraft {
    const { byProducer, byTarget } = this.shuffleShards(node.id, g.partitions, 1);
    g.output = (p) => ({ kind: 'shard', shard: byProducer[p][0] });
    const next = this.newGroup(1, [{ kind: 'shards', shards: byTarget[0] }]);
    next.stepNames.push(stepName);
    return next;
  }

  private build(node: LogicalNode): Rows {
    const st = node.step;
    const step = node.stepName;
    switch (st.kind) {
      case 'textFile': {
        const files = expandGlob(st.pattern, step);
        const splits = planSplits(files, st.partitions, this.opts.partitions);
        const g = this.newGroup(splits.length, splits.map((s) => ({ kind: 'textSplit', path: s.path, start: s.start, end: s.end, step })));
        g.stepNames.push('TextFile');
        return { kind: 'open', group: g };
      }
      case 'csv': {
        // One partition per file whatever st.partitions says: quoted newlines make byte splits unsafe.
        const files = expandGlob(st.pattern, step);
        const g = this.newGroup(files.length, files.map((f) => ({ kind: 'csvFile', path: f, delimiter: st.delimiter, header: st.header, step })));
        g.stepNames.push(st.delimiter === '\t' ? 'Tsv' : 'Csv');
        return { kind: 'open', group: g };
      }
      case 'driverRows':
      case 'sourceFn': {
        const src = st.kind === 'driverRows' ? driverRowsSource(st, node, this.opts.partitions) : sourceFnSource(st, node);
        this.sources.push(src);
        const index = this.groupCounter++;
        this.driverGroups.push({ index, partitions: src.shards.length, driverSide: true, steps: [st.kind === 'driverRows' ? st.label : 'Source'] });
        src.shards.forEach((s, p) =>
          this.driverTaskGroups.push({ order: index, info: { name: `${st.kind === 'driverRows' ? st.label : 'Source'}.${p}`, stepGroup: index, inputs: [], outputs: [`shard: ${s}`] } }),
        );
        return { kind: 'shards', shards: src.shards.map((s) => [s]) };
      }
      case 'narrow': {
        const ins = st.instruction;
        if ('udf' in ins) checkUdfSyntax(ins.udf.source, step);
        const g = this.open(this.rowsOf(node.inputs[0]));
        g.stepNames.push(st.name);
        if (ins.op === 'sampleKeys') throw new Error('internal: sampleKeys is planner-only');
        g.instructions.push(ins);
        return { kind: 'open', group: g };
      }
      case 'reduceBy': {
        checkUdfSyntax(st.udf.source, step);
        const g = this.open(this.rowsOf(node.inputs[0]));
        g.stepNames.push('LocalReduceBy');
        g.instructions.push({ op: 'reduceByKey', step, udf: st.udf, key: st.key });
        // The combine emits keys first ([...keys, value]): shuffle and merge on those positions.
        const keysFirst = st.key.map((_, i) => i);
        const next = this.hashShuffle(g, node, keysFirst, st.partitions ?? this.opts.partitions, 'CollectPartitions');
        next.stepNames.push('MergeReduceBy');
        next.instructions.push({ op: 'reduceByKey', step, udf: st.udf, key: keysFirst });
        return { kind: 'open', group: next };
      }
      case 'groupBy': {
        const g = this.open(this.rowsOf(node.inputs[0]));
        const next = this.hashShuffle(g, node, st.key, st.partitions ?? this.opts.partitions, 'CollectPartitions');
        next.stepNames.push('GroupBy');
        next.instructions.push({ op: 'groupByKey', step, key: st.key, merge: false });
        return { kind: 'open', group: next };
      }
      case 'distinct': {
        const g = this.open(this.rowsOf(node.inputs[0]));
        g.stepNames.push('LocalDistinct');
        g.instructions.push({ op: 'distinct', step, key: st.key });
        const key = st.key ?? null;
        const next = this.hashShuffle(g, node, key, st.partitions ?? this.opts.partitions, 'CollectPartitions');
        next.stepNames.push('Distinct');
        next.instructions.push({ op: 'distinct', step, key });
        return { kind: 'open', group: next };
      }
      case 'sort':
        return { kind: 'open', group: this.planSort(node, st.orderBy, st.partitions ?? this.opts.partitions) };
      case 'top': {
        const g = this.open(this.rowsOf(node.inputs[0]));
        g.stepNames.push('LocalTop');
        g.instructions.push({ op: 'localTop', step, n: st.n, orderBy: st.orderBy });
        const next = this.gather(g, node, 'MergeTo');
        next.stepNames.push('LocalTop');
        next.instructions.push({ op: 'localTop', step, n: st.n, orderBy: st.orderBy });
        return { kind: 'open', group: next };
      }
      case 'limit': {
        const g = this.open(this.rowsOf(node.inputs[0]));
        g.stepNames.push('LocalLimit');
        g.instructions.push({ op: 'localLimit', step, n: st.n });
        const next = this.gather(g, node, 'MergeTo');
        next.stepNames.push('LocalLimit');
        next.instructions.push({ op: 'localLimit', step, n: st.n });
        return { kind: 'open', group: next };
      }
      case 'reduce': {
        checkUdfSyntax(st.udf.source, step);
        const g = this.open(this.rowsOf(node.inputs[0]));
        g.stepNames.push('LocalReduce');
        g.instructions.push({ op: 'reduceAll', step, udf: st.udf });
        const next = this.gather(g, node, 'MergeTo');
        next.stepNames.push('Reduce');
        next.instructions.push({ op: 'reduceAll', step, udf: st.udf });
        return { kind: 'open', group: next };
      }
      case 'join':
        return this.coPartitioned(node, st.key, st.partitions, JOIN_STEP_NAMES[st.joinKind], (side) => ({ op: 'joinSorted', step, key: st.key, sideKey: st.key, kind: st.joinKind, side }));
      case 'coGroup':
        return this.coPartitioned(node, st.key, st.partitions, 'CoGroup', (side) => ({ op: 'coGroup', step, key: st.key, sideKey: st.key, side }));
      case 'subtract':
        return this.coPartitioned(node, null, st.partitions, 'Subtract', (side) => ({ op: 'subtract', step, side }));
      case 'intersection':
        return this.coPartitioned(node, null, st.partitions, 'Intersection', (side) => ({ op: 'intersection', step, side }));
      case 'hashJoin':
        return this.broadcast(node, 'HashJoin', (side) => ({ op: 'hashJoin', step, key: st.key, sideKey: st.key, side }));
      case 'cartesian':
        return this.broadcast(node, 'Cartesian', (side) => ({ op: 'cartesian', step, side }));
      case 'combineByKey': {
        for (const u of [st.create, st.mergeValue, st.mergeCombiners]) checkUdfSyntax(u.source, step);
        const g = this.open(this.rowsOf(node.inputs[0]));
        g.stepNames.push('LocalCombineByKey');
        g.instructions.push({ op: 'reduceByKey', step, udf: st.mergeValue, create: st.create, key: st.key });
        const keysFirst = st.key.map((_, i) => i);
        const next = this.hashShuffle(g, node, keysFirst, st.partitions ?? this.opts.partitions, 'CollectPartitions');
        next.stepNames.push('MergeCombiners');
        next.instructions.push({ op: 'reduceByKey', step, udf: st.mergeCombiners, key: keysFirst });
        return { kind: 'open', group: next };
      }
      case 'zipWithIndex': {
        // Each partition's count goes to a side shard; the indexing tasks read all counts.
        const g = this.open(this.rowsOf(node.inputs[0]));
        const counts = Array.from({ length: g.partitions }, (_, p) => `d${node.id}-count-s${p}`);
        const count: InstructionSpec = { op: 'countTo', step, shard: counts[0] };
        g.stepNames.push('CountPartitions');
        g.instructions.push(count);
        this.perPartition.set(count, (p) => ({ ...count, shard: counts[p] }));
        const pre = this.close(g, `${node.id}-pre`).map((shards) => ({ kind: 'shards', shards }) as TaskInput);
        const next = this.newGroup(pre.length, pre);
        const zip: InstructionSpec = { op: 'zipWithIndex', step, side: counts, partition: 0 };
        next.stepNames.push('ZipWithIndex');
        next.instructions.push(zip);
        this.perPartition.set(zip, (p) => ({ ...zip, partition: p }));
        return { kind: 'open', group: next };
      }
      case 'sample': {
        const g = this.open(this.rowsOf(node.inputs[0]));
        const ins: InstructionSpec = { op: 'sample', step, withReplacement: st.withReplacement, fraction: st.fraction, seed: st.seed, partition: 0 };
        g.stepNames.push('Sample');
        g.instructions.push(ins);
        this.perPartition.set(ins, (p) => ({ ...ins, partition: p }));
        return { kind: 'open', group: g };
      }
      case 'union':
        return { kind: 'shards', shards: node.inputs.flatMap((i) => this.materialize(i)) };
      case 'partition': {
        const g = this.open(this.rowsOf(node.inputs[0]));
        return { kind: 'open', group: this.hashShuffle(g, node, st.key, st.n ?? this.opts.partitions, 'CollectPartitions') };
      }
    }
  }

  /**
   * sort: the input group writes its partitions plus a key sample each; range-partitioning
   * tasks derive the same boundaries from all samples and scatter; each target sorts locally.
   */
  private planSort(node: LogicalNode, orderBy: OrderBy[], targets: number): GroupDraft {
    const step = node.stepName;
    const g = this.open(this.rowsOf(node.inputs[0]));
    const m = g.partitions;
    const sampleShards = Array.from({ length: m }, (_, p) => `d${node.id}-sample-s${p}`);
    const preShards = Array.from({ length: m }, (_, p) => `d${node.id}-pre-s${p}`);
    const size = Math.min(10000, Math.max(SAMPLE_PER_PARTITION, 20 * targets));
    g.stepNames.push('SampleKeys');
    // Each partition samples into its own side shard.
    const sample: InstructionSpec = { op: 'sampleKeys', step, orderBy, size, shard: sampleShards[0] };
    g.instructions.push(sample);
    this.perPartition.set(sample, (p) => ({ ...sample, shard: sampleShards[p] }));
    g.output = (p) => ({ kind: 'shard', shard: preShards[p] });
    const { byProducer, byTarget } = this.shuffleShards(node.id, m, targets);
    const scatter = this.newGroup(m, preShards.map((s) => ({ kind: 'shards', shards: [s] })));
    scatter.stepNames.push('RangePartition');
    scatter.output = (p) => ({ kind: 'range', orderBy, sampleShards, shards: byProducer[p] });
    const next = this.newGroup(targets, byTarget.map((shards) => ({ kind: 'shards', shards })));
    next.stepNames.push('CollectPartitions', 'LocalSort');
    next.instructions.push({ op: 'localSort', step, orderBy });
    return next;
  }

  /** Instructions that differ per partition (sort's sample shard, a join's side shards). */
  private readonly perPartition = new Map<InstructionSpec, (p: number) => InstructionSpec>();

  private instructionsFor(g: GroupDraft, p: number): InstructionSpec[] {
    return g.instructions.map((ins) => this.perPartition.get(ins)?.(p) ?? ins);
  }
}

// Paths under the working directory print relative, so plans read the same in every clone.
function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

function describeTask(spec: TaskGroupSpec): TaskGroupInfo {
  const inputs: string[] = [];
  if (spec.input.kind === 'textSplit') inputs.push(`file: ${displayPath(spec.input.path)} [${spec.input.start}, ${spec.input.end})`);
  else if (spec.input.kind === 'csvFile') inputs.push(`file: ${displayPath(spec.input.path)}`);
  else for (const s of spec.input.shards) inputs.push(`shard: ${s}`);
  if (spec.output.kind === 'range') for (const s of spec.output.sampleShards) inputs.push(`sample: ${s}`);
  const outputs: string[] = [];
  const out = spec.output;
  if (out.kind === 'shard') outputs.push(`shard: ${out.shard}`);
  else for (const s of out.shards) outputs.push(`shard: ${s}`);
  for (const ins of spec.instructions) if (ins.op === 'sampleKeys') outputs.push(`sample: ${ins.shard}`);
  return { name: spec.name, stepGroup: spec.stepGroup, inputs, outputs };
}

