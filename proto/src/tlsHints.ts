// What to do about a connection failure that a TLS mismatch explains. grpc-js reports these with
// texts such as "Failed to connect" or an OpenSSL code, which say nothing of the cause.

/**
 * A gRPC connection error on one line: OpenSSL's "803C...:error:0A00010B:SSL routines:
 * ssl3_get_record:wrong version number:../deps/openssl/...c:350:" becomes "TLS error: wrong
 * version number", and grpc-js's empty "Resolution note:" goes.
 */
export function tidyConnectionError(details: string): string {
  return details
    .replace(/[0-9A-F]{6,}:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):\S*/g, 'TLS error: $1')
    .replace(/\s*Resolution note:\s*$/, '')
    .replace(/\s+/g, ' ')
    .replace(/ \.$/, '.')
    .trim();
}

/** A hint (starting with " (") to append to a connection error's text, or "". */
export function tlsHint(details: string, usingTls: boolean): string {
  if (/wrong version number|WRONG_VERSION_NUMBER|packet length too long/i.test(details)) {
    return ' (the server does not speak TLS: its cluster runs without TLS, so unset GLEAM_TLS_CA and the tls run option, or start the servers with --tls-cert and --tls-key)';
  }
  if (/unable to verify|self[- ]signed|certificate|Hostname\/IP does not match|altnames/i.test(details)) {
    return " (the server's TLS certificate is not trusted: GLEAM_TLS_CA (or the run option tls: { ca }) must name the CA file that signed it, and the certificate must name the host or IP address dialled)";
  }
  // A TLS server closes a plaintext connection at once: grpc-js sees a connection that never
  // became HTTP/2, not a refusal.
  if (!usingTls && /Failed to connect|Connection dropped|Protocol error|ECONNRESET|socket hang up/i.test(details) && !/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT/.test(details)) {
    return ' (if the cluster uses TLS, this client spoke plaintext: set GLEAM_TLS_CA, or the run option tls: { ca }, to the CA certificate file that signed the servers\' certificates)';
  }
  return '';
}

/** Whether a connection failed because of TLS itself (plaintext to TLS, an untrusted certificate): a setting to fix, not a peer that died. */
export function isTlsMismatch(details: string): boolean {
  return /wrong version number|WRONG_VERSION_NUMBER|packet length too long|unable to verify|self[- ]signed|certificate|Hostname\/IP does not match|altnames/i.test(details);
}
