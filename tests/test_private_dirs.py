"""Any checkout, any user: the suite and its adapters work from directories user nobody cannot
read (a clone in /root, pytest's 0700 tmp dirs, an adapter in ``mktemp -d``), and the run says
which isolation it then gave the client hosts and why (fixtures/isolation.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from reconnection_conformance.fixtures import isolation
from reconnection_conformance.fixtures.client_host import host_needs
from reconnection_conformance.fixtures.isolation import Choice, Isolation, Need
from tests.conftest import ROOT

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="only root can run a client host as nobody (the full level)")

#: A user's adapter: the RongCloud reference under a name of its own.
ADAPTER = '''
from dataclasses import replace

from reconnection_conformance.adapters.contract import Adapter
from reconnection_conformance.adapters.rongcloud.reference import adapter as _reference

adapter = Adapter(manifest=replace(_reference.manifest, name="rongcloud-private"), client=_reference.client)
'''


def private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def run_pytest(cwd: Path, pythonpath: list[Path], *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, pythonpath))}
    env.pop("CONFORMANCE_ADAPTER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


def header(output: str) -> str:
    return next((line for line in output.splitlines() if line.startswith("conformance: client hosts isolated:")), "(no header)")


# --- the chooser -------------------------------------------------------------------------------------


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A machine that grants ``full`` and whose nobody cannot read what ``blocked`` lists."""
    state: dict[str, object] = {"strongest": Isolation.FULL, "blocked": []}
    monkeypatch.setattr(isolation, "strongest", lambda: state["strongest"])
    monkeypatch.setattr(isolation, "_works", lambda level: True)
    monkeypatch.setattr(isolation, "unreadable_by_nobody", lambda needs: [n for n in needs if n in state["blocked"]])
    return state


ADAPTER_DIR = Need(Path("/root/sdk"), "an entry of the hosts' PYTHONPATH")
SUITE = Need(Path("/srv/suite/reconnection_conformance/adapters/host"), "the suite's package")


def test_full_where_nobody_can_read_everything(machine: dict[str, object]) -> None:
    assert isolation.choose("auto", [ADAPTER_DIR, SUITE]) == Choice(Isolation.FULL)


def test_auto_falls_back_to_root_without_capabilities_and_says_why(machine: dict[str, object]) -> None:
    machine["blocked"] = [ADAPTER_DIR]
    choice = isolation.choose("auto", [ADAPTER_DIR, SUITE])
    assert choice.level is Isolation.ROOT_WITHOUT_CAPABILITIES
    assert "user nobody cannot read /root/sdk (an entry of the hosts' PYTHONPATH)" in choice.reason
    assert "root without capabilities inside the namespaces" in choice.reason and "readable by others" in choice.reason
    assert choice.describe().startswith("root-without-capabilities, not full: user nobody cannot read /root/sdk")


def test_a_machine_without_full_is_not_told_about_readability(machine: dict[str, object]) -> None:
    machine["strongest"], machine["blocked"] = Isolation.USER_NAMESPACE, [ADAPTER_DIR]
    assert isolation.choose("auto", [ADAPTER_DIR]) == Choice(Isolation.USER_NAMESPACE)


def test_full_asked_for_by_name_stops_the_run_with_the_path_and_the_fix(machine: dict[str, object]) -> None:
    machine["blocked"] = [SUITE]
    with pytest.raises(RuntimeError, match=r"user nobody cannot read /srv/suite/.*the suite's package.*--isolation=root-without-capabilities"):
        isolation.choose("full", [SUITE])
    assert isolation.choose("namespaces", [SUITE]) == Choice(Isolation.NAMESPACES)


def test_the_host_needs_the_suite_the_interpreter_the_path_and_the_adapters() -> None:
    needs: dict[Path, str] = {}
    for need in host_needs(["tests.sample_adapters:retry_every_3s", "node:adapters/rongcloud/reference.mjs"]):
        needs.setdefault(need.path, need.what)  # a path is named by its first role, as the check does
    assert needs[Path(os.path.realpath(sys.executable))] == "the Python interpreter"
    assert needs[Path.cwd()] == "the working directory"
    assert any(str(p).endswith("reconnection_conformance/adapters/host") for p in needs)
    assert needs[Path("adapters/rongcloud/reference.mjs").absolute()] == "the adapter node:adapters/rongcloud/reference.mjs"
    assert needs[ROOT / "tests"] == "adapter tests.sample_adapters:retry_every_3s"  # its package, found without importing it


# --- the kernel's answer ---------------------------------------------------------------------------


@as_root
def test_nobody_reads_what_is_open_and_not_what_is_closed() -> None:
    with tempfile.TemporaryDirectory() as place:  # in /tmp, open to all; pytest's tmp dirs are 0700
        top = Path(place)
        top.chmod(0o755)
        (top / "open.py").write_text("")
        closed = private_dir(top / "closed")
        (closed / "module.py").write_text("")
        (top / "link").symlink_to(closed)
        needs = [Need(p, "test") for p in (top, top / "open.py", closed, closed / "module.py", top / "link", top / "absent")]
        blocked = [n.path for n in isolation.unreadable_by_nobody(needs)]
        assert blocked == [closed, closed / "module.py", top / "link"]  # the link: the kernel follows it
        assert isolation.blocked_at(closed / "module.py") == f"{closed} (drwx------)"
        assert isolation.blocked_at(top / "link") == f"{closed} (drwx------)"


@as_root
def test_the_host_as_nobody_says_it_cannot_read_the_adapters_directory(tmp_path: Path) -> None:
    """What the host says where the judge's check could not see (a host started as nobody by
    hand): not "check the spelling", but the path it cannot read and the two fixes."""
    if not isolation._works(Isolation.FULL):
        pytest.skip("this machine does not grant the full level")
    home = private_dir(tmp_path / "sdk")
    (home / "private_adapter.py").write_text(ADAPTER)
    command = [*isolation.prefix(Isolation.FULL), sys.executable, "-m", "reconnection_conformance.adapters.host.python_host",
               "--probe", "private_adapter:adapter"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(home)])}
    out = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=60).stdout
    assert f"cannot read {home} on its import path" in out, out
    assert "user nobody" in out and "--isolation=root-without-capabilities" in out, out


# --- whole runs --------------------------------------------------------------------------------------


@as_root
def test_an_adapter_in_a_private_directory_is_judged_and_the_run_says_how(tmp_path: Path) -> None:
    home = private_dir(tmp_path / "sdk")
    (home / "private_adapter.py").write_text(ADAPTER)
    allure = tmp_path / "allure"
    run = run_pytest(ROOT, [ROOT, home], "-m", "rc-interval", "--adapter", "private_adapter:adapter", f"--alluredir={allure}", "-n", "2")
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "1 conformant" in output, output[-3000:]
    line = header(output)
    assert line.startswith("conformance: client hosts isolated: root-without-capabilities, not full: user nobody cannot read"), line
    assert f"{home} (an entry of the hosts' PYTHONPATH)" in line, line
    environment = (allure / "environment.properties").read_text()
    assert "isolation=root-without-capabilities\n" in environment
    assert "isolation.reason=user nobody cannot read" in environment and str(home) in environment


@as_root
def test_full_by_name_refuses_a_private_adapter_before_any_scenario(tmp_path: Path) -> None:
    if not isolation._works(Isolation.FULL):
        pytest.skip("this machine does not grant the full level")
    home = private_dir(tmp_path / "sdk")
    (home / "private_adapter.py").write_text(ADAPTER)
    run = run_pytest(ROOT, [ROOT, home], "-m", "rc-interval", "--adapter", "private_adapter:adapter", "--isolation=full")
    output = run.stdout + run.stderr
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, output[-3000:]
    assert f"{home} (an entry of the hosts' PYTHONPATH)" in output, output[-3000:]
    assert f"{isolation.blocked_at(home)} is closed to others" in output, output[-3000:]
    assert "or pass --isolation=root-without-capabilities" in output


@as_root
def test_the_suite_itself_in_a_private_directory(tmp_path: Path) -> None:
    """A clone nobody cannot read (a CI job cloning into /root): the checkout's files copied,
    links kept, into a 0700 directory and run from there."""
    checkout = private_dir(tmp_path / "home") / "suite"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, checkout / name
        if not source.is_symlink() and not source.is_file():
            continue  # deleted in the work tree, not yet in the index
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    run = run_pytest(checkout, [checkout], "-m", "rc-interval", "--adapter", "reference")
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-3000:]
    assert "1 conformant" in output, output[-3000:]
    line = header(output)
    assert line.startswith("conformance: client hosts isolated: root-without-capabilities, not full"), line
    assert f"{checkout / 'reconnection_conformance' / 'adapters' / 'host'} (the suite's package)" in line, line
    assert f"{isolation.blocked_at(checkout)} is closed to others" in line, line


@as_root
def test_root_without_capabilities_reads_root_s_files_and_nothing_more() -> None:
    """The fallback keeps what makes ``full`` a wall: no capability (so no remount), read-only
    filesystems, no network; it only keeps root's ownership of root's own files."""
    if not isolation._works(Isolation.ROOT_WITHOUT_CAPABILITIES):
        pytest.skip("this machine does not grant the namespaces")
    probe = ("id -u; grep CapEff /proc/self/status; mount -o remount,rw / 2>/dev/null && echo remounted;"
             f" touch {ROOT}/.isolation-probe 2>/dev/null && echo wrote; test -r {Path(sys.executable).resolve()} && echo reads")
    done = subprocess.run([*isolation.prefix(Isolation.ROOT_WITHOUT_CAPABILITIES), "sh", "-c", probe],
                          capture_output=True, text=True, timeout=60)
    lines = done.stdout.split("\n")
    assert lines[0] == "0" and lines[1].split() == ["CapEff:", "0000000000000000"], done.stdout
    assert "remounted" not in lines and "wrote" not in lines and "reads" in lines, done.stdout
    assert not (ROOT / ".isolation-probe").exists()
