// Every relative link in README.md and docs/*.md resolves: the file exists in the repository,
// and an anchor (#section) names a heading of the target, slugged as GitHub does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/runNode';

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The text of a markdown file without fenced code blocks (links there are code, not links). */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The anchors a markdown file offers: its headings' slugs (repeats get -1, -2) and HTML ids. */
function anchors(file: string): Set<string> {
  const text = prose(fs.readFileSync(file, 'utf8'));
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const s = slug(m[1]);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    out.add(n ? `${s}-${n}` : s);
  }
  for (const m of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) out.add(m[1]);
  return out;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

function links(file: string): Link[] {
  const lines = prose(fs.readFileSync(file, 'utf8')).split('\n');
  const out: Link[] = [];
  lines.forEach((l, i) => {
    const text = l.replace(/`[^`]*`/g, '');
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ file, line: i + 1, target: m[1] });
    for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) out.push({ file, line: i + 1, target: m[1] });
  });
  return out;
}

const docs = path.join(repoRoot, 'docs');
const files = [path.join(repoRoot, 'README.md'), ...fs.readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => path.join(docs, f))];

/** Why a link does not resolve, or undefined when it does. */
function broken(link: Link): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return undefined; // https:, mailto:: not checked here
  const [rawPath, anchor] = link.target.split('#');
  const target = rawPath ? path.resolve(path.dirname(link.file), decodeURIComponent(rawPath)) : link.file;
  if (!target.startsWith(repoRoot + path.sep) && target !== repoRoot) return 'points outside the repository';
  if (!fs.existsSync(target)) return `${path.relative(repoRoot, target)} does not exist`;
  if (anchor === undefined) return undefined;
  if (!target.endsWith('.md')) return `anchor #${anchor} on a file that is not markdown`;
  if (!anchors(target).has(anchor)) return `${path.relative(repoRoot, target)} has no heading #${anchor}`;
  return undefined;
}

test('the slug of a heading is GitHub\'s', () => {
  expect(slug('Job leases and cancel')).toBe('job-leases-and-cancel');
  expect(slug('Sinks (add an output step; `flow.run()` executes every sink)')).toBe('sinks-add-an-output-step-flowrun-executes-every-sink');
  expect(slug('`delegate(url | options)`')).toBe('delegateurl--options');
});

test('every relative link and anchor in README.md and docs/*.md resolves', () => {
  const all = files.flatMap(links);
  expect(all.length).toBeGreaterThan(20);
  const bad = all.map((l) => ({ at: `${path.relative(repoRoot, l.file)}:${l.line}`, target: l.target, why: broken(l) })).filter((b) => b.why);
  expect(bad).toEqual([]);
});
