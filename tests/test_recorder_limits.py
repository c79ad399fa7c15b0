"""What a client records is bounded per scenario, visibly: a 20 MB callback field cannot make
gigabytes of report, and an event may use any field name (``name``, ``at``, ``kind``)."""

from __future__ import annotations

from pathlib import Path

from reconnection_conformance.fixtures.recorder import MAX_VALUE_CHARS, Kind, Recorder, cap
from tests.conftest import run_suite


def test_any_field_name_can_be_recorded() -> None:
    recorder = Recorder(lambda: 2.0)
    entry = recorder.add(Kind.CALLBACK, "A", "onX", name="n", at=1, kind="k", actor="b", detail="d")
    assert entry.name == "onX" and entry.at == 2.0 and entry.detail == {"name": "n", "at": 1, "kind": "k", "actor": "b", "detail": "d"}


def test_a_huge_value_is_cut_with_a_visible_marker() -> None:
    recorder = Recorder(lambda: 0.0)
    entry = recorder.add(Kind.CALLBACK, "A", "onX", blob="x" * 10_000_000, many=list(range(100_000)))
    assert len(entry.detail["blob"]) < MAX_VALUE_CHARS + 100 and entry.detail["blob"].endswith("of 10000000 chars shown>")
    assert "truncated: 64 of 100000 items shown" in entry.detail["many"]
    assert cap(["A", "B"]) == ["A", "B"]


def test_the_raw_events_attachment_is_capped_with_a_marker() -> None:
    recorder = Recorder(lambda: 0.0)
    for _ in range(200):
        recorder.add(Kind.CALLBACK, "A", "onX", blob="y" * 1_500)
    text = recorder.to_json(limit=50_000)
    assert len(text) < 60_000 and '"truncated"' in text and "more entries not shown" in text


def test_a_scenario_with_a_20_mb_callback_publishes_megabytes_not_gigabytes(tmp_path: Path) -> None:
    allure = tmp_path / "allure"
    run = run_suite(tmp_path, "--adapter", "tests.sample_adapters:rongcloud_verbose", "-m", "rc-interval", f"--alluredir={allure}")
    assert [r["verdict"] for r in run.results] == ["conformant"], run.output[-2000:]
    size = sum(p.stat().st_size for p in allure.iterdir())
    assert size < 2_000_000, size
    events = next(p for p in allure.iterdir() if p.name.endswith("-attachment.json")).read_text()
    assert '"name": "diagnostics"' in events and "truncated: 2000 of" in events  # the host cuts it first, at 16 KiB
