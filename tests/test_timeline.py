"""The timeline picture stays legible for the longest scenarios: a 30-minute outage with
hundreds of attempts has no cut text, no overlapping labels, overlapping request ticks drawn as
one with their count, and a request still open at the end drawn as open, not failed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from reconnection_conformance.fixtures.recorder import OPEN_AT_END, Entry, Kind, Recorder
from reconnection_conformance.reports.timeline import FAILED_COLOUR, OPEN_COLOUR, WIDTH, Verdict, _short, render, text_width

SVG = "{http://www.w3.org/2000/svg}"
OUTAGE = 1800.0


def _thirty_minute_outage() -> tuple[list[Entry], list[Entry]]:
    clock = [0.0]
    recorder = Recorder(lambda: clock[0])

    def at(t: float) -> Recorder:
        clock[0] = t
        return recorder

    at(0).add(Kind.CALL, "A", "connect", arg0="token")
    at(0).add(Kind.CALLBACK, "A", "onConnectionStatus", status="CONNECTED", code=0)
    at(1).add(Kind.NETWORK, "A", "down")
    attempts = []
    t = 1.0
    while t < OUTAGE:
        at(t).add(Kind.CALLBACK, "A", "onConnectionStatus", status="CONNECTING", code=0)
        attempts.append(at(t).add(Kind.REQUEST, "A", "/connect", outcome="connection refused, network down"))
        t += 5.0
    at(OUTAGE).add(Kind.NETWORK, "A", "up")
    attempts.append(at(OUTAGE).add(Kind.REQUEST, "A", "/connect", outcome="answered"))
    at(OUTAGE).add(Kind.CALLBACK, "A", "onConnectionStatus", status="CONNECTED", code=0)
    poll = at(OUTAGE + 1).add(Kind.REQUEST, "A", "/poll")  # the long-poll, still open at the end
    recorder.mark_open_at_end(recorder.open_requests())
    at(OUTAGE + 2).add(Kind.PUSH, "B", "kicked", code=31010)
    assert poll.detail["outcome"] == OPEN_AT_END
    return recorder.entries, attempts + [poll]


def _svg() -> ET.Element:
    entries, _ = _thirty_minute_outage()
    verdict = Verdict("[rc-interval] expected: reconnection attempts 5s apart\n    observed: " + "gap 3s " * 80, at=600.0, expected_at=605.0)
    return ET.fromstring(render(entries, OUTAGE + 5, "a very long scenario title " * 8, verdict))


def test_no_text_is_cut_or_runs_off_the_picture() -> None:
    entries, _ = _thirty_minute_outage()
    full = {_short(e) for e in entries}
    for text in _svg().iter(f"{SVG}text"):
        content = text.text or ""
        width = text_width(content, float(text.get("font-size", 11)))
        x = float(text.get("x", 0))
        left, right = {"end": (x - width, x), "middle": (x - width / 2, x + width / 2)}.get(text.get("text-anchor", "start"), (x, x + width))
        assert left >= 0 and right <= WIDTH, (content, left, right)
        if text.get("class") == "event-label":
            parts = [re.sub(r" ×\d+$", "", part) for part in content.split(", ")]
            assert all(p in full for p in parts) or re.fullmatch(r"\d+ events", content), content  # whole labels only
    assert "CONNECTIN " not in ET.tostring(_svg(), encoding="unicode")
    assert "hidden" not in ET.tostring(_svg(), encoding="unicode")


def test_labels_never_overlap() -> None:
    rows: dict[str, list[tuple[float, float]]] = {}
    for text in _svg().iter(f"{SVG}text"):
        if text.get("class") != "event-label":
            continue
        width = text_width(text.text or "")
        x = float(text.get("x", 0))
        span = (x - width, x) if text.get("text-anchor") == "end" else (x, x + width)
        rows.setdefault(text.get("y", ""), []).append(span)
    assert sum(len(spans) for spans in rows.values()) >= 6
    for spans in rows.values():
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert start >= end, spans


def test_overlapping_requests_are_one_tick_with_their_count() -> None:
    _, requests = _thirty_minute_outage()
    ticks = [line for line in _svg().iter(f"{SVG}line") if line.get("class") == "request-tick"]
    assert sum(int(t.get("data-count", 0)) for t in ticks) == len(requests)
    assert len(ticks) < len(requests)
    xs = sorted(float(t.get("x1", 0)) for t in ticks)
    assert all(b - a >= 3.0 for a, b in zip(xs, xs[1:]))
    assert any(int(t.get("data-count", 0)) > 1 and "requests:" in (t.findtext(f"{SVG}title") or "") for t in ticks)


def test_a_request_open_at_the_end_is_drawn_open_not_failed() -> None:
    svg = _svg()
    open_lines = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "open-request"]
    assert len(open_lines) == 1 and "still open at the end" in (open_lines[0].findtext(f"{SVG}title") or "")
    last_tick = max((line for line in svg.iter(f"{SVG}line") if line.get("class") == "request-tick"), key=lambda line: float(line.get("x1", 0)))
    assert last_tick.get("stroke") in (OPEN_COLOUR, "#888") and last_tick.get("stroke") != FAILED_COLOUR
