"""The small version of bench/agents (the figures live in the README, not here): 300 simulated agents in
two client processes speak the real protocol to the real binary, every one is welcomed and reports its
inventory, and the benchmark prints each figure it promises."""
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_agents_runs_small(tmp_path):
    figures = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "agents" / "run.py"), "--binary", os.environ.get("GURU_BIN", ".build/debug/guruconnect"),
         "--counts", "150,300", "--procs", "2", "--idle-seconds", "1", "--search", "--json", str(figures)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    rows = json.loads(figures.read_text())["rows"]
    assert [r["agents"] for r in rows] == [150, 300]
    for row in rows:
        assert row["failed"] == 0 and row["connected"] == row["agents"], row
        assert row["connectPerSecond"] > 0 and row["rssPerAgentKiB"] > 0 and row["idleCpuPercent"] >= 0, row
        assert 0 < row["searchP50ms"] <= row["searchP95ms"], row
    assert "KiB/agent" in done.stdout
