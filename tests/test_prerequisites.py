"""Promise: a newcomer gets going. A tool the tests need from outside Python (Chromium, Java,
Node.js) is found at a version that works, or `make test` stops at once with one line per
missing or old tool saying how to install it; the build's lock holds no test tool, and the
test lock extends it."""

import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib

import prerequisites
import pytest
from conftest import ROOT
from packaging.specifiers import SpecifierSet
from packaging.version import Version


@pytest.mark.browser
@pytest.mark.java
@pytest.mark.node
def test_everything_the_suite_needs_is_here():
    assert prerequisites.missing() == []


def test_missing_tools_stop_the_run_with_how_to_install_them():
    # No java or node on PATH, and a CHROMIUM_PATH that is not a browser.
    result = subprocess.run([sys.executable, str(ROOT / "checkers" / "prerequisites.py")],
                            capture_output=True, text=True, env={"PATH": "/nonexistent", "CHROMIUM_PATH": "/nope"})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any("Java not found" in line and "apt-get install" in line for line in lines), lines
    assert any("Node.js not found" in line for line in lines), lines


def test_make_test_stops_on_a_missing_tool_before_it_installs_anything(tmp_path):
    # A checkout with no .venv or node_modules yet, on a machine whose PATH has Python but no
    # Java or Node.js.
    shutil.copy(ROOT / "Makefile", tmp_path)
    shutil.copytree(ROOT / "checkers", tmp_path / "checkers")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(sys.executable)
    result = subprocess.run(["make", "--no-print-directory", "test"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": str(tools), "CHROMIUM_PATH": "/nope"}, executable=shutil.which("make"))
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [line.split(":")[1] for line in errors if "Chromium" not in line] == [" Java not found",
                                                                              " Node.js not found"]
    assert not (tmp_path / ".venv").exists() and not (tmp_path / "node_modules").exists()


def test_a_missing_chromium_is_reported(monkeypatch):
    monkeypatch.setattr(prerequisites, "find_chromium", lambda: None)
    assert any("apt-get install -y chromium" in line for line in prerequisites.missing())


def test_tools_that_are_too_old_stop_the_run_with_the_version_needed(tmp_path):
    (tmp_path / "node").write_text("#!/bin/sh\necho v18.19.0\n")
    (tmp_path / "java").write_text('#!/bin/sh\necho \'openjdk version "1.8.0_392"\' >&2\n')
    for tool in ("node", "java"):
        (tmp_path / tool).chmod(0o755)
    script = str(ROOT / "checkers" / "prerequisites.py")
    result = subprocess.run([sys.executable, script], capture_output=True, text=True,
                            env={"PATH": str(tmp_path), "CHROMIUM_PATH": "/nope"})
    lines = result.stderr.splitlines()
    assert result.returncode == 1
    assert any(line.startswith("error: node 18.19 is too old: 20 or newer is needed") for line in lines), lines
    assert any(line.startswith("error: java 8 is too old: 11 or newer is needed") for line in lines), lines


# The build's lock holds what a build needs; the tests' lock adds to it.

def pins(lock):
    return dict(re.findall(r"^([a-z0-9._-]+)==(\S+)", (ROOT / lock).read_text("utf-8"), re.M))


def test_the_build_lock_holds_no_test_tool_and_the_test_lock_extends_it():
    build, test = pins("requirements.lock"), pins("requirements-test.lock")
    assert "pelican" in build and not {"playwright", "pytest", "ruff", "textstat"} & build.keys()
    assert {name: test.get(name) for name in build} == build


def test_every_locked_package_installs_on_the_oldest_python_we_promise():
    """README and pyproject promise Python 3.11+: a pin that needs a newer one (soupsieve 3.0.2 and
    later need 3.11.5; Debian 12 has 3.11.2) stops `make html` on a newcomer's machine."""
    promised = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    oldest = Version(re.fullmatch(r">=\s*([0-9.]+)", promised)[1])
    too_new = []
    for name, version in sorted({**pins("requirements.lock"), **pins("requirements-test.lock")}.items()):
        installed = importlib.metadata.metadata(name)
        assert installed["Version"] == version, f"{name} {installed['Version']} is installed, the lock says {version}"
        if (needs := installed["Requires-Python"]) and oldest not in SpecifierSet(needs):
            too_new.append(f"{name}=={version} needs Python {needs}")
    assert too_new == [], f"pyproject promises Python {promised}"
