// The Docker files, checked without a Docker engine: the Dockerfile's stages and rules
// (multi-stage, production dependencies and built files only, non-root, HEALTHCHECK), the
// .dockerignore, and the compose file (one image built once for master and agents, a shared
// data volume). docker/entrypoint.sh and docker/healthcheck.js run for real in
// test/e2e/dockerEntrypoint.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/runNode';

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions per stage (continuation lines joined, comments dropped). */
function stages(text: string): { from: string; steps: Instruction[] }[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: { from: string; steps: Instruction[] }[] = [];
  for (const l of lines) {
    const [, op, args] = /^(\S+)\s+(.*)$/.exec(l)!;
    if (op.toUpperCase() === 'FROM') out.push({ from: args, steps: [] });
    else out[out.length - 1].steps.push({ op: op.toUpperCase(), args });
  }
  return out;
}

const dockerfile = stages(fs.readFileSync(path.join(repoRoot, 'docker', 'Dockerfile'), 'utf8'));
const [build, production] = dockerfile;
const steps = (st: typeof build, op: string) => st.steps.filter((s) => s.op === op).map((s) => s.args);

test('Dockerfile: a build stage, then a production stage with the packed packages and production dependencies only', () => {
  expect(dockerfile.map((s) => s.from)).toEqual(['node:20-bookworm-slim AS build', 'node:20-bookworm-slim AS production']);
  expect(steps(build, 'RUN').join(' ')).toContain('node scripts/pack.js /packed');
  // Nothing of the source tree reaches the production stage: the tarballs from the build stage, the
  // two container scripts and the examples.
  expect(steps(production, 'COPY')).toEqual(['--from=build /packed /tmp/packed', '--chmod=755 docker/entrypoint.sh docker/healthcheck.js /app/docker/', 'examples /app/examples']);
  const install = steps(production, 'RUN').join(' ');
  expect(install).toContain('npm install --omit=dev');
  expect(install).toContain('rm -rf /tmp/packed');
  expect(production.steps).toContainEqual({ op: 'ENV', args: 'NODE_ENV=production' });
});

test('Dockerfile: runs as a non-root user, with a HEALTHCHECK and the entrypoint', () => {
  const user = steps(production, 'USER');
  expect(user).toEqual(['node']);
  // USER comes before the container's command, after the last step that needs root.
  const ops = production.steps.map((s) => s.op);
  expect(ops.lastIndexOf('RUN')).toBeLessThan(ops.indexOf('USER'));
  expect(steps(production, 'HEALTHCHECK')).toEqual(['--interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/app/docker/healthcheck.js"]']);
  expect(steps(production, 'ENTRYPOINT')).toEqual(['["/app/docker/entrypoint.sh"]']);
});

test('.dockerignore keeps installed and built trees and history out, and lets in what the build stage copies', () => {
  const ignored = fs.readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  expect(ignored).toEqual(expect.arrayContaining(['.git', '**/node_modules', '**/dist']));
  const copied = steps(build, 'COPY').flatMap((a) => a.split(/\s+/).slice(0, -1));
  for (const c of [...copied, 'examples']) {
    expect({ c, ignored: ignored.includes(c) || ignored.includes(`${c}/`) }).toEqual({ c, ignored: false });
    expect(fs.existsSync(path.join(repoRoot, c))).toBe(true);
  }
});

test('compose: one image built once for master and agents, a shared data volume, a volume per agent', () => {
  const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker', 'docker-compose.yaml'), 'utf8'), { merge: true });
  const services = compose.services as Record<string, { image: string; build?: unknown; volumes: string[]; command?: string[]; depends_on?: unknown }>;
  expect(Object.keys(services).sort()).toEqual(['agent_1', 'agent_2', 'driver', 'master']);
  expect(Object.entries(services).filter(([, s]) => s.build).map(([n]) => n)).toEqual(['master']);
  expect(new Set(Object.values(services).map((s) => s.image)).size).toBe(1);
  for (const [name, s] of Object.entries(services)) expect({ name, shared: s.volumes.includes('shared:/shared') }).toEqual({ name, shared: true });
  expect(services.agent_1.volumes[0]).toBe('agent1-data:/data');
  expect(services.agent_2.volumes[0]).toBe('agent2-data:/data');
  expect(Object.keys(compose.volumes).sort()).toEqual(['agent1-data', 'agent2-data', 'shared']);
  // Agents start once the master's HEALTHCHECK passes.
  expect(services.agent_1.depends_on).toEqual({ master: { condition: 'service_healthy' } });
});
