"""The run's verdicts as written by ``--results-json``, joined with the requirement registry.

Every report the suite publishes (summary, matrix, expectations gate, traceability) reads
results through here, so they agree on what a verdict and a rule are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from reconnection_conformance.features import requirements

PASS = "conformant"
NOT_APPLICABLE = "not applicable"


@dataclass(frozen=True)
class Result:
    adapter: str
    scenario: str  # the same key for every adapter (test name and example row)
    title: str  # "vendor/file.feature: Scenario name"
    verdict: str
    message: str
    requirements: tuple[str, ...]
    vendor: str
    implementation: str = ""  # language, runtime, SDK version of the adapter

    @property
    def failed(self) -> bool:
        return self.verdict not in (PASS, NOT_APPLICABLE)


def load(path: str | Path) -> list[Result]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"error: no results at {path}; run pytest with --results-json={path} first") from None
    except ValueError as error:
        raise SystemExit(f"error: {path} is not a results file written by --results-json ({error})") from None
    return parse(raw)


def parse(raw: list[dict[str, object]]) -> list[Result]:
    """Results from the entries ``--results-json`` writes (or the plugin holds in memory)."""
    registry = requirements.load()
    results = []
    for entry in raw:
        tags = set(entry.get("tags", []))  # type: ignore[call-overload]
        cited = tags & set(registry.requirements)
        if isinstance(entry.get("requirement"), str):  # the failure's own requirement: a failed
            cited = {r.strip() for r in entry["requirement"].split(",")} & set(registry.requirements)  # precondition's, or none
        results.append(
            Result(
                adapter=entry["adapter"],
                scenario=entry.get("scenario", entry["nodeid"]),
                title=entry.get("title", ""),
                verdict=entry["verdict"],
                message=entry.get("message", ""),
                requirements=tuple(sorted(cited)),
                vendor=next(iter(sorted(tags & set(registry.vendors))), ""),
                implementation=str(entry.get("implementation", "")),
            )
        )
    return results


def rule_outcome(results: list[Result]) -> str:
    """One word for a rule of one implementation: failed beats passed beats not applicable."""
    if any(r.failed for r in results):
        return "failed"
    if any(r.verdict == PASS for r in results):
        return "passed"
    return "not applicable" if results else "not run"
