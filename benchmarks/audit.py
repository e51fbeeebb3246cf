"""`make audit`: Lighthouse (mobile) on every page of a built site served on 127.0.0.1, with Chromium: a
table of the four scores, and JSON reports. For people, not a test: scores vary run to run.
Usage: python benchmarks/audit.py SITE_FOLDER REPORTS_FOLDER"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "checkers")]
from prerequisites import CHROMIUM_ARGS, find_chromium  # noqa: E402

from scripts.pages_server import serve  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def main(site, reports):
    site, reports = Path(site), Path(reports)
    if not (chromium := find_chromium()):
        sys.exit("audit: Chromium not found: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH)")
    reports.mkdir(parents=True, exist_ok=True)
    rows = []
    with serve(site, "") as base_url:
        for page in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
            report = reports / f"{Path(page).stem}.json"
            subprocess.run([ROOT / "node_modules/.bin/lighthouse", f"{base_url}/{page}", "--quiet", "--output=json",
                            f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
                            f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}"],
                           check=True, env={**os.environ, "CHROME_PATH": chromium})
            scores = json.loads(report.read_text())["categories"]
            rows.append(f"| {page} | " + " | ".join(str(round(scores[c]["score"] * 100)) for c in CATEGORIES) + " |")
    print(f"\nLighthouse, mobile preset; JSON reports in {reports}/\n")
    print("| page | performance | accessibility | best practices | SEO |\n|---|---|---|---|---|", *rows, sep="\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
