#!/usr/bin/env bash
# `make run`: the server on SQLite, plus a local demo agent on its own Xvfb display, so a fresh
# install has one machine to connect to. Ctrl-C stops all three (each by its own pid).
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8080}
DATA_DIR=${DATA_DIR:-./var}
SERVER=.build/debug/guruconnect
AGENT=agent/build/release/guruconnect-agent
mkdir -p "$DATA_DIR"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The demo agent's identity, created once and kept with the data (the credential is secret).
IDENTITY="$DATA_DIR/demo-agent.json"
if [ ! -s "$IDENTITY" ]; then
  umask 077
  "$SERVER" enrol-agent --name "Demo desktop ($(hostname))" --data-dir "$DATA_DIR" > "$IDENTITY"
fi
AGENT_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$IDENTITY")
CREDENTIAL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["credential"])' "$IDENTITY")

"$SERVER" serve --host "$HOST" --port "$PORT" --data-dir "$DATA_DIR" --agent-dir agent/build &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

DEMO_DISPLAY=""
if [ -x "$AGENT" ] && command -v Xvfb >/dev/null; then
  exec 7< <(Xvfb -displayfd 1 -screen 0 1920x1080x24 -nolisten tcp 2>/dev/null)
  pids+=($!)
  read -r -t 10 DEMO_DISPLAY <&7 || true
fi
if [ -n "$DEMO_DISPLAY" ]; then
  command -v xterm >/dev/null && { DISPLAY=":$DEMO_DISPLAY" xterm -geometry 120x40+80+80 -title "GuruConnect demo desktop" & pids+=($!); }
  DISPLAY=":$DEMO_DISPLAY" "$AGENT" --server "ws://127.0.0.1:$PORT/api/agent/ws" --agent-id "$AGENT_ID" --credential "$CREDENTIAL" &
  pids+=($!)
  echo "Demo agent: 'Demo desktop' on Xvfb display :$DEMO_DISPLAY (see Access once signed in)."
else
  echo "Demo agent not started (agent binary or Xvfb missing)."
fi
echo "GuruConnect: http://$HOST:$PORT/app  (first login: http://$HOST:$PORT/setup, then sign in). Ctrl-C stops everything."
echo "End-user portal: http://$HOST:$PORT/  (Support → + Generate Code, then enter the code there to download the one-time agent)."
wait "${pids[0]}"
