"""Build the site as one transaction: `python scripts/build.py SETTINGS OUTPUT [CONTENT]`.

The one way this project runs Pelican (`run_pelican`) and replaces a built site (`build`): under
a lock beside OUTPUT, Pelican writes a staging folder that then takes OUTPUT's place in one atomic
exchange (or two renames, which the next build completes). Ours because Pelican writes straight
into its output folder, so a failed, interrupted or concurrent build leaves half a site there.
"""

import contextlib
import ctypes
import errno
import fcntl
import os
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Linux's; where the C library has neither, a build cannot die with make, and swaps by two renames.
PRCTL, RENAMEAT2 = (getattr(ctypes.CDLL(None, use_errno=True), name, None) for name in ("prctl", "renameat2"))
# In every site built here: a folder with files but no marker is someone's, never replaced.
SITE_MARKER = ".built-by-pelican-site"
LOG_COLUMNS = "200"  # wide log lines, so a file name in an error is never split
# The make variable naming each build's folder, so a refusal names what the user typed.
OUTPUT_VARIABLE = {"publishconf.py": "PUBLISH_OUTPUT"}


def die_with_parent(sig=signal.SIGKILL):
    """Get `sig` when the parent (make, or the build) ends: PR_SET_PDEATHSIG."""
    if PRCTL:
        PRCTL(1, sig)


def pelican_child():
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build handles Ctrl-C: no Pelican traceback


def pelican_command(settings, output, content=None, extra=()):
    """Pelican's command line, with warnings fatal, as every build here runs it."""
    return [sys.executable, "-m", "pelican", str(content or ROOT / "content"), "--settings",
            str(ROOT / settings), "--output", str(output), "--fatal", "warnings", *extra]


def run_pelican(settings, output, content=None, env=None, capture=False, extra=()):
    """Run a build; return the finished process. Not captured, what Pelican prints is passed on
    line by line, and a reader that went away (`make html | head -1`) stops only the passing on:
    Pelican never writes to a closed pipe, so the build still finishes."""
    command = pelican_command(settings, output, content, extra)
    environment = {**os.environ, "COLUMNS": LOG_COLUMNS, **(env or {})}
    if capture:
        return subprocess.run(command, cwd=ROOT, text=True, capture_output=True, env=environment,
                              preexec_fn=pelican_child)
    with subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=environment, preexec_fn=pelican_child) as process:
        passers = [threading.Thread(target=pass_on, args=(stream, to), daemon=True) for stream, to in
                   ((process.stdout, sys.stdout), (process.stderr, sys.stderr))]
        try:
            for passer in passers:
                passer.start()
            for passer in passers:
                passer.join()
        except BaseException:  # Ctrl-C or SIGTERM: Pelican stops with the build, as subprocess.run does it
            process.kill()
            raise
        return subprocess.CompletedProcess(command, process.wait())


def pass_on(stream, to):
    """Copy `stream` to `to` line by line; once `to` is closed, read on and drop the rest."""
    try:
        for line in stream:
            try:
                to.write(line)
                to.flush()
            except (BrokenPipeError, ValueError):
                to = open(os.devnull, "w")  # noqa: SIM115 (for the rest of this stream)
    except (ValueError, OSError):
        pass  # the build was stopped, and the pipe closed with it


def say(message, to=None):
    """Print one line; a reader that went away is no reason to stop a build."""
    try:
        print(message, file=to or sys.stderr, flush=True)
    except BrokenPipeError:
        pass


def path_problem(path, content=None):
    """Why `path` may not be an output folder (a site, or dist), or None; compared as real paths."""
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
    return None


def output_problem(output, content=None):
    """Why OUTPUT may not be replaced by a site, or None: it must be new, empty or a site built here."""
    real = Path(os.path.realpath(output))
    if problem := path_problem(output, content):
        return problem
    if os.path.ismount(real):
        return "it is a mount point, which cannot be swapped for another folder: name a folder inside it"
    if real.is_dir() and any(real.iterdir()) and not (real / SITE_MARKER).is_file():
        return (f"it holds files and no {SITE_MARKER}, so it is not a site built here: "
                "name a new or empty folder (a site built before 2026-12-01 has none: `make clean` once)")
    return None


def commit_point(parent):
    """From here on a stop waits until the site is in place; False if make (`parent`) is gone."""
    if parent is None:
        return True
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    return os.getppid() == parent


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
def locked(target, remove=False):
    """Hold the lock for `target` (a folder); wait while another build or clean holds it. With
    `remove`, the lock file goes too (make clean leaves nothing); whoever waited on a removed
    lock file takes the new one, so two can never hold the folder at once."""
    path = target.parent / f".{target.name}.lock"
    while True:
        try:
            lock = open(path, "a")  # noqa: SIM115 (held until the build is done)
        except OSError as error:
            raise SystemExit(f"error: cannot make the lock file {path}: {error.strerror} (is the folder "
                             "read-only?). Nothing was changed.") from None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another build of {target.name}/ to finish...")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if os.path.exists(path) and os.path.samestat(os.fstat(lock.fileno()), os.stat(path)):
                break
        except OSError:
            pass
        lock.close()  # a clean removed it while we waited: take the lock file there now
    try:
        yield
    finally:
        if remove:
            with contextlib.suppress(OSError):
                os.unlink(path)
        lock.close()


def clean(*folders):
    """`make clean`: each folder, its staging leftovers and its lock removed under that lock, so a
    clean waits for a build, and a build never reports success over a half-deleted site."""
    for folder in (Path(os.path.realpath(f)) for f in folders):
        if problem := path_problem(folder):
            say(f"error: not removing '{folder}': {problem}")
            return 1
        if not folder.parent.is_dir():
            continue
        with locked(folder, remove=True):
            for path in [folder, *folder.parent.glob(f".{folder.name}.stage-*"), folder.parent / f".{folder.name}.old"]:
                shutil.rmtree(path, ignore_errors=True)
    return 0


def recover(output):
    """Put back a site an interrupted build moved aside; drop its staging folders."""
    old = output.parent / f".{output.name}.old"
    if old.exists() and not output.exists():
        os.rename(old, output)
    for folder in [old, *output.parent.glob(f".{output.name}.stage-*")]:
        shutil.rmtree(folder, ignore_errors=True)


def not_writable(output):
    """The first folder that keeps the old site from being replaced and deleted, or None."""
    for folder in [output.parent, *(Path(f) for f, _, _ in os.walk(output))]:
        if not os.access(folder, os.W_OK | os.X_OK):
            return folder
    return None


def exchange(a, b):
    """Swap two paths in one step (renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if RENAMEAT2 is None:
        return False
    if RENAMEAT2(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0:  # AT_FDCWD
        return True
    if (error := ctypes.get_errno()) in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(a))


def settings_problem(settings, content):
    """Why Pelican could not start, in one line, or None: the content folder is missing, or the
    settings file does not run (a typo: its line, not Pelican's traceback)."""
    folder = Path(content or ROOT / "content")
    if not folder.is_dir():
        return f"CONTENT '{folder}': there is no such folder (it holds the site's Markdown: articles/, pages/)"
    try:
        runpy.run_path(str(ROOT / settings))
    except SystemExit as stop:  # the settings' own one-line refusal (BUILD_DATE, SITEURL...), as it is
        return str(stop.code)
    except Exception as error:  # noqa: BLE001 (any mistake in the file: one line with its place)
        ours = {(ROOT / settings).resolve(), *ROOT.glob("*conf.py")}  # the settings and what they import
        frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename).resolve() in ours]
        if isinstance(error, SyntaxError):
            where, line, what = Path(error.filename or settings).name, error.lineno, error.msg
        else:
            where, line = (Path(frames[-1].filename).name, frames[-1].lineno) if frames else (settings, None)
            what = str(error)
        return f"{where}{f':{line}' if line else ''}: {type(error).__name__}: {what}"
    return None


def build(settings, output, content=None, extra=(), parent=None):
    """Build into OUTPUT as one transaction: 0 if OUTPUT is the new site, else 1 and OUTPUT as it was."""
    named = f"{OUTPUT_VARIABLE.get(settings, 'OUTPUT')} '{output}'"
    if problem := settings_problem(settings, content):
        say(problem if problem.startswith("error: ") else f"error: {problem}. Nothing was changed.")
        return 1
    if problem := output_problem(output, content):
        say(f"error: {named}: {problem}")
        return 1
    output = Path(os.path.realpath(output))
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        say(f"error: {named}: cannot make {error.filename}: {error.strerror}")
        return 1
    with locked(output):
        recover(output)
        if blocked := not_writable(output):
            say(f"error: {output.name}/: cannot replace it, {blocked} is not writable: "
                  "check its permissions. Nothing was changed.")
            return 1
        stage = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.stage-"))
        try:
            if run_pelican(settings, stage, content, extra=extra).returncode != 0:
                say(f"{output.name}/ was left as it was.")
                return 1
            os.chmod(stage, 0o755)  # mkdtemp makes it private
            (stage / SITE_MARKER).write_text("Built by scripts/build.py, which replaces this folder whole.\n")
            if not commit_point(parent):
                return 1  # make has gone: a site must not appear after it reported failure
            if not (output.exists() and exchange(stage, output)):
                if output.exists():
                    os.rename(output, output.parent / f".{output.name}.old")  # interrupted: recover()
                os.rename(stage, output)
        except OSError as error:  # e.g. a bind mount, which os.path.ismount does not see
            recover(output)
            say(f"error: {named}: cannot replace it: {error.strerror}. Nothing was changed.")
            return 1
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(output.parent / f".{output.name}.old", ignore_errors=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--clean"]:
        sys.exit(clean(*sys.argv[2:]))
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: python scripts/build.py SETTINGS OUTPUT [CONTENT]")
    sys.exit(run_as_command(build, OUTPUT_VARIABLE.get(sys.argv[1], "OUTPUT"), sys.argv[2], *sys.argv[1:]))
