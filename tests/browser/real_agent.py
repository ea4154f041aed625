"""Real parts for the end-to-end tests: an Xvfb display and the built C++ agent on it."""
import os
import re
import select
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from browser_steps import REPO

AGENT = REPO / "agent" / "build" / "release" / "guruconnect-agent"
# The agent's own windows, on every OS: their exact titles, and the button centres of the X11
# ones (agent/platform/x11/x11_prompt_layout.h).
CONSENT_TITLE = "GuruConnect: allow remote support?"
ACTIVE_TITLE = "GuruConnect: session active"
PROMPT_BUTTONS = {"decline": (282, 197), "allow": (394, 197), "end": (254, 161)}


def xdotool(env, *args, timeout=20):
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=timeout)


def find_window(env, title, timeout=30):
    """The id of the mapped window with this title, or this title followed by the 6-digit codes
    the agent adds once known (" (code 123 456)"; xdotool matches a regex: escape '?')."""
    deadline = time.monotonic() + timeout
    pattern = "^" + title.replace("?", "\\?") + "( \\(codes? [0-9 ,]+\\))?$"
    while time.monotonic() < deadline:
        found = xdotool(env, "search", "--onlyvisible", "--name", pattern)
        if found.returncode == 0 and found.stdout.split():
            return found.stdout.split()[0]
        time.sleep(0.2)
    raise AssertionError(f"no window titled {title!r}")


TOOLS = ("Xvfb", "xdotool", "xsetroot", "xterm")


def window_code(env, title, timeout=30):
    """The 6-digit code in the title of the agent's window `title` ("123 456"), once it shows one."""
    deadline = time.monotonic() + timeout
    while True:
        window = find_window(env, title, max(1, deadline - time.monotonic()))
        name = xdotool(env, "getwindowname", window).stdout.strip()
        match = re.fullmatch(re.escape(title) + r" \(code (\d{3} \d{3})\)", name)
        if match:
            return match.group(1)
        if time.monotonic() > deadline:
            raise AssertionError(f"no code in the title {name!r}")
        time.sleep(0.1)


def require_real_parts():
    """Skips when run piecemeal without the built agent; `make test` sets GURU_REQUIRE_REAL_AGENT so
    that there a missing part fails instead of skipping."""
    missing = [str(AGENT)] if not AGENT.exists() else []
    missing += [tool for tool in TOOLS if not shutil.which(tool)]
    if missing and os.environ.get("GURU_REQUIRE_REAL_AGENT"):
        pytest.fail(f"missing for the real-agent tests: {', '.join(missing)}")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def xvfb(width, height, root_colour=None):
    """An Xvfb display of the given size; yields (display, env)."""
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-noreset", "-screen", "0", f"{width}x{height}x24",
                                "-nolisten", "tcp"], pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            ready, _, _ = select.select([pipe], [], [], 15)
            # Xvfb writes its display number once it is ready.
            display = ":" + (pipe.readline().strip() if ready else "")
        assert display != ":", "Xvfb did not start"
        env = {**os.environ, "DISPLAY": display}
        if root_colour:
            # -noreset keeps this background when xsetroot disconnects.
            subprocess.run(["xsetroot", "-solid", "#%02x%02x%02x" % root_colour], env=env, check=True, timeout=10)
        yield display, env
    finally:
        stop(process)


def start_agent(server_url, agent_id, credential, display, env, workdir, extra=()):
    """Starts a copy of the agent (the agent build may replace the binary meanwhile); returns (process, log path)."""
    binary = Path(workdir) / "guruconnect-agent"
    shutil.copy(AGENT, binary)
    log_path = Path(workdir) / f"agent-{time.monotonic_ns()}.log"
    with open(log_path, "w") as log:
        ws_url = server_url.replace("https://", "wss://").replace("http://", "ws://") + "/api/agent/ws"
        # The identity key beside the binary: a restart of the same agent proves the same key.
        identity = Path(workdir) / f"identity-{agent_id}.key"
        process = subprocess.Popen([str(binary), "--server", ws_url, "--agent-id", agent_id, "--credential", credential,
                                    "--identity-file", str(identity), "--display", display, *extra],
                                   stdout=log, stderr=subprocess.STDOUT, env=env)
    return process, log_path


@contextmanager
def live_viewer(server, xvfb, page, workdir, name, mode="control", timeout=20_000):
    """Enrols `name`, runs the real agent on the `xvfb` fixture's display and opens `page` (not
    yet signed in) live on it in `mode`. Yields (page, display env, agent log path); stops the
    agent afterwards."""
    from viewer_steps import admin_api, enrol, expect_live, signed_in  # viewer_steps needs nothing from here
    display, env = xvfb
    agent_id, credential = enrol(admin_api(server), name)
    agent, log_path = start_agent(server.base_url, agent_id, credential, display, env, workdir)
    try:
        signed_in(page, server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode={mode}")
        expect_live(page, timeout=timeout)
        yield page, env, log_path
    finally:
        stop(agent)


def wait_until(predicate, timeout, message):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(message() if callable(message) else message)


def desktop_fixture(width, height, root_colour=None, name="desktop"):
    """A pytest fixture yielding (display, env) of a fresh Xvfb, after checking the real parts exist."""
    @pytest.fixture(name=name)
    def desktop():
        require_real_parts()
        with xvfb(width, height, root_colour) as display:
            yield display
    return desktop
