// The run option `tls: { ca }`: a path to a PEM file of CA certificates (GLEAM_TLS_CA by default),
// read only for a run on a cluster.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveOptions } from '../src/options';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
let dir: string;
let ca: string;
const savedEnv = process.env.GLEAM_TLS_CA;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-tls-option-'));
  ca = path.join(dir, 'ca.pem');
  fs.writeFileSync(ca, PEM);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  if (savedEnv === undefined) delete process.env.GLEAM_TLS_CA;
  else process.env.GLEAM_TLS_CA = savedEnv;
});

test('tls.ca is read from its file for a run on a cluster', () => {
  delete process.env.GLEAM_TLS_CA;
  expect(resolveOptions({ master: '127.0.0.1:1', tls: { ca } }).tls?.ca?.toString()).toBe(PEM);
  // {} trusts the system's roots: TLS without a CA of our own.
  expect(resolveOptions({ master: '127.0.0.1:1', tls: {} }).tls).toEqual({});
  expect(resolveOptions({ master: '127.0.0.1:1' }).tls).toBeUndefined();
});

test('GLEAM_TLS_CA is the default; the option wins over it', () => {
  process.env.GLEAM_TLS_CA = ca;
  expect(resolveOptions({ master: '127.0.0.1:1' }).tls?.ca?.toString()).toBe(PEM);
  process.env.GLEAM_TLS_CA = path.join(dir, 'missing.pem');
  expect(resolveOptions({ master: '127.0.0.1:1', tls: { ca } }).tls?.ca?.toString()).toBe(PEM);
  expect(() => resolveOptions({ master: '127.0.0.1:1' })).toThrow(/^GLEAM_TLS_CA: cannot read the CA certificate file .*missing\.pem: ENOENT/);
});

test('a local run ignores it (nothing to read, nothing to fail on)', () => {
  process.env.GLEAM_TLS_CA = path.join(dir, 'missing.pem');
  expect(resolveOptions({ tls: { ca: path.join(dir, 'missing.pem') } }).tls).toBeUndefined();
});

test('bad values say what is expected', () => {
  delete process.env.GLEAM_TLS_CA;
  expect(() => resolveOptions({ master: 'm:1', tls: { ca: path.join(dir, 'nope.pem') } })).toThrow(/^run: tls\.ca: cannot read the CA certificate file .*nope\.pem/);
  expect(() => resolveOptions({ master: 'm:1', tls: { ca: PEM } })).toThrow('run: tls.ca is the path of a PEM file, not the certificate text: write it to a file and give its path');
  const notPem = path.join(dir, 'not.pem');
  fs.writeFileSync(notPem, 'hello');
  expect(() => resolveOptions({ master: 'm:1', tls: { ca: notPem } })).toThrow(/is not a PEM file \(tls\.ca is a file path, not the certificate text\)/);
  expect(() => resolveOptions({ master: 'm:1', tls: 'yes' as never })).toThrow("run: tls must be an object like { ca: '/path/to/ca.pem' }, got string");
  expect(() => resolveOptions({ master: 'm:1', tls: { ca: 7 } as never })).toThrow(/tls\.ca must be the path of a PEM file/);
});
