"""CI gating with an expectations file per adapter: known non-conformance, and a ratchet.

    python -m reconnection_conformance.reports.gate reports/results.json --expectations expectations/my-adapter.toml
    python -m reconnection_conformance.reports.gate reports/results.json --expectations expectations/my-adapter.toml --write

An expectations file lists the scenarios an adapter is known to fail, each with a reason and a
link (an issue in the SDK's tracker, say)::

    adapter = "my-sdk"

    [[expected]]
    scenario = "test_while_the_network_is_down_the_client_retries_every_5_seconds"
    verdict = "non-conformant"
    reason = "the SDK backs off exponentially; fix planned for 5.2"
    link = "https://tracker.example/SDK-123"

The gate passes when the adapter's only failures are listed ones. It fails on a new failure
(not listed, or listed with another verdict), and on an unexpected pass: a listed scenario
that now passes must be removed from the file, so the list can only shrink (the ratchet).
``--write`` rewrites the file from the run, keeping the reasons and links of entries that
stay and marking new ones ``reason = "TODO"``.

Exit codes: 0 only expected failures; 1 a new failure; 2 a malformed file or wrong arguments;
3 an unexpected pass (remove the entry). A new failure wins over an unexpected pass.
"""

from __future__ import annotations

import argparse
import tomllib
from dataclasses import dataclass
from pathlib import Path

from reconnection_conformance.reports.results import PASS, Result, load

EXIT_OK, EXIT_NEW_FAILURE, EXIT_BAD_INPUT, EXIT_UNEXPECTED_PASS = 0, 1, 2, 3


class ExpectationsError(Exception):
    """The expectations file cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Expected:
    scenario: str
    verdict: str
    reason: str
    link: str


@dataclass(frozen=True)
class Expectations:
    adapter: str
    entries: dict[str, Expected]


@dataclass(frozen=True)
class GateResult:
    new_failures: list[Result]
    unexpected_passes: list[Expected]
    still_failing: list[Result]
    not_run: list[Expected]

    @property
    def exit_code(self) -> int:
        if self.new_failures:
            return EXIT_NEW_FAILURE
        return EXIT_UNEXPECTED_PASS if self.unexpected_passes else EXIT_OK


def read(path: Path) -> Expectations:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExpectationsError(f"{path}: no such file; create it with --write after a run") from None
    except tomllib.TOMLDecodeError as error:
        raise ExpectationsError(f"{path}: not valid TOML ({error})") from None
    if not isinstance(data.get("adapter"), str):
        raise ExpectationsError(f'{path}: needs adapter = "<manifest name>" at the top')
    entries: dict[str, Expected] = {}
    for index, entry in enumerate(data.get("expected", [])):
        missing = [key for key in ("scenario", "verdict", "reason") if not isinstance(entry.get(key), str) or not entry[key]]
        if missing:
            raise ExpectationsError(f"{path}: [[expected]] entry {index + 1} lacks {', '.join(missing)}")
        if entry["scenario"] in entries:
            raise ExpectationsError(f"{path}: scenario {entry['scenario']!r} is listed twice")
        entries[entry["scenario"]] = Expected(entry["scenario"], entry["verdict"], entry["reason"], entry.get("link", ""))
    return Expectations(data["adapter"], entries)


def expected(expectations: Expectations, adapter: str, scenario: str, verdict: str) -> Expected | None:
    """The entry that makes this failure an expected one: the same adapter, scenario and
    verdict. The gate and the run's reports (JUnit's xfail) decide by this one rule."""
    entry = expectations.entries.get(scenario) if adapter == expectations.adapter else None
    return entry if entry is not None and entry.verdict == verdict else None


def judge(results: list[Result], expectations: Expectations) -> GateResult:
    mine = {r.scenario: r for r in results if r.adapter == expectations.adapter}
    if not mine:
        known = ", ".join(sorted({r.adapter for r in results})) or "none"
        raise ExpectationsError(f"the run has no results for adapter {expectations.adapter!r} (it has: {known})")
    new, still = [], []
    for result in mine.values():
        if not result.failed:
            continue
        entry = expected(expectations, result.adapter, result.scenario, result.verdict)
        (still if entry is not None else new).append(result)
    passes = [e for s, e in expectations.entries.items() if s in mine and mine[s].verdict == PASS]
    not_run = [e for s, e in expectations.entries.items() if s not in mine]
    return GateResult(new, passes, still, not_run)


def check_adapter(adapter: str, results: list[Result], given_as: str) -> None:
    """``--adapter`` here means what it names in the results: the manifest name. A module path
    (pytest's ``--adapter`` meaning) or a name with no results is an error, never an empty file."""
    names = sorted({r.adapter for r in results})
    if adapter in names:
        return
    hint = ""
    if ":" in adapter:
        hint = " that is a module path (pytest's --adapter); the gate takes the adapter's manifest name;"
    raise ExpectationsError(
        f"{given_as} {adapter!r}:{hint} the results have no scenario for it;"
        f" adapters in the results: {', '.join(names) or 'none'}"
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(path: Path, adapter: str, results: list[Result], previous: Expectations | None) -> int:
    kept = previous.entries if previous else {}
    failing = sorted((r for r in results if r.adapter == adapter and r.failed), key=lambda r: r.scenario)
    lines = [
        f"# Known non-conformance of {adapter}: the gate passes while these are the only failures.",
        "# Regenerate with: python -m reconnection_conformance.reports.gate RESULTS --expectations THIS_FILE --write",
        f"adapter = {_quote(adapter)}",
    ]
    for result in failing:
        old = kept.get(result.scenario)
        lines += [
            "",
            "[[expected]]",
            f"scenario = {_quote(result.scenario)}",
            f"verdict = {_quote(result.verdict)}",
            f"reason = {_quote(old.reason if old else 'TODO: why this adapter fails it, and when it will not')}",
            f"link = {_quote(old.link if old else '')}",
            f"# {result.message.splitlines()[0][:200] if result.message else ''}",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(failing)


def explain(gate: GateResult) -> str:
    lines = []
    for result in gate.new_failures:
        lines.append(f"NEW FAILURE  {result.scenario} ({result.verdict}): {result.message.splitlines()[0] if result.message else ''}")
    for entry in gate.unexpected_passes:
        lines.append(f"NOW PASSES   {entry.scenario}: remove it from the expectations file (ratchet)")
    for entry in gate.not_run:
        lines.append(f"not run      {entry.scenario} (listed, but not part of this run)")
    verdict = {EXIT_OK: "PASS", EXIT_NEW_FAILURE: "FAIL: new failures", EXIT_UNEXPECTED_PASS: "FAIL: unexpected passes"}[gate.exit_code]
    lines.append(f"gate: {verdict} ({len(gate.still_failing)} expected failures, {len(gate.new_failures)} new, {len(gate.unexpected_passes)} now passing)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reconnection_conformance.reports.gate", description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="results JSON written by pytest --results-json")
    parser.add_argument("--expectations", required=True, type=Path, help="the adapter's expectations TOML file")
    parser.add_argument("--write", action="store_true", help="rewrite the file from this run's failures")
    parser.add_argument(
        "--adapter",
        help="with --write and no file yet: the adapter's manifest name as the results name it"
        " (not pytest's module path)",
    )
    args = parser.parse_args(argv)
    results = load(args.results)
    try:
        if args.write:
            previous = read(args.expectations) if args.expectations.exists() else None
            adapter = args.adapter or (previous.adapter if previous else None)
            if adapter is None:
                raise ExpectationsError("--write on a new file needs --adapter NAME (the adapter's manifest name)")
            check_adapter(adapter, results, "--adapter" if args.adapter else f"{args.expectations}: adapter")
            count = write(args.expectations, adapter, results, previous)
            print(f"wrote {count} expected failures to {args.expectations}")
            return EXIT_OK
        gate = judge(results, read(args.expectations))
    except ExpectationsError as error:
        print(f"error: {error}")
        return EXIT_BAD_INPUT
    print(explain(gate))
    return gate.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
