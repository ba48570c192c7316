#!/bin/sh
# Container entrypoint: `master`, `agent` or any other command.
#   master [flags]  -> gleam master --host $GLEAM_HOST --port $GLEAM_PORT [flags]
#   agent [flags]   -> gleam agent --master $GLEAM_MASTER_ADDRESS --host <container address>
#                      --port $GLEAM_PORT --dir $GLEAM_DIR [flags]
# Binding to a non-loopback address needs GLEAM_SECRET, and TLS (GLEAM_TLS_CERT, GLEAM_TLS_KEY,
# GLEAM_TLS_CA) or the flag --insecure: the servers refuse to start without them.
# Before starting a server it writes host:port to GLEAM_HEALTH_FILE for docker/healthcheck.js.
set -eu
GLEAM="${GLEAM_BIN:-gleam}"
HEALTH_FILE="${GLEAM_HEALTH_FILE:-/tmp/gleam-listen}"

container_address() {
  if [ -n "${GLEAM_HOST:-}" ]; then echo "$GLEAM_HOST"; return; fi
  addr=$(hostname -i 2>/dev/null | awk '{print $1}')
  echo "${addr:-127.0.0.1}"
}

cmd="${1:-master}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
  master)
    host="${GLEAM_HOST:-0.0.0.0}"
    port="${GLEAM_PORT:-45326}"
    echo "$host:$port" > "$HEALTH_FILE"
    exec $GLEAM master --host "$host" --port "$port" "$@"
    ;;
  agent)
    mkdir -p "${GLEAM_DIR:-/data}"
    host="$(container_address)"
    port="${GLEAM_PORT:-45327}"
    echo "$host:$port" > "$HEALTH_FILE"
    exec $GLEAM agent --master "${GLEAM_MASTER_ADDRESS:-master:45326}" --host "$host" \
      --port "$port" --dir "${GLEAM_DIR:-/data}" "$@"
    ;;
  *)
    exec "$cmd" "$@"
    ;;
esac
