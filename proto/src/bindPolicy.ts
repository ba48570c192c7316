// Clusters are closed by default: a server bound beyond loopback runs arbitrary code for whoever
// reaches it, so it needs the shared secret, and TLS so that neither the secret nor the data
// cross the network in the clear (`--insecure` waives TLS on a network the operator trusts).
import { isLoopback } from './secret';

export interface BindSecurity {
  secret?: string;
  /** Whether the server serves TLS. */
  tls: boolean;
  /** Plaintext beyond loopback on purpose (`--insecure`). */
  insecure?: boolean;
}

/** Throws, naming what is missing and how to give it, when `host` is not loopback and the server is not closed. */
export function requireSafeBind(host: string, security: BindSecurity, who: string): void {
  if (isLoopback(host)) return;
  const missing: string[] = [];
  if (!security.secret) missing.push('a shared secret (set GLEAM_SECRET or pass --secret-file FILE)');
  if (!security.tls && !security.insecure) missing.push('TLS (pass --tls-cert FILE --tls-key FILE, or set GLEAM_TLS_CERT and GLEAM_TLS_KEY; or pass --insecure to serve plaintext on a network you trust)');
  if (missing.length) throw new Error(`${who}: binding to ${host} (not loopback) requires ${missing.join(' and ')}`);
}
