#!/bin/sh
# Container entrypoint: `master`, `agent` or any other command.
#   master [flags]  -> gleam master --host $GLEAM_HOST --port $GLEAM_PORT [flags]
#   agent [flags]   -> gleam agent --master $GLEAM_MASTER_ADDRESS --host <container address>
#                      --port $GLEAM_PORT --dir $GLEAM_DIR [flags]
# Binding to a non-loopback address needs GLEAM_SECRET, and TLS (GLEAM_TLS_CERT, GLEAM_TLS_KEY,
# GLEAM_TLS_CA) or the flag --insecure: the servers refuse to start without them.
set -eu
GLEAM="${GLEAM_BIN:-gleam}"

container_address() {
  if [ -n "${GLEAM_HOST:-}" ]; then echo "$GLEAM_HOST"; return; fi
  addr=$(hostname -i 2>/dev/null | awk '{print $1}')
  echo "${addr:-127.0.0.1}"
}

cmd="${1:-master}"
[ "$#" -gt 0 ] && shift
case "$cmd" in
  master)
    exec $GLEAM master --host "${GLEAM_HOST:-0.0.0.0}" --port "${GLEAM_PORT:-45326}" "$@"
    ;;
  agent)
    mkdir -p "${GLEAM_DIR:-/data}"
    exec $GLEAM agent --master "${GLEAM_MASTER_ADDRESS:-master:45326}" --host "$(container_address)" \
      --port "${GLEAM_PORT:-45327}" --dir "${GLEAM_DIR:-/data}" "$@"
    ;;
  *)
    exec "$cmd" "$@"
    ;;
esac
