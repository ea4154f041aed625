#!/bin/sh
# The Windows agent's figures under Wine on a 1920x1080 Xvfb showing guru-wine-probe.exe's
# pattern: exe size, per-frame capture and encode ms (guru-win32-bench.exe), and the idle
# agent's RSS and CPU (--idle, sampled from /proc for 10 s). Stops what it started.
# usage: wine_bench.sh BUILD_DIR WINEPREFIX
set -eu
build=$(cd "$1" && pwd)
prefix=$2
here=$(cd "$(dirname "$0")" && pwd)
wine=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
wineserver=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
xvfb="$here/../../tests/x11/xvfb.sh"
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
probe_pid= idle_pid=
cleanup() {
    for p in $idle_pid $probe_pid; do kill "$p" 2>/dev/null || true; done
    WINEPREFIX="$prefix" timeout 20 "$wineserver" -k 2>/dev/null || true
    sh "$xvfb" stop "$build/xvfb-bench"
}
trap cleanup EXIT INT TERM
sh "$xvfb" start "$build/xvfb-bench" >/dev/null
export DISPLAY=":$(cat "$build/xvfb-bench/display")"
[ -f "$prefix/system.reg" ] || timeout 180 "$wine" wineboot --init >/dev/null 2>&1
timeout 60 "$wine" cmd.exe /c exit >/dev/null 2>&1 </dev/null || true

echo "exe_bytes=$(stat -c %s "$build/guruconnect-agent.exe")"
"$wine" "$build/guru-wine-probe.exe" "$build/bench-probe.txt" >/dev/null 2>&1 &
probe_pid=$!
i=0; while ! grep -q ready "$build/bench-probe.txt" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i+1)); done
timeout 120 "$wine" "$build/guru-win32-bench.exe" 20 2>/dev/null | grep -v "^capture: gdi"

"$wine" "$build/guruconnect-agent.exe" --idle --seconds 30 >/dev/null 2>&1 &
idle_pid=$!
sleep 3
# The Windows process is the wine64 process itself (Wine execs the preloader in place).
ticks0=$(awk '{print $14 + $15}' /proc/$idle_pid/stat)
sleep 10
ticks1=$(awk '{print $14 + $15}' /proc/$idle_pid/stat)
rss=$(awk '/VmRSS/ {print $2}' /proc/$idle_pid/status)
hz=$(getconf CLK_TCK)
echo "idle_rss_kib=$rss idle_cpu_percent=$(echo "scale=2; ($ticks1 - $ticks0) * 100 / $hz / 10" | bc)"
