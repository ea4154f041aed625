"""Helpers for support sessions over the real API: issue a code, fetch the portal download and read
its trailer (docs/support.md section 4), and open the dashboard WebSocket with the technician's cookie."""
import json
import urllib.request

from guruproto.trailer import read_trailer  # noqa: F401 (re-exported for the tests)
from websockets.sync.client import connect


def create_code(api, **body):
    status, _, session = api.call("POST", "/api/support/sessions", {"assigned": True, **body})
    assert status == 201, session
    return session


def download(base_url, code, user_agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"):
    """The portal's two steps as an end user's browser takes them; returns (checked, file bytes)."""
    request = urllib.request.Request(base_url + "/api/portal/code", data=json.dumps({"code": code}).encode(),
                                     headers={"Content-Type": "application/json", "User-Agent": user_agent}, method="POST")
    with urllib.request.urlopen(request, timeout=15) as response:
        checked = json.loads(response.read())
    with urllib.request.urlopen(base_url + checked["downloadUrl"], timeout=30) as response:
        return checked, response.read()


def cookie_header(api):
    return "; ".join(f"{c.name}={c.value}" for c in api.jar)


def dashboard(base_url, api):
    url = base_url.replace("http://", "ws://").replace("https://", "wss://") + "/api/dashboard/ws"
    return connect(url, open_timeout=5, additional_headers={"Cookie": cookie_header(api)})
