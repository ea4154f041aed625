#!/usr/bin/env bash
# Starts the current server build on a port, serving the web UI live from Sources/GuruWeb/Assets.
# Usage: scripts/dev-server.sh [PORT]   (data goes to a fresh temporary folder, printed at start)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-18080}
BIN=${GURU_BIN:-.build/debug/guruconnect}
[ -x "$BIN" ] || { echo "dev-server: $BIN is missing; run 'swift build' first" >&2; exit 2; }
COPY=$(mktemp /tmp/guruconnect-dev-bin.XXXXXX)
cp "$BIN" "$COPY"
chmod +x "$COPY"
# The resource bundle must sit beside the binary copy.
for bundle in "$(dirname "$BIN")"/*.resources; do [ -e "$bundle" ] && ln -sfn "$(realpath "$bundle")" "$(dirname "$COPY")/$(basename "$bundle")"; done
DATA=$(mktemp -d /tmp/guruconnect-dev-data.XXXXXX)
echo "dev-server: http://127.0.0.1:$PORT  data: $DATA"
exec "$COPY" serve --host 127.0.0.1 --port "$PORT" --data-dir "$DATA" --web-root Sources/GuruWeb/Assets --bcrypt-cost 4 "${@:2}"
