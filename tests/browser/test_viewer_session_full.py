"""A session past its viewer cap (docs/protocol.md §2.4): the server refuses the next viewer with
Reject code 6, and the viewer page says so in plain words instead of retrying."""
import pytest
from playwright.sync_api import expect

import serverkit
from viewer_steps import admin_api, enrol, expect_live, open_viewer, pattern, png_of, send_screen, signed_in


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own server: one viewer per session."""
    srv = serverkit.start(tmp_path_factory.mktemp("gc-full"), "--web-root", "Sources/GuruWeb/Assets",
                          "--max-viewers-per-session", "1")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def agent_account(server):
    return enrol(admin_api(server), "ONE-VIEWER-PC")


def test_the_viewer_past_the_cap_is_told_the_session_is_full(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    first = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id)
    viewer = fake.wait_viewer()
    send_screen(fake, viewer, png_of(pattern), sequence=1)
    expect_live(first)
    second = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id)
    expect(second.locator("#viewer-overlay-title")).to_have_text("Session full")
    expect(second.locator("#viewer-overlay-text")).to_contain_text("as many viewers as the server allows")
    # The first viewer is untouched, and the agent never heard of the second.
    expect(first.locator("#viewer")).to_have_attribute("data-state", "connected")
    assert fake.joined.empty()
