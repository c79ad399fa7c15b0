"""Allure labels, links, environment and categories, all derived from the requirement registry.

Set in one place, from the tags: epic = vendor product, feature = documented section, story =
the Gherkin ``Rule:``, severity = critical for a normative rule and minor for an informative
timing, a link to the vendor page, and one ``requirement`` label per requirement id. Steps never
touch Allure. Everything here is inert without ``--alluredir``.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import platform
from pathlib import Path
from typing import Any

import allure
import pytest

from reconnection_conformance.fixtures.client_host import AdapterRef
from reconnection_conformance.fixtures.isolation import Choice
from reconnection_conformance.features import requirements

PACKAGES = ("pytest", "pytest-bdd", "allure-pytest-bdd", "freezegun", "respx", "httpx")


def _alluredir(config: pytest.Config) -> str | None:
    return config.getoption("allure_report_dir", None)


@pytest.hookimpl(trylast=True)
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    if not _alluredir(request.config):
        return
    registry = requirements.load()
    marks = {m.name for m in request.node.iter_markers()}
    cited = [registry.requirements[r] for r in sorted(marks) if r in registry.requirements]
    for vendor in marks & set(registry.vendors):
        allure.dynamic.epic(registry.vendors[vendor])
    for section in sorted(marks & set(registry.sections)):
        allure.dynamic.feature(registry.sections[section]["title"])
    rule = getattr(scenario, "rule", None)
    if rule is not None:
        allure.dynamic.story(rule.name)
    normative = any(r.severity == "normative" for r in cited)
    allure.dynamic.severity(allure.severity_level.CRITICAL if normative else allure.severity_level.MINOR)
    for requirement in cited:
        allure.dynamic.label("requirement", requirement.id)
        allure.dynamic.label("requirement-kind", f"{requirement.id}: {requirement.kind}")  # spec / reading / informative
    for mutant in _mutants_breaking({r.id for r in cited}, request.config):
        allure.dynamic.label("mutant", mutant)  # the clients this scenario's rule must reject
    for spec_file, url, title in sorted({(r.spec_file, r.url, r.section_title) for r in cited}):
        allure.dynamic.link(url, name=f"{spec_file}: {title}")
    adapter = request.node.callspec.params.get("adapter") if hasattr(request.node, "callspec") else None
    if isinstance(adapter, AdapterRef):
        allure.dynamic.label("adapter", adapter.manifest.name)
        allure.dynamic.title(f"{scenario.name} [{adapter.manifest.name}]")  # rows differ by adapter


@functools.cache
def _python_mutants() -> tuple[tuple[str, str], ...]:
    """(requirement, mutant name) of the built-in Python mutants: metadata of the suite's own
    modules, read without starting any client host."""
    from reconnection_conformance.adapters.loading import BUILTIN_VENDORS

    modules = (importlib.import_module(f"reconnection_conformance.adapters.{v}.mutants") for v in BUILTIN_VENDORS)
    return tuple((m.breaks, m.name) for module in modules for m in module.MUTANTS)


def _mutants_breaking(requirement_ids: set[str], config: pytest.Config) -> list[str]:
    """The built-in mutants this scenario's rules must reject: the Python ones, and the
    JavaScript ones this run judges (their metadata came with the run's own probe; a label
    never starts a Node host)."""
    from reconnection_conformance.fixtures.plugin import ADAPTERS_KEY

    javascript = [(ref.mutant["breaks"], ref.mutant["name"]) for ref in config.stash.get(ADAPTERS_KEY, [])
                  if ref.mutant and ref.language != "python"]
    return sorted({name for breaks, name in (*_python_mutants(), *javascript) if breaks in requirement_ids})


def write_environment(
    config: pytest.Config, adapters: list[AdapterRef], profiles: dict[str, Any], clients: str, isolation: Choice | None = None
) -> None:
    """environment.properties in the results directory: what this run judged, and with what
    (``clients``: where the clients ran; ``isolation``: the kernel isolation of the hosts, and
    why it is not a stronger level the machine grants)."""
    directory = _alluredir(config)
    if not directory:
        return
    lines = {
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "clients": clients,
    }
    if isolation is not None:
        lines["isolation"] = str(isolation.level)
        if isolation.reason:
            lines["isolation.reason"] = isolation.reason
    for package in PACKAGES:
        try:
            lines[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    for adapter in adapters:
        m = adapter.manifest
        runtime = f" ({adapter.runtime})" if getattr(adapter, "runtime", "") else ""
        lines[f"adapter.{m.name}"] = f"{m.version}; SDK {m.sdk_version}; {adapter.language}{runtime}; platforms {', '.join(sorted(m.platforms))}"
        if m.capabilities:
            lines[f"adapter.{m.name}.capabilities"] = ", ".join(sorted(m.capabilities))
    for vendor, profile in profiles.items():
        for name, value in vars(profile).items():
            lines[f"profile.{vendor}.{name}"] = str(value)
    path = Path(directory) / "environment.properties"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k.replace(' ', '_')}={v}\n" for k, v in lines.items()), encoding="utf-8")


def report_scenario_ended_at_setup(item: pytest.Item) -> None:
    """Give a scenario that ended before its first step (not applicable by capability, a world
    that failed to start) its Allure result: allure-pytest-bdd opens a result only when the
    scenario's steps begin. Called from the plugin's innermost makereport wrapper, so Allure's
    own wrapper then records the setup phase's status and message on it."""
    if not _alluredir(item.config):
        return
    from allure_pytest_bdd.pytest_bdd_listener import PytestBDDListener
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    listener = next((p for p in item.config.pluginmanager.get_plugins() if isinstance(p, PytestBDDListener)), None)
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
    if listener is None or template is None:
        return
    callspec = getattr(item, "callspec", None)
    scenario = template.render(callspec.params.get("_pytest_bdd_example", {}) if callspec else {})
    request = item._request  # type: ignore[attr-defined]
    listener.pytest_bdd_before_scenario(request=request, feature=scenario.feature, scenario=scenario)
    pytest_bdd_before_scenario(request=request, feature=scenario.feature, scenario=scenario)
