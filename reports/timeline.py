"""Draws a scenario's recorded timeline as a self-contained SVG: what a reader looks at first.

One lane per device or user. In each lane, from top to bottom: the network state as bands
(red: down, amber: unresponsive), requests at the mocked endpoints as ticks (grey: answered,
red: failed), and markers for callbacks (circles), app calls (diamonds) and the service's
pushes (triangles). Labels are staggered and thinned so that a 20-minute scenario with hundreds
of attempts stays legible; every mark carries a tooltip with the full entry. On a
non-conformant verdict, a red line marks the observation and, when the rule names an instant,
a green line marks what was expected, with the one-sentence verdict underneath.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from fixtures.recorder import Entry, Kind

WIDTH = 1100
LEFT = 120  # room for lane names
RIGHT = 30
LANE_HEIGHT = 130
TOP = 58
LABEL_ROWS = 4
MIN_LABEL_GAP = 74  # pixels between two labels in one row

FAILED_COLOUR = "#d62728"
EXPECTED_COLOUR = "#2ca02c"
LINK_COLOURS = {"down": "#f4a3a3", "unresponsive": "#f7d08a"}


@dataclass(frozen=True)
class Verdict:
    """What the picture should say about the outcome (nothing when conformant)."""

    text: str
    at: float | None = None
    expected_at: float | None = None


def _nice_step(span: float) -> float:
    for step in (0.1, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200):
        if span / step <= 12:
            return step
    return 14400.0


def _clock(t: float) -> str:
    if t < 120:
        return f"{t:g}s"
    minutes, seconds = divmod(int(round(t)), 60)
    return f"{minutes}m" if not seconds else f"{minutes}m{seconds:02d}s"


def _short(entry: Entry) -> str:
    """A few words for a marker label; the tooltip has everything."""
    d = entry.detail
    if entry.kind is Kind.CALLBACK:
        parts = [str(v) for k, v in d.items() if k in ("status", "state", "reason", "update_type", "event", "code", "error_code", "second")]
        room = d.get("room_id")
        head = entry.name.removeprefix("on")
        text = " ".join(p for p in parts if p not in ("0", "SUCCESS") or len(parts) == 1)
        return f"{head}{f' [{room}]' if room else ''} {text}".strip()
    if entry.kind is Kind.CALL:
        return f"{entry.name}()"
    words = [str(v) for k, v in d.items() if k in ("updateType", "event", "why", "code")]
    listed = d.get("users") or d.get("streams")
    if isinstance(listed, list):
        words.append(",".join(map(str, listed)))
    return " ".join([entry.name, *words])


def _lanes(entries: Sequence[Entry]) -> list[str]:
    seen: list[str] = []
    for entry in entries:
        if entry.actor not in seen:
            seen.append(entry.actor)
    return seen


def _link_bands(entries: Iterable[Entry], actor: str, end: float) -> list[tuple[float, float, str]]:
    bands, state, since = [], "up", 0.0
    for entry in entries:
        if entry.kind is Kind.NETWORK and entry.actor == actor:
            if state != "up":
                bands.append((since, entry.at, state))
            state, since = entry.name, entry.at
    if state != "up":
        bands.append((since, end, state))
    return bands


def render(entries: Sequence[Entry], end: float, title: str, verdict: Verdict | None = None) -> str:
    end = max([end, 1.0] + [e.at for e in entries])
    lanes = _lanes(entries)
    plot = WIDTH - LEFT - RIGHT
    height = TOP + LANE_HEIGHT * max(1, len(lanes)) + (90 if verdict else 40)

    def x(t: float) -> float:
        return LEFT + plot * t / end

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}"'
        ' font-family="Helvetica, Arial, sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{LEFT}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
        f'<text x="{LEFT}" y="34" fill="#666">virtual time, {_clock(end)} in all. Ticks: requests'
        " (grey answered, red failed); bands: network down (red) or unresponsive (amber);"
        " ● callback ◆ app call ▲ service push</text>",
    ]
    step = _nice_step(end)
    axis_bottom = TOP + LANE_HEIGHT * max(1, len(lanes))
    t = 0.0
    while t <= end + 1e-9:
        out.append(f'<line x1="{x(t):.1f}" y1="{TOP}" x2="{x(t):.1f}" y2="{axis_bottom}" stroke="#eee"/>')
        out.append(f'<text x="{x(t):.1f}" y="{axis_bottom + 14}" text-anchor="middle" fill="#666">{_clock(t)}</text>')
        t += step

    for index, actor in enumerate(lanes):
        top = TOP + index * LANE_HEIGHT
        out.append(f'<line x1="{LEFT}" y1="{top}" x2="{WIDTH - RIGHT}" y2="{top}" stroke="#ccc"/>')
        out.append(f'<text x="8" y="{top + 20}" font-weight="bold">{escape(actor)}</text>')
        out.append(f'<text x="8" y="{top + 36}" fill="#888">network</text>')
        out.append(f'<text x="8" y="{top + 54}" fill="#888">requests</text>')
        out.append(f'<text x="8" y="{top + 76}" fill="#888">events</text>')
        for start, stop, state in _link_bands(entries, actor, end):
            out.append(
                f'<rect x="{x(start):.1f}" y="{top + 28}" width="{max(1.0, x(stop) - x(start)):.1f}" height="12"'
                f' fill="{LINK_COLOURS.get(state, "#ddd")}"><title>network {state} from t={start:g}s to t={stop:g}s</title></rect>'
            )
        out.append(f'<line x1="{LEFT}" y1="{top + 40}" x2="{WIDTH - RIGHT}" y2="{top + 40}" stroke="#9c9" stroke-width="0.5"/>')
        label_ends = [-1e9] * LABEL_ROWS
        hidden = 0
        for entry in entries:
            if entry.actor != actor or entry.kind is Kind.NETWORK:
                continue
            px = x(entry.at)
            tip = escape(entry.describe())
            if entry.kind is Kind.REQUEST:
                outcome = str(entry.detail.get("outcome", ""))
                colour = "#888" if outcome in ("answered", "") else FAILED_COLOUR
                out.append(f'<line x1="{px:.1f}" y1="{top + 46}" x2="{px:.1f}" y2="{top + 60}" stroke="{colour}"><title>{tip}</title></line>')
                continue
            y = top + 72
            if entry.kind is Kind.CALLBACK:
                out.append(f'<circle cx="{px:.1f}" cy="{y}" r="4" fill="#1f77b4"><title>{tip}</title></circle>')
            elif entry.kind is Kind.CALL:
                out.append(f'<path d="M{px:.1f},{y - 5} l5,5 l-5,5 l-5,-5 z" fill="#9467bd"><title>{tip}</title></path>')
            else:
                out.append(f'<path d="M{px:.1f},{y - 5} l5,9 l-10,0 z" fill="#ff7f0e"><title>{tip}</title></path>')
            row = next((r for r in range(LABEL_ROWS) if px - label_ends[r] >= MIN_LABEL_GAP), None)
            if row is None:
                hidden += 1
                continue
            label = _short(entry)[:34]
            label_ends[row] = px + 6 * len(label)
            anchor = "end" if px + 6 * len(label) > WIDTH - RIGHT else "start"
            lx = px - 3 if anchor == "end" else px + 3
            out.append(f'<text x="{lx:.1f}" y="{y + 16 + 12 * row}" fill="#333" text-anchor="{anchor}">{escape(label)}<title>{tip}</title></text>')
        if hidden:
            out.append(f'<text x="{WIDTH - RIGHT}" y="{top + LANE_HEIGHT - 4}" text-anchor="end" fill="#999">'
                       f"{hidden} more labels hidden; hover a mark for details</text>")

    if verdict:
        marks = ((verdict.expected_at, EXPECTED_COLOUR, "expected", TOP - 4), (verdict.at, FAILED_COLOUR, "observed", TOP - 16))
        for at, colour, name, label_y in marks:
            if at is None:
                continue
            out.append(f'<line x1="{x(at):.1f}" y1="{label_y + 2}" x2="{x(at):.1f}" y2="{axis_bottom}" stroke="{colour}"'
                       f' stroke-width="2" stroke-dasharray="6,3"/>')
            out.append(f'<text x="{x(at) + 3:.1f}" y="{label_y}" fill="{colour}" font-weight="bold">{name} t={at:g}s</text>')
        for number, line in enumerate(verdict.text.splitlines()[:4]):
            out.append(f'<text x="{LEFT}" y="{axis_bottom + 36 + 14 * number}" fill="{FAILED_COLOUR}">{escape(line.strip()[:180])}</text>')
    out.append("</svg>")
    return "\n".join(out)
