"""A tiny JSON client that keeps the session cookie and CSRF token, like the web UI does."""
import http.cookiejar
import json
import ssl
import urllib.error
import urllib.request


class Api:
    def __init__(self, base_url, cafile=None):
        self.base_url = base_url
        self.csrf = None
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if cafile:
            handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=cafile)))
        self.opener = urllib.request.build_opener(*handlers)

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.csrf:
            request.add_header("X-CSRF-Token", self.csrf)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with self.opener.open(request, timeout=15) as response:
                raw = response.read()
                return response.status, dict(response.headers), (json.loads(raw) if raw and response.headers.get_content_type() == "application/json" else raw)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, dict(error.headers), (json.loads(raw) if raw else None)

    def setup_and_login(self, username="admin", password="correct horse battery"):
        status, _, _ = self.call("POST", "/api/setup", {"username": username, "displayName": "Admin", "password": password})
        assert status == 201, status
        return self.login(username, password)

    def login(self, username="admin", password="correct horse battery"):
        status, headers, body = self.call("POST", "/api/auth/login", {"username": username, "password": password})
        assert status == 200, (status, body)
        self.csrf = body["csrfToken"]
        return headers
