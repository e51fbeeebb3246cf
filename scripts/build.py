"""Build the site into a folder as one transaction: `python scripts/build.py SETTINGS OUTPUT [CONTENT]`.

The one way this project runs Pelican (the Makefile, the tests, the bench and packaging all
call `run_pelican`), and the one way it replaces a built site (`build`):

- a lock file beside OUTPUT lets one build at a time write it; a second build waits;
- Pelican writes into a private staging folder beside OUTPUT (same filesystem);
- a finished build takes OUTPUT's place in one atomic exchange (renameat2 RENAME_EXCHANGE;
  where the system has none, two renames, and the next build finishes an interrupted pair);
- a failed build, or one that could not delete the old site, leaves OUTPUT as it was;
- OUTPUT is checked before anything is touched: it must be new, empty, or a site this script
  built (it leaves SITE_MARKER in each), and never the repository or inside its folders;
- run as a command, it ends when the process that started it ends (make: the Makefile runs it
  with `exec`, so no shell stands between them), and Ctrl-C is one line.

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
# Written into every site this script builds: a folder that holds files but not this one is not
# a site built here, and a build replaces its folder whole (`make html OUTPUT=.` would take the
# checkout). Left out of the comparisons of built trees (tests/conftest.py's tree_digest).
SITE_MARKER = ".built-by-pelican-site"
# The make variable that names each build's folder, so a refusal names what the user typed.
OUTPUT_VARIABLE = {"publishconf.py": "PUBLISH_OUTPUT"}


def pelican_command(settings, output, content=None, extra=()):
    """The command line of a build: Pelican with warnings fatal, as every build here runs."""
    return [sys.executable, "-m", "pelican", str(content or ROOT / "content"), "--settings",
            str(ROOT / settings), "--output", str(output), "--fatal", "warnings", *extra]


def die_with_parent(sig=signal.SIGKILL):
    """End (by `sig`) when the process that started this one ends (Linux's PR_SET_PDEATHSIG), so
    a killed make leaves no build writing on into its staging folder or swapping a site in."""
    prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)
    if prctl is not None:
        pr_set_pdeathsig = 1
        prctl(pr_set_pdeathsig, sig)


def pelican_child():
    """In the Pelican process: die with the build, and leave Ctrl-C to it (which stops Pelican
    itself), so Pelican prints no traceback of its own."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_pelican(settings, output, content=None, env=None, capture=False, extra=()):
    """Run a build (pelican_command); return the finished process."""
    return subprocess.run(pelican_command(settings, output, content, extra), cwd=ROOT, capture_output=capture,
                          text=True, env={**os.environ, "COLUMNS": LOG_COLUMNS, **(env or {})},
                          preexec_fn=pelican_child)


def path_problem(path, content=None):
    """Why `path` may not be a build's output folder (a site, or make offline's dist), or None.
    Compared by their real paths, so '..', './' and symbolic links in the path change nothing."""
    path = Path(path)
    real, content = Path(os.path.realpath(path)), Path(os.path.realpath(content or ROOT / "content"))
    if path.is_symlink():
        return "it is a symbolic link: name the folder itself"
    for folder, name in ((ROOT, "the repository"), (content, "the content folder")):
        if real == folder:
            return f"it is {name}"
        if folder.is_relative_to(real):
            return f"it holds {name}"
    if real.is_relative_to(content):
        return "it is inside the content folder"
    if real.is_relative_to(ROOT) and real.parent != ROOT:
        return "it is inside a folder of the repository: name a folder at its top level, like output"
    if real.exists() and not real.is_dir():
        return "it is not a folder"
    return None


def output_problem(output, content=None):
    """Why OUTPUT may not be replaced by a site, or None: it must be new, empty or a site built here."""
    if problem := path_problem(output, content):
        return problem
    real = Path(os.path.realpath(output))
    if os.path.ismount(real):
        return "it is a mount point, which cannot be swapped for another folder: name a folder inside it"
    if real.is_dir() and any(real.iterdir()) and not (real / SITE_MARKER).is_file():
        return (f"it holds files and no {SITE_MARKER}, so it is not a site built here: "
                "name a new or empty folder (a site built before 2026-12-01 has none: `make clean` once)")
    return None


def commit_point(parent):
    """Just before a build run as a command puts what it built in place: from here on a stop
    (Ctrl-C, or make ending) is held off, so the build either changes nothing or finishes; and
    if make has gone already, nothing is put in place (True: go on)."""
    if parent is None:
        return True
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    return os.getppid() == parent


def run_as_command(main, name, value, *args):
    """Run main(*args, parent=...) as a build started by make: it ends when make (its parent) ends,
    and a stop is one line. `name` and `value` name its folder in that line."""
    die_with_parent(signal.SIGTERM)  # raised as KeyboardInterrupt, as Ctrl-C is: the build tidies up
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        return main(*args, parent=os.getppid())
    except KeyboardInterrupt:
        print(f"error: {name} '{value}': the build was stopped; nothing was changed.", file=sys.stderr)
        return 130


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


def build(settings, output, content=None, extra=(), parent=None):
    """Build into OUTPUT as one transaction; return the exit status (0: OUTPUT is the new site).
    `extra`: more Pelican arguments (the devserver's content cache); `parent`: see commit_point."""
    named = f"{OUTPUT_VARIABLE.get(settings, 'OUTPUT')} '{output}'"
    if problem := output_problem(output, content):
        print(f"error: {named}: {problem}", file=sys.stderr)
        return 1
    output = Path(os.path.realpath(output))
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(f"error: {named}: cannot make {error.filename}: {error.strerror}", file=sys.stderr)
        return 1
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
            (stage / SITE_MARKER).write_text("Built by scripts/build.py, which replaces this folder whole.\n")
            if not commit_point(parent):
                return 1  # make is gone: no one is waiting for this site, and it must not appear later
            try:
                replace_folder(stage, output)
            except OSError as error:  # e.g. a bind mount, which os.path.ismount does not see
                recover(output)
                print(f"error: {named}: cannot replace it: {error.strerror}. Nothing was changed.",
                      file=sys.stderr)
                return 1
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(leftovers(output)[0], ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python scripts/build.py SETTINGS OUTPUT [CONTENT]")
    settings_file, output_arg = sys.argv[1:3]
    sys.exit(run_as_command(build, OUTPUT_VARIABLE.get(settings_file, "OUTPUT"), output_arg, *sys.argv[1:]))
