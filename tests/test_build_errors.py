"""Promise: a mistake in the content stops the build with a message naming the file and
the problem, and every make target that builds (html, publish) keeps the last good site
when a build fails. A build is a transaction: two at once, one killed, or one that cannot
replace the old site never leave output/ missing or half-written.
(tests/bad_content/ holds many more kinds of mistake.)"""

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTICLE_SOURCE, PUBLISHED_SITEURL, ROOT, article_markers, build_site, run_make, tree_digest

from offlineconf import PRINT_EDITION_SAVE_AS, SITE_SLUG
from plugins.content_rules.content_rules import OneLineErrors
from scripts import build as site_build

ARTICLE = ARTICLE_SOURCE


def broken_content(tmp_path, old, new):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    source = content / ARTICLE
    text = source.read_text("utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), "utf-8")
    return content


@pytest.mark.parametrize("old, new, named", [
    ("{filename}/pages/questions.md", "{filename}/pages/no-such-page.md", "no-such-page.md"),
    (article_markers()[0], "[^nosuchsource]", "[^nosuchsource]"),
])
def test_a_broken_link_or_unknown_citation_stops_the_build_and_names_the_file(tmp_path, old, new, named):
    result = build_site(tmp_path / "out", content=broken_content(tmp_path, old, new))
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert named in log and "ketamine-therapy-for-chronic-pain.md" in log


@pytest.mark.parametrize("target", ["html", "publish"])
def test_a_failed_build_leaves_the_last_good_site_byte_identical(tmp_path, target):
    def build(content):
        return run_make(target, CONTENT=content, OUTPUT=output, PUBLISH_OUTPUT=output, SITEURL=PUBLISHED_SITEURL)

    output = tmp_path / "output"
    assert build(ROOT / "content").returncode == 0
    good = tree_digest(output)
    assert "index.html" in good
    broken = broken_content(tmp_path, "{filename}/pages/questions.md", "{filename}/pages/missing.md")
    failed = build(broken)
    assert failed.returncode != 0 and "missing.md" in failed.stderr
    assert tree_digest(output) == good


# Transactions: output/ is always a whole site, the old one or the new one.

def start_build(content, output):
    return subprocess.Popen([sys.executable, str(ROOT / "scripts" / "build.py"), "pelicanconf.py", str(output),
                             str(content)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def leftovers(output):
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}.")
                  and not p.name.endswith(".lock"))


@pytest.fixture
def two_sites(tmp_path):
    """(content, digest of its site) for the real content and for a copy with one word changed."""
    title = article_markers()[1]
    changed = broken_content(tmp_path, title, title + " (changed)")
    sites = []
    for content in (ROOT / "content", changed):
        reference = tmp_path / f"reference-{len(sites)}"
        assert build_site(reference, content=content).returncode == 0
        sites.append((content, tree_digest(reference)))
    return sites


def test_two_builds_at_once_both_finish_and_leave_a_whole_site(tmp_path, two_sites):
    (first, first_site), (second, second_site) = two_sites
    output = tmp_path / "output"
    builds = [start_build(first, output), start_build(second, output)]
    results = [(build.wait(timeout=300), build.stdout.read()) for build in builds]
    assert [code for code, _ in results] == [0, 0], results
    assert tree_digest(output) in (first_site, second_site)
    assert leftovers(output) == []


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new(tmp_path, two_sites):
    (first, first_site), (second, second_site) = two_sites
    output = tmp_path / "output"
    assert start_build(first, output).wait(timeout=300) == 0
    for delay in (0.2, 0.5, 0.8, 1.2):
        build = start_build(second, output)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert tree_digest(output) in (first_site, second_site), f"killed after {delay} s"
    assert start_build(first, output).wait(timeout=300) == 0
    assert tree_digest(output) == first_site and leftovers(output) == []


def test_the_next_build_finishes_an_interrupted_swap(tmp_path, two_sites):
    (first, first_site), _ = two_sites
    output = tmp_path / "output"
    assert start_build(first, output).wait(timeout=300) == 0
    # What a build killed between its two renames leaves: the site moved aside, a staging folder.
    output.rename(tmp_path / ".output.old")
    (tmp_path / ".output.stage-interrupted").mkdir()
    (tmp_path / ".output.stage-interrupted" / "index.html").write_text("half a page")
    failed = start_build(broken_content(tmp_path / "broken", article_markers()[0], "[^nosuchsource]"), output)
    assert failed.wait(timeout=300) != 0
    assert tree_digest(output) == first_site and leftovers(output) == []


def test_a_site_that_cannot_be_replaced_is_left_alone_before_anything_is_built(tmp_path, monkeypatch, capsys):
    output = tmp_path / "output"
    assert start_build(ROOT / "content", output).wait(timeout=300) == 0
    before = tree_digest(output)
    # Root may write anywhere, so the test makes os.access say what a read-only folder says.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != output / "theme")
    monkeypatch.setattr(site_build, "run_pelican", lambda *args, **kwargs: pytest.fail("Pelican ran"))
    assert site_build.build("pelicanconf.py", output) == 1
    assert f"{output / 'theme'} is not writable" in capsys.readouterr().err
    assert tree_digest(output) == before and leftovers(output) == []


def test_make_offline_clears_what_an_interrupted_run_left_in_dist(tmp_path):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / ".partial-abc123").write_bytes(b"half a zip")
    (dist / ".partial-scratch").mkdir()
    result = run_make("offline", DIST=dist)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in dist.iterdir()) == sorted([f"{SITE_SLUG}-offline.zip", PRINT_EDITION_SAVE_AS,
                                                             f"{SITE_SLUG}.epub"])


def test_any_warning_pelican_logs_stops_the_build_as_one_line_with_its_cause(monkeypatch):
    monkeypatch.setattr(OneLineErrors, "building", True)  # as while a build runs
    logger = logging.getLogger("pelican.generators")
    handler = OneLineErrors()
    logger.addHandler(handler)
    try:
        try:
            raise UnicodeDecodeError("utf-8", b"\xe9", 0, 1, "invalid\ncontinuation byte")
        except UnicodeDecodeError:
            with pytest.raises(SystemExit) as stop:
                logger.warning("Could not process %s", "articles/x.md")
    finally:
        logger.removeHandler(handler)
    assert str(stop.value).splitlines()[0] == (
        "error: Could not process articles/x.md: UnicodeDecodeError: "
        "'utf-8' codec can't decode byte 0xe9 in position 0: invalid continuation byte")
