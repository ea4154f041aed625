"""Steps the fleet stories share: a server whose agent folder holds a real agent (with a short check-in,
so a --reconfigure shows within seconds), and the Build tab's form filled in."""
import shutil
from contextlib import contextmanager

import serverkit
from viewer_steps import admin_api


@contextmanager
def fleet_server(tmp_path, agent, name, check_in_seconds=10):
    """Yields (server, admin api) with `agent` in the server's agent folder as `name`; stops the server after."""
    agents = tmp_path / "agents"
    agents.mkdir()
    shutil.copy(agent, agents / name)
    server = serverkit.start(tmp_path / "data", "--agent-dir", str(agents))
    try:
        api = admin_api(server)
        status, settings = api.call("GET", "/api/settings")
        assert status == 200, settings
        status, body = api.call("PUT", "/api/settings", {**settings, "checkInSeconds": check_in_seconds})
        assert status == 200, body
        yield server, api
    finally:
        server.stop()


def fill_build_form(page, company, site, department, device_type, tag, properties):
    """The Build tab's metadata fields, as a technician types them (the name stays "Use machine name")."""
    page.fill("#build-company", company)
    page.fill("#build-site", site)
    page.fill("#build-department", department)
    page.select_option("#build-device-type", device_type)
    page.fill("#build-tag", tag)
    for key, value in properties.items():
        page.click("#build-add-property")
        row = page.get_by_test_id("build-property").last
        row.locator("input[name=propertyName]").fill(key)
        row.locator("input[name=propertyValue]").fill(value)
