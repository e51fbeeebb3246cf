"""What the test suite needs from outside Python, found in one place.

`python tests/prerequisites.py` (run by `make test` first) stops with one line saying
how to install whatever is missing: a missing tool never turns into skipped tests.
"""

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_TOOLS = ROOT / "node_modules"
VNU_JAR = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_TOOLS / "axe-core" / "axe.min.js"
# How the tests start Chromium on a closed network (it otherwise keeps trying to phone home).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LINT_WORKFLOWS = [shutil.which("node") or "node", str(ROOT / "tests" / "lint_workflows.cjs")]


def find_chromium():
    """$CHROMIUM_PATH, else Debian's /usr/bin/chromium, else a browser Playwright downloaded itself."""
    for path in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if path and os.access(path, os.X_OK):
            return path
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # no Playwright driver either: nothing found
        return None
    return path if os.access(path, os.X_OK) else None


def missing():
    """One line per missing prerequisite, saying how to install it."""
    problems = []
    if not find_chromium():
        problems.append("Chromium not found: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH)")
    if not shutil.which("java"):
        problems.append("Java not found: run `sudo apt-get install -y default-jre-headless` (Java 11 or newer)")
    if not shutil.which("node"):
        problems.append("Node.js not found: install Node.js 20 or newer (`sudo apt-get install -y nodejs npm`)")
    if not VNU_JAR.is_file() or not AXE_SCRIPT.is_file():
        problems.append("checker tools not installed: run `make node_modules/.installed` (npm ci)")
    return problems


if __name__ == "__main__":
    problems = missing()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)
