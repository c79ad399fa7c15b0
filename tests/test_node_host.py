"""The Node client host (adapters/host/node_host.mjs) judges JavaScript clients for real: the JS
reference is conformant, every JS mutant is rejected by its rule, and whatever a JS client does
(throw, exit, leave a rejection unhandled, spin, never settle, reach for the network or a process)
ends its own scenario with one verdict while the other adapters of the run are untouched."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from adapters.rongcloud.contract import ConnectResult
from fixtures.client_host import probe
from fixtures.isolation import Isolation
from fixtures.runtime import ForeignValue, _contract_value
from fixtures.verdicts import AdapterLoadError
from reports.mutation_matrix import JS_MUTANTS, JS_REFERENCE, analyse, javascript_mutants
from tests.conftest import SuiteRun, run_suite

BAD = "node:tests/node_bad_adapters.mjs"
TWO_SCENARIOS = ("-k", "successful_connect or retries_every_5")


def test_the_probe_describes_node_and_python_adapters_in_the_order_given() -> None:
    refs = probe([JS_REFERENCE, "adapters.rongcloud.reference:adapter", JS_MUTANTS], Isolation.NONE)
    assert [(r.manifest.name, r.language) for r in refs[:2]] == [("rongcloud-js-reference", "javascript"), ("rongcloud-reference", "python")]
    mutants = refs[2:]
    assert len(mutants) == 18 and all(r.language == "javascript" and r.select == r.manifest.name for r in mutants)
    assert mutants[0].mutant == {"name": "js-retry-every-3s", "breaks": "rc-interval", "what": "retries every 3 s instead of 5 s"}


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("node:adapters/rongcloud/nowhere.mjs", "nowhere.mjs not found"),
        ("node:adapters/rongcloud/contract.py", "importing adapters/rongcloud/contract.py failed"),
        ("node:package.json", "failed"),
    ],
)
def test_a_javascript_adapter_that_cannot_load_stops_the_run_with_one_line(spec: str, says: str) -> None:
    with pytest.raises(AdapterLoadError, match=says):
        probe([spec], Isolation.NONE)


def test_a_plain_object_from_javascript_becomes_the_contract_record() -> None:
    assert _contract_value("rongcloud", {"code": 0, "user_id": "Zhangsan"}, "connect") == ConnectResult(code=0, user_id="Zhangsan")
    assert _contract_value("rongcloud", {"code": 31004}, "connect") == ConnectResult(code=31004)
    assert isinstance(_contract_value("rongcloud", {"code": 0, "userId": "Zhangsan"}, "connect"), ForeignValue)
    assert _contract_value("rongcloud", None, "disconnect") is None


def test_the_javascript_reference_is_conformant_in_every_rongcloud_scenario(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "-m", "rongcloud", "--adapter", JS_REFERENCE, f"--alluredir={tmp_path / 'allure'}")
    assert run.returncode == 0, run.output[-3000:]
    assert len(run.results) == 23
    assert {r["verdict"] for r in run.results} == {"conformant"}
    environment = (tmp_path / "allure" / "environment.properties").read_text()
    assert "adapter.rongcloud-js-reference" in environment and "javascript" in environment


def test_each_javascript_mutant_is_rejected_by_a_scenario_of_its_rule(matrix_results: list[Any]) -> None:
    mutants = javascript_mutants()
    outcome = analyse(matrix_results, mutants)
    assert len(mutants) == 18
    assert [m.name for m in outcome.survivors] == []
    for mutant in mutants:
        for result in outcome.rejected_by_rule[mutant.name]:
            assert "expected:" in result.message and "observed:" in result.message


@pytest.fixture(scope="module")
def contained(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    """Every misbehaving JS client, the JS reference and the Python reference in one run."""
    return run_suite(
        tmp_path_factory.mktemp("node-bad"),
        "--adapter", BAD, "--adapter", JS_REFERENCE, "--adapter", "adapters.rongcloud.reference:adapter",
        "--wall-timeout", "2", *TWO_SCENARIOS,
    )


@pytest.mark.parametrize(
    ("bad", "verdict", "says"),
    [
        ("throws", "adapter error", "A.connect() raised Error: adapter bug: session table not initialised at "),
        ("exits", "adapter error", "the client host ended (exit code 7) while A.connect(); its last output: the client called process.exit(7) at "),
        ("rejects-unhandled", "adapter error", "a background task of the client crashed: RangeError: nobody awaits this promise (in an unhandled promise rejection"),
        ("spins", "adapter hung", "A.connect() did not finish within the wall-clock budget"),
        ("never-settles", "adapter hung", "the call did not return within 120 virtual seconds"),
        ("requires-net", "sandbox violation", "the client loaded the module 'net' (require \"net\") at "),
        ("requires-http", "sandbox violation", "the client loaded the module 'http' (require \"node:http\") at "),
        ("imports-child-process", "sandbox violation", "the client loaded the module 'child_process' (import \"node:child_process\")"),
    ],
)
def test_a_misbehaving_javascript_client_gets_one_verdict_per_scenario(contained: SuiteRun, bad: str, verdict: str, says: str) -> None:
    mine = [r for r in contained.results if r["adapter"] == f"node-bad-{bad}"]
    assert len(mine) == 2, contained.output[-3000:]  # both scenarios ran: the first did not stop the run
    for result in mine:
        assert result["verdict"] == verdict, result
        assert says in result["message"], result["message"]
    if verdict == "sandbox violation":
        assert "tests/node_bad_adapters.mjs:" in mine[0]["message"] or "import" in mine[0]["message"]


def test_the_references_in_the_same_run_are_untouched(contained: SuiteRun) -> None:
    good = [(r["adapter"], r["verdict"]) for r in contained.results if r["adapter"] in ("rongcloud-js-reference", "rongcloud-reference")]
    assert sorted(good) == [("rongcloud-js-reference", "conformant")] * 2 + [("rongcloud-reference", "conformant")] * 2
    assert len(contained.results) == 2 * (8 + 2)  # one verdict per scenario and adapter, nothing more


def test_the_smallest_adapter_of_the_javascript_guide_is_green_on_its_rule(tmp_path: Path) -> None:
    """docs/writing-an-adapter-in-javascript.md stays true: its inline adapter, as printed."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "writing-an-adapter-in-javascript.md").read_text()
    adapter = tmp_path / "my-adapter.mjs"
    adapter.write_text(re.search(r"```js\n(.*?)```", guide, re.S).group(1))  # type: ignore[union-attr]
    # --isolation none: the sandboxed host runs as nobody, who cannot read pytest's private tmp_path
    run = run_suite(tmp_path, "-m", "rc-connect-result", "--adapter", f"node:{adapter}", "--isolation", "none")
    assert run.returncode == 0, run.output[-3000:]
    assert [r["verdict"] for r in run.results] == ["conformant"] * 4
