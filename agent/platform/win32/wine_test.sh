#!/bin/sh
# Runs the cross-built Windows tests (ctest, each test .exe under Wine) and the agent's
# --self-test on a private Xvfb with a throwaway WINEPREFIX; stops both (by pid / by
# prefix) when done.  usage: wine_test.sh BUILD_DIR WINEPREFIX
set -eu
build=$(cd "$1" && pwd)
prefix=$2
here=$(cd "$(dirname "$0")" && pwd)
wine=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
wineserver=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
xvfb="$here/../../tests/x11/xvfb.sh"
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

cleanup() {
    WINEPREFIX="$prefix" timeout 20 "$wineserver" -k 2>/dev/null || true
    sh "$xvfb" stop "$build/xvfb"
}
trap cleanup EXIT INT TERM

sh "$xvfb" start "$build/xvfb"
export DISPLAY=":$(cat "$build/xvfb/display")"

if [ ! -f "$prefix/system.reg" ]; then
    mkdir -p "$prefix"
    start=$(date +%s)
    timeout 180 "$wine" wineboot --init >"$build/wineboot.log" 2>&1 || {
        echo "wineboot failed or took over 180 s:"; tail -20 "$build/wineboot.log"; exit 1; }
    timeout 60 "$wineserver" -w || true
    echo "wineboot: $(( $(date +%s) - start )) s"
fi

# A persistent wineserver (until cleanup's -k): otherwise each test .exe pays ~2 s of
# Wine start-up.
"$wineserver" -p
# The first Wine process starts Wine's own services (services.exe, explorer.exe...), which
# then live as long as the wineserver and would hold ctest's output pipe open: start them
# here, with their output going to a file.
timeout 60 "$wine" cmd.exe /c exit >"$build/wine-services.log" 2>&1 </dev/null || true
start=$(date +%s)
# One test at a time: they share the Wine desktop (windows, pointer, clipboard).
# The session-loop suites (test_session_loop, test_session_quality, test_session_e2e) are left
# out under Wine (test_session_e2e, the E2E v2 handshake through the session loop, hung there):
# about one run in four crashes as a worker thread exits, in winpthreads' thread-exit key
# cleanup (_pthread_cleanup_dest → rwl_ref, a call through a null pointer; symbolised with
# x86_64-w64-mingw32-addr2line), not in a test case. The same core code passes under
# ASan/UBSan on Linux every time. Run them by hand with:
#   ctest --test-dir BUILD -R test_session_
# test_session_diagnostics (the session loop with a diagnostics worker thread) hangs there the
# same way; it passes under ASan/UBSan on Linux.
ctest --test-dir "$build" --output-on-failure --timeout 120 -j1 -E '^test_session_(loop|quality|e2e|diagnostics)$'

echo "ctest under wine: $(( $(date +%s) - start )) s"
timeout 60 "$wine" "$build/guruconnect-agent.exe" --self-test
