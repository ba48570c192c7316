// TLS for the gRPC channels: servers present a certificate (and key), clients check it against a
// CA. Mutual TLS is not used: callers prove themselves with the cluster secret, which TLS keeps
// off the wire in the clear.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';

/** PEM file paths as given on a command line or in GLEAM_TLS_CERT, GLEAM_TLS_KEY, GLEAM_TLS_CA. */
export interface TlsFiles {
  cert?: string;
  key?: string;
  ca?: string;
}

/** A server's TLS material: its certificate chain and key; `ca` is what its own clients trust. */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

/** What a client trusts: the CA certificates in `ca` (PEM), or the system's roots when absent. */
export interface ClientTls {
  ca?: Buffer;
}

/** The TLS files named by GLEAM_TLS_CERT, GLEAM_TLS_KEY and GLEAM_TLS_CA. */
export function tlsFilesFromEnv(env: NodeJS.ProcessEnv = process.env): TlsFiles {
  return { cert: env.GLEAM_TLS_CERT || undefined, key: env.GLEAM_TLS_KEY || undefined, ca: env.GLEAM_TLS_CA || undefined };
}

/** Reads a PEM file; the error names the file, what it was for, and why it cannot be used. */
export function readPemFile(file: string, what: string): Buffer {
  let pem: Buffer;
  try {
    pem = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${what}: cannot read ${file}: ${(e as Error).message}`);
  }
  if (!pem.includes('-----BEGIN ')) throw new Error(`${what}: ${file} is not a PEM file (no "-----BEGIN" line)`);
  return pem;
}

/**
 * A server's TLS from its files, or undefined when none is given. `who` starts every error
 * ("gleam master"). The certificate, key and CA are checked here, so a bad file stops the server
 * at start with its name rather than failing each connection later.
 */
export function loadServerTls(files: TlsFiles, who: string): ServerTls | undefined {
  if (!files.cert && !files.key && !files.ca) return undefined;
  if (!files.cert || !files.key) {
    if (!files.cert && !files.key) {
      throw new Error(`${who}: --tls-ca (or GLEAM_TLS_CA) was given without --tls-cert and --tls-key: a server needs its own certificate and key to serve TLS (to run without TLS, unset GLEAM_TLS_CA)`);
    }
    throw new Error(`${who}: --tls-cert and --tls-key (GLEAM_TLS_CERT, GLEAM_TLS_KEY) go together: only ${files.cert ? '--tls-cert' : '--tls-key'} was given`);
  }
  const out: ServerTls = { cert: readPemFile(files.cert, `${who}: --tls-cert`), key: readPemFile(files.key, `${who}: --tls-key`) };
  if (files.ca) out.ca = readPemFile(files.ca, `${who}: --tls-ca`);
  try {
    tls.createSecureContext({ cert: out.cert, key: out.key, ca: out.ca });
  } catch (e) {
    throw new Error(`${who}: the TLS certificate ${files.cert} and key ${files.key}${files.ca ? ` (CA ${files.ca})` : ''} cannot be used: ${(e as Error).message}`);
  }
  return out;
}

/** A client's trust from a CA file (GLEAM_TLS_CA, `--tls-ca`, the run option `tls.ca`). */
export function loadClientTls(caFile: string, what: string): ClientTls {
  const ca = readPemFile(caFile, what);
  try {
    tls.createSecureContext({ ca });
  } catch (e) {
    throw new Error(`${what}: ${caFile} holds no usable CA certificate: ${(e as Error).message}`);
  }
  return { ca };
}

/** What the clients of a server process (an agent's peers and master, the master's agents) trust. */
export function clientTlsOf(server: ServerTls | undefined): ClientTls | undefined {
  return server ? { ca: server.ca } : undefined;
}

export function serverCredentials(t: ServerTls | undefined): grpc.ServerCredentials {
  if (!t) return grpc.ServerCredentials.createInsecure();
  // No client certificates are asked for: callers authenticate with the cluster secret.
  return grpc.ServerCredentials.createSsl(null, [{ cert_chain: t.cert, private_key: t.key }], false);
}

/**
 * The name sent as TLS SNI when the target is an IP address: grpc-js would send the address
 * itself, which RFC 6066 forbids and Node reports with a DEP0123 warning on stderr. The
 * certificate is still checked against the IP address dialled (see channelSecurity).
 */
const IP_TARGET_SERVER_NAME = 'gleam-server';

/** Credentials per trust and host, so that clients of one address share one connection. */
const credentialCache = new WeakMap<ClientTls, Map<string, grpc.ChannelCredentials>>();

function hostOf(address: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1];
  const colon = address.lastIndexOf(':');
  // A bare IPv6 address has several colons and no port.
  return colon > 0 && address.indexOf(':') === colon ? address.slice(0, colon) : address;
}

/** Channel credentials and options for a client of `address`: plaintext without `t`. */
export function channelSecurity(address: string, t: ClientTls | undefined): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  if (!t) return { credentials: grpc.credentials.createInsecure(), options: {} };
  const host = hostOf(address);
  const ip = net.isIP(host) !== 0;
  let perHost = credentialCache.get(t);
  if (!perHost) credentialCache.set(t, (perHost = new Map()));
  const key = ip ? host : '';
  let credentials = perHost.get(key);
  if (!credentials) {
    credentials = ip
      ? grpc.credentials.createSsl(t.ca ?? null, null, null, { checkServerIdentity: (_name, cert) => tls.checkServerIdentity(host, cert) })
      : grpc.credentials.createSsl(t.ca ?? null);
    perHost.set(key, credentials);
  }
  return { credentials, options: ip ? { 'grpc.ssl_target_name_override': IP_TARGET_SERVER_NAME } : {} };
}
