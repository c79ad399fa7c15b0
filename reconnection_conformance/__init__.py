"""reconnection conformance: a protocol conformance suite for client SDKs' reconnection behaviour.

The distribution's one import package (PYTEST_DONT_REWRITE: the console command imports it before
pytest starts). Its subpackages are the repository's top-level folders
(``features``, ``steps``, ``fixtures``, ``adapters``, ``reports``): in a checkout they are reached
through this directory's links to them, in a wheel they are installed inside it. Nothing of the
suite is importable under a generic top-level name, so an SDK repository with its own
``fixtures/`` or ``steps/`` can depend on the suite.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.2.0"

#: This package's directory (in a checkout, the directory of the links; never resolved, so
#: paths under it keep the ``reconnection_conformance/...`` form in node ids and messages).
PACKAGE_DIR = Path(__file__).absolute().parent

#: The directory ``import reconnection_conformance`` finds the package in: what a child process
#: (a client host, the probe) needs on its import path.
IMPORT_ROOT = PACKAGE_DIR.parent
