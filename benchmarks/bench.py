"""`make bench`: clean builds, ours against bare Pelican (its defaults and theme), at the site's
size and at 50 and 300 pages (copies of the article, each with its own title and slug; bare
Pelican gets their references inline, having no shared ones), alternating, 3 runs each: the median
(min-max) wall time and the cost of each page beyond the site's own. Wall time on a shared machine
is noisy: rerun before trusting a small difference. Usage: python benchmarks/bench.py [RUNS]
"""

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
import pelicanconf  # noqa: E402
from plugins.content_rules.evidence import RECORDS_SUFFIX  # noqa: E402
from plugins.content_rules.shared_files import read_shared_files  # noqa: E402
from scripts.build import run_pelican  # noqa: E402


def make_corpus(folder, pages, inline_references):
    """content/ plus copies of its article, up to `pages` pages in all; returns how many it has."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "content", folder)
    sources = sorted(folder.glob("*/*.md"))
    article = sorted(folder.glob("articles/*.md"))[0]
    text = article.read_text("utf-8")
    for number in range(1, (pages or 0) - len(sources) + 1):
        # A title states no number (content_rules): the copy's is in letters, "copy bc".
        letters = "".join("abcdefghij"[int(digit)] for digit in str(number))
        copy = re.sub(r"(?m)^Title: (.*)$", rf"Title: \1 (copy {letters})", text, count=1)
        copy = re.sub(r"(?m)^Slug: (.*)$", rf"Slug: \1-{number:04d}", copy, count=1)
        (folder / "articles" / f"copy-{number:04d}.md").write_text(copy, "utf-8")
        records = article.with_name(article.stem + RECORDS_SUFFIX)
        if records.exists():  # each copy's facts keep their evidence records
            shutil.copy(records, folder / "articles" / f"copy-{number:04d}{RECORDS_SUFFIX}")
    if inline_references:
        references = read_shared_files({**vars(pelicanconf), "PATH": folder}).references
        for path in folder.glob("articles/*.md"):
            page = path.read_text("utf-8")
            cited = dict.fromkeys(re.findall(r"\[\^([^\]]+)\](?!:)", page))
            path.write_text(page + "\n\n" + "\n".join(references[label].line for label in cited) + "\n", "utf-8")
    return len(list(folder.glob("*/*.md")))


def seconds(build):
    start = time.perf_counter()
    if (result := build()).returncode != 0:
        sys.exit(f"bench: a build failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - start


def main(runs):
    print(f"Clean builds, wall time, median (min-max) of {runs} runs.\n")
    print("| pages | ours | bare Pelican | ours / bare | ms per page (ours) |\n|---|---|---|---|---|")
    medians = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        ours, bare, output, bare_settings = (Path(scratch, name) for name in ("ours", "bare", "out", "bare.py"))
        bare_settings.write_text("")  # Pelican's defaults
        builds = {"ours": lambda: run_pelican("pelicanconf.py", output, ours, capture=True),
                  "bare": lambda: subprocess.run([sys.executable, "-m", "pelican", bare, "-o", output, "-s",
                                                  bare_settings], cwd=scratch, capture_output=True, text=True)}
        for size in (None, 50, 300):  # None: the site as it is
            pages = make_corpus(ours, size, inline_references=False)
            make_corpus(bare, size, inline_references=True)
            times = {"ours": [], "bare": []}
            for run in range(runs):
                for name in ("ours", "bare") if run % 2 == 0 else ("bare", "ours"):
                    shutil.rmtree(output, ignore_errors=True)
                    times[name].append(seconds(builds[name]))
            medians.append((pages, *(statistics.median(times[name]) for name in ("ours", "bare"))))
            shown = [f"{statistics.median(t):.2f} s ({min(t):.2f}-{max(t):.2f})" for t in times.values()]
            print(f"| {pages} | {' | '.join(shown)} | {medians[-1][1] / medians[-1][2]:.2f} | "
                  f"{1000 * medians[-1][1] / pages:.0f} |", flush=True)
    (first, *at_first), (last, *at_last) = medians[0], medians[-1]
    ours_ms, bare_ms = (1000 * (b - a) / (last - first) for a, b in zip(at_first, at_last, strict=True))
    print(f"\nEach page beyond the site's own {first} costs about {ours_ms:.0f} ms in our build, "
          f"{bare_ms:.0f} ms in bare Pelican's.")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
