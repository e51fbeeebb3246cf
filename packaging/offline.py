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
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.build import locked, run_pelican  # noqa: E402

SETTINGS_FILE = "offlineconf.py"
# Files being written into dist/ are named so, and an interrupted run's are removed by the next.
PARTIAL = ".partial-"
ZIP_EPOCH_MIN = 315532800  # 1980-01-01, the earliest time a zip entry can hold


def git(*args):
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def source_revision():
    revision = git("rev-parse", "--short=12", "HEAD") or "unknown (not a git checkout)"
    return revision + (" with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def source_time():
    """When the source was last changed: never the build machine's clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or git("log", "-1", "--format=%ct") or ZIP_EPOCH_MIN
    return datetime.datetime.fromtimestamp(max(int(epoch), ZIP_EPOCH_MIN), datetime.UTC)


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


def package(settings, site, dist):
    zip_path = dist / f"{settings['SITE_SLUG']}-offline.zip"
    with tempfile.TemporaryDirectory(dir=dist, prefix=PARTIAL) as scratch:
        write_zip(settings, site, Path(scratch) / "bundle.zip", source_time())
        replace_atomically(zip_path, (Path(scratch) / "bundle.zip").read_bytes())
    editions = [dist / settings[name] for name in ("PRINT_EDITION_SAVE_AS", "EPUB_SAVE_AS")]
    for path in editions:
        replace_atomically(path, (site / path.name).read_bytes())
    for path in (zip_path, *editions):
        print(f"{path}  {path.stat().st_size / 1024:.1f} KiB")


def main(dist, content=None):
    """Build the offline edition in a private folder and package it into `dist`."""
    dist = Path(dist).absolute()
    dist.mkdir(parents=True, exist_ok=True)
    with locked(dist), tempfile.TemporaryDirectory(prefix="offline-site-") as site:
        for leftover in dist.glob(f"{PARTIAL}*"):  # from a run that was interrupted
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        revision = ["--extra-settings", f"SOURCE_REVISION={json.dumps(source_revision())}"]  # for README.txt
        if run_pelican(SETTINGS_FILE, site, content, extra=revision).returncode != 0:
            sys.exit(f"The offline build failed; {dist}/ was left as it was.")
        settings = read_settings(str(ROOT / SETTINGS_FILE), override={"PATH": str(Path(content or ROOT / "content"))})
        package(settings, Path(site), dist)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python packaging/offline.py DIST [CONTENT]")
    main(*sys.argv[1:])
