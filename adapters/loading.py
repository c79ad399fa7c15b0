"""Turns ``package.module:factory`` into a checked :class:`Adapter`, or one clear error."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from adapters.contract import Adapter, Vendor
from adapters.manifest_rules import validate_manifest
from fixtures.verdicts import AdapterLoadError

#: Vendor profiles that ship a reference client and mutants in this package.
BUILTIN_VENDORS: tuple[Vendor, ...] = (Vendor.RONGCLOUD, Vendor.ZIM, Vendor.EXPRESS)


def builtin_adapters(kind: str) -> list[Adapter]:
    """``reference``: one reference adapter per vendor; ``mutants``: every built-in mutant."""
    found: list[Adapter] = []
    for vendor in BUILTIN_VENDORS:
        if kind == "reference":
            found.append(load_adapter(f"adapters.{vendor}.reference:adapter"))
        else:
            module = importlib.import_module(f"adapters.{vendor}.mutants")
            for mutant in module.MUTANTS:
                validate_manifest(mutant.adapter.manifest, f"mutants:{mutant.name}")
                found.append(mutant.adapter)
    return found


def required_methods(vendor: Vendor) -> dict[str, Any]:
    """The vendor's client Protocol: method name -> the Protocol's function."""
    module = importlib.import_module(f"adapters.{vendor}.contract")
    protocol = module.Client
    return {
        name: member
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


def load_adapter(spec: str) -> Adapter:
    module_name, sep, attr = spec.partition(":")
    fix = "give --adapter (or CONFORMANCE_ADAPTER) as package.module:factory"
    if not sep or not module_name or not attr:
        raise AdapterLoadError(f"adapter '{spec}' is not of the form package.module:factory; {fix}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        raise AdapterLoadError(
            f"adapter '{spec}': module '{error.name}' not found; check the spelling and that"
            " the package is importable (installed, or on PYTHONPATH)"
        ) from None
    except Exception as error:  # the adapter's own module is broken
        raise AdapterLoadError(
            f"adapter '{spec}': importing {module_name} failed with"
            f" {type(error).__name__}: {error}; fix the adapter module"
        ) from None
    factory = getattr(module, attr, None)
    if factory is None:
        raise AdapterLoadError(f"adapter '{spec}': {module_name} has no attribute '{attr}'; {fix}")
    try:
        adapter = factory() if callable(factory) and not isinstance(factory, Adapter) else factory
    except Exception as error:
        raise AdapterLoadError(
            f"adapter '{spec}': calling {attr}() raised {type(error).__name__}: {error}"
        ) from None
    if not isinstance(adapter, Adapter):
        raise AdapterLoadError(
            f"adapter '{spec}': {attr} gave {type(adapter).__name__}, not"
            " adapters.contract.Adapter(manifest=..., client=...)"
        )
    validate_manifest(adapter.manifest, spec)
    check_client(spec, adapter)
    return adapter


def check_client(spec: str, adapter: Adapter) -> None:
    """Every method of the vendor's client Protocol must exist, with the same sync/async kind."""
    client = adapter.client
    if not inspect.isclass(client):
        return  # a factory function: members can only be checked once a client exists
    problems = []
    for name, proto in required_methods(adapter.manifest.vendor).items():
        member = getattr(client, name, None)
        if member is None:
            problems.append(f"missing method {name}()")
        elif inspect.iscoroutinefunction(proto) and not inspect.iscoroutinefunction(member):
            problems.append(f"{name}() must be `async def`")
    if problems:
        raise AdapterLoadError(
            f"adapter '{spec}': client {client.__name__} does not implement the"
            f" {adapter.manifest.vendor} contract: {'; '.join(problems)};"
            f" see adapters/{adapter.manifest.vendor}/contract.py"
        )
