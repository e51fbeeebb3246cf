"""`make bench`: how long our build takes against bare Pelican, at this site's size and at 50 and
300 pages (the real site plus copies of its article, each with its own title and slug).

Bare Pelican gets the same Markdown with each copy's references written inline (it has no shared
references, and our rules refuse a page that defines its own), its default settings and theme.
The two builds alternate; the table gives the median (min-max) wall time, the ratio and our cost
per page. Wall time on a shared machine is noisy: rerun before trusting a small difference.
Usage: python benchmarks/bench.py [--runs 3]
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from pelican.settings import read_settings  # noqa: E402

from plugins.content_rules.shared_files import read_shared_files  # noqa: E402
from scripts.build import pelican_command  # noqa: E402

SIZES = (None, 50, 300)  # None: the site as it is
SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))


def make_corpus(folder, pages, inline_references):
    """content/ plus copies of its first article, up to `pages` Markdown pages in all."""
    shutil.copytree(ROOT / "content", folder)
    markdown_files = sorted((folder / "articles").glob("*.md")) + sorted((folder / "pages").glob("*.md"))
    article = markdown_files[0]
    text = article.read_text("utf-8")
    for number in range(1, (pages or 0) - len(markdown_files) + 1):
        copy = re.sub(r"^Title: (.*)$", rf"Title: \1 (copy {number})", text, count=1, flags=re.M)
        copy = re.sub(r"^Slug: (.*)$", rf"Slug: \1-{number:04d}", copy, count=1, flags=re.M)
        (folder / "articles" / f"copy-{number:04d}.md").write_text(copy, "utf-8")
    if inline_references:
        references = read_shared_files({**SETTINGS, "PATH": folder}).references
        for path in (folder / "articles").glob("*.md"):
            page = path.read_text("utf-8")
            cited = dict.fromkeys(re.findall(r"\[\^([^\]]+)\](?!:)", page))
            path.write_text(page + "\n\n" + "\n".join(references[label].line for label in cited) + "\n", "utf-8")
    return len(list(folder.rglob("*.md"))) - 2  # less the references and abbreviations


def seconds(command, cwd):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


def bench(size, runs, scratch):
    corpus, bare_corpus, output = scratch / "ours", scratch / "bare", scratch / "out"
    for folder in (corpus, bare_corpus):
        shutil.rmtree(folder, ignore_errors=True)
    pages = make_corpus(corpus, size, inline_references=False)
    make_corpus(bare_corpus, size, inline_references=True)
    bare_settings = scratch / "bare_settings.py"  # Pelican's defaults
    bare_settings.write_text("")
    commands = {
        "ours": pelican_command("pelicanconf.py", output, corpus),
        "bare": [sys.executable, "-m", "pelican", str(bare_corpus), "-o", str(output), "-s", str(bare_settings)],
    }
    times = {"ours": [], "bare": []}
    for attempt in range(runs):
        for which in (("ours", "bare") if attempt % 2 == 0 else ("bare", "ours")):
            shutil.rmtree(output, ignore_errors=True)
            times[which].append(seconds(commands[which], cwd=scratch))
    return pages, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"Clean builds, wall time, median (min-max) of {args.runs} runs.\n")
    print("| pages | ours | bare Pelican | ours / bare | ms per page (ours) |\n|---|---|---|---|---|")
    medians = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for size in SIZES:
            pages, times = bench(size, args.runs, Path(scratch))
            ours, bare = statistics.median(times["ours"]), statistics.median(times["bare"])
            medians.append((pages, ours, bare))
            shown = {k: f"{statistics.median(v):.2f} s ({min(v):.2f}-{max(v):.2f})" for k, v in times.items()}
            print(f"| {pages} | {shown['ours']} | {shown['bare']} | {ours / bare:.2f} | {1000 * ours / pages:.0f} |",
                  flush=True)
    (first, ours_first, bare_first), (last, ours_last, bare_last) = medians[0], medians[-1]
    per_page = {name: 1000 * (at_last - at_first) / (last - first)
                for name, at_first, at_last in (("ours", ours_first, ours_last), ("bare", bare_first, bare_last))}
    print(f"\nEach page beyond the site's own {first} costs about {per_page['ours']:.0f} ms in our build, "
          f"{per_page['bare']:.0f} ms in bare Pelican's.")

if __name__ == "__main__":
    main()
