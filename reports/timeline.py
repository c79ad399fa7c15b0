"""Draws a scenario's recorded timeline as a self-contained SVG: what a reader looks at first.

One lane per device or user. In each lane, from top to bottom: the network state as bands
(red: down, amber: unresponsive), requests at the mocked endpoints as ticks (grey: answered,
red: failed, blue with a dashed tail: still open when the scenario ended), WebSockets as green
bars from their opening to their close (the tooltip counts their frames), and markers for
callbacks (circles), app calls (diamonds) and the service's pushes (triangles). On a
non-conformant verdict, a red line marks the observation and, when the rule names an instant,
a green line marks what was expected, with the verdict underneath.

Legible for the longest scenarios (a 30-minute outage with hundreds of attempts): no text is
ever cut; requests that would overlap are drawn as one tick with their count; events that would
overlap share one label ("CONNECTING ×12", or "7 events"); every mark's tooltip has the full
entries. Long titles and verdicts wrap.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from reconnection_conformance.fixtures.recorder import OPEN_AT_END, Entry, Kind

WIDTH = 1100
LEFT = 120  # room for lane names
RIGHT = 30
LANE_HEIGHT = 130
LABEL_ROWS = 4
FONT = 11  # label font size; CHAR_WIDTH is a generous estimate of one character at it
CHAR_WIDTH = 6.6
LABEL_GAP = 6  # pixels between two labels in one row
TICK_BUCKET = 3.0  # requests closer than this many pixels are drawn as one tick
EVENT_BUCKETS = (9.0, 18.0, 36.0, 72.0, 144.0, 288.0)  # events closer than this share a marker and a label
TIP_LINES = 12  # entries listed in an aggregated mark's tooltip
WRAP = 150  # characters per line of the title and the verdict

FAILED_COLOUR = "#d62728"
EXPECTED_COLOUR = "#2ca02c"
OPEN_COLOUR = "#1f77b4"
LINK_COLOURS = {"down": "#f4a3a3", "unresponsive": "#f7d08a"}

#: What a request's ``outcome`` says when it was still in flight when the scenario ended.
OPEN_OUTCOMES = frozenset({"", OPEN_AT_END})


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of a text's width in pixels (no font metrics in a plain SVG)."""
    return len(text) * CHAR_WIDTH * size / FONT


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


def _fit(text: str, room: float) -> str:
    """``text`` if it fits in ``room`` pixels, else its longest run of whole words that does
    (at least the first word): a label is shortened by words, never cut inside one."""
    if text_width(text) <= room:
        return text
    words = text.split(" ")
    kept = words[0]
    for word in words[1:]:
        if text_width(f"{kept} {word} …") > room:
            break
        kept = f"{kept} {word}"
    return f"{kept} …" if kept != text else kept


def is_open(entry: Entry) -> bool:
    return entry.kind is Kind.REQUEST and str(entry.detail.get("outcome", "")) in OPEN_OUTCOMES


def _tip(entries: Sequence[Entry]) -> str:
    lines = [e.describe() for e in entries[:TIP_LINES]]
    if len(entries) > TIP_LINES:
        lines.append(f"... and {len(entries) - TIP_LINES} more, to t={entries[-1].at:g}s")
    return escape("\n".join(lines))


@dataclass
class _Group:
    """Marks close enough to overlap: drawn once, with a count."""

    px: float
    entries: list[Entry] = field(default_factory=list)


def _group(entries: Iterable[Entry], x: Callable[[float], float], bucket: float) -> list[_Group]:
    groups: list[_Group] = []
    for entry in entries:
        px = x(entry.at)
        if groups and px - groups[-1].px < bucket:
            groups[-1].entries.append(entry)
        else:
            groups.append(_Group(px, [entry]))
    return groups


def _label(group: _Group) -> str:
    """One entry's words; for a group, each distinct label with its count, or just the count."""
    counts = Counter(_short(e) for e in group.entries)
    joined = ", ".join(name if n == 1 else f"{name} ×{n}" for name, n in counts.items())
    return joined if len(counts) == 1 or len(joined) <= 60 else f"{len(group.entries)} events"


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


def _wrapped(text: str, limit: int = 20) -> list[str]:
    lines = [piece for line in text.splitlines() for piece in (textwrap.wrap(line.strip(), WRAP) or [""])]
    if len(lines) > limit:
        lines = lines[: limit - 1] + [f"({len(lines) - limit + 1} more lines: see the result's message)"]
    return lines


def render(entries: Sequence[Entry], end: float, title: str, verdict: Verdict | None = None) -> str:
    end = max([end, 1.0] + [e.at for e in entries])
    lanes = _lanes(entries)
    plot = WIDTH - LEFT - RIGHT
    titles = textwrap.wrap(title, int((WIDTH - 16) / (CHAR_WIDTH * 14 / FONT))) or [""]
    legend = [
        f"virtual time, {_clock(end)} in all. Ticks: requests (grey answered, red failed, blue dashed: open at the end;"
        " a number: that many requests at once);",
        "bands: network down (red) or unresponsive (amber); green bars: open WebSockets;"
        " ● callback ◆ app call ▲ service push (×n: n at once).",
    ]
    top = 22 + 16 * len(titles) + 14 * len(legend) + 12
    verdict_lines = _wrapped(verdict.text) if verdict else []
    axis_bottom = top + LANE_HEIGHT * max(1, len(lanes))
    height = axis_bottom + 30 + (14 * len(verdict_lines) + 20 if verdict else 0)

    def x(t: float) -> float:
        return LEFT + plot * t / end

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}"'
        f' font-family="Helvetica, Arial, sans-serif" font-size="{FONT}">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for number, line in enumerate(titles):
        out.append(f'<text x="8" y="{18 + 16 * number}" font-size="14" font-weight="bold">{escape(line)}</text>')
    for number, line in enumerate(legend):
        out.append(f'<text x="8" y="{22 + 16 * len(titles) + 14 * number}" fill="#666">{escape(line)}</text>')
    step = _nice_step(end)
    t = 0.0
    while t <= end + 1e-9:
        out.append(f'<line x1="{x(t):.1f}" y1="{top}" x2="{x(t):.1f}" y2="{axis_bottom}" stroke="#eee"/>')
        out.append(f'<text x="{x(t):.1f}" y="{axis_bottom + 14}" text-anchor="middle" fill="#666">{_clock(t)}</text>')
        t += step

    for index, actor in enumerate(lanes):
        lane_top = top + index * LANE_HEIGHT
        out.append(f'<line x1="{LEFT}" y1="{lane_top}" x2="{WIDTH - RIGHT}" y2="{lane_top}" stroke="#ccc"/>')
        out.append(f'<text x="8" y="{lane_top + 20}" font-weight="bold">{escape(_fit(actor, LEFT - 12))}<title>{escape(actor)}</title></text>')
        out.append(f'<text x="8" y="{lane_top + 36}" fill="#888">network</text>')
        out.append(f'<text x="8" y="{lane_top + 54}" fill="#888">requests</text>')
        out.append(f'<text x="8" y="{lane_top + 76}" fill="#888">events</text>')
        for start, stop, state in _link_bands(entries, actor, end):
            out.append(
                f'<rect x="{x(start):.1f}" y="{lane_top + 28}" width="{max(1.0, x(stop) - x(start)):.1f}" height="12"'
                f' fill="{LINK_COLOURS.get(state, "#ddd")}"><title>network {state} from t={start:g}s to t={stop:g}s</title></rect>'
            )
        out.append(f'<line x1="{LEFT}" y1="{lane_top + 40}" x2="{WIDTH - RIGHT}" y2="{lane_top + 40}" stroke="#9c9" stroke-width="0.5"/>')
        mine = [e for e in entries if e.actor == actor and e.kind is not Kind.NETWORK]
        out += _request_ticks([e for e in mine if e.kind is Kind.REQUEST], x, lane_top, end)
        out += _socket_bars([e for e in mine if e.kind is Kind.SOCKET], x, lane_top + 63, end)
        events = [e for e in mine if e.kind not in (Kind.REQUEST, Kind.SOCKET)]
        for bucket in EVENT_BUCKETS:  # group wider until every group has its label
            marks, unlabelled = _event_marks(events, x, lane_top + 72, bucket)
            if not unlabelled:
                break
        out += marks

    if verdict:
        marks = ((verdict.expected_at, EXPECTED_COLOUR, "expected", top - 4), (verdict.at, FAILED_COLOUR, "observed", top - 16))
        for at, colour, name, label_y in marks:
            if at is None:
                continue
            label = f"{name} t={at:g}s"
            anchor = "end" if x(at) + 3 + text_width(label) > WIDTH - 4 else "start"
            lx = x(at) - 3 if anchor == "end" else x(at) + 3
            out.append(f'<line x1="{x(at):.1f}" y1="{label_y + 2}" x2="{x(at):.1f}" y2="{axis_bottom}" stroke="{colour}"'
                       f' stroke-width="2" stroke-dasharray="6,3"/>')
            out.append(f'<text x="{lx:.1f}" y="{label_y}" fill="{colour}" font-weight="bold" text-anchor="{anchor}">{label}</text>')
        for number, line in enumerate(verdict_lines):
            out.append(f'<text x="8" y="{axis_bottom + 36 + 14 * number}" fill="{FAILED_COLOUR}">{escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _socket_bars(entries: list[Entry], x: Callable[[float], float], y: float, end: float) -> list[str]:
    """One bar per WebSocket, from its opening to its close (or the end of the scenario)."""
    lives: dict[object, dict[str, object]] = {}
    for entry in entries:
        life = lives.setdefault(entry.detail.get("socket"), {"opened": None, "closed": None, "frames": 0, "lost": 0})
        if entry.name == "opened":
            life["opened"] = entry.at
        elif entry.name == "closed":
            life["closed"] = entry
        elif entry.name == "frame":
            life["frames"] = int(life["frames"]) + 1  # type: ignore[call-overload]
            life["lost"] = int(life["lost"]) + (not entry.detail.get("delivered", True))  # type: ignore[call-overload]
    out = []
    for number, life in lives.items():
        start = life["opened"]
        if not isinstance(start, float):
            continue  # never opened: its attempt is a red request tick
        closed = life["closed"]
        stop = closed.at if isinstance(closed, Entry) else end
        how = f"closed {closed.detail.get('code')} by {closed.detail.get('by')}" if isinstance(closed, Entry) else "open at the end"
        tip = f"socket {number}: open from t={start:g}s to t={stop:g}s, {life['frames']} frames ({life['lost']} lost), {how}"
        out.append(
            f'<rect x="{x(start):.1f}" y="{y - 2:.1f}" width="{max(1.5, x(stop) - x(start)):.1f}" height="4" fill="#2ca02c"'
            f' class="socket-bar"><title>{escape(tip)}</title></rect>'
        )
    return out


def _request_ticks(requests: list[Entry], x: Callable[[float], float], lane_top: float, end: float) -> list[str]:
    out = []
    for entry in requests:
        if is_open(entry):  # in flight when the scenario ended: a dashed tail to the end
            out.append(
                f'<line x1="{x(entry.at):.1f}" y1="{lane_top + 53}" x2="{x(end):.1f}" y2="{lane_top + 53}" stroke="{OPEN_COLOUR}"'
                f' stroke-dasharray="3,2" class="open-request"><title>{escape(entry.describe())} (still open at the end)</title></line>'
            )
    for group in _group(requests, x, TICK_BUCKET):
        failed = [e for e in group.entries if not is_open(e) and str(e.detail.get("outcome")) != "answered"]
        opened = [e for e in group.entries if is_open(e)]
        colour = FAILED_COLOUR if failed else OPEN_COLOUR if opened and len(opened) == len(group.entries) else "#888"
        count = len(group.entries)
        out.append(
            f'<line x1="{group.px:.1f}" y1="{lane_top + 46}" x2="{group.px:.1f}" y2="{lane_top + 60}" stroke="{colour}"'
            f' stroke-width="{1 if count == 1 else 2}" class="request-tick" data-count="{count}"><title>{count} request{"s" if count > 1 else ""}:\n{_tip(group.entries)}</title></line>'
        )
    return out


def _event_marks(events: list[Entry], x: Callable[[float], float], y: float, bucket: float) -> tuple[list[str], int]:
    """The markers and labels of one lane's events, and how many groups found no room for a label."""
    out = []
    unlabelled = 0
    row_ends = [-1e9] * LABEL_ROWS
    for group in _group(events, x, bucket):
        first = group.entries[0]
        tip = _tip(group.entries)
        px = group.px
        if first.kind is Kind.CALLBACK:
            out.append(f'<circle cx="{px:.1f}" cy="{y}" r="4" fill="#1f77b4"><title>{tip}</title></circle>')
        elif first.kind is Kind.CALL:
            out.append(f'<path d="M{px:.1f},{y - 5} l5,5 l-5,5 l-5,-5 z" fill="#9467bd"><title>{tip}</title></path>')
        else:
            out.append(f'<path d="M{px:.1f},{y - 5} l5,9 l-10,0 z" fill="#ff7f0e"><title>{tip}</title></path>')
        label = _label(group)
        anchor, room = "start", (WIDTH - 4) - (px + 3)
        if text_width(label) > room:  # near the right edge: the label ends at the mark instead
            anchor, room = "end", px - 3 - LEFT
        label = _fit(label, room)
        width = text_width(label)
        lx = px + 3 if anchor == "start" else px - 3
        left = lx if anchor == "start" else lx - width
        row = next((r for r in range(LABEL_ROWS) if left >= row_ends[r] + LABEL_GAP), None)
        if row is None:  # every row is still taken here
            unlabelled += 1
            continue
        row_ends[row] = left + width
        out.append(
            f'<text x="{lx:.1f}" y="{y + 16 + 12 * row}" fill="#333" text-anchor="{anchor}" class="event-label">'
            f"{escape(label)}<title>{tip}</title></text>"
        )
    return out, unlabelled
