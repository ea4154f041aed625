"""The viewer's clipboard panel against the Windows agent under Wine, with guru-wine-probe.exe
as the Windows program that copies and reads CF_UNICODETEXT: a copy in a Windows program
shows up in the panel (non-ASCII included), and text sent from the panel is what a Windows
program then reads from the clipboard (a character outside the BMP included, i.e. a UTF-16
surrogate pair). Oversized and empty text are refused before sending, the same in front of
any agent: tests/browser/test_viewer_clipboard.py covers that.
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from real_agent import stop, wait_until, xvfb
from viewer_steps import admin_api, agent_online, enrol, expect_live, expect_remote_copy_in_panel, send_from_panel, signed_in
from wine_agent import PROBE, WINE, require_wine_parts, start_wine_agent, wine_session

WIDTH, HEIGHT = 800, 500


@contextmanager
def copied_in_windows(env, workdir, text):
    """A Windows program copies `text` and stays the clipboard's owner until the block ends."""
    source = Path(workdir) / "clip-set.txt"
    source.write_text(text, encoding="utf-8")
    out = Path(workdir) / "clip-set.out"
    with open(out, "w") as log:
        owner = subprocess.Popen([WINE, str(PROBE), "--clip-set", str(source)], stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, env=env)
    try:
        wait_until(lambda: "copied" in out.read_text(), 20, lambda: f"probe did not copy: {out.read_text()!r}")
        yield
    finally:
        stop(owner)


def windows_clipboard(env, workdir):
    """The clipboard's text as a Windows program reads it, or None if it holds no text."""
    target = Path(workdir) / "clip-get.txt"
    target.unlink(missing_ok=True)
    result = subprocess.run([WINE, str(PROBE), "--clip-get", str(target)], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, timeout=30)
    return target.read_text(encoding="utf-8") if result.returncode == 0 and target.exists() else None


def test_clipboard_both_ways_with_the_windows_agent(server, new_page, tmp_path):
    require_wine_parts()
    copied = "Grüße from Wine ✓ 42"
    sent = "Técnico → Windows ✓ 𝄞 café"
    with xvfb(WIDTH, HEIGHT) as (display, display_env), wine_session(display_env, tmp_path) as env:
        api = admin_api(server)
        agent_id, credential = enrol(api, "WINE-CLIP")
        agent, log_path = start_wine_agent(server.base_url, agent_id, credential, env, tmp_path)
        try:
            wait_until(lambda: agent_online(api, agent_id), 30,
                       lambda: "agent never came online:\n" + log_path.read_text())
            page = signed_in(new_page(), server.base_url)
            page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
            expect_live(page, timeout=20_000)

            # Windows → viewer: a copy in a Windows program marks the button and fills the panel.
            with copied_in_windows(env, tmp_path, copied):
                expect_remote_copy_in_panel(page, copied)

                # Viewer → Windows: the agent takes the clipboard over from that program.
                send_from_panel(page, sent)
                seen = {"text": None}

                def holds_sent():
                    seen["text"] = windows_clipboard(env, tmp_path)
                    return seen["text"] == sent
                wait_until(holds_sent, 15, lambda: f"Windows clipboard holds {seen['text']!r}")

            # The agent's own write does not come back to the viewer as a remote copy.
            time.sleep(1.5)
            expect(page.locator("#viewer-clipboard-remote")).to_have_value(copied)
            assert page.locator("#viewer-clipboard-send").get_attribute("data-sent") == "1"
        finally:
            stop(agent)
        assert "clipboard write failed" not in log_path.read_text(errors="replace")
