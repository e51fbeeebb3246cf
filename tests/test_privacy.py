"""Promise: reading the site leaks nothing and runs nothing. Every page sets a strict Content
Security Policy and no-referrer; it has no script, inline style or style attribute; and in a
real browser it requests nothing from another origin and sets no cookie and no storage."""

import re

import pytest
from browser_checks import privacy_problems
from checks import problems_by_page
from conftest import SITE_PAGES, parse
from pages_server import serve


def content_security_policy(soup):
    """{directive: [sources]} from the page's <meta http-equiv="Content-Security-Policy">."""
    meta = soup.find("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
    if not meta:
        return {}
    policy = {}
    for directive in meta.get("content", "").split(";"):
        if directive.split():
            name, *sources = directive.split()
            policy[name.lower()] = sources
    return policy

def security_header_problems(soup):
    """The CSP and referrer policy every page must carry (GitHub Pages cannot send headers)."""
    policy = content_security_policy(soup)
    if not policy:
        return ["no Content-Security-Policy <meta>"]
    problems = []
    required = {"default-src": ({"'none'"}, {"'self'"}), "object-src": ({"'none'"},),
                "base-uri": ({"'self'"}, {"'none'"}), "form-action": ({"'none'"},)}
    for directive, allowed in required.items():
        if set(policy.get(directive, [])) not in allowed:
            expected = [sorted(a) for a in allowed]
            problems.append(f"CSP {directive} is {policy.get(directive)}, expected one of {expected}")
    unsafe = sorted({s for sources in policy.values() for s in sources if s.startswith("'unsafe-")})
    if unsafe:
        problems.append(f"CSP allows {unsafe}")
    referrer = soup.find("meta", attrs={"name": "referrer"})
    if not referrer or referrer.get("content") != "no-referrer":
        problems.append('no <meta name="referrer" content="no-referrer">')
    return problems

def inline_code_problems(soup):
    """Scripts (JSON-LD data blocks excepted), <style> elements and style= attributes."""
    problems = [f"<script> {s.get('src') or (s.string or '')[:40]!r}" for s in soup.find_all("script")
                if s.get("type") != "application/ld+json" or s.get("src")]
    problems += [f"<style> element: {(s.string or '')[:40]!r}" for s in soup.find_all("style")]
    problems += [f"style= attribute on <{t.name}>" for t in soup.find_all(style=True)]
    return problems


def test_every_page_sets_a_strict_csp_and_no_referrer(pages, published_pages):
    found = {f"{build}/{path}": p for build, built in (("local", pages), ("published", published_pages))
             for path, soup in built.items() if (p := security_header_problems(soup))}
    assert found == {}


def test_no_page_has_scripts_or_inline_styles(pages):
    assert problems_by_page(pages, inline_code_problems) == {}


@pytest.mark.browser
@pytest.mark.parametrize("path", SITE_PAGES)
def test_loading_a_page_stays_on_the_site_and_stores_nothing(context, recorded_page, site_url, path):
    errors = []
    context.on("console", lambda message: message.type == "error" and errors.append(message.text))
    recorded_page.goto(f"{site_url}/{path}")
    assert len(recorded_page.requests) >= 2, "expected at least the page and its stylesheet"
    assert privacy_problems(recorded_page, site_url) == []
    assert errors == [], "the browser reported errors (a CSP violation, a missing file)"


# The checks catch the faults they are for.

def head(policy, referrer='<meta name="referrer" content="no-referrer">'):
    return parse(f'<head><meta http-equiv="Content-Security-Policy" content="{policy}">{referrer}</head>')


STRICT = "default-src 'none'; style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"


def test_header_check_passes_a_strict_policy_and_catches_a_weak_one():
    assert security_header_problems(head(STRICT)) == []
    weak = STRICT.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
        "form-action 'none'", "form-action *")
    assert security_header_problems(head(weak, referrer="")) == [
        "CSP form-action is ['*'], expected one of [[\"'none'\"]]",
        "CSP allows [\"'unsafe-inline'\"]",
        'no <meta name="referrer" content="no-referrer">']
    assert security_header_problems(parse("<head></head>")) == ["no Content-Security-Policy <meta>"]


def test_inline_code_check_catches_script_style_and_style_attribute():
    soup = parse('<head><style>h1 {}</style><script type="application/ld+json">{}</script></head>'
                 '<body><h1 style="color: red">T</h1><script>x()</script></body>')
    assert inline_code_problems(soup) == ["<script> 'x()'", "<style> element: 'h1 {}'", "style= attribute on <h1>"]


@pytest.mark.browser
def test_privacy_check_catches_a_tracker(context, recorded_page, tmp_path):
    tracker = ('<link rel="stylesheet" href="css/missing.css">'
               '<main><img src="https://tracker.example/pixel.gif" alt="">'
               '<script>document.cookie = "id=1"; localStorage.setItem("seen", "1")</script></main>')
    (tmp_path / "index.html").write_text(tracker, "utf-8")
    errors = []
    context.on("console", lambda message: message.type == "error" and errors.append(message.text))
    with serve(tmp_path, "") as url:
        recorded_page.goto(f"{url}/index.html")
        found = " ".join(privacy_problems(recorded_page, url))
    assert "https://tracker.example/pixel.gif" in found and "cookies" in found and "web storage" in found
    assert any("404" in e for e in errors)
