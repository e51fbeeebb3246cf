"""`make bench`: how long our build takes against bare Pelican, and how it scales.

Generates corpora of 1, 100 and 1,000 articles from the real article (distinct titles,
slugs and dates; the same Markdown: footnotes, abbreviations, a table, headings, links to
the companion pages). Bare Pelican's copies carry their reference definitions inline, since it
has no shared-references plugin (and our rules refuse a page that defines its own), so both
render the same footnotes. Then it times,
alternating the two in turn:
  (a) our build: our settings, theme and plugins, warnings fatal, as `make html`;
  (b) bare Pelican: its default settings and theme, on the same corpus;
  (c) our build again after changing one article, with Pelican's content cache on.
Prints N, medians (min-max), the ratios, our CPU time across all processes, our peak memory
(the largest process), and each Markdown worker's peak (parallel_reader). Wall time on a shared machine
is noisy: read the medians, and rerun before trusting a small difference.
Usage: python benchmarks/bench.py [--sizes 1,100,1000] [--runs 5]
"""

import argparse
import os
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
from plugins.shared_references.shared_references import REFERENCE, read_definitions  # noqa: E402
from scripts.build import pelican_command  # noqa: E402

ARTICLE = ROOT / "content" / "articles" / "ketamine-therapy-for-chronic-pain.md"
REFERENCES = ROOT / "content" / "references.md"


def with_inline_references(text):
    definitions = read_definitions(REFERENCES)
    cited = dict.fromkeys(REFERENCE.findall(text))
    return text + "\n\n" + "\n".join(definitions[label] for label in cited) + "\n"


def make_corpus(folder, count, inline_references=False):
    """content/ with its pages, and `count` copies of the article, each with its own title, slug and date."""
    shutil.copytree(ROOT / "content", folder)
    (folder / "articles" / ARTICLE.name).unlink()
    text = ARTICLE.read_text("utf-8")
    text = with_inline_references(text) if inline_references else text
    for number in range(1, count + 1):
        copy = re.sub(r"^Title: (.*)$", rf"Title: \1 (copy {number})", text, count=1, flags=re.M)
        # A paragraph of its own, so no two pages render the same HTML, as on a real site.
        copy = copy.replace("\n## ", f"\nThis is copy {number} of the article.\n\n## ", 1)
        copy = re.sub(r"^Slug: (.*)$", rf"Slug: \1-{number:04d}", copy, count=1, flags=re.M)
        day = f"2026-{1 + number % 12:02d}-{1 + number % 28:02d}"
        copy = re.sub(r"^(Date|Modified): .*$", rf"\1: {day}", copy, flags=re.M)
        (folder / "articles" / f"article-{number:04d}.md").write_text(copy, "utf-8")
    # Links to the article from the companion pages point at the first copy.
    for page in (folder / "pages").glob("*.md"):
        page.write_text(page.read_text("utf-8").replace(
            "articles/ketamine-therapy-for-chronic-pain.md", "articles/article-0001.md"), "utf-8")


def run(command, cwd):
    """(wall seconds, CPU seconds, peak resident MiB, its log) of one command, which must succeed.
    CPU and peak memory count the worker processes too: wait4 reports a process with the
    children it waited for, and memory as the peak of its largest process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{log}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, log


def worker_peaks(corpus, output, scratch):
    """The peak MiB of each worker process (an untimed run, verbose, where parallel_reader logs them)."""
    shutil.rmtree(output, ignore_errors=True)
    log = " ".join(run(ours(corpus, output, "-v"), cwd=scratch)[3].split())
    match = re.search(r"their peak memory: ([\d +]+) MiB", log)
    return [int(peak) for peak in match[1].split("+")] if match else []


def ours(corpus, output, *extra):
    return pelican_command("pelicanconf.py", output, corpus, extra)


def bare(corpus, output, settings_file):
    return [sys.executable, "-m", "pelican", str(corpus), "--output", str(output), "--settings", str(settings_file)]


def summary(times):
    return f"{statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f})"


def bench(size, runs, scratch):
    corpus, bare_corpus = scratch / f"corpus-{size}", scratch / f"bare-corpus-{size}"
    make_corpus(corpus, size)
    make_corpus(bare_corpus, size, inline_references=True)
    empty_settings = scratch / "bare_settings.py"  # Pelican's defaults, and its default theme
    empty_settings.write_text("")
    output = scratch / "out"
    timings = {"ours": [], "bare": []}
    cpu = []
    peak = 0.0
    for attempt in range(runs):
        order = ["ours", "bare"] if attempt % 2 == 0 else ["bare", "ours"]
        for which in order:
            shutil.rmtree(output, ignore_errors=True)
            command = ours(corpus, output) if which == "ours" else bare(bare_corpus, output, empty_settings)
            seconds, cpu_seconds, mib, _ = run(command, cwd=scratch)
            timings[which].append(seconds)
            if which == "ours":
                peak = max(peak, mib)
                cpu.append(cpu_seconds)
    workers = worker_peaks(corpus, output, scratch)
    cache = scratch / "cache"
    cached = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f'CACHE_PATH="{cache}"']
    rebuilds = []
    changed = corpus / "articles" / "article-0001.md"
    for attempt in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        run(ours(corpus, output, *cached), cwd=scratch)  # fills the cache
        changed.write_text(changed.read_text("utf-8").replace(
            "\n## References", f"\nA change for rebuild {attempt}.\n\n## References"), "utf-8")
        rebuilds.append(run(ours(corpus, output, *cached), cwd=scratch)[0])
    shutil.rmtree(corpus)
    shutil.rmtree(bare_corpus)
    ours_median = statistics.median(timings["ours"])
    return {
        "N": size,
        "ours": summary(timings["ours"]),
        "bare": summary(timings["bare"]),
        "ratio": ours_median / statistics.median(timings["bare"]),
        "rebuild": summary(rebuilds),
        "rebuild_ratio": statistics.median(rebuilds) / ours_median,
        "per_article_ms": 1000 * ours_median / size,
        "peak": peak,
        "cpu": statistics.median(cpu),
        "workers": workers,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100,1000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        for size in map(int, args.sizes.split(",")):
            print(f"N={size}: {args.runs} runs of each build ...", file=sys.stderr, flush=True)
            rows.append(bench(size, args.runs, Path(scratch)))
    print(f"\nClean builds, wall time, median (min-max) of {args.runs} runs. Our CPU time adds up every "
          "process of the build; peak memory is that of its largest process, then of each Markdown worker "
          "(none: the build rendered in one process).\n")
    print("| N | ours | bare Pelican | ours / bare | our CPU time | cached rebuild (1 article changed) "
          "| rebuild / ours | ms per article | peak MiB | workers' peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        workers = " + ".join(map(str, r["workers"])) or "none"
        print(f"| {r['N']} | {r['ours']} | {r['bare']} | {r['ratio']:.2f} | {r['cpu']:.1f} s | {r['rebuild']} "
              f"| {r['rebuild_ratio']:.2f} | {r['per_article_ms']:.1f} | {r['peak']:.0f} | {workers} |")


if __name__ == "__main__":
    main()
