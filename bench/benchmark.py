"""Measures the suite and writes bench/REPORT.md and bench/report.json.

    .venv/bin/python -m bench.benchmark            # about two minutes on 2 cores

What it measures, each in a fresh pytest process as a user runs it (pytest start included):
- the suite over the three profiles in one process: scenarios, wall time, the virtual time the
  scenarios covered, and the compression ratio (virtual / wall);
- the same run with ``-n 2`` (pytest-xdist), for the speedup;
- the harness's per-scenario cost against a bare pytest-bdd scenario with the same number of
  steps (the slope between a 100- and a 400-scenario run, fastest of 3, so pytest's start
  cancels out);
- a 20-minute outage scenario against a 5-second one (median over 15 runs of each);
- the peak resident memory of the suite's process.

Targets (issue 7, 2 cores): >= 150 scenarios in <= 10 s in one process; virtual/wall >=
10,000; harness <= 1.5 x the bare scenario; 20-minute <= 2 x 5-second; peak <= 300 MB.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUITE_ADAPTERS = ["--adapter", "reference", "--adapter", "bench.sample:rongcloud",
                  "--adapter", "bench.sample:zim", "--adapter", "bench.sample:express"]


def _pytest(args: list[str], cwd: Path = ROOT) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CONFORMANCE_ADAPTER", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    return time.perf_counter() - start, proc.stdout + proc.stderr


def suite_run(tmp: Path) -> dict[str, Any]:
    results = tmp / "suite.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    wall, _ = _pytest([*SUITE_ADAPTERS, f"--results-json={results}"])
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    verdicts = json.loads(results.read_text())
    virtual = sum(float(v.get("virtual_seconds", 0.0)) for v in verdicts)
    parallel_wall, _ = _pytest([*SUITE_ADAPTERS, "-n", "2"])
    return {
        "scenarios": len(verdicts),
        "verdicts": {v: sum(1 for r in verdicts if r["verdict"] == v) for v in sorted({r["verdict"] for r in verdicts})},
        "wall_seconds": round(wall, 2),
        "virtual_seconds": round(virtual, 1),
        "compression": round(virtual / wall),
        "parallel_wall_seconds": round(parallel_wall, 2),
        "speedup_n2": round(wall / parallel_wall, 2),
        "peak_rss_mb": round(max(peak_kb, before) / 1024, 1),
    }


_INI = """[pytest]
bdd_features_base_dir = .
pythonpath = {root}
addopts = -p no:randomly -p no:cacheprovider
"""

_BARE_STEPS = """
from pytest_bdd import given, scenarios, when, then
scenarios("f.feature")

@given("a world")
def world(): pass

@when("a second passes")
def second(): pass

@then("nothing broke")
def fine(): pass
"""

_HARNESS_CONFTEST = """
pytest_plugins = ["reconnection_conformance.steps.common"]  # reconnection_conformance.fixtures.plugin: the installed pytest11 entry point
from reconnection_conformance.features.conftest import runtime  # noqa: F401  (the per-scenario world, autouse)
"""

_HARNESS_STEPS = """
from pytest_bdd import given, scenarios, then
scenarios("f.feature")

@given("a world")
def world(runtime): pass

@then("nothing broke")
def fine(runtime): assert runtime.now == 6.0
"""


def _feature(count: int, tags: str, step_when: str) -> str:
    lines = [f"{tags}\nFeature: bench", ""]
    for n in range(count):
        lines += [f"  Scenario: scenario {n}", "    Given a world"]
        lines += [f"    When {step_when}"] * 6 + ["    Then nothing broke", ""]
    return "\n".join(lines)


def _project(tmp: Path, name: str, count: int, harness: bool) -> Path:
    path = tmp / f"{name}-{count}"
    path.mkdir()
    (path / "pytest.ini").write_text(_INI.format(root=ROOT))
    if harness:
        (path / "conftest.py").write_text(_HARNESS_CONFTEST)
        (path / "test_f.py").write_text(_HARNESS_STEPS)
        (path / "f.feature").write_text(_feature(count, "@rongcloud @spec-000 @sec-000-interval @rc-interval", "1 second passes"))
    else:
        (path / "test_f.py").write_text(_BARE_STEPS)
        (path / "f.feature").write_text(_feature(count, "", "a second passes"))
    return path


SMALL, LARGE, REPEAT = 100, 400, 3


def overhead(tmp: Path) -> dict[str, Any]:
    """Per-scenario cost as the slope between a small and a large run (fastest of REPEAT),
    so that pytest's start-up, the same for both sizes, cancels out."""
    per: dict[str, float] = {}
    for kind, harness in (("bare", False), ("harness", True)):
        small_project, large_project = _project(tmp, kind, SMALL, harness), _project(tmp, kind, LARGE, harness)
        small = min(_pytest([], small_project)[0] for _ in range(REPEAT))
        runs = [_pytest([], large_project) for _ in range(REPEAT)]
        assert f"{LARGE} passed" in runs[0][1], runs[0][1][-1500:]
        per[kind] = (min(r[0] for r in runs) - small) / (LARGE - SMALL)
    return {
        "steps_per_scenario": 8,
        "bare_ms": round(per["bare"] * 1000, 2),
        "harness_ms": round(per["harness"] * 1000, 2),
        "ratio": round(per["harness"] / per["bare"], 2),
    }


_OUTAGE = """@rongcloud @spec-000 @sec-000-interval @rc-interval
Feature: outage
  Background:
    Given Zhangsan holds a valid token

  Scenario Outline: An idle span of <span> (run <n>)
    Given device A of Zhangsan runs the Electron SDK
    And device A is connected
    When the app disconnects device A
    And <span> pass
    Then device A made no connection attempt after the app disconnected it

    Examples:
      | n | span |
{rows}

  Scenario Outline: An outage of <span> (run <n>)
    Given device A of Zhangsan runs the Electron SDK
    And device A is connected
    When the network of device A goes down
    And <span> pass
    And the network of device A comes back
    And 5 seconds pass
    Then device A is connected

    Examples:
      | n | span |
{rows}
"""


def long_vs_short(tmp: Path) -> dict[str, Any]:
    path = tmp / "outage"
    path.mkdir()
    (path / "pytest.ini").write_text(_INI.format(root=ROOT))
    (path / "conftest.py").write_text(_HARNESS_CONFTEST.replace('"reconnection_conformance.steps.common"]', '"reconnection_conformance.steps.common", "reconnection_conformance.steps.rongcloud"]'))
    (path / "test_f.py").write_text('from pytest_bdd import scenarios\nscenarios("f.feature")\n')
    rows = [f"      | {n} | {span} |" for span in ("5 seconds", "20 minutes") for n in range(15)]
    (path / "f.feature").write_text(_OUTAGE.replace("{rows}", "\n".join(rows)))
    _, out = _pytest(["--junitxml=j.xml"], path)
    assert "60 passed" in out, out[-1500:]
    times: dict[tuple[str, str], list[float]] = {}
    for case in ET.parse(path / "j.xml").getroot().iter("testcase"):
        name = case.get("name", "")
        kind = "idle" if "idle" in name else "outage"
        span = "20 minutes" if "20 minutes" in name else "5 seconds"
        times.setdefault((kind, span), []).append(float(case.get("time", "0")))
    ms = {key: statistics.median(values) * 1000 for key, values in times.items()}
    return {
        "five_seconds_ms": round(ms[("outage", "5 seconds")], 1),
        "twenty_minutes_ms": round(ms[("outage", "20 minutes")], 1),
        "ratio": round(ms[("outage", "20 minutes")] / ms[("outage", "5 seconds")], 2),
        "attempts_in_20_minutes": 240,
        "idle_five_seconds_ms": round(ms[("idle", "5 seconds")], 1),
        "idle_twenty_minutes_ms": round(ms[("idle", "20 minutes")], 1),
        "idle_ratio": round(ms[("idle", "20 minutes")] / ms[("idle", "5 seconds")], 2),
    }


def hosts_vs_in_process() -> dict[str, Any]:
    """What the process boundary costs (issue 11): the reference run of the three profiles and
    the mutation matrix through client hosts, against the same runs with ``--in-process``
    (the debugging mode: clients on the judge's own loop), measured back to back; and the
    protocol's round trip while a client makes back-to-back requests."""
    from bench.round_trip import measure, pipe_floor

    def fastest(args: list[str], runs: int) -> float:
        return min(_pytest(args)[0] for _ in range(runs))

    reference = ["--adapter", "reference"]
    matrix = ["--adapter", "reference", "--adapter", "mutants", "-n", "2"]
    hosted, in_process = fastest(reference, 3), fastest([*reference, "--in-process"], 3)
    matrix_hosted, matrix_in_process = fastest(matrix, 1), fastest([*matrix, "--in-process"], 1)
    return {
        "reference_hosted_s": round(hosted, 2),
        "reference_in_process_s": round(in_process, 2),
        "reference_ratio": round(hosted / in_process, 2),
        "matrix_hosted_s": round(matrix_hosted, 1),
        "matrix_in_process_s": round(matrix_in_process, 1),
        "matrix_ratio": round(matrix_hosted / matrix_in_process, 2),
        **measure(2000),
        "pipe_floor_median_us": pipe_floor(),
    }


def real_sdk() -> dict[str, Any]:
    """RongCloud's own Web SDK (issue 12) against the Python reference client on the RongCloud
    profile, back to back, same peers: fastest of three runs each. The Node host starts once per
    run (the pool keeps it for every scenario of its adapter); the SDK is loaded afresh per client."""
    def fastest(args: list[str]) -> float:
        return min(_pytest(["-m", "rongcloud", *args])[0] for _ in range(3))

    python = fastest(["--adapter", "reference"])
    sdk = fastest(["--adapter", "node:adapters/rongcloud/imlib_next.mjs"])
    return {"python_reference_s": round(python, 2), "real_sdk_s": round(sdk, 2), "ratio": round(sdk / python, 2)}


TARGETS = {
    "scenarios in one process (>= 150)": lambda r: r["suite"]["scenarios"] >= 150,
    "suite wall time (<= 10 s)": lambda r: r["suite"]["wall_seconds"] <= 10,
    "virtual / wall (>= 10,000)": lambda r: r["suite"]["compression"] >= 10_000,
    "harness / bare scenario (<= 1.5)": lambda r: r["overhead"]["ratio"] <= 1.5,
    "20-minute / 5-second scenario (<= 2)": lambda r: r["long_vs_short"]["ratio"] <= 2,
    "peak memory (<= 300 MB)": lambda r: r["suite"]["peak_rss_mb"] <= 300,
    "reference run, hosts / in-process (<= 2)": lambda r: r["hosts"]["reference_ratio"] <= 2,
    "mutation matrix, hosts / in-process (<= 2)": lambda r: r["hosts"]["matrix_ratio"] <= 2,
    "HTTP round trip judge -> host -> judge, median (< 150 us)": lambda r: r["hosts"]["http_round_trip_median_us"] < 150,
    "RongCloud profile, real Web SDK / Python reference (<= 3)": lambda r: r["real_sdk"]["ratio"] <= 3,
}


def report_markdown(r: dict[str, Any]) -> str:
    s, o, l = r["suite"], r["overhead"], r["long_vs_short"]
    lines = [
        "# Benchmark report", "",
        f"Generated by `python -m bench.benchmark` on {r['machine']}, {r['date']}.", "",
        "| target | measured | met |", "|---|---|---|",
        f"| scenarios in one process (>= 150) | {s['scenarios']} | {'yes' if TARGETS['scenarios in one process (>= 150)'](r) else 'NO'} |",
        f"| suite wall time, pytest start included (<= 10 s) | {s['wall_seconds']} s | {'yes' if TARGETS['suite wall time (<= 10 s)'](r) else 'NO'} |",
        f"| virtual / wall (>= 10,000) | {s['virtual_seconds']:,} virtual s / {s['wall_seconds']} s = {s['compression']:,} | {'yes' if TARGETS['virtual / wall (>= 10,000)'](r) else 'NO'} |",
        f"| harness / bare pytest-bdd scenario, 8 steps (<= 1.5) | {o['harness_ms']} ms / {o['bare_ms']} ms = {o['ratio']} | {'yes' if TARGETS['harness / bare scenario (<= 1.5)'](r) else 'NO'} |",
        f"| 20-minute / 5-second outage scenario (<= 2) | {l['twenty_minutes_ms']} ms / {l['five_seconds_ms']} ms = {l['ratio']} | {'yes' if TARGETS['20-minute / 5-second scenario (<= 2)'](r) else 'NO'} |",
        f"| 20-minute / 5-second idle span, same client (virtual time alone) | {l['idle_twenty_minutes_ms']} ms / {l['idle_five_seconds_ms']} ms = {l['idle_ratio']} | (context) |",
        f"| peak memory (<= 300 MB) | {s['peak_rss_mb']} MB | {'yes' if TARGETS['peak memory (<= 300 MB)'](r) else 'NO'} |",
        f"| speedup with -n 2 | {s['wall_seconds']} s -> {s['parallel_wall_seconds']} s = {s['speedup_n2']}x | (no target) |",
    ]
    h = r["hosts"]
    for name, shown in (
        ("reference run, hosts / in-process (<= 2)", f"{h['reference_hosted_s']} s / {h['reference_in_process_s']} s = {h['reference_ratio']}"),
        ("mutation matrix, hosts / in-process (<= 2)", f"{h['matrix_hosted_s']} s / {h['matrix_in_process_s']} s = {h['matrix_ratio']}"),
        ("HTTP round trip judge -> host -> judge, median (< 150 us)", f"{h['http_round_trip_median_us']} us (p90 {h['http_round_trip_p90_us']} us; isolation {h['isolation']}; this machine's bare pipe ping-pong between two Python processes: {h.get('pipe_floor_median_us', '(not measured)')} us)"),
        ("RongCloud profile, real Web SDK / Python reference (<= 3)", f"{r['real_sdk']['real_sdk_s']} s / {r['real_sdk']['python_reference_s']} s = {r['real_sdk']['ratio']} (pytest start included; every device on the client judged)"),
    ):
        lines.append(f"| {name} | {shown} | {'yes' if TARGETS[name](r) else 'NO'} |")
    lines += ["", f"Verdicts of the suite run: {s['verdicts']}.", ""]
    return "\n".join(lines + r.get("notes", [])) + "\n"


def main() -> int:
    if sys.argv[1:] == ["--real-sdk"]:  # this part alone, merged into the last full report
        result = json.loads(Path(__file__).with_name("report.json").read_text())
        result["real_sdk"] = real_sdk()
        return _publish(result)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        result = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "date": time.strftime("%Y-%m-%d"),
            "suite": suite_run(tmp),
            "overhead": overhead(tmp),
            "long_vs_short": long_vs_short(tmp),
            "hosts": hosts_vs_in_process(),
            "real_sdk": real_sdk(),
        }
    return _publish(result)


def _publish(result: dict[str, Any]) -> int:
    result["targets_met"] = {name: check(result) for name, check in TARGETS.items()}
    notes_file = Path(__file__).with_name("NOTES.md")
    result["notes"] = notes_file.read_text().splitlines() if notes_file.exists() else []
    Path(__file__).with_name("report.json").write_text(json.dumps({k: v for k, v in result.items() if k != "notes"}, indent=1))
    Path(__file__).with_name("REPORT.md").write_text(report_markdown(result))
    print(report_markdown(result))
    return 0 if all(result["targets_met"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
