"""Promise to maintainers: the Python code passes ruff, with the rules set in pyproject.toml."""

import subprocess
import sys

from conftest import ROOT


def ruff(*paths):
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise",
                           "--config", str(ROOT / "pyproject.toml"), *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True)


def test_code_passes_ruff():
    result = ruff(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
