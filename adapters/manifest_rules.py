"""What a manifest must say, checked when the adapter loads rather than discovered mid-run.

A manifest decides which scenarios apply, names every result and keys the expectations file,
so a mistake in it is silent and far-reaching: a capability typo ("room") turns a whole
feature into "not applicable" with exit 0, an empty platform list does the same to every
scenario, a name with ``::`` corrupts the scenario keys, and "2.9" read digit by digit is older
than "2.9.0". Each rule here turns one of those into one line saying what to write instead.
"""

from __future__ import annotations

import difflib
import re

from packaging.version import InvalidVersion, Version

from reconnection_conformance.adapters.contract import Manifest, Vendor
from reconnection_conformance.features import requirements
from reconnection_conformance.fixtures.verdicts import AdapterLoadError

#: Names end up in node ids (``test_x[my-sdk-row]``), result keys and file names.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,79}")


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}? " if close else ""


def parse_version(text: str) -> Version:
    """A version as ``packaging`` compares it ("2.9" == "2.9.0" < "2.10")."""
    return Version(text)


def validate_manifest(manifest: Manifest, spec: str) -> None:
    """Raise :class:`AdapterLoadError` naming the first thing wrong with ``manifest``."""
    where = f"adapter '{spec}': manifest"
    vendors = [v.value for v in Vendor]
    if not isinstance(manifest.vendor, Vendor):
        if str(manifest.vendor) not in vendors:
            raise AdapterLoadError(
                f"{where} vendor {manifest.vendor!r} is not a vendor profile;"
                f" {_did_you_mean(str(manifest.vendor), vendors)}use one of {', '.join(vendors)} (reconnection_conformance.adapters.contract.Vendor)"
            )
        raise AdapterLoadError(f"{where} vendor must be Vendor.{Vendor(manifest.vendor).name}, not the string {manifest.vendor!r}")
    if not isinstance(manifest.name, str) or not SAFE_NAME.fullmatch(manifest.name):
        raise AdapterLoadError(
            f"{where} name {manifest.name!r} cannot name results: use letters, digits and . _ + -"
            " (at most 80, no spaces, '::', brackets or newlines)"
        )
    if not manifest.platforms or not all(isinstance(p, str) and p for p in manifest.platforms):
        raise AdapterLoadError(
            f"{where} platforms is empty: list the platforms the client runs as"
            ' (e.g. frozenset({"native"}), or {"electron", "web"} for RongCloud)'
        )
    declared = requirements.load().capabilities
    for capability in sorted(manifest.capabilities):
        if capability not in declared:
            raise AdapterLoadError(
                f"{where} capability {capability!r} is unknown; {_did_you_mean(capability, sorted(declared))}"
                f"capabilities are: {', '.join(sorted(declared))} (features/requirements.toml)"
            )
    for field in ("version", "sdk_version"):
        value = getattr(manifest, field)
        try:
            parse_version(value)
        except (InvalidVersion, TypeError):
            raise AdapterLoadError(
                f"{where} {field} {value!r} is not a version that can be compared; write it as"
                " digits and dots, e.g. '2.9.0' (PEP 440)"
            ) from None
