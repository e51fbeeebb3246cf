"""Promise: bad input gets a clear error and loses nothing. Each broken source in
tests/bad_content/ stops the build with exactly the one error line it expects, naming the
file and the problem, and no traceback; through `make html`, the previous good site in output/
is left byte for byte as it was.

Each case runs the build's own command line (Pelican with the plugins, warnings fatal) in a
forked child of one process that has imported them (pelican_in_process.py), not an interpreter
and `make` of its own: the same rules and lines, at a fraction of the time. A few cases, one from
each stage where the build can stop, run through `make html` itself, whose lock, staging folder
and swap keep output/ as it was."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, build_site, run_make, tree_digest
from pelican_in_process import Builder

import pelicanconf
from plugins.content_rules import sources

CASES_DIR = Path(__file__).parent / "bad_content"
# What each case adds its mistake to: a site of three short pages, so a case tests its rule, not
# today's content (an edit to the real pages changes no case).
TINY_SITE = Path(__file__).parent / "tiny_site" / "content"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


def content_with(case_dir, content):
    """A copy of the tiny site with the case laid over it: a file replaces or adds its
    namesake; NAME.append is added to the end of NAME; NAME.symlink becomes a link to the
    path it holds."""
    shutil.copytree(TINY_SITE, content)
    for source in sorted(case_dir.rglob("*")):
        if source.is_dir() or source.name == "expected-error.txt":
            continue
        target = content / source.relative_to(case_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".append":
            target = target.with_suffix("")
            target.write_bytes(target.read_bytes() + source.read_bytes())
        elif target.suffix == ".symlink":
            target.with_suffix("").symlink_to(source.read_text("utf-8").strip())
        else:
            target.write_bytes(source.read_bytes())
    return content


def appended_line(case_dir):
    """The line number a case's NAME.append file starts at in the tiny site's NAME."""
    appended = next(case_dir.rglob("*.append"), None)
    if appended is None:
        return None
    original = TINY_SITE / appended.relative_to(case_dir).with_suffix("")
    return original.read_text("utf-8").count("\n") + 1


def expected_errors(case_dir):
    expected = (case_dir / "expected-error.txt").read_text("utf-8").strip()
    return expected.replace("{appended_line}", str(appended_line(case_dir))).splitlines()


def only_errors(log):
    return [line for line in log.splitlines() if line.startswith("error:")]


@pytest.fixture(scope="module")
def builder():
    with Builder() as builder:
        yield builder


@pytest.fixture(scope="module")
def good_output(tmp_path_factory):
    output = tmp_path_factory.mktemp("good") / "output"
    result = run_make("html", OUTPUT=output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_there_are_at_least_forty_kinds_of_bad_input():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_bad_input_stops_the_build_with_one_clear_error(case, builder, tmp_path):
    case_dir = CASES_DIR / case
    content = content_with(case_dir, tmp_path / "content")
    status, log = builder.build(tmp_path / "output", content, tmp_path / "build.log")
    assert status != 0
    assert only_errors(log) == expected_errors(case_dir)
    assert "Traceback" not in log


# One case from each stage where the build stops: the files in content/, the shared references,
# a file's metadata, its encoding, the markup it writes (the door), its rendered HTML, and the
# pages as written (into make's staging folder, never output/).
THROUGH_MAKE = ["symlinked-markdown-file", "reference-defined-twice", "misspelled-key", "not-utf-8",
                "script-element", "commercial-link", "heading-takes-the-themes-id"]


@pytest.mark.parametrize("case", THROUGH_MAKE)
def test_make_html_stops_with_the_same_line_and_leaves_output_as_it_was(case, good_output, tmp_path):
    case_dir = CASES_DIR / case
    content = content_with(case_dir, tmp_path / "content")
    output = shutil.copytree(good_output, tmp_path / "output")
    before = tree_digest(output)

    result = run_make("html", CONTENT=content, OUTPUT=output)

    assert result.returncode != 0
    assert only_errors(result.stdout + result.stderr) == expected_errors(case_dir)
    assert "Traceback" not in result.stdout + result.stderr
    assert tree_digest(output) == before, "the failed build changed output/"


def test_an_unreadable_folder_is_reported_not_skipped(tmp_path, monkeypatch):
    # Root reads any folder, so the test makes os.access say what it says to an editor.
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    hidden = content / "articles" / "more"
    hidden.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != hidden and real_access(path, mode))
    settings = {"PATH": str(content), "ARTICLE_PATHS": ["articles"], "PAGE_PATHS": ["pages"],
                "REFERENCES_FILE": "references.md", "ABBREVIATIONS_FILE": "abbreviations.md",
                "REFERENCES_READ_FILE": "references-read.toml", "IGNORE_FILES": pelicanconf.IGNORE_FILES,
                "IMAGES_PATH": pelicanconf.IMAGES_PATH, "IMAGE_SIGNATURES": pelicanconf.IMAGE_SIGNATURES}
    assert list(sources.tree_problems(settings)) == [(hidden, "cannot be read: check its permissions")]


# Content git cannot carry in tests/bad_content/: made by the test.

def test_a_symbolic_link_in_the_theme_is_refused_like_one_in_content(tmp_path):
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    (tmp_path / "secret.txt").write_text("outside the repository")
    (theme / "static" / "secret.txt").symlink_to(tmp_path / "secret.txt")
    result = build_site(tmp_path / "out", theme=theme)
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].endswith("theme/static/secret.txt: is a symbolic link: put the file itself "
                                                   "in the theme")
    assert not (tmp_path / "out").exists()


def test_legitimate_letters_and_emoji_build(builder, tmp_path):
    """A Greek symbol on its own or a micro sign before a unit, and emoji joined into one, are
    ordinary writing; a Latin look-alike from another script is still refused."""
    page = (ROOT / "content" / "pages" / "about.md").read_text("utf-8")
    advice = ("\nBring a list of your medicines, such as a \u03b2-blocker, and their doses in \u00b5g "
              "\U0001f469\u200d\u2695\ufe0f. Press \u25b6\ufe0f to play \u00a9\ufe0f.\n{: .advice }\n")
    status, log = build_with(builder, tmp_path, "pages/about.md", page + advice)
    assert status == 0, log


def test_a_pipe_in_content_is_refused_before_anything_reads_it(builder, tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    os.mkfifo(content / "pages" / "waiting.md")  # reading it would wait for a writer for ever
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    assert status == 1 and "Traceback" not in log
    assert only_errors(log) == [
        "error: content/pages/waiting.md: is not a regular file (a pipe, socket or device): delete it"]


def test_a_line_break_in_a_file_name_cannot_print_a_line_of_its_own(builder, tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    shutil.copy(content / "pages" / "about.md", content / "pages" / "x\nerror: all is well.md")
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    assert status == 1
    assert only_errors(log) == ["error: content/pages/x\\nerror: all is well.md: has a file name other than lower-"
                                   "case letters, digits and hyphens, ending in .md: rename it, like 'my-page.md'"]


# What the rules must not refuse.

def build_with(builder, tmp_path, relative, text):
    """(exit status, what the build printed) for the real content with `relative` holding `text`."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    (content / relative).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return builder.build(tmp_path / "out", content, tmp_path / "build.log")


def test_a_citation_written_inside_code_is_not_a_citation(builder, tmp_path):
    page = (ROOT / "content" / "pages" / "about.md").read_text("utf-8")
    advice = "\nCite a source by writing `[^label]`.\n{: .advice }\n"
    status, log = build_with(builder, tmp_path, "pages/about.md", page + advice)
    assert status == 0, log
    assert "<code>[^label]</code>" in (tmp_path / "out" / "about.html").read_text("utf-8")


def test_crlf_line_ends_and_a_byte_order_mark_build_normally(builder, tmp_path):
    page = (ROOT / "content" / "pages" / "about.md").read_text("utf-8")
    status, log = build_with(builder, tmp_path, "pages/about.md", "\ufeff" + page.replace("\n", "\r\n"))
    assert status == 0, log
    assert "<h1>About this site</h1>" in (tmp_path / "out" / "about.html").read_text("utf-8")


def test_html_in_a_title_is_refused_at_the_door_and_an_ampersand_is_text(builder, tmp_path):
    page = (ROOT / "content" / "pages" / "about.md").read_text("utf-8")
    status, log = build_with(builder, tmp_path, "pages/about.md",
                             page.replace("Title: About this site", 'Title: About <script>alert("x")</script>'))
    assert status == 1 and only_errors(log)[0].startswith("error: content/pages/about.md:1: '<script>' is HTML")
    status, log = build_with(builder, tmp_path / "plain", "pages/about.md",
                             page.replace("Title: About this site", "Title: About this site & more"))
    assert status == 0, log
    assert "About this site &amp; more" in (tmp_path / "plain" / "out" / "about.html").read_text("utf-8")


def test_a_page_past_its_next_review_says_so_and_the_build_names_it(builder, tmp_path):
    article = ROOT / "content" / "articles" / "ketamine-therapy-for-chronic-pain.md"
    next_review = dict(sources.parse_metadata(article.read_text("utf-8"))[0])["next_review"]
    day_after = (datetime.date.fromisoformat(next_review) + datetime.timedelta(days=1)).isoformat()
    status, log = builder.build(tmp_path / "out", ROOT / "content", tmp_path / "late.log",
                                env={"BUILD_DATE": day_after})
    assert status == 0, log
    notices = [line for line in log.splitlines() if line.startswith("notice:")]
    assert f"notice: content/articles/{article.name}: its review was due on {next_review}; " \
           "the page says so until it is reviewed" in notices
    html = (tmp_path / "out" / "ketamine-therapy-for-chronic-pain.html").read_text("utf-8")
    assert "due for review" in html
    status, log = builder.build(tmp_path / "on-time", ROOT / "content", tmp_path / "on-time.log",
                                env={"BUILD_DATE": next_review})
    assert status == 0 and f"notice: content/articles/{article.name}:" not in log  # other pages keep their own dates
    assert "due for review" not in (tmp_path / "on-time" / "ketamine-therapy-for-chronic-pain.html").read_text("utf-8")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(builder, tmp_path):
    limit = pelicanconf.MAX_SOURCE_BYTES
    page = (ROOT / "content" / "pages" / "about.md").read_text("utf-8")
    page += "\nMore words.\n" * (limit // 10)
    status, log = build_with(builder, tmp_path, "pages/about.md", page)
    assert status == 1
    assert only_errors(log) == [
        f"error: content/pages/about.md: is {len(page.encode()):,} bytes, over the limit of {limit:,}"]


def test_a_picture_over_the_limit_or_in_a_folder_of_its_own_is_refused(builder, tmp_path):
    from pelicanconf import IMAGE_MAX_BYTES
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    (content / "images" / "scans").mkdir(parents=True)
    (content / "images" / "large.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * IMAGE_MAX_BYTES)
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    assert status == 1 and "Traceback" not in log
    assert only_errors(log) == [
        f"error: content/images/large.png: is {IMAGE_MAX_BYTES + 8} bytes, over the {IMAGE_MAX_BYTES} a picture may "
        "have (it loads after the text, on slow phones too): make it smaller",
        "error: content/images/scans: is a folder inside images/: put pictures directly in it"]


def test_a_hidden_character_in_an_evidence_record_is_refused(builder, tmp_path):
    """A record's quote is published on the evidence page: a right-to-left override there could
    turn '25' into '52' for a reader, as in a page."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    records = content / "pages" / "about.evidence.toml"
    lines = records.read_text("utf-8").split("\n")
    number = next(n for n, line in enumerate(lines) if line.startswith("says = "))
    lines[number] = lines[number].replace("says = ", "says = \u202e", 1)
    records.write_text("\n".join(lines), "utf-8")
    status, log = builder.build(tmp_path / "out", content, tmp_path / "build.log")
    assert status == 1 and "Traceback" not in log
    assert only_errors(log) == [f"error: content/pages/about.evidence.toml:{number + 1}: invisible character U+202E "
                                "(right-to-left override) can hide or reorder text; delete it"]
