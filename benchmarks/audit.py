"""`make audit`: Lighthouse (mobile preset, its default) on every page of the built site.

Serves output/ on 127.0.0.1, runs the pinned npm Lighthouse with Debian's Chromium on each
page, prints a table of the four category scores and writes the JSON reports to a folder.
A tool for people, not a test: scores vary a little from run to run.
Usage: python benchmarks/audit.py SITE_FOLDER REPORTS_FOLDER
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "checkers")]
from prerequisites import CHROMIUM_ARGS, find_chromium  # noqa: E402

from scripts.pages_server import serve  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def audit(url, report):
    chromium = find_chromium()
    if not chromium:
        sys.exit("audit: Chromium not found: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH)")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}"],
        check=True, env={**os.environ, "CHROME_PATH": chromium},
    )
    categories = json.loads(report.read_text())["categories"]
    return [round(categories[c]["score"] * 100) for c in CATEGORIES]


def main(site, reports):
    site, reports = Path(site), Path(reports)
    reports.mkdir(parents=True, exist_ok=True)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    rows = []
    with serve(site, "") as base_url:
        for page in pages:
            rows.append((page, *audit(f"{base_url}/{page}", reports / f"{Path(page).stem}.json")))
    print(f"\nLighthouse, mobile preset; JSON reports in {reports}/\n")
    print("| page | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|")
    for page, *scores in rows:
        print(f"| {page} | " + " | ".join(map(str, scores)) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
