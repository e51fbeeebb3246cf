"""Package an offline build (`make offline`) for readers with no connection:

- dist/<SITE_SLUG>-offline.zip: one folder with index.html at its top, README.txt and
  SHA256SUMS. Reproducible: entries sorted, timestamps fixed to the source's commit time
  (or SOURCE_DATE_EPOCH), permissions fixed, no paths from the build machine.
- dist/<SITE_SLUG>-print.html (also in the zip): the PRINT_EDITION_PAGES in one
  self-contained file, CSS inlined (allowed by a CSP hash, not 'unsafe-inline'), for
  printing or sending by email.

Ours because no maintained Pelican plugin packages a site for file:// use.
Usage: python packaging/offline.py DIST [CONTENT]
"""

import base64
import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import jinja2
from bs4 import BeautifulSoup
from pelican.settings import DEFAULT_CONFIG

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import pelicanconf as settings  # noqa: E402
from scripts.build import locked, run_pelican  # noqa: E402

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


def readme(built, revision):
    return f"""{settings.SITENAME}: offline copy
{'=' * (len(settings.SITENAME) + 14)}

What this is
  A copy of the website "{settings.SITENAME}" that works with no internet
  connection: {settings.SITE_TAGLINE.lower()}.
  It was written from published sources and has not been reviewed by a clinician.
  It is not medical advice: talk to your own doctor about your treatment.

How to use it
  Unzip this folder anywhere (a computer, a USB stick), then open index.html
  in a web browser (double-click it). Every page works offline. Links marked
  "needs internet" open the research and official sources online.

Printable edition
  {settings.SITE_SLUG}-print.html, in this folder, holds the article, the questions
  checklist and the glossary in one file, ready to print or to send by email.

Built
  {built:%d %B %Y} (UTC), from source revision {revision}.

Checking the files
  SHA256SUMS lists a checksum for every file. To check them: sha256sum -c SHA256SUMS
"""


def write_zip(site, zip_path, built, revision, print_html):
    folder = f"{settings.SITE_SLUG}-offline"
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    files["README.txt"] = readme(built, revision).encode("utf-8")
    files[f"{settings.SITE_SLUG}-print.html"] = print_html
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))
    files["SHA256SUMS"] = sums.encode("utf-8")
    with zipfile.ZipFile(zip_path, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=built.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # unix, so the permissions below are read
            entry.external_attr = 0o100644 << 16
            archive.writestr(entry, files[name], compresslevel=9)


# The single-file printable edition.

def print_part(site, page, parts):
    """The page's <article>, with ids and links rewritten so it can share one file with the other parts."""
    prefix = Path(page).stem
    soup = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
    part = soup.find("main").find("article")
    for permalink in part.select(".headerlink"):
        permalink.decompose()
    for element in part.find_all(id=True):
        element["id"] = f"{prefix}--{element['id']}"
    for link in part.find_all("a", href=True):
        href = link["href"]
        if href.startswith("#"):
            link["href"] = f"#{prefix}--{href[1:]}"
        elif not href.startswith("https://"):
            target, _, fragment = href.removeprefix("./").partition("#")
            if target in parts:
                link["href"] = f"#{Path(target).stem}--{fragment}" if fragment else f"#{Path(target).stem}"
            else:
                link.unwrap()  # a page not in this edition
    for heading in part.find_all(["h5", "h4", "h3", "h2", "h1"]):
        heading.name = f"h{int(heading.name[1]) + 1}"  # one h1 for the whole file
    part.name = "section"
    part["id"] = prefix
    part["class"] = part.get("class", []) + ["print-part"]
    return part


def print_edition(site, built):
    parts = settings.PRINT_EDITION_PAGES
    css = (ROOT / "theme" / "static" / "css" / settings.CSS_FILE).read_text("utf-8")
    css_hash = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    # The site's policy, for a file with its CSS inline and nothing else to load.
    directives = {**settings.CSP_DIRECTIVES, "style-src": f"'sha256-{css_hash}'", "img-src": "data:",
                  "connect-src": "'none'", "base-uri": "'none'"}
    sections = [print_part(site, page, parts) for page in parts]
    # Pelican's own Jinja options, so the theme's templates render here as they do in the build.
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates"),
                                   **DEFAULT_CONFIG["JINJA_ENVIRONMENT"])
    return templates.get_template("print-edition.html").render(
        DEFAULT_LANG=settings.DEFAULT_LANG,
        SITE_TAGLINE=settings.SITE_TAGLINE,
        CONTENT_SECURITY_POLICY="; ".join(f"{name} {sources}" for name, sources in directives.items()),
        title=f"{settings.SITENAME}: printable edition",
        edition_date=f"{built:%d %B %Y}",
        css=css,
        sections=[{"id": s["id"], "heading": s.find("h2").get_text(" ", strip=True), "html": str(s)} for s in sections],
    )


def replace_atomically(path, data):
    """Write beside `path`, then rename over it: a failed run never leaves half a file."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=PARTIAL, delete=False) as temporary:
        temporary.write(data)
    os.replace(temporary.name, path)
    os.chmod(path, 0o644)


def package(site, dist):
    built, revision = source_time(), source_revision()
    zip_path = dist / f"{settings.SITE_SLUG}-offline.zip"
    print_path = dist / f"{settings.SITE_SLUG}-print.html"
    print_html = print_edition(site, built).encode("utf-8")
    with tempfile.TemporaryDirectory(dir=dist, prefix=PARTIAL) as scratch:
        write_zip(site, Path(scratch) / "bundle.zip", built, revision, print_html)
        replace_atomically(zip_path, (Path(scratch) / "bundle.zip").read_bytes())
    replace_atomically(print_path, print_html)
    for path in (zip_path, print_path):
        print(f"{path}  {path.stat().st_size / 1024:.1f} KiB")


def main(dist, content=None):
    """Build the offline edition in a private folder and package it into `dist`."""
    dist = Path(dist).absolute()
    dist.mkdir(parents=True, exist_ok=True)
    with locked(dist), tempfile.TemporaryDirectory(prefix="offline-site-") as site:
        for leftover in dist.glob(f"{PARTIAL}*"):  # from a run that was interrupted
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
        if run_pelican("offlineconf.py", site, content).returncode != 0:
            sys.exit(f"The offline build failed; {dist}/ was left as it was.")
        package(Path(site), dist)


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python packaging/offline.py DIST [CONTENT]")
    main(*sys.argv[1:])
