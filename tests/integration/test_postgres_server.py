"""The whole server on a real PostgreSQL: migrations at start, data that survives a restart."""
import os
import subprocess
import urllib.parse
import uuid

import pytest

import serverkit
from api import Api


@pytest.fixture
def database_url():
    base = os.environ.get("GURU_TEST_POSTGRES_URL")
    if not base:
        pytest.fail("GURU_TEST_POSTGRES_URL is not set: run through scripts/with-postgres.sh (make test does)")
    name = "gc_it_" + uuid.uuid4().hex[:12]
    parts = urllib.parse.urlsplit(base)
    subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username,
                    "-d", "postgres", "-c", f"CREATE DATABASE {name}"], check=True, timeout=30)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def test_server_runs_on_postgres_and_keeps_data_across_restarts(tmp_path, database_url):
    server = serverkit.start(tmp_path / "data", "--database-url", database_url)
    try:
        api = Api(server.base_url)
        api.setup_and_login()
        status, _, team = api.call("POST", "/api/teams", {"name": "Phoenix"})
        assert status == 201
        status, _, created = api.call("POST", "/api/users", {"username": "howard", "displayName": "Howard",
                                                              "password": "correct horse battery", "roleId": "senior",
                                                              "teamId": team["id"]})
        assert status == 201, created
    finally:
        assert server.stop() == 0
    # A second start runs the migrations again (a no-op) and finds everything.
    server = serverkit.start(tmp_path / "data2", "--database-url", database_url)
    try:
        api = Api(server.base_url)
        status, _, _ = api.call("POST", "/api/setup", {"username": "late", "displayName": "L", "password": "correct horse battery"})
        assert status == 404
        api.login()
        status, _, users = api.call("GET", "/api/users")
        assert {u["username"] for u in users} == {"admin", "howard"}
        status, _, audit = api.call("GET", "/api/audit?action=user.create")
        assert audit["total"] == 1
    finally:
        assert server.stop() == 0
