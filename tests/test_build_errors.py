"""Promise: a mistake in the content stops the build with a message naming the file and
the problem, and every make target that builds (html, publish) keeps the last good site
when a build fails. (tests/bad_content/ holds many more kinds of mistake.)"""

import shutil

import pytest
from conftest import PUBLISHED_SITEURL, ROOT, build_site, run_make, tree_digest

ARTICLE = "articles/ketamine-therapy-for-chronic-pain.md"


def broken_content(tmp_path, old, new):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    source = content / ARTICLE
    text = source.read_text("utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), "utf-8")
    return content


def test_a_broken_intrasite_link_stops_the_build_and_names_the_file(tmp_path):
    content = broken_content(tmp_path, "{filename}/pages/questions.md", "{filename}/pages/no-such-page.md")
    result = build_site(tmp_path / "out", content=content)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "no-such-page.md" in log and "ketamine-therapy-for-chronic-pain" in log


def test_an_unknown_citation_label_stops_the_build_and_names_it(tmp_path):
    content = broken_content(tmp_path, "[^tran2023]", "[^tran2024]")
    result = build_site(tmp_path / "out", content=content)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "[^tran2024]" in log and "ketamine-therapy-for-chronic-pain.md" in log


@pytest.mark.parametrize("target", ["html", "publish"])
def test_a_failed_build_leaves_the_last_good_site_byte_identical(tmp_path, target):
    def build(content):
        return run_make(target, CONTENT=content, OUTPUT=output, STAGE=tmp_path / "stage", SITEURL=PUBLISHED_SITEURL)

    output = tmp_path / "output"
    assert build(ROOT / "content").returncode == 0
    good = tree_digest(output)
    assert "index.html" in good
    broken = broken_content(tmp_path, "{filename}/pages/questions.md", "{filename}/pages/missing.md")
    failed = build(broken)
    assert failed.returncode != 0 and "missing.md" in failed.stderr
    assert tree_digest(output) == good
