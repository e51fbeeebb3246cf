"""Promise: a build is reproducible. Two clean builds of the same commit, in different
folders and at different times, give byte-identical trees: pages, feed and sitemap included
(their dates come from the content's metadata, never the clock)."""

import shutil

from conftest import PUBLISHED_SITEURL, ROOT, build_published_site, build_site, tree_digest


def differences(a, b):
    digest_a, digest_b = tree_digest(a), tree_digest(b)
    return sorted(path for path in digest_a.keys() | digest_b.keys() if digest_a.get(path) != digest_b.get(path))


def test_two_local_builds_are_identical(site, tmp_path):
    again = tmp_path / "again"
    assert build_site(again).returncode == 0
    assert differences(site, again) == []


def test_two_published_builds_are_identical(published_site, tmp_path):
    again = build_published_site(tmp_path / "again")
    assert (again / "sitemap.xml").is_file() and (again / "feeds" / "all.atom.xml").is_file()
    assert differences(published_site, again) == []


def test_the_order_of_the_plugins_carries_no_meaning(site, published_site, tmp_path):
    # The session's own builds are the plain ones where there is one: the local site, and the
    # published one (for PUBLISHED_SITEURL).
    for settings, plain in (("pelicanconf.py", site), ("publishconf.py", published_site), ("offlineconf.py", None)):
        reversed_settings = tmp_path / f"reversed_{settings}"
        reversed_settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                                     f"from {settings[:-3]} import *  # noqa\nPLUGINS = PLUGINS[::-1]\n")
        env = {"SITEURL": PUBLISHED_SITEURL}
        backwards = tmp_path / f"reversed-{settings}"
        if plain is None:
            plain = tmp_path / f"plain-{settings}"
            assert build_site(plain, settings=settings, env=env).returncode == 0
        result = build_site(backwards, settings=reversed_settings, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert differences(plain, backwards) == [], settings


def test_comparison_catches_one_changed_byte_and_an_extra_file(site, tmp_path):
    copy = shutil.copytree(site, tmp_path / "copy")
    about = copy / "about.html"
    about.write_bytes(about.read_bytes().replace(b"</html>", b"</html> "))
    (copy / "stray.txt").write_text("x")
    assert differences(site, copy) == ["about.html", "stray.txt"]
