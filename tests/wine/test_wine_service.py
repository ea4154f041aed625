"""The Windows agent's service mode under Wine 8: `--install` copies the .exe to Program Files,
stores the configuration in HKLM (credential protected by DPAPI), registers the GuruConnect
service and the guruconnect:// handler; Wine's services.exe starts the service, whose session
helper (CreateProcessAsUserW) comes online on the real server, and is relaunched when killed;
`--uninstall` stops it (the agent goes offline) and removes the service, the keys and the .exe.
`--open-url guruconnect://session/NNNNNN` run from the installed .exe (as the handler runs it) joins
that support session through the installed server: consent prompt, Allow, Connected, End, and the
installed .exe stays.
Wine's sc.exe has no `qc`, so the service's settings are read from its registry key instead.
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from real_agent import CONSENT_TITLE, wait_until, xvfb
from test_wine_attended_support import click_button
from viewer_steps import agent_online, admin_api, enrol
from wine_agent import EXE, PREFIX, WINE, end_wine_session, require_wine_parts, wine_env

INSTALL_DIR = PREFIX / "drive_c" / "Program Files" / "GuruConnect"
INSTALLED_EXE = INSTALL_DIR / "guruconnect-agent.exe"
SERVICE_LOG = INSTALL_DIR / "agent.log"
SERVICE_KEY = r"HKLM\System\CurrentControlSet\Services\GuruConnect"
CONFIG_KEY = r"HKLM\Software\GuruConnect\Agent"
# The server alone, readable by users, for the guruconnect:// handler.
SERVER_KEY = r"HKLM\Software\GuruConnect\Server"
POLICY_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Policies\System"
HANDLER_KEY = r"HKCU\Software\Classes\guruconnect"


@contextmanager
def wine_session(display_env, log_dir, launcher=()):
    """wine_agent.wine_session, but booted with plain `wineboot`: on an existing prefix Wine 8's
    `wineboot --init` leaves two services.exe running, and a service started then connects to
    the other one's control pipe (StartServiceW: ERROR_SERVICE_REQUEST_TIMEOUT, 1053).
    `launcher` prefixes wineboot (fake_dmi's nsenter): Wine's services, and the services they
    start, run where it puts them."""
    env = wine_env(display_env)
    PREFIX.mkdir(parents=True, exist_ok=True)
    with open(Path(log_dir) / "wine-services.log", "w") as log:
        subprocess.run([*launcher, WINE, "wineboot"], env=env, stdout=log, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=180, check=True)
    try:
        yield env
    finally:
        end_wine_session(env)


def wine(env, *args, timeout=90, cwd=None):
    """Runs a Windows program under Wine; the CompletedProcess (stdout and stderr as text).
    Wine's own sc.exe and reg.exe now and then print nothing at all and exit 0, and now and then
    hang (a CI run saw `reg.exe query` still silent after 90 s): a query of theirs, which changes
    nothing, is asked again then (at most 10 times, 0.5 s apart; 20 s each)."""
    tool_query = str(args[0]).lower() in ("sc.exe", "reg.exe") and len(args) > 1 and str(args[1]) == "query"
    if not tool_query:
        return subprocess.run([WINE, *map(str, args)], env=env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL, cwd=cwd)
    hung = 0
    for _ in range(10):
        try:
            result = subprocess.run([WINE, *map(str, args)], env=env, capture_output=True, text=True,
                                    timeout=min(timeout, 20), stdin=subprocess.DEVNULL, cwd=cwd)
        except subprocess.TimeoutExpired:
            hung += 1
            continue
        if result.returncode != 0 or result.stdout.strip():
            return result
        time.sleep(0.5)
    raise AssertionError(f"{' '.join(map(str, args))}: no answer in 10 tries ({hung} hung past 20 s)")


def service_log():
    return SERVICE_LOG.read_text(errors="replace") if SERVICE_LOG.exists() else "(no agent.log)"


def taskkill(env, pid, gone):
    """Wine's taskkill /f until it succeeds or `gone()` says the process is: once in about ten
    runs it exited 1 with no output for a live process (right after a fresh build of the .exe)."""
    for _ in range(10):
        result = wine(env, "taskkill.exe", "/f", "/pid", pid)
        if result.returncode == 0 or gone():
            return
        time.sleep(0.5)
    raise AssertionError(f"taskkill /f /pid {pid}: exit {result.returncode} {result.stdout}{result.stderr}\n"
                         + service_log())


def helper_pids():
    return re.findall(r"helper started, pid (\d+)", service_log())


def support_status(api, session_id):
    _, body = api.call("GET", "/api/support/sessions")
    return next(s for s in body["sessions"] if s["id"] == session_id)["status"]


def join_from_link(env, display_env, api, tmp_path):
    """What a click on the portal's guruconnect:// link does once the service is installed: the
    installed .exe with --open-url and no --server, so the server comes from HKLM."""
    status, session = api.call("POST", "/api/support/sessions", {"assigned": True})
    assert status == 201, session
    log_path = tmp_path / "open-url.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([WINE, str(INSTALLED_EXE), "--open-url", f"guruconnect://session/{session['code']}"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_until(lambda: support_status(api, session["id"]) == "waitingConsent", 60,
                   lambda: "never waitingConsent:\n" + log_path.read_text(errors="replace"))
        click_button(display_env, CONSENT_TITLE, "allow")
        wait_until(lambda: support_status(api, session["id"]) == "connected", 30,
                   lambda: "never connected:\n" + log_path.read_text(errors="replace"))
        status, _ = api.call("POST", f"/api/support/sessions/{session['id']}/end", {})
        assert status == 204
        wait_until(lambda: process.poll() is not None, 30,
                   lambda: "--open-url still running:\n" + log_path.read_text(errors="replace"))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    text = log_path.read_text(errors="replace")
    assert process.returncode == 0, text
    assert f"open-url: support session {session['code']}: asking ws://127.0.0.1:" in text, text
    assert "keeps its file" in text and "deleted" not in text, text
    assert INSTALLED_EXE.exists(), "the installed agent must not delete itself"
    assert support_status(api, session["id"]) == "ended"



def test_wine_service_install_runs_the_agent_and_uninstall_removes_it(server, tmp_path):
    require_wine_parts()
    with xvfb(640, 480) as (display, display_env), wine_session(display_env, tmp_path) as env:
        api = admin_api(server)
        agent_id, credential = enrol(api, "WINE-SERVICE")
        exe = tmp_path / "guruconnect-agent.exe"
        shutil.copy(EXE, exe)
        ws_url = server.base_url.replace("http://", "ws://") + "/api/agent/ws"
        wine(env, exe, "--uninstall")  # a prefix left over by an interrupted run
        try:
            # A relative --ca-file is found, and copied beside the installed .exe, where only
            # administrators write: the service trusts that copy (ws:// never reads it).
            (tmp_path / "ca.pem").write_text("not read over ws://\n")
            result = wine(env, exe, "--install", "--server", ws_url, "--agent-id", agent_id,
                          "--credential", credential, "--ca-file", "ca.pem", cwd=tmp_path)
            output = result.stdout + result.stderr
            assert result.returncode == 0, output
            for line in ("copied ", "configuration stored in HKLM", "service GuruConnect created",
                         "service GuruConnect started", "guruconnect:// handler registered"):
                assert line in output, output
            assert INSTALLED_EXE.exists()

            query = wine(env, "sc.exe", "query", "GuruConnect")
            assert query.returncode == 0, query.stdout + query.stderr
            assert re.search(r"STATE\s+:\s+4\s+RUNNING", query.stdout), query.stdout
            assert "WIN32_OWN_PROCESS" in query.stdout
            service = wine(env, "reg.exe", "query", SERVICE_KEY).stdout
            assert re.search(r"ObjectName\s+REG_SZ\s+LocalSystem", service), service
            assert re.search(r"Start\s+REG_DWORD\s+0x2\b", service), service  # SERVICE_AUTO_START
            assert re.search(r'ImagePath\s+REG_SZ\s+"C:\\Program Files\\GuruConnect\\guruconnect-agent\.exe" --service',
                             service), service
            assert re.search(r"DisplayName\s+REG_SZ\s+GuruConnect Agent", service), service
            assert "Description" in service

            config = wine(env, "reg.exe", "query", CONFIG_KEY).stdout
            assert agent_id in config and ws_url in config, config
            ca_path = "C:\\Program Files\\GuruConnect\\ca.pem"
            assert re.search(r"CaFile\s+REG_SZ\s+" + re.escape(ca_path), config, re.IGNORECASE), config
            assert (INSTALLED_EXE.parent / "ca.pem").read_text() == "not read over ws://\n"
            blob = re.search(r"Credential\s+REG_BINARY\s+([0-9A-F]+)", config)
            assert blob, config
            assert credential not in config
            assert credential.encode().hex().upper() not in blob.group(1)
            assert credential.encode("utf-16-le").hex().upper() not in blob.group(1)

            server_key = wine(env, "reg.exe", "query", SERVER_KEY).stdout
            assert ws_url in server_key and "Credential" not in server_key and agent_id not in server_key, server_key
            # Ctrl+Alt+Del from the viewer: services may send the SAS now (the old value kept).
            policy = wine(env, "reg.exe", "query", POLICY_KEY, "/v", "SoftwareSASGeneration").stdout
            assert re.search(r"SoftwareSASGeneration\s+REG_DWORD\s+0x[13]\b", policy), policy
            assert "SoftwareSASGeneration now lets services" in output or "already lets services" in output, output

            handler = wine(env, "reg.exe", "query", HANDLER_KEY, "/s").stdout
            assert "URL:GuruConnect" in handler, handler
            assert "URL Protocol" in handler
            assert '"C:\\Program Files\\GuruConnect\\guruconnect-agent.exe" --open-url "%1"' in handler, handler

            wait_until(lambda: agent_online(api, agent_id), 30, lambda: "service agent never came online:\n" + service_log())
            assert "a user is logged on" in service_log()

            # A helper that dies is started again (1 s backoff) and comes back online.
            first = helper_pids()[-1]
            taskkill(env, first, lambda: f"helper pid {first} exited" in service_log())
            wait_until(lambda: len(helper_pids()) >= 2, 15, lambda: "helper not relaunched:\n" + service_log())
            assert f"helper pid {first} exited" in service_log()
            wait_until(lambda: agent_online(api, agent_id), 30, lambda: "relaunched helper not online:\n" + service_log())

            # The service process killed: its helper goes with it (kill-on-close job), so no
            # orphan keeps the agent online. Wine's services.exe has no recovery actions
            # (FAILURE_ACTIONS is a FIXME there): the test starts the service again itself.
            service_pid = re.findall(r"running, pid (\d+)", service_log())[-1]
            taskkill(env, service_pid, lambda: not agent_online(api, agent_id))
            wait_until(lambda: not agent_online(api, agent_id), 15, lambda: "helper outlived the service:\n" + service_log())
            started = wine(env, "sc.exe", "start", "GuruConnect")
            assert started.returncode == 0, started.stdout + started.stderr
            wait_until(lambda: agent_online(api, agent_id), 30, lambda: "restarted service not online:\n" + service_log())

            join_from_link(env, display_env, api, tmp_path)

            result = wine(env, exe, "--uninstall")
            output = result.stdout + result.stderr
            assert result.returncode == 0, output
            for line in ("service GuruConnect stopped", "service GuruConnect deleted", "configuration removed",
                         "handler removed", "removed C:\\Program Files\\GuruConnect\\guruconnect-agent.exe"):
                assert line in output, output
            assert wine(env, "sc.exe", "query", "GuruConnect").returncode != 0
            wait_until(lambda: not agent_online(api, agent_id), 15, "agent still online after --uninstall")
            assert not INSTALLED_EXE.exists()
            assert not (INSTALLED_EXE.parent / "ca.pem").exists()
            assert wine(env, "reg.exe", "query", HANDLER_KEY).returncode != 0
            assert wine(env, "reg.exe", "query", CONFIG_KEY).returncode != 0
            assert wine(env, "reg.exe", "query", SERVER_KEY).returncode != 0
            assert "SoftwareSASGeneration put back" in output, output
            policy = wine(env, "reg.exe", "query", POLICY_KEY, "/v", "SoftwareSASGeneration")
            assert policy.returncode != 0 or "SoftwareSASGeneration" not in policy.stdout, policy.stdout

            again = wine(env, exe, "--uninstall")
            assert again.returncode == 0
            assert "not installed" in again.stdout
        finally:
            wine(env, exe, "--uninstall")


def test_wine_open_url_accepts_only_a_session_link(tmp_path):
    require_wine_parts()
    with xvfb(320, 240) as (display, display_env), wine_session(display_env, tmp_path) as env:
        wine(env, EXE, "--uninstall")  # a prefix left over by an interrupted run
        # Nothing installed and no GURU_SERVER: nowhere to ask.
        good = wine(env, EXE, "--open-url", "guruconnect://session/123456")
        assert good.returncode == 2, good.stdout + good.stderr
        assert "no server: set GURU_SERVER" in good.stderr
        # The link is alone on its command line: a flag beside it is a usage error.
        flagged = wine(env, EXE, "--open-url", "guruconnect://session/123456", "--server", "http://127.0.0.1:9")
        assert flagged.returncode == 2 and "usage:" in flagged.stderr, flagged.stdout + flagged.stderr
        for url in ("guruconnect://session/12345", "guruconnect://session/123456?x=1", "http://session/123456",
                    "guruconnect://session/%31%32%33%34%35%36"):
            bad = wine(env, EXE, "--open-url", url)
            assert bad.returncode == 2, (url, bad.stdout, bad.stderr)
            assert "not a GuruConnect session link" in bad.stderr
            assert url not in bad.stderr  # never echoed back


def test_wine_service_flag_outside_the_service_manager_exits_2(tmp_path):
    require_wine_parts()
    with xvfb(320, 240) as (display, display_env), wine_session(display_env, tmp_path) as env:
        missing_ca = wine(env, EXE, "--install", "--server", "ws://127.0.0.1:9/api/agent/ws", "--agent-id",
                          "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "--credential", "t", "--ca-file", "no-such.pem",
                          cwd=tmp_path)
        assert missing_ca.returncode == 2, missing_ca.stdout + missing_ca.stderr
        assert "--ca-file names no file" in missing_ca.stderr
        assert not INSTALLED_EXE.exists()
        bad_id = wine(env, EXE, "--install", "--server", "ws://127.0.0.1:9/api/agent/ws", "--agent-id", "x",
                      "--credential", "t")
        assert bad_id.returncode == 2 and "--agent-id must be a UUID" in bad_id.stderr, bad_id.stderr
        result = wine(env, EXE, "--service")
        assert result.returncode == 2, result.stdout + result.stderr
        assert "started by the Windows service manager" in result.stderr
        helper = wine(env, EXE, "--session-helper", "--stop-event", "1073741820")
        assert helper.returncode == 2
        assert "--stop-event" in helper.stderr
