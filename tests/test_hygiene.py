"""A fresh clone stays clean after set-up, and the docs say what the registry says."""

from __future__ import annotations

import subprocess

from reconnection_conformance.features import requirements
from tests.conftest import ROOT


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_build_metadata_is_neither_tracked_nor_reported_as_new() -> None:
    tracked = _git("ls-files").stdout.splitlines()
    assert not [path for path in tracked if ".egg-info" in path]
    assert _git("check-ignore", "-q", "reconnection_conformance.egg-info/PKG-INFO").returncode == 0


def test_the_capability_list_in_the_docs_is_the_registry() -> None:
    docs = requirements.DOCS.read_text(encoding="utf-8")
    assert requirements.docs_with_current_capabilities(docs) == docs, "run: python -m reconnection_conformance.features.requirements"
    for name in requirements.load().capabilities:
        assert f"| `{name}` |" in docs


def test_the_adapter_guide_sets_up_with_make_setup_not_make_test() -> None:
    guide = (ROOT / "docs" / "writing-an-adapter.md").read_text(encoding="utf-8")
    set_up = guide.split("## 2.", 1)[0]
    assert "make setup" in set_up
    assert "\nmake test" not in set_up


def test_docs_import_the_suite_from_its_one_namespace() -> None:
    """An adapter author copies the guides' code: it must import ``reconnection_conformance.*``,
    never a generic top-level name (which an installed suite does not have)."""
    import re

    generic = re.compile(r"^\s*(from|import) (adapters|fixtures|features|steps|reports)\b", re.MULTILINE)
    for doc in [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        assert not generic.findall(doc.read_text(encoding="utf-8")), doc
