#!/bin/sh
# Starts or stops the Xvfb that the X11 integration tests share (a ctest fixture).
# usage: xvfb.sh start|stop DIR   — DIR receives display (":N"), xvfb.pid and xvfb.log.
# Xvfb picks a free display itself (-displayfd); only the pid recorded here is stopped.
set -eu
cmd=$1
dir=$2
mkdir -p "$dir"
stop() {
    if [ -s "$dir/xvfb.pid" ]; then
        pid=$(cat "$dir/xvfb.pid")
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid"
            i=0
            while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        fi
        rm -f "$dir/xvfb.pid" "$dir/display"
    fi
}
case "$cmd" in
start)
    stop
    rm -f "$dir/display"
    Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp -noreset \
        3>"$dir/display" >"$dir/xvfb.log" 2>&1 &
    echo $! >"$dir/xvfb.pid"
    i=0
    while [ ! -s "$dir/display" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    if [ ! -s "$dir/display" ]; then
        echo "Xvfb did not start:" >&2
        cat "$dir/xvfb.log" >&2
        stop
        exit 1
    fi
    echo "Xvfb pid $(cat "$dir/xvfb.pid") on :$(cat "$dir/display")"
    ;;
stop) stop ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
