"""The cross-built Windows agent (agent/build/win64/guruconnect-agent.exe) under Wine 8 on
an Xvfb display, with a throwaway WINEPREFIX; every process is stopped by pid or by prefix."""
import os
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser_steps import REPO

# GURU_WIN_BUILD and GURU_WINE_PREFIX point a run at another build or prefix (parallel work).
WIN_BUILD = Path(os.environ.get("GURU_WIN_BUILD") or REPO / "agent" / "build" / "win64")
EXE = WIN_BUILD / "guruconnect-agent.exe"
# The pattern-and-recorder Windows program (agent/platform/win32/tests/wine_probe.cpp).
PROBE = WIN_BUILD / "guru-wine-probe.exe"
PREFIX = Path(os.environ.get("GURU_WINE_PREFIX") or REPO / "agent" / "build" / "wineprefix-e2e")
WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"
WINESERVER = shutil.which("wineserver") or "/usr/lib/wine/wineserver"
TOOLS = ("Xvfb", "xdotool", "xsetroot")


def require_wine_parts():
    """Skips unless GURU_WINE_TESTS=1; then a missing part fails (build it with
    `make -f agent/win.mk agent-win-test`, which builds the probe too)."""
    if os.environ.get("GURU_WINE_TESTS") != "1":
        pytest.skip("Windows agent under Wine: opt-in with GURU_WINE_TESTS=1")
    missing = [str(p) for p in (EXE, PROBE, Path(WINE), Path(WINESERVER)) if not p.exists()]
    missing += [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        pytest.fail(f"missing for the Wine tests: {', '.join(missing)}")


def wine_env(display_env):
    return {**display_env, "WINEPREFIX": str(PREFIX), "WINEDEBUG": "-all", "WINEDLLOVERRIDES": "mscoree,mshtml="}


@contextmanager
def wine_session(display_env, log_dir):
    """A ready Wine prefix on the display (first wineboot bounded at 180 s); yields the env.
    Wine's own services are started here with their output in a file, and `wineserver -k`
    for this prefix alone ends them all afterwards."""
    env = wine_env(display_env)
    PREFIX.mkdir(parents=True, exist_ok=True)
    with open(Path(log_dir) / "wine-services.log", "w") as log:
        subprocess.run([WINE, "wineboot", "--init"], env=env, stdout=log, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=180, check=True)
    try:
        yield env
    finally:
        end_wine_session(env)


def end_wine_session(env):
    """Kills this prefix's Wine processes and waits (bounded) until its wineserver has exited: `-k`
    alone returns at once, and the next test's wineboot could then meet the dying server (a CI run's
    `wineboot --init` exited 127, "X connection to :0 broken", the last test's display gone)."""
    subprocess.run([WINESERVER, "-k"], env=env, timeout=30, check=False)
    subprocess.run([WINESERVER, "-w"], env=env, timeout=60, check=False)


def start_wine_agent(server_url, agent_id, credential, env, workdir, extra=()):
    """Starts a copy of the .exe under Wine (ws://, or wss:// through Schannel)."""
    exe = Path(workdir) / "guruconnect-agent.exe"
    shutil.copy(EXE, exe)
    log_path = Path(workdir) / f"wine-agent-{time.monotonic_ns()}.log"
    ws_url = server_url.replace("https://", "wss://").replace("http://", "ws://") + "/api/agent/ws"
    with open(log_path, "w") as log:
        process = subprocess.Popen([WINE, str(exe), "--server", ws_url, "--agent-id", agent_id,
                                    "--credential", credential, *extra],
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    return process, log_path


def start_probe(env, workdir):
    """Starts guru-wine-probe.exe (the desktop pattern, and a record of clicks and typing);
    returns (process, record path)."""
    record = Path(workdir) / "probe.txt"
    log = open(Path(workdir) / "probe.log", "w")
    process = subprocess.Popen([WINE, str(PROBE), str(record)], stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=env)
    log.close()
    return process, record
