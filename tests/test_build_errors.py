"""Promise: a mistake in the content stops the build with a message naming the file and
the problem, and every make target that builds (html, publish) keeps the last good site
when a build fails. A build is a transaction: two at once, one killed, or one that cannot
replace the old site never leave output/ missing or half-written.
A folder that is not a site built here is never touched; a stopped make stops its build; a bad
setting or template is one line naming it.
(tests/bad_content/ holds many more kinds of mistake.)"""

import errno
import glob
import logging
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIRST_ARTICLE_SOURCE, PUBLISHED_SITEURL, ROOT, article_markers, build_site, run_make, tree_digest

from offlineconf import PRINT_EDITION_SAVE_AS, SITE_SLUG
from plugins.content_rules.content_rules import OneLineErrors
from scripts import build as site_build

ARTICLE = FIRST_ARTICLE_SOURCE


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
    assert named in log and Path(ARTICLE).name in log


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


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    """(content, digest of its site) for the real content and for a copy with one word changed."""
    tmp_path = tmp_path_factory.mktemp("two-sites")
    title = article_markers()[1]
    changed = broken_content(tmp_path, title, title + " (changed)")
    sites = []
    for content in (ROOT / "content", changed):
        reference = tmp_path / f"reference-{len(sites)}"
        assert build_site(reference, content=content).returncode == 0
        sites.append((content, tree_digest(reference)))
    return sites


@pytest.fixture(scope="module")
def built_here(tmp_path_factory):
    """The real content's site as scripts/build.py leaves it. A test that needs a last good site
    gets a copy of it (old_site), not a build of its own."""
    output = tmp_path_factory.mktemp("built-here") / "output"
    assert start_build(ROOT / "content", output).wait(timeout=300) == 0
    return output


def old_site(built_here, tmp_path):
    """A copy of `built_here` at tmp_path/output: a site an earlier build left there."""
    return shutil.copytree(built_here, tmp_path / "output")


def test_two_builds_at_once_both_finish_and_leave_a_whole_site(tmp_path, two_sites):
    (first, first_site), (second, second_site) = two_sites
    output = tmp_path / "output"
    builds = [start_build(first, output), start_build(second, output)]
    results = [(build.wait(timeout=300), build.stdout.read()) for build in builds]
    assert [code for code, _ in results] == [0, 0], results
    assert tree_digest(output) in (first_site, second_site)
    assert leftovers(output) == []


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new(built_here, tmp_path, two_sites):
    (first, first_site), (second, second_site) = two_sites
    output = old_site(built_here, tmp_path)  # the first content's site
    for delay in (0.2, 0.5, 0.8, 1.2):
        build = start_build(second, output)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert tree_digest(output) in (first_site, second_site), f"killed after {delay} s"
    assert start_build(first, output).wait(timeout=300) == 0
    assert tree_digest(output) == first_site and leftovers(output) == []


def test_the_next_build_finishes_an_interrupted_swap(built_here, tmp_path, two_sites):
    (first, first_site), _ = two_sites
    output = old_site(built_here, tmp_path)  # the first content's site
    # What a build killed between its two renames leaves: the site moved aside, a staging folder.
    output.rename(tmp_path / ".output.old")
    (tmp_path / ".output.stage-4243").mkdir()
    (tmp_path / ".output.stage-4243" / "index.html").write_text("half a page")
    failed = start_build(broken_content(tmp_path / "broken", article_markers()[0], "[^nosuchsource]"), output)
    assert failed.wait(timeout=300) != 0
    assert tree_digest(output) == first_site and leftovers(output) == []


def test_a_site_that_cannot_be_replaced_is_left_alone_before_anything_is_built(built_here, tmp_path, monkeypatch,
                                                                                capsys):
    output = old_site(built_here, tmp_path)
    before = tree_digest(output)
    # Root may write anywhere, so the test makes os.access say what a read-only folder says.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != output / "theme")
    monkeypatch.setattr(site_build, "run_pelican", lambda *args, **kwargs: pytest.fail("Pelican ran"))
    assert site_build.build("pelicanconf.py", output) == 1
    assert f"{output / 'theme'} is not writable" in capsys.readouterr().err
    assert tree_digest(output) == before and leftovers(output) == []


def test_make_offline_clears_what_an_interrupted_run_left_in_dist(offline_run_again):
    dist, _ = offline_run_again  # run into a dist holding a .partial-* file and folder (conftest)
    assert sorted(p.name for p in dist.iterdir()) == sorted([f"{SITE_SLUG}-offline.zip", PRINT_EDITION_SAVE_AS,
                                                             f"{SITE_SLUG}.epub", site_build.SITE_MARKER])


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


def test_outside_a_build_pelican_s_warnings_stay_what_they_are(monkeypatch):
    # `pelican --listen` logs each 404 as a warning: it must not stop the server.
    monkeypatch.setattr(OneLineErrors, "building", False)
    logger = logging.getLogger("pelican.server")
    handler = OneLineErrors()
    logger.addHandler(handler)
    try:
        logger.warning("Unable to find `%s` or variations", "/missing.html")  # no SystemExit
    finally:
        logger.removeHandler(handler)


# Output folders: refused, before anything is touched, unless new, empty or a site built here.

NOT_A_SITE = ("it holds files and no .built-by-pelican-site, so it is not a site built here: name a new or empty "
              "folder (a site built before 2026-12-01 has none: delete it yourself once)")
INSIDE_THE_REPOSITORY = "it is inside a folder of the repository: name a folder at its top level, like output"


def errors(log):
    return [line for line in log.splitlines() if line.startswith("error:")]


def everything(folder):
    """Every path under `folder`, with its bytes' digest for a file: equal, nothing was touched."""
    digests = tree_digest(folder)
    return {p.relative_to(folder).as_posix(): digests.get(p.relative_to(folder).as_posix())
            for p in Path(folder).rglob("*")}


def make_in(repo, target, env=None, **variables):
    """`make target` run in `repo` with the venv of this checkout, in a session of its own (so a
    server or a build left running is ended): (exit status, output)."""
    command = ["make", "--no-print-directory", target, f"VENV={ROOT / '.venv'}",
               *(f"{name}={value}" for name, value in variables.items())]
    make = subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        return make.wait(timeout=120), make.communicate()[0]
    except subprocess.TimeoutExpired:
        os.killpg(make.pid, signal.SIGKILL)
        return make.wait(), make.communicate()[0] + "\n(still running after 120 s)"


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    """A copy of the repository to attack (a build that is not refused replaces the copy, never
    this checkout), with a folder of someone's files and symbolic links beside it: shared by the
    module's attacks, each of which checks that nothing in the folder holding all of them changed."""
    tmp_path = tmp_path_factory.mktemp("scratch")
    repo = tmp_path / "work" / "repo"
    built = (".venv", "node_modules", "output*", ".output*", "dist", "reports", "cache", ".*cache", "__pycache__")
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(*built, ".*.lock"))
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "notes.txt").write_text("someone's notes")
    (tmp_path / "link-to-repo").symlink_to(repo)
    (tmp_path / "link-to-content").symlink_to(repo / "content")
    return repo


@pytest.mark.parametrize("target, variable, value, problem", [
    ("html", "OUTPUT", ".", "it is the repository"),
    ("html", "OUTPUT", "./", "it is the repository"),
    ("html", "OUTPUT", "{repo}/content/..", "it is the repository"),
    ("html", "OUTPUT", "..", "it holds the repository"),
    ("html", "OUTPUT", "content", "it is the content folder"),
    ("html", "OUTPUT", "content/site", "it is inside the content folder"),
    ("html", "OUTPUT", "theme", NOT_A_SITE),
    ("html", "OUTPUT", "plugins/site", INSIDE_THE_REPOSITORY),
    ("html", "OUTPUT", "CONTENT/site", INSIDE_THE_REPOSITORY),
    ("html", "OUTPUT", "README.md", "it is not a folder"),
    ("html", "OUTPUT", "{tmp}/documents", NOT_A_SITE),
    ("html", "OUTPUT", "{tmp}/link-to-repo", "it is a symbolic link: name the folder itself"),
    ("html", "OUTPUT", "{tmp}/link-to-repo/", "it is a symbolic link: name the folder itself"),
    ("html", "OUTPUT", "{tmp}/link-to-content/site", "it is inside the content folder"),
    ("publish", "PUBLISH_OUTPUT", ".", "it is the repository"),
    ("publish", "PUBLISH_OUTPUT", "{tmp}/documents", NOT_A_SITE),
    ("offline", "DIST", ".", "it is the repository"),
    ("offline", "DIST", "content", "it is the content folder"),
    ("offline", "DIST", "{tmp}/link-to-repo", "it is a symbolic link: name the folder itself"),
    ("offline", "DIST", "{tmp}/documents", "it holds 'notes.txt', which make offline did not write: "
                                           "name a new or empty folder"),
    ("devserver", "OUTPUT", ".", "it is the repository"),
])
def test_an_output_folder_that_is_not_a_site_built_here_is_refused_before_anything_is_touched(
        scratch, target, variable, value, problem):
    around = scratch.parent.parent  # the repository's copy, someone's files and the links
    value = value.format(repo=scratch, tmp=around)
    before = everything(around)
    status, log = make_in(scratch, target, SITEURL=PUBLISHED_SITEURL, PORT=0, **{variable: value})
    assert status != 0 and "Traceback" not in log, log
    assert errors(log) == [f"error: {variable} '{value}': {problem}"], log
    assert everything(around) == before


def test_an_empty_folder_or_a_site_built_here_is_replaced(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    assert run_make("html", OUTPUT=output).returncode == 0
    assert (output / site_build.SITE_MARKER).is_file() and (output / "index.html").is_file()
    assert run_make("html", OUTPUT=output).returncode == 0


def test_an_output_folder_that_is_a_mount_point_is_refused_before_anything_is_built(built_here, tmp_path, monkeypatch,
                                                                                    capsys):
    output = old_site(built_here, tmp_path)
    before = tree_digest(output)
    # A real mount needs root; os.path.ismount is what the build asks.
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == output)
    monkeypatch.setattr(site_build, "run_pelican", lambda *args, **kwargs: pytest.fail("Pelican ran"))
    assert site_build.build("pelicanconf.py", output) == 1
    assert errors(capsys.readouterr().err) == [
        f"error: OUTPUT '{output}': it is a mount point, which cannot be swapped for another folder: "
        "name a folder inside it"]
    assert tree_digest(output) == before and leftovers(output) == []


def test_a_site_the_system_will_not_swap_is_one_line_and_left_as_it_was(built_here, tmp_path, monkeypatch, capsys):
    """What a bind mount (which os.path.ismount does not see) or a busy folder gives."""
    output = old_site(built_here, tmp_path)
    before = tree_digest(output)

    def busy(a, b):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(a))

    monkeypatch.setattr(site_build, "RENAMEAT2", lambda *args: -1)  # it fails too: the build tries two renames
    monkeypatch.setattr(os, "rename", busy)
    assert site_build.build("pelicanconf.py", output) == 1
    assert errors(capsys.readouterr().err) == [
        f"error: OUTPUT '{output}': cannot replace it: Device or resource busy. Nothing was changed."]
    assert tree_digest(output) == before and leftovers(output) == []


# Stops: a build dies with the make that started it, and never swaps a site in after.

def running_in_group(group):
    """The processes of a process group that still run (not zombies, which PID 1 may reap late)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            pid, (state, ppid, pgrp) = stat.split("/")[2], Path(stat).read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(pgrp) == group and state != "Z":
            found.append((int(pid), int(ppid)))
    return found


def wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.mark.parametrize("stop", ["Ctrl-C", "make killed", "make terminated", "its recipe killed"])
def test_a_stopped_make_stops_its_build_and_the_old_site_stays(built_here, tmp_path, stop):
    output = old_site(built_here, tmp_path)
    before = tree_digest(output)
    title = article_markers()[1]
    changed = broken_content(tmp_path, title, title + " (changed)")
    make = subprocess.Popen(["make", "--no-print-directory", "html", f"OUTPUT={output}", f"CONTENT={changed}"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    wait_for(lambda: list(tmp_path.glob(".output.stage-*")))  # Pelican is starting
    time.sleep(0.2)
    if stop == "Ctrl-C":  # what a terminal does: SIGINT to the whole foreground group
        os.killpg(make.pid, signal.SIGINT)
    elif stop == "its recipe killed":
        for pid, ppid in running_in_group(make.pid):
            if ppid == make.pid:
                os.kill(pid, signal.SIGKILL)
    else:
        os.kill(make.pid, signal.SIGKILL if stop == "make killed" else signal.SIGTERM)
    log = make.communicate(timeout=120)[0]
    wait_for(lambda: not running_in_group(make.pid))
    assert make.returncode != 0 and "Traceback" not in log, log
    if stop == "Ctrl-C":
        assert errors(log) == [f"error: OUTPUT '{output}': the build was stopped; nothing was changed."], log
    assert tree_digest(output) == before


# Settings and the environment: one line naming the setting, and the old output as it was.

@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """An output folder and a dist folder with what earlier builds left in them."""
    output, dist = tmp_path_factory.mktemp("previous") / "output", tmp_path_factory.mktemp("dist")
    assert run_make("html", OUTPUT=output).returncode == 0
    for name in (f"{SITE_SLUG}-offline.zip", PRINT_EDITION_SAVE_AS, f"{SITE_SLUG}.epub"):
        (dist / name).write_text(f"an earlier {name}")
    return {"html": output, "publish": output, "offline": dist}


BAD_DATE = "not a date: write a real day as YYYY-MM-DD, e.g. 2026-11-25"
NOT_THE_TRACKER = "not this project's issue tracker: write https://github.com/USER/REPO/issues"
NOT_A_ZIP_TIME = ("not a time a zip can hold: write whole seconds since 1970 (up to 2107), "
                  "as `git log -1 --format=%ct` gives")


# Each setting through each target that reads it, from the environment and from make's command line.
@pytest.mark.parametrize("target, name, value, given, problem", [
    ("html", "BUILD_DATE", "2026-13-45", "env", BAD_DATE),
    ("html", "BUILD_DATE", "2026-02-30", "make", BAD_DATE),
    ("publish", "BUILD_DATE", "2026-13-45", "env", BAD_DATE),
    ("html", "REPORT_MISTAKE_URL", "https://painclinic.example/book-now", "env", NOT_THE_TRACKER),
    ("html", "REPORT_MISTAKE_URL", "https://github.com.painclinic.example/a/b/issues", "make", NOT_THE_TRACKER),
    ("publish", "REPORT_MISTAKE_URL", "https://painclinic.example/book-now", "env", NOT_THE_TRACKER),
    ("offline", "SOURCE_DATE_EPOCH", "junk", "env", NOT_A_ZIP_TIME),
    ("offline", "SOURCE_DATE_EPOCH", "1.7e9", "make", NOT_A_ZIP_TIME),
])
def test_a_bad_setting_stops_with_one_line_naming_it_and_the_old_output_stays(previous, target, name, value,
                                                                              given, problem):
    folder = previous[target]
    before = tree_digest(folder)
    variables = {"OUTPUT": folder, "PUBLISH_OUTPUT": folder, "DIST": folder, "SITEURL": PUBLISHED_SITEURL}
    if given == "make":
        variables[name] = value
    result = run_make(target, env={name: value} if given == "env" else None, **variables)
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log, log
    assert errors(log) == [f"error: {name} '{value}': {problem}"], log
    assert tree_digest(folder) == before


# The other bad values, each read by the check a build runs: pelicanconf.py run as Pelican runs it
# (publishconf.py imports it), and make offline's source_time().
@pytest.mark.parametrize("name, value, problem", [
    ("BUILD_DATE", "20261125", BAD_DATE),
    ("BUILD_DATE", "\uff12\uff10\uff12\uff16-01-01", BAD_DATE),  # full-width digits
    ("REPORT_MISTAKE_URL", "https://painclinic.example/github.com/a/b/issues", NOT_THE_TRACKER),
    ("REPORT_MISTAKE_URL", "https://github.com@painclinic.example/a/b/issues", NOT_THE_TRACKER),
    ("REPORT_MISTAKE_URL", "https://github.com/a/b/issues?next=https://painclinic.example", NOT_THE_TRACKER),
    ("REPORT_MISTAKE_URL", "http://github.com/a/b/issues", NOT_THE_TRACKER),
    ("SOURCE_DATE_EPOCH", " 1700000000", NOT_A_ZIP_TIME),
    ("SOURCE_DATE_EPOCH", "\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660",
     NOT_A_ZIP_TIME),  # Arabic-Indic digits, which int() reads
    ("SOURCE_DATE_EPOCH", "-1", NOT_A_ZIP_TIME),
    ("SOURCE_DATE_EPOCH", "9999999999", NOT_A_ZIP_TIME),  # the year 2286
])
def test_every_spelling_of_a_bad_setting_is_refused_in_one_line(monkeypatch, name, value, problem):
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stop:
        if name == "SOURCE_DATE_EPOCH":
            runpy.run_path(str(ROOT / "packaging" / "offline.py"))["source_time"]()
        else:
            runpy.run_path(str(ROOT / "pelicanconf.py"))
    assert stop.value.code == f"error: {name} '{value}': {problem}"


@pytest.mark.parametrize("template, code, problem", [
    ("includes/footer.html", "{{ foo( }}", "TemplateSyntaxError: unexpected '}', expected ')'"),
    ("includes/footer.html", "{% include 'no-such.html' %}", "TemplateNotFound: no-such.html"),
    ("article.html", "{{ 1 // 0 }}", "ZeroDivisionError: integer division or modulo by zero"),
    ("robots.txt", "{{ 'soon' | long_date }}", "ValueError: Invalid isoformat string: 'soon'"),
])
def test_a_template_error_is_one_line_naming_the_template_and_line(built_here, tmp_path, capfd, template, code,
                                                                   problem):
    output = old_site(built_here, tmp_path)
    before = tree_digest(output)
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    source = theme / "templates" / template
    source.write_text(f"{code}\n{source.read_text('utf-8')}", "utf-8")
    assert site_build.build("pelicanconf.py", output, extra=["--theme-path", str(theme)]) == 1
    log = "".join(capfd.readouterr())
    assert "Traceback" not in log, log
    assert errors(log) == [f"error: {source}:1: {problem}"], log
    assert tree_digest(output) == before


# The machine, not the content: each a line of its own, never a traceback (issue 30).

def test_a_missing_content_folder_is_one_line(tmp_path, capsys):
    assert site_build.build("pelicanconf.py", tmp_path / "out", tmp_path / "no-content") == 1
    err = capsys.readouterr().err
    assert err == (f"error: CONTENT '{tmp_path / 'no-content'}': there is no such folder (it holds the site's "
                   "Markdown: articles/, pages/). Nothing was changed.\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("typo, line", [('SITENAME = "Ketamine\n', "SyntaxError: unterminated string literal"),
                                        ("SITENAME = Ketamine\n", "NameError: name 'Ketamine' is not defined")])
def test_a_typo_in_the_settings_is_one_line_with_its_place(tmp_path, capsys, typo, line):
    settings = tmp_path / "brokenconf.py"
    settings.write_text("from pelicanconf import *  # noqa\n" + typo)
    assert site_build.build(str(settings), tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: brokenconf.py:2: {line}") and err.count("\n") == 1 and "Traceback" not in err


def test_a_lock_that_cannot_be_made_is_one_line(tmp_path):
    (tmp_path / ".output.lock").mkdir()  # as a read-only folder would refuse it (tests run as root)
    with pytest.raises(SystemExit) as stop:
        with site_build.locked(tmp_path / "output"):
            pass
    assert str(stop.value).startswith(f"error: cannot make the lock file {tmp_path / '.output.lock'}: ")


def test_a_build_whose_reader_goes_away_still_finishes(tmp_path):
    """`make html | head -1`: the first line read, the pipe closed, the site still built."""
    result = subprocess.run(f"make --no-print-directory html OUTPUT={tmp_path / 'out'} | head -1", shell=True,
                            cwd=ROOT, capture_output=True, text=True)
    assert "Traceback" not in result.stdout + result.stderr
    assert (tmp_path / "out" / "index.html").is_file() and (tmp_path / "out" / site_build.SITE_MARKER).is_file()


def test_no_git_on_the_path_is_no_traceback(monkeypatch):
    spec = __import__("importlib.util").util.spec_from_file_location("offline", ROOT / "packaging" / "offline.py")
    offline = __import__("importlib.util").util.module_from_spec(spec)
    spec.loader.exec_module(offline)

    def no_git(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "git")

    monkeypatch.setattr(offline.subprocess, "run", no_git)
    assert offline.git("rev-parse", "HEAD") == ""


TWO_BUILDS = """
import shutil, sys
from pathlib import Path
from pelican import Pelican
from pelican.settings import read_settings
content, output = Path(sys.argv[1]), Path(sys.argv[2])
about = content / "pages" / "about.md"
good = about.read_text()
about.write_text(good + "\\nSee [this]({filename}glossary.md#nope).\\n{: .advice }\\n\\n#### Skipped\\n")
for run in ("first", "fixed"):
    settings = read_settings("pelicanconf.py", override={"PATH": str(content), "OUTPUT_PATH": str(output)})
    try:
        Pelican(settings).run()
        print(run, "built")
    except SystemExit as stop:
        print(run, "stopped:", " | ".join(line for line in str(stop).splitlines() if line.startswith("error:")))
    rules = sys.modules["content_rules.content_rules"]
    print(run, "left behind:", len(rules.problems) + len(rules.fragment_links))
    about.write_text(good)
"""


def test_two_builds_in_one_process_give_the_verdicts_of_two_processes(tmp_path):
    """As `pelican --autoreload` runs them: the second build, after the editor fixed the first's
    errors, builds; it reports nothing the first left behind, and neither keeps a page's problems or
    links in the module after it ends (issue 31)."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    result = subprocess.run([sys.executable, "-c", TWO_BUILDS, str(content), str(tmp_path / "out")], cwd=ROOT,
                            capture_output=True, text=True)
    verdicts = [re.sub(r":\d+:", ":N:", line) for line in result.stdout.splitlines()
                if line.startswith(("first ", "fixed "))]
    assert verdicts == [
        "first stopped: error: content/pages/about.md:N: heading 'Skipped' (level 4) skips a level after level 2",
        "first left behind: 0", "fixed built", "fixed left behind: 0"], result.stdout + result.stderr
