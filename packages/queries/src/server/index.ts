// The presentation half of standing queries: the HTTP API, server-sent events and the web page.
export { startQueryServer, DEFAULT_SERVE_PORT, type QueryServer, type QueryServerOptions } from './queryServer';
export { MAX_BODY_BYTES } from './httpBody';
