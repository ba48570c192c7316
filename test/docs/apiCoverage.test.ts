// docs/api.md lists every public method of the DSL: the methods of Flow, Dataset, DStream and
// StreamingContext as the published type declarations show them (TypeScript's checker over the
// built .d.ts, so methods added by declaration merging count and `@internal` ones do not).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { repoRoot } from '../helpers/runNode';

const CLASSES = ['Flow', 'Dataset', 'DStream', 'StreamingContext'];

/** Public, non-internal method names of each class's instances. */
function publicMethods(): Record<string, string[]> {
  const entry = path.join(repoRoot, 'packages', 'flow-dsl', 'dist', 'index.d.ts');
  const program = ts.createProgram([entry], { strict: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(repoRoot, 'node_modules', '@types')] });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const out: Record<string, string[]> = {};
  for (const exp of checker.getExportsOfModule(module)) {
    if (!CLASSES.includes(exp.name)) continue;
    const cls = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const instance = checker.getDeclaredTypeOfSymbol(cls);
    out[exp.name] = checker
      .getPropertiesOfType(instance)
      .filter((p) => {
        const decls = p.getDeclarations() ?? [];
        const isMethod = decls.some((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d));
        const hidden = decls.some((d) => ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
        const internal = p.getJsDocTags().some((t) => t.name === 'internal');
        return isMethod && !hidden && !internal && !p.name.startsWith('_') && p.name !== 'then' && p.name !== 'catch';
      })
      .map((p) => p.name)
      .sort();
  }
  return out;
}

/** Code spans of api.md: batch methods before "## Streams", stream methods in it. */
function codeSpans(): { batch: string[]; streams: string[] } {
  const api = fs.readFileSync(path.join(repoRoot, 'docs', 'api.md'), 'utf8');
  const at = api.indexOf('\n## Streams');
  const spans = (text: string) => [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
  return { batch: spans(api.slice(0, at)), streams: spans(api.slice(at)) };
}

test('docs/api.md names every public method of Flow, Dataset, DStream and StreamingContext', () => {
  const sections = codeSpans();
  const methods = publicMethods();
  expect(Object.keys(methods).sort()).toEqual([...CLASSES].sort());
  const missing: Record<string, string[]> = {};
  for (const [cls, names] of Object.entries(methods)) {
    expect(names.length).toBeGreaterThan(3);
    // Flow's streaming() is documented with the streams.
    const spans = cls === 'Dataset' ? sections.batch : cls === 'Flow' ? [...sections.batch, ...sections.streams] : sections.streams;
    const absent = names.filter((n) => !spans.some((s) => new RegExp(`(^|[^\\w$])${n}([^\\w$]|$)`).test(s)));
    if (absent.length) missing[cls] = absent;
  }
  expect(missing).toEqual({});
});
