"""What the run publishes: capability-based applicability, the expectations gate and its exit
codes, the summary, the results matrix and the timeline picture."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reconnection_conformance.fixtures.recorder import Kind, Recorder
from reconnection_conformance.reports import gate, matrix, summary
from reconnection_conformance.reports.results import load
from reconnection_conformance.reports.timeline import Verdict, render
from tests.conftest import ROOT, run_suite

MUTANT = "tests.sample_adapters:retry_every_3s"
#: rc-interval fails the mutant; rc-connect-result passes it (the state-model oracle also rejects
#: it in the rc-auto-reconnect scenario, which outages are part of).
ONE_RULE = "rc-interval or rc-connect-result"
FAILING = "test_while_the_network_is_down_the_client_retries_every_5_seconds"


def test_a_missing_capability_makes_scenarios_not_applicable_never_passed(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--adapter", "tests.sample_adapters:zim_without_rooms", "-m", "zim")
    rooms = [r for r in run.results if "room" in r["title"]]
    others = [r for r in run.results if "room" not in r["title"] and "multi-device" not in r["message"]]
    assert rooms and all(r["verdict"] == "not applicable" for r in rooms), run.output[-2000:]
    assert "does not declare the capability 'rooms'" in rooms[0]["message"]
    assert others and all(r["verdict"] in ("conformant", "not applicable") for r in others)


def _expectations(path: Path, *scenarios: str) -> Path:
    body = ['adapter = "rongcloud-mutant-retry-every-3s"']
    for scenario in scenarios:
        body += ["[[expected]]", f'scenario = "{scenario}"', 'verdict = "non-conformant"', 'reason = "known"']
    path.write_text("\n".join(body) + "\n")
    return path


def test_the_gate_passes_on_exactly_the_known_failures(tmp_path: Path) -> None:
    file = _expectations(tmp_path / "e.toml", FAILING)
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", ONE_RULE, f"--expectations={file}")
    assert run.returncode == gate.EXIT_OK, run.output[-2000:]
    assert "gate: PASS (1 expected failures" in run.output


def test_the_gate_fails_on_a_failure_not_listed(tmp_path: Path) -> None:
    file = _expectations(tmp_path / "e.toml")
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", ONE_RULE, f"--expectations={file}")
    assert run.returncode == gate.EXIT_NEW_FAILURE
    assert f"NEW FAILURE  {FAILING}" in run.output


def test_the_gate_fails_when_a_listed_scenario_passes(tmp_path: Path) -> None:
    passing = "test_a_successful_connect_resolves_with_code_0_and_the_connected_user_id"
    file = _expectations(tmp_path / "e.toml", FAILING, passing)
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", ONE_RULE, f"--expectations={file}")
    assert run.returncode == gate.EXIT_UNEXPECTED_PASS
    assert f"NOW PASSES   {passing}: remove it" in run.output


#: The mutant's two failures under TWO_FAILURES: rc-interval's own, and the oracle's 5 s rule in an outage.
TWO_FAILURES = "rc-interval or rc-auto-reconnect"
OUTAGE = "test_the_connection_comes_back_after_an_outage_with_no_call_from_the_app"
MODES = {"one-process": (), "xdist-n2": ("-n", "2")}


def _junit(path: Path) -> tuple[dict[str, str], dict[str, ET.Element]]:
    """The testsuite's counts, and each testcase by its scenario name (adapter id dropped)."""
    suite = ET.parse(path).getroot().find("testsuite")
    assert suite is not None
    return dict(suite.attrib), {case.attrib["name"].split("[")[0]: case for case in suite.iter("testcase")}


@pytest.mark.parametrize("mode", MODES)
def test_an_expected_failure_is_an_xfail_in_every_output(tmp_path: Path, mode: str) -> None:
    """The gate passes, and JUnit, the terminal and the exit code say the same: both listed
    failures are xfails (JUnit skipped, never failures), while the results JSON keeps their
    verdict, marked expected."""
    file = _expectations(tmp_path / "e.toml", FAILING, OUTAGE)
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", TWO_FAILURES, f"--expectations={file}", f"--junitxml={tmp_path / 'junit.xml'}", *MODES[mode])
    assert run.returncode == gate.EXIT_OK, run.output[-3000:]
    assert "gate: PASS (2 expected failures" in run.output
    assert "2 xfailed" in run.output and "2 non-conformant (2 expected)" in run.output, run.output[-2000:]
    counts, cases = _junit(tmp_path / "junit.xml")
    assert (counts["failures"], counts["errors"], counts["skipped"]) == ("0", "0", "2"), counts
    for scenario in (FAILING, OUTAGE):
        skipped = cases[scenario].find("skipped")
        assert skipped is not None and skipped.attrib["type"] == "pytest.xfail", ET.tostring(cases[scenario])
        assert skipped.attrib["message"].startswith(f"expected non-conformant, listed in {file}: known; this run: ["), skipped.attrib
    assert sorted((r["scenario"], r["verdict"], r.get("expected")) for r in run.results) == [
        (OUTAGE, "non-conformant", True), (FAILING, "non-conformant", True)]


@pytest.mark.parametrize("mode", MODES)
def test_a_failure_missing_from_the_file_stays_a_junit_failure(tmp_path: Path, mode: str) -> None:
    file = _expectations(tmp_path / "e.toml", FAILING)
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", TWO_FAILURES, f"--expectations={file}", f"--junitxml={tmp_path / 'junit.xml'}", *MODES[mode])
    assert run.returncode == gate.EXIT_NEW_FAILURE, run.output[-3000:]
    assert f"NEW FAILURE  {OUTAGE}" in run.output
    counts, cases = _junit(tmp_path / "junit.xml")
    assert int(counts["failures"]) >= 1 and counts["skipped"] == "1", counts
    assert cases[OUTAGE].find("failure") is not None and cases[FAILING].find("skipped") is not None
    assert {r["scenario"]: r.get("expected", False) for r in run.results} == {OUTAGE: False, FAILING: True}


def test_a_malformed_expectations_file_is_named(tmp_path: Path) -> None:
    file = tmp_path / "e.toml"
    file.write_text("adapter = [\n")
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", ONE_RULE, f"--expectations={file}")
    assert run.returncode == gate.EXIT_BAD_INPUT
    assert "not valid TOML" in run.output


def test_write_regenerates_the_file_from_the_last_run(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", ONE_RULE)
    assert run.results
    file = tmp_path / "new.toml"
    results = tmp_path / "results.json"
    assert gate.main([str(results), "--expectations", str(file), "--write", "--adapter", "rongcloud-mutant-retry-every-3s"]) == 0
    assert gate.main([str(results), "--expectations", str(file)]) == gate.EXIT_OK
    assert f'scenario = "{FAILING}"' in file.read_text()


def test_summary_and_matrix_name_every_rule_and_implementation(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--adapter", MUTANT, "--adapter", "reference", "-m", "rongcloud")
    results = load(tmp_path / "results.json")
    assert run.results
    assert summary.main([str(tmp_path / "results.json"), "--out", str(tmp_path / "s")]) == 0
    data = json.loads((tmp_path / "s" / "summary.json").read_text())
    mutant = data["adapters"]["rongcloud-mutant-retry-every-3s"]
    assert mutant["by_rule"]["rc-interval"]["outcome"] == "failed"
    assert FAILING in [f["scenario"] for f in mutant["by_rule"]["rc-interval"]["failing"]]  # the oracle adds others
    assert "❌ failed" in (tmp_path / "s" / "summary.md").read_text()
    assert mutant["by_rule"]["rc-interval"]["kind"] == "spec"  # the kind of every broken requirement
    assert "**rc-interval** (spec) failing scenarios:" in (tmp_path / "s" / "summary.md").read_text()
    failing = next(r for r in run.results if r["adapter"] == "rongcloud-mutant-retry-every-3s" and r["scenario"] == FAILING)
    assert failing["kinds"] == {"rc-interval": "spec"}
    assert matrix.main([str(tmp_path / "results.json"), "--out", str(tmp_path / "m")]) == 0
    page = (tmp_path / "m" / "matrix.html").read_text()
    rules = {rid for r in results for rid in r.requirements}
    for rid in rules:
        assert f"<code>{rid}</code>" in page
    assert page.count("<td style") == len(rules) * 2  # every rule x implementation cell


def test_the_timeline_picture_is_valid_svg_with_lanes_and_the_verdict() -> None:
    recorder = Recorder(lambda: 0.0)
    times = iter([0.0, 1.0, 6.0, 11.0, 30.0])
    recorder._now = lambda: next(times)  # type: ignore[method-assign]
    recorder.add(Kind.CALLBACK, "A", "onConnectionStatus", status="CONNECTED", code=0)
    recorder.add(Kind.NETWORK, "A", "down")
    recorder.add(Kind.REQUEST, "A", "/connect", outcome="connection refused")
    recorder.add(Kind.REQUEST, "B", "/connect", outcome="answered")
    recorder.add(Kind.NETWORK, "A", "up")
    svg = render(recorder.entries, 40.0, "example", Verdict("[rc-interval] expected: 5s\n observed: 3s", at=11.0, expected_at=6.0))
    root = ET.fromstring(svg)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "A" in texts and "B" in texts and "observed t=11s" in texts and "expected t=6s" in texts
    assert any(r.get("fill") == "#f4a3a3" for r in root.iter("{http://www.w3.org/2000/svg}rect"))  # the outage band


def test_report_modules_refuse_a_missing_results_file(tmp_path: Path) -> None:
    try:
        summary.main([str(tmp_path / "nope.json")])
    except SystemExit as exit:
        assert "run pytest with --results-json" in str(exit.code)
    else:
        raise AssertionError("expected a clear error")
    assert ROOT.exists()


def test_the_gate_refuses_a_module_path_or_unknown_adapter_and_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    results = tmp_path / "results.json"
    results.write_text(json.dumps([{"nodeid": "n", "adapter": "rongcloud-reference", "scenario": FAILING,
                                    "verdict": "non-conformant", "message": "m", "tags": ["rongcloud"]}]))
    file = tmp_path / "exp.toml"
    code = gate.main([str(results), "--expectations", str(file), "--write", "--adapter", MUTANT])
    said = capsys.readouterr().out
    assert code == gate.EXIT_BAD_INPUT and not file.exists()
    assert "module path" in said and "rongcloud-reference" in said
    assert gate.main([str(results), "--expectations", str(file), "--write", "--adapter", "my-sdk"]) == gate.EXIT_BAD_INPUT
    assert not file.exists()
    assert gate.main([str(results), "--expectations", str(file), "--write", "--adapter", "rongcloud-reference"]) == 0
    assert f'scenario = "{FAILING}"' in file.read_text()


def test_a_malformed_expectations_file_stops_the_run_before_any_scenario(tmp_path: Path) -> None:
    file = tmp_path / "e.toml"
    file.write_text("adapter = [\n")
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", ONE_RULE, "--expectations", str(file))
    assert run.returncode == gate.EXIT_BAD_INPUT and "not valid TOML" in run.output
    assert run.results == [] and "passed" not in run.output and "failed" not in run.output
    wrong = _expectations(tmp_path / "w.toml").read_text().replace("retry-every-3s", "typo")
    (tmp_path / "w.toml").write_text(wrong)
    run = run_suite(tmp_path, "--adapter", MUTANT, "-m", ONE_RULE, f"--expectations={tmp_path / 'w.toml'}")
    assert run.returncode == gate.EXIT_BAD_INPUT and run.results == []
    assert "this run judges rongcloud-mutant-retry-every-3s" in run.output


def test_every_collected_scenario_has_an_allure_result_with_its_verdict(tmp_path: Path) -> None:
    allure = tmp_path / "allure"
    run = run_suite(tmp_path, "--adapter", "tests.sample_adapters:zim_without_rooms", "-m", "zim-not-logged-in", f"--alluredir={allure}")
    assert run.returncode == 0, run.output[-2000:]
    written = [json.loads(p.read_text()) for p in allure.glob("*-result.json")]
    assert len(written) == len(run.results) >= 9
    skipped = [r for r in written if r["status"] == "skipped"]
    assert len(skipped) == sum(r["verdict"] == "not applicable" for r in run.results) >= 4
    for result in skipped:
        assert "does not declare the capability 'rooms'" in result["statusDetails"]["message"]
        assert {label["name"] for label in result["labels"]} >= {"epic", "feature", "story", "requirement", "adapter"}


def test_the_matrix_and_the_environment_name_each_implementations_language_runtime_and_sdk(suite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from reconnection_conformance.reports.matrix import to_html, to_markdown
    from reconnection_conformance.reports.results import load

    allure = tmp_path / "allure"
    run = suite("-m", "rc-interval", "--adapter", "reference", "--adapter", "node:adapters/rongcloud/imlib_next.mjs", f"--alluredir={allure}")
    results = load(tmp_path / "results.json")
    markdown, html = to_markdown(results), to_html(results)
    assert "| rongcloud-imlib-next | javascript, node 20." in markdown and "; SDK 5.38.0 |" in markdown, run.output[-2000:]
    assert "| rongcloud-reference | python, cpython 3." in markdown and "javascript, node 20." in html
    environment = (allure / "environment.properties").read_text()
    assert "adapter.rongcloud-imlib-next=1.0.0; SDK 5.38.0; javascript (node 20." in environment


def test_allure_mutant_labels_never_start_a_client_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """The labels come from the suite's own metadata and the run's probe, so a pure-Python run
    with --alluredir needs no Node and no `npm ci` (it used to probe the JavaScript mutants)."""
    import subprocess
    from types import SimpleNamespace

    from reconnection_conformance.fixtures import client_host
    from reconnection_conformance.reports import allure_labels

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an Allure label started a process")

    monkeypatch.setattr(client_host, "probe", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    names = allure_labels._mutants_breaking({"rc-interval"}, SimpleNamespace(stash={}))  # type: ignore[arg-type]
    assert "retry-every-3s" in names and not [n for n in names if n.startswith("js-")]
