"""Profile parameters: the documented defaults, overrides, and clear errors for bad input."""

from __future__ import annotations

import pytest

from fixtures.profiles import ProfileError, RongCloudProfile, build_profiles


def test_defaults_are_the_documented_interpretation() -> None:
    assert build_profiles([])["rongcloud"] == RongCloudProfile(retry_after_failed_first_connect=True)


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
