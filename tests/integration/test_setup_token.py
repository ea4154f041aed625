"""First-run setup on a bind the network can reach needs the one-time token the server prints to its console
at start (issue #11); on loopback it needs none. The network bind runs in an empty network namespace."""
import re

import pytest

import netns_bridge
import serverkit
from api import Api

pytestmark = pytest.mark.skipif(not netns_bridge.available(), reason="needs unshare and ip (util-linux, iproute2)")

ADMIN = {"username": "admin", "displayName": "Admin", "password": "correct horse battery"}
TOKEN_LINE = re.compile(r"First-run setup token \(one-time\): (\S+)")


def printed_token(server):
    match = TOKEN_LINE.search(server.log())
    assert match, server.log()[-2000:]
    return match.group(1)


def test_a_network_bind_needs_the_printed_token_for_setup(tmp_path):
    server = netns_bridge.start(tmp_path / "data")
    try:
        token = printed_token(server)
        assert f"/setup?token={token}" in server.log()
        api = Api(server.base_url)
        status, _, body = api.call("GET", "/api/setup/status")
        assert status == 200 and body == {"needsSetup": True, "tokenRequired": True}
        status, _, body = api.call("POST", "/api/setup", ADMIN)
        assert status == 403 and body["error"] == "setup_token", body
        status, _, body = api.call("POST", "/api/setup", {**ADMIN, "setupToken": token[:-1] + ("A" if token[-1] != "A" else "B")})
        assert status == 403 and body["error"] == "setup_token"
        status, _, _ = api.call("GET", "/api/setup/status")
        assert status == 200
        # Nothing was created by the refused attempts; the printed token works once.
        status, _, body = api.call("POST", "/api/setup", {**ADMIN, "setupToken": token})
        assert status == 201, body
        status, _, _ = api.call("POST", "/api/setup", {**ADMIN, "username": "second", "setupToken": token})
        assert status == 404
        api.login()
        # The token went to the console, never into the audit trail or a log record.
        _, _, audit = api.call("GET", "/api/audit")
        assert token not in str(audit)
    finally:
        server.stop()
    # Once set up, a restart prints no token.
    again = netns_bridge.start(tmp_path / "data")
    try:
        assert TOKEN_LINE.search(again.log()) is None
    finally:
        again.stop()


def test_a_loopback_bind_needs_no_token(tmp_path):
    server = serverkit.start(tmp_path)
    try:
        api = Api(server.base_url)
        status, _, body = api.call("GET", "/api/setup/status")
        assert body == {"needsSetup": True, "tokenRequired": False}
        assert TOKEN_LINE.search(server.log()) is None
        status, _, _ = api.call("POST", "/api/setup", ADMIN)
        assert status == 201
    finally:
        server.stop()
