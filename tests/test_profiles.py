"""Profile parameters: the documented defaults, overrides, and clear errors for bad input."""

from __future__ import annotations

import pytest

from reconnection_conformance.features import requirements
from reconnection_conformance.fixtures.profiles import ALTERNATE_READINGS, ProfileError, RongCloudProfile, build_profiles


def test_defaults_are_the_documented_interpretation() -> None:
    assert build_profiles([])["rongcloud"] == RongCloudProfile(
        retry_after_failed_first_connect=False, interval_from="failure", duplicate_status_is_violation=True
    )


def test_every_alternate_reading_is_a_valid_override_of_a_reading_requirement() -> None:
    profiles = build_profiles(list(ALTERNATE_READINGS))
    for item in ALTERNATE_READINGS:
        vendor, _, rest = item.partition(".")
        name, _, value = rest.partition("=")
        assert str(getattr(profiles[vendor], name)).lower() == value
    kinds = {r.kind for r in requirements.load().requirements.values()}
    assert kinds == {"spec", "reading", "informative"}


def test_an_override_switches_the_reading() -> None:
    profiles = build_profiles(["rongcloud.retry_after_failed_first_connect=false"])
    assert profiles["rongcloud"].retry_after_failed_first_connect is False


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("garbage", "give it as vendor.parameter=value"),
        ("nosuch.x=1", "no profile 'nosuch'"),
        ("rongcloud.nope=1", "has no parameter 'nope'"),
        ("rongcloud.retry_after_failed_first_connect=maybe", "expected true or false"),
        ("rongcloud.interval_from=end", "expected one of start, failure"),
    ],
)
def test_malformed_values_name_the_problem(value: str, says: str) -> None:
    with pytest.raises(ProfileError, match=says):
        build_profiles([value])


def test_the_other_reading_makes_dependent_scenarios_not_applicable(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("-m", "rc-default-kick-story", "--profile", "rongcloud.retry_after_failed_first_connect=false")
    assert run.returncode == 0, run.output[-2000:]
    assert {r["verdict"] for r in run.results} == {"not applicable"}
    assert "retry_after_failed_first_connect=false" in run.results[0]["message"]


@pytest.mark.parametrize("reading", ["start", "failure"])
def test_both_interval_readings_are_scenario_tested(suite, reading: str) -> None:  # type: ignore[no-untyped-def]
    """The reference follows the chosen reading; the client fixed to the other one is rejected."""
    other = "start" if reading == "failure" else "failure"
    run = suite("-m", "rc-interval-measure", "--adapter", "reference", "--adapter", "mutants", f"--profile=rongcloud.interval_from={reading}")
    verdicts = {r["adapter"]: r["verdict"] for r in run.results}
    assert verdicts["rongcloud-reference"] == "conformant", run.output[-2000:]
    assert verdicts[f"rongcloud-mutant-interval-from-{reading}"] == "conformant"
    assert verdicts[f"rongcloud-mutant-interval-from-{other}"] == "non-conformant"
    rejected = next(r for r in run.results if r["adapter"] == f"rongcloud-mutant-interval-from-{other}")
    assert rejected["kinds"] == {"rc-interval-measure": "reading"}
    assert f"rongcloud.interval_from={reading}" in rejected["message"]
