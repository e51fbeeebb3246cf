"""Promise: a tool the tests need from outside Python (Chromium, Java, Node.js) is found, or
`make test` stops at once with one line per missing tool saying how to install it."""

import subprocess
import sys

import prerequisites
from conftest import ROOT


def test_everything_the_suite_needs_is_here():
    assert prerequisites.missing() == []


def test_missing_tools_stop_the_run_with_how_to_install_them():
    # No java or node on PATH, and a CHROMIUM_PATH that is not a browser.
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "prerequisites.py")],
                            capture_output=True, text=True, env={"PATH": "/nonexistent", "CHROMIUM_PATH": "/nope"})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any("Java not found" in line and "apt-get install" in line for line in lines), lines
    assert any("Node.js not found" in line for line in lines), lines


def test_a_missing_chromium_is_reported(monkeypatch):
    monkeypatch.setattr(prerequisites, "find_chromium", lambda: None)
    assert any("apt-get install -y chromium" in line for line in prerequisites.missing())
