"""Allure's title path for a suite that lives outside the caller's rootdir.

allure-pytest-bdd builds each result's title path from the feature file's path relative to the
rootdir, and raises ``ValueError: ... is not in the subpath of ...`` for any file outside it,
failing the scenario. A suite installed from its wheel always is outside the rootdir of the
SDK repository that runs it (``pytest --pyargs reconnection_conformance`` from that repository),
so a feature of the suite is placed relative to the directory the package is imported from
(``reconnection_conformance/features/...``, as in a checkout); any other file keeps Allure's own
rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from allure_pytest_bdd import pytest_bdd_listener, utils

from reconnection_conformance import IMPORT_ROOT

_original = utils.get_title_path


def title_path(request: Any, feature: Any) -> list[str]:
    try:
        return _original(request, feature)
    except ValueError:
        path = Path(feature.filename)
        if not path.is_relative_to(IMPORT_ROOT):
            raise
        parts = path.relative_to(IMPORT_ROOT).parts
        return [*parts[:-1], feature.name or parts[-1]]


def install() -> None:
    pytest_bdd_listener.get_title_path = title_path  # type: ignore[attr-defined]
