"""Turns ``package.module:factory`` into a checked :class:`Adapter`, or one clear error."""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from typing import Any

from reconnection_conformance.adapters.contract import Adapter, Vendor
from reconnection_conformance.adapters.manifest_rules import validate_manifest
from reconnection_conformance.fixtures.verdicts import AdapterLoadError

#: Vendor profiles that ship a reference client and mutants in this package.
BUILTIN_VENDORS: tuple[Vendor, ...] = (Vendor.RONGCLOUD, Vendor.ZIM, Vendor.EXPRESS)


def builtin_specs(kind: str) -> list[str]:
    """``reference``: the reference adapter of each vendor; ``mutants``: each vendor's MUTANTS."""
    if kind == "reference":
        return [f"reconnection_conformance.adapters.{vendor}.reference:adapter" for vendor in BUILTIN_VENDORS]
    return [f"reconnection_conformance.adapters.{vendor}.mutants:MUTANTS" for vendor in BUILTIN_VENDORS]


def required_methods(vendor: Vendor) -> dict[str, Any]:
    """The vendor's client Protocol: method name -> the Protocol's function."""
    module = importlib.import_module(f"reconnection_conformance.adapters.{vendor}.contract")
    protocol = module.Client
    return {
        name: member
        for name, member in vars(protocol).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }


def load_adapter(spec: str) -> Adapter:
    target = _target(spec)
    if isinstance(target, list | tuple):
        raise AdapterLoadError(f"adapter '{spec}' names a list of adapters; name one of them")
    return target


def _entries(spec: str) -> list[tuple[Adapter, dict[str, str] | None]]:
    """The adapter(s) a spec names: one, or each of a list (a module's MUTANTS)."""
    target = _target(spec)
    if not isinstance(target, list | tuple):
        return [(target, None)]
    found = []
    for item in target:
        adapter = getattr(item, "adapter", item)
        if not isinstance(adapter, Adapter):
            raise AdapterLoadError(f"adapter '{spec}': an entry of the list is {type(item).__name__}, not an Adapter")
        validate_manifest(adapter.manifest, f"{spec}[{getattr(item, 'name', adapter.manifest.name)}]")
        check_client(spec, adapter)
        meta = {"name": item.name, "breaks": item.breaks, "what": item.what} if adapter is not item else None
        found.append((adapter, meta))
    return found


def describe(spec: str, select: str | None, adapter: Adapter, mutant: dict[str, str] | None) -> dict[str, Any]:
    """What the judge learns about an adapter it will never import (see fixtures/client_host.py)."""
    m = adapter.manifest
    manifest = {
        "vendor": str(m.vendor), "name": m.name, "version": m.version, "sdk_version": m.sdk_version,
        "platforms": sorted(m.platforms), "capabilities": sorted(m.capabilities),
    }
    runtime = f"{sys.implementation.name} {sys.version.split()[0]}"
    return {"spec": spec, "select": select, "manifest": manifest, "language": "python", "mutant": mutant, "runtime": runtime}


def describe_all(spec: str) -> dict[str, Any]:
    """For the probe: every adapter a spec names, or the error that stops the run."""
    try:
        entries = _entries(spec)
    except AdapterLoadError as error:
        return {"spec": spec, "error": str(error)}
    listed = len(entries) > 1 or entries[0][1] is not None
    return {
        "spec": spec,
        "adapters": [describe(spec, a.manifest.name if listed else None, a, meta) for a, meta in entries],
    }


def load_selected(spec: str, select: str | None) -> tuple[Adapter, dict[str, Any]]:
    """In a host: the one adapter the judge asked for."""
    for adapter, meta in _entries(spec):
        if select is None or adapter.manifest.name == select:
            return adapter, describe(spec, select, adapter, meta)
    raise AdapterLoadError(f"adapter '{spec}' has no entry named {select!r}")


def _target(spec: str) -> Any:
    module_name, sep, attr = spec.partition(":")
    fix = "give --adapter (or CONFORMANCE_ADAPTER) as package.module:factory"
    if not sep or not module_name or not attr:
        raise AdapterLoadError(f"adapter '{spec}' is not of the form package.module:factory; {fix}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if closed := _closed_import_paths():
            user = "user nobody, as --isolation=full runs it" if os.geteuid() == 65534 else f"uid {os.geteuid()}"
            raise AdapterLoadError(
                f"adapter '{spec}': module '{error.name}' not found, and this client host ({user})"
                f" cannot read {', '.join(closed)} on its import path;"
                " make them readable by others (o+x on every directory on the way, o+rx on the directory),"
                " or pass --isolation=root-without-capabilities"
            ) from None
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
    if isinstance(factory, list | tuple):
        return factory
    try:
        adapter = factory() if callable(factory) and not isinstance(factory, Adapter) else factory
    except Exception as error:
        raise AdapterLoadError(
            f"adapter '{spec}': calling {attr}() raised {type(error).__name__}: {error}"
        ) from None
    if not isinstance(adapter, Adapter):
        raise AdapterLoadError(
            f"adapter '{spec}': {attr} gave {type(adapter).__name__}, not"
            " reconnection_conformance.adapters.contract.Adapter(manifest=..., client=...)"
        )
    validate_manifest(adapter.manifest, spec)
    check_client(spec, adapter)
    return adapter


def _closed_import_paths() -> list[str]:
    """The entries of ``sys.path`` this process may not read: why a module that is there is
    "not found" when the host runs as a user without access to it."""
    closed = []
    for entry in sys.path:
        if not entry or not os.path.isabs(entry):
            continue
        try:
            os.stat(entry)
        except PermissionError:
            closed.append(entry)
            continue
        except OSError:
            continue  # not there at all: not a permission
        if os.path.isdir(entry) and not os.access(entry, os.R_OK | os.X_OK):
            closed.append(entry)
    return closed


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
