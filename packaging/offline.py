"""`make offline`: `python packaging/offline.py DIST [CONTENT]`. Pelican builds the offline
edition (offlineconf.py) into a private folder; this zips it, with SHA256SUMS, reproducibly, and
writes the zip, the print edition and the EPUB into DIST, all three beside their names, then renamed.
Ours because no maintained Pelican plugin packages a site for file:// use.
"""

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from offlineconf import EDITION_DOWNLOADS, EPUB_SAVE_AS, PRINT_EDITION_SAVE_AS, SITE_SLUG  # noqa: E402
from scripts.build import SITE_MARKER, commit_point, locked, path_problem, run_as_command, run_pelican  # noqa: E402

WRITTEN = (EDITION_DOWNLOADS["zip"], PRINT_EDITION_SAVE_AS, EPUB_SAVE_AS)  # all make offline writes to DIST
PARTIAL = ".partial-"  # files being written into DIST: the next run removes an interrupted run's
ZIP_EPOCH_MIN, ZIP_EPOCH_MAX = 315532800, 4354819198  # 1980-01-01 to 2107-12-31: what a zip entry holds


def git(*args):
    """What git says, or "" where it cannot (not a checkout, or no git on the PATH)."""
    try:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def source_time():
    """When the source last changed, never the clock. SOURCE_DATE_EPOCH must be ASCII digits
    (int() also takes ' 1_7', '-5' or other scripts' digits); a bad one stops with one line."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or git("log", "-1", "--format=%ct") or str(ZIP_EPOCH_MIN)
    if not re.fullmatch(r"[0-9]{1,10}", epoch) or int(epoch) > ZIP_EPOCH_MAX:
        sys.exit(f"error: SOURCE_DATE_EPOCH '{epoch}': not a time a zip can hold: write whole seconds "
                 "since 1970 (up to 2107), as `git log -1 --format=%ct` gives")
    return datetime.datetime.fromtimestamp(max(int(epoch), ZIP_EPOCH_MIN), datetime.UTC)


def dist_problem(dist, content):
    """Why `dist` may not take make offline's files, or None: it may hold only what this writes."""
    if problem := path_problem(dist, content):
        return problem
    dist = Path(dist)
    others = sorted(p.name for p in dist.iterdir()
                    if p.name not in (*WRITTEN, SITE_MARKER) and not p.name.startswith(PARTIAL)) \
        if dist.is_dir() else []
    return f"it holds '{others[0]}', which make offline did not write: name a new or empty folder" if others else None


def bundle(site, built):
    """The zip's bytes: one folder holding the site but the EPUB (a book of its own), and
    SHA256SUMS; entries sorted, dated `built`, with fixed permissions."""
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    del files[EPUB_SAVE_AS]
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("utf-8")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"{SITE_SLUG}-offline/{name}", date_time=built.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # unix, so the permissions below are read
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, files[name], compresslevel=9)
    return zipped.getvalue()


def write_partial(folder, data):
    """`data` in a new partial file in `folder`: its path. Writing is where a full disk fails."""
    with tempfile.NamedTemporaryFile(dir=folder, prefix=PARTIAL, delete=False) as temporary:
        temporary.write(data)
        temporary.flush()
        os.fsync(temporary.fileno())
    os.chmod(temporary.name, 0o644)
    return Path(temporary.name)


def main(dist, content=None, parent=None):
    built = source_time()
    if problem := dist_problem(dist, content):
        sys.exit(f"error: DIST '{dist}': {problem}")
    dist = Path(os.path.realpath(dist))
    dist.mkdir(parents=True, exist_ok=True)
    with locked(dist), tempfile.TemporaryDirectory(prefix="offline-site-") as site:
        for leftover in dist.glob(f"{PARTIAL}*"):
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        revision = git("rev-parse", "--short=12", "HEAD") or "unknown (not a git checkout)"
        revision += " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
        extra = ["--extra-settings", f"SOURCE_REVISION={json.dumps(revision)}"]  # for README.txt
        if run_pelican("offlineconf.py", site, content, extra=extra).returncode != 0:
            sys.exit(f"The offline build failed; {dist}/ was left as it was.")
        if not commit_point(parent):
            return 1
        # All three are written before any replaces its namesake, so a full disk or an error
        # leaves the old editions whole, never a new zip beside an old EPUB; renames need no room.
        zip_name, *editions = WRITTEN
        try:
            partials = {zip_name: write_partial(dist, bundle(Path(site), built)),
                        **{name: write_partial(dist, Path(site, name).read_bytes()) for name in editions}}
        except OSError as error:
            for leftover in dist.glob(f"{PARTIAL}*"):
                leftover.unlink(missing_ok=True)
            sys.exit(f"error: DIST '{dist}': cannot write the editions ({error.strerror or error}); "
                     f"{dist}/ was left as it was.")
        for name, partial in partials.items():
            os.replace(partial, dist / name)
        (dist / SITE_MARKER).write_text("Written by packaging/offline.py: make clean may remove this folder.\n")
        for name in WRITTEN:
            print(f"{dist / name}  {(dist / name).stat().st_size / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python packaging/offline.py DIST [CONTENT]")
    sys.exit(run_as_command(main, "DIST", sys.argv[1], *sys.argv[1:]))
