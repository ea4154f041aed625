"""The setup page on a server the network can reach: it asks for the one-time token printed in the console,
refuses a wrong one visibly, and takes the token from the printed `/setup?token=` link (dropping it from the
address bar). The server runs bound to 0.0.0.0 inside an empty network namespace, bridged to loopback."""
import re

import pytest
from playwright.sync_api import expect

import netns_bridge
from browser_steps import ADMIN, ui_sign_in

pytestmark = pytest.mark.skipif(not netns_bridge.available(), reason="needs unshare and ip")
TOKEN_LINE = re.compile(r"First-run setup token \(one-time\): (\S+)")


@pytest.fixture
def network_server(tmp_path):
    server = netns_bridge.start(tmp_path / "data", "--web-root", "Sources/GuruWeb/Assets")
    yield server
    server.stop()


def fill_admin(page):
    page.fill("#setup-username", ADMIN["username"])
    page.fill("#setup-display-name", ADMIN["displayName"])
    page.fill("#setup-password", ADMIN["password"])
    page.fill("#setup-confirm", ADMIN["password"])


def test_setup_page_needs_and_accepts_the_printed_token(network_server, new_page):
    base = network_server.base_url
    token = TOKEN_LINE.search(network_server.log()).group(1)
    page = new_page()
    page.goto(f"{base}/setup")
    expect(page.locator("#setup-token")).to_be_visible()
    expect(page.locator("#setup-token")).to_have_value("")
    fill_admin(page)
    page.fill("#setup-token", "not-the-token")
    page.click("#setup-submit")
    expect(page.locator("#setup-error")).to_contain_text("setup token printed in the server's console")

    # The printed link fills the field and leaves no token in the address bar.
    page.goto(f"{base}/setup?token={token}")
    expect(page.locator("#setup-token")).to_have_value(token)
    assert "token=" not in page.url
    fill_admin(page)
    page.click("#setup-submit")
    page.wait_for_url("**/login")
    ui_sign_in(page, base, ADMIN["username"], ADMIN["password"])


def test_setup_page_on_loopback_asks_for_no_token(server, new_page):
    page = new_page()
    page.goto(f"{server.base_url}/setup")
    expect(page.locator("#setup-form")).to_be_visible()
    expect(page.locator("#setup-token")).to_have_count(0)
