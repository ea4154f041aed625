"""Fixtures for the GuruConnect browser tests.

Each test module gets a fresh server (its own data dir and free port), started
through tests/serverkit.py from $GURU_BIN (default .build/debug/guruconnect) with
the web UI served live from Sources/GuruWeb/Assets, and stopped by its pid at the
end of the module. Shared steps live in browser_steps.py (not here, so that test
modules never import a module named `conftest`, which tests/integration has too).
"""
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import serverkit  # noqa: E402  (tests/serverkit.py, shared with the integration tests)

from browser_steps import IGNORED_CONSOLE  # noqa: E402

expect.set_options(timeout=10_000)  # every assertion wait is bounded


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    try:
        srv = serverkit.start(tmp_path_factory.mktemp("gc-data"), "--web-root", "Sources/GuruWeb/Assets")
    except RuntimeError as err:
        pytest.fail(str(err))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        yield b
        b.close()


class PageErrors(list):
    """Console errors and uncaught exceptions seen by the pages of one test."""

    def watch(self, page):
        page.on("console", lambda m: self.append(f"console: {m.text}") if m.type == "error" and not m.text.startswith(IGNORED_CONSOLE) else None)
        page.on("pageerror", lambda e: self.append(f"pageerror: {e}"))
        return page


@pytest.fixture
def page_errors():
    errors = PageErrors()
    yield errors
    # CSP violations and script errors would mean a broken page even if the flow passed.
    assert not errors, "browser errors:\n" + "\n".join(errors)


@pytest.fixture
def new_page(browser, page_errors):
    """new_page(viewport=None, theme=None) → a page in a fresh browser context."""
    contexts = []

    def make(viewport=None, theme=None):
        context = browser.new_context(viewport=viewport or {"width": 1440, "height": 900}, accept_downloads=True)
        context.set_default_timeout(10_000)
        if theme:
            context.add_init_script(f"localStorage.getItem('gc-theme') || localStorage.setItem('gc-theme', '{theme}')")
        contexts.append(context)
        return page_errors.watch(context.new_page())

    yield make
    for c in contexts:
        c.close()


@pytest.fixture
def agent(server, agent_account):
    """agent() → a started fake agent (tests/browser/fake_agent.py) for the module's own
    `agent_account` fixture (agent id, credential); every one is stopped, and must have seen no
    protocol errors, at the end of the test."""
    import fake_agent
    from viewer_steps import ws_url

    agent_id, credential = agent_account
    started = []
    # One machine, one identity: an agent that reconnects proves the same key (a new key is a
    # reinstall, or an impostor: agent(new_identity=True)). agent(hold_confirms=True) answers no
    # KeyShare until the test sets its `confirms` event.
    identity = fake_agent.e2e.identity_key()

    def start(new_identity=False, hold_confirms=False):
        key = fake_agent.e2e.identity_key() if new_identity else identity
        a = fake_agent.FakeAgent(ws_url(server), agent_id, credential, identity=key, hold_confirms=hold_confirms).start()
        started.append(a)
        return a

    yield start
    for a in started:
        a.stop()
    for a in started:
        assert not a.errors, a.errors
