"""Reads the requirement registry (requirements.toml): the one list of what the suite checks."""

from __future__ import annotations

import tomllib
from importlib import resources
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: Read as package data, so an installed wheel finds it as a checkout does.
REGISTRY = resources.files(__package__) / "requirements.toml"

#: What a requirement rests on: the page says it, the suite's declared reading of an ambiguous
#: passage (switchable with --profile), or an approximate timing the page gives for information.
KINDS = ("spec", "reading", "informative")


@dataclass(frozen=True)
class Requirement:
    id: str
    vendor: str
    spec: str
    spec_file: str
    section: str
    section_title: str
    severity: str
    kind: str  # one of KINDS
    statement: str
    url: str


@dataclass(frozen=True)
class Registry:
    vendors: dict[str, str]
    capabilities: dict[str, str]
    specs: dict[str, dict[str, str]]
    sections: dict[str, dict[str, str]]
    requirements: dict[str, Requirement]
    devices_under_test: tuple[str, ...] = ()

    def tags(self) -> dict[str, str]:
        """Every tag a feature file may carry, with the marker description pytest shows."""
        tags = {vendor: f"vendor profile: {title}" for vendor, title in self.vendors.items()}
        tags |= {f"needs-{cap}": f"applies only to adapters declaring {cap}: {d}" for cap, d in self.capabilities.items()}
        tags |= {spec: f"spec file {s['file']}: {s['title']}" for spec, s in self.specs.items()}
        tags |= {sec: f"section: {s['title']}" for sec, s in self.sections.items()}
        tags |= {rid: f"requirement ({r.kind}): {r.statement}" for rid, r in self.requirements.items()}
        tags |= {f"under-test-{d}": f"the device under test is {d} (--peers=reference runs the others on the reference)" for d in self.devices_under_test}
        return tags


@cache
def load() -> Registry:
    data = tomllib.loads(REGISTRY.read_text(encoding="utf-8"))
    specs, sections = data["specs"], data["sections"]
    requirements = {}
    for rid, entry in data["requirements"].items():
        section = sections[entry["section"]]
        spec = specs[section["spec"]]
        if entry.get("kind") not in KINDS:
            raise ValueError(f"requirement {rid}: kind must be one of {KINDS}, not {entry.get('kind')!r}")
        requirements[rid] = Requirement(
            id=rid,
            vendor=spec["vendor"],
            spec=section["spec"],
            spec_file=spec["file"],
            section=entry["section"],
            section_title=section["title"],
            severity=entry["severity"],
            kind=entry["kind"],
            statement=entry["statement"],
            url=spec["url"],
        )
    devices = tuple(data.get("under-test", {}).get("devices", ()))
    return Registry(data["vendors"], data.get("capabilities", {}), specs, sections, requirements, devices)


#: The capability table in the adapter author's guide is generated from the registry, between
#: these two lines; ``python -m reconnection_conformance.features.requirements`` rewrites it, a test checks it is current.
DOCS = Path(__file__).resolve().parents[1] / "docs" / "writing-an-adapter.md"  # a checkout's, not shipped
BEGIN = "<!-- capabilities: generated from features/requirements.toml by `python -m reconnection_conformance.features.requirements` -->"
END = "<!-- end of capabilities -->"


def capabilities_markdown() -> str:
    """The capability names a manifest may declare, with what each one means."""
    rows = [f"| `{name}` | {text} |" for name, text in sorted(load().capabilities.items())]
    return "\n".join([BEGIN, "| capability | what it means |", "|---|---|", *rows, END])


def docs_with_current_capabilities(text: str) -> str:
    head, begin, rest = text.partition(BEGIN)
    _, end, tail = rest.partition(END)
    if not begin or not end:
        raise ValueError(f"{DOCS} lacks the generated capabilities block ({BEGIN} ... {END})")
    return head + capabilities_markdown() + tail


if __name__ == "__main__":
    DOCS.write_text(docs_with_current_capabilities(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"capabilities written to {DOCS}")
