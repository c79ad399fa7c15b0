"""The RongCloud frame codec against byte vectors observed with the real Web SDK 5.38.0.

Every vector below was either sent by the SDK or accepted by it in scripts/rongcloud_sdk_probe.mjs
(see docs/findings/rongcloud-sdk-wire-notes.md for the run that showed it).
"""

from __future__ import annotations

import pytest

from reconnection_conformance.fixtures.rongcloud_frames import (
    ClientFrame,
    Command,
    ConnAckStatus,
    DisconnectStatus,
    FrameKind,
    conn_ack,
    conn_ack_refusal,
    parse_client_frame,
    pong,
    server_disconnect,
)

# 2026-01-01T00:00:00.003Z, the fake clock when the probe's server answered.
T_MS = 1767225600003


def test_accepted_conn_ack_matches_the_frame_the_sdk_connected_with() -> None:
    # probe default run: CONNECTED, connect() -> {isOk: true, code: 0, userId: "u1"}
    assert conn_ack(ConnAckStatus.ACCEPTED, "u1", "s1", T_MS) == bytes.fromhex(
        "200000" "00027531" "00027331" "0000019b76daa803"
    )


@pytest.mark.parametrize(
    ("status", "frame_hex", "code"),
    [
        (ConnAckStatus.TOKEN_INCORRECT, "20000400027531000273310000019b76daa803", 31004),
        (ConnAckStatus.USER_BLOCKED, "20000900027531000273310000019b76daa803", 31009),
        (ConnAckStatus.TOKEN_EXPIRED, "20000a00027531000273310000019b76daa803", 31020),
        (ConnAckStatus.SAME_CLIENT_ONLINE, "20000d00027531000273310000019b76daa803", 31023),
        (ConnAckStatus.PROTO_VERSION_ERROR, "20000100027531000273310000019b76daa803", 31001),
        (ConnAckStatus.IDENTIFIER_REJECTED, "20000200027531000273310000019b76daa803", 31002),
        (ConnAckStatus.SERVER_UNAVAILABLE, "20000300027531000273310000019b76daa803", 31003),
        (ConnAckStatus.NOT_AUTHORIZED, "20000500027531000273310000019b76daa803", 31005),
    ],
)
def test_refusing_conn_acks_and_the_codes_the_sdk_reported(
    status: ConnAckStatus, frame_hex: str, code: int
) -> None:
    # each: DISCONNECT <code>, connect() -> {isOk: false, code}, socket closed by the SDK, no retry
    assert conn_ack(status, "u1", "s1", T_MS).hex() == frame_hex
    assert status.sdk_code == code


def test_three_byte_refusal_was_enough() -> None:
    # connack_short4: DISCONNECT 31004 from "20 00 04" alone
    assert conn_ack_refusal(ConnAckStatus.TOKEN_INCORRECT) == bytes.fromhex("200004")
    assert conn_ack_refusal(0) == bytes.fromhex("200000")


def test_status_table_is_complete_and_unambiguous() -> None:
    assert [s.value for s in ConnAckStatus] == list(range(21))
    assert ConnAckStatus(10) is ConnAckStatus.TOKEN_EXPIRED
    assert ConnAckStatus.ACCEPTED.sdk_code == 0


def test_conn_ack_strings_are_length_prefixed_utf8() -> None:
    frame = conn_ack(ConnAckStatus.ACCEPTED, "ü", "", 0)
    assert frame == bytes.fromhex("200000" "0002c3bc" "0000" "0000000000000000")


def test_conn_ack_rejects_impossible_timestamps() -> None:
    with pytest.raises(ValueError):
        conn_ack(ConnAckStatus.ACCEPTED, "u", "s", -1)


def test_pong_is_the_accepted_answer() -> None:
    # D0, D0 00, D0 FF, D0 00 00 all kept the connection 100 s; no pong: SUSPEND 30012 at 30 s
    assert pong() == bytes.fromhex("d000")


@pytest.mark.parametrize(
    ("status", "frame_hex", "code"),
    [
        (DisconnectStatus.KICKED, "e00001", 31010),
        (DisconnectStatus.EXCEPTION, "e00002", 31011),
        (DisconnectStatus.EXCEPTION_5, "e00005", 31011),
        (DisconnectStatus.REDIRECT, "e00006", 31006),
        (DisconnectStatus.TOKEN_EXPIRED, "e00007", 31020),
        (DisconnectStatus.PROTO_VERSION_ERROR, "e00008", 31001),
        (DisconnectStatus.ACCOUNT_CANCELLATION, "e00009", 31029),
    ],
)
def test_server_disconnect_frames_the_sdk_reacted_to(
    status: DisconnectStatus, frame_hex: str, code: int
) -> None:
    assert server_disconnect(status).hex() == frame_hex
    assert status.sdk_code == code


def test_client_ping() -> None:
    frame = parse_client_frame(bytes.fromhex("c0"))
    assert frame.kind is FrameKind.PING
    assert frame.command == Command.PINGREQ


@pytest.mark.parametrize(
    ("frame_hex", "topic", "target", "message_id", "payload_hex"),
    [
        # the queries the SDK sent right after connecting (targetId = the connack's user id)
        ("50000771417070426f74000275310001", "qAppBot", "u1", 1, ""),
        ("50000f70756c6c4576656e744368616e67650002753100020800", "pullEventChange", "u1", 2, "0800"),
        ("50000670756c6c555300027531000308001800", "pullUS", "u1", 3, "08001800"),
        ("50000a70756c6c5365417474730002753100040800", "pullSeAtts", "u1", 4, "0800"),
        ("50000770756c6c4d7367000275310005080010002001300038014801", "pullMsg", "u1", 5, "080010002001300038014801"),
        # after a three-byte connack the user id is empty
        ("50000771417070426f7400000001", "qAppBot", "", 1, ""),
    ],
)
def test_client_queries(frame_hex: str, topic: str, target: str, message_id: int, payload_hex: str) -> None:
    frame = parse_client_frame(bytes.fromhex(frame_hex))
    assert frame.kind is FrameKind.QUERY
    assert (frame.topic, frame.target_id, frame.message_id) == (topic, target, message_id)
    assert frame.payload.hex() == payload_hex
    assert frame.qos == 0


def test_client_disconnect_layout() -> None:
    # never sent in the runs (disconnect() only closes the socket); the SDK's encoder writes E0 00 04
    frame = parse_client_frame(bytes.fromhex("e00004"))
    assert (frame.kind, frame.status) == (FrameKind.DISCONNECT, 4)


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\x50", b"\x50\x00", b"\x50\x00\xff", b"\x50\x00\x01q\x00", b"\xe0", b"\x40\x01",
     b"\xff\x01\x02", b"\x00", bytes(range(256))],
)
def test_garbage_never_raises(garbage: bytes) -> None:
    frame = parse_client_frame(garbage)
    assert isinstance(frame, ClientFrame)
    assert frame.raw == garbage


def test_truncated_query_keeps_its_kind_without_fields() -> None:
    frame = parse_client_frame(bytes.fromhex("5000ff"))
    assert frame.kind is FrameKind.QUERY
    assert frame.topic is None and frame.target_id is None and frame.message_id is None


def test_unknown_command() -> None:
    assert parse_client_frame(b"\xff\x01\x02").kind is FrameKind.UNKNOWN
    assert parse_client_frame(bytearray(b"\xc0")).kind is FrameKind.PING  # type: ignore[arg-type]
