"""Test helpers for the Build tab's installers (docs/api.md "Enrolment tokens and the Build tab"), for suites that
install what a technician would download: the Wine MSI story, the Linux .deb story.

    api = Api(server.base_url); api.setup_and_login()
    token = create_token(api, max_uses=1)            # {"token": {...}, "secret": "..."} for --enrol-token-file
    data, result = build_installer(api, "msi", metadata={"company": "Glaztech", "site": "Phoenix Office"})

`api` is any client with `call(method, path, body)` answering (status, ..., body) as tests/integration/api.py's
Api (three values) or tests/browser's ApiClient (two values) do.
"""
import hashlib
import urllib.request


def _call(api, method, path, body=None):
    answer = api.call(method, path, body)
    return answer[0], answer[-1]


def create_token(api, max_uses=None, expires_in_days=30, metadata=None, name=None):
    """A new enrolment token; its secret is in the answer only."""
    status, body = _call(api, "POST", "/api/enrolment-tokens",
                         {"maxUses": max_uses, "expiresInDays": expires_in_days, "metadata": metadata or {}, "name": name})
    assert status == 201, (status, body)
    return body


def build_installer(api, fmt, platform=None, metadata=None, max_uses=None, expires_in_days=None):
    """Builds an installer ("exe", "msi" or "deb") as the Build tab does and downloads it; (bytes, answer). The
    download's SHA-256 is checked against the answer's."""
    body = {"format": fmt, "metadata": metadata or {}}
    for key, value in (("platform", platform), ("maxUses", max_uses), ("expiresInDays", expires_in_days)):
        if value is not None:
            body[key] = value
    status, result = _call(api, "POST", "/api/build", body)
    assert status == 201, (status, result)
    with urllib.request.urlopen(result["download"]["url"], timeout=60) as response:
        data = response.read()
    assert hashlib.sha256(data).hexdigest() == result["download"]["sha256"]
    return data, result
