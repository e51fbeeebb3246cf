"""Promise: a mistake in the content stops the build with a message naming the file and
the problem, and `make html` keeps the last good site when a build fails."""

import filecmp
import shutil
import subprocess

from conftest import ROOT, build_site

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


def dirs_identical(a, b):
    comparison = filecmp.dircmp(a, b)
    if comparison.left_only or comparison.right_only or comparison.diff_files or comparison.funny_files:
        return False
    return all(dirs_identical(a / d, b / d) for d in comparison.common_dirs)


def test_make_html_keeps_the_last_good_site_when_a_build_fails(tmp_path):
    def make_html(content, output):
        return subprocess.run(
            ["make", "--no-print-directory", "html", f"CONTENT={content}", f"OUTPUT={output}", f"STAGE={tmp_path / 'stage'}"],
            cwd=ROOT, capture_output=True, text=True,
        )

    output = tmp_path / "output"
    assert make_html(ROOT / "content", output).returncode == 0
    good_copy = tmp_path / "good"
    shutil.copytree(output, good_copy)
    broken = broken_content(tmp_path, "{filename}/pages/questions.md", "{filename}/pages/missing.md")
    failed = make_html(broken, output)
    assert failed.returncode != 0
    assert dirs_identical(output, good_copy)
