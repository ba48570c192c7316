// TLS flags of the CLI. Servers (`gleam master`, `gleam agent`): --tls-cert, --tls-key, --tls-ca,
// each defaulting to GLEAM_TLS_CERT, GLEAM_TLS_KEY, GLEAM_TLS_CA. Clients (`gleam status`,
// `jobs`, `cancel`, `run`): --tls-ca, defaulting to GLEAM_TLS_CA.
import { Option } from 'commander';
import type { ClientTls, ServerTls } from '@gleam/proto';

export interface ServerTlsFlags {
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  insecure?: boolean;
}

export function serverTlsOptions(): Option[] {
  return [
    new Option('--tls-cert <file>', 'serve with TLS: this PEM certificate (chain), naming the host or IP address clients dial (or GLEAM_TLS_CERT)'),
    new Option('--tls-key <file>', 'the PEM private key of --tls-cert (or GLEAM_TLS_KEY)'),
    new Option('--tls-ca <file>', 'PEM CA certificate(s) trusted when this server calls the others (or GLEAM_TLS_CA; default: the system roots)'),
    new Option('--insecure', 'allow a non-loopback --host without TLS (plaintext on a network you trust)'),
  ];
}

export function clientTlsOption(): Option {
  return new Option('--tls-ca <file>', 'talk TLS, trusting this PEM CA certificate file (or GLEAM_TLS_CA)');
}

/** A server's TLS from its flags, each falling back to its environment variable. */
export function serverTls(flags: ServerTlsFlags, who: string): ServerTls | undefined {
  const { loadServerTls, tlsFilesFromEnv } = require('@gleam/proto') as typeof import('@gleam/proto');
  const env = tlsFilesFromEnv();
  return loadServerTls({ cert: flags.tlsCert ?? env.cert, key: flags.tlsKey ?? env.key, ca: flags.tlsCa ?? env.ca }, who);
}

/** A client's trust: --tls-ca, else GLEAM_TLS_CA, else plaintext. */
export function clientTls(flag: string | undefined): ClientTls | undefined {
  const file = flag || process.env.GLEAM_TLS_CA || undefined;
  if (!file) return undefined;
  const { loadClientTls } = require('@gleam/proto') as typeof import('@gleam/proto');
  return loadClientTls(file, flag ? '--tls-ca' : 'GLEAM_TLS_CA');
}
