// The Kubernetes manifests (k8s/): every object valid against the Kubernetes schemas
// (kubernetes-models' validate(), run by validateManifests.mjs in its own node process), and
// the deployment rules of issue 14: a master Deployment + Service, agents as a StatefulSet with
// a volume per agent for --dir, the secret from a Secret, readiness and liveness probes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot, run } from '../helpers/runNode';

const k8s = path.join(repoRoot, 'k8s');
const validator = path.join(repoRoot, 'test', 'deploy', 'validateManifests.mjs');
const manifestFiles = fs.readdirSync(k8s).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
const objects: Obj[] = manifestFiles.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(k8s, f), 'utf8')).map((d) => d.toJS()));
const find = (kind: string, name: string): Obj => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`k8s/: no ${kind} ${name}`);
  return o;
};

test('every manifest validates against the Kubernetes schemas', async () => {
  const r = await run(process.execPath, [validator, ...manifestFiles.map((f) => path.join(k8s, f))], { timeoutMs: 30000 });
  const out = JSON.parse(r.stdout);
  expect(out.errors).toEqual([]);
  expect(out.objects.map((o: { kind: string; name: string }) => `${o.kind}/${o.name}`).sort()).toEqual(
    ['Deployment/gleam-master', 'Secret/gleam-secret', 'Service/gleam-agent', 'Service/gleam-master', 'StatefulSet/gleam-agent'],
  );
  expect(r.code).toBe(0);
});

test('the validator rejects a broken manifest, naming the object and the field', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-k8s-'));
  try {
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(path.join(k8s, 'agents.yaml'), 'utf8').replace('containerPort: 45327', 'containerPort: "45327x"'));
    const r = await run(process.execPath, [validator, bad], { timeoutMs: 30000 });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toEqual([
      { file: 'bad.yaml', kind: 'StatefulSet', name: 'gleam-agent', error: 'data/spec/template/spec/containers/0/ports/0/containerPort must be integer' },
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('kustomization lists every manifest but the example secret', () => {
  const kust = parseAllDocuments(fs.readFileSync(path.join(k8s, 'kustomization.yaml'), 'utf8'))[0].toJS();
  expect([...kust.resources].sort()).toEqual(manifestFiles.filter((f) => !f.includes('example')).sort());
});

test('master: a Deployment of one (Recreate) behind a Service with its gRPC and status ports', () => {
  const dep = find('Deployment', 'gleam-master');
  expect(dep.spec.replicas).toBe(1);
  expect(dep.spec.strategy.type).toBe('Recreate');
  const svc = find('Service', 'gleam-master');
  expect(svc.spec.selector).toEqual(dep.spec.template.metadata.labels);
  const [c] = dep.spec.template.spec.containers;
  expect(c.args.slice(0, 1)).toEqual(['master']);
  expect(svc.spec.ports.map((p: Obj) => [p.port, p.targetPort])).toEqual([[45326, 'grpc'], [55326, 'http']]);
  expect(c.ports.map((p: Obj) => [p.name, p.containerPort])).toEqual([['grpc', 45326], ['http', 55326]]);
});

test('agents: a StatefulSet with a volume claim per agent mounted at its --dir, announcing its pod IP, finding the master by Service', () => {
  const sts = find('StatefulSet', 'gleam-agent');
  expect(find('Service', 'gleam-agent').spec.clusterIP).toBe('None');
  expect(sts.spec.serviceName).toBe('gleam-agent');
  const [c] = sts.spec.template.spec.containers;
  expect(c.args[0]).toBe('agent');
  const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value ?? e.valueFrom]));
  expect(env.GLEAM_HOST).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
  expect(env.GLEAM_MASTER_ADDRESS).toBe(`${find('Service', 'gleam-master').metadata.name}:45326`);
  const [claim] = sts.spec.volumeClaimTemplates;
  expect(c.volumeMounts).toContainEqual({ name: claim.metadata.name, mountPath: env.GLEAM_DIR });
  // The pod's group owns the volume: the image runs as a non-root user.
  expect(sts.spec.template.spec.securityContext.fsGroup).toBe(1000);
});

test('every container: the secret from the Secret, non-root, readiness and liveness probes', () => {
  const secret = find('Secret', 'gleam-secret');
  for (const o of objects.filter((x) => x.spec?.template)) {
    const pod = o.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    for (const c of pod.containers) {
      const what = `${o.kind}/${o.metadata.name} ${c.name}`;
      expect({ what, secret: c.env.find((e: Obj) => e.name === 'GLEAM_SECRET').valueFrom }).toEqual({ what, secret: { secretKeyRef: { name: secret.metadata.name, key: Object.keys(secret.stringData)[0] } } });
      expect({ what, readiness: c.readinessProbe.tcpSocket.port }).toEqual({ what, readiness: 'grpc' });
      expect({ what, liveness: c.livenessProbe.exec.command }).toEqual({ what, liveness: ['node', '/app/docker/healthcheck.js'] });
      // The entrypoint writes the health file under /tmp: it must be writable with a read-only root.
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
  }
});
