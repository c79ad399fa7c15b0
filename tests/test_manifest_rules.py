"""A manifest mistake stops the run at load time with one line, instead of silently turning
scenarios "not applicable" or corrupting result keys; capability tags hold per Examples row."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from reconnection_conformance.adapters.contract import Vendor
from reconnection_conformance.adapters.manifest_rules import parse_version, validate_manifest
from reconnection_conformance.adapters.zim.reference import MANIFEST as ZIM
from reconnection_conformance.fixtures.verdicts import AdapterLoadError


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"capabilities": frozenset({"room"})}, "capability 'room' is unknown; did you mean 'rooms'?"),
        ({"capabilities": frozenset({"token-auth"})}, "did you mean 'token-authentication'?"),
        ({"platforms": frozenset()}, "platforms is empty"),
        ({"vendor": "zimm"}, "vendor 'zimm' is not a vendor profile; did you mean 'zim'?"),
        ({"vendor": "zim"}, "vendor must be Vendor.ZIM"),
        ({"name": "my::sdk"}, "name 'my::sdk' cannot name results"),
        ({"name": "my sdk\n"}, "cannot name results"),
        ({"name": "sdk[1]"}, "cannot name results"),
        ({"sdk_version": "RongIMLib five"}, "sdk_version 'RongIMLib five' is not a version"),
    ],
)
def test_a_wrong_manifest_is_refused_with_what_to_write(change: dict[str, Any], says: str) -> None:
    with pytest.raises(AdapterLoadError) as error:
        validate_manifest(replace(ZIM, **change), "my.adapter:adapter")
    assert says in str(error.value)
    assert str(error.value).startswith("adapter 'my.adapter:adapter': manifest")


def test_the_reference_manifests_are_valid() -> None:
    validate_manifest(ZIM, "zim")
    assert ZIM.vendor is Vendor.ZIM


def test_versions_compare_as_versions_not_digit_by_digit() -> None:
    assert parse_version("2.9") >= parse_version("2.9.0")
    assert parse_version("2.10.0") > parse_version("2.9.0")


def test_the_run_stops_before_any_scenario_on_a_capability_typo(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.sample_adapters:zim_capability_typo")
    assert run.returncode == 4, run.output[-2000:]  # pytest's usage error
    assert "capability 'room' is unknown; did you mean 'rooms'?" in run.output
    assert run.results == []


def test_capability_tags_hold_per_examples_row(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.sample_adapters:zim_without_rooms", "-m", "zim-not-logged-in")
    verdicts = {r["scenario"].split("[", 1)[-1].split("-", 1)[0]: r["verdict"] for r in run.results if "kicked" in r["title"]}
    assert verdicts["sendMessage"] == "conformant", run.output[-2000:]
    assert verdicts["renewToken"] == "conformant"
    for room_call in ("createRoom", "joinRoom", "enterRoom", "leaveRoom"):
        assert verdicts[room_call] == "not applicable"
