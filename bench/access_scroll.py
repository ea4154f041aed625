#!/usr/bin/env python3
"""Frame times of the Access tab's machine list while it scrolls through N machines.

Starts the real server (GURU_BIN, default .build/release/guruconnect, else debug), seeds N
machines straight into its SQLite file (bench/access_search.py's generator), opens the
Access tab in headless Chromium (/usr/bin/chromium) at 1440×900 and scrolls the list from
the first row to the last, one viewport per animation frame, with rows paged in from the
server as they come into view. It prints, over every frame:

- the list's own work per frame: its redraw of the visible rows plus the layout that causes
  (timed inside the page; the target is p95 ≤ 16 ms);
- the interval between animation frames (vsync-bound at about 16.7 ms when nothing janks);
- how many rows were ever in the DOM at once, and how many pages were fetched.

    .venv/bin/python bench/access_scroll.py --machines 50000
"""
import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))
import serverkit  # noqa: E402
from access_search import PASSWORD, Client, percentile, seed_sqlite  # noqa: E402

SCROLL_SCRIPT = """async ({ step }) => {
    const viewport = document.getElementById('access-viewport');
    globalThis.__accessFrameLog = [];
    const intervals = [];
    let maxRows = 0;
    let fetched = 0;
    const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.name.includes('/api/agents?')) fetched += 1;
    });
    observer.observe({ type: 'resource', buffered: false });
    await new Promise((resolve) => {
        let last = null;
        function tick(now) {
            if (last !== null) intervals.push(now - last);
            last = now;
            maxRows = Math.max(maxRows, document.querySelectorAll('[data-testid=agent-row], [data-testid=agent-row-loading]').length);
            if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1) return resolve();
            viewport.scrollTop += step || viewport.clientHeight;
            requestAnimationFrame(tick);
        }
        requestAnimationFrame(tick);
    });
    observer.disconnect();
    const frames = globalThis.__accessFrameLog;
    globalThis.__accessFrameLog = null;
    const lastRow = [...document.querySelectorAll('[data-testid=agent-row]')].map((r) => Number(r.dataset.index)).sort((a, b) => b - a)[0];
    return { frames, intervals, maxRows, fetched, lastRow, scrollHeight: viewport.scrollHeight };
}"""


def scroll(page, step=0):
    """Scrolls the open Access list to its end; the measurements."""
    return page.evaluate(SCROLL_SCRIPT, {"step": step})


def report(result):
    frames, intervals = result["frames"], result["intervals"]
    print(f"frames: {len(frames)} redraws over {len(intervals)} animation frames")
    print(f"list work per frame (redraw + layout): p50 {statistics.median(frames):.2f} ms, p95 {percentile(frames, 0.95):.2f} ms, "
          f"max {max(frames):.2f} ms")
    print(f"animation frame interval: p50 {statistics.median(intervals):.2f} ms, p95 {percentile(intervals, 0.95):.2f} ms, "
          f"frames over 16.7 ms: {sum(1 for i in intervals if i > 16.7)}")
    print(f"rows in the DOM at most: {result['maxRows']}; pages fetched: {result['fetched']}; last row index seen while scrolling: {result['lastRow']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--machines", type=int, default=50_000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    if "GURU_BIN" not in os.environ and (REPO / ".build/release/guruconnect").exists():
        os.environ["GURU_BIN"] = str(REPO / ".build/release/guruconnect")
    data = Path(tempfile.mkdtemp(prefix="gc-access-scroll-"))
    server = serverkit.start(data, "--web-root", str(REPO / "Sources/GuruWeb/Assets"))
    try:
        client = Client(server.base_url)
        client.call("POST", "/api/setup", {"username": "admin", "displayName": "Admin", "password": PASSWORD})
        seed_sqlite(data / "guruconnect.sqlite", args.machines)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(f"{server.base_url}/login")
            page.fill("#login-username", "admin")
            page.fill("#login-password", PASSWORD)
            page.click("#login-submit")
            page.wait_for_url("**/app/support")
            page.goto(f"{server.base_url}/app/access")
            page.wait_for_selector("[data-testid=agent-row]")
            result = scroll(page)
            page.wait_for_selector(f"[data-testid=agent-row][data-index='{args.machines - 1}']")
            print(f"{args.machines} machines, {os.environ.get('GURU_BIN', 'debug build')}")
            report(result)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
