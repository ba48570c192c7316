// A job's stages as an SVG graph: one node (class `stage` and its state) per stage, laid out in
// columns by depth (a stage sits right of every stage it reads), edges from producer to reader.
import type { StageStatus__Output } from '@gleam/proto';
import { escapeHtml } from './pageShell';
import { formatBytes } from './textFormat';

const NODE_W = 230;
const NODE_H = 58;
const GAP_X = 60;
const GAP_Y = 22;
const PAD = 12;
/** Characters of a stage's name shown in its node (the full name is its tooltip). */
const NAME_CHARS = 26;

export function stageDepths(stages: readonly StageStatus__Output[]): Map<number, number> {
  const byIndex = new Map(stages.map((s) => [s.index, s]));
  const depth = new Map<number, number>();
  const visit = (i: number, path: Set<number>): number => {
    const known = depth.get(i);
    if (known !== undefined) return known;
    // A cycle cannot come from a plan; guard anyway so bad input never recurses forever.
    if (path.has(i)) return 0;
    path.add(i);
    let d = 0;
    for (const p of byIndex.get(i)?.inputs ?? []) if (byIndex.has(p)) d = Math.max(d, visit(p, path) + 1);
    path.delete(i);
    depth.set(i, d);
    return d;
  };
  for (const s of stages) visit(s.index, new Set());
  return depth;
}

function shortName(name: string): string {
  return name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name;
}

export function renderDagSvg(stages: readonly StageStatus__Output[]): string {
  if (!stages.length) return '<p>The job has not reported its stages yet.</p>';
  const depths = stageDepths(stages);
  const columns = new Map<number, StageStatus__Output[]>();
  for (const s of [...stages].sort((a, b) => a.index - b.index)) {
    const d = depths.get(s.index) ?? 0;
    let col = columns.get(d);
    if (!col) columns.set(d, (col = []));
    col.push(s);
  }
  const pos = new Map<number, { x: number; y: number }>();
  let rows = 0;
  for (const [d, col] of columns) {
    col.forEach((s, k) => pos.set(s.index, { x: PAD + d * (NODE_W + GAP_X), y: PAD + k * (NODE_H + GAP_Y) }));
    rows = Math.max(rows, col.length);
  }
  const width = PAD * 2 + columns.size * NODE_W + (columns.size - 1) * GAP_X;
  const height = PAD * 2 + rows * NODE_H + (rows - 1) * GAP_Y;
  const edges: string[] = [];
  for (const s of stages) {
    const to = pos.get(s.index)!;
    for (const p of s.inputs) {
      const from = pos.get(p);
      if (!from) continue;
      const x1 = from.x + NODE_W;
      const y1 = from.y + NODE_H / 2;
      const x2 = to.x;
      const y2 = to.y + NODE_H / 2;
      const mx = (x1 + x2) / 2;
      edges.push(`<path class="edge" data-from="${p}" data-to="${s.index}" d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 6},${y2}" marker-end="url(#arrow)"/>`);
    }
  }
  const nodes = stages.map((s) => {
    const { x, y } = pos.get(s.index)!;
    const state = s.state || 'waiting';
    const figures = s.driverSide && !s.tasks ? 'in the driver' : `${s.done}/${s.tasks} done${s.running ? `, ${s.running} running` : ''}`;
    return `<g class="stage ${escapeHtml(state)}" data-stage="${s.index}" transform="translate(${x},${y})"><title>${escapeHtml(`stage ${s.index}: ${s.name} (${state})`)}</title>` +
      `<rect width="${NODE_W}" height="${NODE_H}" rx="6"/>` +
      `<text x="8" y="17" font-weight="bold">${escapeHtml(`${s.index} ${shortName(s.name)}`)}</text>` +
      `<text x="8" y="34">${escapeHtml(figures)}</text>` +
      `<text x="8" y="50">${escapeHtml(`${s.rowsIn} rows in · ${s.rowsOut} out · ${formatBytes(s.bytesOut)}`)}</text></g>`;
  });
  return `<svg class="dag" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="4" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>' +
    `${edges.join('')}${nodes.join('')}</svg>`;
}
