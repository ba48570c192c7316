// Validates every object in the given YAML files against the Kubernetes schemas of the
// `kubernetes-models` package (ESM only, hence a script the tests run with node). Prints one
// JSON line: { objects: [{ file, kind, name }], errors: [{ file, kind, name, error }] }.
//   node test/deploy/validateManifests.mjs k8s/master.yaml k8s/agents.yaml ...
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const objects = [];
const errors = [];
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length) {
      errors.push({ file, kind: '?', name: '?', error: doc.errors.map((e) => e.message).join('; ') });
      continue;
    }
    const obj = doc.toJS();
    if (!obj) continue;
    const where = { file: path.basename(file), kind: obj.kind, name: obj.metadata?.name };
    // apps/v1 -> kubernetes-models/apps/v1/Kind; v1 -> kubernetes-models/v1/Kind
    const modulePath = `kubernetes-models/${obj.apiVersion}/${obj.kind}`;
    let Model;
    try {
      Model = (await import(modulePath))[obj.kind];
    } catch (e) {
      errors.push({ ...where, error: `no Kubernetes model for ${obj.apiVersion} ${obj.kind}: ${e.message}` });
      continue;
    }
    try {
      new Model(obj).validate();
      objects.push(where);
    } catch (e) {
      errors.push({ ...where, error: e.message });
    }
  }
}
process.stdout.write(`${JSON.stringify({ objects, errors })}\n`);
process.exit(errors.length ? 1 : 0);
