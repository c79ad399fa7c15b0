"""``reconnection-conformance``: run the suite from any repository.

    reconnection-conformance run --adapter mysdk.adapter:adapter [pytest options]
    reconnection-conformance allure RESULTS_DIR [-o REPORT_DIR]
    reconnection-conformance profiles

``run`` is pytest on the installed suite with the suite's own configuration: the caller's ini
file, ``testpaths``, ``addopts``, ``pythonpath`` and rootdir are not read, so what a vendor's
repository configures for its own tests cannot change a verdict. Relative paths
(``--alluredir``, ``--junitxml``, ``--results-json``, ``--expectations``) are the caller's, and the
working directory is on the import path (as with ``python -m``), so an adapter of the
repository is found. pytest's cache (``--lf``, ``--ff``, ``--sw``) lives in the working directory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from reconnection_conformance import IMPORT_ROOT, PACKAGE_DIR

#: The suite's pytest configuration, shipped with it.
INI = PACKAGE_DIR / "pytest.ini"
#: The Allure 3 generator the suite's report is made with (as pinned in the checkout's package-lock.json).
ALLURE = "allure@3.18.0"
ALLURE_CONFIG = PACKAGE_DIR / "reports" / "allurerc.mjs"

USAGE = __doc__.split("\n\n")[1]


def pytest_arguments(user: list[str], cwd: Path) -> list[str]:
    """The pytest command line that runs the installed suite with its own configuration. The
    whole suite unless the caller names part of it (``reconnection_conformance.features.test_features::test_x[adapter]``)."""
    named = any(arg.startswith("reconnection_conformance") for arg in user)
    return [
        "-c", str(INI),
        f"--rootdir={IMPORT_ROOT}",  # node ids read reconnection_conformance/features/..., as in a checkout
        "-o", f"cache_dir={cwd / '.pytest_cache'}",
        "--pyargs",
        *([] if named else ["reconnection_conformance"]),
        *user,
    ]


def run(user: list[str]) -> int:
    import pytest

    cwd = Path.cwd()
    if str(cwd) not in sys.path:
        sys.path.insert(0, str(cwd))  # the repository's own adapter, as `python -m pytest` finds it
    return int(pytest.main(pytest_arguments(user, cwd)))


def allure(results: str, output: str) -> int:
    """The Allure HTML report of a run's results, with the suite's categories and layout."""
    npx = shutil.which("npx")
    if npx is None:
        print("reconnection-conformance allure: needs Node.js with npx (Allure 3 is an npm package)", file=sys.stderr)
        return 2
    env = {**os.environ}
    env.setdefault("ALLURE_HISTORY_PATH", str(Path(output).absolute().parent / "allure-history.jsonl"))
    command = [npx, "--yes", ALLURE, "generate", results, "--config", str(ALLURE_CONFIG), "-o", output]
    return subprocess.run(command, env=env, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "run":
        return run(rest)
    if command == "allure":
        parser = argparse.ArgumentParser(prog="reconnection-conformance allure")
        parser.add_argument("results", help="the --alluredir of a run")
        parser.add_argument("-o", "--output", default="allure-report", help="where the HTML report goes")
        options = parser.parse_args(rest)
        return allure(options.results, options.output)
    if command == "profiles":
        from reconnection_conformance.fixtures.profiles import describe

        print("\n".join(describe()))
        return 0
    print(f"reconnection-conformance: unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
