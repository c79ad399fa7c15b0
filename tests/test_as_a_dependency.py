"""Plays an SDK team that adopts the suite as a dev dependency, from a repository of its own.

The suite's wheel is built from this checkout and installed, without the dev extras, into a
fresh virtualenv beside a throw-away SDK repository that has its own ``fixtures/``, ``steps/``,
``reports/``, ``conftest.py``, ``testpaths`` and ``pythonpath``, all in a private temporary
directory (0700, as a CI job's checkout under ``/root``). That repository's own tests must run
unchanged, and the suite must judge the repository's adapter through both documented routes
(``reconnection-conformance run`` and ``pytest --pyargs reconnection_conformance``) with Allure,
JUnit and the results JSON, ``--lf``, and ``-n 2`` once the repository adds pytest-xdist.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT

#: The throw-away SDK repository: its own packages share the suite's folder names.
SDK_FILES = {
    "pyproject.toml": """
        [project]
        name = "acme-im"
        version = "1.0.0"

        [tool.pytest.ini_options]
        testpaths = ["tests"]
        pythonpath = ["."]
        addopts = ["--strict-markers", "-ra"]
        python_files = ["check_*.py"]
        markers = ["network: tests of the SDK's own network layer"]
        bdd_features_base_dir = "tests/features"
        """,
    "conftest.py": """
        import pytest

        from fixtures.network import FakeNetwork


        @pytest.fixture
        def network():
            return FakeNetwork()
        """,
    "acme_im/__init__.py": "",
    "acme_im/conformance.py": """
        '''The SDK's adapter for the conformance suite (here: the suite's RongCloud reference,
        with the retry interval read from the SDK's own steps.helpers, which the suite must not
        shadow).'''
        from dataclasses import replace

        from reconnection_conformance.adapters.contract import Adapter
        from reconnection_conformance.adapters.rongcloud.reference import ReferenceClient, adapter as reference
        from steps.helpers import RETRY_SECONDS


        class AcmeClient(ReferenceClient):
            reconnect_interval = RETRY_SECONDS


        class HastyClient(ReferenceClient):
            reconnect_interval = 3.0


        adapter = Adapter(manifest=replace(reference.manifest, name="acme-im", version="1.0.0"), client=AcmeClient)
        hasty = Adapter(manifest=replace(reference.manifest, name="acme-im-hasty", version="1.0.0"), client=HastyClient)
        """,
    "fixtures/__init__.py": "",
    "fixtures/network.py": """
        class FakeNetwork:
            up = True
        """,
    "fixtures/plugin.py": "raise ImportError('the SDK has a fixtures.plugin of its own; the suite must not import it')\n",
    "steps/__init__.py": "",
    "steps/helpers.py": "RETRY_SECONDS = 5.0\n",
    "reports/README.md": "the SDK's own reports\n",
    "tests/__init__.py": "",
    "tests/check_sdk.py": """
        import pytest

        from steps.helpers import RETRY_SECONDS


        @pytest.mark.network
        def test_the_sdk_network(network):
            assert network.up and RETRY_SECONDS == 5.0
        """,
}


def _sh(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _tracked_copy(destination: Path) -> Path:
    """The checkout's files as git knows them (tracked or new, never ignored build output)."""
    listed = _sh(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    assert listed.returncode == 0, listed.stderr
    for name in filter(None, listed.stdout.split("\0")):
        source, target = ROOT / name, destination / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    return destination


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tracked_copy(tmp_path_factory.mktemp("source"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = _sh([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)], source)
    assert built.returncode == 0, built.stdout + built.stderr
    [found] = out.glob("reconnection_conformance-*.whl")
    return found


def _sdk_sources(repo: Path) -> Path:
    for name, text in SDK_FILES.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return repo


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """The SDK repository with a fresh virtualenv (.venv) holding the suite's wheel, no extras."""
    repo = _sdk_sources(tmp_path_factory.mktemp("acme-im"))
    created = _sh([sys.executable, "-m", "venv", str(repo / ".venv")], repo)
    assert created.returncode == 0, created.stderr
    installed = _sh([str(repo / ".venv/bin/python"), "-m", "pip", "install", "--quiet", str(wheel)], repo)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    os.chmod(repo.parent, 0o700)
    return repo


def _env(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CONFORMANCE_ADAPTER", "VIRTUAL_ENV")}
    env["PATH"] = f"{repo / '.venv/bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _in_sdk(repo: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return _sh([str(repo / ".venv/bin" / command[0]), *command[1:]], repo, _env(repo))


def test_the_wheel_holds_the_suite_under_one_namespace(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/", 1)[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"reconnection_conformance"}, sorted(top)
    for needed in (
        "reconnection_conformance/features/requirements.toml",
        "reconnection_conformance/features/rongcloud/reconnection.feature",
        "reconnection_conformance/features/zim/room_reconnection.feature",
        "reconnection_conformance/features/express/room_states.feature",
        "reconnection_conformance/features/generated/schedules.feature",
        "reconnection_conformance/features/test_features.py",
        "reconnection_conformance/adapters/host/node_host.mjs",
        "reconnection_conformance/adapters/rongcloud/reference.mjs",
        "reconnection_conformance/reports/allurerc.mjs",
        "reconnection_conformance/pytest.ini",
    ):
        assert needed in names, needed
    assert not [n for n in names if "/allure-results/" in n or "/mutants/" in n or n.endswith(".pyc")]
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    listed = [Requirement(line.split(":", 1)[1].strip()) for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    requires = {r.name: r for r in listed if r.marker is None}  # what installing the wheel installs (no extras)
    assert "pytest-xdist" not in requires and "hypothesis" in requires  # xdist optional; the schedules are the suite's
    assert requires["httpx"].specifier.contains("1.0.0", prereleases=True)  # an SDK's newer httpx is never downgraded


def test_the_sdist_carries_the_same_suite(tmp_path: Path, source: Path, wheel: Path) -> None:
    """A wheel built from the sdist (as pip does from an index that has only the sdist) holds
    exactly the files of the wheel built from the checkout."""
    made = _sh([sys.executable, "-c", f"from setuptools import build_meta; build_meta.build_sdist({str(tmp_path)!r})"], source)
    assert made.returncode == 0, made.stderr[-3000:]
    [sdist] = tmp_path.glob("*.tar.gz")
    rebuilt = _sh([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path / "w"), str(sdist)], tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    [again] = (tmp_path / "w").glob("*.whl")
    files = lambda whl: sorted(n for n in zipfile.ZipFile(whl).namelist() if ".dist-info/" not in n)  # noqa: E731
    assert files(again) == files(wheel)


def test_the_sdk_s_own_tests_are_unchanged(sdk: Path) -> None:
    own = _in_sdk(sdk, "pytest")
    assert own.returncode == 0 and "1 passed" in own.stdout, own.stdout + own.stderr
    assert "conformance:" not in own.stdout and "conformance verdicts" not in own.stdout  # inert: no header, no summary
    helped = _in_sdk(sdk, "pytest", "--help")
    assert helped.returncode == 0 and "--adapter" in helped.stdout, helped.stderr


def _results(path: Path) -> dict[str, str]:
    return {r["scenario"]: r["verdict"] for r in json.loads(path.read_text())}


def test_the_console_command_judges_the_sdk_with_every_output(sdk: Path) -> None:
    run = _in_sdk(
        sdk, "reconnection-conformance", "run", "--adapter", "acme_im.conformance:adapter", "-m", "rongcloud",
        "--alluredir", "reports/allure", "--junitxml=reports/junit.xml", "--results-json=reports/results.json",
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    verdicts = _results(sdk / "reports/results.json")
    assert len(verdicts) >= 20 and set(verdicts.values()) <= {"conformant", "not applicable"}, verdicts
    assert "conformant" in verdicts.values()
    junit = ElementTree.parse(sdk / "reports/junit.xml").getroot().find("testsuite")
    assert junit is not None and junit.get("failures") == "0" and junit.get("errors") == "0"
    written = [p.name for p in (sdk / "reports/allure").iterdir()]
    assert "environment.properties" in written and any(n.endswith("-result.json") for n in written)
    assert (sdk / "reports/README.md").read_text() == "the SDK's own reports\n"


def test_pyargs_from_the_sdk_s_own_configuration(sdk: Path) -> None:
    run = _in_sdk(sdk, "pytest", "--pyargs", "reconnection_conformance", "--adapter", "acme_im.conformance:adapter",
                  "-m", "rc-interval or rc-heartbeat", "--alluredir", "reports/allure-pyargs", "--results-json=reports/pyargs.json")
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    assert f"rootdir: {sdk}" in output and "configfile: pyproject.toml" in output  # the SDK's own ini, kept
    assert set(_results(sdk / "reports/pyargs.json").values()) == {"conformant"}
    assert any(p.name.endswith("-result.json") for p in (sdk / "reports/allure-pyargs").iterdir())


def test_an_adapter_that_judges_no_scenario_is_a_usage_error(sdk: Path) -> None:
    run = _in_sdk(sdk, "pytest", "--adapter", "acme_im.conformance:adapter")
    output = run.stdout + run.stderr
    assert run.returncode == 4, output[-3000:]
    assert "judged no scenario" in output and "--pyargs reconnection_conformance" in output, output[-3000:]


def test_a_node_id_for_an_adapter_not_named_says_so(sdk: Path) -> None:
    node = "reconnection_conformance.features.test_features::test_the_connection_comes_back_after_an_outage_with_no_call_from_the_app[acme-im]"
    unnamed = _in_sdk(sdk, "reconnection-conformance", "run", node)
    assert unnamed.returncode == 4 and "is for an adapter this run does not judge" in unnamed.stderr, unnamed.stderr[-2000:]
    named = _in_sdk(sdk, "reconnection-conformance", "run", node, "--adapter", "acme_im.conformance:adapter", "--results-json=reports/one.json")
    assert named.returncode == 0, (named.stdout + named.stderr)[-3000:]
    assert list(_results(sdk / "reports/one.json").values()) == ["conformant"]


def test_the_profiles_are_listed_where_the_help_points(sdk: Path) -> None:
    helped = _in_sdk(sdk, "reconnection-conformance", "run", "--help")
    assert "`reconnection-conformance profiles` lists" in " ".join(helped.stdout.split())
    listed = _in_sdk(sdk, "reconnection-conformance", "profiles")
    assert listed.returncode == 0 and "rongcloud.interval_from=failure  (start | failure)" in listed.stdout, listed.stdout


def test_the_allure_report_from_the_sdk_repository(sdk: Path) -> None:
    if shutil.which("npx") is None:
        pytest.skip("no npx on this machine (Allure 3 is an npm package)")
    results = sdk / "reports" / "allure-small"
    run = _in_sdk(sdk, "reconnection-conformance", "run", "--adapter", "acme_im.conformance:adapter", "-m", "rc-interval",
                  f"--alluredir={results.relative_to(sdk)}")
    assert run.returncode == 0, run.stdout[-2000:]
    made = _in_sdk(sdk, "reconnection-conformance", "allure", "reports/allure-small", "-o", "reports/allure-report")
    assert made.returncode == 0, (made.stdout + made.stderr)[-3000:]
    assert (sdk / "reports/allure-report/index.html").is_file()


def test_a_javascript_adapter_with_the_fake_timers_of_the_sdk_repository(sdk: Path) -> None:
    """The Node host ships in the wheel; its one npm dependency comes from the calling
    repository's node_modules, and without it the run says what to install."""
    if shutil.which("node") is None or not (ROOT / "node_modules/@sinonjs/fake-timers").is_dir():
        pytest.skip("needs Node and the checkout's node_modules (make setup)")
    [installed] = (sdk / ".venv/lib").glob("python*/site-packages/reconnection_conformance/adapters/rongcloud/reference.mjs")
    args = ["reconnection-conformance", "run", "--adapter", f"node:{installed}", "-m", "rc-interval", "--results-json=reports/js.json"]
    missing = _in_sdk(sdk, *args)
    assert missing.returncode == 4 and "npm install --save-dev @sinonjs/fake-timers@15.5.0" in missing.stderr, missing.stderr[-2000:]
    modules = sdk / "node_modules" / "@sinonjs"
    modules.mkdir(parents=True, exist_ok=True)
    for package in (ROOT / "node_modules/@sinonjs").iterdir():  # as `npm install` would lay them out
        shutil.copytree(package, modules / package.name, dirs_exist_ok=True)
    if (ROOT / "node_modules/type-detect").is_dir():  # @sinonjs/commons' own dependency
        shutil.copytree(ROOT / "node_modules/type-detect", sdk / "node_modules/type-detect", dirs_exist_ok=True)
    run = _in_sdk(sdk, *args)
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert list(_results(sdk / "reports/js.json").values()) == ["conformant"]


def test_last_failed_reruns_only_the_failures(sdk: Path) -> None:
    args = ["reconnection-conformance", "run", "--adapter", "acme_im.conformance:hasty", "-m", "rc-interval or rc-heartbeat"]
    first = _in_sdk(sdk, *args, "--results-json=reports/hasty.json")
    assert first.returncode == 1, first.stdout[-3000:]
    failed = [s for s, v in _results(sdk / "reports/hasty.json").items() if v == "non-conformant"]
    assert failed and len(failed) < len(_results(sdk / "reports/hasty.json"))
    again = _in_sdk(sdk, *args, "--lf", "--results-json=reports/hasty-lf.json")
    assert again.returncode == 1, again.stdout[-3000:]
    assert sorted(_results(sdk / "reports/hasty-lf.json")) == sorted(failed)


def test_in_parallel_once_the_sdk_adds_xdist(sdk: Path) -> None:
    added = _in_sdk(sdk, "python", "-m", "pip", "install", "--quiet", "pytest-xdist")
    assert added.returncode == 0, added.stderr
    run = _in_sdk(sdk, "reconnection-conformance", "run", "--adapter", "acme_im.conformance:adapter", "-m", "zim or rc-interval",
                  "-n", "2", "--results-json=reports/parallel.json")
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    verdicts = _results(sdk / "reports/parallel.json")
    assert "conformant" in verdicts.values() and set(verdicts.values()) <= {"conformant", "not applicable"}


def test_an_editable_install_keeps_the_sdk_s_packages_apart(tmp_path: Path, source: Path) -> None:
    """An editable install of the suite (a vendor hacking on both) maps one name only: the SDK's
    own ``fixtures`` and ``steps`` are still the SDK's, in its tests and in its adapter."""
    repo = _sdk_sources(tmp_path / "acme-im")
    venv = repo / ".venv"
    assert _sh([sys.executable, "-m", "venv", str(venv)], repo).returncode == 0
    installed = _sh([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "-e", str(source)], repo)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    own = _in_sdk(repo, "pytest")
    assert own.returncode == 0 and "1 passed" in own.stdout, own.stdout + own.stderr
    mine = _in_sdk(repo, "python", "-c", "import fixtures.network, steps.helpers, reconnection_conformance.fixtures.network as suite;"
                   " print(fixtures.network.__file__, steps.helpers.__file__, suite.__file__)")
    own_network, own_helpers, suite_network = mine.stdout.split()
    assert own_network.startswith(str(repo)) and own_helpers.startswith(str(repo)) and suite_network.startswith(str(source))
    run = _in_sdk(repo, "reconnection-conformance", "run", "--adapter", "acme_im.conformance:adapter", "-m", "rc-interval",
                  "--results-json=results.json")
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]
    assert set(_results(repo / "results.json").values()) == {"conformant"}


def test_the_example_workflow_pins_the_suite() -> None:
    """A vendor's gate changes only when the vendor moves the pin: the workflow installs the
    suite as a dependency of the SDK repository, never checks out its default branch."""
    workflow = (ROOT / "examples" / "github-actions" / "conformance.yml").read_text(encoding="utf-8")
    assert "reconnection-conformance @ git+" in workflow and "@<commit or tag>" in workflow
    assert "repository: your-org/reconnection-conformance" not in workflow
    assert "reconnection-conformance run" in workflow and "reconnection-conformance allure" in workflow


def test_the_lowest_allowed_dependencies_judge_like_the_newest(tmp_path: Path, wheel: Path) -> None:
    """pyproject's lower bounds are real: the wheel with the lowest allowed version of every
    dependency judges the reference clients of all three vendors conformant."""
    venv = tmp_path / "lowest"
    assert _sh([sys.executable, "-m", "venv", str(venv)], tmp_path).returncode == 0
    constraints = ROOT / "tests" / "lowest-requirements.txt"
    installed = _sh([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "-c", str(constraints), str(wheel)], tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    pinned = dict(line.split("==") for line in constraints.read_text().splitlines() if "==" in line and not line.startswith("#"))
    listed = _sh([str(venv / "bin/python"), "-m", "pip", "list", "--format=json"], tmp_path)
    versions = {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}
    assert {name: versions.get(name) for name in pinned} == pinned
    env = {**_env(tmp_path), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = _sh([str(venv / "bin/reconnection-conformance"), "run", "--results-json=results.json", "-q"], tmp_path, env)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    verdicts = _results(tmp_path / "results.json")
    assert len(verdicts) > 100 and set(verdicts.values()) == {"conformant", "not applicable"}


def test_a_plain_user_installs_and_runs_the_suite(wheel: Path) -> None:
    """The same route for a user without privileges (a developer's laptop, a rootless CI
    runner): the client hosts get what isolation an unprivileged user can have, and say which."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root (to become the plain user nobody) and setpriv")
    home = Path(tempfile.mkdtemp(prefix="plain-user-", dir="/var/tmp"))
    try:
        _sdk_sources(home / "acme-im")
        shutil.copy(wheel, home / wheel.name)
        subprocess.run(["chown", "-R", "65534:65534", str(home)], check=True)
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        env = {**_env(home / "acme-im"), "HOME": str(home)}
        repo = home / "acme-im"
        # An interpreter the plain user can run (this machine's own may live in root's home).
        for python in dict.fromkeys([sys._base_executable, "/usr/bin/python3"]):  # type: ignore[attr-defined]
            shutil.rmtree(repo / ".venv", ignore_errors=True)
            if _sh([*as_nobody, python, "-m", "venv", str(repo / ".venv")], repo, env).returncode == 0:
                break
        else:
            pytest.skip("no Python interpreter on this machine that the user nobody can run")
        done = _sh([*as_nobody, str(repo / ".venv/bin/python"), "-m", "pip", "install", "--quiet", str(home / wheel.name)], repo, env)
        assert done.returncode == 0, done.stdout + done.stderr
        run = _sh([*as_nobody, str(repo / ".venv/bin/reconnection-conformance"), "run", "--adapter", "acme_im.conformance:adapter",
                   "-m", "rc-interval or rc-heartbeat", "--results-json=results.json", "--junitxml=junit.xml"], repo, env)
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-4000:]
        assert "conformance: " in output and "isolat" in output  # the header says what isolation the hosts got
        assert set(_results(repo / "results.json").values()) == {"conformant"}
    finally:
        shutil.rmtree(home, ignore_errors=True)
