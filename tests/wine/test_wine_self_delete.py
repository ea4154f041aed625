"""Delete-on-reboot with the Windows agent under Wine 8: the one-time agent downloaded from the
portal runs, and while it waits for consent another Windows program opens its .exe without
FILE_SHARE_DELETE (guru-wine-file-holder.exe; a handle Python opens is a Unix one, which
Wine's sharing rules never see). The technician ends the session: the agent exits, logs that
the file could not be deleted (a sharing violation) and that its deletion is scheduled for the
next reboot (MoveFileExW, MOVEFILE_DELAY_UNTIL_REBOOT), the .exe stays, and reg.exe finds
it in HKLM's PendingFileRenameOperations. The holder lets go and Wine "reboots" (`wineboot
-r`, which runs the pending renames as the Session Manager does at boot): the .exe is gone.
Under Wine MoveFileExW always may; the RunOnce fallback of a standard user is tested on its
own by test_win32_file_removal.exe (agent/platform/win32/tests/).
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import re
import subprocess

import pytest

from real_agent import stop, wait_until, xvfb
from test_wine_attended_support import HEIGHT, ROOT, WIDTH, run_downloaded, windows_portal_download
from test_wine_service import support_status, wine
from viewer_steps import admin_api
from wine_agent import WIN_BUILD, WINE, require_wine_parts, wine_session

HOLDER = WIN_BUILD / "guru-wine-file-holder.exe"
SESSION_MANAGER = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager"


def windows_path(path):
    """The Unix path as Wine's Z: drive shows it."""
    return "Z:" + str(path).replace("/", "\\")


def pending_renames(env):
    """reg.exe's answer for PendingFileRenameOperations: the value's text, or '' if there is none."""
    query = wine(env, "reg.exe", "query", SESSION_MANAGER, "/v", "PendingFileRenameOperations")
    return query.stdout if query.returncode == 0 else ""


def test_wine_held_agent_is_deleted_at_the_next_reboot(server, browser, tmp_path):
    require_wine_parts()
    if not HOLDER.exists():
        pytest.fail(f"missing for the Wine tests: {HOLDER}")
    api = admin_api(server)
    status, session = api.call("POST", "/api/support/sessions", {"assigned": True})
    assert status == 201, session
    folder = tmp_path / "Downloads"
    folder.mkdir()
    agent_file = windows_portal_download(browser, server.base_url, session["code"], folder)
    log_path = tmp_path / "held-agent.log"
    ready = tmp_path / "holder.ready"
    with xvfb(WIDTH, HEIGHT, ROOT) as (_, display_env), wine_session(display_env, tmp_path) as env:
        assert agent_file.name not in pending_renames(env), "a pending rename left from an earlier run"
        agent = run_downloaded(agent_file, env, log_path)
        holder = None
        try:
            wait_until(lambda: support_status(api, session["id"]) == "waitingConsent", 60,
                       lambda: "never waitingConsent:\n" + log_path.read_text(errors="replace"))
            with open(tmp_path / "holder.log", "w") as holder_log:
                holder = subprocess.Popen([WINE, str(HOLDER), windows_path(agent_file), windows_path(ready)], env=env,
                                          stdout=holder_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            wait_until(lambda: ready.exists() or holder.poll() is not None, 30, lambda: "the holder never started")
            assert ready.exists(), f"the holder could not open the .exe (exit {holder.poll()})"

            status, _ = api.call("POST", f"/api/support/sessions/{session['id']}/end", {})
            assert status == 204
            wait_until(lambda: agent.poll() is not None, 30,
                       lambda: "agent still running:\n" + log_path.read_text(errors="replace"))
            assert agent.returncode == 0, log_path.read_text(errors="replace")
            text = log_path.read_text(errors="replace")
            assert re.search(r"support: could not delete .*" + re.escape(agent_file.name) +
                             r" \(sharing violation \(held open by another process\), error 32\): "
                             r"deletion scheduled for the next reboot \(PendingRename: ", text), text
            assert "cmd.exe retries" not in text, text  # no helper: it could not have deleted it
            assert agent_file.exists(), "the held .exe was deleted after all"
            renames = pending_renames(env)
            assert re.search(r"PendingFileRenameOperations\s+REG_MULTI_SZ\s+.*\\\?\?\\" +
                             re.escape(windows_path(agent_file)), renames, re.IGNORECASE), renames

            ready.unlink()  # the holder lets go
            wait_until(lambda: holder.poll() is not None, 30, lambda: "the holder did not exit")
            assert agent_file.exists(), "nothing but the next boot may delete it"
            rebooted = wine(env, "wineboot", "-r", timeout=120)
            assert rebooted.returncode == 0, rebooted.stdout + rebooted.stderr
            wait_until(lambda: not agent_file.exists(), 30, lambda: "the reboot did not delete the .exe")
            assert agent_file.name not in pending_renames(env)
        finally:
            stop(agent)
            if holder is not None:
                stop(holder)
