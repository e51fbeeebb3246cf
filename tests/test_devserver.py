"""Promise: rebuilds are always right and survive mistakes. With Pelican's content cache on, a
rebuild follows edits to the shared references and abbreviations, the settings and the theme,
not only to the page's own file; `make devserver` keeps serving the last good site after a
content error, keeps watching, and rebuilds once the file is fixed."""

import datetime
import json
import os
import pickle
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ARTICLE_PAGE, ARTICLE_SOURCE, ROOT, article_markers, build_site
from pelican.settings import read_settings

from plugins.content_rules.sources import parse_metadata

ARTICLE = ARTICLE_SOURCE


@pytest.fixture
def workspace(tmp_path):
    """A copy of the content and theme, and a cached build of them: returns a rebuild function."""
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    cache = tmp_path / "cache"

    def rebuild(must_pass=True, **env):
        """The rebuilt article page; or, with must_pass=False, the finished build."""
        output = tmp_path / "output"
        shutil.rmtree(output, ignore_errors=True)
        result = build_site(output, content=content, theme=theme, env=env, extra=[
            "-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f'CACHE_PATH="{cache}"'])
        if not must_pass:
            return result
        assert result.returncode == 0, result.stdout + result.stderr
        return (output / ARTICLE_PAGE).read_text("utf-8")

    rebuild()
    return content, theme, rebuild


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def first_line_used_by_the_article(path, pattern):
    """The first line of a shared file whose label the article uses: (line, label)."""
    article = (ROOT / "content" / ARTICLE).read_text("utf-8")
    for line in path.read_text("utf-8").splitlines():
        if (match := re.match(pattern, line)) and match[1] in article:
            return line, match[1]
    raise AssertionError(f"the article uses nothing from {path.name}")


def test_a_cached_rebuild_follows_an_edited_reference(workspace):
    content, _, rebuild = workspace
    line, _ = first_line_used_by_the_article(content / "references.md", r"^(\[\^[^\]]+\]):")
    edit(content / "references.md", line, line.replace(" <https", " (edited) <https", 1))
    assert "(edited)" in rebuild()


def test_a_cached_rebuild_follows_an_edited_abbreviation(workspace):
    content, _, rebuild = workspace
    line, abbreviation = first_line_used_by_the_article(content / "abbreviations.md", r"^\*\[([^\]]+)\]:")
    edit(content / "abbreviations.md", line, f"*[{abbreviation}]: meaning edited")
    assert 'title="meaning edited"' in rebuild()


def test_a_cached_rebuild_follows_an_edited_theme(workspace):
    _, theme, rebuild = workspace
    edit(theme / "templates" / "includes" / "footer.html", "Not medical advice.", "Not medical advice (edited).")
    assert "Not medical advice (edited)." in rebuild()


def test_a_cached_rebuild_follows_a_changed_setting(workspace):
    content, _, rebuild = workspace
    next_review = dict(parse_metadata((content / ARTICLE).read_text("utf-8"))[0])["next_review"]
    later = (datetime.date.fromisoformat(next_review) + datetime.timedelta(days=1)).isoformat()
    assert "due for review" not in rebuild(BUILD_DATE=next_review)
    assert "due for review" in rebuild(BUILD_DATE=later)


def test_a_cached_rebuild_rechecks_links_into_other_pages(workspace):
    content, _, rebuild = workspace
    linked = re.search(r"\{filename\}/?(pages/[a-z0-9-]+\.md)", (content / ARTICLE).read_text("utf-8"))[1]
    (content / linked).unlink()  # the article itself is unchanged, and taken from the cache
    result = rebuild(must_pass=False)
    assert result.returncode == 1 and f"link to '/{linked}': there is no such file" in result.stderr


def facts_caches(workspace_content):
    return list((workspace_content.parent / "cache").rglob("content_rules_facts.pickle"))


def test_a_cached_rebuild_takes_each_unchanged_page_s_checks_from_the_cache(workspace):
    content, _, rebuild = workspace
    (facts,) = facts_caches(content)
    # Control: the cache is what the rebuild reads. A fact planted in it is reported...
    with open(facts, "rb") as cache:
        planted = {digest: (["planted problem"], links) for digest, (_, links) in pickle.load(cache).items()}
    with open(facts, "wb") as cache:
        pickle.dump(planted, cache)
    result = rebuild(must_pass=False)
    assert result.returncode == 1 and "planted problem" in result.stderr
    # ... and an unreadable cache is no cache: every page is checked afresh.
    facts.write_bytes(b"not a pickle")
    assert "<h1" in rebuild()


def settings_without_cache_key(folder):
    settings = folder / "nokeyconf.py"  # our settings, less the cache_key plugin
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                        "PLUGINS = [p for p in PLUGINS if p != 'cache_key']\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n")
    return settings


def test_cached_checks_follow_the_allowed_sources_even_without_the_cache_key(workspace, tmp_path):
    content, theme, _ = workspace
    page = content / "pages" / "questions.md"
    edit(page, "\n## ", "\nSee also [this page](https://www.who.int/).\n\n## ")  # a host no reference uses
    settings = settings_without_cache_key(tmp_path)
    cached = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f'CACHE_PATH="{tmp_path / "plain-cache"}"']
    assert build_site(tmp_path / "warm", settings=settings, content=content, theme=theme, extra=cached).returncode == 0
    allowed = read_settings(str(ROOT / "pelicanconf.py"))["SOURCE_DOMAINS"]
    narrower = [domain for domain in allowed if domain != "who.int"]
    result = build_site(tmp_path / "narrower", settings=settings, content=content, theme=theme,
                        extra=[*cached, f"SOURCE_DOMAINS={json.dumps(narrower)}"])
    assert result.returncode == 1 and "www.who.int is not an allowed source" in result.stderr


def test_without_the_cache_key_a_cached_rebuild_misses_the_edit(workspace, tmp_path):
    content, theme, _ = workspace
    settings = settings_without_cache_key(tmp_path)
    cached = ["-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", f'CACHE_PATH="{tmp_path / "plain-cache"}"']
    for attempt in range(2):
        output = tmp_path / f"plain-{attempt}"
        result = build_site(output, settings=settings, content=content, theme=theme, extra=cached)
        assert result.returncode == 0, result.stdout + result.stderr
        if attempt == 0:
            line, abbreviation = first_line_used_by_the_article(content / "abbreviations.md", r"^\*\[([^\]]+)\]:")
            edit(content / "abbreviations.md", line, f"*[{abbreviation}]: stale or not")
    assert 'title="stale or not"' not in (output / ARTICLE_PAGE).read_text("utf-8")


# The devserver, driven as a maintainer would.

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_devserver_survives_a_content_error_and_rebuilds_when_it_is_fixed(tmp_path):
    content = shutil.copytree(ROOT / "content", tmp_path / "content")
    output, port = tmp_path / "output", free_port()
    log = tmp_path / "devserver.log"
    with open(log, "w") as log_file:
        server = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "devserver.py"), str(output), str(port),
                                   str(content)], cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
                                  env={**os.environ, "COLUMNS": "200"})
    try:
        url = f"http://127.0.0.1:{port}/{ARTICLE_PAGE}"
        assert wait_for(lambda: "Serving" in log.read_text()), log.read_text()
        good = fetch(url)
        citation, title = article_markers(content / ARTICLE)
        edit(content / ARTICLE, citation, "[^nosuchsource]")
        assert wait_for(lambda: "not rebuilt" in log.read_text()), log.read_text()
        assert f"error: content/{ARTICLE}: cites [^nosuchsource]" in log.read_text()
        assert fetch(url) == good, "the served site changed after a failed build"
        edit(content / ARTICLE, "[^nosuchsource]", citation)
        edit(content / ARTICLE, title, title + " (rebuilt)")
        assert wait_for(lambda: " (rebuilt)</h1>" in fetch(url)), log.read_text()
        assert server.poll() is None, "the devserver stopped"
    finally:
        server.terminate()
        server.wait(timeout=10)
