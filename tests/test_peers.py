"""--peers=reference: only the scenario's device under test runs the adapter under test."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_peer_device_runs_the_reference_so_its_defect_is_not_the_verdict(suite) -> None:  # type: ignore[no-untyped-def]
    """In the reconnectKickEnable row where device B is kicked, the client under test is A (the
    first device). The mutant that retries after a connection error misbehaves only on B: with
    every device on the mutant the scenario fails; with B on the reference it passes."""
    args = ("-m", "rc-kick-enable", "-k", "retries-after-error and false", "--adapter", "mutants")
    same = suite(*args)
    peers = suite(*args, "--peers=reference")
    assert [r["verdict"] for r in same.results] == ["non-conformant"], same.output[-2000:]
    assert [r["verdict"] for r in peers.results] == ["conformant"], peers.output[-2000:]


def test_a_tagged_device_under_test_keeps_the_adapter_under_test(suite) -> None:  # type: ignore[no-untyped-def]
    """@under-test-B: device B runs the mutant even though device A is added first."""
    run = suite("-m", "rc-kick-app-connect", "-k", "kick-strategy-on-app-connect", "--adapter", "mutants", "--peers=reference")
    assert [r["verdict"] for r in run.results] == ["non-conformant"], run.output[-2000:]


def test_the_reference_is_conformant_with_reference_peers(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--peers=reference")
    assert run.returncode == 0, run.output[-2000:]
    story = [r for r in run.results if "rc-default-kick-story" in r["tags"]]  # the other reading: not applicable by default
    assert {r["verdict"] for r in story} == {"not applicable"}
    assert {r["verdict"] for r in run.results if r not in story} == {"conformant"}


def test_every_scenario_names_one_device_under_test() -> None:
    """A verdict under --peers=reference is about the device the scenario names."""
    from pytest_bdd.feature import get_features

    from reconnection_conformance.features import requirements

    known = {f"under-test-{d}" for d in requirements.load().devices_under_test}
    unnamed = []
    for feature in get_features([str(ROOT / "features")]):
        for scenario in feature.scenarios.values():
            rule_tags = set(scenario.rule.tags) if scenario.rule else set()
            tags = {t for t in set(feature.tags) | rule_tags | set(scenario.tags) if t.startswith("under-test-")}
            if len(tags) != 1 or not tags <= known:
                unnamed.append(f"{feature.rel_filename}: {scenario.name} {sorted(tags)}")
    assert unnamed == []
