"""Promise: reading the site leaks nothing and runs nothing. Every page sets a strict Content
Security Policy and no-referrer; it has no script, inline style or style attribute; and in a
real browser it requests nothing from another origin and sets no cookie and no storage."""

import shutil

import pytest
from browser_checks import privacy_problems
from checks import inline_code_problems, security_header_problems
from conftest import SITE_PAGES, parse
from pages_server import serve


def test_every_page_sets_a_strict_csp_and_no_referrer(pages, published_pages):
    found = {f"{build}/{path}": p for build, built in (("local", pages), ("published", published_pages))
             for path, soup in built.items() if (p := security_header_problems(soup))}
    assert found == {}


def test_no_page_has_scripts_or_inline_styles(pages):
    found = {path: p for path, soup in pages.items() if (p := inline_code_problems(soup))}
    assert found == {}


@pytest.mark.parametrize("path", SITE_PAGES)
def test_loading_a_page_stays_on_the_site_and_stores_nothing(context, recorded_page, site_url, path):
    errors = []
    context.on("console", lambda message: message.type == "error" and errors.append(message.text))
    recorded_page.goto(f"{site_url}/{path}")
    assert len(recorded_page.requests) >= 2, "expected at least the page and its stylesheet"
    assert privacy_problems(recorded_page, site_url) == []
    assert errors == [], "the browser reported errors (a CSP violation, a missing file)"


# The checks catch the faults they are for.

def test_header_check_catches_a_weak_policy(pages):
    broken = parse(str(pages["index.html"]))
    meta = broken.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    meta["content"] = meta["content"].replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
        "form-action 'none'", "form-action *")
    broken.find("meta", attrs={"name": "referrer"}).decompose()
    found = " ".join(security_header_problems(broken))
    assert "'unsafe-inline'" in found and "form-action" in found and "no-referrer" in found


def test_inline_code_check_catches_script_style_and_style_attribute(pages):
    broken = parse(str(pages["index.html"]))
    broken.body.append(broken.new_tag("script"))
    broken.head.append(broken.new_tag("style"))
    broken.find("h1")["style"] = "color: red"
    assert len(inline_code_problems(broken)) == 3


def test_privacy_check_catches_a_tracker(context, recorded_page, site, tmp_path):
    copy = shutil.copytree(site, tmp_path / "site")
    index = copy / "index.html"
    html = index.read_text("utf-8")
    html = html[:html.index('<meta http-equiv="Content-Security-Policy"')] + html[html.index('<meta name="referrer"'):]
    html = html.replace("css/site.css", "css/missing.css")
    tracker = ('<img src="https://tracker.example/pixel.gif" alt="">'
               '<script>document.cookie = "id=1"; localStorage.setItem("seen", "1")</script>')
    index.write_text(html.replace("</main>", tracker + "</main>"))
    errors = []
    context.on("console", lambda message: message.type == "error" and errors.append(message.text))
    with serve(copy, "") as url:
        recorded_page.goto(f"{url}/index.html")
        found = " ".join(privacy_problems(recorded_page, url))
    assert "https://tracker.example/pixel.gif" in found and "cookies" in found and "web storage" in found
    assert any("404" in e for e in errors)
