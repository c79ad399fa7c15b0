"""Every output of a run is safe to publish: no token a simulated service issued, anywhere.

The recorder redacts tokens on entry, but a run writes much that never passes through it: a
traceback prints a step's arguments (a world holding tokens), an adapter's exception quotes
the token it was given, a client logs or prints it, Allure copies all of that. So the tokens
issued in this process (``fixtures.recorder.ISSUED``) are replaced at the last moment before
each output leaves: pytest's reports (terminal, JUnit, results JSON, and through them the
summaries), log records, and everything Allure writes (results and attachments).
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any

import allure_commons
import pytest
from allure_commons.logger import AllureFileLogger
from attr import asdict

from reconnection_conformance.fixtures.recorder import ISSUED, redact_text


def _deep(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep(v) for v in value]
    return value


def _leaks(text: str) -> bool:
    return any(secret in text for secret in ISSUED)


def redact_report(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Redact a report in place before any reporter (terminal, JUnit, xdist, Allure) reads it."""
    if not ISSUED:
        return
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        report.longrepr = (longrepr[0], longrepr[1], redact_text(str(longrepr[2])))
    elif longrepr is not None and _leaks(text := str(longrepr)):
        report.longrepr = redact_text(text)
    report.sections = [(title, redact_text(content)) for title, content in report.sections]
    report.user_properties = [
        (name, redact_text(value) if isinstance(value, str) else value) for name, value in report.user_properties
    ]
    if isinstance(wasxfail := getattr(report, "wasxfail", None), str):  # an expected failure's message (JUnit, terminal)
        report.wasxfail = redact_text(wasxfail)


class RedactingFileLogger(AllureFileLogger):  # type: ignore[misc]
    """Allure's own file writer, with every string and attachment redacted on the way out."""

    def _report_item(self, item: Any) -> None:
        data = _deep(asdict(item, filter=lambda _, v: v or v is False))
        filename = item.file_pattern.format(prefix=uuid.uuid4())
        tmp = self._report_dir / f"{filename}.tmp"
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self._report_dir / filename)

    @allure_commons.hookimpl
    def report_attached_data(self, body: Any, file_name: str) -> None:
        if isinstance(body, bytes):
            try:
                body = redact_text(body.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                pass
        elif isinstance(body, str):
            body = redact_text(body)
        super().report_attached_data(body, file_name)

    @allure_commons.hookimpl
    def report_attached_file(self, source: str, file_name: str) -> None:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            super().report_attached_file(source, file_name)
            return
        super().report_attached_data(redact_text(text), file_name)


_swapped: list[tuple[AllureFileLogger, RedactingFileLogger, str | None]] = []


def install_allure() -> None:
    """Swap allure-pytest-bdd's file writer for the redacting one (same folder)."""
    manager = allure_commons.plugin_manager
    for plugin in list(manager.get_plugins()):
        if type(plugin) is AllureFileLogger:
            name = manager.get_name(plugin)
            manager.unregister(plugin)
            replacement = RedactingFileLogger.__new__(RedactingFileLogger)
            replacement._report_dir = plugin._report_dir
            manager.register(replacement)
            _swapped.append((plugin, replacement, name))


def uninstall_allure() -> None:
    """Put Allure's writer back before allure-pytest-bdd's clean-up looks for it by object."""
    manager = allure_commons.plugin_manager
    while _swapped:
        original, replacement, name = _swapped.pop()
        manager.unregister(replacement)
        manager.register(original, name=name)


_default_factory = logging.getLogRecordFactory()


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _default_factory(*args, **kwargs)
    if ISSUED:
        message = record.getMessage()
        if _leaks(message):
            record.msg, record.args = redact_text(message), None
    return record


def install_logging() -> None:
    """Log records are redacted where they are made, so every handler (captured logs in
    reports, --log-file, live logging) gets the redacted text."""
    logging.setLogRecordFactory(_redacting_factory)


def uninstall_logging() -> None:
    logging.setLogRecordFactory(_default_factory)
