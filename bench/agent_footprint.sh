#!/usr/bin/env bash
# Agent footprint: stripped size with a per-library breakdown (static vs dynamic), idle
# RSS/CPU over ~10 s, session-loop RSS/CPU, and capture / JPEG / PNG / WebP-lossless ms
# per 1920x1080 frame on Xvfb showing a half-UI, half-photo desktop.
# usage: bash bench/agent_footprint.sh   (builds the release agent first if missing)
# Starts its own Xvfb and pattern window and stops exactly those (by pid) on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/agent/build/release
AGENT=$BUILD/guruconnect-agent
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$AGENT" ] || make -s -C "$ROOT" -f agent/agent.mk agent-build >/dev/null

echo "== binary"
size=$(stat -c %s "$AGENT")
printf "stripped size: %d bytes (%.2f MB); target 3 MB, hard limit 5 MB\n" "$size" \
    "$(echo "$size / 1000000" | bc -l)"
echo "-- statically linked, bytes of allocated sections taken from each input (link map):"
python3 - "$BUILD/guruconnect-agent.map" <<'PY'
import collections, re, sys
sizes = collections.Counter()
pending = None
def add(section, addr, size, obj):
    if int(addr, 16) == 0 or section.startswith((".bss", ".tbss", ".debug", ".comment")):
        return
    lib = re.sub(r"\(.*\)$", "", obj)
    name = lib.rsplit("/", 1)[-1]
    if name.startswith("libguru_") or name.endswith(".cpp.o"):
        name = "agent code (libguru_*, main)"
    elif name.endswith(".o") or name.startswith(("libc_nonshared", "libgcc")):
        name = "C runtime, libgcc, linker-generated"
    sizes[name] += int(size, 16)
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^ (\.\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
    if m:
        add(*m.groups()); pending = None; continue
    m = re.match(r"^ (\.\S+)$", line.rstrip())
    if m:
        pending = m.group(1); continue
    m = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)", line)
    if m and pending:
        add(pending, *m.groups())
    pending = None
for name, n in sizes.most_common():
    print(f"  {n/1e6:6.3f} MB  {name}")
print(f"  {sum(sizes.values())/1e6:6.3f} MB  total of the above")
PY
echo "-- dynamically linked (not in the binary; present on any X11 desktop):"
readelf -d "$AGENT" | sed -n 's/.*Shared library: \[\(.*\)\]/  \1/p'

echo "== Xvfb"
Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$WORK/display" 2>"$WORK/xvfb.log" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
DISPLAY_NAME=":$(cat "$WORK/display")"
echo "display $DISPLAY_NAME"
cc -O2 -o "$WORK/pattern" "$ROOT/bench/agent_desktop_pattern.c" -lX11 -lm
"$WORK/pattern" "$DISPLAY_NAME" &
PIDS+=($!)
sleep 1

# Samples RSS (kB) and CPU% of a process between two points in time.
measure() {  # $1 label, $2.. command; runs it, samples after 2 s and 12 s
    local label=$1; shift
    "$@" >"$WORK/out.txt" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    sleep 2
    local tck; tck=$(getconf CLK_TCK)
    local t0; t0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep 10
    local t1; t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    local rss; rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
    local hwm; hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
    wait "$pid"
    printf "%s: RSS %.1f MB (peak %.1f MB), CPU %.2f%% over 10 s\n" "$label" \
        "$(echo "$rss / 1024" | bc -l)" "$(echo "$hwm / 1024" | bc -l)" \
        "$(echo "($t1 - $t0) * 100 / $tck / 10" | bc -l)"
}

echo "== memory and CPU"
measure "idle agent (no viewer)" "$AGENT" --idle --seconds 13 --display "$DISPLAY_NAME"
measure "session loop, static 1080p screen" "$AGENT" --capture-loop --seconds 13 \
    --display "$DISPLAY_NAME"

# The real agent, connected to the fake server (tests/net/fake_server.py) with a 5 s
# heartbeat and no viewer: what an idle machine pays. Stopped with SIGTERM after sampling.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$ROOT/agent/tests/net/fake_server.py" --port "$PORT" --heartbeat 5 >"$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do grep -q listening "$WORK/server.log" 2>/dev/null && break; sleep 0.1; done
"$AGENT" --server "ws://127.0.0.1:$PORT/api/agent/ws" --agent-id 00000000-0000-4000-8000-000000000001 \
    --credential bench --display "$DISPLAY_NAME" 2>"$WORK/agent.log" &
apid=$!
PIDS+=("$apid")
sleep 2
tck=$(getconf CLK_TCK)
t0=$(awk '{print $14 + $15}' "/proc/$apid/stat")
sleep 10
t1=$(awk '{print $14 + $15}' "/proc/$apid/stat")
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$apid/status")
threads=$(awk '/^Threads/ {print $2}' "/proc/$apid/status")
kill -TERM "$apid"
wait "$apid" && stopped=clean || stopped="exit $?"
printf "connected idle agent (no viewer): RSS %.1f MB, %s threads, CPU %.2f%% over 10 s, SIGTERM: %s\n" \
    "$(echo "$rss / 1024" | bc -l)" "$threads" "$(echo "($t1 - $t0) * 100 / $tck / 10" | bc -l)" "$stopped"
grep -c "agent-ping" "$WORK/server.log" | sed 's/^/  heartbeats seen by the server: /'

echo "== per 1920x1080 frame (full frame each time, mean of 20)"
"$AGENT" --bench --frames 20 --display "$DISPLAY_NAME"
