#!/usr/bin/env python3
"""Runs every libFuzzer target of the agent for a fixed number of inputs and reports, per
target: crashes (expect 0), peak RSS, executions per second and time.

Targets are found, not listed: every agent/fuzz/fuzz_*.cpp is one target. By default they
run from the fast build, `make -f agent/agent.mk agent-fuzz-fast-build` into
agent/build/fuzz-fast/fuzz_<name>: libFuzzer + UndefinedBehaviorSanitizer, no
AddressSanitizer (and so no LeakSanitizer). The README's and bench/README.md's
million-input figures come from that build. ASan's allocator made the crypto targets
several times slower (libgcrypt allocates for every multi-precision operation). The same
code under ASan + UBSan is fuzzed by `make test` (agent-fuzz, 25 s per target) and by
`--asan` here (agent/build/fuzz, `agent-fuzz-build`). Seeds are in <build>/seeds/<name>.
A source without a built binary is reported as missing (and fails the run), so a new
target added without its CMake entry does not go unfuzzed.

Each run starts from a fresh corpus (a temporary folder, plus the read-only seeds), so
runs are comparable. `-runs` bounds the inputs; `--max-seconds` bounds each target's time
(libFuzzer's -max_total_time, and a hard timeout 60 s past it), and the report says when a
target stopped at the time bound before its inputs ran out.

usage: bench/fuzz/run.py [--runs 1000000] [--max-seconds 3600] [--targets envelope,inner]
                         [--asan] [--no-build] [--json FILE] [--keep]
Exit status: 0 when every target ran without a crash, 1 otherwise."""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FUZZ_SOURCES = os.path.join(ROOT, "agent", "fuzz")
# The build folder, the agent.mk target that makes it, and its sanitizers, per build.
BUILDS = {
    "fast": (os.path.join(ROOT, "agent", "build", "fuzz-fast"), "agent-fuzz-fast-build", "libFuzzer + UBSan"),
    "asan": (os.path.join(ROOT, "agent", "build", "fuzz"), "agent-fuzz-build", "libFuzzer + ASan + UBSan"),
}


def discover_targets():
    """Target names from agent/fuzz/fuzz_<name>.cpp, sorted."""
    names = []
    for path in glob.glob(os.path.join(FUZZ_SOURCES, "fuzz_*.cpp")):
        names.append(os.path.basename(path)[len("fuzz_"):-len(".cpp")])
    return sorted(names)


STAT = re.compile(r"^stat::(\w+):\s+(\d+)", re.M)
CRASH_MARKERS = ("==ERROR:", "ERROR: libFuzzer", "runtime error:", "SUMMARY: AddressSanitizer",
                 "SUMMARY: UndefinedBehaviorSanitizer")


def parse_time_v(text):
    """Peak RSS (kB) and wall seconds from /usr/bin/time -v's report."""
    rss = re.search(r"Maximum resident set size \(kbytes\):\s*(\d+)", text)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)", text)
    seconds = None
    if wall:
        parts = [float(p) for p in wall.group(1).split(":")]
        seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return (int(rss.group(1)) if rss else None), seconds


def run_target(name, runs, max_seconds, keep_dir, build_dir):
    binary = os.path.join(build_dir, f"fuzz_{name}")
    if not os.access(binary, os.X_OK):
        return {"target": name, "status": "missing", "detail": f"{binary} not built"}
    work = tempfile.mkdtemp(prefix=f"guru-fuzz-{name}-", dir=keep_dir)
    corpus = os.path.join(work, "corpus")
    os.makedirs(corpus)
    seeds = os.path.join(build_dir, "seeds", name)
    command = ["/usr/bin/time", "-v", binary, f"-runs={runs}", f"-max_total_time={max_seconds}",
               "-max_len=8192", "-timeout=5", "-rss_limit_mb=2048", "-print_final_stats=1",
               f"-artifact_prefix={work}/", corpus]
    if os.path.isdir(seeds):
        command.append(seeds)
    started = time.monotonic()
    try:
        process = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 errors="replace", timeout=max_seconds + 60)
        output, code = process.stdout + process.stderr, process.returncode
    except subprocess.TimeoutExpired as timeout:
        output = (timeout.stdout or b"").decode(errors="replace") + (timeout.stderr or b"").decode(errors="replace")
        code = None
    elapsed = time.monotonic() - started
    stats = {key: int(value) for key, value in STAT.findall(output)}
    rss_kb, wall = parse_time_v(output)
    artifacts = sorted(os.path.basename(p) for p in glob.glob(os.path.join(work, "*"))
                       if os.path.basename(p).split("-")[0] in ("crash", "leak", "timeout", "oom", "slow"))
    crashed = code not in (0,) or any(marker in output for marker in CRASH_MARKERS) or bool(artifacts)
    executed = stats.get("number_of_executed_units", 0)
    result = {
        "target": name,
        "status": "crash" if crashed else ("time-bound" if executed < runs else "ok"),
        "exit_code": code,
        "executed": executed,
        "crashes": len(artifacts) if artifacts else (1 if crashed else 0),
        "artifacts": artifacts,
        "exec_per_sec": round(executed / elapsed) if elapsed > 0 else None,
        "libfuzzer_exec_per_sec": stats.get("average_exec_per_sec"),
        "peak_rss_mb": stats.get("peak_rss_mb"),
        "max_rss_kb_time_v": rss_kb,
        "seconds": round(wall if wall is not None else elapsed, 1),
        "new_units": stats.get("new_units_added"),
        "work_dir": work,
    }
    if crashed:
        result["detail"] = "\n".join(output.splitlines()[-40:])
    if keep_dir is None and not crashed:
        shutil.rmtree(work, ignore_errors=True)
        result["work_dir"] = None
    return result


def table(results):
    lines = ["| target | inputs run | crashes | peak RSS (MB) | exec/s | time (s) | status |",
             "|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        if r["status"] == "missing":
            lines.append(f"| `fuzz_{r['target']}` | – | – | – | – | – | missing: {r['detail']} |")
            continue
        rss = r["peak_rss_mb"] if r["peak_rss_mb"] is not None else (r["max_rss_kb_time_v"] or 0) // 1024
        lines.append(f"| `fuzz_{r['target']}` | {r['executed']:,} | {r['crashes']} | {rss} | "
                     f"{r['exec_per_sec']:,} | {r['seconds']} | {r['status']} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1_000_000, help="inputs per target (libFuzzer -runs)")
    parser.add_argument("--max-seconds", type=int, default=3600, help="time bound per target")
    parser.add_argument("--targets", help="comma-separated names (default: every agent/fuzz/fuzz_*.cpp)")
    parser.add_argument("--asan", action="store_true", help="the ASan + UBSan build (agent/build/fuzz) instead of UBSan only")
    parser.add_argument("--no-build", action="store_true", help="use the built binaries as they are")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--keep", action="store_true", help="keep every work folder (corpus, artifacts)")
    args = parser.parse_args()

    found = discover_targets()
    if not found:
        sys.exit(f"no agent/fuzz/fuzz_*.cpp under {FUZZ_SOURCES}")
    wanted = found if not args.targets else args.targets.split(",")
    unknown = sorted(set(wanted) - set(found))
    if unknown:
        sys.exit(f"unknown targets {unknown}; the targets are {found}")
    build_dir, make_target, sanitizers = BUILDS["asan" if args.asan else "fast"]
    if not args.no_build:
        subprocess.run(["make", "-f", os.path.join(ROOT, "agent", "agent.mk"), make_target], cwd=ROOT, check=True)
    print(f"build: {os.path.relpath(build_dir, ROOT)} ({sanitizers})", flush=True)

    keep_dir = tempfile.mkdtemp(prefix="guru-fuzz-kept-") if args.keep else None
    results = []
    for name in wanted:
        print(f"fuzz_{name}: up to {args.runs:,} inputs, at most {args.max_seconds} s", flush=True)
        result = run_target(name, args.runs, args.max_seconds, keep_dir, build_dir)
        results.append(result)
        if result["status"] == "missing":
            print(f"  missing: {result['detail']}", flush=True)
        else:
            print(f"  {result['status']}: {result['executed']:,} inputs, {result['crashes']} crashes, "
                  f"{result['peak_rss_mb']} MB peak RSS, {result['exec_per_sec']:,} exec/s, {result['seconds']} s", flush=True)
        if result.get("detail") and result["status"] == "crash":
            print(result["detail"], flush=True)
    print()
    print(table(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"runs": args.runs, "max_seconds": args.max_seconds, "build": os.path.relpath(build_dir, ROOT),
                       "sanitizers": sanitizers, "results": results}, f, indent=2)
    if keep_dir:
        print(f"\nwork folders kept under {keep_dir}")
    failed = [r for r in results if r["status"] in ("crash", "missing")]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
