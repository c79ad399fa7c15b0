"""Allure shows a step with the sentence's own parameters only, never the fixtures it uses.

allure-pytest-bdd lists every argument of the step function as a step parameter, fixtures
included: the scenario world (``ZimWorld(... tokens={...})``), the runtime, the judge. Those
are noise at best and leak tokens and memory addresses at worst. The sentence's parameters are
what the step's parser extracts from its text, so only those are passed on.
"""

from __future__ import annotations

from typing import Any

from allure_pytest_bdd import pytest_bdd_listener
from pytest_bdd.steps import step_function_context_registry

_original = pytest_bdd_listener.process_gherkin_step_args


def sentence_parameters(step: Any, step_func: Any, step_func_args: dict[str, Any]) -> dict[str, Any]:
    """The arguments the step's own parser extracted from the sentence (plus a docstring or
    datatable, which Allure attaches rather than lists)."""
    names: set[str] = {"docstring", "datatable"}
    for context in list(step_function_context_registry.values()):
        if context.step_func is step_func and context.parser.is_matching(step.name):
            names |= set(context.parser.parse_arguments(step.name) or {})
    return {k: v for k, v in step_func_args.items() if k in names}


def _process(lifecycle: Any, item: Any, step: Any, step_func: Any, step_func_args: dict[str, Any]) -> None:
    _original(lifecycle, item, step, step_func, sentence_parameters(step, step_func, step_func_args))


def install() -> None:
    pytest_bdd_listener.process_gherkin_step_args = _process  # type: ignore[attr-defined]
