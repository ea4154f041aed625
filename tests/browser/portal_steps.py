"""Shared steps for the attended-support tests: real User-Agent strings, issuing codes,
the one-time agent's trailer (docs/support.md §4) and a fake support agent."""
import json
import urllib.request

from guruproto import envelope
from guruproto.trailer import read_trailer  # noqa: F401 (re-exported for the tests)

import fake_agent

# Real User-Agent strings, as the browsers send them.
UA = {
    "chrome-windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "chrome-mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "chrome-linux": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "chrome-chromeos": "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "chrome-android": "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "chrome-ios": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1",
    "firefox-windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "firefox-linux": "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "firefox-mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.2; rv:121.0) Gecko/20100101 Firefox/121.0",
    "edge-windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
    "edge-mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
    "safari-mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    "safari-iphone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "opera-windows": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0",
    "samsung-android": "Mozilla/5.0 (Linux; Android 13; SM-S901B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
    "headless-chrome-linux": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
}


def call(api, method, path, body=None):
    """(status, payload) of ApiClient.call, whether it answers (status, payload) or (status, headers, payload)."""
    answer = api.call(method, path, body)
    return answer[0], answer[-1]


def create_code(api, assigned=True, **extra):
    status, body = call(api, "POST", "/api/support/sessions", {"assigned": assigned, **extra})
    assert status == 201, (status, body)
    return body


def portal_download(base_url, code):
    """What the portal does for a code: POST /api/portal/code, then the download; returns the trailer."""
    request = urllib.request.Request(f"{base_url}/api/portal/code", data=json.dumps({"code": code}).encode(),
                                     headers={"Content-Type": "application/json", "User-Agent": UA["firefox-linux"]}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as r:
        answer = json.loads(r.read())
    with urllib.request.urlopen(base_url + answer["downloadUrl"], timeout=30) as r:
        return read_trailer(r.read())


class FakeSupportAgent(fake_agent.FakeAgent):
    """The one-time agent in support mode: its session id and secret come from the trailer."""

    def status(self, state):
        """AgentStatus (0x40): 1 waiting for consent, 2 consent given, 3 declined, 4 ended by the user."""
        self._send(envelope.agent_status(state))
