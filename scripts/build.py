"""Build the site into a folder as one transaction: `python scripts/build.py SETTINGS OUTPUT [CONTENT]`.

The one way this project runs Pelican (the Makefile, the tests, the bench and packaging all
call `run_pelican`), and the one way it replaces a built site (`build`):

- a lock file beside OUTPUT lets one build at a time write it; a second build waits;
- Pelican writes into a private staging folder beside OUTPUT (same filesystem);
- a finished build takes OUTPUT's place in one atomic exchange (renameat2 RENAME_EXCHANGE;
  where the system has none, two renames, and the next build finishes an interrupted pair);
- a failed build, or one that could not delete the old site, leaves OUTPUT as it was.

Ours because Pelican writes straight into its output folder, so a failed or interrupted
build, or two at once, can leave a half-written site there.
"""

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Wide log lines, so a file name in an error message is never split across lines.
LOG_COLUMNS = "200"


def pelican_command(settings, output, content=None, extra=()):
    """The command line of a build: Pelican with warnings fatal, as every build here runs."""
    return [sys.executable, "-m", "pelican", str(content or ROOT / "content"), "--settings",
            str(ROOT / settings), "--output", str(output), "--fatal", "warnings", *extra]


def die_with_parent():
    """In the Pelican process: end when the process that started it ends (Linux's
    PR_SET_PDEATHSIG), so a killed build leaves no Pelican writing on into its staging folder."""
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if prctl is not None:
        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, signal.SIGKILL)


def run_pelican(settings, output, content=None, env=None, capture=False, extra=()):
    """Run a build (pelican_command); return the finished process."""
    return subprocess.run(pelican_command(settings, output, content, extra), cwd=ROOT, capture_output=capture,
                          text=True, env={**os.environ, "COLUMNS": LOG_COLUMNS, **(env or {})},
                          preexec_fn=die_with_parent)


@contextlib.contextmanager
def locked(target):
    """Hold the lock for `target` (a folder or file); wait while another process holds it."""
    lock_path = target.parent / f".{target.name}.lock"
    with open(lock_path, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {target.name}/ to finish...", file=sys.stderr)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def leftovers(output):
    """What an interrupted build may have left beside OUTPUT: the old site and staging folders."""
    return output.parent / f".{output.name}.old", sorted(output.parent.glob(f".{output.name}.stage-*"))


def recover(output):
    """Finish what an interrupted build left: put back a site moved aside, drop staging folders."""
    old, stages = leftovers(output)
    if old.exists() and not output.exists():
        os.rename(old, output)
    for folder in [old, *stages]:
        shutil.rmtree(folder, ignore_errors=True)


def not_writable(output):
    """The first folder that keeps the old site from being replaced and deleted, or None."""
    if not os.access(output.parent, os.W_OK | os.X_OK):
        return output.parent
    for folder, _, _ in os.walk(output) if output.exists() else ():
        if not os.access(folder, os.W_OK | os.X_OK):
            return Path(folder)
    return None


def exchange(a, b):
    """Swap two paths in one step; False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(a))


def replace_folder(stage, output):
    """Put STAGE in OUTPUT's place; the old site ends up at STAGE's path (or is gone)."""
    if output.exists() and exchange(stage, output):
        return
    old, _ = leftovers(output)
    if output.exists():
        os.rename(output, old)  # interrupted here: recover() moves it back
    os.rename(stage, output)


def build(settings, output, content=None, extra=()):
    """Build into OUTPUT as one transaction; return the exit status (0: OUTPUT is the new site).
    `extra`: more Pelican arguments (the devserver's content cache)."""
    output = Path(output).absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    with locked(output):
        recover(output)
        blocked = not_writable(output)
        if blocked is not None:
            print(f"error: {output.name}/: cannot replace it, {blocked} is not writable: "
                  "check its permissions. Nothing was changed.", file=sys.stderr)
            return 1
        stage = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.stage-"))
        try:
            if run_pelican(settings, stage, content, extra=extra).returncode != 0:
                print(f"{output.name}/ was left as it was.", file=sys.stderr)
                return 1
            os.chmod(stage, 0o755)  # mkdtemp makes it private; a site is for reading
            replace_folder(stage, output)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(leftovers(output)[0], ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python scripts/build.py SETTINGS OUTPUT [CONTENT]")
    sys.exit(build(*sys.argv[1:]))
