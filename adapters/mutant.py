"""A mutant: a client that breaks one documented rule on purpose, to prove a scenario can fail."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from reconnection_conformance.adapters.contract import Adapter


@dataclass(frozen=True)
class Mutant:
    name: str
    breaks: str  # the requirement id whose scenarios must reject it
    what: str  # the defect, in one sentence
    adapter: Adapter


def mutate(reference: Adapter, name: str, breaks: str, what: str, client: Any) -> Mutant:
    manifest = replace(reference.manifest, name=f"{reference.manifest.vendor}-mutant-{name}")
    return Mutant(name, breaks, what, Adapter(manifest=manifest, client=client))
