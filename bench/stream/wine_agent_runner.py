"""The Windows agent (guruconnect-agent.exe) under Wine for `run.py --agent windows`.

The same way tests/wine/wine_agent.py runs it: WINEPREFIX (a throwaway one, by default under
agent/build), WINEDEBUG=-all, WINEDLLOVERRIDES="mscoree,mshtml=" (no Mono/Gecko prompt), the
first `wineboot --init` bounded at 180 s, and `wineserver -k` for that prefix alone at the end,
which ends Wine's own services (wineserver, explorer, services) that the run did not start by pid.

Wine's SendInput moves the X pointer but never sends X button events to X clients, so the
stopwatch cannot see a click through the Windows agent. For input-to-photon, guru-wine-probe.exe
--marker stands in: a Windows window at the click point flips a marker tile at the stopwatch's
marker position (above the idle stopwatch) and logs the click the way the stopwatch does.
"""
import os
import shutil
import subprocess
import time
from pathlib import Path

WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"
WINESERVER = shutil.which("wineserver") or "/usr/lib/wine/wineserver"


class WinePrefix:
    """One Wine prefix on the run's Xvfb display."""

    def __init__(self, prefix, display_env, work):
        self.prefix = Path(prefix).resolve()
        self.work = Path(work)
        self.env = {**display_env, "WINEPREFIX": str(self.prefix), "WINEDEBUG": "-all",
                    "WINEDLLOVERRIDES": "mscoree,mshtml="}

    def boot(self):
        self.prefix.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(self.work / "wine-services.log", "w") as log:
            subprocess.run([WINE, "wineboot", "--init"], env=self.env, stdout=log, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=180, check=True)
        return time.monotonic() - started

    def server_pid(self):
        """The wineserver of this prefix (its CPU is part of what running under Wine costs)."""
        want = f"WINEPREFIX={self.prefix}".encode()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                if not Path(f"/proc/{entry}/comm").read_text().startswith("wineserver"):  # wineserver64
                    continue
                if want in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0"):
                    return int(entry)
            except OSError:
                continue
        return None

    def stop(self):
        subprocess.run([WINESERVER, "-k"], env=self.env, timeout=30, check=False)


def agent_command(exe, ws_url, agent_id, credential):
    """The .exe captures the Wine desktop, i.e. the X root of $DISPLAY: no --display."""
    return [WINE, str(exe), "--server", ws_url, "--agent-id", agent_id, "--credential", credential]


def start_marker(procs, work, probe, env, click_at, timeout=30):
    """Starts the click marker (see the module doc) above whatever is mapped now; returns
    (process, its log, which has the stopwatch's "event MS STATE" lines)."""
    log = Path(work) / "wine-marker.log"
    p = procs.start("wine-marker", [WINE, str(probe), "--marker", str(log), str(click_at[0]), str(click_at[1])],
                    Path(work) / "wine-marker.out", env=env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and "ready" in log.read_text():
            return p, log
        if p.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError("guru-wine-probe.exe --marker did not start: " + (Path(work) / "wine-marker.out").read_text()[-2000:])
