"""Build the site as one transaction: `python scripts/build.py SETTINGS OUTPUT [CONTENT]`. Pelican
writes straight into its output folder (half a site if a build fails or is stopped), so here, under a
lock, it writes a staging folder that then takes OUTPUT's place in one atomic exchange."""

import contextlib
import ctypes
import fcntl
import os
import runpy
import shutil
import signal
import subprocess
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Linux's; where the C library has neither, a build cannot die with make, and swaps by two renames.
PRCTL, RENAMEAT2 = (getattr(ctypes.CDLL(None), name, None) for name in ("prctl", "renameat2"))
SITE_MARKER = ".built-by-pelican-site"  # in every site built here: a folder with files but none is someone's
LOG_COLUMNS = "200"  # wide log lines, so a file name in an error is never split
OUTPUT_VARIABLE = {"publishconf.py": "PUBLISH_OUTPUT"}  # so a refusal names the variable the user set


def pelican_command(settings, output, content=None, extra=()):
    """Pelican's command line, with warnings fatal, as every build here runs it."""
    return [sys.executable, "-m", "pelican", str(content or ROOT / "content"), "--settings",
            str(ROOT / settings), "--output", str(output), "--fatal", "warnings", *extra]


def die_with_parent(sig=signal.SIGKILL):
    """Get `sig` when the parent (make, or for Pelican the build) ends: PR_SET_PDEATHSIG."""
    if PRCTL:
        PRCTL(1, sig)


def run_pelican(settings, output, content=None, env=None, capture=False, extra=()):
    """Run Pelican; return the finished process. Uncaptured, what it prints is passed on to stderr line
    by line, so a reader that went away (`make html 2>&1 | head -1`) costs those lines, never the build."""
    command = pelican_command(settings, output, content, extra)
    # A group of its own: Ctrl-C reaches only the build, which stops Pelican (no Pelican traceback).
    options = {"cwd": ROOT, "text": True, "preexec_fn": die_with_parent, "process_group": 0,
               "env": {**os.environ, "COLUMNS": LOG_COLUMNS, **(env or {})}}
    if capture:
        return subprocess.run(command, capture_output=True, **options)
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **options) as pelican:
        try:
            for line in pelican.stdout:
                say(line.rstrip("\n"))
        except BaseException:  # Ctrl-C or SIGTERM: Pelican stops with the build
            pelican.kill()
            raise
    return subprocess.CompletedProcess(command, pelican.returncode)


def say(message):
    """Print one line on stderr (a reader that went away is no reason to stop); 1, a failed build's status."""
    with contextlib.suppress(BrokenPipeError):
        print(message, file=sys.stderr, flush=True)
    return 1


def path_problem(path, content=None, site=False):
    """Why `path` may not be an output folder, or None; compared as real paths. A `site` replaces the
    folder whole, so that must also be new, empty or a site built here (dist keeps other files)."""
    real, content = Path(os.path.realpath(path)), Path(os.path.realpath(content or ROOT / "content"))
    if Path(path).is_symlink():
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
    if site and os.path.ismount(real):
        return "it is a mount point, which cannot be swapped for another folder: name a folder inside it"
    if site and real.is_dir() and any(real.iterdir()) and not (real / SITE_MARKER).is_file():
        return (f"it holds files and no {SITE_MARKER}, so it is not a site built here: "
                "name a new or empty folder (a site built before 2026-12-01 has none: delete it yourself once)")
    return None


def commit_point(parent):
    """From here on a stop waits until the site is in place; False if make (`parent`) is gone."""
    if parent is not None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    return parent in (None, os.getppid())


def run_as_command(main, name, value, *args):
    """main(*args, parent=make's pid), ending with make; a stop is one line naming `name` '`value`'."""
    die_with_parent(signal.SIGTERM)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # so the build tidies up, as on Ctrl-C
    try:
        return main(*args, parent=os.getppid())
    except KeyboardInterrupt:
        say(f"error: {name} '{value}': the build was stopped; nothing was changed.")
        return 130


@contextlib.contextmanager
def locked(target):
    """Hold folder `target`'s lock, waiting while a build or clean holds it; gives the lock file's path."""
    path = target.parent / f".{target.name}.lock"
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(path, "a")  # noqa: SIM115 (held until the build is done)
        except OSError as error:
            raise SystemExit(f"error: cannot make the lock file {path}: {error.strerror} (is the folder "
                             "read-only?). Nothing was changed.") from None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another build of {target.name}/ to finish...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        with contextlib.suppress(OSError):
            if os.path.samestat(os.fstat(lock.fileno()), os.stat(path)):
                break
        lock.close()  # a clean removed the file while we waited: another may hold a new one, so take that
    with lock:
        yield path


def recover(output):
    """Put back a site an interrupted build moved aside; drop our staging folders (named by a process id)
    and a swapped-out site (it has the marker, or is empty): never a folder someone else put beside it."""
    old = output.parent / f".{output.name}.old"
    swapped_out = old.is_dir() and ((old / SITE_MARKER).is_file() or not any(old.iterdir()))
    if swapped_out and not output.exists():
        os.rename(old, output)
        swapped_out = False
    stages = [p for p in output.parent.glob(f".{output.name}.stage-*") if p.name.rsplit("-", 1)[1].isdigit()]
    for folder in stages + [old] * swapped_out:
        shutil.rmtree(folder, ignore_errors=True)


def clean(*folders):
    """`make clean`: under each folder's lock, so a build never reports success over a half-deleted site."""
    for folder in (Path(os.path.realpath(f)) for f in folders):
        if problem := path_problem(folder):
            return say(f"error: not removing '{folder}': {problem}")
        if folder.is_dir() and any(folder.iterdir()) and not (folder / SITE_MARKER).is_file():
            return say(f"error: not removing '{folder}': it holds files and no {SITE_MARKER}, so make did not "
                       "build it: name the folder make built, or remove this one yourself")
        if folder.parent.is_dir():
            with locked(folder) as lock:
                recover(folder)
                shutil.rmtree(folder, ignore_errors=True)
                lock.unlink(missing_ok=True)  # a build waiting on it then takes a new one
    return 0


def settings_problem(settings, content):
    """Why Pelican could not start, as one line (a typo's place, not Pelican's traceback), or None."""
    folder = Path(content or ROOT / "content")
    if not folder.is_dir():
        return (f"error: CONTENT '{folder}': there is no such folder (it holds the site's Markdown: "
                "articles/, pages/). Nothing was changed.")
    try:
        runpy.run_path(str(ROOT / settings))
    except SystemExit as stop:  # the settings' own one-line refusal (BUILD_DATE, SITEURL...), as it is
        return str(stop.code)
    except Exception as error:  # any mistake in the settings or what they import
        frames = [(f.filename, f.lineno) for f in traceback.extract_tb(error.__traceback__)
                  if f.filename.endswith("conf.py")] or [(settings, None)]
        syntax = isinstance(error, SyntaxError)
        where, line = (error.filename, error.lineno) if syntax else frames[-1]
        return (f"error: {Path(where).name}{f':{line}' if line else ''}: {type(error).__name__}: "
                f"{error.msg if syntax else error}. Nothing was changed.")
    return None


def build(settings, output, content=None, extra=(), parent=None):
    """Build into OUTPUT as one transaction: 0 if OUTPUT is the new site, else 1 and OUTPUT as it was."""
    named = f"{OUTPUT_VARIABLE.get(settings, 'OUTPUT')} '{output}'"
    if problem := settings_problem(settings, content):
        return say(problem)
    if problem := path_problem(output, content, site=True):
        return say(f"error: {named}: {problem}")
    output = Path(os.path.realpath(output))
    with locked(output):
        recover(output)
        # The old site is deleted once swapped out: a folder in it that cannot be is refused first.
        for folder in [output.parent, *(Path(f) for f, _, _ in os.walk(output))]:
            if not os.access(folder, os.W_OK | os.X_OK):
                return say(f"error: {output.name}/: cannot replace it, {folder} is not writable: "
                           "check its permissions. Nothing was changed.")
        stage = output.parent / f".{output.name}.stage-{os.getpid()}"  # recover() removed any before
        stage.mkdir()
        try:
            if run_pelican(settings, stage, content, extra=extra).returncode != 0:
                return say(f"{output.name}/ was left as it was.")
            (stage / SITE_MARKER).write_text("Built by scripts/build.py, which replaces this folder whole.\n")
            if not commit_point(parent):
                return 1  # make has gone: a site must not appear after it reported failure
            # One atomic exchange (renameat2 RENAME_EXCHANGE, AT_FDCWD); where it fails, two renames, which
            # fail too if the cause is real (a bind mount), and which the next build completes if cut short.
            if not (output.exists() and RENAMEAT2 and RENAMEAT2(-100, bytes(stage), -100, bytes(output), 2) == 0):
                if output.exists():
                    os.rename(output, output.parent / f".{output.name}.old")
                os.rename(stage, output)
        except OSError as error:  # e.g. a bind mount, which os.path.ismount does not see
            return say(f"error: {named}: cannot replace it: {error.strerror}. Nothing was changed.")
        finally:
            recover(output)  # the old site back if the swap was cut short; staging and old site gone
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--clean"]:
        sys.exit(clean(*sys.argv[2:]))
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python scripts/build.py SETTINGS OUTPUT [CONTENT]")
    sys.exit(run_as_command(build, OUTPUT_VARIABLE.get(sys.argv[1], "OUTPUT"), sys.argv[2], *sys.argv[1:]))
