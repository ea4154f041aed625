"""With a certificate and key the server speaks HTTPS itself, and cookies become Secure."""
import ssl
import urllib.error
import urllib.request

import pytest

import serverkit
from api import Api


@pytest.fixture
def certificate(tmp_path):
    return serverkit.make_certificate(tmp_path)


def test_https_with_secure_cookie_and_hsts(tmp_path, certificate):
    cert, key = certificate
    server = serverkit.start(tmp_path / "data", "--tls-cert", str(cert), "--tls-key", str(key), scheme="https", cafile=str(cert))
    try:
        api = Api(server.base_url, cafile=str(cert))
        status, headers, body = api.call("GET", "/healthz")
        assert status == 200 and body == {"status": "ok"}
        assert headers.get("Strict-Transport-Security", "").startswith("max-age=")
        login_headers = api.setup_and_login()
        cookie = login_headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        status, _, me = api.call("GET", "/api/session")
        assert status == 200 and me["user"]["username"] == "admin"
        # Plain HTTP to the TLS port gets no answer, and an untrusting client refuses the certificate.
        with pytest.raises(Exception):
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=5)
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            urllib.request.urlopen(f"https://127.0.0.1:{server.port}/healthz", timeout=5, context=ssl.create_default_context())
    finally:
        assert server.stop() == 0


def test_unreadable_certificate_is_a_clear_startup_error(tmp_path):
    missing = tmp_path / "nope.pem"
    server = serverkit.start(tmp_path / "data", "--tls-cert", str(missing), "--tls-key", str(missing), wait=False)
    code = server.process.wait(timeout=30)
    assert code != 0
    assert "TLS: cannot load" in server.log()
    server.stop()
