"""A guruconnect://session/NNNNNN link joins its support session (docs/support.md §4, "Joining from a
link") with real parts: the real server and the built Linux agent on Xvfb, run as an already-installed agent would be by the
URL handler (`--open-url LINK`, nothing else on the command line; the test names its server in
$GURU_SERVER). It asks the portal for the code, verifies the download's
signed trailer in memory, shows the consent prompt (the session turns waitingConsent), Allow turns it
Connected, and ending it makes the agent exit 0 while keeping its own file. An unknown code exits 1
with the server's message and changes nothing; a download altered on the way (by a proxy between the
agent and the server) exits 1 with BadSignature and never reaches the session."""
import http.server
import shutil
import subprocess
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import real_agent
from real_agent import AGENT, CONSENT_TITLE, PROMPT_BUTTONS, find_window, stop, wait_until, xdotool
from viewer_steps import admin_api

desktop = real_agent.desktop_fixture(640, 480, (0x20, 0x40, 0x60))


def installed_agent(workdir):
    """A copy of the agent standing in for the installed one (its file must survive the session)."""
    binary = Path(workdir) / "guruconnect-agent"
    shutil.copy(AGENT, binary)
    return binary


def link_env(env, server_url, display):
    """The handler's command line is exactly `--open-url URL`: the server and display come from the environment."""
    return {**env, "GURU_SERVER": server_url, "DISPLAY": display}


def open_url(binary, link, server_url, display, env, log_path):
    log = open(log_path, "w")
    process = subprocess.Popen([str(binary), "--open-url", link], stdout=log, stderr=subprocess.STDOUT,
                               env=link_env(env, server_url, display), stdin=subprocess.DEVNULL)
    return process, log


def session_of(api, session_id):
    status, body = api.call("GET", "/api/support/sessions")
    assert status == 200, body
    return next(s for s in body["sessions"] if s["id"] == session_id)


def new_code(api):
    status, session = api.call("POST", "/api/support/sessions", {"assigned": True})
    assert status == 201, session
    return session


def test_the_link_joins_the_session_and_the_installed_agent_keeps_its_file(server, desktop, tmp_path):
    display, env = desktop
    api = admin_api(server)
    session = new_code(api)
    binary = installed_agent(tmp_path)
    log_path = tmp_path / "open-url.log"
    agent, log = open_url(binary, f"guruconnect://session/{session['code']}", server.base_url, display, env, log_path)
    try:
        wait_until(lambda: session_of(api, session["id"])["status"] == "waitingConsent", 20,
                   lambda: f"never waitingConsent:\n{log_path.read_text()}")
        window = find_window(env, CONSENT_TITLE, timeout=15)
        x, y = PROMPT_BUTTONS["allow"]
        assert xdotool(env, "mousemove", "--window", window, str(x), str(y), "click", "1").returncode == 0
        wait_until(lambda: session_of(api, session["id"])["status"] == "connected", 15,
                   lambda: f"never connected:\n{log_path.read_text()}")
        find_window(env, real_agent.ACTIVE_TITLE, timeout=15)

        status, _ = api.call("POST", f"/api/support/sessions/{session['id']}/end", {})
        assert status == 204
        wait_until(lambda: agent.poll() is not None, 15, lambda: f"agent still running:\n{log_path.read_text()}")
        text = log_path.read_text()
        assert agent.returncode == 0, text
        assert f"open-url: support session {session['code']} verified" in text, text
        assert binary.exists(), "the installed agent must not delete itself"
        assert "keeps its file" in text and "deleted" not in text, text
        assert session_of(api, session["id"])["status"] == "ended"
    finally:
        stop(agent)
        log.close()


def test_an_unknown_code_exits_1_with_the_servers_message_and_changes_nothing(server, desktop, tmp_path):
    display, env = desktop
    api = admin_api(server)
    _, before = api.call("GET", "/api/support/sessions")
    binary = installed_agent(tmp_path)
    taken = {s["code"] for s in before["sessions"]}
    unknown = next(c for c in (f"{n:06d}" for n in range(999999, 0, -7919)) if c not in taken)
    result = subprocess.run([str(binary), "--open-url", f"guruconnect://session/{unknown}"],
                            env=link_env(env, server.base_url, display), capture_output=True, text=True, timeout=30)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"support code {unknown}: No support session has this code." in result.stderr, result.stderr
    _, after = api.call("GET", "/api/support/sessions")
    assert after["sessions"] == before["sessions"]

    bad = subprocess.run([str(binary), "--open-url", "guruconnect://session/12345"],
                         env=link_env(env, server.base_url, display), capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "not a GuruConnect session link" in bad.stderr, bad.stderr
    bare = {k: v for k, v in env.items() if k != "GURU_SERVER"}
    nowhere = subprocess.run([str(binary), "--open-url", f"guruconnect://session/{unknown}"], env=bare,
                             capture_output=True, text=True, timeout=30)
    assert nowhere.returncode == 2, nowhere.stderr
    assert "no server: set GURU_SERVER" in nowhere.stderr, nowhere.stderr
    # A link is alone on its command line: a flag beside it (a server of a web page's choosing) is a usage error.
    flagged = subprocess.run([str(binary), "--open-url", f"guruconnect://session/{unknown}", "--server", server.base_url],
                             env=bare, capture_output=True, text=True, timeout=30)
    assert flagged.returncode == 2 and "usage:" in flagged.stderr, flagged.stderr
    _, still = api.call("GET", "/api/support/sessions")
    assert still["sessions"] == before["sessions"]


@contextmanager
def tampering_proxy(upstream):
    """An HTTP server in front of `upstream` that passes the code check through and flips one byte of
    the download's trailer JSON (the server URL's last character), as a meddler on the way would."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def forward(self, data=None):
            request = urllib.request.Request(upstream + self.path, data=data, method=self.command,
                                             headers={"Content-Type": self.headers.get("Content-Type", "")})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()

        def reply(self, status, body):
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            self.reply(*self.forward(self.rfile.read(int(self.headers["Content-Length"]))))

        def do_GET(self):
            status, body = self.forward()
            if status == 200:
                data = bytearray(body)
                length = int.from_bytes(data[-12:-8], "little")
                value = data.index(b'"server":"', len(data) - 76 - length) + len(b'"server":"')
                last = data.index(b'"', value) - 1
                data[last] = ord("1") if data[last] != ord("1") else ord("2")
                body = bytes(data)
            self.reply(status, body)

        def log_message(self, *args):
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(timeout=10)


def test_a_download_altered_on_the_way_is_refused_before_connecting(server, desktop, tmp_path):
    display, env = desktop
    api = admin_api(server)
    session = new_code(api)
    binary = installed_agent(tmp_path)
    with tampering_proxy(server.base_url) as proxy:
        result = subprocess.run([str(binary), "--open-url", f"guruconnect://session/{session['code']}"],
                                env=link_env(env, proxy, display), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "did not verify (BadSignature)" in result.stderr, result.stderr
    mine = session_of(api, session["id"])
    assert mine["status"] == "pending" and not mine["agentOnline"], mine
