"""SessionInfo from the real C++ agent on Xvfb (agent/build/release/guruconnect-agent): the
viewer shows the X11 capture path (XShm) and offers Ctrl+Alt+Del as ordinary keys, which X11
delivers like any other chord; the "Administrator" badge exactly when the agent runs as root
(euid 0, the test's own: the agent is its child). Skipped when run piecemeal without the built agent
(real_agent.require_real_parts)."""
import os

from playwright.sync_api import expect

import real_agent
from real_agent import live_viewer

WIDTH, HEIGHT = 800, 500

xvfb = real_agent.desktop_fixture(WIDTH, HEIGHT, (0x33, 0x66, 0xCC), name="xvfb")


def test_real_agent_reports_xshm_and_ctrl_alt_del_as_keys(server, xvfb, new_page, tmp_path):
    with live_viewer(server, xvfb, new_page(), tmp_path, "XSHM-AGENT") as (page, _env, log_path):
        capture = page.locator("#viewer-stat-capture")
        expect(capture).to_have_attribute("data-capture", "xshm")
        expect(capture).to_have_text("XShm")
        expect(page.locator("#viewer")).to_have_attribute("data-secure-attention", "keys")
        root = os.geteuid() == 0
        expect(page.locator("#viewer")).to_have_attribute("data-elevated", "true" if root else "false")
        badge = page.locator("#viewer-elevated")
        if root:
            expect(badge).to_be_visible()
        else:
            expect(badge).to_be_hidden()
        page.click("#viewer-keys")
        item = page.locator(".menu-item[data-action='ctrlAltDel']")
        expect(item).to_be_enabled()
        expect(page.locator("#viewer-ctrl-alt-del-hint")).to_be_hidden()
        page.keyboard.press("Escape")
        assert "capture started (xshm, " in log_path.read_text(), log_path.read_text()
