"""Package the offline edition (`make offline`) for readers with no connection.

Pelican builds the site from offlineconf.py, with the single-file editions and the zip's
README.txt (the editions plugin); this only zips and copies what it built:

- dist/<SITE_SLUG>-offline.zip: one folder with index.html at its top, README.txt and
  SHA256SUMS. Reproducible: entries sorted, timestamps fixed to the source's commit time
  (or SOURCE_DATE_EPOCH), permissions fixed, no paths from the build machine.
- dist/<PRINT_EDITION_SAVE_AS>: the printable edition, also in the zip, for printing or
  sending by email.
- dist/<EPUB_SAVE_AS>: the EPUB 3 edition for phones and e-readers (not in the zip).

Ours because no maintained Pelican plugin packages a site for file:// use.
Usage: python packaging/offline.py DIST [CONTENT]
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.build import commit_point, locked, path_problem, run_as_command, run_pelican  # noqa: E402

SETTINGS_FILE = "offlineconf.py"
# Files being written into dist/ are named so, and an interrupted run's are removed by the next.
PARTIAL = ".partial-"
ZIP_EPOCH_MIN = 315532800  # 1980-01-01, the earliest time a zip entry can hold
ZIP_EPOCH_MAX = 4354819198  # 2107-12-31 23:59:58, the latest


def git(*args):
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def source_revision():
    revision = git("rev-parse", "--short=12", "HEAD") or "unknown (not a git checkout)"
    return revision + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def source_time():
    """When the source was last changed: never the build machine's clock. SOURCE_DATE_EPOCH is
    whole seconds since 1970 in ASCII digits (int() would also take ' 1_7', '-5' or other scripts'
    digits), and no later than a zip entry can hold; a bad one stops with one line."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or git("log", "-1", "--format=%ct") or str(ZIP_EPOCH_MIN)
    if not re.fullmatch(r"[0-9]{1,10}", epoch) or int(epoch) > ZIP_EPOCH_MAX:
        sys.exit(f"error: SOURCE_DATE_EPOCH '{epoch}': not a time a zip can hold: write whole seconds "
                 "since 1970 (up to 2107), as `git log -1 --format=%ct` gives")
    return datetime.datetime.fromtimestamp(max(int(epoch), ZIP_EPOCH_MIN), datetime.UTC)


def dist_problem(dist, content, names):
    """Why `dist` may not take make offline's files, or None: it may hold only what this writes."""
    dist = Path(dist)
    if problem := path_problem(dist, content):
        return problem
    others = sorted(p.name for p in dist.iterdir() if p.name not in names and not p.name.startswith(PARTIAL)) \
        if dist.is_dir() else []
    return f"it holds '{others[0]}', which make offline did not write: name a new or empty folder" if others else None


def write_zip(settings, site, zip_path, built):
    """The bundle: every file of the site but the EPUB (a book of its own), with SHA256SUMS."""
    folder = f"{settings['SITE_SLUG']}-offline"
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    del files[settings["EPUB_SAVE_AS"]]
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("utf-8")
    with zipfile.ZipFile(zip_path, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=built.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # unix, so the permissions below are read
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, files[name], compresslevel=9)


def replace_atomically(path, data):
    """Write beside `path`, then rename over it: a failed run never leaves half a file."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=PARTIAL, delete=False) as temporary:
        temporary.write(data)
    os.replace(temporary.name, path)
    os.chmod(path, 0o644)


def written_names(settings):
    """The files make offline writes into dist/: the zip, then the editions copied beside it."""
    return (f"{settings['SITE_SLUG']}-offline.zip", settings["PRINT_EDITION_SAVE_AS"], settings["EPUB_SAVE_AS"])


def package(settings, site, dist, built):
    zip_path, *editions = (dist / name for name in written_names(settings))
    with tempfile.TemporaryDirectory(dir=dist, prefix=PARTIAL) as scratch:
        write_zip(settings, site, Path(scratch) / "bundle.zip", built)
        replace_atomically(zip_path, (Path(scratch) / "bundle.zip").read_bytes())
    for path in editions:
        replace_atomically(path, (site / path.name).read_bytes())
    for path in (zip_path, *editions):
        print(f"{path}  {path.stat().st_size / 1024:.1f} KiB")


def main(dist, content=None, parent=None):
    """Build the offline edition in a private folder and package it into `dist`; checked first."""
    built = source_time()
    settings = read_settings(str(ROOT / SETTINGS_FILE), override={"PATH": str(Path(content or ROOT / "content"))})
    if problem := dist_problem(dist, content, written_names(settings)):
        sys.exit(f"error: DIST '{dist}': {problem}")
    dist = Path(os.path.realpath(dist))
    dist.mkdir(parents=True, exist_ok=True)
    with locked(dist), tempfile.TemporaryDirectory(prefix="offline-site-") as site:
        for leftover in dist.glob(f"{PARTIAL}*"):  # from a run that was interrupted
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        revision = ["--extra-settings", f"SOURCE_REVISION={json.dumps(source_revision())}"]  # for README.txt
        if run_pelican(SETTINGS_FILE, site, content, extra=revision).returncode != 0:
            sys.exit(f"The offline build failed; {dist}/ was left as it was.")
        if not commit_point(parent):
            return 1
        package(settings, Path(site), dist, built)
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python packaging/offline.py DIST [CONTENT]")
    sys.exit(run_as_command(main, "DIST", sys.argv[1], *sys.argv[1:]))
