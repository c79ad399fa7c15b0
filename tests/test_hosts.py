"""The process boundary: the judge never imports an adapter, the protocol's framing and value
encoding hold against a hostile peer, and the debugging path judges like the hosted one."""

from __future__ import annotations

import enum
import json
import struct
from dataclasses import dataclass
from typing import Any

import pytest

from reconnection_conformance.adapters.host.protocol import MAX_FRAME, MAX_STRING, FrameReader, ProtocolError, encode, encode_result, plain


def test_the_judge_never_imports_the_adapter(suite) -> None:  # type: ignore[no-untyped-def]
    run = suite("--adapter", "tests.judge_tripwire:adapter", "-m", "rc-interval or rc-connect-result")
    assert run.results and {r["verdict"] for r in run.results} == {"conformant"}, run.output[-2000:]


def test_the_debugging_path_judges_like_the_hosts(suite) -> None:  # type: ignore[no-untyped-def]
    args = ("--adapter", "reference", "--adapter", "tests.sample_adapters:retry_every_3s", "-m", "rongcloud")
    hosted, in_process = suite(*args), suite(*args, "--in-process")
    verdicts = [{(r["scenario"], r["adapter"]): r["verdict"] for r in run.results} for run in (hosted, in_process)]
    assert verdicts[0] == verdicts[1] and "non-conformant" in verdicts[0].values()
    assert "DEBUGGING ONLY" in in_process.output


def test_the_debugging_path_cannot_gate_a_run(suite, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run = suite("--in-process", f"--expectations={tmp_path / 'e.toml'}", "-m", "rc-interval")
    assert run.returncode == 4 and "--in-process is for debugging" in run.output


def test_frames_survive_any_split() -> None:
    data = encode({"op": "event", "detail": {"s": "ü" * 10}}) + encode({"op": "idle", "next": None})
    reader = FrameReader()
    got = []
    for byte in data:  # one byte at a time: a pipe may deliver any split
        reader.feed(bytes([byte]))
        while (message := reader.next_frame()) is not None:
            got.append(message["op"])
    assert got == ["event", "idle"]


@pytest.mark.parametrize(
    ("frame", "says"),
    [
        (struct.pack(">I", MAX_FRAME + 1), "announced"),
        (struct.pack(">I", 3) + b"abc", "not JSON"),
        (struct.pack(">I", 2) + b"[]", "not a message object"),
        (struct.pack(">I", 11) + b'{"op": 42 }', "not a message object"),
    ],
)
def test_a_malformed_frame_is_a_protocol_error(frame: bytes, says: str) -> None:
    reader = FrameReader()
    reader.feed(frame)
    with pytest.raises(ProtocolError, match=says):
        reader.next_frame()


class _Hostile:
    def __repr__(self) -> str:
        raise AssertionError("repr must never be called on a client's value")

    __str__ = __format__ = __repr__  # type: ignore[assignment]


class _Code(enum.IntEnum):
    OK = 0
    KICKED = 31010


@dataclass(frozen=True)
class _Result:
    code: _Code
    note: Any


def test_client_values_cross_as_data_without_repr() -> None:
    value = plain({"x": _Hostile(), "s": "z" * (MAX_STRING + 10), "e": _Code.KICKED, "deep": [[[[[[[[[[1]]]]]]]]]]})
    json.dumps(value)  # always serialisable
    assert value["x"] == "<_Hostile>" and value["e"] == "KICKED"
    assert value["s"].endswith(f"<truncated: {MAX_STRING + 10} chars>") and "nested too deep" in json.dumps(value)
    result = encode_result(_Result(_Code.KICKED, _Hostile()))
    assert result["fields"] == {"code": 31010, "note": "<_Hostile>"} and result["$dataclass"] == "_Result"
