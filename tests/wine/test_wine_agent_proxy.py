"""The Windows agent honours the user's proxy setting (HKCU Internet Settings ProxyEnable /
ProxyServer) under Wine: it reaches the server through an HTTP CONNECT tunnel, by a host name
that only the proxy can reach. Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import subprocess

from connect_proxy import ConnectProxy
from real_agent import stop, wait_until, xvfb
from viewer_steps import admin_api, enrol
from wine_agent import WINE, require_wine_parts, start_wine_agent, wine_session

SETTINGS = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"


def reg(env, *args):
    subprocess.run([WINE, "reg", *args, "/f"], env=env, check=True, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)


def test_wine_agent_goes_through_the_system_proxy(server, tmp_path):
    require_wine_parts()
    proxy = ConnectProxy()
    agent = None
    try:
        with xvfb(640, 480) as (display, display_env), wine_session(display_env, tmp_path) as env:
            reg(env, "add", SETTINGS, "/v", "ProxyServer", "/t", "REG_SZ", "/d", f"127.0.0.1:{proxy.port}")
            reg(env, "add", SETTINGS, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d", "1")
            try:
                api = admin_api(server)
                agent_id, credential = enrol(api, "WINE-PROXY")
                # .invalid never resolves (RFC 6761): only the proxy's tunnel reaches the server.
                url = server.base_url.replace("127.0.0.1", "guru-through-proxy.invalid")
                agent, log_path = start_wine_agent(url, agent_id, credential, env, tmp_path)
                online = lambda: any(a["id"] == agent_id and a["online"] for a in api.call("GET", "/api/agents")[1]["items"])
                wait_until(online, 30, lambda: f"agent offline:\n{log_path.read_text()[-1500:]}")
                assert f"guru-through-proxy.invalid:{server.port}" in proxy.targets
                assert f"via proxy 127.0.0.1:{proxy.port}" in log_path.read_text()
            finally:
                if agent:
                    stop(agent)
                reg(env, "add", SETTINGS, "/v", "ProxyEnable", "/t", "REG_DWORD", "/d", "0")
    finally:
        proxy.close()
